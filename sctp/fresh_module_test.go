// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// repoRoot finds the sctpio module's root above the working directory (the package folder under
// go test, the repository root under scripts/sctp-run).
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(b, []byte("module github.com/sctpio/sctpio\n")) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("not inside the sctpio repository")
		}
		dir = parent
	}
}

// rootIs9p reports whether / is a 9p mount (statfs passes the host's type through, so ask
// /proc/self/mounts).
func rootIs9p() bool {
	b, _ := os.ReadFile("/proc/self/mounts")
	for _, line := range bytes.Split(b, []byte("\n")) {
		f := bytes.Fields(line)
		if len(f) >= 3 && string(f[1]) == "/" && string(f[2]) == "9p" {
			return true
		}
	}
	return false
}

const freshMain = `package main

import (
	"fmt"

	"github.com/sctpio/sctpio/sctp"
)

func main() {
	b, err := sctp.NewBatch(4, 128)
	if err != nil {
		panic(err)
	}
	defer b.Close()
	_, err = sctp.ParseNotification(nil)
	fmt.Println("sctp package linked:", b.Slots(), err != nil, sctp.DefaultEvents)
}
`

// TestFreshModuleBuildsWithNoInstallStep builds and runs a program in a new module outside the
// repository that imports the package through a replace directive: nothing installed, no C library
// built beforehand, no CGO_* flags — the package's folder must hold everything cgo needs. It needs
// no kernel SCTP, so CI can run it on the host: go test -run FreshModule ./sctp/
func TestFreshModuleBuildsWithNoInstallStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module: skipped in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	// Inside the scripts/sctp-run guest the host's files arrive over 9p, where the linker cannot
	// mmap its output, and a cold cgo build under software emulation takes about a minute. The
	// test needs no kernel SCTP: it belongs on the host.
	if rootIs9p() {
		t.Skip("root filesystem is 9p (the sctp-run guest): run on the host: go test -run FreshModule ./sctp/")
	}
	root := repoRoot(t)
	dir := t.TempDir()
	mod := "module example.com/fresh\n\ngo 1.21\n\nrequire github.com/sctpio/sctpio v0.0.0\n\n" +
		"replace github.com/sctpio/sctpio => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(freshMain), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "CGO_ENABLED=1"}
	for _, kv := range os.Environ() {
		// A caller's CGO_CFLAGS or CGO_LDFLAGS could point at an installed or built library and hide
		// exactly what this test checks.
		if !bytes.HasPrefix([]byte(kv), []byte("CGO_")) && !bytes.HasPrefix([]byte(kv), []byte("GOFLAGS=")) {
			env = append(env, kv)
		}
	}
	bin := filepath.Join(dir, "fresh")
	build := exec.Command(goBin, "build", "-o", bin, ".")
	build.Dir, build.Env = dir, env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build in a fresh module: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil || !bytes.HasPrefix(out, []byte("sctp package linked: 4 true")) {
		t.Fatalf("running the fresh program: %v\n%s", err, out)
	}
}
