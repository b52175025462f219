// SPDX-License-Identifier: MIT

// Command apicheck proves that github.com/sctpio/sctpio/compat/ishidawataru/sctp is a drop-in
// replacement for github.com/ishidawataru/sctp at the version this module requires: every
// exported identifier of ishidawataru/sctp exists in the compat package, of the same kind, with
// the same type or signature (the two packages' own types counted as the same by name), every
// constant with the same value, every struct with the same exported fields in the same order
// (and, for a struct of exported and blank fields only, the same layout: size and offsets, since
// callers hand such structs to the kernel), and every method of each type, on the value and on
// the pointer, with the same signature. It checks each GOOS/GOARCH (and cgo setting) that
// ishidawataru/sctp builds on, because that package's API differs between them (ErrUnsupported
// and SyscallConn exist on some only); the compat package must offer the union everywhere.
//
// It reads the compilers' export data (go list -export), so it needs nothing beyond the Go tool,
// and a cross-compiler for no target: the non-host targets are checked without cgo, where the
// compat package is its stubs. Run it from bench/go:
//
//	go run ./apicheck
//
// It exits 1 and names each difference when the packages differ.
package main

import (
	"bytes"
	"fmt"
	"go/constant"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
)

const (
	origPath   = "github.com/ishidawataru/sctp"
	compatPath = "github.com/sctpio/sctpio/compat/ishidawataru/sctp"
)

// target is one build configuration to compare the packages in.
type target struct{ goos, goarch, cgo string }

func (t target) String() string { return t.goos + "/" + t.goarch + " CGO_ENABLED=" + t.cgo }

// The host's own linux/amd64 with cgo is the real package; the rest are the platforms
// ishidawataru/sctp builds on (its Linux code everywhere but 386, its stubs elsewhere).
var targets = []target{
	{"linux", "amd64", "1"},
	{"linux", "amd64", "0"},
	{"linux", "arm64", "0"},
	{"linux", "386", "0"},
	{"darwin", "amd64", "0"},
	{"darwin", "arm64", "0"},
	{"freebsd", "amd64", "0"},
	{"windows", "amd64", "0"},
}

func main() {
	failed := false
	for _, t := range targets {
		if t.cgo == "1" && !hostIs(t) {
			continue
		}
		problems, summary, err := check(t)
		switch {
		case err != nil:
			fmt.Printf("apicheck: FAIL %v: %v\n", t, err)
			failed = true
		case len(problems) > 0:
			fmt.Printf("apicheck: FAIL %v: %d differences\n", t, len(problems))
			for _, p := range problems {
				fmt.Printf("    %s\n", p)
			}
			failed = true
		default:
			fmt.Printf("apicheck: ok   %v: %s\n", t, summary)
		}
	}
	if failed {
		fmt.Println("apicheck: failed")
		os.Exit(1)
	}
	fmt.Println("apicheck: passed: the compat package exports every identifier of " + origPath + " with the same signature")
}

// hostIs reports whether t is the machine's own platform (so that cgo needs no cross-compiler).
func hostIs(t target) bool {
	out, err := exec.Command("go", "env", "GOHOSTOS", "GOHOSTARCH").Output()
	if err != nil {
		return false
	}
	f := strings.Fields(string(out))
	return len(f) == 2 && f[0] == t.goos && f[1] == t.goarch
}

// load compiles both packages for t and returns their type information.
func load(t target) (orig, compat *types.Package, err error) {
	cmd := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}", origPath, compatPath)
	cmd.Env = append(os.Environ(), "GOOS="+t.goos, "GOARCH="+t.goarch, "CGO_ENABLED="+t.cgo)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, fmt.Errorf("go list: %v\n%s", err, stderr.String())
	}
	exports := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, "\t"); ok && file != "" {
			exports[path] = file
		}
	}
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	if orig, err = imp.Import(origPath); err != nil {
		return nil, nil, err
	}
	if compat, err = imp.Import(compatPath); err != nil {
		return nil, nil, err
	}
	return orig, compat, nil
}

// qualify names the two packages alike, so that their own types compare by name; every other
// package by its path.
func qualify(p *types.Package) string {
	if p.Path() == origPath || p.Path() == compatPath {
		return "sctp"
	}
	return p.Path()
}

// typeString formats t for comparison: the two packages' own types by name (see qualify), and
// function types without their parameter names, which are not part of a Go signature's identity
// (ishidawataru/sctp itself names ListenSCTPExt's first parameter differently per platform).
func typeString(t types.Type) string {
	switch t := t.(type) {
	case *types.Signature:
		tuple := func(tu *types.Tuple, variadic bool) string {
			parts := make([]string, tu.Len())
			for i := range parts {
				if variadic && i == tu.Len()-1 {
					parts[i] = "..." + typeString(tu.At(i).Type().(*types.Slice).Elem())
				} else {
					parts[i] = typeString(tu.At(i).Type())
				}
			}
			return strings.Join(parts, ", ")
		}
		return "func(" + tuple(t.Params(), t.Variadic()) + ") (" + tuple(t.Results(), false) + ")"
	case *types.Pointer:
		return "*" + typeString(t.Elem())
	case *types.Slice:
		return "[]" + typeString(t.Elem())
	case *types.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), typeString(t.Elem()))
	case *types.Map:
		return "map[" + typeString(t.Key()) + "]" + typeString(t.Elem())
	case *types.Chan:
		return fmt.Sprintf("chan(%d) %s", t.Dir(), typeString(t.Elem()))
	case *types.Struct:
		parts := make([]string, t.NumFields())
		for i := range parts {
			f := t.Field(i)
			parts[i] = fmt.Sprintf("%s %s `%s` embedded=%v", f.Name(), typeString(f.Type()), t.Tag(i), f.Embedded())
		}
		return "struct{" + strings.Join(parts, "; ") + "}"
	}
	return types.TypeString(t, qualify)
}

// check compares the packages for t; it returns the differences, or a summary of what matched.
func check(t target) ([]string, string, error) {
	orig, compat, err := load(t)
	if err != nil {
		return nil, "", err
	}
	sizes := types.SizesFor("gc", t.goarch)
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	names, methods := 0, 0
	for _, name := range orig.Scope().Names() {
		o := orig.Scope().Lookup(name)
		if !o.Exported() {
			continue
		}
		names++
		c := compat.Scope().Lookup(name)
		if c == nil {
			add("%s: missing", name)
			continue
		}
		switch o := o.(type) {
		case *types.Const:
			c, ok := c.(*types.Const)
			if !ok {
				add("%s: a constant in %s, not in the compat package", name, origPath)
				continue
			}
			if typeString(o.Type()) != typeString(c.Type()) {
				add("%s: constant of type %s, compat %s", name, typeString(o.Type()), typeString(c.Type()))
			}
			if o.Val().Kind() != c.Val().Kind() || !constant.Compare(o.Val(), token.EQL, c.Val()) {
				add("%s: value %s, compat %s", name, o.Val().ExactString(), c.Val().ExactString())
			}
		case *types.Var:
			c, ok := c.(*types.Var)
			if !ok {
				add("%s: a variable in %s, not in the compat package", name, origPath)
			} else if typeString(o.Type()) != typeString(c.Type()) {
				add("%s: variable of type %s, compat %s", name, typeString(o.Type()), typeString(c.Type()))
			}
		case *types.Func:
			if c, ok := c.(*types.Func); !ok {
				add("%s: a function in %s, not in the compat package", name, origPath)
			} else if typeString(o.Type()) != typeString(c.Type()) {
				add("%s: %s, compat %s", name, typeString(o.Type()), typeString(c.Type()))
			}
		case *types.TypeName:
			c, ok := c.(*types.TypeName)
			if !ok {
				add("%s: a type in %s, not in the compat package", name, origPath)
				continue
			}
			if o.IsAlias() != c.IsAlias() {
				add("%s: alias %v, compat alias %v", name, o.IsAlias(), c.IsAlias())
			}
			problems = append(problems, compareTypes(name, o.Type(), c.Type(), sizes)...)
			n, ps := compareMethods(name, o.Type(), c.Type())
			methods += n
			problems = append(problems, ps...)
		}
	}
	var extra []string
	for _, name := range compat.Scope().Names() {
		if token.IsExported(name) && orig.Scope().Lookup(name) == nil {
			extra = append(extra, name)
		}
	}
	summary := fmt.Sprintf("%d identifiers and %d methods match", names, methods)
	if len(extra) > 0 {
		sort.Strings(extra)
		summary += " (compat also exports " + strings.Join(extra, ", ") + ")"
	}
	return problems, summary, nil
}

// compareTypes compares the underlying types of a named type of each package.
func compareTypes(name string, o, c types.Type, sizes types.Sizes) []string {
	os, oIsStruct := o.Underlying().(*types.Struct)
	cs, cIsStruct := c.Underlying().(*types.Struct)
	if !oIsStruct || !cIsStruct {
		if typeString(o.Underlying()) != typeString(c.Underlying()) {
			return []string{fmt.Sprintf("%s: type %s, compat %s", name, typeString(o.Underlying()), typeString(c.Underlying()))}
		}
		return nil
	}
	// Exported fields, in order, with their types, tags and embedding.
	fields := func(s *types.Struct, all bool) []string {
		var out []string
		for i := 0; i < s.NumFields(); i++ {
			f := s.Field(i)
			if !all && !f.Exported() {
				continue
			}
			out = append(out, fmt.Sprintf("%s %s `%s` embedded=%v", f.Name(), typeString(f.Type()), s.Tag(i), f.Embedded()))
		}
		return out
	}
	// A struct of exported and blank fields only is a C-like layout: the whole of it must match.
	cLike := true
	for i := 0; i < os.NumFields(); i++ {
		if f := os.Field(i); !f.Exported() && f.Name() != "_" {
			cLike = false
		}
	}
	var problems []string
	of, cf := fields(os, cLike), fields(cs, cLike)
	if strings.Join(of, "; ") != strings.Join(cf, "; ") {
		problems = append(problems, fmt.Sprintf("%s: fields {%s}, compat {%s}", name, strings.Join(of, "; "), strings.Join(cf, "; ")))
	}
	if cLike && len(problems) == 0 {
		if so, sc := sizes.Sizeof(os), sizes.Sizeof(cs); so != sc {
			problems = append(problems, fmt.Sprintf("%s: size %d, compat %d", name, so, sc))
		}
		vars := func(s *types.Struct) []*types.Var {
			v := make([]*types.Var, s.NumFields())
			for i := range v {
				v[i] = s.Field(i)
			}
			return v
		}
		if oo, co := sizes.Offsetsof(vars(os)), sizes.Offsetsof(vars(cs)); fmt.Sprint(oo) != fmt.Sprint(co) {
			problems = append(problems, fmt.Sprintf("%s: field offsets %v, compat %v", name, oo, co))
		}
	}
	return problems
}

// compareMethods checks that every exported method of o, on the value and on the pointer, is a
// method of c with the same signature; it returns how many were checked.
func compareMethods(name string, o, c types.Type) (int, []string) {
	var problems []string
	n := 0
	for _, pair := range [][2]types.Type{{o, c}, {types.NewPointer(o), types.NewPointer(c)}} {
		om, cm := types.NewMethodSet(pair[0]), types.NewMethodSet(pair[1])
		for i := 0; i < om.Len(); i++ {
			m := om.At(i).Obj()
			if !m.Exported() {
				continue
			}
			n++
			recv := typeString(pair[0])
			sel := cm.Lookup(m.Pkg(), m.Name())
			if sel == nil {
				// Method names of the two packages are exported, so their package does not matter.
				for j := 0; j < cm.Len(); j++ {
					if cm.At(j).Obj().Name() == m.Name() {
						sel = cm.At(j)
					}
				}
			}
			if sel == nil {
				problems = append(problems, fmt.Sprintf("%s.%s: missing method", recv, m.Name()))
				continue
			}
			if os, cs := typeString(m.Type()), typeString(sel.Obj().Type()); os != cs {
				problems = append(problems, fmt.Sprintf("%s.%s: %s, compat %s", recv, m.Name(), os, cs))
			}
		}
	}
	_ = name
	return n, problems
}
