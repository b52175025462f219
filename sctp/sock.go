// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include <stdlib.h>
#include "sctpio.h"

// Per-socket C scratch: the metadata of one read and one write live in C memory, allocated once per
// socket, so the per-message path allocates nothing in Go and passes no Go pointers inside structs.
struct go_scratch {
	struct sctpio_rcvinfo rinfo;
	struct sctpio_sndinfo sinfo;
	sctpio_addr to;
};

// go_sendmsg sends with the scratch's send info, or with none (has_info 0 and no address) so that
// the socket's SCTP_DEFAULT_SNDINFO applies.
static ssize_t go_sendmsg(int fd, const void *buf, size_t len, struct go_scratch *s, int has_to, int has_info)
{
	s->sinfo.to = has_to ? &s->to : NULL;
	return sctpio_send(fd, buf, len, has_info || has_to ? &s->sinfo : NULL);
}
*/
import "C"

import (
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// sock is what one-to-one connections, listeners and one-to-many endpoints share: the descriptor in
// Go's netpoller, the C scratch, and the error conventions.
type sock struct {
	file   *os.File
	rc     syscall.RawConn
	net    string
	laddr  net.Addr
	raddr  net.Addr
	closed atomic.Bool

	rmu   sync.Mutex // serialises reads: the read scratch is shared
	wmu   sync.Mutex // serialises writes
	cs    *C.struct_go_scratch
	rbuf  []byte
	rn    C.ssize_t
	rfn   func(uintptr) bool
	wbuf  []byte
	wto   bool
	winfo bool
	wn    C.ssize_t
	wfn   func(uintptr) bool
}

const eagain = -C.ssize_t(syscall.EAGAIN)

func newSock(fd C.int, network string) (*sock, error) {
	f := os.NewFile(uintptr(fd), "sctp")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	s := &sock{file: f, rc: rc, net: network}
	s.cs = (*C.struct_go_scratch)(C.calloc(1, C.sizeof_struct_go_scratch))
	// The closures are made once so that a read or write does not allocate one each time.
	s.rfn = func(fd uintptr) bool {
		s.rn = C.sctpio_recv(C.int(fd), unsafe.Pointer(unsafe.SliceData(s.rbuf)), C.size_t(len(s.rbuf)), &s.cs.rinfo)
		return s.rn != eagain
	}
	s.wfn = func(fd uintptr) bool {
		s.wn = C.go_sendmsg(C.int(fd), unsafe.Pointer(unsafe.SliceData(s.wbuf)), C.size_t(len(s.wbuf)), s.cs,
			cBool(s.wto), cBool(s.winfo))
		return s.wn != eagain
	}
	return s, nil
}

// opError wraps err as the net package does; after Close every failure reads as net.ErrClosed.
func (s *sock) opError(op, call string, err error) error {
	if err == nil {
		return nil
	}
	if s.closed.Load() {
		err = net.ErrClosed
	} else if en, ok := err.(syscall.Errno); ok {
		err = os.NewSyscallError(call, en)
	}
	return &net.OpError{Op: op, Net: s.net, Source: s.laddr, Addr: s.raddr, Err: err}
}

// recvMsg reads one message or piece into b, parking the goroutine until one is there.
func (s *sock) recvMsg(b []byte, info *RcvInfo) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.closed.Load() {
		return 0, s.opError("read", "recvmsg", net.ErrClosed)
	}
	s.rbuf = b
	err := s.rc.Read(s.rfn)
	s.rbuf = nil
	if err == nil {
		err = errno(C.long(s.rn))
	}
	if err != nil {
		return 0, s.opError("read", "recvmsg", err)
	}
	if info != nil {
		info.fromC(&s.cs.rinfo)
	}
	return int(s.rn), nil
}

// sendMsg sends b as one message with info, to `to` when it is valid.
func (s *sock) sendMsg(b []byte, info *SndInfo, to netip.AddrPort) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed.Load() {
		return 0, s.opError("write", "sendmsg", net.ErrClosed)
	}
	info.toC(&s.cs.sinfo)
	s.winfo = info != nil
	s.wto = to.IsValid()
	if s.wto {
		putAddr(&s.cs.to, to)
	}
	s.wbuf = b
	err := s.rc.Write(s.wfn)
	s.wbuf = nil
	if err == nil {
		err = errno(C.long(s.wn))
	}
	if err != nil {
		return 0, s.opError("write", "sendmsg", err)
	}
	return int(s.wn), nil
}

// control runs f with the descriptor, failing with net.ErrClosed after Close; a failure is an
// *net.OpError{Op: op} around an *os.SyscallError naming op.
func (s *sock) control(op string, f func(fd C.int) C.long) error { return s.controlCall(op, op, f) }

// controlCall is control with the system call named separately from the operation.
func (s *sock) controlCall(op, call string, f func(fd C.int) C.long) error {
	var r C.long
	err := s.rc.Control(func(fd uintptr) { r = f(C.int(fd)) })
	if err == nil {
		err = errno(r)
	}
	return s.opError(op, call, err)
}

func (s *sock) close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return s.opError("close", "close", net.ErrClosed)
	}
	// Closing the file wakes every parked read and write; they give up the locks, then the scratch goes.
	err := s.file.Close()
	s.rmu.Lock()
	s.wmu.Lock()
	C.free(unsafe.Pointer(s.cs))
	s.cs = nil
	s.wmu.Unlock()
	s.rmu.Unlock()
	if err != nil {
		return &net.OpError{Op: "close", Net: s.net, Source: s.laddr, Addr: s.raddr, Err: err}
	}
	return nil
}

func (s *sock) setDeadline(t time.Time) error      { return s.file.SetDeadline(t) }
func (s *sock) setReadDeadline(t time.Time) error  { return s.file.SetReadDeadline(t) }
func (s *sock) setWriteDeadline(t time.Time) error { return s.file.SetWriteDeadline(t) }

// addrs reads the local addresses of the endpoint (id 0) or of association id, or (peer) the peer
// addresses of association id.
func (s *sock) addrs(peer bool, id AssocID) (*Addr, error) {
	var small [8]C.sctpio_addr
	list := small[:]
	for {
		var n C.long
		err := s.control("getaddrs", func(fd C.int) C.long {
			if peer {
				n = C.long(C.sctpio_sock_peer_addrs(fd, C.sctp_assoc_t(id), &list[0], C.size_t(len(list))))
			} else {
				n = C.long(C.sctpio_sock_local_addrs(fd, C.sctp_assoc_t(id), &list[0], C.size_t(len(list))))
			}
			return n
		})
		if err != nil {
			return nil, err
		}
		if int(n) <= len(list) {
			return addrFromList(list[:n]), nil
		}
		// The kernel reported more than there was room for: ask again with room for all.
		list = make([]C.sctpio_addr, n+4)
	}
}
