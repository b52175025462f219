// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include <errno.h>
#include <string.h>
#include "sctpio.h"

// go_assoc_of finds the association that has peer address *a (SCTP_GET_PEER_ADDR_INFO with no
// association id looks the address up among all of them).
static int go_assoc_of(int fd, const sctpio_addr *a, sctp_assoc_t *id)
{
	struct sctp_paddrinfo pi;
	socklen_t len = sizeof(pi);
	memset(&pi, 0, sizeof(pi));
	memcpy(&pi.spinfo_address, a, a->sa.sa_family == AF_INET ? sizeof(a->sin) : sizeof(a->sin6));
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &len) < 0)
		return -errno;
	*id = pi.spinfo_assoc_id;
	return 0;
}
*/
import "C"

import (
	"context"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"
)

// Endpoint is a one-to-many SCTP socket: many associations on one descriptor, each message tagged
// with its association id. A server makes one with ListenEndpoint; a client with NewEndpoint, then
// Connect or simply WriteMsgTo a peer address (the association is set up implicitly).
type Endpoint struct {
	s *sock
}

// ListenEndpoint opens a one-to-many endpoint bound to address and accepting associations.
func ListenEndpoint(network, address string) (*Endpoint, error) {
	return (&ListenConfig{}).ListenEndpoint(context.Background(), network, address)
}

// NewEndpoint opens a one-to-many endpoint bound to laddr (nil: any address, a kernel-chosen port)
// that does not accept associations, for clients.
func NewEndpoint(network string, laddr *Addr) (*Endpoint, error) {
	var addrs []C.sctpio_addr
	if laddr != nil {
		addrs = laddr.cAddrs(network)
	}
	s, err := newSocket("listen", network, laddr.String(), C.SCTPIO_ONE_TO_MANY, sockSetup{}, addrs)
	if err != nil {
		return nil, err
	}
	if addrs != nil {
		if err := s.bind("bind", addrs); err != nil {
			s.close()
			return nil, err
		}
	}
	if la, err := s.addrs(false, 0); err == nil {
		s.laddr = la
	}
	return &Endpoint{s: s}, nil
}

// Connect starts an association to raddr (all of its addresses) and returns its id. The
// association comes up in the background; its COMM_UP notification tells when. Writes to it before
// then are queued by the kernel. Connect does not wait for the handshake (the endpoint's reads
// report it), so ctx is checked before the INIT is sent: once ctx is done, Connect starts nothing
// and returns a *net.OpError wrapping ctx.Err(), as net's dials do.
func (e *Endpoint) Connect(ctx context.Context, raddr *Addr) (AssocID, error) {
	if raddr == nil || len(raddr.IPs) == 0 {
		return 0, &net.OpError{Op: "connect", Net: e.s.net, Err: errMissingAddress}
	}
	if err := ctx.Err(); err != nil {
		return 0, &net.OpError{Op: "connect", Net: e.s.net, Source: e.s.laddr, Addr: raddr, Err: err}
	}
	peers := raddr.cAddrs(e.s.net)
	var id C.sctp_assoc_t
	err := e.s.control("connect", func(fd C.int) C.long {
		return C.long(C.sctpio_sock_connect(fd, &peers[0], C.size_t(len(peers)), &id))
	})
	return AssocID(id), err
}

// ReadMsgFrom reads one message or piece into b: info tells its association, stream, PPID, sender
// and flags (RecvMore, RecvNotification). It parks the goroutine until a message is there. While a
// notification handler is set (SetNotificationHandler), it gives it the notifications and returns
// data only.
func (e *Endpoint) ReadMsgFrom(b []byte, info *RcvInfo) (int, error) {
	if h := e.s.noteHandler(); h != nil {
		if info == nil {
			info = new(RcvInfo)
		}
		return e.readDataFrom(h, b, info)
	}
	return e.s.recvMsg(b, info)
}

// WriteMsgTo sends b as one message: to the association info.AssocID, or, when to is valid, to that
// peer address (setting up an association if there is none). The association it sets up exists
// from the moment WriteMsgTo returns: AssocIDOf(to) names it at once, before its COMM_UP arrives.
func (e *Endpoint) WriteMsgTo(b []byte, info *SndInfo, to netip.AddrPort) (int, error) {
	return e.s.sendMsg(b, info, to)
}

// AssocIDOf returns the id of the association that has peer address peer (its port included), in any
// state, the one being set up by a WriteMsgTo or Connect included. It fails with an error that
// errors.Is syscall.EINVAL when no association of the endpoint has that address (Linux's answer).
func (e *Endpoint) AssocIDOf(peer netip.AddrPort) (AssocID, error) {
	if !peer.IsValid() {
		return 0, e.s.opError("get", "getsockopt", syscall.EINVAL)
	}
	var a C.sctpio_addr
	var id C.sctp_assoc_t
	putAddr(&a, peer)
	err := e.s.control("getsockopt", func(fd C.int) C.long { return C.long(C.go_assoc_of(fd, &a, &id)) })
	return AssocID(id), err
}

// PeelOff branches association id off onto its own one-to-one connection.
func (e *Endpoint) PeelOff(id AssocID) (*SCTPConn, error) {
	var nfd C.int
	err := e.s.control("peeloff", func(fd C.int) C.long {
		nfd = C.sctpio_sock_peeloff(fd, C.sctp_assoc_t(id), 0)
		return C.long(nfd)
	})
	if err != nil {
		return nil, err
	}
	s, err := newSock(nfd, e.s.net)
	if err != nil {
		return nil, err
	}
	s.laddr, _ = s.addrs(false, 0)
	s.raddr, _ = s.addrs(true, 0)
	return newConn(s, true), nil
}

// Shutdown gracefully ends association id.
func (e *Endpoint) Shutdown(id AssocID) error {
	return e.s.control("shutdown", func(fd C.int) C.long { return C.long(C.sctpio_sock_shutdown(fd, C.sctp_assoc_t(id))) })
}

// Abort aborts association id at once, sending reason in the ABORT chunk.
func (e *Endpoint) Abort(id AssocID, reason []byte) error {
	return e.s.control("abort", func(fd C.int) C.long {
		var p *byte
		if len(reason) > 0 {
			p = &reason[0]
		}
		return C.long(C.sctpio_sock_abort(fd, C.sctp_assoc_t(id), unsafePointer(p), C.size_t(len(reason))))
	})
}

// PeerAddrs returns the peer addresses of association id.
func (e *Endpoint) PeerAddrs(id AssocID) (*Addr, error) { return e.s.addrs(true, id) }

// LocalAddr returns the endpoint's bound addresses.
func (e *Endpoint) LocalAddr() net.Addr { return e.s.laddr }

// LocalSCTPAddr is LocalAddr as an *Addr, with no type assertion.
func (e *Endpoint) LocalSCTPAddr() *Addr { return sctpAddr(e.s.laddr) }

// Close closes the endpoint and every association on it, unblocking pending calls.
func (e *Endpoint) Close() error { return e.s.close() }

// SetDeadline sets the read and write deadlines.
func (e *Endpoint) SetDeadline(t time.Time) error { return e.s.setDeadline(t) }

// SetReadDeadline sets the read deadline.
func (e *Endpoint) SetReadDeadline(t time.Time) error { return e.s.setReadDeadline(t) }

// SetWriteDeadline sets the write deadline.
func (e *Endpoint) SetWriteDeadline(t time.Time) error { return e.s.setWriteDeadline(t) }

// SyscallConn gives access to the descriptor. After Close it returns an error, and the RawConn's
// calls fail, with a *net.OpError wrapping net.ErrClosed.
func (e *Endpoint) SyscallConn() (syscall.RawConn, error) { return e.s.syscallConn() }

// File returns a duplicate of the endpoint's descriptor, as net.UDPConn.File does; FileEndpoint
// turns it back into an Endpoint.
func (e *Endpoint) File() (*os.File, error) { return e.s.dupFile("file") }
