// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readNote reads from read (a ReadMsg or ReadMsgFrom) until a notification comes, skipping data,
// and parses it. The caller sets the deadline.
func readNote(t *testing.T, read func([]byte, *RcvInfo) (int, error)) Notification {
	t.Helper()
	buf := make([]byte, 4096)
	var info RcvInfo
	for {
		n, err := read(buf, &info)
		if err != nil {
			t.Fatalf("waiting for a notification: %v", err)
		}
		if !info.IsNotification() {
			continue
		}
		if info.More() {
			t.Fatalf("notification of %d bytes cut off", n)
		}
		note, err := ParseNotification(buf[:n])
		if err != nil {
			t.Fatal(err)
		}
		// The result must not borrow from buf: scribble over it before anyone looks.
		for i := range buf[:n] {
			buf[i] = 0xee
		}
		return note
	}
}

// waitNote reads notifications until want accepts one, within 10 s.
func waitNote(t *testing.T, what string, read func([]byte, *RcvInfo) (int, error), want func(Notification) bool) Notification {
	t.Helper()
	for {
		n := readNote(t, read)
		t.Logf("%s: %v", what, n)
		if want(n) {
			return n
		}
	}
}

func isAssocChange(state AssocChangeState) func(Notification) bool {
	return func(n Notification) bool {
		ac, ok := n.(*AssocChange)
		return ok && ac.State == state
	}
}

// assocChange builds the bytes of an SCTP_ASSOC_CHANGE as Linux lays it out.
func assocChange(state, errBE, out, in uint16, id int32, info []byte) []byte {
	b := make([]byte, 20, 20+len(info))
	binary.NativeEndian.PutUint16(b[0:], uint16(NotifyAssocChange))
	binary.NativeEndian.PutUint32(b[4:], uint32(20+len(info)))
	binary.NativeEndian.PutUint16(b[8:], state)
	binary.BigEndian.PutUint16(b[10:], errBE) // Linux copies the cause code in wire order
	binary.NativeEndian.PutUint16(b[12:], out)
	binary.NativeEndian.PutUint16(b[14:], in)
	binary.NativeEndian.PutUint32(b[16:], uint32(id))
	return append(b, info...)
}

func TestParseNotificationCopiesAndChecksLengths(t *testing.T) {
	// A user-initiated-abort cause (code 12, length 4+3) carrying "bye", padded to 4 bytes.
	cause := []byte{0, 12, 0, 7, 'b', 'y', 'e', 0}
	b := assocChange(uint16(CommLost), CauseUserAbort, 0, 0, 7, cause)
	n, err := ParseNotification(b)
	if err != nil {
		t.Fatal(err)
	}
	ac, ok := n.(*AssocChange)
	if !ok {
		t.Fatalf("%T, want *AssocChange", n)
	}
	for i := range b {
		b[i] = 0
	}
	if ac.State != CommLost || ac.Error != CauseUserAbort || ac.AssocID != 7 || string(ac.Reason) != "bye" ||
		len(ac.Info) != len(cause) || ac.Header().Type != NotifyAssocChange {
		t.Fatalf("%+v", ac)
	}
	if s := ac.String(); !strings.Contains(s, "COMM_LOST") || !strings.Contains(s, `"bye"`) {
		t.Fatalf("String() = %q", s)
	}

	// Cut short: the header says 28 bytes, the buffer has 27.
	b = assocChange(uint16(CommUp), 0, 10, 10, 1, cause)
	if _, err := ParseNotification(b[:len(b)-1]); !errors.Is(err, ErrBadNotification) || !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("truncated: err = %v", err)
	}
	if _, err := ParseNotification(nil); !errors.Is(err, ErrBadNotification) {
		t.Fatalf("empty: err = %v", err)
	}
	// A type this package does not know is handed back whole, not refused.
	u := make([]byte, 12)
	binary.NativeEndian.PutUint16(u[0:], 0x8fff)
	binary.NativeEndian.PutUint32(u[4:], 12)
	n, err = ParseNotification(u)
	if un, ok := n.(*UnknownNotification); err != nil || !ok || len(un.Data) != 12 || un.Type != 0x8fff {
		t.Fatalf("unknown type: %#v, %v", n, err)
	}
}

func TestNotifyCommUpTypedWithStreams(t *testing.T) {
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
	if _, err := cli.WriteMsgTo([]byte("hi"), nil, netip.AddrPortFrom(sa.IPs[0], uint16(sa.Port))); err != nil {
		t.Fatal(err)
	}
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	cli.SetReadDeadline(time.Now().Add(10 * time.Second))
	for _, side := range []struct {
		name string
		e    *Endpoint
	}{{"server", srv}, {"client", cli}} {
		n := readNote(t, side.e.ReadMsgFrom)
		ac, ok := n.(*AssocChange)
		if !ok || ac.State != CommUp {
			t.Fatalf("%s: first notification %v, want COMM_UP", side.name, n)
		}
		if ac.OutboundStreams == 0 || ac.InboundStreams == 0 || ac.AssocID == 0 || ac.Error != 0 {
			t.Fatalf("%s: %+v: want stream counts and an association id", side.name, ac)
		}
		if !strings.HasPrefix(ac.String(), "SCTP_ASSOC_CHANGE assoc ") || !strings.Contains(ac.String(), "COMM_UP") {
			t.Fatalf("%s: String() = %q", side.name, ac.String())
		}
	}
}

func TestNotifyAbortReasonArrivesAsCommLost(t *testing.T) {
	needSCTP(t)
	// The server is one-to-one; the client is a one-to-many endpoint, since Linux sends an abort
	// reason only from those.
	l := loopbackListener(t)
	cli, err := NewEndpoint("sctp4", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	id, err := cli.Connect(context.Background(), l.Addr().(*Addr))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := l.AcceptSCTP()
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	sc.SetReadDeadline(time.Now().Add(10 * time.Second))
	// COMM_UP comes first on the accepted socket: the subscription moved with the association.
	waitNote(t, "server", sc.ReadMsg, isAssocChange(CommUp))
	if err := cli.Abort(id, []byte("maintenance window")); err != nil {
		t.Fatal(err)
	}
	n := waitNote(t, "server", sc.ReadMsg, isAssocChange(CommLost)).(*AssocChange)
	if n.Error != CauseUserAbort || string(n.Reason) != "maintenance window" {
		t.Fatalf("%+v: want cause %d and the reason bytes", n, CauseUserAbort)
	}
	// The association is gone: the next read says so.
	if _, err := sc.Read(make([]byte, 16)); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("Read after COMM_LOST: %v, want ECONNRESET", err)
	}
}

func TestConnAbortWithoutReason(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	waitNote(t, "server", srv.ReadMsg, isAssocChange(CommUp))
	if err := cli.Abort(); err != nil {
		t.Fatal(err)
	}
	n := waitNote(t, "server", srv.ReadMsg, isAssocChange(CommLost)).(*AssocChange)
	if n.Error != CauseUserAbort || len(n.Reason) != 0 {
		t.Fatalf("%+v: want a user abort without reason", n)
	}
	if _, err := cli.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Write after Abort: %v, want net.ErrClosed", err)
	}
}

func TestNotifyGracefulShutdown(t *testing.T) {
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
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	cli.SetReadDeadline(time.Now().Add(10 * time.Second))
	id, err := cli.Connect(context.Background(), srv.LocalAddr().(*Addr))
	if err != nil {
		t.Fatal(err)
	}
	up := waitNote(t, "client", cli.ReadMsgFrom, isAssocChange(CommUp))
	if up.Header().AssocID != id {
		t.Fatalf("COMM_UP for association %d, Connect said %d", up.Header().AssocID, id)
	}
	srvID := waitNote(t, "server", srv.ReadMsgFrom, isAssocChange(CommUp)).Header().AssocID
	// An endpoint's Subscribe reaches the associations it already has: SENDER_DRY comes at once.
	if err := cli.Subscribe(DefaultEvents | EventSenderDry); err != nil {
		t.Fatal(err)
	}
	dry := waitNote(t, "client", cli.ReadMsgFrom, func(n Notification) bool { _, ok := n.(*SenderDry); return ok })
	if dry.Header().AssocID != id {
		t.Fatalf("%v: want association %d", dry, id)
	}
	if err := cli.Shutdown(id); err != nil {
		t.Fatal(err)
	}
	sd := waitNote(t, "server", srv.ReadMsgFrom, func(n Notification) bool { _, ok := n.(*Shutdown); return ok })
	if sd.Header().AssocID != srvID || sd.String() != "SCTP_SHUTDOWN_EVENT assoc "+strconv.Itoa(int(srvID)) {
		t.Fatalf("%v: want the server's association %d", sd, srvID)
	}
	waitNote(t, "server", srv.ReadMsgFrom, isAssocChange(ShutdownComp))
	waitNote(t, "client", cli.ReadMsgFrom, isAssocChange(ShutdownComp))
	if ids, err := cli.AssocIDs(); err != nil || len(ids) != 0 {
		t.Fatalf("client associations after shutdown: %v, %v", ids, err)
	}
}

func TestSubscribeSenderDry(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	c, err := Dial("sctp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	// With nothing queued, turning SENDER_DRY on makes the kernel send one at once.
	if err := c.Subscribe(DefaultEvents | EventSenderDry); err != nil {
		t.Fatal(err)
	}
	waitNote(t, "client", c.ReadMsg, func(n Notification) bool { _, ok := n.(*SenderDry); return ok })
	if err := c.Subscribe(EventMask(1 << 20)); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("Subscribe(unknown bit): %v, want EINVAL", err)
	}
	c.Close()
	if err := c.Subscribe(EventAll); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Subscribe after Close: %v", err)
	}
}

func TestDialerEventsSeeSecondPathConfirmed(t *testing.T) {
	needSCTP(t)
	l, err := Listen("sctp", "127.0.0.1/127.0.0.2:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// The client dials the first address only and learns the second from the INIT-ACK, unconfirmed;
	// a heartbeat confirms it about one RTO (3 s initially) later. Subscribed before the association
	// starts, the client is told.
	port := l.Addr().(*Addr).Port
	accepted := make(chan *SCTPConn, 1)
	go func() { c, _ := l.AcceptSCTP(); accepted <- c }()
	d := &Dialer{Events: DefaultEvents | EventPeerAddrChange, Timeout: 20 * time.Second}
	cli, err := d.Dial("sctp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	if srv := <-accepted; srv != nil {
		defer srv.Close()
	}
	cli.SetReadDeadline(time.Now().Add(20 * time.Second))
	second := netip.MustParseAddr("127.0.0.2")
	n := waitNote(t, "client", cli.ReadMsg, func(n Notification) bool {
		pc, ok := n.(*PeerAddrChange)
		return ok && pc.State == AddrConfirmed && pc.Addr.Addr().Unmap() == second
	}).(*PeerAddrChange)
	if n.Addr.Port() != uint16(port) || n.Error != ReasonHeartbeatSuccess || !strings.Contains(n.String(), "ADDR_CONFIRMED") {
		t.Fatalf("%v", n)
	}
}
