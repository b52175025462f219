// SPDX-License-Identifier: MIT

//go:build !linux || !cgo

// Where the sctpio package cannot work (systems other than Linux, or no cgo) the package still
// compiles with the same API, so that importing it never breaks a build; every call that can fail
// returns ErrUnsupported. bench/go/apicheck holds this file's API to the Linux one's.

package sctp

import (
	"net"
	"os"
	"syscall"
	"time"
)

// SCTPConn is an SCTP association (see the Linux build); here every call fails.
type SCTPConn struct {
	notificationHandler NotificationHandler
}

// SCTPListener is an SCTP server socket (see the Linux build); here every call fails.
type SCTPListener struct {
	notificationHandler NotificationHandler
}

// NewSCTPConn returns a connection whose every call fails with ErrUnsupported.
func NewSCTPConn(fd int, handler NotificationHandler) *SCTPConn {
	return &SCTPConn{notificationHandler: handler}
}

// SCTPConnect returns ErrUnsupported.
func SCTPConnect(fd int, addr *SCTPAddr) (int, error) { return 0, ErrUnsupported }

// SCTPBind returns ErrUnsupported.
func SCTPBind(fd int, addr *SCTPAddr, flags int) error { return ErrUnsupported }

// ListenSCTP returns ErrUnsupported.
func ListenSCTP(net string, laddr *SCTPAddr) (*SCTPListener, error) { return nil, ErrUnsupported }

// ListenSCTPExt returns ErrUnsupported.
func ListenSCTPExt(network string, laddr *SCTPAddr, options InitMsg) (*SCTPListener, error) {
	return nil, ErrUnsupported
}

func listen(network string, laddr *SCTPAddr, init InitMsg, control func(network, address string, c syscall.RawConn) error, h NotificationHandler) (*SCTPListener, error) {
	return nil, ErrUnsupported
}

// FileListener returns ErrUnsupported.
func FileListener(file *os.File) (*SCTPListener, error) { return nil, ErrUnsupported }

// DialSCTP returns ErrUnsupported.
func DialSCTP(net string, laddr, raddr *SCTPAddr) (*SCTPConn, error) { return nil, ErrUnsupported }

// DialSCTPExt returns ErrUnsupported.
func DialSCTPExt(network string, laddr, raddr *SCTPAddr, options InitMsg) (*SCTPConn, error) {
	return nil, ErrUnsupported
}

func dial(network string, laddr, raddr *SCTPAddr, init InitMsg, control func(network, address string, c syscall.RawConn) error, h NotificationHandler) (*SCTPConn, error) {
	return nil, ErrUnsupported
}

// AcceptSCTP returns ErrUnsupported (and a connection, as on Linux).
func (ln *SCTPListener) AcceptSCTP() (*SCTPConn, error) { return &SCTPConn{}, ErrUnsupported }

// Accept returns ErrUnsupported.
func (ln *SCTPListener) Accept() (net.Conn, error) { return ln.AcceptSCTP() }

// Close returns ErrUnsupported.
func (ln *SCTPListener) Close() error { return ErrUnsupported }

// Addr returns nil.
func (ln *SCTPListener) Addr() net.Addr { return nil }

// SyscallConn returns ErrUnsupported.
func (ln *SCTPListener) SyscallConn() (syscall.RawConn, error) { return nil, ErrUnsupported }

// Write returns ErrUnsupported.
func (c *SCTPConn) Write(b []byte) (int, error) { return 0, ErrUnsupported }

// Read returns ErrUnsupported.
func (c *SCTPConn) Read(b []byte) (int, error) { return 0, ErrUnsupported }

// SCTPRead returns ErrUnsupported.
func (c *SCTPConn) SCTPRead(b []byte) (int, *SndRcvInfo, error) { return 0, nil, ErrUnsupported }

// SCTPWrite returns ErrUnsupported.
func (c *SCTPConn) SCTPWrite(b []byte, info *SndRcvInfo) (int, error) { return 0, ErrUnsupported }

// Close returns ErrUnsupported.
func (c *SCTPConn) Close() error { return ErrUnsupported }

// SetInitMsg returns ErrUnsupported.
func (c *SCTPConn) SetInitMsg(numOstreams, maxInstreams, maxAttempts, maxInitTimeout int) error {
	return ErrUnsupported
}

// SubscribeEvents returns ErrUnsupported.
func (c *SCTPConn) SubscribeEvents(flags int) error { return ErrUnsupported }

// SubscribedEvents returns ErrUnsupported.
func (c *SCTPConn) SubscribedEvents() (int, error) { return 0, ErrUnsupported }

// SetDefaultSentParam returns ErrUnsupported.
func (c *SCTPConn) SetDefaultSentParam(info *SndRcvInfo) error { return ErrUnsupported }

// GetDefaultSentParam returns ErrUnsupported (and a zero value, as on Linux).
func (c *SCTPConn) GetDefaultSentParam() (*SndRcvInfo, error) { return &SndRcvInfo{}, ErrUnsupported }

// SetSackTimer returns ErrUnsupported.
func (c *SCTPConn) SetSackTimer(timer *SackTimer) error { return ErrUnsupported }

// GetSackTimer returns ErrUnsupported (and a zero value, as on Linux).
func (c *SCTPConn) GetSackTimer() (*SackTimer, error) { return &SackTimer{}, ErrUnsupported }

// GetStatus returns ErrUnsupported (and a zero value, as on Linux).
func (c *SCTPConn) GetStatus() (*Status, error) { return &Status{}, ErrUnsupported }

// Getsockopt returns ErrUnsupported.
func (c *SCTPConn) Getsockopt(optname, optval, optlen uintptr) (uintptr, uintptr, error) {
	return 0, 0, ErrUnsupported
}

// Setsockopt returns ErrUnsupported.
func (c *SCTPConn) Setsockopt(optname, optval, optlen uintptr) (uintptr, uintptr, error) {
	return 0, 0, ErrUnsupported
}

// SCTPGetPrimaryPeerAddr returns ErrUnsupported.
func (c *SCTPConn) SCTPGetPrimaryPeerAddr() (*SCTPAddr, error) { return nil, ErrUnsupported }

// SCTPLocalAddr returns ErrUnsupported.
func (c *SCTPConn) SCTPLocalAddr(id int) (*SCTPAddr, error) { return nil, ErrUnsupported }

// SCTPRemoteAddr returns ErrUnsupported.
func (c *SCTPConn) SCTPRemoteAddr(id int) (*SCTPAddr, error) { return nil, ErrUnsupported }

// LocalAddr returns nil.
func (c *SCTPConn) LocalAddr() net.Addr { return nil }

// RemoteAddr returns nil.
func (c *SCTPConn) RemoteAddr() net.Addr { return nil }

// PeelOff returns ErrUnsupported.
func (c *SCTPConn) PeelOff(id int) (*SCTPConn, error) { return nil, ErrUnsupported }

// SetDeadline returns ErrUnsupported.
func (c *SCTPConn) SetDeadline(t time.Time) error { return ErrUnsupported }

// SetReadDeadline returns ErrUnsupported.
func (c *SCTPConn) SetReadDeadline(t time.Time) error { return ErrUnsupported }

// SetWriteDeadline returns ErrUnsupported.
func (c *SCTPConn) SetWriteDeadline(t time.Time) error { return ErrUnsupported }

// SyscallConn returns ErrUnsupported.
func (c *SCTPConn) SyscallConn() (syscall.RawConn, error) { return nil, ErrUnsupported }

// SetWriteBuffer returns ErrUnsupported.
func (c *SCTPConn) SetWriteBuffer(bytes int) error { return ErrUnsupported }

// GetWriteBuffer returns ErrUnsupported.
func (c *SCTPConn) GetWriteBuffer() (int, error) { return 0, ErrUnsupported }

// SetReadBuffer returns ErrUnsupported.
func (c *SCTPConn) SetReadBuffer(bytes int) error { return ErrUnsupported }

// GetReadBuffer returns ErrUnsupported.
func (c *SCTPConn) GetReadBuffer() (int, error) { return 0, ErrUnsupported }
