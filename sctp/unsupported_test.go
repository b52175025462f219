// SPDX-License-Identifier: MIT

//go:build !linux || !cgo

package sctp

import (
	"context"
	"errors"
	"net"
	"testing"
)

// TestUnsupportedEveryCallFails checks the promise of the package doc for builds without Linux and
// cgo: every function and method with an error result (the generated table holds each one) returns
// a *net.OpError for network "sctp" that wraps errors.ErrUnsupported. On the host it runs with
// CGO_ENABLED=0 go test ./sctp/.
func TestUnsupportedEveryCallFails(t *testing.T) {
	if len(unsupportedCalls) < 50 {
		t.Fatalf("the generated table has %d calls: stale or broken stubgen", len(unsupportedCalls))
	}
	for _, c := range unsupportedCalls {
		err := c.call()
		var oe *net.OpError
		if !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &oe) || oe.Net != "sctp" || oe.Op == "" {
			t.Errorf("%s: got %#v (%v), want a *net.OpError for sctp wrapping errors.ErrUnsupported", c.name, err, err)
		}
	}
}

// TestUnsupportedConstructors calls the constructors as a program would and checks the messages.
func TestUnsupportedConstructors(t *testing.T) {
	for _, c := range []struct {
		want string
		call func() error
	}{
		{"dial sctp: unsupported operation", func() error { _, err := Dial("sctp", "127.0.0.1:5000"); return err }},
		{"dial sctp: unsupported operation", func() error {
			_, err := (&Dialer{}).DialContext(context.Background(), "sctp", "127.0.0.1:5000")
			return err
		}},
		{"listen sctp: unsupported operation", func() error { _, err := Listen("sctp", "127.0.0.1:0"); return err }},
		{"listen sctp: unsupported operation", func() error { _, err := ListenSCTP("sctp", nil); return err }},
		{"listen sctp: unsupported operation", func() error {
			_, err := ListenEndpoint("sctp", "127.0.0.1:0")
			return err
		}},
		{"newEndpoint sctp: unsupported operation", func() error { _, err := NewEndpoint("sctp", nil); return err }},
		{"newBatch sctp: unsupported operation", func() error { _, err := NewBatch(4, 128); return err }},
		{"newPoller sctp: unsupported operation", func() error { _, err := NewPoller(8); return err }},
		{"newReceiver sctp: unsupported operation", func() error {
			_, err := NewReceiver(1, func(Source, *Batch) error { return nil })
			return err
		}},
		{"resolveAddr sctp: unsupported operation", func() error { _, err := ResolveAddr("sctp", "127.0.0.1:1"); return err }},
	} {
		err := c.call()
		if err == nil || err.Error() != c.want || !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("got %v, want %q wrapping errors.ErrUnsupported", err, c.want)
		}
	}
}

// TestUnsupportedRestIsZero checks the rest of the promise: methods without an error result return
// zero values, and constants keep their Linux values (stubgen -check compares every one).
func TestUnsupportedRestIsZero(t *testing.T) {
	if s := NotifyAssocChange.String(); s != "" {
		t.Errorf("NotificationType.String() = %q, want \"\"", s)
	}
	if a := new(SCTPConn).LocalAddr(); a != nil {
		t.Errorf("LocalAddr() = %v, want nil", a)
	}
	if DefaultEvents != EventAssocChange|EventShutdown || DefaultEvents == 0 {
		t.Errorf("DefaultEvents = %#x", DefaultEvents)
	}
}
