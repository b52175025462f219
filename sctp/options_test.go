// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"
)

// dialPair connects a one-to-one client to l and returns both ends, closed when the test ends.
func dialPair(t *testing.T, l *Listener, d *Dialer) (cli, srv *SCTPConn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	accepted := make(chan *SCTPConn, 1)
	go func() {
		c, err := l.AcceptSCTP()
		if err != nil {
			t.Error(err)
		}
		accepted <- c
	}()
	if d == nil {
		d = &Dialer{}
	}
	cli, err := d.DialSCTPContext(ctx, "sctp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	srv = <-accepted
	if srv == nil {
		t.FailNow()
	}
	t.Cleanup(func() { srv.Close() })
	return cli, srv
}

func TestInitMsgStreamsShowInStatus(t *testing.T) {
	needSCTP(t)
	// The server accepts at most 100 inbound streams and asks for 5 outbound; the client asks for 17.
	l, err := (&ListenConfig{InitMsg: InitMsg{OutStreams: 5, MaxInStreams: 100}}).Listen(context.Background(), "sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cli, srv := dialPair(t, l, &Dialer{InitMsg: InitMsg{OutStreams: 17, MaxInStreams: 9}})
	st, err := cli.Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.OutStreams != 17 || st.InStreams != 5 || st.State != StateEstablished || st.RWnd == 0 || st.FragPoint == 0 {
		t.Fatalf("client status %+v: want 17 out, 5 in, ESTABLISHED", st)
	}
	la := l.Addr().(*Addr)
	if want := netip.AddrPortFrom(la.IPs[0], uint16(la.Port)); st.Primary.Addr != want || st.Primary.State != PathActive {
		t.Fatalf("client primary path %+v, want %v ACTIVE", st.Primary, want)
	}
	sst, err := srv.Status()
	if err != nil {
		t.Fatal(err)
	}
	if sst.InStreams != 17 || sst.OutStreams != 5 {
		t.Fatalf("server status %+v: want 17 in, 5 out", sst)
	}
	// A stream beyond the 17 negotiated is refused by the kernel, not silently sent.
	if _, err := cli.WriteMsg([]byte("x"), &SndInfo{Stream: 17}); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("write on stream 17 of 17: %v, want EINVAL", err)
	}
	if _, err := cli.WriteMsg([]byte("x"), &SndInfo{Stream: 16}); err != nil {
		t.Fatal(err)
	}
}

func TestMultiHomedListenAndDialBothAddresses(t *testing.T) {
	needSCTP(t)
	l, err := Listen("sctp", "127.0.0.1/127.0.0.2:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	la := l.Addr().(*Addr)
	if len(la.IPs) != 2 {
		t.Fatalf("listener bound to %v, want two addresses", la)
	}
	ip1, ip2 := netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("127.0.0.2")
	cli, srv := dialPair(t, l, nil)
	pa, err := cli.PeerAddrs()
	if err != nil {
		t.Fatal(err)
	}
	if len(pa.IPs) != 2 || !slices.Contains(pa.IPs, ip1) || !slices.Contains(pa.IPs, ip2) || pa.Port != la.Port {
		t.Fatalf("client's peer addresses %v, want 127.0.0.1 and 127.0.0.2 port %d", pa, la.Port)
	}
	if sl, err := srv.LocalAddrs(); err != nil || len(sl.IPs) != 2 {
		t.Fatalf("server's local addresses %v, %v: want two", sl, err)
	}
	// Move the primary path to the second address; Status reports it.
	second := netip.AddrPortFrom(ip2, uint16(la.Port))
	if err := cli.SetPrimary(second); err != nil {
		t.Fatal(err)
	}
	if st, err := cli.Status(); err != nil || st.Primary.Addr != second {
		t.Fatalf("primary after SetPrimary(%v): %+v, %v", second, st.Primary, err)
	}
	if pi, err := cli.PathInfo(second); err != nil || pi.Addr != second || pi.MTU == 0 {
		t.Fatalf("PathInfo(%v) = %+v, %v", second, pi, err)
	}
	// A heartbeat interval on one path reads back, with heartbeats turned on by it.
	if err := cli.SetPeerAddrParams(PeerAddrParams{Addr: second, HeartbeatInterval: 7 * time.Second}); err != nil {
		t.Fatal(err)
	}
	p, err := cli.PeerAddrParams(second)
	if err != nil || p.HeartbeatInterval != 7*time.Second || p.Flags&HeartbeatOn == 0 {
		t.Fatalf("PeerAddrParams = %+v, %v: want 7s, heartbeats on", p, err)
	}
	// Data still flows.
	cli.SetDeadline(time.Now().Add(10 * time.Second))
	srv.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := cli.Write([]byte("over the second path")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if n, err := srv.Read(buf); err != nil || string(buf[:n]) != "over the second path" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
}

func TestBindAddRemoveAtRunTime(t *testing.T) {
	needSCTP(t)
	e, err := ListenEndpoint("sctp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ip3 := netip.MustParseAddr("127.0.0.3")
	if err := e.BindAdd(ip3); err != nil {
		t.Fatal(err)
	}
	la, err := e.LocalAddrs(0)
	if err != nil || len(la.IPs) != 2 || !slices.Contains(la.IPs, ip3) || la.Port != e.LocalAddr().(*Addr).Port {
		t.Fatalf("after BindAdd: %v, %v", la, err)
	}
	// The new address serves: a client that knows only 127.0.0.3 gets through.
	c, err := Dial("sctp4", netip.AddrPortFrom(ip3, uint16(la.Port)).String())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if err := e.BindRemove(ip3); err != nil {
		t.Fatal(err)
	}
	if la, err := e.LocalAddrs(0); err != nil || len(la.IPs) != 1 || la.IPs[0] != netip.MustParseAddr("127.0.0.1") {
		t.Fatalf("after BindRemove: %v, %v", la, err)
	}
	// The last address cannot go: the kernel refuses with EBUSY.
	var oe *net.OpError
	var se *os.SyscallError
	if err := e.BindRemove(netip.MustParseAddr("127.0.0.1")); !errors.As(err, &oe) || !errors.As(err, &se) || !errors.Is(err, syscall.EBUSY) {
		t.Fatalf("removing the last address: %v, want *net.OpError around EBUSY", err)
	}
}

func TestSocketOptionsRoundTrip(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	if on, err := cli.NoDelay(); err != nil || !on {
		t.Fatalf("NoDelay() = %v, %v: want the default on", on, err)
	}
	if err := cli.SetNoDelay(false); err != nil {
		t.Fatal(err)
	}
	if on, _ := cli.NoDelay(); on {
		t.Fatal("NoDelay still on after SetNoDelay(false)")
	}
	if err := cli.SetReadBuffer(65536); err != nil {
		t.Fatal(err)
	}
	if n, err := cli.ReadBuffer(); err != nil || n != 2*65536 {
		t.Fatalf("ReadBuffer() = %d, %v: want 131072 (Linux doubles)", n, err)
	}
	if err := cli.SetWriteBuffer(65536); err != nil {
		t.Fatal(err)
	}
	if n, err := cli.WriteBuffer(); err != nil || n != 2*65536 {
		t.Fatalf("WriteBuffer() = %d, %v", n, err)
	}
	want := RTOInfo{Initial: 700 * time.Millisecond, Min: 300 * time.Millisecond, Max: 5 * time.Second}
	if err := cli.SetRTOInfo(want); err != nil {
		t.Fatal(err)
	}
	if got, err := cli.RTOInfo(); err != nil || got != want {
		t.Fatalf("RTOInfo() = %+v, %v: want %+v", got, err, want)
	}
	if err := cli.SetRTOInfo(RTOInfo{Min: 2 * time.Second, Max: time.Second}); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("min above max: %v, want EINVAL", err)
	}
	// Write without send info goes with the default set here.
	if err := cli.SetDefaultSendInfo(SndInfo{Stream: 3, PPID: 77}); err != nil {
		t.Fatal(err)
	}
	if err := cli.SetDefaultSendInfo(SndInfo{Flags: EOF}); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("default send info with EOF: %v, want EINVAL", err)
	}
	if _, err := cli.Write([]byte("by default")); err != nil {
		t.Fatal(err)
	}
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 64)
	var info RcvInfo
	for {
		n, err := srv.ReadMsg(buf, &info)
		if err != nil {
			t.Fatal(err)
		}
		if !info.IsNotification() {
			if string(buf[:n]) != "by default" || info.Stream != 3 || info.PPID != 77 {
				t.Fatalf("%q %+v: want stream 3, PPID 77", buf[:n], info)
			}
			break
		}
	}
	// With RecvNextInfo on, a read describes the message waiting after it.
	if err := srv.SetRecvNextInfo(true); err != nil {
		t.Fatal(err)
	}
	cli.WriteMsg([]byte("first"), &SndInfo{Stream: 1})
	cli.WriteMsg([]byte("second!"), &SndInfo{Stream: 2, PPID: 9})
	// Both must be waiting before the first is read: SENDER_DRY says the peer acknowledged them.
	cli.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := cli.Subscribe(DefaultEvents | EventSenderDry); err != nil {
		t.Fatal(err)
	}
	waitNote(t, "client", cli.ReadMsg, func(n Notification) bool { _, ok := n.(*SenderDry); return ok })
	if _, err := srv.ReadMsg(buf, &info); err != nil || info.Flags&RecvHasNext == 0 || info.NextStream != 2 ||
		info.NextPPID != 9 || info.NextLength != 7 {
		t.Fatalf("next info: %+v, %v", info, err)
	}
	if err := cli.SetRecvNextInfo(true); err != nil {
		t.Fatal(err)
	}
	if err := cli.SetLinger(-1); err != nil {
		t.Fatal(err)
	}
	cli.Close()
	if _, err := cli.Status(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Status after Close: %v, want net.ErrClosed", err)
	}
}

func TestLingerZeroCloseAborts(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	waitNote(t, "server", srv.ReadMsg, isAssocChange(CommUp))
	if err := cli.SetLinger(0); err != nil {
		t.Fatal(err)
	}
	cli.Close()
	waitNote(t, "server", srv.ReadMsg, isAssocChange(CommLost))
}

func TestEndpointAssocIDsAndStatus(t *testing.T) {
	needSCTP(t)
	srv, err := ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.SetInitMsg(InitMsg{OutStreams: 3}); err != nil {
		t.Fatal(err)
	}
	if im, err := srv.InitMsg(); err != nil || im.OutStreams != 3 {
		t.Fatalf("InitMsg() = %+v, %v", im, err)
	}
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	sa := srv.LocalAddr().(*Addr)
	for i := 0; i < 2; i++ {
		cli, err := NewEndpoint("sctp4", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer cli.Close()
		if _, err := cli.Connect(context.Background(), sa); err != nil {
			t.Fatal(err)
		}
		waitNote(t, "server", srv.ReadMsgFrom, isAssocChange(CommUp))
	}
	ids, err := srv.AssocIDs()
	if err != nil || len(ids) != 2 {
		t.Fatalf("AssocIDs() = %v, %v: want two", ids, err)
	}
	for _, id := range ids {
		st, err := srv.Status(id)
		if err != nil || st.AssocID != id || st.OutStreams != 3 || st.State != StateEstablished {
			t.Fatalf("Status(%d) = %+v, %v", id, st, err)
		}
		if pa, err := srv.PeerAddrs(id); err != nil || len(pa.IPs) != 1 {
			t.Fatalf("PeerAddrs(%d) = %v, %v", id, pa, err)
		}
	}
	var se *os.SyscallError
	if _, err := srv.Status(12345); !errors.As(err, &se) || se.Syscall != "getsockopt" || !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("Status(unknown id): %v, want getsockopt EINVAL", err)
	}
}
