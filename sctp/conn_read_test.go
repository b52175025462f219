// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Tests of what writing protocol clients on the package asked for: whole messages with a limit,
// notifications apart from data in order, the association a WriteMsgTo set up, typed addresses,
// buffer sizes and reuse options in the dial and listen configurations.

// pattern returns n bytes that differ at every offset modulo 251, so that a piece out of place shows.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i%251) ^ seed
	}
	return b
}

// TestReadMessageJoinsPiecesAndKeepsTheRestPastTheLimit reads messages far larger than a piece
// whole, then one past the limit: its first limit bytes come with ErrMessageTooLong (EMSGSIZE) and
// More, the rest stays, and a second call with a larger limit finishes the same message, after
// which the next message reads as it was sent.
func TestReadMessageJoinsPiecesAndKeepsTheRestPastTheLimit(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	defer cli.Close()
	defer srv.Close()
	srv.SetReadDeadline(time.Now().Add(30 * time.Second))

	var info RcvInfo
	msg, err := srv.ReadMessage(nil, 1<<10, &info) // the association's COMM_UP, a message too
	if err != nil || !info.IsNotification() {
		t.Fatalf("first message: %d bytes, %+v, %v; want the COMM_UP notification", len(msg), info, err)
	}
	if n, err := ParseNotification(msg); err != nil || n.(*AssocChange).State != CommUp {
		t.Fatalf("first message parses as %v, %v; want COMM_UP", n, err)
	}

	forceSndBuf(t, cli, 4<<20) // a 300 kB message in one send
	sent := [][]byte{pattern(300000, 1), pattern(5000, 2), pattern(7, 3)}
	go func() {
		for i, m := range sent {
			if _, err := cli.WriteMsg(m, &SndInfo{Stream: uint16(i), PPID: uint32(100 + i)}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	msg, err = srv.ReadMessage(msg, 1<<20, &info)
	if err != nil || !bytes.Equal(msg, sent[0]) || info.Stream != 0 || info.PPID != 100 || info.More() {
		t.Fatalf("message 0: %d bytes (equal %v), stream %d PPID %d more %v, %v", len(msg),
			bytes.Equal(msg, sent[0]), info.Stream, info.PPID, info.More(), err)
	}
	storage := &msg[:1][0]

	part, err := srv.ReadMessage(msg, 1000, &info)
	if !errors.Is(err, ErrMessageTooLong) || !errors.Is(err, syscall.EMSGSIZE) {
		t.Fatalf("message 1 with limit 1000: %v, want ErrMessageTooLong", err)
	}
	if len(part) != 1000 || !bytes.Equal(part, sent[1][:1000]) || !info.More() || info.PPID != 101 {
		t.Fatalf("message 1's first part: %d bytes (equal %v), more %v, PPID %d", len(part),
			len(part) <= 5000 && bytes.Equal(part, sent[1][:len(part)]), info.More(), info.PPID)
	}
	if &part[0] != storage {
		t.Error("ReadMessage did not reuse the storage it was given")
	}
	whole, err := srv.ReadMessage(part, 1<<20, &info)
	if err != nil || !bytes.Equal(whole, sent[1]) || info.More() || info.Stream != 1 || info.PPID != 101 {
		t.Fatalf("message 1 continued: %d bytes (equal %v), more %v, stream %d, %v", len(whole),
			bytes.Equal(whole, sent[1]), info.More(), info.Stream, err)
	}
	last, err := srv.ReadMessage(whole, 1<<20, &info)
	if err != nil || !bytes.Equal(last, sent[2]) || info.Stream != 2 || info.PPID != 102 {
		t.Fatalf("message 2: %q stream %d PPID %d, %v", last, info.Stream, info.PPID, err)
	}
	if _, err := srv.ReadMessage(nil, 0, &info); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("limit 0: %v, want EINVAL", err)
	}

	cli.Close()
	for {
		m, err := srv.ReadMessage(last, 1<<10, &info)
		if err == io.EOF {
			break
		}
		if err != nil || !info.IsNotification() {
			t.Fatalf("after the peer's close: %d bytes, notification %v, %v; want notifications then io.EOF",
				len(m), info.IsNotification(), err)
		}
	}
}

// TestReadMessageCutByAbort checks that a message whose rest never comes (the peer aborts in the
// middle of it) ends ReadMessage with the part that came and EPIPE, and that the next call, started
// afresh, returns what cut it: the COMM_LOST, then ECONNRESET.
func TestReadMessageCutByAbort(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := quietPair(t, l)
	defer cli.Close()
	defer srv.Close()
	srv.SetReadDeadline(time.Now().Add(60 * time.Second))
	forceRcvBuf(t, srv, 64<<10) // so that the 4 MiB message is delivered partially

	started := make(chan struct{})
	done := abortMidMessage(t, cli, started)
	var info RcvInfo
	// The first piece shows that the message has started; a limit of one piece's size stops there.
	part, err := srv.ReadMessage(nil, 1, &info)
	if !errors.Is(err, ErrMessageTooLong) || len(part) != 1 || part[0] != '0' {
		t.Fatalf("first byte: %q, %v", part, err)
	}
	close(started)
	<-done
	part, err = srv.ReadMessage(part, 8<<20, &info)
	if !errors.Is(err, syscall.EPIPE) || !info.More() || len(part) < 2 || len(part) >= 4<<20 ||
		!bytes.Equal(part, bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16)[:len(part)]) {
		t.Fatalf("cut message: %d bytes, more %v, %v; want the part that came and EPIPE", len(part), info.More(), err)
	}
	sawLost := false
	for {
		m, err := srv.ReadMessage(part[:0], 1<<10, &info)
		if errors.Is(err, syscall.ECONNRESET) {
			break
		}
		if err != nil || !info.IsNotification() {
			t.Fatalf("after the cut: %d bytes, %v; want notifications, then ECONNRESET", len(m), err)
		}
		if assocLost(m) {
			sawLost = true
		}
	}
	if !sawLost {
		t.Fatal("no COMM_LOST before ECONNRESET")
	}
}

// forceRcvBuf sets SO_RCVBUFFORCE-free receive buffer bytes (capped by rmem_max) on c.
func forceRcvBuf(t *testing.T, c *SCTPConn, bytes int) {
	t.Helper()
	if err := c.SetReadBuffer(bytes); err != nil {
		t.Fatal(err)
	}
}

// noteLog records, in one sequence, what a notification handler got and what the reads returned.
type noteLog struct {
	mu sync.Mutex
	ev []string
}

func (l *noteLog) add(s string) {
	l.mu.Lock()
	l.ev = append(l.ev, s)
	l.mu.Unlock()
}

func (l *noteLog) handler(n Notification) {
	if ac, ok := n.(*AssocChange); ok {
		l.add("note " + ac.State.String())
		return
	}
	l.add("note " + n.Header().Type.String())
}

func (l *noteLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.ev, ", ")
}

// TestNotificationHandlerKeepsOrder has the peer send three messages then abort; the reader, with a
// buffer too small for a notification (so each comes in pieces), gets only data from ReadMsg and
// Read, the handler gets COMM_UP before the data and COMM_LOST after it, then the read fails with
// ECONNRESET. The same with a graceful close ends with io.EOF after the data.
func TestNotificationHandlerKeepsOrder(t *testing.T) {
	needSCTP(t)
	for _, abort := range []bool{true, false} {
		t.Run(map[bool]string{true: "abort", false: "close"}[abort], func(t *testing.T) {
			l := loopbackListener(t)
			cli, srv := dialPair(t, l, nil)
			defer cli.Close()
			defer srv.Close()
			var log noteLog
			srv.SetNotificationHandler(log.handler)
			for i := 0; i < 3; i++ {
				if _, err := cli.WriteMsg([]byte(fmt.Sprintf("m%d", i)), &SndInfo{Stream: uint16(i), PPID: 7}); err != nil {
					t.Fatal(err)
				}
			}
			if abort {
				cli.Abort()
			} else {
				cli.Close()
			}
			srv.SetReadDeadline(time.Now().Add(30 * time.Second))
			buf := make([]byte, 4)
			var info RcvInfo
			var end error
			for i := 0; ; i++ {
				var n int
				var err error
				if i%2 == 0 {
					n, err = srv.ReadMsg(buf, &info)
				} else {
					n, err = srv.Read(buf)
					info = RcvInfo{Stream: uint16(i), PPID: 7} // Read does not say; ReadMsg's are checked
				}
				if err != nil {
					end = err
					break
				}
				if info.IsNotification() {
					t.Fatalf("ReadMsg returned a notification while a handler is set")
				}
				log.add(fmt.Sprintf("data %s stream %d", buf[:n], info.Stream))
			}
			want := "note COMM_UP, data m0 stream 0, data m1 stream 1, data m2 stream 2"
			if abort {
				want += ", note COMM_LOST"
				if !errors.Is(end, syscall.ECONNRESET) {
					t.Fatalf("read ended with %v, want ECONNRESET", end)
				}
			} else if end != io.EOF {
				t.Fatalf("read ended with %v, want io.EOF", end)
			}
			got := log.String()
			if abort && got != want || !abort && !strings.HasPrefix(got, want) {
				t.Fatalf("events:\n%s\nwant:\n%s", got, want)
			}
			if !abort && !strings.HasSuffix(got, "note SHUTDOWN_COMP") {
				t.Fatalf("events %s: the graceful end's SHUTDOWN_COMP did not reach the handler last", got)
			}
			srv.SetNotificationHandler(nil) // reads return notifications again; nothing is left
		})
	}
}

// TestEndpointHandlerAndAssocIDOf: a WriteMsgTo to a new peer names its association at once
// (AssocIDOf), and the endpoint's handler then gets that association's COMM_UP while ReadMsgFrom
// and ReadMessage return the peer's data only, from the same association.
func TestEndpointHandlerAndAssocIDOf(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	ep := clientEndpoint(t)
	to := l.SCTPAddr().AddrPort()
	if _, err := ep.AssocIDOf(to); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("AssocIDOf before any association: %v, want EINVAL", err)
	}
	notes := make(chan Notification, 16)
	ep.SetNotificationHandler(func(n Notification) { notes <- n })
	if _, err := ep.WriteMsgTo([]byte("hello"), &SndInfo{PPID: 3}, to); err != nil {
		t.Fatal(err)
	}
	id, err := ep.AssocIDOf(to)
	if err != nil || id == 0 {
		t.Fatalf("AssocIDOf right after WriteMsgTo: %d, %v", id, err)
	}
	srv, err := l.AcceptSCTP()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.SetReadDeadline(time.Now().Add(30 * time.Second))
	var si RcvInfo
	if m, err := srv.ReadMessage(nil, 64, &si); err != nil || !si.IsNotification() {
		t.Fatalf("server's first message %q, %v; want its COMM_UP", m, err)
	}
	if m, err := srv.ReadMessage(nil, 64, &si); err != nil || string(m) != "hello" || si.PPID != 3 {
		t.Fatalf("server read %q PPID %d, %v", m, si.PPID, err)
	}
	srv.WriteMsg([]byte("one"), &SndInfo{Stream: 1, PPID: 8})
	srv.WriteMsg([]byte("two"), &SndInfo{Stream: 0, PPID: 9})

	ep.SetReadDeadline(time.Now().Add(30 * time.Second))
	buf := make([]byte, 64)
	var info RcvInfo
	n, err := ep.ReadMsgFrom(buf, &info)
	if err != nil || string(buf[:n]) != "one" || info.AssocID != id || info.Stream != 1 || info.PPID != 8 {
		t.Fatalf("ReadMsgFrom: %q assoc %d (want %d) stream %d PPID %d, %v", buf[:n], info.AssocID, id,
			info.Stream, info.PPID, err)
	}
	m, err := ep.ReadMessage(buf, 64, &info)
	if err != nil || string(m) != "two" || info.AssocID != id || info.PPID != 9 {
		t.Fatalf("ReadMessage: %q assoc %d PPID %d, %v", m, info.AssocID, info.PPID, err)
	}
	select {
	case n := <-notes:
		ac, ok := n.(*AssocChange)
		if !ok || ac.State != CommUp || ac.AssocID != id {
			t.Fatalf("handler's first notification %v, want COMM_UP of assoc %d", n, id)
		}
	default:
		t.Fatal("the handler got no COMM_UP before the data was returned")
	}
	peers, err := ep.PeerAddrs(id)
	if err != nil || len(peers.AddrPorts()) != 1 || peers.AddrPorts()[0] != to {
		t.Fatalf("PeerAddrs(%d) = %v, %v; want %v", id, peers, err, to)
	}
}

// clientEndpoint is a one-to-many IPv4 client socket, closed when the test ends.
func clientEndpoint(t *testing.T) *Endpoint {
	t.Helper()
	ep, err := NewEndpoint("sctp4", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	return ep
}

// TestTypedAddrAccessors checks the *Addr accessors against the net.Addr ones and the kernel's lists.
func TestTypedAddrAccessors(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	if l.SCTPAddr() != l.Addr() || l.SCTPAddr().Port == 0 {
		t.Fatalf("Listener.SCTPAddr %v, Addr %v", l.SCTPAddr(), l.Addr())
	}
	cli, srv := dialPair(t, l, nil)
	defer cli.Close()
	defer srv.Close()
	want := netip.MustParseAddrPort("127.0.0.1:0")
	want = netip.AddrPortFrom(want.Addr(), uint16(l.SCTPAddr().Port))
	if got := cli.RemoteSCTPAddr().AddrPort(); got != want {
		t.Fatalf("client's RemoteSCTPAddr().AddrPort() = %v, want %v", got, want)
	}
	if got := srv.LocalSCTPAddr(); got.Port != l.SCTPAddr().Port || got != srv.LocalAddr() {
		t.Fatalf("server's LocalSCTPAddr %v, LocalAddr %v", got, srv.LocalAddr())
	}
	if got, want := srv.RemoteSCTPAddr().Port, cli.LocalSCTPAddr().Port; got != want || got == 0 {
		t.Fatalf("server sees the client at port %d, the client is at %d", got, want)
	}
	if (*Addr)(nil).AddrPort().IsValid() || (*Addr)(nil).AddrPorts() != nil {
		t.Fatal("a nil *Addr has addresses")
	}
	two := &Addr{IPs: []netip.Addr{netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("::1")}, Port: 9}
	if got := fmt.Sprint(two.AddrPorts()); got != "[10.0.0.1:9 [::1]:9]" {
		t.Fatalf("AddrPorts = %s", got)
	}
	ep, err := ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	if ep.LocalSCTPAddr() != ep.LocalAddr() || ep.LocalSCTPAddr().Port == 0 {
		t.Fatalf("Endpoint.LocalSCTPAddr %v", ep.LocalSCTPAddr())
	}
}

// TestConfigBuffersAndReuse: a listener's ReadBuffer is every accepted association's from its
// INIT ACK on (the client sees the small window the server advertised, and the accepted socket has
// the size), a Dialer's applies to its socket; ReusePort lets two listeners share a port, which
// fails without it; the getters read back what was set.
func TestConfigBuffersAndReuse(t *testing.T) {
	needSCTP(t)
	lc := ListenConfig{ReadBuffer: 16384, WriteBuffer: 32768, ReuseAddr: true}
	small, err := lc.Listen(context.Background(), "sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	cli, srv := dialPair(t, small, &Dialer{ReadBuffer: 24576})
	defer cli.Close()
	defer srv.Close()
	if rb, err := srv.ReadBuffer(); err != nil || rb != 2*16384 {
		t.Fatalf("accepted ReadBuffer = %d, %v; want %d", rb, err, 2*16384)
	}
	if wb, err := srv.WriteBuffer(); err != nil || wb != 2*32768 {
		t.Fatalf("accepted WriteBuffer = %d, %v; want %d", wb, err, 2*32768)
	}
	if rb, err := cli.ReadBuffer(); err != nil || rb != 2*24576 {
		t.Fatalf("dialer's ReadBuffer = %d, %v; want %d", rb, err, 2*24576)
	}
	st, err := cli.Status()
	if err != nil || st.RWnd == 0 || st.RWnd > 16384 {
		t.Fatalf("the client sees the server's window %d, %v; want at most 16384", st.RWnd, err)
	}
	plain := loopbackListener(t)
	pc, ps := dialPair(t, plain, nil)
	defer pc.Close()
	defer ps.Close()
	if st, err := pc.Status(); err != nil || st.RWnd <= 16384 {
		t.Fatalf("with the default buffer the window is %d, %v; the test cannot tell the setting", st.RWnd, err)
	}
	if on, err := small.ReuseAddr(); err != nil || !on {
		t.Fatalf("ReuseAddr = %v, %v", on, err)
	}

	reuse := ListenConfig{ReusePort: true}
	a, err := reuse.Listen(context.Background(), "sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	addr := a.Addr().String()
	b, err := reuse.Listen(context.Background(), "sctp", addr)
	if err != nil {
		t.Fatalf("a second ReusePort listener on %s: %v", addr, err)
	}
	defer b.Close()
	if on, err := b.ReusePort(); err != nil || !on {
		t.Fatalf("ReusePort = %v, %v", on, err)
	}
	if c, err := Listen("sctp", addr); !errors.Is(err, syscall.EADDRINUSE) {
		if c != nil {
			c.Close()
		}
		t.Fatalf("a listener without ReusePort on %s: %v, want EADDRINUSE", addr, err)
	}
	if on, err := a.SCTPReusePort(); err != nil || on {
		t.Fatalf("SCTPReusePort = %v, %v; want off", on, err)
	}
}

// TestSocketOptionGetters sets and reads back the socket options whose getters were missing, and
// checks what RecvRcvInfo off does to a read.
func TestSocketOptionGetters(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := quietPair(t, l)
	defer cli.Close()
	defer srv.Close()
	if sec, err := srv.Linger(); err != nil || sec != -1 {
		t.Fatalf("default Linger = %d, %v; want -1", sec, err)
	}
	for _, sec := range []int{5, 0, -1} {
		if err := srv.SetLinger(sec); err != nil {
			t.Fatal(err)
		}
		if got, err := srv.Linger(); err != nil || got != sec {
			t.Fatalf("Linger after SetLinger(%d) = %d, %v", sec, got, err)
		}
	}
	for _, on := range []bool{true, false} {
		if err := srv.SetRecvNextInfo(on); err != nil {
			t.Fatal(err)
		}
		if got, err := srv.RecvNextInfo(); err != nil || got != on {
			t.Fatalf("RecvNextInfo after Set(%v) = %v, %v", on, got, err)
		}
	}
	if on, err := srv.RecvRcvInfo(); err != nil || !on {
		t.Fatalf("RecvRcvInfo = %v, %v; sockets start with it on", on, err)
	}
	if err := srv.SetRecvRcvInfo(false); err != nil {
		t.Fatal(err)
	}
	cli.WriteMsg([]byte("x"), &SndInfo{Stream: 1, PPID: 77})
	srv.SetReadDeadline(time.Now().Add(30 * time.Second))
	buf := make([]byte, 16)
	var info RcvInfo
	if n, err := srv.ReadMsg(buf, &info); err != nil || string(buf[:n]) != "x" || info.Flags&RecvHasInfo != 0 || info.PPID != 0 {
		t.Fatalf("read with RecvRcvInfo off: %q flags %#x PPID %d, %v", buf[:n], info.Flags, info.PPID, err)
	}
	srv.SetRecvRcvInfo(true)
	cli.WriteMsg([]byte("y"), &SndInfo{Stream: 1, PPID: 77})
	if n, err := srv.ReadMsg(buf, &info); err != nil || string(buf[:n]) != "y" || info.PPID != 77 || info.Stream != 1 {
		t.Fatalf("read with RecvRcvInfo on again: %q stream %d PPID %d, %v", buf[:n], info.Stream, info.PPID, err)
	}

	ep, err := ListenEndpoint("sctp6", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	for _, on := range []bool{true, false} {
		if err := ep.SetMappedV4(on); err != nil {
			t.Fatal(err)
		}
		if got, err := ep.MappedV4(); err != nil || got != on {
			t.Fatalf("MappedV4 after Set(%v) = %v, %v", on, got, err)
		}
	}
	if err := ep.SetAutoClose(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	if d, err := ep.AutoClose(); err != nil || d != 3*time.Second {
		t.Fatalf("AutoClose = %v, %v; want 3s", d, err)
	}
	if sec, err := ep.Linger(); err != nil || sec != -1 {
		t.Fatalf("endpoint Linger = %d, %v", sec, err)
	}
}

// TestAssocSetupOnWrite: a WriteMsgTo to a new peer with Setup.Init sets up the association with
// those stream counts; too many AlsoTo addresses, and AlsoTo in a batch, are refused with EINVAL and
// nothing sent.
func TestAssocSetupOnWrite(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	ep := clientEndpoint(t)
	to := l.SCTPAddr().AddrPort()
	many := make([]netip.AddrPort, 65)
	for i := range many {
		many[i] = to
	}
	if _, err := ep.WriteMsgTo([]byte("x"), &SndInfo{Setup: &AssocSetup{AlsoTo: many}}, to); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("65 AlsoTo addresses: %v, want EINVAL", err)
	}
	if _, err := ep.AssocIDOf(to); err == nil {
		t.Fatal("the refused write set up an association")
	}
	b := newBatch(t, 4, 64)
	if err := b.QueueTo([]byte("x"), &SndInfo{Setup: &AssocSetup{AlsoTo: many[:1]}}, to); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("AlsoTo in a batch: %v, want EINVAL", err)
	}
	if _, err := ep.WriteMsgTo([]byte("x"), &SndInfo{Setup: &AssocSetup{Init: InitMsg{OutStreams: 3, MaxInStreams: 3}}}, to); err != nil {
		t.Fatal(err)
	}
	id, err := ep.AssocIDOf(to)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := l.AcceptSCTP()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	st, err := srv.Status()
	if err != nil || st.InStreams != 3 {
		t.Fatalf("server's inbound streams %d, %v; want the 3 the setup asked for", st.InStreams, err)
	}
	if st, err := ep.Status(id); err != nil || st.OutStreams != 3 {
		t.Fatalf("endpoint's outbound streams %d, %v; want 3", st.OutStreams, err)
	}
}
