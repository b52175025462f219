// SPDX-License-Identifier: MIT

//go:build linux && cgo

// Listening, accepting and dialling on Linux, through the sctpio package's Listener and Dialer.

package sctp

import (
	"context"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sctpio/sctpio/sctp"
)

// SCTPListener is a one-to-one SCTP server socket; it is a net.Listener. Close unblocks a pending
// Accept.
type SCTPListener struct {
	l                   *sctp.Listener
	notificationHandler NotificationHandler
	closed              atomic.Bool
}

var _ net.Listener = (*SCTPListener)(nil)

// sctpInit converts an InitMsg for the sctpio package (whose timeout is a Duration).
func sctpInit(m InitMsg) sctp.InitMsg {
	return sctp.InitMsg{OutStreams: m.NumOstreams, MaxInStreams: m.MaxInstreams, MaxAttempts: m.MaxAttempts,
		MaxInitTimeout: time.Duration(m.MaxInitTimeout) * time.Millisecond}
}

// ListenSCTP listens on laddr (every address when nil or without IPs; several IPs make a
// multi-homed server) on network "sctp", "sctp4" or "sctp6", asking for SCTP_MAX_STREAM outbound
// streams on each association.
func ListenSCTP(net string, laddr *SCTPAddr) (*SCTPListener, error) {
	return ListenSCTPExt(net, laddr, InitMsg{NumOstreams: SCTP_MAX_STREAM})
}

// ListenSCTPExt is ListenSCTP with the association parameters of options (zero fields keep the
// kernel's defaults).
func ListenSCTPExt(network string, laddr *SCTPAddr, options InitMsg) (*SCTPListener, error) {
	return listen(network, laddr, options, nil, nil)
}

// listen opens the listener of ListenSCTPExt and SocketConfig.Listen. The socket is subscribed to
// no notification, as the kernel leaves a new socket, so that accepted connections get what
// ishidawataru/sctp's got.
func listen(network string, laddr *SCTPAddr, init InitMsg, control func(network, address string, c syscall.RawConn) error, h NotificationHandler) (*SCTPListener, error) {
	address := ""
	if laddr != nil {
		address = sctpAddrOf(laddr).String()
	}
	lc := sctp.ListenConfig{InitMsg: sctpInit(init), Events: sctp.NoEvents, Control: control}
	l, err := lc.Listen(context.Background(), network, address)
	if err != nil {
		return nil, bare(err)
	}
	return &SCTPListener{l: l, notificationHandler: h}, nil
}

// FileListener returns a listener for a copy of file's descriptor, a listening one-to-one SCTP
// socket; closing the listener leaves file open. The copy joins Go's netpoller (the socket is made
// non-blocking, which file shares).
func FileListener(file *os.File) (*SCTPListener, error) {
	l, err := sctp.FileListener(file)
	if err != nil {
		return nil, bare(err)
	}
	return &SCTPListener{l: l}, nil
}

// AcceptSCTP waits for the next association and returns it with the listener's notification
// handler. It waits in Go's netpoller (no OS thread held), and Close unblocks it: then, as for any
// call after Close, it returns EBADF. On error the connection returned is not nil but unusable
// (its calls, Close included, fail), as ishidawataru/sctp returned one.
func (ln *SCTPListener) AcceptSCTP() (*SCTPConn, error) {
	c, err := ln.l.AcceptSCTP()
	if err != nil {
		err = bare(err)
		return deadConn(syscall.EBADF, nil, ln.notificationHandler), err
	}
	return newConn(c, nil, nil, ln.notificationHandler), nil
}

// Accept is AcceptSCTP as a net.Listener's: the net.Conn is an *SCTPConn, not nil even on error.
func (ln *SCTPListener) Accept() (net.Conn, error) { return ln.AcceptSCTP() }

// Close stops listening and unblocks a pending Accept. A second Close returns EBADF.
func (ln *SCTPListener) Close() error {
	if !ln.closed.CompareAndSwap(false, true) {
		return syscall.EBADF
	}
	return bare(ln.l.Close())
}

// Addr returns the listener's local addresses (an *SCTPAddr), as the kernel has them now.
func (ln *SCTPListener) Addr() net.Addr {
	if a, err := ln.l.LocalAddrs(); err == nil {
		return addrOf(a)
	}
	if a, ok := ln.l.Addr().(*sctp.Addr); ok && a != nil {
		return addrOf(a)
	}
	return nil
}

// SyscallConn returns the listening socket's RawConn. After Close it is EINVAL.
func (ln *SCTPListener) SyscallConn() (syscall.RawConn, error) {
	if ln.closed.Load() {
		return nil, syscall.EINVAL
	}
	rc, err := ln.l.SyscallConn()
	return rc, bare(err)
}

// DialSCTP connects to raddr (any of its IPs) from laddr (when not nil: bound first, multi-homed
// with several IPs), asking for SCTP_MAX_STREAM outbound streams. It waits in Go's netpoller until
// the association is up or has failed.
func DialSCTP(net string, laddr, raddr *SCTPAddr) (*SCTPConn, error) {
	return DialSCTPExt(net, laddr, raddr, InitMsg{NumOstreams: SCTP_MAX_STREAM})
}

// DialSCTPExt is DialSCTP with the association parameters of options (zero fields keep the
// kernel's defaults).
func DialSCTPExt(network string, laddr, raddr *SCTPAddr, options InitMsg) (*SCTPConn, error) {
	return dial(network, laddr, raddr, options, nil, nil)
}

// dial makes the connection of DialSCTPExt and SocketConfig.Dial, subscribed to no notification.
func dial(network string, laddr, raddr *SCTPAddr, init InitMsg, control func(network, address string, c syscall.RawConn) error, h NotificationHandler) (*SCTPConn, error) {
	if raddr == nil {
		return nil, syscall.EINVAL
	}
	d := sctp.Dialer{InitMsg: sctpInit(init), Events: sctp.NoEvents, Control: control}
	if laddr != nil {
		d.LocalAddr = sctpAddrOf(laddr)
	}
	c, err := d.DialSCTP(context.Background(), network, sctpAddrOf(raddr))
	if err != nil {
		return nil, bare(err)
	}
	return newConn(c, nil, nil, h), nil
}
