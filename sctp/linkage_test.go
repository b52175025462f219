// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// hostGo is the go command for the tests that build programs: they need no kernel SCTP and belong on
// the host (in the sctp-run guest the files arrive over 9p, where the linker cannot mmap its output).
func hostGo(t *testing.T) (goBin string, env []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds programs: skipped in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	if rootIs9p() {
		t.Skip("root filesystem is 9p (the sctp-run guest): run on the host: go test -run Linkage ./sctp/")
	}
	env = []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "CGO_ENABLED=1"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CGO_") && !strings.HasPrefix(kv, "GOFLAGS=") {
			env = append(env, kv)
		}
	}
	return goBin, env
}

// copyFiles copies the files of dir whose names match one of the patterns into dst, and returns
// their names.
func copyFiles(t *testing.T, dir, dst string, patterns ...string) []string {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range patterns {
		m, err := filepath.Glob(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		for _, src := range m {
			if strings.HasSuffix(src, "_test.go") {
				continue
			}
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dst, filepath.Base(src)), b, 0o644); err != nil {
				t.Fatal(err)
			}
			names = append(names, filepath.Base(src))
		}
	}
	return names
}

// brand renames, in the one copied C file that returns it, the name that sctpio_notification_name
// gives SCTP_ASSOC_CHANGE, so that a program can tell which copy of the C code it called.
func brand(t *testing.T, dir, name string) {
	t.Helper()
	const lit = `return "SCTP_ASSOC_CHANGE";`
	m, _ := filepath.Glob(filepath.Join(dir, "*.[ch]"))
	found := 0
	for _, f := range m {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(b, []byte(lit)); n > 0 {
			found += n
			b = bytes.ReplaceAll(b, []byte(lit), []byte(`return "`+name+`";`))
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if found != 1 {
		t.Fatalf("%s: %d copies of %s in the C sources, want 1 (test out of date?)", dir, found, lit)
	}
}

const linkageMain = `package main

import (
	"fmt"

	"example.com/collide/clib"
	fork "example.com/fork/sctp"
	orig "github.com/sctpio/sctpio/sctp"
)

func main() {
	// Each copy's C core runs: a batch is made and freed by the copy's own sctpio_batch_*.
	for _, nb := range []func() error{
		func() error { b, err := orig.NewBatch(4, 64); if err == nil { err = b.Close() }; return err },
		func() error { b, err := fork.NewBatch(4, 64); if err == nil { err = b.Close() }; return err },
	} {
		if err := nb(); err != nil {
			panic(err)
		}
	}
	fmt.Println(orig.NotifyAssocChange.String(), fork.NotifyAssocChange.String(), clib.Name(uint16(orig.NotifyAssocChange)))
}
`

const linkageClib = `package clib

// The C library itself, compiled from src/ with its global sctpio_* symbols, as a program that links
// libsctpio beside the Go package has it.

/*
#cgo CFLAGS: -std=gnu11 -D_GNU_SOURCE -O2 -I${SRCDIR}
#cgo LDFLAGS: -pthread
#include "sctpio.h"
*/
import "C"

// Name is the C library's sctpio_notification_name.
func Name(t uint16) string { return C.GoString(C.sctpio_notification_name(C.uint16_t(t))) }
`

// TestLinkageBesideItselfAndTheCLibrary builds and runs a program that imports the package twice —
// this copy, and a copy of its files under another import path (as a vendored fork or a second
// major version would be) — and links the C library (src/, global sctpio_* symbols) through cgo in
// a third package. It links only if the package defines no global C symbol that the other two also
// define, and each copy must call its own C code: the three copies name SCTP_ASSOC_CHANGE
// differently, and the program prints what each one says.
func TestLinkageBesideItselfAndTheCLibrary(t *testing.T) {
	goBin, env := hostGo(t)
	root := repoRoot(t)
	dir := t.TempDir()
	write := func(name, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/collide\n\ngo 1.21\n\nrequire (\n\tgithub.com/sctpio/sctpio v0.0.0\n"+
		"\texample.com/fork v0.0.0\n)\n\nreplace github.com/sctpio/sctpio => "+root+"\n\nreplace example.com/fork => ./fork\n")
	write("main.go", linkageMain)
	write("fork/go.mod", "module example.com/fork\n\ngo 1.21\n")
	if n := copyFiles(t, filepath.Join(root, "sctp"), filepath.Join(dir, "fork/sctp"), "*.go", "*.c", "*.h"); len(n) < 10 {
		t.Fatalf("copied only %v", n)
	}
	brand(t, filepath.Join(dir, "fork/sctp"), "FORK_ASSOC_CHANGE")
	write("clib/clib.go", linkageClib)
	copyFiles(t, filepath.Join(root, "src"), filepath.Join(dir, "clib"), "*.c", "*.h")
	copyFiles(t, filepath.Join(root, "include"), filepath.Join(dir, "clib"), "sctpio.h")
	copyFiles(t, filepath.Join(root, "include/sctpio"), filepath.Join(dir, "clib/sctpio"), "*.h")
	brand(t, filepath.Join(dir, "clib"), "CLIB_ASSOC_CHANGE")

	bin := filepath.Join(dir, "collide")
	build := exec.Command(goBin, "build", "-o", bin, ".")
	build.Dir, build.Env = dir, env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building a program with two copies of the package and the C library: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).CombinedOutput()
	if want := "SCTP_ASSOC_CHANGE FORK_ASSOC_CHANGE CLIB_ASSOC_CHANGE\n"; err != nil || string(out) != want {
		t.Fatalf("running it: %v: got %q, want %q (original, fork, C library)", err, out, want)
	}
}

// cgoSymbol is what cgo names the symbols it generates: a prefix that hashes the import path.
var cgoSymbol = regexp.MustCompile(`^_cgo(exp)?_[0-9a-f]{12}_`)

// TestLinkageNoGlobalCSymbols checks with nm the C objects of the built package: every global symbol
// they define is one of cgo's own, named with the import path's hash (so two copies of the package
// never clash), none is sctpio_*, and the C core keeps no writable data — each cgo file compiles its
// own static copy of it (scripts/amalgamate), which is sound only while the copies share no state.
func TestLinkageNoGlobalCSymbols(t *testing.T) {
	goBin, env := hostGo(t)
	nm, err := exec.LookPath("nm")
	if err != nil {
		t.Skip("no nm on PATH")
	}
	ar, err := exec.LookPath("ar")
	if err != nil {
		t.Skip("no ar on PATH")
	}
	root := repoRoot(t)
	list := exec.Command(goBin, "list", "-export", "-f", "{{.Export}}", "./sctp")
	list.Dir, list.Env = root, env
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	archive := strings.TrimSpace(string(out))
	dir := t.TempDir()
	x := exec.Command(ar, "x", archive)
	x.Dir = dir
	if out, err := x.CombinedOutput(); err != nil {
		t.Fatalf("ar x %s: %v\n%s", archive, err, out)
	}
	objs, _ := filepath.Glob(filepath.Join(dir, "_x*.o"))
	if len(objs) < 5 {
		t.Fatalf("%d C objects in %s, want the package's cgo files", len(objs), archive)
	}
	defined := 0
	for _, o := range objs {
		out, err := exec.Command(nm, o).Output()
		if err != nil {
			t.Fatalf("nm %s: %v", o, err)
		}
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) != 3 {
				continue // undefined (U) references have no address
			}
			typ, name := f[1], f[2]
			if strings.Contains("dDbBgGsS", typ) {
				t.Errorf("%s: writable data %s (%s): the C core must keep no state", filepath.Base(o), name, typ)
			}
			if typ == strings.ToLower(typ) {
				continue // local
			}
			defined++
			if !cgoSymbol.MatchString(name) {
				t.Errorf("%s: global symbol %s (%s) could collide with the C library or another copy of the package",
					filepath.Base(o), name, typ)
			}
		}
	}
	if defined == 0 {
		t.Fatal("nm saw no global symbols at all (cgo's own are expected): the check is broken")
	}
}
