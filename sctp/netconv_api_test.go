// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// These tests cover what issue 13 item 4 added to the API (so, before it, they did not compile).

// The signature a dialer hook (http.Transport.DialContext, grpc.WithContextDialer, ...) expects.
var _ func(context.Context, string, string) (net.Conn, error) = (&Dialer{}).DialContext

// TestDialContextIsANetDialer: Dialer.DialContext fits a func(ctx, network, address) (net.Conn,
// error), gives an *SCTPConn, and a nil interface on error.
func TestDialContextIsANetDialer(t *testing.T) {
	needSCTP(t)
	var dial func(context.Context, string, string) (net.Conn, error) = (&Dialer{}).DialContext
	l := loopbackListener(t)
	c, err := dial(context.Background(), "sctp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := c.(*SCTPConn); !ok {
		t.Fatalf("DialContext gave a %T, want *SCTPConn", c)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c2, err := dial(ctx, "sctp", l.Addr().String())
	if err == nil || c2 != nil {
		t.Fatalf("DialContext with a cancelled context = %#v, %v; want a nil net.Conn and an error", c2, err)
	}
}

// firstIsNotification dials l with d, has the server write one message, and reports whether the
// client's first ReadMsg is a notification (COMM_UP, with association changes subscribed).
func firstIsNotification(t *testing.T, l *Listener, d *Dialer) bool {
	t.Helper()
	c, err := d.Dial("sctp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := l.AcceptSCTP()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Write([]byte("data")); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var info RcvInfo
	n, err := c.ReadMsg(make([]byte, 256), &info)
	if err != nil {
		t.Fatal(err)
	}
	if !info.IsNotification() && n != 4 {
		t.Fatalf("first message: %d bytes, want the 4 of \"data\"", n)
	}
	return info.IsNotification()
}

// TestNoEventsSubscribesToNone: Events: NoEvents subscribes the socket to nothing (the data comes
// first), while Events: 0 still means DefaultEvents (COMM_UP comes first).
func TestNoEventsSubscribesToNone(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	if !firstIsNotification(t, l, &Dialer{}) {
		t.Error("Events 0: the first read was data, want COMM_UP (DefaultEvents)")
	}
	if firstIsNotification(t, l, &Dialer{Events: NoEvents}) {
		t.Error("Events NoEvents: the first read was a notification, want the data")
	}
	if !firstIsNotification(t, l, &Dialer{Events: EventAssocChange}) {
		t.Error("Events EventAssocChange: the first read was data, want COMM_UP")
	}
	// The listener's side too: an accepted association of a NoEvents listener reports nothing.
	ln, err := (&ListenConfig{Events: NoEvents}).Listen(context.Background(), "sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := Dial("sctp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := ln.AcceptSCTP()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c.Write([]byte("data"))
	s.SetReadDeadline(time.Now().Add(10 * time.Second))
	var info RcvInfo
	if _, err := s.ReadMsg(make([]byte, 256), &info); err != nil || info.IsNotification() {
		t.Errorf("accepted side of a NoEvents listener: first read %+v, %v; want the data", info, err)
	}
	// Subscribe takes NoEvents too, as none (it once refused it with EINVAL): an endpoint
	// subscribed so reads a new association's data first, without its COMM_UP.
	e, err := ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Subscribe(NoEvents); err != nil {
		t.Fatalf("Endpoint.Subscribe(NoEvents) = %v", err)
	}
	if err := c.Subscribe(NoEvents); err != nil {
		t.Fatalf("SCTPConn.Subscribe(NoEvents) = %v", err)
	}
	c2, err := Dial("sctp", e.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.Write([]byte("data")); err != nil {
		t.Fatal(err)
	}
	e.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := e.ReadMsgFrom(make([]byte, 256), &info); err != nil || info.IsNotification() || n != 4 {
		t.Errorf("endpoint after Subscribe(NoEvents): first read %d bytes %+v, %v; want the 4 of the data", n, info, err)
	}
}

type ctxKey struct{}

// TestControlContextGetsTheDialContext: ControlContext is called with the dial's context and the
// socket; when both are set Control is not called (as net.Dialer).
func TestControlContextGetsTheDialContext(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	var got any
	controlCalled := false
	d := &Dialer{
		ControlContext: func(ctx context.Context, network, address string, c syscall.RawConn) error {
			got = ctx.Value(ctxKey{})
			var typ int
			var serr error
			if err := c.Control(func(fd uintptr) { typ, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TYPE) }); err != nil {
				return err
			}
			if serr != nil || typ != syscall.SOCK_STREAM {
				t.Errorf("ControlContext's socket: type %d, %v; want SOCK_STREAM", typ, serr)
			}
			return nil
		},
		Control: func(network, address string, c syscall.RawConn) error {
			controlCalled = true
			return nil
		},
	}
	ctx := context.WithValue(context.Background(), ctxKey{}, "mine")
	c, err := d.DialSCTPContext(ctx, "sctp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if got != "mine" || controlCalled {
		t.Fatalf("ControlContext saw %v, Control called %v; want \"mine\", false", got, controlCalled)
	}
	// An error from ControlContext fails the dial, wrapped.
	boom := errors.New("boom")
	d.ControlContext = func(context.Context, string, string, syscall.RawConn) error { return boom }
	if _, err := d.Dial("sctp", l.Addr().String()); !errors.Is(err, boom) {
		t.Fatalf("dial with a failing ControlContext: %v, want boom", err)
	}
}

// TestFileConnListenerEndpoint: File exports a duplicate descriptor and FileConn, FileListener and
// FileEndpoint adopt one (each its own copy: the file may be closed at once), refusing a socket of
// the wrong kind.
func TestFileConnListenerEndpoint(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	lf, err := l.File()
	if err != nil {
		t.Fatal(err)
	}
	l2, err := FileListener(lf)
	lf.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if l2.Addr().String() != l.Addr().String() {
		t.Errorf("adopted listener at %v, want %v", l2.Addr(), l.Addr())
	}
	c, err := Dial("sctp", l2.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := l2.AcceptSCTP()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	cf, err := c.File()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FileListener(cf); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("FileListener(a connection) = %v, want EINVAL", err)
	}
	if _, err := FileEndpoint(cf); !errors.Is(err, syscall.EPROTOTYPE) {
		t.Errorf("FileEndpoint(a connection) = %v, want EPROTOTYPE", err)
	}
	c2, err := FileConn(cf)
	cf.Close()
	if err != nil {
		t.Fatal(err)
	}
	if c2.RemoteAddr().String() != c.RemoteAddr().String() {
		t.Errorf("adopted connection to %v, want %v", c2.RemoteAddr(), c.RemoteAddr())
	}
	// The original closes; the copy still carries the association, deadlines and all.
	c.Close()
	if _, err := c2.Write([]byte("via copy")); err != nil {
		t.Fatal(err)
	}
	s.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 64)
	var info RcvInfo
	for {
		n, err := s.ReadMsg(buf, &info)
		if err != nil {
			t.Fatal(err)
		}
		if !info.IsNotification() {
			if string(buf[:n]) != "via copy" {
				t.Fatalf("read %q", buf[:n])
			}
			break
		}
	}
	c2.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := c2.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Read on the adopted connection with nothing to read: %v, want a deadline error", err)
	}
	c2.Close()

	e, err := NewEndpoint("sctp", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ef, err := e.File()
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	if _, err := FileConn(ef); !errors.Is(err, syscall.EPROTOTYPE) {
		t.Errorf("FileConn(an endpoint) = %v, want EPROTOTYPE", err)
	}
	e2, err := FileEndpoint(ef)
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	if e2.LocalAddr().String() != e.LocalAddr().String() {
		t.Errorf("adopted endpoint at %v, want %v", e2.LocalAddr(), e.LocalAddr())
	}
}

// TestFileConnRefusesOtherSockets needs no SCTP: a UDP socket, a pipe and nil are refused, and the
// caller's file stays open.
func TestFileConnRefusesOtherSockets(t *testing.T) {
	u, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	uf, err := u.File()
	if err != nil {
		t.Fatal(err)
	}
	defer uf.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, f := range []*os.File{uf, r, nil} {
		c, err := FileConn(f)
		var oe *net.OpError
		if c != nil || !errors.As(err, &oe) {
			t.Errorf("FileConn(%v) = %v, %v; want a *net.OpError", f, c, err)
		}
		if _, err := FileListener(f); err == nil {
			t.Errorf("FileListener(%v) succeeded", f)
		}
		if _, err := FileEndpoint(f); err == nil {
			t.Errorf("FileEndpoint(%v) succeeded", f)
		}
	}
	if _, err := uf.Stat(); err != nil {
		t.Errorf("the UDP file after the refusals: %v", err)
	}
	if !errors.Is(func() error { _, err := FileConn(uf); return err }(), syscall.EPROTONOSUPPORT) {
		t.Error("FileConn(udp) does not say EPROTONOSUPPORT")
	}
}
