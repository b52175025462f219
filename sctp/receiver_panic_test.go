// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// What a Receiver does with a handler that panics or calls runtime.Goexit. Socketpairs stand in for
// SCTP sockets: no SCTP needed.

var errBoom = errors.New("boom")

// panicRig is a Receiver with one worker serving sockets a and b; the handler does bad(src) for a
// message "bad" and reports every other message on got. The error handler reports on errs.
func panicRig(t *testing.T, bad func(), withErrorHandler bool) (r *Receiver, a, b *SCTPConn, pa, pb int, got chan string, errs chan error) {
	t.Helper()
	got, errs = make(chan string, 16), make(chan error, 16)
	var opts []ReceiverOption
	if withErrorHandler {
		opts = append(opts, WithErrorHandler(func(src Source, err error) {
			if src != a {
				t.Errorf("the error handler got %v for the wrong socket", err)
			}
			errs <- err
		}))
	}
	var err error
	r, err = NewReceiver(1, func(src Source, bt *Batch) error {
		for i := 0; i < bt.Len(); i++ {
			if string(bt.Bytes(i)) == "bad" {
				bad()
			}
			got <- string(bt.Bytes(i))
		}
		return nil
	}, opts...)
	expect(t, err, nil, "NewReceiver")
	a, pa, err = socketpairConn()
	expect(t, err, nil, "socketpair")
	b, pb, err = socketpairConn()
	expect(t, err, nil, "socketpair")
	t.Cleanup(func() {
		a.Close()
		b.Close()
		syscall.Close(pa)
		syscall.Close(pb)
	})
	expect(t, r.Add(a), nil, "Add a")
	expect(t, r.Add(b), nil, "Add b")
	return
}

func send(t *testing.T, fd int, msg string) {
	t.Helper()
	if _, err := syscall.Write(fd, []byte(msg)); err != nil {
		t.Fatal(err)
	}
}

func recvWithin(t *testing.T, ch <-chan string, what string) string {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: nothing after 20 s", what)
		return ""
	}
}

func errWithin(t *testing.T, ch <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: nothing after 20 s", what)
		return nil
	}
}

// checkOthersServed checks, after a's handler went wrong, that a's registration is over (and a can
// be added again), that b is still served by the one worker, and that Close returns.
func checkOthersServed(t *testing.T, r *Receiver, a, b *SCTPConn, pa, pb int, got chan string) {
	t.Helper()
	if err := r.Remove(a); !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("Remove of the socket whose handler went wrong: %v, want ENOENT", err)
	}
	send(t, pb, "after")
	if s := recvWithin(t, got, "b after a's handler went wrong"); s != "after" {
		t.Fatalf("b: got %q, want after", s)
	}
	// a is left as it was, messages included, and may be added again.
	send(t, pa, "again")
	expect(t, r.Add(a), nil, "Add a again")
	if s := recvWithin(t, got, "a added again"); s != "again" {
		t.Fatalf("a: got %q, want again", s)
	}
	done := make(chan error, 1)
	go func() { done <- r.Close() }()
	if err := errWithin(t, done, "Close"); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestReceiverHandlerPanicGoesToTheErrorHandler(t *testing.T) {
	r, a, b, pa, pb, got, errs := panicRig(t, func() { panic(errBoom) }, true)
	send(t, pa, "bad")
	err := errWithin(t, errs, "the panic")
	var pe *HandlerPanicError
	if !errors.As(err, &pe) || pe.Value != errBoom || !errors.Is(err, errBoom) {
		t.Fatalf("the error handler got %#v, want a *HandlerPanicError wrapping the panic value", err)
	}
	if !bytes.Contains(pe.Stack, []byte("panicRig")) || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("the error does not tell where and what: %q\n%s", err, pe.Stack)
	}
	checkOthersServed(t, r, a, b, pa, pb, got)
}

func TestReceiverHandlerGoexitEndsOnlyItsRegistration(t *testing.T) {
	r, a, b, pa, pb, got, errs := panicRig(t, runtime.Goexit, true)
	send(t, pa, "bad")
	if err := errWithin(t, errs, "the Goexit"); err != errHandlerGoexit {
		t.Fatalf("the error handler got %v, want %v", err, errHandlerGoexit)
	}
	checkOthersServed(t, r, a, b, pa, pb, got)
}

// Without an error handler there is nobody to tell: the panic is not recovered, and ends the
// program as a panic in any goroutine does. The test runs itself in a child process to see that.
func TestReceiverHandlerPanicWithoutErrorHandlerEndsTheProgram(t *testing.T) {
	if os.Getenv("SCTPIO_PANIC_CHILD") == "1" {
		_, _, _, pa, _, _, _ := panicRig(t, func() { panic(errBoom) }, false)
		send(t, pa, "bad")
		time.Sleep(20 * time.Second) // the panic ends the process first
		t.Fatal("the handler's panic did not end the program")
	}
	exe, err := os.Executable()
	expect(t, err, nil, "os.Executable")
	cmd := exec.Command(exe, "-test.run=^TestReceiverHandlerPanicWithoutErrorHandlerEndsTheProgram$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SCTPIO_PANIC_CHILD=1")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !bytes.Contains(out, []byte("panic: boom")) {
		t.Fatalf("child: %v, output:\n%s\nwant exit status 2 and the panic", err, out)
	}
}
