// SPDX-License-Identifier: MIT

//go:build linux && cgo

// SCTPConn on Linux: a one-to-one sctp.SCTPConn, or a one-to-many sctp.Endpoint when NewSCTPConn
// was given a SOCK_SEQPACKET descriptor, with ishidawataru/sctp's methods and error values.

package sctp

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sctpio/sctpio/sctp"
)

// sock is what sctp.SCTPConn and sctp.Endpoint have in common and SCTPConn uses of both.
type sock interface {
	Close() error
	LocalAddr() net.Addr
	SetDeadline(t time.Time) error
	SetReadDeadline(t time.Time) error
	SetWriteDeadline(t time.Time) error
	SetReadBuffer(bytes int) error
	ReadBuffer() (int, error)
	SetWriteBuffer(bytes int) error
	WriteBuffer() (int, error)
	SyscallConn() (syscall.RawConn, error)
}

// SCTPConn is an SCTP association: a net.Conn whose Read and Write keep message boundaries, with
// SCTPRead and SCTPWrite for stream ids and PPIDs. It is a one-to-one socket, except when
// NewSCTPConn adopts a one-to-many (SOCK_SEQPACKET) descriptor: then SCTPRead and SCTPWrite serve
// every association of it (SndRcvInfo.AssocID tells which), and PeelOff branches one off.
type SCTPConn struct {
	s    sock           // conn or ep; nil when the connection could not be made (see err)
	conn *sctp.SCTPConn // one-to-one
	ep   *sctp.Endpoint // one-to-many
	rc   syscall.RawConn
	// orig is the descriptor given to NewSCTPConn, kept open (and usable by the caller) until
	// Close, as ishidawataru/sctp kept it; the socket itself is read through sctp's own copy.
	orig *os.File
	// err is what every call returns when s is nil: EBADF, or why NewSCTPConn failed.
	err error

	notificationHandler NotificationHandler
	// dataIO is SCTP_EVENT_DATA_IO. It is kept here rather than in the kernel: the sctpio package
	// always receives RFC 6458 RCVINFO, and SCTPRead returns it as a SndRcvInfo only when dataIO
	// is set, as the kernel would add SNDRCV only then.
	dataIO atomic.Bool
	closed atomic.Bool
}

var _ net.Conn = (*SCTPConn)(nil)

// newConn wraps an sctpio connection or endpoint.
func newConn(conn *sctp.SCTPConn, ep *sctp.Endpoint, orig *os.File, h NotificationHandler) *SCTPConn {
	c := &SCTPConn{conn: conn, ep: ep, orig: orig, notificationHandler: h}
	if conn != nil {
		c.s = conn
	} else {
		c.s = ep
	}
	var err error
	if c.rc, err = c.s.SyscallConn(); err != nil {
		c.rc = nil
	}
	return c
}

// deadConn is a connection that never was: every call fails with err. ishidawataru/sctp's
// AcceptSCTP returned such a value (on descriptor -1) beside its error, and callers close it.
func deadConn(err error, orig *os.File, h NotificationHandler) *SCTPConn {
	return &SCTPConn{err: err, orig: orig, notificationHandler: h}
}

// NewSCTPConn adopts fd, an SCTP socket the caller opened: a one-to-one socket (SOCK_STREAM), or a
// one-to-many one (SOCK_SEQPACKET), which the connection then reads and writes for every
// association and can PeelOff from. The connection owns fd: Close closes it, and until then fd
// stays open as it is. The socket joins Go's netpoller (it is made non-blocking, which fd shares)
// and SCTP_RECVRCVINFO is turned on. handler, when not nil, is called for each notification read
// (see NotificationHandler). A descriptor that is not an SCTP socket gives a connection whose
// every call fails with the reason.
func NewSCTPConn(fd int, handler NotificationHandler) *SCTPConn {
	typ, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TYPE)
	if err != nil {
		return deadConn(err, nil, handler)
	}
	orig := os.NewFile(uintptr(fd), "sctp")
	switch typ {
	case syscall.SOCK_STREAM:
		conn, err := sctp.FileConn(orig)
		if err != nil {
			return deadConn(bare(err), orig, handler)
		}
		return newConn(conn, nil, orig, handler)
	case syscall.SOCK_SEQPACKET:
		ep, err := sctp.FileEndpoint(orig)
		if err != nil {
			return deadConn(bare(err), orig, handler)
		}
		return newConn(nil, ep, orig, handler)
	}
	return deadConn(syscall.EPROTOTYPE, orig, handler)
}

// bare turns an error of the sctpio package into the value ishidawataru/sctp returned: the bare
// syscall.Errno of a failed system call (callers compare with ==), io.EOF as it is, EBADF once
// the socket is closed. A deadline's error stays net's (a *net.OpError whose Timeout is true,
// wrapping os.ErrDeadlineExceeded): ishidawataru/sctp had no deadlines, so nobody compares it.
func bare(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	if errors.Is(err, net.ErrClosed) {
		return syscall.EBADF
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return en
	}
	return err
}

// gone is the error of a call on a connection that is closed or never was.
func (c *SCTPConn) gone() error {
	if c.s == nil {
		return c.err
	}
	return syscall.EBADF
}

// Write sends b as one message with the default send parameters (SetDefaultSentParam).
func (c *SCTPConn) Write(b []byte) (int, error) { return c.SCTPWrite(b, nil) }

// Read reads one message, or the next piece of one larger than b. Notifications go to the
// handler; without one they are returned as data.
func (c *SCTPConn) Read(b []byte) (int, error) {
	var ri sctp.RcvInfo
	return c.read(b, &ri)
}

// SCTPRead reads one message, or the next piece of one larger than b, and its send/receive
// information: the stream, SSN, flags (SCTP_UNORDERED), PPID in host byte order, TSN, cumulative
// TSN, context and association id. The information is nil unless SCTP_EVENT_DATA_IO is
// subscribed, and for a notification. Each notification goes to the handler, on this goroutine,
// and the read goes on; without a handler it is returned as data. It returns io.EOF once the peer
// has shut the association down, and the bare syscall.Errno of a failure (ECONNRESET once the
// association is lost, EBADF after Close).
func (c *SCTPConn) SCTPRead(b []byte) (int, *SndRcvInfo, error) {
	var ri sctp.RcvInfo
	n, err := c.read(b, &ri)
	if err != nil || !c.dataIO.Load() || ri.IsNotification() || ri.Flags&sctp.RecvHasInfo == 0 {
		return n, nil, err
	}
	info := &SndRcvInfo{Stream: ri.Stream, SSN: ri.SSN, PPID: ri.PPID, Context: ri.Context,
		TSN: ri.TSN, CumTSN: ri.CumTSN, AssocID: int32(ri.AssocID)}
	if ri.Flags&sctp.RecvUnordered != 0 {
		info.Flags = SCTP_UNORDERED
	}
	return n, info, nil
}

// read reads one message or piece into b, handing notifications to the handler.
func (c *SCTPConn) read(b []byte, ri *sctp.RcvInfo) (int, error) {
	for {
		var n int
		var err error
		switch {
		case c.conn != nil:
			n, err = c.conn.ReadMsg(b, ri)
		case c.ep != nil:
			n, err = c.ep.ReadMsgFrom(b, ri)
		default:
			return 0, c.gone()
		}
		if err != nil {
			return 0, bare(err)
		}
		if !ri.IsNotification() || c.notificationHandler == nil {
			return n, nil
		}
		if err := c.notificationHandler(b[:n]); err != nil {
			return 0, err
		}
	}
}

// SCTPWrite sends b as one message with info: stream, PPID (host byte order), context, the
// association (one-to-many), and the flags SCTP_UNORDERED, SCTP_ADDR_OVER, SCTP_ABORT and SCTP_EOF
// (the message, then a graceful shutdown); a TTL (milliseconds) sends the message with the
// time-to-live policy of partial reliability. A nil info sends with the default send parameters.
func (c *SCTPConn) SCTPWrite(b []byte, info *SndRcvInfo) (int, error) {
	var n int
	var err error
	switch {
	case c.conn != nil && info == nil:
		n, err = c.conn.Write(b)
	case c.conn != nil:
		si := sndInfoOf(info)
		n, err = c.conn.WriteMsg(b, &si)
	case c.ep != nil && info == nil:
		n, err = c.ep.WriteMsgTo(b, nil, netip.AddrPort{})
	case c.ep != nil:
		si := sndInfoOf(info)
		n, err = c.ep.WriteMsgTo(b, &si, netip.AddrPort{})
	default:
		return 0, c.gone()
	}
	return n, bare(err)
}

// sndInfoOf maps a SndRcvInfo onto the sctpio package's SndInfo, flags by their names.
func sndInfoOf(info *SndRcvInfo) sctp.SndInfo {
	si := sctp.SndInfo{Stream: info.Stream, PPID: info.PPID, Context: info.Context, AssocID: sctp.AssocID(info.AssocID)}
	if info.Flags&SCTP_UNORDERED != 0 {
		si.Flags |= sctp.Unordered
	}
	if info.Flags&SCTP_ADDR_OVER != 0 {
		si.Flags |= sctp.AddrOver
	}
	if info.Flags&SCTP_ABORT != 0 {
		si.Flags |= sctp.Abort
	}
	if info.Flags&SCTP_EOF != 0 {
		si.Flags |= sctp.EOF
	}
	if info.TTL != 0 {
		si.PRPolicy, si.PRValue = sctp.PRTTL, info.TTL
	}
	return si
}

// Close closes the connection and the descriptor NewSCTPConn was given; pending reads and writes
// return EBADF. The association shuts down gracefully. A second Close returns EBADF, as
// ishidawataru/sctp's did (callers compare with ==).
func (c *SCTPConn) Close() error {
	if c == nil || !c.closed.CompareAndSwap(false, true) {
		return syscall.EBADF
	}
	var err error
	if c.s != nil {
		err = bare(c.s.Close())
	} else if c.orig == nil {
		err = syscall.EBADF
	}
	if c.orig != nil {
		if e := c.orig.Close(); err == nil && e != nil {
			err = bare(e)
		}
	}
	return err
}

// SetInitMsg sets SCTP_INITMSG: outbound streams asked for, inbound streams accepted, INIT
// retransmissions and their timeout's cap in milliseconds, for an association not yet set up.
func (c *SCTPConn) SetInitMsg(numOstreams, maxInstreams, maxAttempts, maxInitTimeout int) error {
	m := InitMsg{NumOstreams: uint16(numOstreams), MaxInstreams: uint16(maxInstreams),
		MaxAttempts: uint16(maxAttempts), MaxInitTimeout: uint16(maxInitTimeout)}
	_, err := c.control(func(fd cInt) cLong { return setInitMsg(fd, m) })
	return err
}

// eventKinds pairs the flags of SubscribeEvents with the sctpio package's events. The send
// failure event is the old SCTP_SEND_FAILED kind, whose notification layout (and type,
// SCTP_SEND_FAILED) handlers written for ishidawataru/sctp decode.
var eventKinds = [...]struct {
	flag int
	mask sctp.EventMask
}{
	{SCTP_EVENT_ASSOCIATION, sctp.EventAssocChange},
	{SCTP_EVENT_ADDRESS, sctp.EventPeerAddrChange},
	{SCTP_EVENT_SEND_FAILURE, sctp.EventSendFailedOld},
	{SCTP_EVENT_PEER_ERROR, sctp.EventRemoteError},
	{SCTP_EVENT_SHUTDOWN, sctp.EventShutdown},
	{SCTP_EVENT_PARTIAL_DELIVERY, sctp.EventPartialDelivery},
	{SCTP_EVENT_ADAPTATION_LAYER, sctp.EventAdaptation},
	{SCTP_EVENT_AUTHENTICATION, sctp.EventAuthentication},
	{SCTP_EVENT_SENDER_DRY, sctp.EventSenderDry},
}

// SubscribeEvents subscribes to exactly the events of flags (SCTP_EVENT_*), and unsubscribes from
// the others. SCTP_EVENT_DATA_IO makes SCTPRead return each message's SndRcvInfo.
func (c *SCTPConn) SubscribeEvents(flags int) error {
	var mask sctp.EventMask
	for _, k := range eventKinds {
		if flags&k.flag != 0 {
			mask |= k.mask
		}
	}
	var err error
	switch {
	case c.conn != nil:
		err = c.conn.Subscribe(mask)
	case c.ep != nil:
		err = c.ep.Subscribe(mask)
	default:
		return c.gone()
	}
	if err != nil {
		return bare(err)
	}
	c.dataIO.Store(flags&SCTP_EVENT_DATA_IO != 0)
	return nil
}

// SubscribedEvents returns the events subscribed to, as SCTP_EVENT_* flags.
func (c *SCTPConn) SubscribedEvents() (int, error) {
	var mask sctp.EventMask
	var err error
	switch {
	case c.conn != nil:
		mask, err = c.conn.Events()
	case c.ep != nil:
		mask, err = c.ep.Events(0)
	default:
		return 0, c.gone()
	}
	if err != nil {
		return 0, bare(err)
	}
	flags := 0
	if c.dataIO.Load() {
		flags |= SCTP_EVENT_DATA_IO
	}
	for _, k := range eventKinds {
		if mask&k.mask != 0 {
			flags |= k.flag
		}
	}
	return flags, nil
}

// SetDefaultSentParam sets the send parameters of Write and of SCTPWrite without info
// (SCTP_DEFAULT_SEND_PARAM). PPID is in host byte order, as everywhere in this package.
func (c *SCTPConn) SetDefaultSentParam(info *SndRcvInfo) error {
	if info == nil {
		return syscall.EINVAL
	}
	_, err := c.control(func(fd cInt) cLong { return setDefaultSend(fd, info) })
	return err
}

// GetDefaultSentParam returns the default send parameters (SCTP_DEFAULT_SEND_PARAM), PPID in
// host byte order. The result is not nil, even with an error.
func (c *SCTPConn) GetDefaultSentParam() (*SndRcvInfo, error) {
	info := &SndRcvInfo{}
	_, err := c.control(func(fd cInt) cLong { return getDefaultSend(fd, info) })
	return info, err
}

// SetSackTimer sets the delayed-SACK timer (SCTP_DELAYED_SACK): SackDelay in milliseconds and
// SackFrequency in packets, zero fields left as they are; AssocID names the association of a
// one-to-many socket (0: its defaults).
func (c *SCTPConn) SetSackTimer(timer *SackTimer) error {
	if timer == nil {
		return syscall.EINVAL
	}
	d := sctp.DelayedSack{Delay: time.Duration(timer.SackDelay) * time.Millisecond, Freq: timer.SackFrequency}
	switch {
	case c.conn != nil:
		return bare(c.conn.SetDelayedSack(d))
	case c.ep != nil:
		return bare(c.ep.SetDelayedSack(sctp.AssocID(timer.AssocID), d))
	}
	return c.gone()
}

// GetSackTimer returns the delayed-SACK timer. The result is not nil, even with an error.
func (c *SCTPConn) GetSackTimer() (*SackTimer, error) {
	timer := &SackTimer{}
	var d sctp.DelayedSack
	var err error
	switch {
	case c.conn != nil:
		d, err = c.conn.DelayedSack()
	case c.ep != nil:
		d, err = c.ep.DelayedSack(0)
	default:
		return timer, c.gone()
	}
	if err != nil {
		return timer, bare(err)
	}
	timer.SackDelay, timer.SackFrequency = uint32(d.Delay/time.Millisecond), d.Freq
	return timer, nil
}

// GetStatus returns the association's status (SCTP_STATUS), its state and its primary path's
// state named by this package's constants. The result is not nil, even with an error.
func (c *SCTPConn) GetStatus() (*Status, error) {
	st := &Status{}
	var s sctp.Status
	var err error
	switch {
	case c.conn != nil:
		s, err = c.conn.Status()
	case c.ep != nil:
		s, err = c.ep.Status(0)
	default:
		return st, c.gone()
	}
	if err != nil {
		return st, bare(err)
	}
	*st = Status{AssocID: SCTPAssocID(s.AssocID), State: statusState(s.State), RWND: s.RWnd,
		Unackdata: s.Unacked, Penddata: s.Pending, Instreams: s.InStreams, Ostreams: s.OutStreams,
		FragmentationPoint: s.FragPoint,
		PrimaryPeerAddr: PeerAddrinfo{AssocID: SCTPAssocID(s.AssocID), State: peerState(s.Primary.State),
			CWND: s.Primary.CWnd, SRTT: s.Primary.SRTTTicks, RTO: uint32(s.Primary.RTO / time.Millisecond),
			MTU: s.Primary.MTU}}
	putSockaddr(st.PrimaryPeerAddr.Address[:], s.Primary.Addr)
	return st, nil
}

// statusState names Linux's association state by this package's constants (Linux numbers them
// from SCTP_EMPTY, without BOUND and LISTEN).
func statusState(s sctp.AssocState) StatusState {
	switch s {
	case sctp.StateCookieWait:
		return SCTP_COOKIE_WAIT
	case sctp.StateCookieEchoed:
		return SCTP_COOKIE_ECHOED
	case sctp.StateEstablished:
		return SCTP_ESTABLISHED
	case sctp.StateShutdownPending:
		return SCTP_SHUTDOWN_PENDING
	case sctp.StateShutdownSent:
		return SCTP_SHUTDOWN_SENT
	case sctp.StateShutdownReceived:
		return SCTP_SHUTDOWN_RECEIVED
	case sctp.StateShutdownAckSent:
		return SCTP_SHUTDOWN_ACK_SENT
	}
	return SCTP_CLOSED
}

// peerState names Linux's path state by this package's constants; a potentially failed path
// (RFC 7829), which they have no name for, is SCTP_INACTIVE, as is an unknown one.
func peerState(s sctp.PathState) PeerState {
	switch s {
	case sctp.PathActive:
		return SCTP_ACTIVE
	case sctp.PathUnconfirmed:
		return SCTP_UNCONFIRMED
	}
	return SCTP_INACTIVE
}

// putSockaddr writes ap into b as a raw sockaddr (Linux's layout), or nothing when it is invalid.
func putSockaddr(b []byte, ap netip.AddrPort) {
	if !ap.IsValid() {
		return
	}
	ip := ap.Addr()
	copy(b, appendSockaddr(nil, net.IP(ip.AsSlice()), ip.Zone(), int(ap.Port())))
}

// Getsockopt is getsockopt(2) at level SOL_SCTP on the connection's socket, on the caller's
// memory: optval and optlen are addresses (optlen that of a socklen_t-sized length, as
// ishidawataru/sctp's own calls pass it). SCTP_EVENTS is answered as SubscribedEvents (DataIO
// included). It returns zeros and the bare errno.
func (c *SCTPConn) Getsockopt(optname, optval, optlen uintptr) (uintptr, uintptr, error) {
	if optname == SCTP_EVENTS {
		flags, err := c.SubscribedEvents()
		if err != nil {
			return 0, 0, err
		}
		writeEvents(eventSubscribe(flags), optval, optlen)
		return 0, 0, nil
	}
	_, err := c.control(func(fd cInt) cLong { return rawGetsockopt(fd, optname, optval, optlen) })
	return 0, 0, err
}

// Setsockopt is setsockopt(2) at level SOL_SCTP on the connection's socket, on the caller's
// memory at optval, optlen bytes. SCTP_EVENTS goes through SubscribeEvents, so that DataIO is kept
// as SCTPRead needs it. It returns zeros and the bare errno.
func (c *SCTPConn) Setsockopt(optname, optval, optlen uintptr) (uintptr, uintptr, error) {
	if optname == SCTP_EVENTS {
		return 0, 0, c.SubscribeEvents(eventFlags(readEvents(optval, optlen)))
	}
	_, err := c.control(func(fd cInt) cLong { return rawSetsockopt(fd, optname, optval, optlen) })
	return 0, 0, err
}

// eventSubscribe is the EventSubscribe of SCTP_EVENT_* flags.
func eventSubscribe(flags int) EventSubscribe {
	b := func(f int) uint8 {
		if flags&f != 0 {
			return 1
		}
		return 0
	}
	return EventSubscribe{b(SCTP_EVENT_DATA_IO), b(SCTP_EVENT_ASSOCIATION), b(SCTP_EVENT_ADDRESS),
		b(SCTP_EVENT_SEND_FAILURE), b(SCTP_EVENT_PEER_ERROR), b(SCTP_EVENT_SHUTDOWN),
		b(SCTP_EVENT_PARTIAL_DELIVERY), b(SCTP_EVENT_ADAPTATION_LAYER), b(SCTP_EVENT_AUTHENTICATION),
		b(SCTP_EVENT_SENDER_DRY)}
}

// eventFlags is the SCTP_EVENT_* flags of an EventSubscribe.
func eventFlags(e EventSubscribe) int {
	flags := 0
	for i, v := range [...]uint8{e.DataIO, e.Association, e.Address, e.SendFailure, e.PeerError,
		e.Shutdown, e.PartialDelivery, e.AdaptationLayer, e.Authentication, e.SenderDry} {
		if v != 0 {
			flags |= 1 << i
		}
	}
	return flags
}

// control runs f with the socket's descriptor (see withFD).
func (c *SCTPConn) control(f func(fd cInt) cLong) (cLong, error) {
	if c.s == nil {
		return 0, c.gone()
	}
	return withFD(c.rc, f)
}

// addrOf converts an sctpio address; nil for nil.
func addrOf(a *sctp.Addr) *SCTPAddr {
	if a == nil {
		return nil
	}
	out := &SCTPAddr{Port: a.Port, IPAddrs: make([]net.IPAddr, len(a.IPs))}
	for i, ip := range a.IPs {
		out.IPAddrs[i] = net.IPAddr{IP: net.IP(ip.Unmap().AsSlice()), Zone: ip.Zone()}
	}
	return out
}

// sctpAddrOf converts an address to the sctpio package's; an empty IP is the IPv4 wildcard, as
// ToRawSockAddrBuf has it.
func sctpAddrOf(a *SCTPAddr) *sctp.Addr {
	out := &sctp.Addr{Port: a.Port, IPs: make([]netip.Addr, 0, len(a.IPAddrs))}
	for _, ip := range a.IPAddrs {
		switch {
		case len(ip.IP) == 0:
			out.IPs = append(out.IPs, netip.IPv4Unspecified())
		case ip.IP.To4() != nil:
			out.IPs = append(out.IPs, netip.AddrFrom4([4]byte(ip.IP.To4())))
		default:
			a6, _ := netip.AddrFromSlice(ip.IP.To16())
			out.IPs = append(out.IPs, a6.WithZone(ip.Zone))
		}
	}
	return out
}

// SCTPGetPrimaryPeerAddr returns the peer address of the primary path.
func (c *SCTPConn) SCTPGetPrimaryPeerAddr() (*SCTPAddr, error) {
	var ap netip.AddrPort
	var err error
	switch {
	case c.conn != nil:
		ap, err = c.conn.Primary()
	case c.ep != nil:
		ap, err = c.ep.Primary(0)
	default:
		return nil, c.gone()
	}
	if err != nil {
		return nil, bare(err)
	}
	return &SCTPAddr{IPAddrs: []net.IPAddr{{IP: net.IP(ap.Addr().Unmap().AsSlice()), Zone: ap.Addr().Zone()}},
		Port: int(ap.Port())}, nil
}

// SCTPLocalAddr returns the local addresses of association id (0: of the socket), as the kernel
// has them now.
func (c *SCTPConn) SCTPLocalAddr(id int) (*SCTPAddr, error) { return c.addrs(false, id) }

// SCTPRemoteAddr returns the peer addresses of association id (on a one-to-one socket, of its
// association whatever id), as the kernel has them now.
func (c *SCTPConn) SCTPRemoteAddr(id int) (*SCTPAddr, error) { return c.addrs(true, id) }

func (c *SCTPConn) addrs(peer bool, id int) (*SCTPAddr, error) {
	var a *sctp.Addr
	var err error
	switch {
	case c.conn != nil && peer:
		a, err = c.conn.PeerAddrs()
	case c.conn != nil:
		a, err = c.conn.LocalAddrs()
	case c.ep != nil && peer:
		a, err = c.ep.PeerAddrs(sctp.AssocID(id))
	case c.ep != nil:
		a, err = c.ep.LocalAddrs(sctp.AssocID(id))
	default:
		return nil, c.gone()
	}
	if err != nil {
		return nil, bare(err)
	}
	return addrOf(a), nil
}

// LocalAddr returns the local addresses (an *SCTPAddr) as the kernel has them now, or, once it
// cannot tell (after Close), those the connection started with; nil for a connection that never
// was.
func (c *SCTPConn) LocalAddr() net.Addr {
	if a, err := c.addrs(false, 0); err == nil {
		return a
	}
	if c.s != nil {
		if a, ok := c.s.LocalAddr().(*sctp.Addr); ok && a != nil {
			return addrOf(a)
		}
	}
	return nil
}

// RemoteAddr returns the peer's addresses (an *SCTPAddr) as the kernel has them now, or, once it
// cannot tell, those the connection started with; nil when there are none (a one-to-many socket,
// a connection that never was).
func (c *SCTPConn) RemoteAddr() net.Addr {
	if a, err := c.addrs(true, 0); err == nil {
		return a
	}
	if c.conn != nil {
		if a, ok := c.conn.RemoteAddr().(*sctp.Addr); ok && a != nil {
			return addrOf(a)
		}
	}
	return nil
}

// PeelOff branches association id off a one-to-many connection into a one-to-one connection of
// its own (sctp_peeloff(3)), without a notification handler, subscribed to what this one is
// (SCTP_EVENT_DATA_IO included). On a one-to-one connection it is EINVAL, as in the kernel.
func (c *SCTPConn) PeelOff(id int) (*SCTPConn, error) {
	switch {
	case c.ep != nil:
		pc, err := c.ep.PeelOff(sctp.AssocID(id))
		if err != nil {
			return nil, bare(err)
		}
		p := newConn(pc, nil, nil, nil)
		p.dataIO.Store(c.dataIO.Load())
		return p, nil
	case c.conn != nil:
		if c.closed.Load() {
			return nil, syscall.EBADF
		}
		return nil, syscall.EINVAL
	}
	return nil, c.gone()
}

// SetDeadline sets the read and write deadlines, as net.Conn's does: a read or write past its
// deadline fails with an error whose Timeout() is true (os.ErrDeadlineExceeded).
func (c *SCTPConn) SetDeadline(t time.Time) error {
	if c.s == nil {
		return c.gone()
	}
	return bare(c.s.SetDeadline(t))
}

// SetReadDeadline sets the read deadline (see SetDeadline).
func (c *SCTPConn) SetReadDeadline(t time.Time) error {
	if c.s == nil {
		return c.gone()
	}
	return bare(c.s.SetReadDeadline(t))
}

// SetWriteDeadline sets the write deadline (see SetDeadline).
func (c *SCTPConn) SetWriteDeadline(t time.Time) error {
	if c.s == nil {
		return c.gone()
	}
	return bare(c.s.SetWriteDeadline(t))
}

// SyscallConn returns the socket's RawConn; its Read and Write wait in Go's netpoller. After
// Close it is EINVAL.
func (c *SCTPConn) SyscallConn() (syscall.RawConn, error) {
	if c.s == nil || c.closed.Load() {
		return nil, syscall.EINVAL
	}
	rc, err := c.s.SyscallConn()
	return rc, bare(err)
}

// SetWriteBuffer sets SO_SNDBUF (Linux doubles it).
func (c *SCTPConn) SetWriteBuffer(bytes int) error {
	if c.s == nil {
		return c.gone()
	}
	return bare(c.s.SetWriteBuffer(bytes))
}

// GetWriteBuffer returns SO_SNDBUF.
func (c *SCTPConn) GetWriteBuffer() (int, error) {
	if c.s == nil {
		return 0, c.gone()
	}
	n, err := c.s.WriteBuffer()
	return n, bare(err)
}

// SetReadBuffer sets SO_RCVBUF (Linux doubles it).
func (c *SCTPConn) SetReadBuffer(bytes int) error {
	if c.s == nil {
		return c.gone()
	}
	return bare(c.s.SetReadBuffer(bytes))
}

// GetReadBuffer returns SO_RCVBUF.
func (c *SCTPConn) GetReadBuffer() (int, error) {
	if c.s == nil {
		return 0, c.gone()
	}
	n, err := c.s.ReadBuffer()
	return n, bare(err)
}
