// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include "sctpio.h"
*/
import "C"

import "time"

// The socket-level options' getters and the rest of sctpio/options.h's socket options, for the three
// socket types. A one-to-one connection and its listener share the kinds that a listener has.

// RecvNextInfo reports whether reads also describe the next message waiting (SetRecvNextInfo).
func (c *SCTPConn) RecvNextInfo() (bool, error) { return c.s.getBool(optRecvNextInfo) }

// Linger returns what Close does with unsent data, as SetLinger takes it: -1 when lingering is off
// (the default: a graceful shutdown in the background), 0 for an abort, or the seconds Close waits.
func (c *SCTPConn) Linger() (int, error) { return c.s.linger() }

// SetRecvRcvInfo turns SCTP_RECVRCVINFO on (true: every socket starts so) or off. Off, reads no
// longer fill RcvInfo's Stream, SSN, PPID, TSN, Context and AssocID (RecvHasInfo is clear): only
// the flags and the sender's address.
func (c *SCTPConn) SetRecvRcvInfo(on bool) error { return c.s.setBool(optRecvRcvInfo, on) }

// RecvRcvInfo reports whether SCTP_RECVRCVINFO is on.
func (c *SCTPConn) RecvRcvInfo() (bool, error) { return c.s.getBool(optRecvRcvInfo) }

// SetMappedV4 sets SCTP_I_WANT_MAPPED_V4_ADDR on an IPv6 socket: on, the kernel writes IPv4 peers as
// v4-mapped IPv6 addresses. This package reports plain IPv4 addresses either way; it matters only to
// code that reads addresses itself through SyscallConn.
func (c *SCTPConn) SetMappedV4(on bool) error { return c.s.setBool(optMappedV4, on) }

// MappedV4 reports whether SCTP_I_WANT_MAPPED_V4_ADDR is on.
func (c *SCTPConn) MappedV4() (bool, error) { return c.s.getBool(optMappedV4) }

// ReuseAddr reports whether SO_REUSEADDR is on (Dialer.ReuseAddr).
func (c *SCTPConn) ReuseAddr() (bool, error) { return c.s.getBool(optReuseAddr) }

// ReusePort reports whether SO_REUSEPORT is on (Dialer.ReusePort).
func (c *SCTPConn) ReusePort() (bool, error) { return c.s.getBool(optReusePort) }

// SCTPReusePort reports whether SCTP_REUSE_PORT is on (Dialer.SCTPReusePort).
func (c *SCTPConn) SCTPReusePort() (bool, error) { return c.s.getBool(optSCTPReusePort) }

// ReuseAddr reports whether SO_REUSEADDR is on (ListenConfig.ReuseAddr).
func (l *Listener) ReuseAddr() (bool, error) { return l.s.getBool(optReuseAddr) }

// ReusePort reports whether SO_REUSEPORT is on (ListenConfig.ReusePort).
func (l *Listener) ReusePort() (bool, error) { return l.s.getBool(optReusePort) }

// SCTPReusePort reports whether SCTP_REUSE_PORT is on (ListenConfig.SCTPReusePort).
func (l *Listener) SCTPReusePort() (bool, error) { return l.s.getBool(optSCTPReusePort) }

// RecvNextInfo reports whether reads also describe the next message waiting (SetRecvNextInfo).
func (e *Endpoint) RecvNextInfo() (bool, error) { return e.s.getBool(optRecvNextInfo) }

// Linger returns what Close does with unsent data, as SCTPConn.Linger does.
func (e *Endpoint) Linger() (int, error) { return e.s.linger() }

// AutoClose returns how long an idle association lives before it is shut down (SetAutoClose); 0 is
// never.
func (e *Endpoint) AutoClose() (time.Duration, error) {
	v, err := e.s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_autoclose(fd) })
	return time.Duration(v) * time.Second, err
}

// SetRecvRcvInfo turns SCTP_RECVRCVINFO on or off, as SCTPConn.SetRecvRcvInfo does; off, reads no
// longer tell the association (RcvInfo.AssocID) either.
func (e *Endpoint) SetRecvRcvInfo(on bool) error { return e.s.setBool(optRecvRcvInfo, on) }

// RecvRcvInfo reports whether SCTP_RECVRCVINFO is on.
func (e *Endpoint) RecvRcvInfo() (bool, error) { return e.s.getBool(optRecvRcvInfo) }

// SetMappedV4 sets SCTP_I_WANT_MAPPED_V4_ADDR, as SCTPConn.SetMappedV4 does.
func (e *Endpoint) SetMappedV4(on bool) error { return e.s.setBool(optMappedV4, on) }

// MappedV4 reports whether SCTP_I_WANT_MAPPED_V4_ADDR is on.
func (e *Endpoint) MappedV4() (bool, error) { return e.s.getBool(optMappedV4) }

// ReuseAddr reports whether SO_REUSEADDR is on.
func (e *Endpoint) ReuseAddr() (bool, error) { return e.s.getBool(optReuseAddr) }

// ReusePort reports whether SO_REUSEPORT is on.
func (e *Endpoint) ReusePort() (bool, error) { return e.s.getBool(optReusePort) }

// boolOpt names a socket option that is on or off.
type boolOpt int

const (
	optRecvNextInfo boolOpt = iota
	optRecvRcvInfo
	optMappedV4
	optReuseAddr
	optReusePort
	optSCTPReusePort
)

func (s *sock) getBool(o boolOpt) (bool, error) {
	v, err := s.getInt(func(fd C.int) C.int {
		switch o {
		case optRecvNextInfo:
			return C.sctpio_opt_get_recvnxtinfo(fd)
		case optRecvRcvInfo:
			return C.sctpio_opt_get_recvrcvinfo(fd)
		case optMappedV4:
			return C.sctpio_opt_get_mapped_v4(fd)
		case optReuseAddr:
			return C.sctpio_opt_get_reuseaddr(fd)
		case optReusePort:
			return C.sctpio_opt_get_reuseport(fd)
		}
		return C.sctpio_opt_get_sctp_reuse_port(fd)
	})
	return v != 0, err
}

func (s *sock) setBool(o boolOpt, on bool) error {
	return s.set(func(fd C.int) C.int { return setBoolOpt(fd, o, on) })
}

// setBoolOpt sets o on fd; newSocket uses it before bind too.
func setBoolOpt(fd C.int, o boolOpt, on bool) C.int {
	v := cBool(on)
	switch o {
	case optRecvNextInfo:
		return C.sctpio_opt_set_recvnxtinfo(fd, v)
	case optRecvRcvInfo:
		return C.sctpio_opt_set_recvrcvinfo(fd, v)
	case optMappedV4:
		return C.sctpio_opt_set_mapped_v4(fd, v)
	case optReuseAddr:
		return C.sctpio_opt_set_reuseaddr(fd, v)
	case optReusePort:
		return C.sctpio_opt_set_reuseport(fd, v)
	}
	return C.sctpio_opt_set_sctp_reuse_port(fd, v)
}

func (s *sock) linger() (int, error) {
	var on, sec C.int
	err := s.opt("get", "getsockopt", func(fd C.int) C.int { return C.sctpio_opt_get_linger(fd, &on, &sec) })
	if err != nil || on == 0 {
		return -1, err
	}
	return int(sec), nil
}
