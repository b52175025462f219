// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "sctpio.h"

// go_assoc_state tells a connecting one-to-one socket's progress: 1 when established, 0 while the
// handshake goes on, -errno when it failed (SO_ERROR, or ECONNREFUSED when the association is gone).
static int go_assoc_state(int fd)
{
	struct sctp_status st = { 0 };
	socklen_t l = sizeof(st);
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &l) == 0) {
		if (st.sstat_state == SCTP_COOKIE_WAIT || st.sstat_state == SCTP_COOKIE_ECHOED)
			return 0;
		if (st.sstat_state >= SCTP_ESTABLISHED)
			return 1;
	}
	int err = sctpio_sock_error(fd);
	return err < 0 ? err : -ECONNREFUSED;
}
*/
import "C"

import (
	"context"
	"io"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// SCTPConn is a one-to-one SCTP association. It is a net.Conn whose Read and Write keep message
// boundaries: one Write sends one message, one Read returns bytes of one message only.
type SCTPConn struct {
	s *sock
}

var _ net.Conn = (*SCTPConn)(nil)

// Read reads one message, or the next piece of one larger than b (see ReadMsg to tell them apart).
// It returns io.EOF after the peer shut the association down gracefully. Notifications are skipped.
func (c *SCTPConn) Read(b []byte) (int, error) {
	var info RcvInfo
	for {
		n, err := c.ReadMsg(b, &info)
		if err != nil || !info.IsNotification() {
			return n, err
		}
	}
}

// ReadMsg reads one message or piece into b and describes it in *info (which may be nil): stream,
// PPID, flags (More when further pieces follow, Notification for notifications). It returns io.EOF
// after the peer's graceful shutdown.
func (c *SCTPConn) ReadMsg(b []byte, info *RcvInfo) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, err := c.s.recvMsg(b, info)
	if err == nil && n == 0 {
		return 0, io.EOF
	}
	return n, err
}

// Write sends b as one message on stream 0 with PPID 0.
func (c *SCTPConn) Write(b []byte) (int, error) { return c.s.sendMsg(b, nil, netip.AddrPort{}) }

// WriteMsg sends b as one message with info (nil: stream 0, PPID 0).
func (c *SCTPConn) WriteMsg(b []byte, info *SndInfo) (int, error) {
	return c.s.sendMsg(b, info, netip.AddrPort{})
}

// Close closes the association's socket (a graceful shutdown unless SO_LINGER says otherwise) and
// unblocks pending reads and writes, which return an error that errors.Is net.ErrClosed.
func (c *SCTPConn) Close() error { return c.s.close() }

// CloseWrite shuts the sending side down gracefully: the peer reads io.EOF after the data sent.
func (c *SCTPConn) CloseWrite() error {
	return c.s.control("shutdown", func(fd C.int) C.long { return C.long(C.sctpio_sock_shutdown(fd, 0)) })
}

// Abort aborts the association at once, sending reason to the peer in the ABORT chunk.
func (c *SCTPConn) Abort(reason []byte) error {
	return c.s.control("abort", func(fd C.int) C.long {
		var p *byte
		if len(reason) > 0 {
			p = &reason[0]
		}
		return C.long(C.sctpio_sock_abort(fd, 0, unsafePointer(p), C.size_t(len(reason))))
	})
}

// LocalAddr returns the local address (all local addresses of the association when multi-homed).
func (c *SCTPConn) LocalAddr() net.Addr { return c.s.laddr }

// RemoteAddr returns the peer's address (all of them when the peer is multi-homed).
func (c *SCTPConn) RemoteAddr() net.Addr { return c.s.raddr }

// PeerAddrs asks the kernel for the peer's current addresses.
func (c *SCTPConn) PeerAddrs() (*Addr, error) { return c.s.addrs(true, 0) }

// LocalAddrs asks the kernel for the association's current local addresses.
func (c *SCTPConn) LocalAddrs() (*Addr, error) { return c.s.addrs(false, 0) }

// SetDeadline sets the read and write deadlines; expired calls fail with os.ErrDeadlineExceeded.
func (c *SCTPConn) SetDeadline(t time.Time) error { return c.s.setDeadline(t) }

// SetReadDeadline sets the read deadline.
func (c *SCTPConn) SetReadDeadline(t time.Time) error { return c.s.setReadDeadline(t) }

// SetWriteDeadline sets the write deadline.
func (c *SCTPConn) SetWriteDeadline(t time.Time) error { return c.s.setWriteDeadline(t) }

// SyscallConn gives access to the descriptor, for options this package does not wrap.
func (c *SCTPConn) SyscallConn() (syscall.RawConn, error) { return c.s.rc, nil }

// Dialer holds options for connecting. The zero value is usable.
type Dialer struct {
	// LocalAddr, when not nil, binds the client to these local addresses first (multi-homing).
	LocalAddr *Addr
	// Timeout bounds the association setup; zero means no timeout beyond the kernel's INIT retries.
	Timeout time.Duration
}

// Dial connects to address ("host:port" or "host1/host2:port") on network "sctp", "sctp4" or "sctp6".
func Dial(network, address string) (*SCTPConn, error) {
	return (&Dialer{}).DialContext(context.Background(), network, address)
}

// DialContext is Dial with a context: cancelling it or its deadline aborts the association setup.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (*SCTPConn, error) {
	if d.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.Timeout)
		defer cancel()
	}
	raddr, err := resolveAddr(ctx, network, address)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	return d.dialAddr(ctx, network, raddr)
}

func (d *Dialer) dialAddr(ctx context.Context, network string, raddr *Addr) (*SCTPConn, error) {
	flags, err := familyFlags(network)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	if len(raddr.IPs) == 0 {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: raddr, Err: errMissingAddress}
	}
	peers := raddr.cAddrs(network)
	var local []C.sctpio_addr
	var lp *C.sctpio_addr
	if d.LocalAddr != nil {
		local = d.LocalAddr.cAddrs(network)
		lp = &local[0]
	}
	fd := C.sctpio_sock_client(C.SCTPIO_ONE_TO_ONE, &peers[0], C.size_t(len(peers)), lp, C.size_t(len(local)), flags, nil)
	if fd < 0 {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: raddr, Err: wrapErrno("connect", C.long(fd))}
	}
	s, err := newSock(fd, network)
	if err != nil {
		return nil, err
	}
	s.raddr = raddr
	// Wait for the association to come up. The socket is writable before that (SCTP queues data in
	// COOKIE_WAIT), so the wait is on readability, which the COMM_UP notification or a failure
	// brings, and the state is read each time. The context's end becomes an expired read deadline.
	stop := context.AfterFunc(ctx, func() { s.file.SetReadDeadline(aLongTimeAgo) })
	var state C.int
	err = s.rc.Read(func(fd uintptr) bool {
		state = C.go_assoc_state(C.int(fd))
		return state != 0
	})
	if !stop() && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err == nil && state < 0 {
		err = wrapErrno("connect", C.long(state))
	}
	if err != nil {
		s.close()
		return nil, &net.OpError{Op: "dial", Net: network, Addr: raddr, Err: err}
	}
	s.file.SetReadDeadline(time.Time{})
	if la, err := s.addrs(false, 0); err == nil {
		s.laddr = la
	}
	if ra, err := s.addrs(true, 0); err == nil && len(ra.IPs) > 0 {
		s.raddr = ra
	}
	return &SCTPConn{s: s}, nil
}

// Listener is a one-to-one SCTP server socket. It is a net.Listener.
type Listener struct {
	s *sock
}

var _ net.Listener = (*Listener)(nil)

// Listen announces on address ("host:port", "h1/h2:port" for several local addresses, ":port" for
// all) and accepts one-to-one associations.
func Listen(network, address string) (*Listener, error) {
	laddr, err := ResolveAddr(network, address)
	if err != nil {
		return nil, &net.OpError{Op: "listen", Net: network, Err: err}
	}
	return ListenSCTP(network, laddr)
}

// ListenSCTP is Listen with a resolved address.
func ListenSCTP(network string, laddr *Addr) (*Listener, error) {
	s, err := listen(network, laddr, C.SCTPIO_ONE_TO_ONE)
	if err != nil {
		return nil, err
	}
	return &Listener{s: s}, nil
}

func listen(network string, laddr *Addr, style C.int) (*sock, error) {
	flags, err := familyFlags(network)
	if err != nil {
		return nil, &net.OpError{Op: "listen", Net: network, Err: err}
	}
	addrs := laddr.cAddrs(network)
	fd := C.sctpio_sock_server(style, &addrs[0], C.size_t(len(addrs)), 0, flags)
	if fd < 0 {
		return nil, &net.OpError{Op: "listen", Net: network, Source: laddr, Err: wrapErrno("listen", C.long(fd))}
	}
	s, err := newSock(fd, network)
	if err != nil {
		return nil, err
	}
	if la, err := s.addrs(false, 0); err == nil {
		s.laddr = la
	}
	return s, nil
}

// Accept waits for and returns the next association as a net.Conn (an *SCTPConn).
func (l *Listener) Accept() (net.Conn, error) { return l.AcceptSCTP() }

// AcceptSCTP waits for and returns the next association. Close unblocks it with net.ErrClosed.
func (l *Listener) AcceptSCTP() (*SCTPConn, error) {
	var nfd C.int
	var peer C.sctpio_addr
	err := l.s.rc.Read(func(fd uintptr) bool {
		nfd = C.sctpio_sock_accept(C.int(fd), &peer, 0)
		return nfd != -C.int(syscall.EAGAIN)
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
	return &SCTPConn{s: s}, nil
}

// Close stops listening and unblocks a pending Accept.
func (l *Listener) Close() error { return l.s.close() }

// Addr returns the listener's local address.
func (l *Listener) Addr() net.Addr { return l.s.laddr }

// SetDeadline sets a deadline for Accept.
func (l *Listener) SetDeadline(t time.Time) error { return l.s.setReadDeadline(t) }

// SyscallConn gives access to the descriptor.
func (l *Listener) SyscallConn() (syscall.RawConn, error) { return l.s.rc, nil }
