// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include "sctpio.h"

// go_assoc_state tells a connecting one-to-one socket's progress: 1 when the association is up, or
// came up and is already gone; 2 when it came up and was aborted (SO_ERROR ECONNRESET: a setup
// that fails reads ECONNREFUSED or ETIMEDOUT); 0 while the handshake goes on; -errno when it failed.
//
// Linux answers SCTP_STATUS on a one-to-one socket with EINVAL until the socket itself is
// ESTABLISHED (sctp_id2assoc ignores a socket in COOKIE_WAIT or COOKIE_ECHOED), and again once the
// association is gone, so EINVAL alone tells nothing; a failed setup sets SO_ERROR (ECONNREFUSED
// after an ABORT, ETIMEDOUT after the INIT retries). An association that came up and went before the
// dialer looked (a server that accepts, writes and closes at once) leaves no SCTP_STATUS and no
// SO_ERROR, but what it delivered stays queued (COMM_UP, data, SHUTDOWN) or the receiving side is
// shut (the peer's SHUTDOWN), and only an association that came up can do either; that is what
// poll(2) sees. The order matters: poll before SO_ERROR, so that a failure queueing CANT_STR_ASSOC
// (both are set under one lock) is seen as the failure it is.
static int go_assoc_state(int fd)
{
	struct sctp_status st = { 0 };
	socklen_t l = sizeof(st);
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &l) == 0 && st.sstat_state >= SCTP_ESTABLISHED)
		return 1;
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };
	int r;
	do
		r = poll(&p, 1, 0);
	while (r < 0 && errno == EINTR);
	int err = sctpio_sock_error(fd);
	if (err == -ECONNRESET)
		return 2;
	if (err < 0)
		return err;
	return r > 0 && (p.revents & (POLLIN | POLLRDHUP)) ? 1 : 0;
}
*/
import "C"

import (
	"context"
	"net"
	"net/netip"
	"os"
	"sync"
	"syscall"
	"time"
)

// Dialer holds options for connecting. The zero value is usable.
type Dialer struct {
	// LocalAddr, when not nil, binds the client to these local addresses first (multi-homing).
	LocalAddr *Addr
	// Timeout bounds the association setup; zero means no timeout beyond the kernel's INIT retries.
	Timeout time.Duration
	// InitMsg, when not zero, is set on the socket before it connects: the streams asked for
	// (OutStreams) and accepted (MaxInStreams), INIT retries. Status shows what was negotiated.
	InitMsg InitMsg
	// Events, when not zero, is the notification subscription instead of DefaultEvents, in place
	// before the association starts so that none of its notifications is missed. Zero means
	// DefaultEvents; NoEvents subscribes to none.
	Events EventMask
	// ReadBuffer and WriteBuffer, when above 0, set SO_RCVBUF and SO_SNDBUF before the socket binds,
	// as SetReadBuffer and SetWriteBuffer do. The receive buffer bounds the window advertised in the
	// association's INIT, which later calls cannot raise.
	ReadBuffer, WriteBuffer int
	// ReuseAddr sets SO_REUSEADDR and ReusePort SO_REUSEPORT before the socket binds: binding a local
	// port (LocalAddr) that another socket holds.
	ReuseAddr, ReusePort bool
	// SCTPReusePort sets SCTP_REUSE_PORT (RFC 6458) before the socket binds: one-to-one sockets
	// that all set it bind the same local address and port (LocalAddr), to connect to different
	// peers.
	SCTPReusePort bool
	// Control, when not nil, is called with the new socket before it is bound and connected, for
	// options this package does not wrap (as net.Dialer.Control).
	Control func(network, address string, c syscall.RawConn) error
	// ControlContext is Control with the dial's context (as net.Dialer.ControlContext); when both
	// are set, ControlContext is called and Control is not.
	ControlContext func(ctx context.Context, network, address string, c syscall.RawConn) error
}

// ListenConfig holds options for listening. The zero value is usable.
type ListenConfig struct {
	// InitMsg, when not zero, is set on the socket before it listens, so that every association it
	// accepts is set up with it (streams asked for and accepted, INIT retries).
	InitMsg InitMsg
	// Backlog is the listen(2) backlog; 0 means SOMAXCONN.
	Backlog int
	// Events, when not zero, is the notification subscription of the socket and of every
	// association it will have, instead of DefaultEvents. Zero means DefaultEvents; NoEvents
	// subscribes to none.
	Events EventMask
	// ReadBuffer and WriteBuffer, when above 0, set SO_RCVBUF and SO_SNDBUF before the socket binds,
	// as SetReadBuffer and SetWriteBuffer do. The receive buffer bounds the window advertised in the
	// association's INIT ACK, which later calls cannot raise (SetReadBuffer on an accepted
	// connection comes too late for it); every association the socket accepts starts with these
	// sizes.
	ReadBuffer, WriteBuffer int
	// ReuseAddr sets SO_REUSEADDR and ReusePort SO_REUSEPORT before the socket binds: with ReusePort,
	// several sockets (of one user) listen on one port and Linux spreads the new associations over
	// them.
	ReuseAddr, ReusePort bool
	// SCTPReusePort sets SCTP_REUSE_PORT (RFC 6458) before a one-to-one socket binds (Listen; a
	// one-to-many socket refuses it): sockets that all set it may bind one address and port while
	// none listens; one of them may then listen.
	SCTPReusePort bool
	// Control, when not nil, is called with the new socket before it is bound (as
	// net.ListenConfig.Control), for options this package does not wrap.
	Control func(network, address string, c syscall.RawConn) error
}

// sockSetup is what a Dialer or ListenConfig applies to a new socket before bind.
type sockSetup struct {
	init                 InitMsg
	events               EventMask
	rcvbuf, sndbuf       int
	reuseAddr, reusePort bool
	sctpReusePort        bool
	control              func(network, address string, c syscall.RawConn) error
	// ctx and controlContext: a Dialer's ControlContext, called with ctx instead of control.
	ctx            context.Context
	controlContext func(ctx context.Context, network, address string, c syscall.RawConn) error
}

// socketFamily picks AF_INET6 when any address is IPv6 (wildcards included), when there is none, or
// when the network is "sctp6", so that a mixed list gets a dual-stack socket; AF_INET otherwise.
func socketFamily(network string, lists ...[]C.sctpio_addr) C.int {
	if network == "sctp6" {
		return C.AF_INET6
	}
	if network == "sctp4" {
		return C.AF_INET
	}
	n := 0
	for _, l := range lists {
		for i := range l {
			if getAddr(&l[i]).Addr().Is6() {
				return C.AF_INET6
			}
			n++
		}
	}
	if n == 0 {
		return C.AF_INET6 // no address to go by: dual-stack
	}
	return C.AF_INET
}

// newSocket opens a non-blocking SCTP socket in Go's netpoller and applies what must come before
// bind: InitMsg, Events and the caller's Control. On failure nothing is left open; errors name op.
func newSocket(op, network, address string, style C.int, setup sockSetup, lists ...[]C.sctpio_addr) (*sock, error) {
	flags, err := familyFlags(network)
	if err != nil {
		return nil, &net.OpError{Op: op, Net: network, Err: err}
	}
	fd := C.sctpio_sock_open(socketFamily(network, lists...), style, flags)
	if fd < 0 {
		return nil, &net.OpError{Op: op, Net: network, Err: wrapErrno("socket", C.long(fd))}
	}
	s, err := newSock(fd, network) // closes fd on failure
	if err != nil {
		return nil, &net.OpError{Op: op, Net: network, Err: err}
	}
	if !setup.init.isZero() {
		err = s.opt(op, "setsockopt", func(fd C.int) C.int { return setInitMsg(fd, setup.init) })
	}
	if err == nil && setup.events != 0 {
		mask := setup.events &^ NoEvents
		err = s.opt(op, "setsockopt", func(fd C.int) C.int {
			return C.sctpio_sock_subscribe_mask(fd, C.SCTP_FUTURE_ASSOC, C.uint32_t(mask))
		})
	}
	if err == nil && setup.rcvbuf > 0 {
		err = s.opt(op, "setsockopt", func(fd C.int) C.int { return C.sctpio_opt_set_rcvbuf(fd, C.int(setup.rcvbuf)) })
	}
	if err == nil && setup.sndbuf > 0 {
		err = s.opt(op, "setsockopt", func(fd C.int) C.int { return C.sctpio_opt_set_sndbuf(fd, C.int(setup.sndbuf)) })
	}
	for _, o := range []struct {
		on  bool
		opt boolOpt
	}{{setup.reuseAddr, optReuseAddr}, {setup.reusePort, optReusePort}, {setup.sctpReusePort, optSCTPReusePort}} {
		if err == nil && o.on {
			err = s.opt(op, "setsockopt", func(fd C.int) C.int { return setBoolOpt(fd, o.opt, true) })
		}
	}
	if err == nil && (setup.control != nil || setup.controlContext != nil) {
		rc, _ := s.syscallConn()
		if setup.controlContext != nil {
			err = setup.controlContext(setup.ctx, network, address, rc)
		} else {
			err = setup.control(network, address, rc)
		}
		if err != nil {
			err = &net.OpError{Op: op, Net: network, Err: err}
		}
	}
	if err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// bind binds s to addrs (all sharing one port).
func (s *sock) bind(op string, addrs []C.sctpio_addr) error {
	return s.controlCall(op, "bind", func(fd C.int) C.long {
		return C.long(C.sctpio_sock_bind(fd, &addrs[0], C.size_t(len(addrs))))
	})
}

// Dial connects to address ("host:port" or "host1/host2:port") on network "sctp", "sctp4" or "sctp6".
func Dial(network, address string) (*SCTPConn, error) {
	return (&Dialer{}).DialSCTPContext(context.Background(), network, address)
}

// Dial connects to address as the package-level Dial does, with the dialer's options.
func (d *Dialer) Dial(network, address string) (*SCTPConn, error) {
	return d.DialSCTPContext(context.Background(), network, address)
}

// DialContext is Dial with a context, returning a net.Conn (an *SCTPConn) as net.Dialer.DialContext
// does, so that it fits where a func(ctx, network, address) (net.Conn, error) is expected:
// cancelling ctx or its deadline aborts the association setup. On error the net.Conn is nil.
// DialSCTPContext returns the *SCTPConn itself.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := d.DialSCTPContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// DialSCTPContext is DialContext returning the *SCTPConn.
func (d *Dialer) DialSCTPContext(ctx context.Context, network, address string) (*SCTPConn, error) {
	if d.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.Timeout)
		defer cancel()
	}
	raddr, err := resolveAddr(ctx, network, address)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	return d.dialAddr(ctx, network, address, raddr)
}

// DialSCTP connects to a resolved address with the dialer's options.
func (d *Dialer) DialSCTP(ctx context.Context, network string, raddr *Addr) (*SCTPConn, error) {
	if d.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.Timeout)
		defer cancel()
	}
	return d.dialAddr(ctx, network, raddr.String(), raddr)
}

func (d *Dialer) dialAddr(ctx context.Context, network, address string, raddr *Addr) (*SCTPConn, error) {
	if raddr == nil || len(raddr.IPs) == 0 {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: raddr, Err: errMissingAddress}
	}
	// A context already done starts nothing (on loopback the association can come up before the
	// wait below sees the context end).
	if err := ctx.Err(); err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: raddr, Err: err}
	}
	peers := raddr.cAddrs(network)
	var local []C.sctpio_addr
	if d.LocalAddr != nil {
		local = d.LocalAddr.cAddrs(network)
	}
	s, err := newSocket("dial", network, address, C.SCTPIO_ONE_TO_ONE, sockSetup{init: d.InitMsg, events: d.Events,
		rcvbuf: d.ReadBuffer, sndbuf: d.WriteBuffer, reuseAddr: d.ReuseAddr, reusePort: d.ReusePort,
		sctpReusePort: d.SCTPReusePort, control: d.Control, ctx: ctx, controlContext: d.ControlContext}, peers, local)
	if err != nil {
		return nil, err
	}
	s.raddr = raddr
	if local != nil {
		err = s.bind("dial", local)
	}
	if err == nil {
		err = s.controlCall("dial", "connect", func(fd C.int) C.long {
			r := C.sctpio_sock_connect(fd, &peers[0], C.size_t(len(peers)), nil)
			if r == -C.EINPROGRESS {
				r = 0
			}
			return C.long(r)
		})
	}
	if err != nil {
		s.close()
		return nil, err
	}
	if err = s.waitUp(ctx); err != nil {
		s.close()
		return nil, &net.OpError{Op: "dial", Net: network, Addr: raddr, Err: err}
	}
	if la, err := s.addrs(false, 0); err == nil {
		s.laddr = la
	}
	if ra, err := s.addrs(true, 0); err == nil && len(ra.IPs) > 0 {
		s.raddr = ra
	}
	return newConn(s, true), nil
}

// waitUp waits until the association of connecting one-to-one socket s is up, has come up and gone
// (a success: the reads return what it delivered, then the end), or failed; the end of ctx aborts
// the wait with ctx.Err().
//
// Two goroutines wait, one for each direction, and whichever sees a verdict first (go_assoc_state)
// ends both waits with deadlines in the past: an association that comes up wakes writers (sctp_poll
// reports a one-to-one socket writable once established), but one that is already gone when the
// event is fetched reports no EPOLLOUT any more (a closed one-to-one socket polls as nothing but its
// shut receiving side or its queued input), so a writer alone could wait for ever; and an
// association that comes up and stays quiet wakes no reader. The deadlines are cleared before
// returning.
func (s *sock) waitUp(ctx context.Context) error {
	var mu sync.Mutex
	var state C.int
	decided := false
	check := func(fd uintptr) bool {
		mu.Lock()
		defer mu.Unlock()
		if !decided {
			if state = C.go_assoc_state(C.int(fd)); state != 0 {
				decided = true
				s.file.SetDeadline(aLongTimeAgo) // wake the other wait
			}
		}
		return decided
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		s.file.SetDeadline(aLongTimeAgo)
		close(fired)
	})
	rerr := make(chan error, 1)
	go func() { rerr <- s.rc.Read(check) }()
	err := s.rc.Write(check)
	s.file.SetReadDeadline(aLongTimeAgo) // the write wait can also end by the socket's close
	if e := <-rerr; err == nil {
		err = e
	}
	stopped := stop()
	if !stopped {
		<-fired // its deadline must not land after the one cleared here
	}
	s.file.SetDeadline(time.Time{})
	mu.Lock()
	defer mu.Unlock()
	switch {
	case decided && state < 0:
		return wrapErrno("connect", C.long(state))
	case decided:
		if state == 2 {
			s.assocEnd(syscall.ECONNRESET)
		}
		return nil
	case !stopped && ctx.Err() != nil:
		return ctx.Err()
	}
	return err
}

// Listener is a one-to-one SCTP server socket. It is a net.Listener.
type Listener struct {
	s *sock
}

var _ net.Listener = (*Listener)(nil)

// Listen announces on address ("host:port", "h1/h2:port" for several local addresses, ":port" for
// all) and accepts one-to-one associations.
func Listen(network, address string) (*Listener, error) {
	return (&ListenConfig{}).Listen(context.Background(), network, address)
}

// ListenSCTP is Listen with a resolved address.
func ListenSCTP(network string, laddr *Addr) (*Listener, error) {
	s, err := (&ListenConfig{}).listen(network, laddr.String(), laddr, C.SCTPIO_ONE_TO_ONE)
	if err != nil {
		return nil, err
	}
	return &Listener{s: s}, nil
}

// Listen is the package-level Listen with the configuration's options; ctx bounds name resolution.
func (lc *ListenConfig) Listen(ctx context.Context, network, address string) (*Listener, error) {
	s, err := lc.resolveListen(ctx, network, address, C.SCTPIO_ONE_TO_ONE)
	if err != nil {
		return nil, err
	}
	return &Listener{s: s}, nil
}

// ListenEndpoint is the package-level ListenEndpoint with the configuration's options.
func (lc *ListenConfig) ListenEndpoint(ctx context.Context, network, address string) (*Endpoint, error) {
	s, err := lc.resolveListen(ctx, network, address, C.SCTPIO_ONE_TO_MANY)
	if err != nil {
		return nil, err
	}
	return &Endpoint{s: s}, nil
}

func (lc *ListenConfig) resolveListen(ctx context.Context, network, address string, style C.int) (*sock, error) {
	laddr, err := resolveAddr(ctx, network, address)
	if err != nil {
		return nil, &net.OpError{Op: "listen", Net: network, Err: err}
	}
	return lc.listen(network, address, laddr, style)
}

func (lc *ListenConfig) listen(network, address string, laddr *Addr, style C.int) (*sock, error) {
	addrs := laddr.cAddrs(network)
	s, err := newSocket("listen", network, address, style, sockSetup{init: lc.InitMsg, events: lc.Events,
		rcvbuf: lc.ReadBuffer, sndbuf: lc.WriteBuffer, reuseAddr: lc.ReuseAddr, reusePort: lc.ReusePort,
		sctpReusePort: lc.SCTPReusePort, control: lc.Control}, addrs)
	if err != nil {
		return nil, err
	}
	s.laddr = laddr
	err = s.bind("listen", addrs)
	if err == nil {
		err = s.controlCall("listen", "listen", func(fd C.int) C.long {
			return C.long(C.sctpio_sock_listen(fd, C.int(lc.Backlog)))
		})
	}
	if err != nil {
		s.close()
		return nil, err
	}
	if la, err := s.addrs(false, 0); err == nil {
		s.laddr = la
	}
	return s, nil
}

// Accept waits for and returns the next association as a net.Conn (an *SCTPConn); on error the
// net.Conn is nil (not an interface holding a nil *SCTPConn).
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.AcceptSCTP()
	if err != nil {
		return nil, err
	}
	return c, nil
}

// AcceptSCTP waits for and returns the next association. Close unblocks it with net.ErrClosed.
func (l *Listener) AcceptSCTP() (*SCTPConn, error) {
	var nfd C.int
	var peer C.sctpio_addr
	err := l.s.rc.Read(func(fd uintptr) bool {
		// A signal (the Go runtime's preemption, under load) can interrupt accept4 even on a
		// non-blocking socket: try again rather than fail the Accept (a server's accept loop that
		// ends on an error stopped serving after one EINTR in 1,000 dials).
		for {
			nfd = C.sctpio_sock_accept(C.int(fd), &peer, 0)
			if nfd != -C.int(syscall.EINTR) {
				return nfd != -C.int(syscall.EAGAIN)
			}
		}
	})
	if err == nil && nfd < 0 {
		err = syscall.Errno(-nfd)
	}
	if err != nil {
		return nil, l.s.opError("accept", "accept4", err)
	}
	s, err := newSock(nfd, l.s.net)
	if err != nil {
		return nil, err
	}
	s.laddr = l.s.laddr
	if ra, err := s.addrs(true, 0); err == nil && len(ra.IPs) > 0 {
		s.raddr = ra
	} else {
		ap := getAddr(&peer)
		s.raddr = &Addr{IPs: []netip.Addr{ap.Addr()}, Port: int(ap.Port())}
	}
	if la, err := s.addrs(false, 0); err == nil {
		s.laddr = la
	}
	return newConn(s, true), nil
}

// Close stops listening and unblocks a pending Accept.
func (l *Listener) Close() error { return l.s.close() }

// Addr returns the listener's local address.
func (l *Listener) Addr() net.Addr { return l.s.laddr }

// SCTPAddr is Addr as an *Addr, with no type assertion: the port and every address listened on.
func (l *Listener) SCTPAddr() *Addr { return sctpAddr(l.s.laddr) }

// SetDeadline sets a deadline for Accept.
func (l *Listener) SetDeadline(t time.Time) error { return l.s.setReadDeadline(t) }

// SyscallConn gives access to the descriptor. After Close it returns an error, and the RawConn's
// calls fail, with a *net.OpError wrapping net.ErrClosed.
func (l *Listener) SyscallConn() (syscall.RawConn, error) { return l.s.syscallConn() }

// File returns a duplicate of the listener's descriptor, as net.TCPListener.File does; FileListener
// turns it back into a Listener.
func (l *Listener) File() (*os.File, error) { return l.s.dupFile("file") }
