// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"syscall"
	"testing"
	"time"
)

// needSCTP skips the test where the kernel cannot open SCTP sockets (run it through scripts/sctp-run).
func needSCTP(t testing.TB) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_SEQPACKET, syscall.IPPROTO_SCTP)
	if err != nil {
		t.Skipf("kernel SCTP unavailable (%v): run the tests through scripts/sctp-run", err)
	}
	syscall.Close(fd)
}

func loopbackListener(t *testing.T) *Listener {
	t.Helper()
	l, err := Listen("sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestOneToManyStreamAndPPID(t *testing.T) {
	needSCTP(t)
	srv, err := ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cli, err := NewEndpoint("sctp4", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	sa := srv.LocalAddr().(*Addr)
	to := netip.AddrPortFrom(sa.IPs[0], uint16(sa.Port))
	if _, err := cli.WriteMsgTo([]byte("hello, sctp"), &SndInfo{Stream: 3, PPID: 42}, to); err != nil {
		t.Fatal(err)
	}
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 256)
	var info RcvInfo
	var n int
	for {
		n, err = srv.ReadMsgFrom(buf, &info)
		if err != nil {
			t.Fatal(err)
		}
		if !info.IsNotification() {
			break
		}
	}
	if got := string(buf[:n]); got != "hello, sctp" {
		t.Fatalf("payload %q", got)
	}
	if info.Stream != 3 || info.PPID != 42 || info.More() || info.AssocID == 0 {
		t.Fatalf("info %+v: want stream 3, PPID 42, complete, an association id", info)
	}
	if info.From.Addr() != netip.MustParseAddr("127.0.0.1") {
		t.Fatalf("from %v", info.From)
	}
	// The reply goes back on the association it came from.
	if _, err := srv.WriteMsgTo([]byte("pong"), &SndInfo{Stream: 1, PPID: 0x01020304, AssocID: info.AssocID}, netip.AddrPort{}); err != nil {
		t.Fatal(err)
	}
	cli.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		n, err = cli.ReadMsgFrom(buf, &info)
		if err != nil {
			t.Fatal(err)
		}
		if !info.IsNotification() {
			break
		}
	}
	if string(buf[:n]) != "pong" || info.Stream != 1 || info.PPID != 0x01020304 {
		t.Fatalf("reply %q %+v", buf[:n], info)
	}
}

func TestDialAcceptEchoKeepsBoundaries(t *testing.T) {
	needSCTP(t)
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		l, err := Listen("sctp", addr)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			c, err := l.Accept()
			if err != nil {
				done <- err
				return
			}
			defer c.Close()
			sc := c.(*SCTPConn)
			buf := make([]byte, 64)
			var info RcvInfo
			for {
				n, err := sc.ReadMsg(buf, &info)
				if err == io.EOF {
					done <- nil
					return
				}
				if err != nil {
					done <- err
					return
				}
				if info.IsNotification() {
					continue
				}
				if _, err := sc.WriteMsg(buf[:n], &SndInfo{Stream: info.Stream, PPID: info.PPID + 1}); err != nil {
					done <- err
					return
				}
			}
		}()
		c, err := Dial("sctp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		msgs := [][]byte{[]byte("first"), []byte("second message"), []byte("3")}
		for i, m := range msgs {
			if _, err := c.WriteMsg(m, &SndInfo{Stream: uint16(i), PPID: 100}); err != nil {
				t.Fatal(err)
			}
		}
		buf := make([]byte, 64)
		var info RcvInfo
		for i, m := range msgs {
			n, err := c.ReadMsg(buf, &info)
			for err == nil && info.IsNotification() {
				n, err = c.ReadMsg(buf, &info)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf[:n], m) || info.Stream != uint16(i) || info.PPID != 101 {
				t.Fatalf("echo %d over %s: %q %+v", i, addr, buf[:n], info)
			}
		}
		if err := c.CloseWrite(); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		c.Close()
		l.Close()
	}
}

func TestReadDeadlineExpires(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	c, err := Dial("sctp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err = c.Read(make([]byte, 10))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("err = %v, want os.ErrDeadlineExceeded", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v is not a timeout net.Error", err)
	}
}

func TestCloseUnblocksReadAndAccept(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	c, err := Dial("sctp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	readErr := make(chan error, 1)
	go func() { _, err := c.Read(make([]byte, 10)); readErr <- err }()
	acceptErr := make(chan error, 1)
	l2 := loopbackListener(t)
	go func() { _, err := l2.Accept(); acceptErr <- err }()

	c.Close()
	l2.Close()
	for name, ch := range map[string]chan error{"Read": readErr, "Accept": acceptErr} {
		select {
		case err := <-ch:
			if !errors.Is(err, net.ErrClosed) {
				t.Fatalf("%s after Close: %v, want net.ErrClosed", name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s still blocked 10 s after Close", name)
		}
	}
	if _, err := c.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Write after Close: %v", err)
	}
}

func TestDialErrorsWrapErrno(t *testing.T) {
	needSCTP(t)
	// Nothing listens on this port: the INIT is answered with an ABORT.
	l := loopbackListener(t)
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := (&Dialer{}).DialContext(ctx, "sctp", addr)
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "dial" {
		t.Fatalf("err = %#v, want *net.OpError from dial", err)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v, want ECONNREFUSED", err)
	}
	if _, err := Dial("tcp", addr); err == nil {
		t.Fatal("Dial accepted network tcp")
	}
	if _, err := ResolveAddr("sctp", "127.0.0.1"); err == nil {
		t.Fatal("ResolveAddr accepted an address without a port")
	}
}

func TestResolveMultiHomedAddr(t *testing.T) {
	a, err := ResolveAddr("sctp", "127.0.0.1/[::1]:5000")
	if err != nil {
		t.Fatal(err)
	}
	if a.Port != 5000 || len(a.IPs) != 2 || a.IPs[1] != netip.IPv6Loopback() {
		t.Fatalf("%+v", a)
	}
	if a.String() != "127.0.0.1/[::1]:5000" {
		t.Fatalf("String() = %q", a.String())
	}
}

// After the peer aborts, a Read must end with ECONNRESET even when a Write has already taken the
// socket's one-shot error: it once skipped the COMM_LOST notification and blocked forever.
func TestReadAfterPeerAbortEndsEvenWhenWriteTookTheError(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	c, err := Dial("sctp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	srv, err := l.AcceptSCTP()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Abort(); err != nil {
		t.Fatal(err)
	}
	// Write until the abort shows; that takes the socket's pending error.
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, err := c.Write([]byte("x")); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatal("writes kept succeeding 10 s after the peer aborted")
			}
			break
		}
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = c.Read(make([]byte, 256))
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("Read blocked until its deadline after the peer aborted")
	}
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("Read after the peer aborted: %v, want ECONNRESET", err)
	}
}

// A connection subscribed to no events has no COMM_LOST to read: once a Write has taken the
// socket's one-shot error after the peer's abort, Read, ReadMsg and ReadBatch must still end with
// ECONNRESET, on every call: a read made afterwards, a read already parked when the abort came,
// and the wait of a Receiver the connection is added to afterwards. The kernel wakes no reader of a closed one-to-one socket, so each of them
// once blocked until its deadline (the Receiver for good).
func TestReadWithoutEventsEndsWhenWriteTookTheAbortsError(t *testing.T) {
	needSCTP(t)
	reads := []struct {
		name string
		read func(c *SCTPConn) error
	}{
		{"Read", func(c *SCTPConn) error { _, err := c.Read(make([]byte, 256)); return err }},
		{"ReadMsg", func(c *SCTPConn) error {
			var info RcvInfo
			_, err := c.ReadMsg(make([]byte, 256), &info)
			return err
		}},
		{"ReadBatch", func(c *SCTPConn) error {
			b, err := NewBatch(4, 256)
			if err != nil {
				return err
			}
			defer b.Close()
			_, err = c.ReadBatch(b)
			return err
		}},
	}
	// abortAndWrite has the peer abort and c write until a Write fails, which must be with
	// ECONNRESET (the socket's pending error, taken by that Write) or, where a parked read races
	// the Write for that error (raced), with EPIPE when the read took it.
	abortAndWrite := func(t *testing.T, c, srv *SCTPConn, raced bool) {
		t.Helper()
		if err := srv.Abort(); err != nil {
			t.Fatal(err)
		}
		c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		var werr error
		for werr == nil {
			_, werr = c.Write([]byte("x"))
		}
		if !errors.Is(werr, syscall.ECONNRESET) && !(raced && errors.Is(werr, syscall.EPIPE)) {
			t.Fatalf("the Write that saw the abort: %v, want ECONNRESET", werr)
		}
	}
	pair := func(t *testing.T) (c, srv *SCTPConn) {
		l := loopbackListener(t)
		c, err := (&Dialer{Events: NoEvents}).Dial("sctp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if srv, err = l.AcceptSCTP(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		return c, srv
	}
	wantReset := func(t *testing.T, what string, err error) {
		t.Helper()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("%s blocked until its deadline after the peer aborted", what)
		}
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("%s after the peer aborted: %v, want ECONNRESET", what, err)
		}
	}
	for _, r := range reads {
		t.Run(r.name+"/after", func(t *testing.T) {
			c, srv := pair(t)
			abortAndWrite(t, c, srv, false)
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			wantReset(t, r.name, r.read(c))
			wantReset(t, "the next "+r.name, r.read(c))
		})
		t.Run(r.name+"/parked", func(t *testing.T) {
			c, srv := pair(t)
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			done := make(chan error, 1)
			go func() { done <- r.read(c) }()
			abortAndWrite(t, c, srv, true)
			wantReset(t, r.name, <-done)
			wantReset(t, "the next "+r.name, r.read(c))
		})
	}
	// The kernel's one-shot error can also be lost to the program: a sendmmsg that sent messages
	// before the one that took it returns their count and drops it, and the next write gets EPIPE.
	// Reading SO_ERROR takes the error the same way; then Write's or WriteBatch's EPIPE must end the
	// reads (with io.EOF: nothing says how the association ended).
	for _, w := range []struct {
		name  string
		write func(c *SCTPConn) error
	}{
		{"Write", func(c *SCTPConn) error { _, err := c.Write([]byte("x")); return err }},
		{"WriteBatch", func(c *SCTPConn) error {
			b, err := NewBatch(4, 64)
			if err != nil {
				return err
			}
			defer b.Close()
			for i := 0; i < 4; i++ {
				if err := b.Queue([]byte("x"), nil); err != nil {
					return err
				}
			}
			_, err = c.WriteBatch(b)
			return err
		}},
	} {
		t.Run("ErrorTakenElsewhere/"+w.name, func(t *testing.T) {
			c, srv := pair(t)
			if err := srv.Abort(); err != nil {
				t.Fatal(err)
			}
			raw, err := c.SyscallConn()
			if err != nil {
				t.Fatal(err)
			}
			var soerr int
			for end := time.Now().Add(10 * time.Second); soerr == 0; time.Sleep(time.Millisecond) {
				if time.Now().After(end) {
					t.Fatal("SO_ERROR still 0 10 s after the peer aborted")
				}
				raw.Control(func(fd uintptr) { soerr, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_ERROR) })
			}
			if syscall.Errno(soerr) != syscall.ECONNRESET {
				t.Fatalf("SO_ERROR after the peer aborted: %v, want ECONNRESET", syscall.Errno(soerr))
			}
			if err := w.write(c); !errors.Is(err, syscall.EPIPE) {
				t.Fatalf("%s after the error was taken: %v, want EPIPE", w.name, err)
			}
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			for i := 0; i < 2; i++ {
				_, err := c.Read(make([]byte, 256))
				if errors.Is(err, os.ErrDeadlineExceeded) {
					t.Fatalf("Read %d blocked until its deadline after %s's EPIPE", i+1, w.name)
				}
				if err != io.EOF {
					t.Fatalf("Read %d after %s's EPIPE: %v, want io.EOF", i+1, w.name, err)
				}
			}
		})
	}
	t.Run("Receiver", func(t *testing.T) {
		c, srv := pair(t)
		ended := make(chan error, 1)
		r, err := NewReceiver(1, func(Source, *Batch) error { return nil },
			WithErrorHandler(func(_ Source, err error) { ended <- err }))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		abortAndWrite(t, c, srv, false)
		if err := r.Add(c); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-ended:
			wantReset(t, "the Receiver's read", err)
		case <-time.After(30 * time.Second):
			t.Fatal("the Receiver's registration had not ended 30 s after the abort")
		}
	})
}
