// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"
)

// TestOneOwnerAcrossModels checks the rule that a registered socket is read by one reader at a time
// across every Receiver and Poller, not only within one: a second Receiver, or a Poller, cannot add
// a socket that a Receiver serves (EEXIST); once it is removed, a Poller may take it, reports it
// ready, and holds it alone. On socketpairs, so it runs on any Linux host.
func TestOneOwnerAcrossModels(t *testing.T) {
	c, peer, err := socketpairConn()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	defer syscall.Close(peer)
	handler := func(Source, *Batch) error { return nil }
	r1, err := NewReceiver(1, handler)
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := NewReceiver(1, handler)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	p, err := NewPoller(4)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	if err := r1.Add(c); err != nil {
		t.Fatal(err)
	}
	if err := r2.Add(c); !errors.Is(err, syscall.EEXIST) {
		t.Fatalf("a second Receiver's Add of a served socket: %v, want EEXIST", err)
	}
	if err := p.Add(c, nil); !errors.Is(err, syscall.EEXIST) {
		t.Fatalf("a Poller's Add of a socket a Receiver serves: %v, want EEXIST", err)
	}
	if err := r1.Remove(c); err != nil {
		t.Fatal(err)
	}
	if err := p.Add(c, "mine"); err != nil {
		t.Fatalf("the Poller's Add after the Receiver's Remove: %v", err)
	}
	if _, err := syscall.Write(peer, []byte("x")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ready, err := p.Next(ctx)
	if err != nil || ready.Source != Source(c) || ready.Data != "mine" {
		t.Fatalf("Next = %v %v, %v; want the socket with its data", ready.Source, ready.Data, err)
	}
	if err := r2.Add(c); !errors.Is(err, syscall.EEXIST) {
		t.Fatalf("a Receiver's Add of a socket a Poller holds: %v, want EEXIST", err)
	}
	ready.Done()
	if err := p.Remove(c); err != nil {
		t.Fatal(err)
	}
	if err := r2.Add(c); err != nil {
		t.Fatalf("Add after the Poller's Remove: %v", err)
	}
}
