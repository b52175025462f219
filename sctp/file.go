// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include "sctpio.h"
*/
import "C"

import (
	"net"
	"os"
	"syscall"
)

// NoEvents, as Dialer.Events or ListenConfig.Events, subscribes the new socket to no notification
// at all (the zero value there means DefaultEvents). It is a flag outside the bits of the Event
// constants; Subscribe takes the Event bits themselves, and there NoEvents, like 0, is none.
const NoEvents EventMask = 1 << 31

// FileConn returns a connection for a copy of f's descriptor, which must be a connected (or
// connecting) one-to-one SCTP socket, as net.FileConn does: closing the connection leaves f open,
// and f may be closed at once. The copy is made non-blocking and joins Go's netpoller, and
// SCTP_RECVRCVINFO is turned on (the socket's reads need it); other options stay as they are.
// Anything else (another protocol, a one-to-many socket, a listening socket) is an error that
// errors.Is syscall.EPROTONOSUPPORT, syscall.EPROTOTYPE or syscall.EINVAL.
func FileConn(f *os.File) (*SCTPConn, error) {
	s, err := fileSock(f, C.SCTPIO_ONE_TO_ONE, false)
	if err != nil {
		return nil, err
	}
	s.raddr, _ = s.addrs(true, 0)
	return newConn(s, false), nil // maybe still connecting: see SCTPConn.wrote
}

// FileListener returns a listener for a copy of f's descriptor, which must be a listening
// one-to-one SCTP socket, as net.FileListener does (see FileConn).
func FileListener(f *os.File) (*Listener, error) {
	s, err := fileSock(f, C.SCTPIO_ONE_TO_ONE, true)
	if err != nil {
		return nil, err
	}
	return &Listener{s: s}, nil
}

// FileEndpoint returns an endpoint for a copy of f's descriptor, which must be a one-to-many SCTP
// socket, listening or not (see FileConn).
func FileEndpoint(f *os.File) (*Endpoint, error) {
	s, err := fileSock(f, C.SCTPIO_ONE_TO_MANY, false)
	if err != nil {
		return nil, err
	}
	return &Endpoint{s: s}, nil
}

// fileSock duplicates f's descriptor and adopts the copy, after checking that it is an SCTP socket
// of style, listening when listening is set (one-to-one only: a one-to-many socket may be either).
func fileSock(f *os.File, style C.int, listening bool) (*sock, error) {
	fail := func(err error) (*sock, error) {
		return nil, &net.OpError{Op: "file", Net: "sctp", Err: err}
	}
	if f == nil {
		return fail(os.ErrInvalid)
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return fail(err)
	}
	var nfd int
	var cerr error
	if err := rc.Control(func(fd uintptr) { nfd, cerr = dupCloexec(int(fd)) }); err != nil {
		return fail(err)
	}
	if cerr != nil {
		return fail(os.NewSyscallError("fcntl", cerr))
	}
	check := func() error {
		st := C.sctpio_sock_style(C.int(nfd))
		if st < 0 {
			return os.NewSyscallError("getsockopt", syscall.Errno(-st))
		}
		if st != style {
			return os.NewSyscallError("getsockopt", syscall.EPROTOTYPE)
		}
		if style == C.SCTPIO_ONE_TO_ONE {
			acc, err := syscall.GetsockoptInt(nfd, syscall.SOL_SOCKET, syscall.SO_ACCEPTCONN)
			if err != nil {
				return os.NewSyscallError("getsockopt", err)
			}
			if (acc != 0) != listening {
				return os.NewSyscallError("getsockopt", syscall.EINVAL)
			}
		}
		if r := C.sctpio__apply_defaults(C.int(nfd), C.SCTPIO_NAGLE, 0); r < 0 {
			return os.NewSyscallError("setsockopt", syscall.Errno(-r))
		}
		return os.NewSyscallError("setnonblock", syscall.SetNonblock(nfd, true))
	}
	if err := check(); err != nil {
		syscall.Close(nfd)
		return fail(err)
	}
	dom, _ := syscall.GetsockoptInt(nfd, syscall.SOL_SOCKET, syscall.SO_DOMAIN)
	network := "sctp"
	if dom == syscall.AF_INET {
		network = "sctp4"
	}
	s, err := newSock(C.int(nfd), network) // closes nfd on failure
	if err != nil {
		return fail(err)
	}
	s.laddr, _ = s.addrs(false, 0)
	return s, nil
}

// dupCloexec duplicates fd with close-on-exec set.
func dupCloexec(fd int) (int, error) {
	for {
		r, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_DUPFD_CLOEXEC, 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return -1, e
		}
		return int(r), nil
	}
}
