// SPDX-License-Identifier: MIT

//go:build linux && cgo

// The few socket options that the sctpio package does not offer, set and read on the descriptor
// of its sockets (through SyscallConn) or on a bare descriptor (SCTPBind, SCTPConnect): the raw
// Getsockopt and Setsockopt, SCTP_INITMSG on a connection, SCTP_DEFAULT_SEND_PARAM, the bindx and
// connectx options. The calls go through C so that every Linux architecture is served alike
// (linux/386 has no getsockopt system call of its own) and the structures are the kernel's.

package sctp

/*
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/socket.h> // linux/sctp.h needs struct sockaddr_storage first
#include <linux/sctp.h>

// compat_getsockopt and compat_setsockopt take the caller's pointers as integers: the raw
// Getsockopt and Setsockopt of the API pass them so (uintptr), and they are the caller's memory.
// Each returns the system call's result, or -errno.
static long compat_getsockopt(int fd, int name, uintptr_t val, uintptr_t len)
{
	int r = getsockopt(fd, IPPROTO_SCTP, name, (void *)val, (socklen_t *)len);
	return r < 0 ? -errno : r;
}

static long compat_setsockopt(int fd, int name, uintptr_t val, uintptr_t len)
{
	int r = setsockopt(fd, IPPROTO_SCTP, name, (const void *)val, (socklen_t)len);
	return r < 0 ? -errno : r;
}

// compat_copy copies n bytes between the caller's memory (an integer address) and Go memory.
static void compat_copy_out(uintptr_t dst, const void *src, size_t n) { memcpy((void *)dst, src, n); }
static void compat_copy_in(void *dst, uintptr_t src, size_t n) { memcpy(dst, (const void *)src, n); }

static long compat_set_initmsg(int fd, uint16_t out, uint16_t in, uint16_t attempts, uint16_t timeo)
{
	struct sctp_initmsg m = { .sinit_num_ostreams = out, .sinit_max_instreams = in,
				  .sinit_max_attempts = attempts, .sinit_max_init_timeo = timeo };
	return setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &m, sizeof(m)) < 0 ? -errno : 0;
}

// The default send parameters, as struct sctp_sndrcvinfo; the PPID is converted here, so that
// Go sees it in host order.
static long compat_set_default_send(int fd, struct sctp_sndrcvinfo *i)
{
	struct sctp_sndrcvinfo s = *i;
	s.sinfo_ppid = htonl(s.sinfo_ppid);
	return setsockopt(fd, IPPROTO_SCTP, SCTP_DEFAULT_SEND_PARAM, &s, sizeof(s)) < 0 ? -errno : 0;
}

static long compat_get_default_send(int fd, struct sctp_sndrcvinfo *i)
{
	socklen_t l = sizeof(*i);
	memset(i, 0, sizeof(*i));
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_DEFAULT_SEND_PARAM, i, &l) < 0)
		return -errno;
	i->sinfo_ppid = ntohl(i->sinfo_ppid);
	return 0;
}

// compat_setaddrs sets option name to the packed sockaddr list buf; connectx returns the
// association's id.
static long compat_setaddrs(int fd, int name, const void *buf, size_t len)
{
	int r = setsockopt(fd, IPPROTO_SCTP, name, buf, (socklen_t)len);
	return r < 0 ? -errno : r;
}
*/
import "C"

import (
	"syscall"
	"unsafe"
)

// errnoOf turns a helper's result into an error: nil, or the bare syscall.Errno.
func errnoOf(r C.long) error {
	if r < 0 {
		return syscall.Errno(-r)
	}
	return nil
}

// withFD runs f with the descriptor of rc; an error from rc itself (the socket was closed) is
// EBADF, as a call on ishidawataru/sctp's closed descriptor gave.
func withFD(rc syscall.RawConn, f func(fd C.int) C.long) (C.long, error) {
	if rc == nil {
		return 0, syscall.EBADF
	}
	var r C.long
	if err := rc.Control(func(fd uintptr) { r = f(C.int(fd)) }); err != nil {
		return 0, syscall.EBADF
	}
	return r, errnoOf(r)
}

// rawGetsockopt is getsockopt(fd, IPPROTO_SCTP, optname, optval, optlen) on the caller's memory.
func rawGetsockopt(fd C.int, optname, optval, optlen uintptr) C.long {
	return C.compat_getsockopt(fd, C.int(optname), C.uintptr_t(optval), C.uintptr_t(optlen))
}

// rawSetsockopt is setsockopt(fd, IPPROTO_SCTP, optname, optval, optlen) on the caller's memory.
func rawSetsockopt(fd C.int, optname, optval, optlen uintptr) C.long {
	return C.compat_setsockopt(fd, C.int(optname), C.uintptr_t(optval), C.uintptr_t(optlen))
}

// readEvents copies an EventSubscribe from the caller's memory at optval (optlen bytes at most,
// as the kernel reads a shorter struct).
func readEvents(optval, optlen uintptr) EventSubscribe {
	var raw [10]byte
	n := optlen
	if n > uintptr(len(raw)) {
		n = uintptr(len(raw))
	}
	if n > 0 {
		C.compat_copy_in(unsafe.Pointer(&raw[0]), C.uintptr_t(optval), C.size_t(n))
	}
	return EventSubscribe{raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7], raw[8], raw[9]}
}

// writeEvents copies ev into the caller's memory at optval, as many bytes as *optlen (a
// socklen_t) allows, and stores the length written there, as getsockopt does.
func writeEvents(ev EventSubscribe, optval, optlen uintptr) {
	raw := [10]byte{ev.DataIO, ev.Association, ev.Address, ev.SendFailure, ev.PeerError, ev.Shutdown,
		ev.PartialDelivery, ev.AdaptationLayer, ev.Authentication, ev.SenderDry}
	var l C.socklen_t
	C.compat_copy_in(unsafe.Pointer(&l), C.uintptr_t(optlen), C.size_t(unsafe.Sizeof(l)))
	if uintptr(l) > uintptr(len(raw)) {
		l = C.socklen_t(len(raw))
	}
	if l > 0 {
		C.compat_copy_out(C.uintptr_t(optval), unsafe.Pointer(&raw[0]), C.size_t(l))
	}
	C.compat_copy_out(C.uintptr_t(optlen), unsafe.Pointer(&l), C.size_t(unsafe.Sizeof(l)))
}

// setInitMsg sets SCTP_INITMSG (the max-init-timeout in milliseconds).
func setInitMsg(fd C.int, m InitMsg) C.long {
	return C.compat_set_initmsg(fd, C.uint16_t(m.NumOstreams), C.uint16_t(m.MaxInstreams),
		C.uint16_t(m.MaxAttempts), C.uint16_t(m.MaxInitTimeout))
}

// setDefaultSend sets SCTP_DEFAULT_SEND_PARAM from info (PPID in host order).
func setDefaultSend(fd C.int, info *SndRcvInfo) C.long {
	s := C.struct_sctp_sndrcvinfo{sinfo_stream: C.__u16(info.Stream), sinfo_ssn: C.__u16(info.SSN),
		sinfo_flags: C.__u16(info.Flags), sinfo_ppid: C.__u32(info.PPID), sinfo_context: C.__u32(info.Context),
		sinfo_timetolive: C.__u32(info.TTL), sinfo_tsn: C.__u32(info.TSN), sinfo_cumtsn: C.__u32(info.CumTSN),
		sinfo_assoc_id: C.sctp_assoc_t(info.AssocID)}
	return C.compat_set_default_send(fd, &s)
}

// getDefaultSend reads SCTP_DEFAULT_SEND_PARAM into info (PPID in host order).
func getDefaultSend(fd C.int, info *SndRcvInfo) C.long {
	var s C.struct_sctp_sndrcvinfo
	r := C.compat_get_default_send(fd, &s)
	if r == 0 {
		*info = SndRcvInfo{Stream: uint16(s.sinfo_stream), SSN: uint16(s.sinfo_ssn), Flags: uint16(s.sinfo_flags),
			PPID: uint32(s.sinfo_ppid), Context: uint32(s.sinfo_context), TTL: uint32(s.sinfo_timetolive),
			TSN: uint32(s.sinfo_tsn), CumTSN: uint32(s.sinfo_cumtsn), AssocID: int32(s.sinfo_assoc_id)}
	}
	return r
}

// setAddrs sets option name on fd to the packed sockaddrs of buf.
func setAddrs(fd int, name int, buf []byte) (int, error) {
	if len(buf) == 0 {
		return 0, syscall.EINVAL
	}
	r := C.compat_setaddrs(C.int(fd), C.int(name), unsafe.Pointer(&buf[0]), C.size_t(len(buf)))
	return int(r), errnoOf(r)
}

// SCTPConnect connects the bare SCTP socket fd (one the caller opened and owns) to every address
// of addr with SCTP_SOCKOPT_CONNECTX, and returns the association's id. On a blocking descriptor
// it waits for the association as connect(2) does (holding the OS thread: the descriptor is the
// caller's, outside Go's netpoller); on a non-blocking one it returns once the INIT is sent.
func SCTPConnect(fd int, addr *SCTPAddr) (int, error) {
	id, err := setAddrs(fd, SCTP_SOCKOPT_CONNECTX, addr.ToRawSockAddrBuf())
	if err != nil {
		return 0, err
	}
	return id, nil
}

// SCTPBind adds (flags SCTP_BINDX_ADD_ADDR) or removes (SCTP_BINDX_REM_ADDR) the addresses of
// addr on the bare SCTP socket fd, as sctp_bindx(3) does; other flags are EINVAL.
func SCTPBind(fd int, addr *SCTPAddr, flags int) error {
	var name int
	switch flags {
	case SCTP_BINDX_ADD_ADDR:
		name = SCTP_SOCKOPT_BINDX_ADD
	case SCTP_BINDX_REM_ADDR:
		name = SCTP_SOCKOPT_BINDX_REM
	default:
		return syscall.EINVAL
	}
	_, err := setAddrs(fd, name, addr.ToRawSockAddrBuf())
	return err
}

// cInt and cLong name C's types for the files that do not import "C".
type (
	cInt  = C.int
	cLong = C.long
)
