// SPDX-License-Identifier: MIT

// The registry of what is measured: receivers and senders beyond main.go's own list register here
// from their files' init functions, so that a peer that is built in only with a build tag (go-sctp,
// see gosctp.go) adds its rows without main.go or receivers.go naming it.

package main

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
)

var (
	// moreReceivers and moreSenders open further rows, measured after main.go's own.
	moreReceivers []func() (*receiver, error)
	moreSenders   []func() (*sender, error)
	// notMeasured are rows for packages this binary was built without, each with its reason.
	notMeasured []row
)

// fdConn is a syscall.RawConn over a bare descriptor, for a package that exports none: only Control,
// which is all the measurements need (the queue counts and SCTP_NODELAY).
type fdConn int

func (fd fdConn) Control(f func(uintptr)) error { f(uintptr(fd)); return nil }
func (fdConn) Read(func(uintptr) bool) error    { return errors.ErrUnsupported }
func (fdConn) Write(func(uintptr) bool) error   { return errors.ErrUnsupported }
func (fd fdConn) String() string                { return "fd " + strconv.Itoa(int(fd)) }

// sockPort is an IP socket address's port, -1 for another kind.
func sockPort(sa syscall.Sockaddr) int {
	switch a := sa.(type) {
	case *syscall.SockaddrInet4:
		return a.Port
	case *syscall.SockaddrInet6:
		return a.Port
	}
	return -1
}

// connectedFD finds this process's connected socket whose local port is local and whose peer's
// port is remote: the descriptor inside a package's connection that does not export it.
func connectedFD(local, remote int) (fdConn, error) {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1, err
	}
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err != nil || !strings.HasPrefix(l, "socket:") {
			continue
		}
		sa, err := syscall.Getsockname(fd)
		if err != nil || sockPort(sa) != local {
			continue
		}
		if pa, err := syscall.Getpeername(fd); err == nil && sockPort(pa) == remote {
			return fdConn(fd), nil
		}
	}
	return -1, errors.New("no socket with those ports in /proc/self/fd")
}
