// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include "sctpio.h"
*/
import "C"

import (
	"net/netip"
	"strconv"
	"time"
)

// This file holds the socket options shared by SCTPConn, Listener and Endpoint as methods of sock,
// each taking the association it concerns (0 on a one-to-one socket, or for an endpoint's defaults
// for future associations); the exported wrappers are in conn_options.go.

// InitMsg holds the parameters of future associations' setup (SCTP_INITMSG). A zero field leaves
// that value as it is.
type InitMsg struct {
	OutStreams     uint16        // outbound streams asked for (Linux default 10)
	MaxInStreams   uint16        // inbound streams accepted (Linux default 65535)
	MaxAttempts    uint16        // INIT retransmissions before giving up
	MaxInitTimeout time.Duration // cap on the retransmission timeout during setup (millisecond resolution)
}

// RTOInfo bounds an association's retransmission timeout (SCTP_RTOINFO). A zero field leaves that
// value as it is when set.
type RTOInfo struct {
	Initial, Min, Max time.Duration // millisecond resolution
}

// AssocState is an association's protocol state (SCTP_STATUS).
type AssocState int32

// Association states.
const (
	StateEmpty            AssocState = C.SCTP_EMPTY
	StateClosed           AssocState = C.SCTP_CLOSED
	StateCookieWait       AssocState = C.SCTP_COOKIE_WAIT
	StateCookieEchoed     AssocState = C.SCTP_COOKIE_ECHOED
	StateEstablished      AssocState = C.SCTP_ESTABLISHED
	StateShutdownPending  AssocState = C.SCTP_SHUTDOWN_PENDING
	StateShutdownSent     AssocState = C.SCTP_SHUTDOWN_SENT
	StateShutdownReceived AssocState = C.SCTP_SHUTDOWN_RECEIVED
	StateShutdownAckSent  AssocState = C.SCTP_SHUTDOWN_ACK_SENT
)

var assocStateNames = [...]string{"EMPTY", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED",
	"SHUTDOWN_PENDING", "SHUTDOWN_SENT", "SHUTDOWN_RECEIVED", "SHUTDOWN_ACK_SENT"}

// String returns the state's name, "ESTABLISHED" and so on.
func (s AssocState) String() string {
	if s >= 0 && int(s) < len(assocStateNames) {
		return assocStateNames[s]
	}
	return "AssocState(" + strconv.Itoa(int(s)) + ")"
}

// PathState is the state of one path to a peer address.
type PathState int32

// Path states.
const (
	PathInactive          PathState = C.SCTP_INACTIVE
	PathPotentiallyFailed PathState = C.SCTP_PF
	PathActive            PathState = C.SCTP_ACTIVE
	PathUnconfirmed       PathState = C.SCTP_UNCONFIRMED
	PathUnknown           PathState = C.SCTP_UNKNOWN
)

// String returns the state's name, "ACTIVE" and so on.
func (s PathState) String() string {
	switch s {
	case PathInactive:
		return "INACTIVE"
	case PathPotentiallyFailed:
		return "POTENTIALLY_FAILED"
	case PathActive:
		return "ACTIVE"
	case PathUnconfirmed:
		return "UNCONFIRMED"
	case PathUnknown:
		return "UNKNOWN"
	}
	return "PathState(" + strconv.Itoa(int(s)) + ")"
}

// PathInfo describes one path: a peer address and how it does.
type PathInfo struct {
	Addr  netip.AddrPort
	State PathState
	CWnd  uint32 // congestion window, bytes
	// SRTTTicks is the smoothed round-trip time as Linux reports it: in kernel ticks (1/CONFIG_HZ s),
	// not the milliseconds RFC 6458 specifies; no call tells userspace CONFIG_HZ.
	SRTTTicks uint32
	RTO       time.Duration
	MTU       uint32
}

// Status is an association's state (SCTP_STATUS).
type Status struct {
	AssocID    AssocID
	State      AssocState
	RWnd       uint32 // the peer's receive window as last advertised, bytes
	Unacked    uint16 // DATA chunks sent and not acknowledged
	Pending    uint16 // DATA chunks received and waiting for gaps to fill
	InStreams  uint16 // negotiated inbound streams
	OutStreams uint16 // negotiated outbound streams: SndInfo.Stream must be below
	FragPoint  uint32 // the largest DATA chunk payload, bytes
	Primary    PathInfo
}

// PeerAddrFlags turn per-path features on and off in PeerAddrParams.
type PeerAddrFlags uint32

// Peer address flags; On and Off of one feature exclude each other.
const (
	HeartbeatOn         PeerAddrFlags = C.SCTPIO_PADDR_HB_ON
	HeartbeatOff        PeerAddrFlags = C.SCTPIO_PADDR_HB_OFF
	HeartbeatDemand     PeerAddrFlags = C.SCTPIO_PADDR_HB_DEMAND // set: send a heartbeat now (needs Addr)
	PMTUDOn             PeerAddrFlags = C.SCTPIO_PADDR_PMTUD_ON
	PMTUDOff            PeerAddrFlags = C.SCTPIO_PADDR_PMTUD_OFF
	SackDelayOn         PeerAddrFlags = C.SCTPIO_PADDR_SACKDELAY_ON
	SackDelayOff        PeerAddrFlags = C.SCTPIO_PADDR_SACKDELAY_OFF
	HeartbeatTimeIsZero PeerAddrFlags = C.SCTPIO_PADDR_HB_TIME_IS_ZERO // set: make the interval exactly 0
)

// PeerAddrParams are the parameters of one peer address, or of a whole association (or an
// endpoint's defaults) when Addr is the zero AddrPort (SCTP_PEER_ADDR_PARAMS). When set, a zero
// field is left as it is; a non-zero HeartbeatInterval also turns heartbeats on and a non-zero
// PathMTU also turns path MTU discovery off (the kernel ignores them otherwise).
type PeerAddrParams struct {
	Addr              netip.AddrPort
	HeartbeatInterval time.Duration // between heartbeats on an idle path; millisecond resolution
	PathMaxRetrans    uint16        // retransmissions before the path is marked inactive
	PathMTU           uint32        // bytes
	SackDelay         time.Duration // delayed-SACK timer, at most 500 ms
	Flags             PeerAddrFlags // get: the current On/Off flags
}

// ms converts d to whole milliseconds for the kernel, rounding up so that a small non-zero duration
// does not turn into 0 ("leave unchanged").
func ms(d time.Duration) C.uint32_t {
	if d <= 0 {
		return 0
	}
	m := (d + time.Millisecond - 1) / time.Millisecond
	if m > 1<<32-1 {
		m = 1<<32 - 1
	}
	return C.uint32_t(m)
}

func fromMs(v C.uint32_t) time.Duration { return time.Duration(v) * time.Millisecond }

// opt runs f on the descriptor; failures are *net.OpError{Op: op} around *os.SyscallError{call}.
func (s *sock) opt(op, call string, f func(fd C.int) C.int) error {
	return s.controlCall(op, call, func(fd C.int) C.long { return C.long(f(fd)) })
}

func (s *sock) set(f func(fd C.int) C.int) error { return s.opt("set", "setsockopt", f) }

// getInt runs a getter whose result is its return value.
func (s *sock) getInt(f func(fd C.int) C.int) (int, error) {
	var v C.int
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { v = f(fd); return v })
	return int(v), err
}

func cBool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

func (s *sock) setNoDelay(on bool) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_nodelay(fd, cBool(on)) })
}

func (s *sock) noDelay() (bool, error) {
	v, err := s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_nodelay(fd) })
	return v == 1, err
}

func (s *sock) setRecvNextInfo(on bool) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_recvnxtinfo(fd, cBool(on)) })
}

func (s *sock) setBuffer(read bool, bytes int) error {
	return s.set(func(fd C.int) C.int {
		if read {
			return C.sctpio_opt_set_rcvbuf(fd, C.int(bytes))
		}
		return C.sctpio_opt_set_sndbuf(fd, C.int(bytes))
	})
}

func (s *sock) buffer(read bool) (int, error) {
	return s.getInt(func(fd C.int) C.int {
		if read {
			return C.sctpio_opt_get_rcvbuf(fd)
		}
		return C.sctpio_opt_get_sndbuf(fd)
	})
}

// setLinger follows net.TCPConn.SetLinger: sec < 0 turns lingering off (a graceful shutdown in the
// background), 0 makes Close abort the association, sec > 0 lingers that long.
func (s *sock) setLinger(sec int) error {
	return s.set(func(fd C.int) C.int {
		if sec < 0 {
			return C.sctpio_opt_set_linger(fd, 0, 0)
		}
		return C.sctpio_opt_set_linger(fd, 1, C.int(sec))
	})
}

func (s *sock) setAutoClose(d time.Duration) error {
	sec := int((d + time.Second - 1) / time.Second)
	if d <= 0 {
		sec = 0
	}
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_autoclose(fd, C.int(sec)) })
}

func (m *InitMsg) toC(c *C.struct_sctp_initmsg) {
	*c = C.struct_sctp_initmsg{
		sinit_num_ostreams:   C.__u16(m.OutStreams),
		sinit_max_instreams:  C.__u16(m.MaxInStreams),
		sinit_max_attempts:   C.__u16(m.MaxAttempts),
		sinit_max_init_timeo: C.__u16(min(ms(m.MaxInitTimeout), 1<<16-1)),
	}
}

func (m InitMsg) isZero() bool { return m == InitMsg{} }

func setInitMsg(fd C.int, m InitMsg) C.int {
	var c C.struct_sctp_initmsg
	m.toC(&c)
	return C.sctpio_opt_set_initmsg(fd, &c)
}

func (s *sock) setInitMsg(m InitMsg) error {
	return s.set(func(fd C.int) C.int { return setInitMsg(fd, m) })
}

func (s *sock) initMsg() (InitMsg, error) {
	var c C.struct_sctp_initmsg
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_initmsg(fd, &c) })
	return InitMsg{OutStreams: uint16(c.sinit_num_ostreams), MaxInStreams: uint16(c.sinit_max_instreams),
		MaxAttempts: uint16(c.sinit_max_attempts), MaxInitTimeout: fromMs(C.uint32_t(c.sinit_max_init_timeo))}, err
}

func (s *sock) rtoInfo(id AssocID) (RTOInfo, error) {
	var c C.struct_sctp_rtoinfo
	err := s.opt("get", "getsockopt", func(fd C.int) C.int {
		return C.sctpio_opt_get_rtoinfo(fd, C.sctp_assoc_t(id), &c)
	})
	return RTOInfo{Initial: fromMs(C.uint32_t(c.srto_initial)), Min: fromMs(C.uint32_t(c.srto_min)),
		Max: fromMs(C.uint32_t(c.srto_max))}, err
}

func (s *sock) setRTOInfo(id AssocID, r RTOInfo) error {
	c := C.struct_sctp_rtoinfo{srto_initial: C.__u32(ms(r.Initial)), srto_min: C.__u32(ms(r.Min)),
		srto_max: C.__u32(ms(r.Max))}
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_rtoinfo(fd, C.sctp_assoc_t(id), &c) })
}

func pathFromC(p *C.struct_sctpio_paddrinfo) PathInfo {
	return PathInfo{Addr: getAddr(&p.addr), State: PathState(p.state), CWnd: uint32(p.cwnd),
		SRTTTicks: uint32(p.srtt_ticks), RTO: fromMs(p.rto), MTU: uint32(p.mtu)}
}

func (s *sock) status(id AssocID) (Status, error) {
	var c C.struct_sctpio_status
	err := s.opt("get", "getsockopt", func(fd C.int) C.int {
		return C.sctpio_opt_get_status(fd, C.sctp_assoc_t(id), &c)
	})
	if err != nil {
		return Status{}, err
	}
	return Status{AssocID: AssocID(c.assoc_id), State: AssocState(c.state), RWnd: uint32(c.rwnd),
		Unacked: uint16(c.unacked), Pending: uint16(c.pending), InStreams: uint16(c.in_streams),
		OutStreams: uint16(c.out_streams), FragPoint: uint32(c.frag_point), Primary: pathFromC(&c.primary)}, nil
}

func (s *sock) pathInfo(id AssocID, addr netip.AddrPort) (PathInfo, error) {
	var a C.sctpio_addr
	var c C.struct_sctpio_paddrinfo
	putAddr(&a, addr)
	err := s.opt("get", "getsockopt", func(fd C.int) C.int {
		return C.sctpio_opt_get_peer_addr_info(fd, C.sctp_assoc_t(id), &a, &c)
	})
	return pathFromC(&c), err
}

func (s *sock) peerAddrParams(id AssocID, addr netip.AddrPort) (PeerAddrParams, error) {
	var c C.struct_sctpio_paddrparams
	if addr.IsValid() {
		putAddr(&c.addr, addr)
	}
	err := s.opt("get", "getsockopt", func(fd C.int) C.int {
		return C.sctpio_opt_get_paddrparams(fd, C.sctp_assoc_t(id), &c)
	})
	return PeerAddrParams{Addr: addr, HeartbeatInterval: fromMs(c.hb_interval), PathMaxRetrans: uint16(c.path_max_retrans),
		PathMTU: uint32(c.path_mtu), SackDelay: fromMs(c.sack_delay), Flags: PeerAddrFlags(c.flags)}, err
}

func (s *sock) setPeerAddrParams(id AssocID, p PeerAddrParams) error {
	var c C.struct_sctpio_paddrparams
	if p.Addr.IsValid() {
		putAddr(&c.addr, p.Addr)
	}
	c.hb_interval = ms(p.HeartbeatInterval)
	c.path_max_retrans = C.uint16_t(p.PathMaxRetrans)
	c.path_mtu = C.uint32_t(p.PathMTU)
	c.sack_delay = ms(p.SackDelay)
	c.flags = C.uint32_t(p.Flags)
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_paddrparams(fd, C.sctp_assoc_t(id), &c) })
}

func (s *sock) setPrimary(id AssocID, addr netip.AddrPort) error {
	var a C.sctpio_addr
	putAddr(&a, addr)
	return s.set(func(fd C.int) C.int { return C.sctpio_sock_set_primary(fd, C.sctp_assoc_t(id), &a) })
}

func (s *sock) assocIDs() ([]AssocID, error) {
	var list []C.sctp_assoc_t
	for {
		var p *C.sctp_assoc_t
		if len(list) > 0 {
			p = &list[0]
		}
		n, err := s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_assoc_ids(fd, p, C.size_t(len(list))) })
		if err != nil {
			return nil, err
		}
		if n <= len(list) {
			ids := make([]AssocID, n)
			for i := range ids {
				ids[i] = AssocID(list[i])
			}
			return ids, nil
		}
		// More associations than room (some may have come since): make room and ask again.
		list = make([]C.sctp_assoc_t, n+8)
	}
}

// bindx adds (add) or removes local addresses ips, on the socket's port, at run time.
func (s *sock) bindx(add bool, ips []netip.Addr) error {
	if len(ips) == 0 {
		return nil
	}
	list := make([]C.sctpio_addr, len(ips))
	for i, ip := range ips {
		// Port 0: the kernel uses the port the socket is bound to.
		putAddr(&list[i], netip.AddrPortFrom(ip, 0))
	}
	op := "bindx"
	return s.opt(op, "setsockopt", func(fd C.int) C.int {
		if add {
			return C.sctpio_sock_bind_add(fd, &list[0], C.size_t(len(list)))
		}
		return C.sctpio_sock_bind_remove(fd, &list[0], C.size_t(len(list)))
	})
}

// setDefaultSendInfo sets what messages sent without send info (Write) go with: only Stream,
// PPID, Context and the Unordered flag count.
func (s *sock) setDefaultSendInfo(id AssocID, info SndInfo) error {
	c := C.struct_sctpio_default_sndinfo{stream: C.uint16_t(info.Stream), flags: C.uint16_t(info.Flags),
		ppid: C.uint32_t(info.PPID), context: C.uint32_t(info.Context)}
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_default_sndinfo(fd, C.sctp_assoc_t(id), &c) })
}
