// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"net/netip"
	"time"
)

// The exported options of SCTPConn, Listener and Endpoint, over the sock methods of options.go.
// A one-to-one connection has one association and needs no id; an endpoint names the association,
// or 0 for its defaults that future associations inherit.

// SetNoDelay turns Nagle's algorithm off (true, the default) or on (false). With it on, a sender of
// small messages waits for acknowledgements before sending more: streaming 100-byte messages on
// loopback with the kernel's default buffers went about 5 times slower and each message waited
// ~200 ms (the delayed-SACK timer); with large buffers Nagle's bundling streamed faster, but still
// delayed each message by tens of milliseconds (bench/README.md, "Nagle against SCTP_NODELAY").
func (c *SCTPConn) SetNoDelay(on bool) error { return c.s.setNoDelay(on) }

// NoDelay reports whether SCTP_NODELAY is on.
func (c *SCTPConn) NoDelay() (bool, error) { return c.s.noDelay() }

// SetRecvNextInfo makes every ReadMsg also describe the next message waiting (RcvInfo.Next*, with
// RecvHasNext set) when on.
func (c *SCTPConn) SetRecvNextInfo(on bool) error { return c.s.setRecvNextInfo(on) }

// SetReadBuffer sets SO_RCVBUF. Linux doubles the value (the other half pays for bookkeeping) and
// caps it at net.core.rmem_max; the receive buffer also bounds the window advertised to the peer.
func (c *SCTPConn) SetReadBuffer(bytes int) error { return c.s.setBuffer(true, bytes) }

// SetWriteBuffer sets SO_SNDBUF (doubled and capped by Linux as for SetReadBuffer).
func (c *SCTPConn) SetWriteBuffer(bytes int) error { return c.s.setBuffer(false, bytes) }

// ReadBuffer returns SO_RCVBUF as the kernel reports it (twice the value set).
func (c *SCTPConn) ReadBuffer() (int, error) { return c.s.buffer(true) }

// WriteBuffer returns SO_SNDBUF as the kernel reports it.
func (c *SCTPConn) WriteBuffer() (int, error) { return c.s.buffer(false) }

// SetLinger sets what Close does with unsent data, as net.TCPConn.SetLinger: sec < 0 (the default)
// shuts the association down gracefully in the background; sec == 0 aborts it (the peer sees
// COMM_LOST); sec > 0 lingers up to sec seconds for the graceful shutdown.
func (c *SCTPConn) SetLinger(sec int) error { return c.s.setLinger(sec) }

// SetDefaultSendInfo sets what Write (and WriteMsg with a nil info) sends with: info.Stream,
// info.PPID, info.Context, and info.Flags 0 or Unordered (others: EINVAL).
func (c *SCTPConn) SetDefaultSendInfo(info SndInfo) error { return c.s.setDefaultSendInfo(0, info) }

// RTOInfo returns the association's retransmission timeout bounds.
func (c *SCTPConn) RTOInfo() (RTOInfo, error) { return c.s.rtoInfo(0) }

// SetRTOInfo changes the association's retransmission timeout bounds; zero fields stay as they are.
func (c *SCTPConn) SetRTOInfo(r RTOInfo) error { return c.s.setRTOInfo(0, r) }

// Status returns the association's state: negotiated streams, the peer's window, the primary path.
func (c *SCTPConn) Status() (Status, error) { return c.s.status(0) }

// PathInfo returns the state of the path to peer address addr (its port may be 0).
func (c *SCTPConn) PathInfo(addr netip.AddrPort) (PathInfo, error) { return c.s.pathInfo(0, addr) }

// PeerAddrParams returns the parameters of peer address addr, or of the association for the zero
// AddrPort.
func (c *SCTPConn) PeerAddrParams(addr netip.AddrPort) (PeerAddrParams, error) {
	return c.s.peerAddrParams(0, addr)
}

// SetPeerAddrParams changes the parameters of peer address p.Addr, or of every path for the zero
// AddrPort: heartbeat interval, retransmissions, path MTU, SACK delay.
func (c *SCTPConn) SetPeerAddrParams(p PeerAddrParams) error { return c.s.setPeerAddrParams(0, p) }

// SetPrimary makes peer address addr the primary path.
func (c *SCTPConn) SetPrimary(addr netip.AddrPort) error { return c.s.setPrimary(0, addr) }

// BindAdd adds local addresses to the association at run time, on its port (announced to the peer
// with ASCONF where both sides enable it: net.sctp.addip_enable).
func (c *SCTPConn) BindAdd(ips ...netip.Addr) error { return c.s.bindx(true, ips) }

// BindRemove removes local addresses from the association at run time.
func (c *SCTPConn) BindRemove(ips ...netip.Addr) error { return c.s.bindx(false, ips) }

// BindAdd adds local addresses to the listener at run time, on its port: associations accepted
// afterwards use them too.
func (l *Listener) BindAdd(ips ...netip.Addr) error { return l.s.bindx(true, ips) }

// BindRemove removes local addresses from the listener at run time.
func (l *Listener) BindRemove(ips ...netip.Addr) error { return l.s.bindx(false, ips) }

// LocalAddrs asks the kernel for the listener's current local addresses.
func (l *Listener) LocalAddrs() (*Addr, error) { return l.s.addrs(false, 0) }

// SetInitMsg sets the parameters of associations accepted from now on (see ListenConfig to set
// them before the listener exists).
func (l *Listener) SetInitMsg(m InitMsg) error { return l.s.setInitMsg(m) }

// SetNoDelay turns Nagle's algorithm off (true, the default) or on for the endpoint's associations.
func (e *Endpoint) SetNoDelay(on bool) error { return e.s.setNoDelay(on) }

// NoDelay reports whether SCTP_NODELAY is on.
func (e *Endpoint) NoDelay() (bool, error) { return e.s.noDelay() }

// SetRecvNextInfo makes every read also describe the next message waiting (RcvInfo.Next*).
func (e *Endpoint) SetRecvNextInfo(on bool) error { return e.s.setRecvNextInfo(on) }

// SetReadBuffer sets SO_RCVBUF (doubled and capped by Linux, see SCTPConn.SetReadBuffer).
func (e *Endpoint) SetReadBuffer(bytes int) error { return e.s.setBuffer(true, bytes) }

// SetWriteBuffer sets SO_SNDBUF.
func (e *Endpoint) SetWriteBuffer(bytes int) error { return e.s.setBuffer(false, bytes) }

// ReadBuffer returns SO_RCVBUF as the kernel reports it.
func (e *Endpoint) ReadBuffer() (int, error) { return e.s.buffer(true) }

// WriteBuffer returns SO_SNDBUF as the kernel reports it.
func (e *Endpoint) WriteBuffer() (int, error) { return e.s.buffer(false) }

// SetLinger sets what Close does to the endpoint's associations (see SCTPConn.SetLinger).
func (e *Endpoint) SetLinger(sec int) error { return e.s.setLinger(sec) }

// SetAutoClose shuts down associations idle for d (rounded up to seconds; 0, the default: never).
// The kernel caps it at net.sctp.max_autoclose.
func (e *Endpoint) SetAutoClose(d time.Duration) error { return e.s.setAutoClose(d) }

// InitMsg returns the parameters for the endpoint's future associations.
func (e *Endpoint) InitMsg() (InitMsg, error) { return e.s.initMsg() }

// SetInitMsg sets the parameters for associations set up from now on: streams asked for and
// accepted, INIT retries. Zero fields stay as they are.
func (e *Endpoint) SetInitMsg(m InitMsg) error { return e.s.setInitMsg(m) }

// SetDefaultSendInfo sets what messages of association id (0: future ones) sent without send info
// go with: info.Stream, info.PPID, info.Context, and info.Flags 0 or Unordered.
func (e *Endpoint) SetDefaultSendInfo(id AssocID, info SndInfo) error {
	return e.s.setDefaultSendInfo(id, info)
}

// RTOInfo returns the retransmission timeout bounds of association id (0: the endpoint's defaults).
func (e *Endpoint) RTOInfo(id AssocID) (RTOInfo, error) { return e.s.rtoInfo(id) }

// SetRTOInfo changes the retransmission timeout bounds of association id (0: future ones).
func (e *Endpoint) SetRTOInfo(id AssocID, r RTOInfo) error { return e.s.setRTOInfo(id, r) }

// Status returns the state of association id.
func (e *Endpoint) Status(id AssocID) (Status, error) { return e.s.status(id) }

// PathInfo returns the state of the path to peer address addr of association id.
func (e *Endpoint) PathInfo(id AssocID, addr netip.AddrPort) (PathInfo, error) {
	return e.s.pathInfo(id, addr)
}

// PeerAddrParams returns the parameters of peer address addr of association id, or of the whole
// association (the endpoint's defaults for id 0) for the zero AddrPort.
func (e *Endpoint) PeerAddrParams(id AssocID, addr netip.AddrPort) (PeerAddrParams, error) {
	return e.s.peerAddrParams(id, addr)
}

// SetPeerAddrParams changes the parameters of peer address p.Addr of association id (every path
// for the zero AddrPort; id 0: the defaults for future associations).
func (e *Endpoint) SetPeerAddrParams(id AssocID, p PeerAddrParams) error {
	return e.s.setPeerAddrParams(id, p)
}

// SetPrimary makes peer address addr the primary path of association id.
func (e *Endpoint) SetPrimary(id AssocID, addr netip.AddrPort) error { return e.s.setPrimary(id, addr) }

// AssocIDs returns the ids of the endpoint's current associations.
func (e *Endpoint) AssocIDs() ([]AssocID, error) { return e.s.assocIDs() }

// LocalAddrs returns the local addresses of association id (0: the endpoint's bound addresses).
func (e *Endpoint) LocalAddrs(id AssocID) (*Addr, error) { return e.s.addrs(false, id) }

// BindAdd adds local addresses to the endpoint at run time, on its port.
func (e *Endpoint) BindAdd(ips ...netip.Addr) error { return e.s.bindx(true, ips) }

// BindRemove removes local addresses from the endpoint at run time.
func (e *Endpoint) BindRemove(ips ...netip.Addr) error { return e.s.bindx(false, ips) }
