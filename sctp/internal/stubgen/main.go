// SPDX-License-Identifier: MIT

// Command stubgen writes the package's API for systems where it cannot work (any GOOS but Linux, or
// CGO_ENABLED=0): sctp/unsupported.go declares every exported constant, variable, type, function and
// method of the Linux build, with the same values and signatures, and every function or method with
// an error result returns a *net.OpError wrapping errors.ErrUnsupported. sctp/unsupported_calls_test.go
// lists a call of each of them for the test that checks so.
//
// It reads the API from the compiler's export data of the Linux cgo build (go list -export), so the
// stubs cannot drift by hand. Run it from the repository root on Linux with cgo:
//
//	go run ./sctp/internal/stubgen          # regenerate
//	go run ./sctp/internal/stubgen -check   # fail if the files are stale, or if the API that
//	                                        # GOOS=darwin CGO_ENABLED=0 compiles differs from Linux's
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/constant"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

const (
	pkgPath  = "github.com/sctpio/sctpio/sctp"
	stubFile = "sctp/unsupported.go"
	callFile = "sctp/unsupported_calls_test.go"
)

func main() {
	check := flag.Bool("check", false, "compare instead of writing: fail when a file is stale or the APIs differ")
	flag.Parse()
	real, err := load("linux", "", "1")
	if err != nil {
		fatal(err)
	}
	stub, calls, err := generate(real)
	if err != nil {
		fatal(err)
	}
	if !*check {
		for name, b := range map[string][]byte{stubFile: stub, callFile: calls} {
			if err := os.WriteFile(name, b, 0o644); err != nil {
				fatal(err)
			}
		}
		return
	}
	stale := false
	for name, b := range map[string][]byte{stubFile: stub, callFile: calls} {
		if old, err := os.ReadFile(name); err != nil || !bytes.Equal(old, b) {
			fmt.Fprintf(os.Stderr, "stubgen: %s is not current (run: go run ./sctp/internal/stubgen)\n", name)
			stale = true
		}
	}
	if stale {
		os.Exit(1)
	}
	other, err := load("darwin", "amd64", "0")
	if err != nil {
		fatal(err)
	}
	a, b := describe(real), describe(other)
	if d := diff(a, b); d != "" {
		fatal(fmt.Errorf("the API of linux+cgo (-) and darwin without cgo (+) differ:\n%s", d))
	}
	fmt.Printf("stubgen: the stubs are current; %d exported API entries match on linux+cgo and darwin without cgo\n", len(a))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "stubgen:", err)
	os.Exit(1)
}

// load type-checks nothing itself: it reads the export data that the go command builds for the
// package and its dependencies under the given target.
func load(goos, goarch, cgo string) (*types.Package, error) {
	cmd := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}", "./sctp")
	cmd.Env = append(os.Environ(), "GOOS="+goos, "CGO_ENABLED="+cgo, "GOFLAGS=")
	if goarch != "" {
		cmd.Env = append(cmd.Env, "GOARCH="+goarch)
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -export for %s (CGO_ENABLED=%s): %v", goos, cgo, err)
	}
	files := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, "\t"); ok {
			files[path] = file
		}
	}
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		f, ok := files[path]
		if !ok || f == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	return imp.Import(pkgPath)
}

// gen holds the output being written and what it needs.
type gen struct {
	pkg     *types.Package
	imports map[string]string // path -> name
	extra   map[*types.TypeName]bool
	queue   []*types.TypeName
}

func (g *gen) qual(p *types.Package) string {
	if p == g.pkg {
		return ""
	}
	g.imports[p.Path()] = p.Name()
	return p.Name()
}

func (g *gen) typ(t types.Type) string {
	g.need(t, map[types.Type]bool{})
	return types.TypeString(t, g.qual)
}

// need queues the package's unexported named types that t mentions: the stubs must declare them.
func (g *gen) need(t types.Type, seen map[types.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Named:
		o := t.Obj()
		if o.Pkg() == g.pkg && !o.Exported() && !g.extra[o] {
			g.extra[o] = true
			g.queue = append(g.queue, o)
		}
	case *types.Pointer:
		g.need(t.Elem(), seen)
	case *types.Slice:
		g.need(t.Elem(), seen)
	case *types.Array:
		g.need(t.Elem(), seen)
	case *types.Map:
		g.need(t.Key(), seen)
		g.need(t.Elem(), seen)
	case *types.Chan:
		g.need(t.Elem(), seen)
	case *types.Signature:
		for i := 0; i < t.Params().Len(); i++ {
			g.need(t.Params().At(i).Type(), seen)
		}
		for i := 0; i < t.Results().Len(); i++ {
			g.need(t.Results().At(i).Type(), seen)
		}
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if t.Field(i).Exported() {
				g.need(t.Field(i).Type(), seen)
			}
		}
	case *types.Interface:
		for i := 0; i < t.NumMethods(); i++ {
			g.need(t.Method(i).Type(), seen)
		}
	}
}

// zero is a Go expression for the zero value of t.
func (g *gen) zero(t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false"
		case u.Info()&types.IsString != 0:
			return `""`
		case u.Kind() == types.UnsafePointer:
			return "nil"
		default:
			return "0"
		}
	case *types.Struct, *types.Array:
		return g.typ(t) + "{}"
	default:
		return "nil"
	}
}

// op is the Op of the unsupported error: net's verbs for the calls that have one.
func op(name string) string {
	for _, v := range []string{"Dial", "Listen", "Accept", "Read", "Write", "Close", "Connect"} {
		if strings.HasPrefix(name, v) {
			return strings.ToLower(v)
		}
	}
	return strings.ToLower(name[:1]) + name[1:]
}

var unusable = map[string]bool{"_": true, "": true}

// fn writes a function or method with a stub body; recv is "" or "(T) " / "(*T) ".
func (g *gen) fn(w *bytes.Buffer, recv, name string, sig *types.Signature) {
	names := map[string]bool{}
	for p := range g.imports {
		names[g.imports[p]] = true
	}
	var params []string
	for i := 0; i < sig.Params().Len(); i++ {
		p := sig.Params().At(i)
		n := p.Name()
		if unusable[n] || names[n] {
			n = "_"
		}
		t := p.Type()
		if sig.Variadic() && i == sig.Params().Len()-1 {
			params = append(params, n+" ..."+g.typ(t.(*types.Slice).Elem()))
		} else {
			params = append(params, n+" "+g.typ(t))
		}
	}
	var results, zeros []string
	for i := 0; i < sig.Results().Len(); i++ {
		t := sig.Results().At(i).Type()
		results = append(results, g.typ(t))
		if i == sig.Results().Len()-1 && types.Identical(t, types.Universe.Lookup("error").Type()) {
			zeros = append(zeros, fmt.Sprintf("errUnsupported(%q)", op(name)))
		} else {
			zeros = append(zeros, g.zero(t))
		}
	}
	fmt.Fprintf(w, "func %s%s(%s)", recv, name, strings.Join(params, ", "))
	switch len(results) {
	case 0:
		w.WriteString(" {}\n\n")
		return
	case 1:
		fmt.Fprintf(w, " %s", results[0])
	default:
		fmt.Fprintf(w, " (%s)", strings.Join(results, ", "))
	}
	fmt.Fprintf(w, " { return %s }\n\n", strings.Join(zeros, ", "))
}

// typeDecl writes type T with the exported fields of a struct (unexported ones are the Linux
// build's internals) or the underlying type as it is.
func (g *gen) typeDecl(w *bytes.Buffer, o *types.TypeName) {
	switch u := o.Type().Underlying().(type) {
	case *types.Struct:
		fmt.Fprintf(w, "type %s struct {\n", o.Name())
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			if !f.Exported() {
				continue
			}
			if f.Embedded() {
				fmt.Fprintf(w, "\t%s\n", g.typ(f.Type()))
			} else {
				fmt.Fprintf(w, "\t%s %s\n", f.Name(), g.typ(f.Type()))
			}
		}
		w.WriteString("}\n\n")
	case *types.Interface:
		fmt.Fprintf(w, "type %s interface {\n", o.Name())
		for i := 0; i < u.NumEmbeddeds(); i++ {
			fmt.Fprintf(w, "\t%s\n", g.typ(u.EmbeddedType(i)))
		}
		for i := 0; i < u.NumExplicitMethods(); i++ {
			m := u.ExplicitMethod(i)
			fmt.Fprintf(w, "\t%s%s\n", m.Name(), strings.TrimPrefix(g.typ(m.Type()), "func"))
		}
		w.WriteString("}\n\n")
	default:
		fmt.Fprintf(w, "type %s %s\n\n", o.Name(), g.typ(u))
	}
}

// methods writes the methods of T that the stub must declare: its exported ones (also those promoted
// from an unexported embedded field, which the stub drops), and the unexported methods of the
// package's interfaces that T satisfies. It returns the calls of those with an error result.
func (g *gen) methods(w *bytes.Buffer, o *types.TypeName, ifaces []*types.Interface) {
	T := o.Type()
	if types.IsInterface(T) {
		return
	}
	val, ptr := types.NewMethodSet(T), types.NewMethodSet(types.NewPointer(T))
	emit := map[string]*types.Selection{}
	for i := 0; i < ptr.Len(); i++ {
		s := ptr.At(i)
		if !s.Obj().Exported() {
			continue
		}
		if len(s.Index()) > 1 && g.keptEmbedded(T, s.Index()[0]) {
			continue // promoted through an exported embedded field, which the stub keeps
		}
		emit[s.Obj().Name()] = s
	}
	for _, iface := range ifaces {
		if !types.Implements(types.NewPointer(T), iface) {
			continue
		}
		for i := 0; i < iface.NumMethods(); i++ {
			if m := iface.Method(i); !m.Exported() {
				emit[m.Name()] = ptr.Lookup(g.pkg, m.Name())
			}
		}
	}
	names := make([]string, 0, len(emit))
	for n := range emit {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		recv := "(*" + o.Name() + ") "
		if val.Lookup(g.pkg, n) != nil {
			recv = "(" + o.Name() + ") "
		}
		g.fn(w, recv, n, emit[n].Obj().(*types.Func).Type().(*types.Signature))
	}
}

func (g *gen) keptEmbedded(T types.Type, field int) bool {
	st, ok := T.Underlying().(*types.Struct)
	return ok && st.Field(field).Exported()
}

func generate(pkg *types.Package) (stub, calls []byte, err error) {
	g := &gen{pkg: pkg, imports: map[string]string{"errors": "errors", "net": "net"}, extra: map[*types.TypeName]bool{}}
	scope := pkg.Scope()
	var ifaces []*types.Interface
	for _, n := range scope.Names() {
		if o, ok := scope.Lookup(n).(*types.TypeName); ok {
			if it, ok := o.Type().Underlying().(*types.Interface); ok {
				ifaces = append(ifaces, it)
			}
		}
	}
	var consts, vars, typesB, funcs bytes.Buffer
	for _, n := range scope.Names() {
		o := scope.Lookup(n)
		if !o.Exported() {
			continue
		}
		switch o := o.(type) {
		case *types.Const:
			if b, ok := o.Type().(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
				fmt.Fprintf(&consts, "\t%s = %s\n", n, o.Val().ExactString())
			} else {
				fmt.Fprintf(&consts, "\t%s %s = %s\n", n, g.typ(o.Type()), constVal(o.Val()))
			}
		case *types.Var:
			if types.Identical(o.Type(), types.Universe.Lookup("error").Type()) {
				fmt.Fprintf(&vars, "\t%s = errors.New(%s)\n", n, errorText(n))
			} else {
				fmt.Fprintf(&vars, "\t%s %s\n", n, g.typ(o.Type()))
			}
		case *types.TypeName:
			if o.IsAlias() {
				fmt.Fprintf(&typesB, "type %s = %s\n\n", n, g.typ(o.Type()))
				continue
			}
			g.typeDecl(&typesB, o)
			g.methods(&typesB, o, ifaces)
		case *types.Func:
			g.fn(&funcs, "", n, o.Type().(*types.Signature))
		}
	}
	for len(g.queue) > 0 {
		o := g.queue[0]
		g.queue = g.queue[1:]
		g.typeDecl(&typesB, o)
	}
	var w bytes.Buffer
	w.WriteString("// SPDX-License-Identifier: MIT\n// Code generated by sctp/internal/stubgen from the linux+cgo build's API; DO NOT EDIT.\n\n")
	w.WriteString("//go:build !linux || !cgo\n\npackage sctp\n\n")
	w.WriteString("// Where the package cannot work (any system but Linux, or CGO_ENABLED=0) it declares the same API,\n")
	w.WriteString("// and every function or method with an error result returns a *net.OpError wrapping\n")
	w.WriteString("// errors.ErrUnsupported; the rest return zero values. See the package documentation.\n\n")
	paths := make([]string, 0, len(g.imports))
	for p := range g.imports {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	w.WriteString("import (\n")
	for _, p := range paths {
		fmt.Fprintf(&w, "\t%q\n", p)
	}
	w.WriteString(")\n\n")
	w.WriteString("func errUnsupported(op string) error {\n\treturn &net.OpError{Op: op, Net: \"sctp\", Err: errors.ErrUnsupported}\n}\n\n")
	if consts.Len() > 0 {
		fmt.Fprintf(&w, "const (\n%s)\n\n", consts.String())
	}
	if vars.Len() > 0 {
		fmt.Fprintf(&w, "var (\n%s)\n\n", vars.String())
	}
	w.Write(typesB.Bytes())
	w.Write(funcs.Bytes())
	stub, err = format.Source(w.Bytes())
	if err != nil {
		return nil, nil, fmt.Errorf("formatting the stubs: %v\n%s", err, w.Bytes())
	}
	calls, err = callTable(pkg)
	return stub, calls, err
}

func constVal(v constant.Value) string { return v.ExactString() }

// errorText is the message of an exported error variable, read from its errors.New("...") in the
// package's source (export data has no values of variables).
func errorText(name string) string {
	files, _ := filepath.Glob("sctp/*.go")
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, sp := range gd.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if id.Name != name || i >= len(vs.Values) {
						continue
					}
					if c, ok := vs.Values[i].(*ast.CallExpr); ok && len(c.Args) == 1 {
						if lit, ok := c.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							return lit.Value
						}
					}
				}
			}
		}
	}
	return fmt.Sprintf("%q", "sctp: "+name)
}

// callTable writes a call of every stub function and method that has an error result, with zero
// arguments, for the test that checks each returns the unsupported error.
func callTable(pkg *types.Package) ([]byte, error) {
	imports := map[string]string{}
	qual := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		imports[p.Path()] = p.Name()
		return p.Name()
	}
	errType := types.Universe.Lookup("error").Type()
	var rows bytes.Buffer
	call := func(label, expr string, sig *types.Signature) {
		r := sig.Results()
		if r.Len() == 0 || !types.Identical(r.At(r.Len()-1).Type(), errType) {
			return
		}
		var args []string
		for i := 0; i < sig.Params().Len(); i++ {
			t := sig.Params().At(i).Type()
			if sig.Variadic() && i == sig.Params().Len()-1 {
				break
			}
			args = append(args, "*new("+types.TypeString(t, qual)+")")
		}
		blanks := strings.Repeat("_, ", r.Len()-1)
		fmt.Fprintf(&rows, "\t{%q, func() error { %serr := %s(%s); return err }},\n", label, blanks, expr, strings.Join(args, ", "))
	}
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		o := scope.Lookup(n)
		if !o.Exported() {
			continue
		}
		switch o := o.(type) {
		case *types.Func:
			call(n, n, o.Type().(*types.Signature))
		case *types.TypeName:
			if types.IsInterface(o.Type()) || o.IsAlias() {
				continue
			}
			ms := types.NewMethodSet(types.NewPointer(o.Type()))
			for i := 0; i < ms.Len(); i++ {
				m := ms.At(i).Obj()
				if m.Exported() {
					call(n+"."+m.Name(), "new("+n+")."+m.Name(), m.Type().(*types.Signature))
				}
			}
		}
	}
	var w bytes.Buffer
	w.WriteString("// SPDX-License-Identifier: MIT\n// Code generated by sctp/internal/stubgen from the linux+cgo build's API; DO NOT EDIT.\n\n")
	w.WriteString("//go:build !linux || !cgo\n\npackage sctp\n\n")
	if len(imports) > 0 {
		paths := make([]string, 0, len(imports))
		for p := range imports {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		w.WriteString("import (\n")
		for _, p := range paths {
			fmt.Fprintf(&w, "\t%q\n", p)
		}
		w.WriteString(")\n\n")
	}
	w.WriteString("// unsupportedCalls calls every exported function and method that returns an error.\n")
	fmt.Fprintf(&w, "var unsupportedCalls = []struct {\n\tname string\n\tcall func() error\n}{\n%s}\n", rows.String())
	return format.Source(w.Bytes())
}

// describe lists the exported API, one line per constant, variable, function, type, exported struct
// field and method, with the types spelt in full, for comparing two builds.
func describe(pkg *types.Package) []string {
	qual := func(p *types.Package) string { return p.Path() }
	var out []string
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		o := scope.Lookup(n)
		if !o.Exported() {
			continue
		}
		if c, ok := o.(*types.Const); ok {
			out = append(out, fmt.Sprintf("const %s %s = %s", n, types.TypeString(c.Type(), qual), c.Val().ExactString()))
			continue
		}
		tn, ok := o.(*types.TypeName)
		if !ok {
			out = append(out, types.ObjectString(o, qual))
			continue
		}
		switch u := tn.Type().Underlying().(type) {
		case *types.Struct:
			// Unexported fields are the build's internals; exported ones are listed below.
			out = append(out, fmt.Sprintf("type %s struct alias=%v", n, tn.IsAlias()))
			for i := 0; i < u.NumFields(); i++ {
				if f := u.Field(i); f.Exported() {
					out = append(out, fmt.Sprintf("field %s.%s %s embedded=%v", n, f.Name(), types.TypeString(f.Type(), qual), f.Embedded()))
				}
			}
		case *types.Interface:
			out = append(out, fmt.Sprintf("type %s %s alias=%v", n, types.TypeString(u, qual), tn.IsAlias()))
			continue
		default:
			out = append(out, fmt.Sprintf("type %s %s alias=%v", n, types.TypeString(u, qual), tn.IsAlias()))
		}
		val, ptr := types.NewMethodSet(tn.Type()), types.NewMethodSet(types.NewPointer(tn.Type()))
		for i := 0; i < ptr.Len(); i++ {
			m := ptr.At(i).Obj()
			if m.Exported() {
				out = append(out, fmt.Sprintf("method %s.%s %s value=%v", n, m.Name(),
					types.TypeString(m.Type(), qual), val.Lookup(nil, m.Name()) != nil))
			}
		}
	}
	sort.Strings(out)
	return out
}

func diff(a, b []string) string {
	in := func(s []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range s {
			m[x] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var d strings.Builder
	for _, x := range a {
		if !mb[x] {
			fmt.Fprintf(&d, "- %s\n", x)
		}
	}
	for _, x := range b {
		if !ma[x] {
			fmt.Fprintf(&d, "+ %s\n", x)
		}
	}
	return d.String()
}
