// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include "sctpio.h"
*/
import "C"

import (
	"net/netip"
	"time"
)

// This file holds the options of sctpio/options.h beyond those of options.go, as methods of sock
// taking the association they concern (0 on a one-to-one socket; on an endpoint 0 means its
// defaults for future associations); the exported wrappers are at the end.

// AssocParams are an association's limits (SCTP_ASSOCINFO). On set only MaxRetrans and CookieLife
// count, and a zero leaves that value as it is; the rest is read-only.
type AssocParams struct {
	MaxRetrans       uint16        // retransmissions before the association is declared dead (Linux default 10)
	CookieLife       time.Duration // lifetime of the state cookie this side issues (millisecond resolution)
	PeerDestinations uint16        // the peer's addresses
	PeerRWnd         uint32        // the peer's receive window, bytes
	LocalRWnd        uint32        // this side's receive window, bytes
}

// DelayedSack is how received data is acknowledged (SCTP_DELAYED_SACK): a SACK goes out after Freq
// packets carrying data or after Delay, whichever comes first. Freq 1 turns delayed SACK off (get then
// reports Delay 0). On set a zero field leaves that value as it is; Delay is at most 500 ms.
type DelayedSack struct {
	Delay time.Duration // millisecond resolution; Linux default 200 ms
	Freq  uint32        // Linux default 2
}

// Scheduler is an outbound stream scheduler (SCTP_STREAM_SCHEDULER).
type Scheduler int

// Stream schedulers. FC and WFQ need Linux 6.2 or later.
const (
	SchedFCFS Scheduler = C.SCTPIO_SCHED_FCFS // first come, first served: the default
	SchedPrio Scheduler = C.SCTPIO_SCHED_PRIO // strict priority per stream: lower value first
	SchedRR   Scheduler = C.SCTPIO_SCHED_RR   // round-robin over streams with data
	SchedFC   Scheduler = C.SCTPIO_SCHED_FC   // fair capacity
	SchedWFQ  Scheduler = C.SCTPIO_SCHED_WFQ  // weighted fair queueing, weight per stream
)

// PathThresholds are the failure thresholds of one path, or of every path (SCTP_PEER_ADDR_THLDS):
// PathMaxRetrans timeouts make a path inactive, PFThreshold make it potentially failed (RFC 7829;
// traffic moves off it at once), PSThreshold on the primary switch the primary over. On set,
// PathMaxRetrans 0 leaves it, PFThreshold is always written, PSThreshold only with HasPS.
type PathThresholds struct {
	Addr           netip.AddrPort // a peer address, or the zero value: every path (or the endpoint)
	PathMaxRetrans uint16
	PFThreshold    uint16
	PSThreshold    uint16 // PSOff: no switchover (the Linux default)
	HasPS          bool   // set: write PSThreshold; get: the kernel reported it (Linux 5.5+)
}

// PSOff as PathThresholds.PSThreshold turns primary switchover off.
const PSOff = C.SCTPIO_PS_OFF

// PFExpose says who learns that a path is potentially failed (SCTP_EXPOSE_POTENTIALLY_FAILED_STATE).
type PFExpose int

// PFExpose values.
const (
	PFExposeUnset   PFExpose = C.SCTPIO_PF_EXPOSE_UNSET   // the sysctl's default: PathInfo reports it
	PFExposeDisable PFExpose = C.SCTPIO_PF_EXPOSE_DISABLE // hidden: PathInfo of such a path fails with EACCES
	PFExposeEnable  PFExpose = C.SCTPIO_PF_EXPOSE_ENABLE  // reported, and notified by PeerAddrChange
)

// AssocStats are an association's counters since it started (SCTP_GET_ASSOC_STATS); chunk counts
// are DATA chunks. MaxRTOTicks is the highest RTO of any path since the previous call, in kernel
// ticks (as PathInfo.SRTTTicks), on path MaxRTOAddr.
type AssocStats struct {
	MaxRTOAddr                  netip.AddrPort
	MaxRTOTicks                 uint64
	SacksIn, SacksOut           uint64
	PacketsIn, PacketsOut       uint64
	RtxChunks                   uint64
	OutOfSeqTSNs                uint64
	DupChunksIn                 uint64
	GapAcksIn                   uint64
	UnorderedIn, UnorderedOut   uint64
	OrderedIn, OrderedOut       uint64
	CtrlChunksIn, CtrlChunksOut uint64
}

// PRStatus counts the messages of one PR-SCTP policy that the sender gave up (RFC 7496).
type PRStatus struct {
	AbandonedUnsent uint64 // expired or pruned before they were ever transmitted
	AbandonedSent   uint64 // transmitted at least once, then given up
}

// PRAll as the policy of PRStatus and StreamPRStatus sums over every policy.
const PRAll PRPolicy = C.SCTPIO_PR_ALL

// ResetDirection are the directions of ResetStreams.
type ResetDirection uint

// ResetDirection bits.
const (
	ResetIn  ResetDirection = C.SCTPIO_STREAM_RESET_IN  // ask the peer to reset its outgoing side
	ResetOut ResetDirection = C.SCTPIO_STREAM_RESET_OUT // reset this side's outgoing streams
)

// ReconfigEnable are what SetEnableStreamReset allows the peer to request (RFC 6525).
type ReconfigEnable uint

// ReconfigEnable bits.
const (
	EnableResetStreams ReconfigEnable = C.SCTPIO_ENABLE_RESET_STREAMS // ResetStreams
	EnableResetAssoc   ReconfigEnable = C.SCTPIO_ENABLE_RESET_ASSOC   // ResetAssoc
	EnableChangeAssoc  ReconfigEnable = C.SCTPIO_ENABLE_CHANGE_ASSOC  // AddStreams
)

// Extension is an SCTP extension negotiated in INIT and INIT-ACK (SetExtension, Extension).
type Extension int

// Extensions.
const (
	ExtECN          Extension = iota // explicit congestion notification (SCTP_ECN_SUPPORTED)
	ExtASCONF                        // dynamic address reconfiguration, RFC 5061 (needs ExtAuth on both sides)
	ExtInterleaving                  // I-DATA, RFC 8260 (needs the sysctl net.sctp.intl_enable and fragment interleave)
	ExtPR                            // partial reliability, RFC 3758
	ExtReconfig                      // stream reconfiguration, RFC 6525
	ExtAuth                          // SCTP-AUTH, RFC 4895
)

var extNames = [...]string{"ECN", "ASCONF", "Interleaving", "PR", "Reconfig", "Auth"}

// String returns the extension's name.
func (e Extension) String() string {
	if e >= 0 && int(e) < len(extNames) {
		return extNames[e]
	}
	return "Extension(?)"
}

func assoc(id AssocID) C.sctp_assoc_t { return C.sctp_assoc_t(id) }

// peerArg is the C form of an optional peer address: NULL for the zero AddrPort.
func peerArg(a *C.sctpio_addr, p netip.AddrPort) *C.sctpio_addr {
	if !p.IsValid() {
		return nil
	}
	putAddr(a, p)
	return a
}

func (s *sock) assocParams(id AssocID) (AssocParams, error) {
	var c C.struct_sctp_assocparams
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_associnfo(fd, assoc(id), &c) })
	return AssocParams{MaxRetrans: uint16(c.sasoc_asocmaxrxt), CookieLife: fromMs(C.uint32_t(c.sasoc_cookie_life)),
		PeerDestinations: uint16(c.sasoc_number_peer_destinations), PeerRWnd: uint32(c.sasoc_peer_rwnd),
		LocalRWnd: uint32(c.sasoc_local_rwnd)}, err
}

func (s *sock) setAssocParams(id AssocID, p AssocParams) error {
	c := C.struct_sctp_assocparams{sasoc_asocmaxrxt: C.__u16(p.MaxRetrans), sasoc_cookie_life: C.__u32(ms(p.CookieLife))}
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_associnfo(fd, assoc(id), &c) })
}

func (s *sock) maxSeg(id AssocID) (int, error) {
	return s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_maxseg(fd, assoc(id)) })
}

func (s *sock) setMaxSeg(id AssocID, bytes int) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_maxseg(fd, assoc(id), C.uint32_t(bytes)) })
}

func (s *sock) delayedSack(id AssocID) (DelayedSack, error) {
	var d, f C.uint32_t
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_delayed_sack(fd, assoc(id), &d, &f) })
	return DelayedSack{Delay: fromMs(d), Freq: uint32(f)}, err
}

func (s *sock) setDelayedSack(id AssocID, d DelayedSack) error {
	return s.set(func(fd C.int) C.int {
		return C.sctpio_opt_set_delayed_sack(fd, assoc(id), ms(d.Delay), C.uint32_t(d.Freq))
	})
}

func (s *sock) context(id AssocID) (uint32, error) {
	var v C.uint32_t
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_context(fd, assoc(id), &v) })
	return uint32(v), err
}

func (s *sock) setContext(id AssocID, v uint32) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_context(fd, assoc(id), C.uint32_t(v)) })
}

func (s *sock) maxBurst(id AssocID) (int, error) {
	return s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_max_burst(fd, assoc(id)) })
}

func (s *sock) setMaxBurst(id AssocID, packets int) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_max_burst(fd, assoc(id), C.uint32_t(packets)) })
}

func (s *sock) scheduler(id AssocID) (Scheduler, error) {
	v, err := s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_stream_scheduler(fd, assoc(id)) })
	return Scheduler(v), err
}

func (s *sock) setScheduler(id AssocID, sc Scheduler) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_stream_scheduler(fd, assoc(id), C.int(sc)) })
}

func (s *sock) schedulerValue(id AssocID, stream uint16) (uint16, error) {
	v, err := s.getInt(func(fd C.int) C.int {
		return C.sctpio_opt_get_stream_scheduler_value(fd, assoc(id), C.uint16_t(stream))
	})
	return uint16(v), err
}

func (s *sock) setSchedulerValue(id AssocID, stream, value uint16) error {
	return s.set(func(fd C.int) C.int {
		return C.sctpio_opt_set_stream_scheduler_value(fd, assoc(id), C.uint16_t(stream), C.uint16_t(value))
	})
}

func (s *sock) defaultSendInfo(id AssocID) (SndInfo, error) {
	var c C.struct_sctpio_default_sndinfo
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_default_sndinfo(fd, assoc(id), &c) })
	return SndInfo{Stream: uint16(c.stream), Flags: SendFlag(c.flags), PPID: uint32(c.ppid), Context: uint32(c.context)}, err
}

func (s *sock) defaultPRInfo(id AssocID) (PRPolicy, uint32, error) {
	var p C.int
	var v C.uint32_t
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_default_prinfo(fd, assoc(id), &p, &v) })
	return PRPolicy(p), uint32(v), err
}

func (s *sock) setDefaultPRInfo(id AssocID, p PRPolicy, v uint32) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_default_prinfo(fd, assoc(id), C.int(p), C.uint32_t(v)) })
}

// eventTypes are the kernel's notification types in the order of the EventMask bits.
var eventTypes = [...]C.uint16_t{C.SCTP_ASSOC_CHANGE, C.SCTP_PEER_ADDR_CHANGE, C.SCTP_REMOTE_ERROR,
	C.SCTP_SEND_FAILED_EVENT, C.SCTP_SHUTDOWN_EVENT, C.SCTP_PARTIAL_DELIVERY_EVENT,
	C.SCTP_ADAPTATION_INDICATION, C.SCTP_AUTHENTICATION_EVENT, C.SCTP_SENDER_DRY_EVENT,
	C.SCTP_STREAM_RESET_EVENT, C.SCTP_ASSOC_RESET_EVENT, C.SCTP_STREAM_CHANGE_EVENT, C.SCTP_SEND_FAILED}

// events asks the kernel, kind by kind, which notifications are on (one getsockopt per kind).
func (s *sock) events(id AssocID) (EventMask, error) {
	var m EventMask
	err := s.opt("get", "getsockopt", func(fd C.int) C.int {
		for i, t := range eventTypes {
			r := C.sctpio_opt_get_event(fd, assoc(id), t)
			if r < 0 {
				return r
			}
			if r == 1 {
				m |= 1 << i
			}
		}
		return 0
	})
	return m, err
}

func (s *sock) primary(id AssocID) (netip.AddrPort, error) {
	var a C.sctpio_addr
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_primary_addr(fd, assoc(id), &a) })
	return getAddr(&a), err
}

func (s *sock) setPeerPrimary(id AssocID, local netip.AddrPort) error {
	var a C.sctpio_addr
	putAddr(&a, local)
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_peer_primary_addr(fd, assoc(id), &a) })
}

func (s *sock) thresholds(id AssocID, addr netip.AddrPort) (PathThresholds, error) {
	var c C.struct_sctpio_paddrthlds
	peerArg(&c.addr, addr)
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_paddrthlds(fd, assoc(id), &c) })
	return PathThresholds{Addr: addr, PathMaxRetrans: uint16(c.path_max_retrans), PFThreshold: uint16(c.pf_threshold),
		PSThreshold: uint16(c.ps_threshold), HasPS: c.flags&C.SCTPIO_THLDS_PS != 0}, err
}

func (s *sock) setThresholds(id AssocID, t PathThresholds) error {
	c := C.struct_sctpio_paddrthlds{path_max_retrans: C.uint16_t(t.PathMaxRetrans), pf_threshold: C.uint16_t(t.PFThreshold),
		ps_threshold: C.uint16_t(t.PSThreshold)}
	if t.HasPS {
		c.flags = C.SCTPIO_THLDS_PS
	}
	peerArg(&c.addr, t.Addr)
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_paddrthlds(fd, assoc(id), &c) })
}

func (s *sock) pfExpose(id AssocID) (PFExpose, error) {
	v, err := s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_pf_expose(fd, assoc(id)) })
	return PFExpose(v), err
}

func (s *sock) setPFExpose(id AssocID, how PFExpose) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_pf_expose(fd, assoc(id), C.int(how)) })
}

func (s *sock) plpmtudInterval(id AssocID, peer netip.AddrPort) (time.Duration, error) {
	var a C.sctpio_addr
	p := peerArg(&a, peer)
	v, err := s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_plpmtud_probe_interval(fd, assoc(id), p) })
	return time.Duration(v) * time.Millisecond, err
}

func (s *sock) setPLPMTUDInterval(id AssocID, peer netip.AddrPort, d time.Duration) error {
	var a C.sctpio_addr
	p := peerArg(&a, peer)
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_plpmtud_probe_interval(fd, assoc(id), p, ms(d)) })
}

func (s *sock) udpEncapsPort(id AssocID, peer netip.AddrPort) (uint16, error) {
	var a C.sctpio_addr
	p := peerArg(&a, peer)
	v, err := s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_udp_encaps_port(fd, assoc(id), p) })
	return uint16(v), err
}

func (s *sock) setUDPEncapsPort(id AssocID, peer netip.AddrPort, port uint16) error {
	var a C.sctpio_addr
	p := peerArg(&a, peer)
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_udp_encaps_port(fd, assoc(id), p, C.uint16_t(port)) })
}

func (s *sock) assocStats(id AssocID) (AssocStats, error) {
	var c C.struct_sctpio_assoc_stats
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_assoc_stats(fd, assoc(id), &c) })
	return AssocStats{MaxRTOAddr: getAddr(&c.max_rto_addr), MaxRTOTicks: uint64(c.max_rto_ticks),
		SacksIn: uint64(c.sacks_in), SacksOut: uint64(c.sacks_out), PacketsIn: uint64(c.packets_in),
		PacketsOut: uint64(c.packets_out), RtxChunks: uint64(c.rtx_chunks), OutOfSeqTSNs: uint64(c.out_of_seq_tsns),
		DupChunksIn: uint64(c.dup_chunks_in), GapAcksIn: uint64(c.gap_acks_in), UnorderedIn: uint64(c.unordered_in),
		UnorderedOut: uint64(c.unordered_out), OrderedIn: uint64(c.ordered_in), OrderedOut: uint64(c.ordered_out),
		CtrlChunksIn: uint64(c.ctrl_in), CtrlChunksOut: uint64(c.ctrl_out)}, err
}

// prStatus is the association's PR status with stream < 0, else that outbound stream's.
func (s *sock) prStatus(id AssocID, stream int, p PRPolicy) (PRStatus, error) {
	var c C.struct_sctpio_pr_status
	err := s.opt("get", "getsockopt", func(fd C.int) C.int {
		if stream < 0 {
			return C.sctpio_opt_get_pr_assoc_status(fd, assoc(id), C.int(p), &c)
		}
		return C.sctpio_opt_get_pr_stream_status(fd, assoc(id), C.uint16_t(stream), C.int(p), &c)
	})
	return PRStatus{AbandonedUnsent: uint64(c.abandoned_unsent), AbandonedSent: uint64(c.abandoned_sent)}, err
}

func (s *sock) extension(id AssocID, e Extension) (bool, error) {
	v, err := s.getInt(func(fd C.int) C.int {
		switch e {
		case ExtECN:
			return C.sctpio_opt_get_ecn_supported(fd, assoc(id))
		case ExtASCONF:
			return C.sctpio_opt_get_asconf_supported(fd, assoc(id))
		case ExtInterleaving:
			return C.sctpio_opt_get_interleaving_supported(fd, assoc(id))
		case ExtPR:
			return C.sctpio_opt_get_pr_supported(fd, assoc(id))
		case ExtReconfig:
			return C.sctpio_opt_get_reconfig_supported(fd, assoc(id))
		case ExtAuth:
			return C.sctpio_opt_get_auth_supported(fd, assoc(id))
		}
		return -C.EINVAL
	})
	return v == 1, err
}

func (s *sock) setExtension(id AssocID, e Extension, on bool) error {
	return s.set(func(fd C.int) C.int {
		switch e {
		case ExtECN:
			return C.sctpio_opt_set_ecn_supported(fd, assoc(id), cBool(on))
		case ExtASCONF:
			return C.sctpio_opt_set_asconf_supported(fd, assoc(id), cBool(on))
		case ExtInterleaving:
			return C.sctpio_opt_set_interleaving_supported(fd, assoc(id), cBool(on))
		case ExtPR:
			return C.sctpio_opt_set_pr_supported(fd, assoc(id), cBool(on))
		case ExtReconfig:
			return C.sctpio_opt_set_reconfig_supported(fd, assoc(id), cBool(on))
		case ExtAuth:
			return C.sctpio_opt_set_auth_supported(fd, assoc(id), cBool(on))
		}
		return -C.EINVAL
	})
}

func (s *sock) enableStreamReset(id AssocID) (ReconfigEnable, error) {
	v, err := s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_enable_stream_reset(fd, assoc(id)) })
	return ReconfigEnable(v), err
}

func (s *sock) setEnableStreamReset(id AssocID, f ReconfigEnable) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_enable_stream_reset(fd, assoc(id), C.unsigned(f)) })
}

func (s *sock) resetStreams(id AssocID, dir ResetDirection, streams []uint16) error {
	return s.opt("reset", "setsockopt", func(fd C.int) C.int {
		var p *C.uint16_t
		if len(streams) > 0 {
			cs := make([]C.uint16_t, len(streams))
			for i, v := range streams {
				cs[i] = C.uint16_t(v)
			}
			p = &cs[0]
		}
		return C.sctpio_stream_reset(fd, assoc(id), C.unsigned(dir), p, C.size_t(len(streams)))
	})
}

func (s *sock) addStreams(id AssocID, in, out uint16) error {
	return s.opt("add", "setsockopt", func(fd C.int) C.int {
		return C.sctpio_stream_add(fd, assoc(id), C.uint16_t(in), C.uint16_t(out))
	})
}

func (s *sock) resetAssoc(id AssocID) error {
	return s.opt("reset", "setsockopt", func(fd C.int) C.int { return C.sctpio_assoc_reset(fd, assoc(id)) })
}

// Socket-wide options.

func (s *sock) flag(get func(C.int) C.int) (bool, error) {
	v, err := s.getInt(get)
	return v == 1, err
}

func (s *sock) disableFragments() (bool, error) {
	return s.flag(func(fd C.int) C.int { return C.sctpio_opt_get_disable_fragments(fd) })
}

func (s *sock) setDisableFragments(on bool) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_disable_fragments(fd, cBool(on)) })
}

func (s *sock) adaptationLayer() (uint32, error) {
	var v C.uint32_t
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_adaptation_layer(fd, &v) })
	return uint32(v), err
}

func (s *sock) setAdaptationLayer(v uint32) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_adaptation_layer(fd, C.uint32_t(v)) })
}

func (s *sock) fragmentInterleave() (int, error) {
	return s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_fragment_interleave(fd) })
}

func (s *sock) setFragmentInterleave(level int) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_fragment_interleave(fd, C.int(level)) })
}

func (s *sock) partialDeliveryPoint() (int, error) {
	return s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_partial_delivery_point(fd) })
}

func (s *sock) setPartialDeliveryPoint(bytes int) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_partial_delivery_point(fd, C.uint32_t(bytes)) })
}

// Exported wrappers: SCTPConn for its association, Endpoint for association id (0: its defaults for
// future associations), both for the socket-wide options.

// AssocParams returns the association's limits (SCTP_ASSOCINFO): max retransmissions, cookie life, windows.
func (c *SCTPConn) AssocParams() (AssocParams, error) { return c.s.assocParams(0) }

// SetAssocParams sets MaxRetrans and CookieLife (SCTP_ASSOCINFO; zero fields are left). The kernel refuses (EINVAL) a multi-homed association's MaxRetrans above the sum of its paths'.
func (c *SCTPConn) SetAssocParams(p AssocParams) error { return c.s.setAssocParams(0, p) }

// MaxSeg returns SCTP_MAXSEG: on an association its current fragmentation point, on an endpoint's defaults the cap set (0: none).
func (c *SCTPConn) MaxSeg() (int, error) { return c.s.maxSeg(0) }

// SetMaxSeg caps the DATA chunk payload at bytes (SCTP_MAXSEG; set before connecting to cap future associations, 0: only the path MTU limits). The kernel refuses (EINVAL) values below what a 512-byte MTU carries.
func (c *SCTPConn) SetMaxSeg(bytes int) error { return c.s.setMaxSeg(0, bytes) }

// DelayedSack returns how received data is acknowledged (SCTP_DELAYED_SACK).
func (c *SCTPConn) DelayedSack() (DelayedSack, error) { return c.s.delayedSack(0) }

// SetDelayedSack sets how received data is acknowledged (SCTP_DELAYED_SACK; zero fields are left; Delay above 500 ms: EINVAL).
func (c *SCTPConn) SetDelayedSack(d DelayedSack) error { return c.s.setDelayedSack(0, d) }

// Context returns the SCTP_CONTEXT value the kernel puts in RcvInfo.Context of each message received.
func (c *SCTPConn) Context() (uint32, error) { return c.s.context(0) }

// SetContext sets the SCTP_CONTEXT value: a tag of the receiver's own choosing, never sent, found in RcvInfo.Context of each message received.
func (c *SCTPConn) SetContext(v uint32) error { return c.s.setContext(0, v) }

// MaxBurst returns SCTP_MAX_BURST: the most packets sent at once (0: no limit; Linux default 4).
func (c *SCTPConn) MaxBurst() (int, error) { return c.s.maxBurst(0) }

// SetMaxBurst sets SCTP_MAX_BURST (0: no limit).
func (c *SCTPConn) SetMaxBurst(packets int) error { return c.s.setMaxBurst(0, packets) }

// StreamScheduler returns the outbound stream scheduler (SCTP_STREAM_SCHEDULER).
func (c *SCTPConn) StreamScheduler() (Scheduler, error) { return c.s.scheduler(0) }

// SetStreamScheduler sets the outbound stream scheduler (SCTP_STREAM_SCHEDULER; one the kernel lacks: EINVAL).
func (c *SCTPConn) SetStreamScheduler(sc Scheduler) error { return c.s.setScheduler(0, sc) }

// StreamSchedulerValue returns outbound stream's priority (SchedPrio) or weight (SchedWFQ) (SCTP_STREAM_SCHEDULER_VALUE).
func (c *SCTPConn) StreamSchedulerValue(stream uint16) (uint16, error) {
	return c.s.schedulerValue(0, stream)
}

// SetStreamSchedulerValue sets outbound stream's priority (SchedPrio: lower goes first) or weight (SchedWFQ); the stream must be below the outbound count (else EINVAL).
func (c *SCTPConn) SetStreamSchedulerValue(stream, value uint16) error {
	return c.s.setSchedulerValue(0, stream, value)
}

// DefaultSendInfo returns what messages sent without send info go with (SCTP_DEFAULT_SNDINFO): Stream, PPID, Context and the Unordered flag.
func (c *SCTPConn) DefaultSendInfo() (SndInfo, error) { return c.s.defaultSendInfo(0) }

// DefaultPRInfo returns the PR-SCTP policy and value of messages sent without one (SCTP_DEFAULT_PRINFO).
func (c *SCTPConn) DefaultPRInfo() (PRPolicy, uint32, error) { return c.s.defaultPRInfo(0) }

// SetDefaultPRInfo sets the PR-SCTP policy and value of messages sent without one (SCTP_DEFAULT_PRINFO; as SndInfo.PRPolicy and PRValue).
func (c *SCTPConn) SetDefaultPRInfo(p PRPolicy, value uint32) error {
	return c.s.setDefaultPRInfo(0, p, value)
}

// Events returns the notifications subscribed to (SCTP_EVENT, asked kind by kind).
func (c *SCTPConn) Events() (EventMask, error) { return c.s.events(0) }

// Primary returns the peer address new data goes to (SCTP_PRIMARY_ADDR; change it with SetPrimary).
func (c *SCTPConn) Primary() (netip.AddrPort, error) { return c.s.primary(0) }

// SetPeerPrimary asks the peer, by ASCONF (RFC 5061), to send to the local address local by default (SCTP_SET_PEER_PRIMARY_ADDR). It needs ExtASCONF negotiated (with ExtAuth) on both sides: EPERM otherwise; EADDRNOTAVAIL when local is not a local address of the association.
func (c *SCTPConn) SetPeerPrimary(local netip.AddrPort) error { return c.s.setPeerPrimary(0, local) }

// PathThresholds returns the failure thresholds of path addr, or with the zero addr of every path (SCTP_PEER_ADDR_THLDS).
func (c *SCTPConn) PathThresholds(addr netip.AddrPort) (PathThresholds, error) {
	return c.s.thresholds(0, addr)
}

// SetPathThresholds sets the failure thresholds of path t.Addr, or of every path (see PathThresholds).
func (c *SCTPConn) SetPathThresholds(t PathThresholds) error { return c.s.setThresholds(0, t) }

// PFExpose returns who learns that a path is potentially failed (SCTP_EXPOSE_POTENTIALLY_FAILED_STATE).
func (c *SCTPConn) PFExpose() (PFExpose, error) { return c.s.pfExpose(0) }

// SetPFExpose sets who learns that a path is potentially failed.
func (c *SCTPConn) SetPFExpose(how PFExpose) error { return c.s.setPFExpose(0, how) }

// PLPMTUDProbeInterval returns the interval between PLPMTUD probes (RFC 8899, SCTP_PLPMTUD_PROBE_INTERVAL) on path peer, or with the zero peer of every path; 0: PLPMTUD off.
func (c *SCTPConn) PLPMTUDProbeInterval(peer netip.AddrPort) (time.Duration, error) {
	return c.s.plpmtudInterval(0, peer)
}

// SetPLPMTUDProbeInterval sets the interval between PLPMTUD probes (0: off; otherwise at least 5 s, else EINVAL) on path peer or, with the zero peer, every path.
func (c *SCTPConn) SetPLPMTUDProbeInterval(peer netip.AddrPort, d time.Duration) error {
	return c.s.setPLPMTUDInterval(0, peer, d)
}

// UDPEncapsPort returns the peer's UDP port for SCTP over UDP (RFC 6951, SCTP_REMOTE_UDP_ENCAPS_PORT) of path peer or, with the zero peer, of every path; 0: plain SCTP.
func (c *SCTPConn) UDPEncapsPort(peer netip.AddrPort) (uint16, error) {
	return c.s.udpEncapsPort(0, peer)
}

// SetUDPEncapsPort sets the peer's UDP port for SCTP over UDP. The kernel encapsulates only when the sysctl net.sctp.udp_port was non-zero when the socket was made.
func (c *SCTPConn) SetUDPEncapsPort(peer netip.AddrPort, port uint16) error {
	return c.s.setUDPEncapsPort(0, peer, port)
}

// Stats returns the association's counters (SCTP_GET_ASSOC_STATS).
func (c *SCTPConn) Stats() (AssocStats, error) { return c.s.assocStats(0) }

// PRStatus returns what the sending side abandoned under policy p (PRTTL, PRRtx, PRPrio, or PRAll for their sum; SCTP_PR_ASSOC_STATUS).
func (c *SCTPConn) PRStatus(p PRPolicy) (PRStatus, error) { return c.s.prStatus(0, -1, p) }

// StreamPRStatus is PRStatus for one outbound stream (SCTP_PR_STREAM_STATUS).
func (c *SCTPConn) StreamPRStatus(stream uint16, p PRPolicy) (PRStatus, error) {
	return c.s.prStatus(0, int(stream), p)
}

// Extension reports extension e: on an association whether both sides offered it (it is used only then), on an endpoint's defaults whether it is set.
func (c *SCTPConn) Extension(e Extension) (bool, error) { return c.s.extension(0, e) }

// SetExtension offers extension e (or stops offering it) in the setup of associations that start after it.
func (c *SCTPConn) SetExtension(e Extension, on bool) error { return c.s.setExtension(0, e, on) }

// EnableStreamReset returns what the peer may request (SCTP_ENABLE_STREAM_RESET).
func (c *SCTPConn) EnableStreamReset() (ReconfigEnable, error) { return c.s.enableStreamReset(0) }

// SetEnableStreamReset sets what the peer may request: each side must allow what the other will ask for.
func (c *SCTPConn) SetEnableStreamReset(f ReconfigEnable) error {
	return c.s.setEnableStreamReset(0, f)
}

// ResetStreams asks to restart the sequence numbers of streams (none: every stream) in the directions dir (SCTP_RESET_STREAMS; needs ExtReconfig). The result comes as a StreamReset notification (EventStreamReset). Errors: ENOPROTOOPT (not enabled), EINPROGRESS (a request is outstanding), EAGAIN (data still queued on them).
func (c *SCTPConn) ResetStreams(dir ResetDirection, streams ...uint16) error {
	return c.s.resetStreams(0, dir, streams)
}

// AddStreams asks for in more inbound and out more outbound streams (SCTP_ADD_STREAMS; needs ExtReconfig and EnableChangeAssoc); the result comes as a StreamChange notification.
func (c *SCTPConn) AddStreams(in, out uint16) error { return c.s.addStreams(0, in, out) }

// ResetAssoc asks to restart the TSNs and every stream's sequence numbers (SCTP_RESET_ASSOC); the result comes as an AssocReset notification.
func (c *SCTPConn) ResetAssoc() error { return c.s.resetAssoc(0) }

// AssocParams is SCTPConn.AssocParams for association id (0: the defaults for future associations).
func (e *Endpoint) AssocParams(id AssocID) (AssocParams, error) { return e.s.assocParams(id) }

// SetAssocParams is SCTPConn.SetAssocParams for association id (0: the defaults for future associations).
func (e *Endpoint) SetAssocParams(id AssocID, p AssocParams) error { return e.s.setAssocParams(id, p) }

// MaxSeg is SCTPConn.MaxSeg for association id (0: the defaults for future associations).
func (e *Endpoint) MaxSeg(id AssocID) (int, error) { return e.s.maxSeg(id) }

// SetMaxSeg is SCTPConn.SetMaxSeg for association id (0: the defaults for future associations).
func (e *Endpoint) SetMaxSeg(id AssocID, bytes int) error { return e.s.setMaxSeg(id, bytes) }

// DelayedSack is SCTPConn.DelayedSack for association id (0: the defaults for future associations).
func (e *Endpoint) DelayedSack(id AssocID) (DelayedSack, error) { return e.s.delayedSack(id) }

// SetDelayedSack is SCTPConn.SetDelayedSack for association id (0: the defaults for future associations).
func (e *Endpoint) SetDelayedSack(id AssocID, d DelayedSack) error { return e.s.setDelayedSack(id, d) }

// Context is SCTPConn.Context for association id (0: the defaults for future associations).
func (e *Endpoint) Context(id AssocID) (uint32, error) { return e.s.context(id) }

// SetContext is SCTPConn.SetContext for association id (0: the defaults for future associations).
func (e *Endpoint) SetContext(id AssocID, v uint32) error { return e.s.setContext(id, v) }

// MaxBurst is SCTPConn.MaxBurst for association id (0: the defaults for future associations).
func (e *Endpoint) MaxBurst(id AssocID) (int, error) { return e.s.maxBurst(id) }

// SetMaxBurst is SCTPConn.SetMaxBurst for association id (0: the defaults for future associations).
func (e *Endpoint) SetMaxBurst(id AssocID, packets int) error { return e.s.setMaxBurst(id, packets) }

// StreamScheduler is SCTPConn.StreamScheduler for association id (0: the defaults for future associations).
func (e *Endpoint) StreamScheduler(id AssocID) (Scheduler, error) { return e.s.scheduler(id) }

// SetStreamScheduler is SCTPConn.SetStreamScheduler for association id (0: the defaults for future associations).
func (e *Endpoint) SetStreamScheduler(id AssocID, sc Scheduler) error {
	return e.s.setScheduler(id, sc)
}

// StreamSchedulerValue is SCTPConn.StreamSchedulerValue for association id (0: the defaults for future associations).
func (e *Endpoint) StreamSchedulerValue(id AssocID, stream uint16) (uint16, error) {
	return e.s.schedulerValue(id, stream)
}

// SetStreamSchedulerValue is SCTPConn.SetStreamSchedulerValue for association id (0: the defaults for future associations).
func (e *Endpoint) SetStreamSchedulerValue(id AssocID, stream, value uint16) error {
	return e.s.setSchedulerValue(id, stream, value)
}

// DefaultSendInfo is SCTPConn.DefaultSendInfo for association id (0: the defaults for future associations).
func (e *Endpoint) DefaultSendInfo(id AssocID) (SndInfo, error) { return e.s.defaultSendInfo(id) }

// DefaultPRInfo is SCTPConn.DefaultPRInfo for association id (0: the defaults for future associations).
func (e *Endpoint) DefaultPRInfo(id AssocID) (PRPolicy, uint32, error) { return e.s.defaultPRInfo(id) }

// SetDefaultPRInfo is SCTPConn.SetDefaultPRInfo for association id (0: the defaults for future associations).
func (e *Endpoint) SetDefaultPRInfo(id AssocID, p PRPolicy, value uint32) error {
	return e.s.setDefaultPRInfo(id, p, value)
}

// Events is SCTPConn.Events for association id (0: the defaults for future associations).
func (e *Endpoint) Events(id AssocID) (EventMask, error) { return e.s.events(id) }

// Primary is SCTPConn.Primary for association id (0: the defaults for future associations).
func (e *Endpoint) Primary(id AssocID) (netip.AddrPort, error) { return e.s.primary(id) }

// SetPeerPrimary is SCTPConn.SetPeerPrimary for association id (0: the defaults for future associations).
func (e *Endpoint) SetPeerPrimary(id AssocID, local netip.AddrPort) error {
	return e.s.setPeerPrimary(id, local)
}

// PathThresholds is SCTPConn.PathThresholds for association id (0: the defaults for future associations).
func (e *Endpoint) PathThresholds(id AssocID, addr netip.AddrPort) (PathThresholds, error) {
	return e.s.thresholds(id, addr)
}

// SetPathThresholds is SCTPConn.SetPathThresholds for association id (0: the defaults for future associations).
func (e *Endpoint) SetPathThresholds(id AssocID, t PathThresholds) error {
	return e.s.setThresholds(id, t)
}

// PFExpose is SCTPConn.PFExpose for association id (0: the defaults for future associations).
func (e *Endpoint) PFExpose(id AssocID) (PFExpose, error) { return e.s.pfExpose(id) }

// SetPFExpose is SCTPConn.SetPFExpose for association id (0: the defaults for future associations).
func (e *Endpoint) SetPFExpose(id AssocID, how PFExpose) error { return e.s.setPFExpose(id, how) }

// PLPMTUDProbeInterval is SCTPConn.PLPMTUDProbeInterval for association id (0: the defaults for future associations).
func (e *Endpoint) PLPMTUDProbeInterval(id AssocID, peer netip.AddrPort) (time.Duration, error) {
	return e.s.plpmtudInterval(id, peer)
}

// SetPLPMTUDProbeInterval is SCTPConn.SetPLPMTUDProbeInterval for association id (0: the defaults for future associations).
func (e *Endpoint) SetPLPMTUDProbeInterval(id AssocID, peer netip.AddrPort, d time.Duration) error {
	return e.s.setPLPMTUDInterval(id, peer, d)
}

// UDPEncapsPort is SCTPConn.UDPEncapsPort for association id (0: the defaults for future associations).
func (e *Endpoint) UDPEncapsPort(id AssocID, peer netip.AddrPort) (uint16, error) {
	return e.s.udpEncapsPort(id, peer)
}

// SetUDPEncapsPort is SCTPConn.SetUDPEncapsPort for association id (0: the defaults for future associations).
func (e *Endpoint) SetUDPEncapsPort(id AssocID, peer netip.AddrPort, port uint16) error {
	return e.s.setUDPEncapsPort(id, peer, port)
}

// Stats is SCTPConn.Stats for association id (0: the defaults for future associations).
func (e *Endpoint) Stats(id AssocID) (AssocStats, error) { return e.s.assocStats(id) }

// PRStatus is SCTPConn.PRStatus for association id (0: the defaults for future associations).
func (e *Endpoint) PRStatus(id AssocID, p PRPolicy) (PRStatus, error) { return e.s.prStatus(id, -1, p) }

// StreamPRStatus is SCTPConn.StreamPRStatus for association id (0: the defaults for future associations).
func (e *Endpoint) StreamPRStatus(id AssocID, stream uint16, p PRPolicy) (PRStatus, error) {
	return e.s.prStatus(id, int(stream), p)
}

// Extension is SCTPConn.Extension for association id (0: the defaults for future associations).
func (e *Endpoint) Extension(id AssocID, ext Extension) (bool, error) { return e.s.extension(id, ext) }

// SetExtension is SCTPConn.SetExtension for association id (0: the defaults for future associations).
func (e *Endpoint) SetExtension(id AssocID, ext Extension, on bool) error {
	return e.s.setExtension(id, ext, on)
}

// EnableStreamReset is SCTPConn.EnableStreamReset for association id (0: the defaults for future associations).
func (e *Endpoint) EnableStreamReset(id AssocID) (ReconfigEnable, error) {
	return e.s.enableStreamReset(id)
}

// SetEnableStreamReset is SCTPConn.SetEnableStreamReset for association id (0: the defaults for future associations).
func (e *Endpoint) SetEnableStreamReset(id AssocID, f ReconfigEnable) error {
	return e.s.setEnableStreamReset(id, f)
}

// ResetStreams is SCTPConn.ResetStreams for association id (0: the defaults for future associations).
func (e *Endpoint) ResetStreams(id AssocID, dir ResetDirection, streams ...uint16) error {
	return e.s.resetStreams(id, dir, streams)
}

// AddStreams is SCTPConn.AddStreams for association id (0: the defaults for future associations).
func (e *Endpoint) AddStreams(id AssocID, in, out uint16) error { return e.s.addStreams(id, in, out) }

// ResetAssoc is SCTPConn.ResetAssoc for association id (0: the defaults for future associations).
func (e *Endpoint) ResetAssoc(id AssocID) error { return e.s.resetAssoc(id) }

// DisableFragments reports SCTP_DISABLE_FRAGMENTS.
func (c *SCTPConn) DisableFragments() (bool, error) { return c.s.disableFragments() }

// DisableFragments is SCTPConn.DisableFragments for the endpoint.
func (e *Endpoint) DisableFragments() (bool, error) { return e.s.disableFragments() }

// SetDisableFragments with on makes a write of a message larger than the fragmentation point (Status().FragPoint) fail with EMSGSIZE instead of splitting it into several chunks (SCTP_DISABLE_FRAGMENTS).
func (c *SCTPConn) SetDisableFragments(on bool) error { return c.s.setDisableFragments(on) }

// SetDisableFragments is SCTPConn.SetDisableFragments for the endpoint.
func (e *Endpoint) SetDisableFragments(on bool) error { return e.s.setDisableFragments(on) }

// AdaptationLayer returns the adaptation indication (RFC 5061) sent in the setup of future associations (SCTP_ADAPTATION_LAYER).
func (c *SCTPConn) AdaptationLayer() (uint32, error) { return c.s.adaptationLayer() }

// AdaptationLayer is SCTPConn.AdaptationLayer for the endpoint.
func (e *Endpoint) AdaptationLayer() (uint32, error) { return e.s.adaptationLayer() }

// SetAdaptationLayer sets the adaptation indication sent in INIT and INIT-ACK; the peer sees it in an AdaptationIndication notification (EventAdaptation).
func (c *SCTPConn) SetAdaptationLayer(v uint32) error { return c.s.setAdaptationLayer(v) }

// SetAdaptationLayer is SCTPConn.SetAdaptationLayer for the endpoint.
func (e *Endpoint) SetAdaptationLayer(v uint32) error { return e.s.setAdaptationLayer(v) }

// FragmentInterleave returns SCTP_FRAGMENT_INTERLEAVE (0 or 1; Linux reads 2 back as 1).
func (c *SCTPConn) FragmentInterleave() (int, error) { return c.s.fragmentInterleave() }

// FragmentInterleave is SCTPConn.FragmentInterleave for the endpoint.
func (e *Endpoint) FragmentInterleave() (int, error) { return e.s.fragmentInterleave() }

// SetFragmentInterleave sets SCTP_FRAGMENT_INTERLEAVE (0..2; 2 is needed before ExtInterleaving).
func (c *SCTPConn) SetFragmentInterleave(level int) error { return c.s.setFragmentInterleave(level) }

// SetFragmentInterleave is SCTPConn.SetFragmentInterleave for the endpoint.
func (e *Endpoint) SetFragmentInterleave(level int) error { return e.s.setFragmentInterleave(level) }

// PartialDeliveryPoint returns SCTP_PARTIAL_DELIVERY_POINT: messages larger than this many bytes start being delivered in pieces before they are complete.
func (c *SCTPConn) PartialDeliveryPoint() (int, error) { return c.s.partialDeliveryPoint() }

// PartialDeliveryPoint is SCTPConn.PartialDeliveryPoint for the endpoint.
func (e *Endpoint) PartialDeliveryPoint() (int, error) { return e.s.partialDeliveryPoint() }

// SetPartialDeliveryPoint sets SCTP_PARTIAL_DELIVERY_POINT (above half the receive buffer: EINVAL).
func (c *SCTPConn) SetPartialDeliveryPoint(bytes int) error {
	return c.s.setPartialDeliveryPoint(bytes)
}

// SetPartialDeliveryPoint is SCTPConn.SetPartialDeliveryPoint for the endpoint.
func (e *Endpoint) SetPartialDeliveryPoint(bytes int) error {
	return e.s.setPartialDeliveryPoint(bytes)
}
