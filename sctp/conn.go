// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include "sctpio.h"
*/
import "C"

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// SCTPConn is a one-to-one SCTP association. It is a net.Conn whose Read and Write keep message
// boundaries: one Write sends one message, one Read returns bytes of one message only.
type SCTPConn struct {
	s *sock
	// up says that the association has been established (a Dial, Accept or PeelOff result, or a
	// write went out), so that a write's EPIPE means it is gone rather than not yet there.
	up atomic.Bool
}

// newConn returns the connection of s, whose association is established when up is set.
func newConn(s *sock, up bool) *SCTPConn {
	c := &SCTPConn{s: s}
	c.up.Store(up)
	return c
}

var _ net.Conn = (*SCTPConn)(nil)

// Read reads one message, or the next piece of one larger than b (see ReadMsg to tell them apart).
// It returns io.EOF once the association has shut down gracefully and everything the peer sent
// before has been read: after the peer's shutdown, and after this side's own CloseWrite once the
// shutdown has completed (so "CloseWrite, then read the rest" works as on TCP). It returns an error
// that errors.Is syscall.ECONNRESET once the association is lost (ETIMEDOUT where the kernel reported
// the loss as a timeout), and the same error from then on. Other notifications are skipped, or given
// to the notification handler (SetNotificationHandler). The end of the association is seen through
// its association change notifications (EventAssocChange, in DefaultEvents): without them a Read
// after this side's CloseWrite waits until its deadline.
func (c *SCTPConn) Read(b []byte) (int, error) {
	var info RcvInfo
	if h := c.s.noteHandler(); h != nil {
		return c.readData(h, b, &info)
	}
	for {
		n, end, err := c.readMsg(b, &info)
		if err != nil || !info.IsNotification() {
			return n, err
		}
		// The kernel reports a lost association's error once, to whichever call comes first; if a
		// concurrent Write took it, the COMM_LOST notification is all Read will ever see, so it
		// must end the Read rather than be skipped (skipping it once hung Read forever). end comes
		// with the notification's last piece, however small b is.
		if end != nil && end != io.EOF {
			// The first end recorded: this one, or the errno a write took before it.
			return 0, c.s.endOr("recvmsg", io.EOF)
		}
	}
}

// assocEndOf tells whether b starts an association-change notification saying that the
// association is over, and how: io.EOF for SHUTDOWN_COMP, ECONNRESET for COMM_LOST and
// CANT_STR_ASSOC, nil for anything else. sac_type is at offset 0, sac_state at offset 8 (struct
// sctp_assoc_change).
func assocEndOf(b []byte) error {
	if len(b) < 10 || binary.NativeEndian.Uint16(b[0:]) != C.SCTP_ASSOC_CHANGE {
		return nil
	}
	switch binary.NativeEndian.Uint16(b[8:]) {
	case C.SCTP_SHUTDOWN_COMP:
		return io.EOF
	case C.SCTP_COMM_LOST, C.SCTP_CANT_STR_ASSOC:
		return syscall.ECONNRESET
	}
	return nil
}

// assocLost reports whether b starts an association-change notification saying the association
// is gone (COMM_LOST or CANT_STR_ASSOC).
func assocLost(b []byte) bool {
	e := assocEndOf(b)
	return e != nil && e != io.EOF
}

// ReadMsg reads one message or piece into b and describes it in *info (which may be nil): stream,
// PPID, flags (RecvMore when further pieces follow, RecvNotification for notifications). Once the
// association is over it returns, after everything queued before (its last notification
// included: SHUTDOWN_COMP, COMM_LOST), io.EOF for a graceful shutdown, whichever side started it, and
// an error that errors.Is syscall.ECONNRESET (or ETIMEDOUT) for a lost association, at once and on
// every later call.
//
// While a notification handler is set (SetNotificationHandler), ReadMsg gives it the notifications
// and returns data only.
func (c *SCTPConn) ReadMsg(b []byte, info *RcvInfo) (int, error) {
	if h := c.s.noteHandler(); h != nil {
		if info == nil {
			info = new(RcvInfo)
		}
		return c.readData(h, b, info)
	}
	n, _, err := c.readMsg(b, info)
	return n, err
}

// readMsg is ReadMsg that also returns, with the last piece of an association change telling the
// association's end, that end (io.EOF or ECONNRESET; see assocEndOf), recorded with assocEnd.
func (c *SCTPConn) readMsg(b []byte, info *RcvInfo) (int, error, error) {
	if len(b) == 0 {
		return 0, nil, nil
	}
	n, end, err := c.s.recvMsgEnd(b, info, true)
	if err != nil {
		if en, ok := assocGone(err); ok {
			c.s.assocEnd(en)
		}
		return 0, nil, err
	}
	if n == 0 {
		return 0, nil, c.s.endOr("recvmsg", io.EOF)
	}
	if end != nil {
		c.s.assocEnd(end)
	}
	return n, end, nil
}

// Write sends b as one message with the default send info: stream 0 and PPID 0 unless changed with
// SetDefaultSendInfo.
func (c *SCTPConn) Write(b []byte) (int, error) {
	return c.wrote(c.s.sendMsg(b, nil, netip.AddrPort{}))
}

// WriteMsg sends b as one message with info (nil: the socket's default send info, stream 0 and
// PPID 0 unless set with SCTP_DEFAULT_SNDINFO).
func (c *SCTPConn) WriteMsg(b []byte, info *SndInfo) (int, error) {
	return c.wrote(c.s.sendMsg(b, info, netip.AddrPort{}))
}

// wrote passes a write's result on, ending the reads first when its error says that the
// association is gone. The kernel reports a lost association's error once, to whichever call comes
// first; when a write takes it, a read of a connection without association-change events has
// nothing else that would end it, and the kernel wakes no reader of a closed one-to-one socket. So:
//   - that error (ECONNRESET, ETIMEDOUT) is recorded as the association's end (assocEnd);
//   - EPIPE, once the association was up, says it is gone without saying how: a sendmmsg that sent
//     messages before the one that took the error reports the count and drops the error, and the
//     next call gets EPIPE. The receiving side is shut without a reason, so that reads return what
//     is queued, its last association change included (which records how it ended), then io.EOF.
func (c *SCTPConn) wrote(n int, err error) (int, error) {
	if n > 0 && !c.up.Load() {
		c.up.Store(true)
	}
	if err == nil {
		return n, nil
	}
	if en, ok := assocGone(err); ok {
		c.s.assocEnd(en)
	} else if c.up.Load() && errors.Is(err, syscall.EPIPE) {
		c.s.shutRead()
	}
	return n, err
}

// Close closes the association's socket (a graceful shutdown unless SO_LINGER says otherwise) and
// unblocks pending reads and writes, which return an error that errors.Is net.ErrClosed.
func (c *SCTPConn) Close() error { return c.s.close() }

// CloseWrite shuts the sending side down gracefully: the peer reads io.EOF after the data sent.
func (c *SCTPConn) CloseWrite() error {
	return c.s.control("shutdown", func(fd C.int) C.long { return C.long(C.sctpio_sock_shutdown(fd, 0)) })
}

// Abort aborts the association at once and closes the connection, as Close does after
// SetLinger(0): unsent data is dropped and the peer sees an AssocChange with State CommLost and
// Error CauseUserAbort. Linux refuses to carry a reason on a one-to-one socket (SCTP_ABORT with
// data is EINVAL there); an Endpoint's Abort can send one.
func (c *SCTPConn) Abort() error {
	if err := c.s.setLinger(0); err != nil {
		return err
	}
	return c.s.close()
}

// LocalAddr returns the local address (all local addresses of the association when multi-homed).
func (c *SCTPConn) LocalAddr() net.Addr { return c.s.laddr }

// RemoteAddr returns the peer's address (all of them when the peer is multi-homed).
func (c *SCTPConn) RemoteAddr() net.Addr { return c.s.raddr }

// LocalSCTPAddr is LocalAddr as an *Addr, with no type assertion: the port and every local
// address known when the connection was set up (LocalAddrs asks the kernel for the current list).
func (c *SCTPConn) LocalSCTPAddr() *Addr { return sctpAddr(c.s.laddr) }

// RemoteSCTPAddr is RemoteAddr as an *Addr: the peer's port and addresses as set up (PeerAddrs asks
// the kernel for the current list).
func (c *SCTPConn) RemoteSCTPAddr() *Addr { return sctpAddr(c.s.raddr) }

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

// SyscallConn gives access to the descriptor, for options this package does not wrap. After Close
// it returns an error, and the RawConn's calls fail, with a *net.OpError wrapping net.ErrClosed.
func (c *SCTPConn) SyscallConn() (syscall.RawConn, error) { return c.s.syscallConn() }

// File returns a duplicate of the connection's descriptor, as net.TCPConn.File does: closing one
// leaves the other open, and options set through either apply to the one socket both name.
// FileConn turns it back into an SCTPConn.
func (c *SCTPConn) File() (*os.File, error) { return c.s.dupFile("file") }
