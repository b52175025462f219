// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/sctpio/sctpio/compat/ishidawataru/sctp"
)

const diameterPPID = 46

// TestDiameterServerLoop is the shape of a Diameter server on ishidawataru/sctp: listen
// multi-homed, accept, subscribe to data-io events, set NODELAY and the SACK timer, read with
// SCTPRead and answer on the stream the request came on. The client dials one of the server's
// addresses with DialSCTPExt and an InitMsg.
func TestDiameterServerLoop(t *testing.T) {
	needSCTP(t)
	init := sctp.InitMsg{NumOstreams: 16, MaxInstreams: 16}
	ln, err := sctp.ListenSCTPExt("sctp", loopback(0, 1, 2), init)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	la := ln.Addr().(*sctp.SCTPAddr)
	if len(la.IPAddrs) != 2 {
		t.Fatalf("listener addresses %v, want 127.0.0.1 and 127.0.0.2", la)
	}

	served := make(chan error, 1)
	go func() {
		served <- func() error {
			c, err := ln.AcceptSCTP()
			if err != nil {
				return err
			}
			defer c.Close()
			if err := c.SubscribeEvents(sctp.SCTP_EVENT_DATA_IO); err != nil {
				return err
			}
			if _, err := c.SubscribedEvents(); err != nil {
				return err
			}
			if err := c.SetSackTimer(&sctp.SackTimer{SackDelay: 40, SackFrequency: 2}); err != nil {
				return err
			}
			buf := make([]byte, 4096)
			for {
				n, info, err := c.SCTPRead(buf)
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
				if info == nil {
					return errors.New("a message without SndRcvInfo after SCTP_EVENT_DATA_IO")
				}
				answer := append([]byte("answer:"), buf[:n]...)
				if _, err := c.SCTPWrite(answer, &sctp.SndRcvInfo{Stream: info.Stream, PPID: diameterPPID}); err != nil {
					return err
				}
			}
		}()
	}()

	cli, err := sctp.DialSCTPExt("sctp", nil, loopback(la.Port, 2), init)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	if err := cli.SubscribeEvents(sctp.SCTP_EVENT_DATA_IO); err != nil {
		t.Fatal(err)
	}
	setInt(t, cli, sctp.SCTP_NODELAY, 1)
	if v := getInt(t, cli, sctp.SCTP_NODELAY); v != 1 {
		t.Errorf("SCTP_NODELAY reads %d after setting 1", v)
	}
	st, err := cli.GetStatus()
	if err != nil {
		t.Fatal(err)
	}
	if st.State != sctp.SCTP_ESTABLISHED || st.Ostreams != 16 || st.Instreams != 16 {
		t.Errorf("GetStatus: state %d, streams out %d in %d; want SCTP_ESTABLISHED (%d), 16, 16",
			st.State, st.Ostreams, st.Instreams, sctp.SCTP_ESTABLISHED)
	}
	if st.PrimaryPeerAddr.State != sctp.SCTP_ACTIVE || binary.BigEndian.Uint16(st.PrimaryPeerAddr.Address[2:]) != uint16(la.Port) {
		t.Errorf("primary path: state %d, port %d", st.PrimaryPeerAddr.State, binary.BigEndian.Uint16(st.PrimaryPeerAddr.Address[2:]))
	}
	if p, err := cli.SCTPGetPrimaryPeerAddr(); err != nil || p.Port != la.Port || !p.IPAddrs[0].IP.Equal(net.IPv4(127, 0, 0, 2)) {
		t.Errorf("SCTPGetPrimaryPeerAddr = %v, %v", p, err)
	}
	if ra := cli.RemoteAddr().(*sctp.SCTPAddr); ra.Port != la.Port || len(ra.IPAddrs) != 2 {
		t.Errorf("RemoteAddr = %v, want both server addresses", ra)
	}

	const n = 40
	buf := make([]byte, 4096)
	for i := 0; i < n; i++ {
		req := fmt.Sprintf("request %d", i)
		stream := uint16(i % 16)
		if _, err := cli.SCTPWrite([]byte(req), &sctp.SndRcvInfo{Stream: stream, PPID: diameterPPID}); err != nil {
			t.Fatal(err)
		}
		m, info, err := cli.SCTPRead(buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(buf[:m]); got != "answer:"+req || info == nil || info.Stream != stream || info.PPID != diameterPPID {
			t.Fatalf("answer %d: %q on %+v; want %q on stream %d PPID %d", i, got, info, "answer:"+req, stream, diameterPPID)
		}
	}
	if err := cli.Close(); err != nil {
		t.Fatal(err)
	}
	if err := cli.Close(); err != syscall.EBADF {
		t.Errorf("second Close = %v, want EBADF (compared with ==)", err)
	}
	if err := <-served; err != nil {
		t.Fatalf("server: %v", err)
	}
}

// TestDialDefaults: DialSCTP and ListenSCTP ask for SCTP_MAX_STREAM outbound streams, a quirk
// callers rely on.
func TestDialDefaults(t *testing.T) {
	needSCTP(t)
	ln, err := sctp.ListenSCTP("sctp", loopback(0, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	acc := accepted(t, ln)
	cli, err := sctp.DialSCTP("sctp", loopback(0, 1), loopback(portOf(t, ln.Addr()), 1))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	srv := <-acc
	if srv == nil {
		t.FailNow()
	}
	defer srv.Close()
	for name, c := range map[string]*sctp.SCTPConn{"client": cli, "server": srv} {
		st, err := c.GetStatus()
		if err != nil || st.Ostreams != sctp.SCTP_MAX_STREAM || st.Instreams != sctp.SCTP_MAX_STREAM {
			t.Errorf("%s: GetStatus = %+v, %v; want %d streams each way", name, st, err, sctp.SCTP_MAX_STREAM)
		}
	}
	if la, err := cli.SCTPLocalAddr(0); err != nil || la.Port == 0 || !la.IPAddrs[0].IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("SCTPLocalAddr = %v, %v", la, err)
	}
	if ra, err := srv.SCTPRemoteAddr(0); err != nil || ra.Port != portOf(t, cli.LocalAddr()) {
		t.Errorf("server SCTPRemoteAddr = %v, %v; client LocalAddr %v", ra, err, cli.LocalAddr())
	}
	if _, err := cli.PeelOff(1); err != syscall.EINVAL {
		t.Errorf("PeelOff on a one-to-one connection = %v, want EINVAL", err)
	}
	if _, err := sctp.DialSCTP("sctp", nil, loopback(portOf(t, ln.Addr())+1, 1)); err != syscall.ECONNREFUSED {
		t.Errorf("DialSCTP to a closed port = %v, want ECONNREFUSED (bare)", err)
	}
}

// TestEventHandler: the handler of a SocketConfig sees each notification from SCTPRead, on the
// reading goroutine; its error ends the read; without a handler a notification reads as data.
func TestEventHandler(t *testing.T) {
	needSCTP(t)
	var notes []sctp.NotificationHeader
	cfg := sctp.SocketConfig{InitMsg: sctp.InitMsg{NumOstreams: 4, MaxInstreams: 4},
		NotificationHandler: func(b []byte) error {
			notes = append(notes, header(b))
			return nil
		}}
	ln, err := sctp.ListenSCTP("sctp", loopback(0, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	acc := accepted(t, ln)
	var controlled string
	cfg.Control = func(network, address string, c syscall.RawConn) error {
		controlled = network
		return c.Control(func(fd uintptr) {})
	}
	cli, err := cfg.Dial("sctp", nil, loopback(portOf(t, ln.Addr()), 1))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	if controlled != "sctp" {
		t.Errorf("Control called with network %q", controlled)
	}
	srv := <-acc
	if srv == nil {
		t.FailNow()
	}
	events := sctp.SCTP_EVENT_DATA_IO | sctp.SCTP_EVENT_ASSOCIATION | sctp.SCTP_EVENT_SHUTDOWN
	if err := cli.SubscribeEvents(events); err != nil {
		t.Fatal(err)
	}
	if got, err := cli.SubscribedEvents(); err != nil || got != events {
		t.Errorf("SubscribedEvents = %#x, %v; want %#x", got, err, events)
	}
	if _, err := srv.SCTPWrite([]byte("bye"), &sctp.SndRcvInfo{Stream: 3, PPID: 60}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1024)
	n, info, err := cli.SCTPRead(buf)
	if err != nil || string(buf[:n]) != "bye" || info == nil || info.Stream != 3 || info.PPID != 60 {
		t.Fatalf("SCTPRead = %q, %+v, %v", buf[:n], info, err)
	}
	if _, _, err := cli.SCTPRead(buf); err != io.EOF {
		t.Fatalf("SCTPRead after the peer's shutdown = %v, want io.EOF", err)
	}
	sawShutdown := false
	for _, h := range notes {
		if h.Type == uint16(sctp.SCTP_SHUTDOWN_EVENT) {
			sawShutdown = true
		}
		if h.Length < 8 {
			t.Errorf("notification %#x of %d bytes", h.Type, h.Length)
		}
	}
	if !sawShutdown {
		t.Errorf("notifications %+v: no SCTP_SHUTDOWN_EVENT", notes)
	}

	// A handler's error ends the read; without a handler, the notification is data.
	stop := errors.New("stop")
	for _, h := range []sctp.NotificationHandler{func([]byte) error { return stop }, nil} {
		cli2, srv2 := pair(t, sctp.InitMsg{})
		c := sctp.NewSCTPConn(-1, h) // never a connection: its calls fail
		if _, _, err := c.SCTPRead(buf); err == nil {
			t.Error("SCTPRead on NewSCTPConn(-1) gave no error")
		}
		rc, _ := cli2.SyscallConn()
		var fd2 int
		rc.Control(func(fd uintptr) { fd2 = int(fd) })
		nfd, _ := syscall.Dup(fd2)
		c = sctp.NewSCTPConn(nfd, h)
		if err := c.SubscribeEvents(sctp.SCTP_EVENT_SHUTDOWN); err != nil {
			t.Fatal(err)
		}
		srv2.Close()
		n, info, err := c.SCTPRead(buf)
		switch {
		case h != nil && err != stop:
			t.Errorf("SCTPRead with a failing handler = %d, %v; want the handler's error", n, err)
		case h == nil && (err != nil || info != nil || header(buf[:n]).Type != uint16(sctp.SCTP_SHUTDOWN_EVENT)):
			t.Errorf("SCTPRead without a handler = %d bytes (type %#x), %+v, %v; want the SHUTDOWN_EVENT as data",
				n, header(buf[:n]).Type, info, err)
		}
		c.Close()
	}
}

// TestPeelOff: a one-to-many socket opened by hand and adopted with NewSCTPConn reads every
// association; PeelOff branches one off, which keeps the data-io subscription.
func TestPeelOff(t *testing.T) {
	needSCTP(t)
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_SEQPACKET|syscall.SOCK_CLOEXEC, syscall.IPPROTO_SCTP)
	if err != nil {
		t.Fatal(err)
	}
	if err := sctp.SCTPBind(fd, loopback(0, 1), sctp.SCTP_BINDX_ADD_ADDR); err != nil {
		t.Fatal(err)
	}
	if err := sctp.SCTPBind(fd, loopback(0, 1), 7); err != syscall.EINVAL {
		t.Errorf("SCTPBind with flags 7 = %v, want EINVAL", err)
	}
	if err := syscall.Listen(fd, 8); err != nil {
		t.Fatal(err)
	}
	sa, _ := syscall.Getsockname(fd)
	port := sa.(*syscall.SockaddrInet4).Port
	ep := sctp.NewSCTPConn(fd, nil)
	defer ep.Close()
	if err := ep.SubscribeEvents(sctp.SCTP_EVENT_DATA_IO); err != nil {
		t.Fatal(err)
	}

	cli, err := sctp.DialSCTP("sctp", nil, loopback(port, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	cli.SubscribeEvents(sctp.SCTP_EVENT_DATA_IO)
	if _, err := cli.SCTPWrite([]byte("hello"), &sctp.SndRcvInfo{Stream: 3, PPID: 7}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 512)
	n, info, err := ep.SCTPRead(buf)
	if err != nil || string(buf[:n]) != "hello" || info == nil || info.Stream != 3 || info.PPID != 7 || info.AssocID == 0 {
		t.Fatalf("one-to-many SCTPRead = %q, %+v, %v", buf[:n], info, err)
	}
	// The one-to-many socket answers the association it names.
	if _, err := ep.SCTPWrite([]byte("from the endpoint"), &sctp.SndRcvInfo{Stream: 2, PPID: 8, AssocID: info.AssocID}); err != nil {
		t.Fatal(err)
	}
	if n, info, err := cli.SCTPRead(buf); err != nil || string(buf[:n]) != "from the endpoint" || info.Stream != 2 || info.PPID != 8 {
		t.Fatalf("client read %q, %+v, %v", buf[:n], info, err)
	}

	peeled, err := ep.PeelOff(int(info.AssocID))
	if err != nil {
		t.Fatal(err)
	}
	defer peeled.Close()
	if _, err := peeled.SCTPWrite([]byte("reply"), &sctp.SndRcvInfo{Stream: 1, PPID: 9}); err != nil {
		t.Fatal(err)
	}
	if n, info, err := cli.SCTPRead(buf); err != nil || string(buf[:n]) != "reply" || info.Stream != 1 || info.PPID != 9 {
		t.Fatalf("client read %q, %+v, %v", buf[:n], info, err)
	}
	if _, err := cli.Write([]byte("again")); err != nil {
		t.Fatal(err)
	}
	if n, info, err := peeled.SCTPRead(buf); err != nil || string(buf[:n]) != "again" || info == nil || info.Stream != 0 {
		t.Fatalf("peeled SCTPRead = %q, %+v, %v (data-io inherited)", buf[:n], info, err)
	}
	if la, err := peeled.SCTPLocalAddr(0); err != nil || la.Port != port {
		t.Errorf("peeled SCTPLocalAddr = %v, %v", la, err)
	}
	if _, err := ep.PeelOff(int(info.AssocID) + 1000); err == nil {
		t.Error("PeelOff of an unknown association gave no error")
	}
}

// TestRawBindConnect: a socket opened, bound and connected by hand with SCTPBind and
// SCTPConnect, then adopted; NewSCTPConn keeps the descriptor open until Close.
func TestRawBindConnect(t *testing.T) {
	needSCTP(t)
	ln, err := sctp.ListenSCTP("sctp4", loopback(0, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	acc := accepted(t, ln)
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, syscall.IPPROTO_SCTP)
	if err != nil {
		t.Fatal(err)
	}
	if err := sctp.SCTPBind(fd, loopback(0, 1, 2), sctp.SCTP_BINDX_ADD_ADDR); err != nil {
		t.Fatal(err)
	}
	if err := sctp.SCTPBind(fd, loopback(0, 2), sctp.SCTP_BINDX_REM_ADDR); err != nil {
		t.Fatal(err)
	}
	if _, err := sctp.SCTPConnect(fd, loopback(portOf(t, ln.Addr()), 1)); err != nil {
		t.Fatal(err)
	}
	c := sctp.NewSCTPConn(fd, nil)
	srv := <-acc
	if srv == nil {
		t.FailNow()
	}
	defer srv.Close()
	if _, err := c.Write([]byte("raw")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if n, err := srv.Read(buf); err != nil || string(buf[:n]) != "raw" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if la, err := c.SCTPLocalAddr(0); err != nil || len(la.IPAddrs) != 1 {
		t.Errorf("local addresses after BINDX_REM: %v, %v", la, err)
	}
	if _, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TYPE); err != nil {
		t.Errorf("the adopted descriptor is not open: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TYPE); err != syscall.EBADF {
		t.Errorf("after Close the descriptor answers %v, want EBADF", err)
	}
	if _, err := srv.Read(buf); err != io.EOF {
		t.Errorf("server Read after the client's Close = %v, want io.EOF", err)
	}
}

// TestDefaultSentParam: SetDefaultSentParam takes the PPID in host byte order, as SCTPWrite does.
func TestDefaultSentParam(t *testing.T) {
	needSCTP(t)
	cli, srv := pair(t, sctp.InitMsg{NumOstreams: 8, MaxInstreams: 8})
	if err := cli.SetDefaultSentParam(&sctp.SndRcvInfo{Stream: 2, PPID: 60}); err != nil {
		t.Fatal(err)
	}
	if got, err := cli.GetDefaultSentParam(); err != nil || got.Stream != 2 || got.PPID != 60 {
		t.Errorf("GetDefaultSentParam = %+v, %v", got, err)
	}
	srv.SubscribeEvents(sctp.SCTP_EVENT_DATA_IO)
	if _, err := cli.Write([]byte("ngap")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if n, info, err := srv.SCTPRead(buf); err != nil || string(buf[:n]) != "ngap" || info.Stream != 2 || info.PPID != 60 {
		t.Errorf("SCTPRead = %q, %+v, %v; want stream 2, PPID 60", buf[:n], info, err)
	}
	if err := cli.SetInitMsg(4, 4, 2, 1000); err != nil {
		t.Errorf("SetInitMsg: %v", err)
	}
	if tm, err := cli.GetSackTimer(); err != nil || tm.SackDelay == 0 {
		t.Errorf("GetSackTimer = %+v, %v", tm, err)
	}
	if err := cli.SetSackTimer(&sctp.SackTimer{SackDelay: 100, SackFrequency: 3}); err != nil {
		t.Fatal(err)
	}
	if tm, err := cli.GetSackTimer(); err != nil || tm.SackDelay != 100 || tm.SackFrequency != 3 {
		t.Errorf("GetSackTimer = %+v, %v; want 100 ms, 3", tm, err)
	}
	for _, f := range []func(int) error{cli.SetReadBuffer, cli.SetWriteBuffer} {
		if err := f(65536); err != nil {
			t.Fatal(err)
		}
	}
	if r, err := cli.GetReadBuffer(); err != nil || r != 131072 {
		t.Errorf("GetReadBuffer = %d, %v", r, err)
	}
	if w, err := cli.GetWriteBuffer(); err != nil || w != 131072 {
		t.Errorf("GetWriteBuffer = %d, %v", w, err)
	}
}

// TestDeadlinesAndClose: deadlines work (ishidawataru/sctp returned EOPNOTSUPP), Close unblocks
// reads and Accept, and SyscallConn's Read and Write work (they panicked).
func TestDeadlinesAndClose(t *testing.T) {
	needSCTP(t)
	cli, srv := pair(t, sctp.InitMsg{})
	if err := srv.SetReadDeadline(time.Now().Add(30 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	_, _, err := srv.SCTPRead(buf)
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("SCTPRead past its deadline = %v, want a timeout", err)
	}
	srv.SetDeadline(time.Time{})
	if err := cli.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	rc, err := srv.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	var woke bool
	if err := rc.Read(func(uintptr) bool { woke = true; return true }); err != nil || !woke {
		t.Errorf("RawConn.Read = %v", err)
	}
	if err := rc.Write(func(uintptr) bool { return true }); err != nil {
		t.Errorf("RawConn.Write = %v", err)
	}

	// A read pending (or starting) when Close comes returns EBADF.
	done := make(chan error, 1)
	go func() {
		_, _, err := cli.SCTPRead(buf)
		done <- err
	}()
	cli.Close()
	if err := <-done; err != syscall.EBADF {
		t.Errorf("SCTPRead across Close = %v, want EBADF", err)
	}
	if _, err := cli.SyscallConn(); err != syscall.EINVAL {
		t.Errorf("SyscallConn after Close = %v, want EINVAL", err)
	}
	if err := cli.SetDeadline(time.Now()); err != syscall.EBADF {
		t.Errorf("SetDeadline after Close = %v", err)
	}

	ln, err := sctp.ListenSCTP("sctp", loopback(0, 1))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != syscall.EBADF {
			t.Errorf("Accept across Close = %v, want EBADF", err)
		}
		got <- c
	}()
	if _, err := ln.SyscallConn(); err != nil {
		t.Error(err)
	}
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	c := <-got
	if c == nil {
		t.Fatal("Accept returned a nil net.Conn with its error (callers close it)")
	}
	if err := c.Close(); err != syscall.EBADF {
		t.Errorf("Close of the failed Accept's conn = %v, want EBADF", err)
	}
	if err := ln.Close(); err != syscall.EBADF {
		t.Errorf("second listener Close = %v", err)
	}
}

// TestWrappedConn: the SndRcvInfo-framed connection carries the header both ways.
func TestWrappedConn(t *testing.T) {
	needSCTP(t)
	cli, srv := pair(t, sctp.InitMsg{NumOstreams: 8, MaxInstreams: 8})
	wc, ws := sctp.NewSCTPSndRcvInfoWrappedConn(cli), sctp.NewSCTPSndRcvInfoWrappedConn(srv)
	msg := make([]byte, 32+5)
	binary.NativeEndian.PutUint16(msg[0:], 5)   // stream
	binary.NativeEndian.PutUint32(msg[8:], 777) // PPID, host order
	copy(msg[32:], "frame")
	if n, err := wc.Write(msg); err != nil || n != len(msg) {
		t.Fatalf("Write = %d, %v", n, err)
	}
	buf := make([]byte, 128)
	n, err := ws.Read(buf)
	if err != nil || n != 37 || string(buf[32:n]) != "frame" || binary.NativeEndian.Uint16(buf[0:]) != 5 ||
		binary.NativeEndian.Uint32(buf[8:]) != 777 {
		t.Fatalf("Read = %d %q (stream %d, PPID %d), %v", n, buf[32:n], binary.NativeEndian.Uint16(buf), binary.NativeEndian.Uint32(buf[8:]), err)
	}
	if _, err := ws.Read(buf[:8]); err != syscall.EINVAL {
		t.Errorf("Read into 8 bytes = %v, want EINVAL", err)
	}
	if ws.LocalAddr() == nil || ws.RemoteAddr() == nil || ws.SetDeadline(time.Time{}) != nil ||
		ws.SetReadDeadline(time.Time{}) != nil || ws.SetWriteDeadline(time.Time{}) != nil {
		t.Error("the wrapped connection's net.Conn methods fail")
	}
	if err := ws.SetReadBuffer(65536); err != nil {
		t.Error(err)
	}
	if n, err := ws.GetReadBuffer(); err != nil || n == 0 {
		t.Error(n, err)
	}
	if err := ws.SetWriteBuffer(65536); err != nil {
		t.Error(err)
	}
	if n, err := ws.GetWriteBuffer(); err != nil || n == 0 {
		t.Error(n, err)
	}
	if err := wc.Close(); err != nil {
		t.Error(err)
	}
}

// TestFileListener adopts a listening socket opened by hand.
func TestFileListener(t *testing.T) {
	needSCTP(t)
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, syscall.IPPROTO_SCTP)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 4); err != nil {
		t.Fatal(err)
	}
	f := os.NewFile(uintptr(fd), "listener")
	ln, err := sctp.FileListener(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	acc := accepted(t, ln)
	cli, err := sctp.DialSCTP("sctp", nil, loopback(portOf(t, ln.Addr()), 1))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	srv := <-acc
	if srv == nil {
		t.FailNow()
	}
	defer srv.Close()
	cli.Write([]byte("via file"))
	buf := make([]byte, 64)
	if n, err := srv.Read(buf); err != nil || string(buf[:n]) != "via file" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if _, err := sctp.FileListener(os.Stdin); err == nil {
		t.Error("FileListener(stdin) gave no error")
	}
}

// TestReadAllocations: Read allocates nothing per message; SCTPRead with data-io only the
// SndRcvInfo it returns (ishidawataru/sctp: two per read).
func TestReadAllocations(t *testing.T) {
	needSCTP(t)
	cli, srv := pair(t, sctp.InitMsg{})
	const runs = 50
	msg := []byte("0123456789")
	for i := 0; i < 2*(runs+1); i++ {
		if _, err := cli.Write(msg); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 64)
	if a := testing.AllocsPerRun(runs, func() {
		if n, err := srv.Read(buf); err != nil || n != len(msg) {
			t.Fatalf("Read = %d, %v", n, err)
		}
	}); a != 0 {
		t.Errorf("Read: %.1f allocations per message, want 0", a)
	}
	srv.SubscribeEvents(sctp.SCTP_EVENT_DATA_IO)
	if a := testing.AllocsPerRun(runs, func() {
		if n, info, err := srv.SCTPRead(buf); err != nil || n != len(msg) || info == nil {
			t.Fatalf("SCTPRead = %d, %v, %v", n, info, err)
		}
	}); a > 1 {
		t.Errorf("SCTPRead: %.1f allocations per message, want at most 1", a)
	}
}
