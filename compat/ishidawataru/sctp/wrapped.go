// SPDX-License-Identifier: MIT

// SocketConfig, the SndRcvInfo-framed connection and ErrUnsupported: the parts built only from
// the methods of SCTPConn, the same on every platform.

package sctp

import (
	"encoding/binary"
	"errors"
	"net"
	"runtime"
	"syscall"
	"time"
)

// ErrUnsupported is returned where SCTP is not available: on systems other than Linux, and on
// Linux without cgo (the sctpio package underneath needs it). It wraps errors.ErrUnsupported, so
// errors.Is(err, errors.ErrUnsupported) holds as well as err == ErrUnsupported. It exists on every
// platform (ishidawataru/sctp declared it only where SCTP is missing).
var ErrUnsupported error = unsupportedError{}

type unsupportedError struct{}

func (unsupportedError) Error() string {
	return "SCTP is unsupported on " + runtime.GOOS + "/" + runtime.GOARCH
}

func (unsupportedError) Unwrap() error { return errors.ErrUnsupported }

// SocketConfig holds the options of a new socket, for Listen and Dial.
type SocketConfig struct {
	// Control, when not nil, is called with the new socket before it is bound or connected. Its
	// RawConn's Read and Write work (they wait in Go's netpoller).
	Control func(network, address string, c syscall.RawConn) error
	// NotificationHandler, when not nil, is called by SCTPRead for every notification received
	// on the connections made (see NotificationHandler).
	NotificationHandler NotificationHandler
	// InitMsg is set on the socket before it connects or listens; zero fields keep the kernel's
	// defaults.
	InitMsg InitMsg
}

// Listen listens on laddr as ListenSCTPExt does, with the configuration's options.
func (cfg *SocketConfig) Listen(net string, laddr *SCTPAddr) (*SCTPListener, error) {
	return listen(net, laddr, cfg.InitMsg, cfg.Control, cfg.NotificationHandler)
}

// Dial connects to raddr as DialSCTPExt does, with the configuration's options.
func (cfg *SocketConfig) Dial(net string, laddr, raddr *SCTPAddr) (*SCTPConn, error) {
	return dial(net, laddr, raddr, cfg.InitMsg, cfg.Control, cfg.NotificationHandler)
}

// sndRcvInfoSize is the size of SndRcvInfo (struct sctp_sndrcvinfo): the header of every buffer
// of SCTPSndRcvInfoWrappedConn.
const sndRcvInfoSize = 32

// SCTPSndRcvInfoWrappedConn is a net.Conn whose buffers start with a SndRcvInfo in the host's
// layout and byte order (PPID in host order): Write sends the rest of its buffer with that
// header's information, Read fills the header of its buffer with the message's.
type SCTPSndRcvInfoWrappedConn struct {
	conn *SCTPConn
}

// NewSCTPSndRcvInfoWrappedConn subscribes conn to SCTP_EVENT_DATA_IO (so that reads carry their
// information) and wraps it.
func NewSCTPSndRcvInfoWrappedConn(conn *SCTPConn) *SCTPSndRcvInfoWrappedConn {
	conn.SubscribeEvents(SCTP_EVENT_DATA_IO)
	return &SCTPSndRcvInfoWrappedConn{conn}
}

// Write sends b[32:] as one message with the SndRcvInfo in b[:32]; it returns the bytes taken
// including the header. A buffer shorter than the header is EINVAL.
func (c *SCTPSndRcvInfoWrappedConn) Write(b []byte) (int, error) {
	if len(b) < sndRcvInfoSize {
		return 0, syscall.EINVAL
	}
	info := decodeSndRcvInfo(b)
	n, err := c.conn.SCTPWrite(b[sndRcvInfoSize:], &info)
	return n + sndRcvInfoSize, err
}

// Read reads one message (or piece) into b[32:] and its SndRcvInfo into b[:32]; it returns the
// bytes filled including the header. Without information (a notification, with no handler) the
// header is left as it was. A buffer shorter than the header is EINVAL.
func (c *SCTPSndRcvInfoWrappedConn) Read(b []byte) (int, error) {
	if len(b) < sndRcvInfoSize {
		return 0, syscall.EINVAL
	}
	n, info, err := c.conn.SCTPRead(b[sndRcvInfoSize:])
	if err != nil {
		return n, err
	}
	if info != nil {
		encodeSndRcvInfo(b, info)
	}
	return n + sndRcvInfoSize, nil
}

// decodeSndRcvInfo reads a struct sctp_sndrcvinfo in the host's byte order from b.
func decodeSndRcvInfo(b []byte) SndRcvInfo {
	e := binary.NativeEndian
	return SndRcvInfo{Stream: e.Uint16(b[0:]), SSN: e.Uint16(b[2:]), Flags: e.Uint16(b[4:]),
		PPID: e.Uint32(b[8:]), Context: e.Uint32(b[12:]), TTL: e.Uint32(b[16:]), TSN: e.Uint32(b[20:]),
		CumTSN: e.Uint32(b[24:]), AssocID: int32(e.Uint32(b[28:]))}
}

// encodeSndRcvInfo writes info into b as decodeSndRcvInfo reads it.
func encodeSndRcvInfo(b []byte, info *SndRcvInfo) {
	e := binary.NativeEndian
	e.PutUint16(b[0:], info.Stream)
	e.PutUint16(b[2:], info.SSN)
	e.PutUint16(b[4:], info.Flags)
	e.PutUint16(b[6:], 0)
	e.PutUint32(b[8:], info.PPID)
	e.PutUint32(b[12:], info.Context)
	e.PutUint32(b[16:], info.TTL)
	e.PutUint32(b[20:], info.TSN)
	e.PutUint32(b[24:], info.CumTSN)
	e.PutUint32(b[28:], uint32(info.AssocID))
}

// Close closes the connection.
func (c *SCTPSndRcvInfoWrappedConn) Close() error { return c.conn.Close() }

// LocalAddr returns the connection's local addresses.
func (c *SCTPSndRcvInfoWrappedConn) LocalAddr() net.Addr { return c.conn.LocalAddr() }

// RemoteAddr returns the peer's addresses.
func (c *SCTPSndRcvInfoWrappedConn) RemoteAddr() net.Addr { return c.conn.RemoteAddr() }

// SetDeadline sets the read and write deadlines.
func (c *SCTPSndRcvInfoWrappedConn) SetDeadline(t time.Time) error { return c.conn.SetDeadline(t) }

// SetReadDeadline sets the read deadline.
func (c *SCTPSndRcvInfoWrappedConn) SetReadDeadline(t time.Time) error {
	return c.conn.SetReadDeadline(t)
}

// SetWriteDeadline sets the write deadline.
func (c *SCTPSndRcvInfoWrappedConn) SetWriteDeadline(t time.Time) error {
	return c.conn.SetWriteDeadline(t)
}

// SetWriteBuffer sets SO_SNDBUF.
func (c *SCTPSndRcvInfoWrappedConn) SetWriteBuffer(bytes int) error {
	return c.conn.SetWriteBuffer(bytes)
}

// GetWriteBuffer returns SO_SNDBUF.
func (c *SCTPSndRcvInfoWrappedConn) GetWriteBuffer() (int, error) { return c.conn.GetWriteBuffer() }

// SetReadBuffer sets SO_RCVBUF.
func (c *SCTPSndRcvInfoWrappedConn) SetReadBuffer(bytes int) error {
	return c.conn.SetReadBuffer(bytes)
}

// GetReadBuffer returns SO_RCVBUF.
func (c *SCTPSndRcvInfoWrappedConn) GetReadBuffer() (int, error) { return c.conn.GetReadBuffer() }
