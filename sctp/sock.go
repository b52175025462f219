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
	size_t alen; // sctpio_recv_append's *len: the bytes of the message read so far
	struct sctp_initmsg init;
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
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"runtime"
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
	guard *scratchGuard // frees cs when the program drops the socket without Close
	rbuf  []byte
	rn    C.ssize_t
	rfn   func(uintptr) bool
	abuf  []byte // ReadMessage's buffer, up to the limit
	arc   C.int
	afn   func(uintptr) bool
	wbuf  []byte
	wto   bool
	winfo bool
	wn    C.ssize_t
	wfn   func(uintptr) bool

	// nhdr holds the first bytes of the notification being read, nlen how many, so that a
	// notification read in pieces into tiny buffers is still recognised once whole (see
	// trackNotification); under rmu.
	nhdr [10]byte
	nlen int

	// onNote is the notification handler (SetNotificationHandler), nil when there is none; nacc
	// joins the pieces of the notification it is to get (under rmu).
	onNote atomic.Pointer[func(Notification)]
	nacc   []byte

	// reg is the socket's latest registration with a Receiver or Poller (nil when none), under
	// regMu: a socket has one registration live at a time across all of them (see newWatch).
	regMu sync.Mutex
	reg   *watch

	// readDL is the read deadline the program set; waking says that a registration's cancel has the
	// descriptor's read deadline in the past to wake the registration's wait (see wake). Under dlMu.
	dlMu   sync.Mutex
	readDL time.Time
	waking bool

	// end is how the association of a one-to-one socket ended, once a read has seen it end (nil
	// before): io.EOF after a graceful shutdown, ECONNRESET (or the errno the kernel reported) once
	// it was lost. See assocEnd.
	end atomic.Pointer[error]
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
	s.guard = &scratchGuard{cs: s.cs, origin: debugOrigin()}
	runtime.SetFinalizer(s.guard, (*scratchGuard).dropped)
	// The closures are made once so that a read or write does not allocate one each time.
	s.rfn = func(fd uintptr) bool {
		s.rn = C.sctpio_recv(C.int(fd), unsafe.Pointer(unsafe.SliceData(s.rbuf)), C.size_t(len(s.rbuf)), &s.cs.rinfo)
		return s.rn != eagain
	}
	s.afn = func(fd uintptr) bool {
		s.arc = C.sctpio_recv_append(C.int(fd), unsafe.Pointer(unsafe.SliceData(s.abuf)), C.size_t(len(s.abuf)),
			&s.cs.alen, &s.cs.rinfo)
		return s.arc != -C.int(syscall.EAGAIN)
	}
	s.wfn = func(fd uintptr) bool {
		s.wn = C.go_sendmsg(C.int(fd), unsafe.Pointer(unsafe.SliceData(s.wbuf)), C.size_t(len(s.wbuf)), s.cs,
			cBool(s.wto), cBool(s.winfo))
		return s.wn != eagain
	}
	return s, nil
}

// scratchGuard owns a socket's C scratch for the garbage collector. The sock itself is in a reference
// cycle (its read and write closures refer to it), where a finalizer is not guaranteed to run; the
// guard points at nothing of Go's, so its finalizer runs once the sock, the only thing that refers
// to it, is unreachable. The descriptor needs no help: its os.File closes it when collected.
type scratchGuard struct {
	cs     *C.struct_go_scratch
	origin string // where the socket was made, in debug builds
}

// dropped is the finalizer of the scratch of a socket dropped without Close: nothing can use it any
// more, so it is freed here, and the drop is reported (debug builds print where the socket was made).
func (g *scratchGuard) dropped() {
	if g.cs != nil {
		C.free(unsafe.Pointer(g.cs))
		g.cs = nil
		reportDropped("socket", g.origin)
	}
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
	n, _, err := s.recvMsgEnd(b, info, false)
	return n, err
}

// recvMsgEnd is recvMsg that, when track is set (one-to-one sockets), also joins the first bytes of
// a notification read in pieces and returns, with its last piece, the end of the association it
// tells (see assocEndOf); nil otherwise.
func (s *sock) recvMsgEnd(b []byte, info *RcvInfo, track bool) (int, error, error) {
	if len(b) == 0 {
		return 0, nil, nil
	}
	var own RcvInfo
	if info == nil {
		info = &own
	}
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.closed.Load() {
		return 0, nil, s.opError("read", "recvmsg", net.ErrClosed)
	}
	s.rbuf = b
	err := s.rc.Read(s.rfn)
	s.rbuf = nil
	if err == nil {
		err = errno(C.long(s.rn))
	}
	if err != nil {
		return 0, nil, s.opError("read", "recvmsg", err)
	}
	info.fromC(&s.cs.rinfo)
	n := int(s.rn)
	var end error
	if track && n > 0 && info.IsNotification() {
		end = s.trackNotification(b[:n], info.More())
	} else {
		s.nlen = 0 // a notification's pieces are never interleaved with data: start afresh
	}
	return n, end, nil
}

// trackNotification adds piece p of a notification to the header kept in s.nhdr and, with the last
// piece (more false), returns the association end that the whole header tells. A buffer too small
// for the 10 bytes of an association change's header (sac_type to sac_state) would otherwise hide
// COMM_LOST from Read. Called with rmu held.
func (s *sock) trackNotification(p []byte, more bool) error {
	s.nlen += copy(s.nhdr[s.nlen:], p)
	if more {
		return nil
	}
	end := assocEndOf(s.nhdr[:s.nlen])
	s.nlen = 0
	return end
}

// sendMsg sends b as one message with info, to `to` when it is valid.
func (s *sock) sendMsg(b []byte, info *SndInfo, to netip.AddrPort) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed.Load() {
		return 0, s.opError("write", "sendmsg", net.ErrClosed)
	}
	info.toC(&s.cs.sinfo)
	putInit(&s.cs.sinfo, info, &s.cs.init)
	if also := info.alsoTo(); len(also) > 0 {
		// A rare call (it sets up an association): the list gets C memory of its own.
		if len(also) > alsoToMax {
			return 0, s.opError("write", "sendmsg", syscall.EINVAL)
		}
		list := (*C.sctpio_addr)(C.calloc(C.size_t(len(also)), C.sizeof_sctpio_addr))
		defer C.free(unsafe.Pointer(list))
		dsts := unsafe.Slice(list, len(also))
		for i, ap := range also {
			putAddr(&dsts[i], ap)
		}
		s.cs.sinfo.also_to, s.cs.sinfo.n_also_to = list, C.size_t(len(also))
	}
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
	if s.guard != nil { // a socket made by newSock (tests make bare ones)
		runtime.SetFinalizer(s.guard, nil)
		s.guard.cs = nil
	}
	C.free(unsafe.Pointer(s.cs))
	s.cs = nil
	s.wmu.Unlock()
	s.rmu.Unlock()
	if err != nil {
		return &net.OpError{Op: "close", Net: s.net, Source: s.laddr, Addr: s.raddr, Err: err}
	}
	return nil
}

// assocEnd records, the first time a read of one-to-one socket s sees its association end (an
// SHUTDOWN_COMP, COMM_LOST or CANT_STR_ASSOC association change, or the error the kernel reports for
// a lost association), how it ended, and shuts the socket's receiving side. Linux wakes no reader
// once such a socket's association is gone: sctp_poll reports nothing on a closed one-to-one socket,
// and recvmsg waits for ever unless the peer was the one to shut down (so after our own CloseWrite,
// or after an abort whose error a concurrent write took, every later read and every Receiver or
// Poller wait would block for good). With SHUT_RD set (shutdown returns ENOTCONN on a closed socket
// but sets it all the same) what is still queued is read as before, then each read returns the end
// of the stream at once, which the reads turn into err (see endOr). It is safe to call again: the
// first reason stays.
func (s *sock) assocEnd(err error) {
	if s.end.CompareAndSwap(nil, &err) {
		s.shutRead()
	}
}

// shutRead shuts the socket's receiving side (see assocEnd); again is harmless.
func (s *sock) shutRead() {
	s.rc.Control(func(fd uintptr) { syscall.Shutdown(int(fd), syscall.SHUT_RD) })
}

// endOr is what a read of a one-to-one socket that found the end of the stream returns: the reason
// recorded by assocEnd (wrapped as the read's error unless it is io.EOF), or eof.
func (s *sock) endOr(call string, eof error) error {
	p := s.end.Load()
	if p == nil || *p == io.EOF {
		return eof
	}
	return s.opError("read", call, *p)
}

// assocGone reports whether a read error means that the association of a one-to-one socket is gone,
// and returns the errno that says how.
func assocGone(err error) (syscall.Errno, bool) {
	if err == nil {
		return 0, false // the common case, without errors.As: its target would escape (an allocation per read)
	}
	var en syscall.Errno
	if !errors.As(err, &en) {
		return 0, false
	}
	switch en {
	case syscall.ECONNRESET, syscall.ETIMEDOUT, syscall.ECONNREFUSED:
		return en, true
	}
	return 0, false
}

// readBatchConn is readBatch for a one-to-one socket, with the end of the association made visible
// in order and for good (see assocEnd):
//   - recvmmsg(2), unlike recvmsg(2), reports the socket's pending error before what is queued: an
//     ECONNRESET would come before the COMM_LOST that says why the association died, and that
//     notification would never be read. So a lost association's error shuts the receiving side and
//     the read is tried again: it returns what is queued, COMM_LOST included, and the error comes
//     once nothing is left.
//   - A batch holding the association's last notification (SHUTDOWN_COMP after our own shutdown,
//     where the kernel would otherwise never wake a reader again) records the end, so that the next
//     read returns io.EOF at once.
func (s *sock) readBatchConn(b *Batch) (int, error) {
	n, err := s.readBatch(b, true)
	if en, ok := assocGone(err); ok {
		s.assocEnd(en)
		n, err = s.readBatch(b, true)
	}
	if err == io.EOF {
		return 0, s.endOr("recvmmsg", io.EOF)
	}
	for i := 0; i < n; i++ {
		if b.infos[i].IsNotification() {
			if e := assocEndOf(b.Bytes(i)); e != nil {
				s.assocEnd(e)
			}
		}
	}
	return n, err
}

// setDeadline and setReadDeadline set the program's deadlines. While a registration's cancel is
// waking its wait (wake), the program's read deadline is only recorded, and unwake applies it.
func (s *sock) setDeadline(t time.Time) error {
	s.dlMu.Lock()
	defer s.dlMu.Unlock()
	s.readDL = t
	if s.waking {
		return s.deadlineErr(s.file.SetWriteDeadline(t))
	}
	return s.deadlineErr(s.file.SetDeadline(t))
}

func (s *sock) setReadDeadline(t time.Time) error {
	s.dlMu.Lock()
	defer s.dlMu.Unlock()
	s.readDL = t
	if s.waking {
		// Nothing to set now; fail as the setter would on a closed socket.
		return s.deadlineErr(s.rc.Control(func(uintptr) {}))
	}
	return s.deadlineErr(s.file.SetReadDeadline(t))
}

// wake sets the descriptor's read deadline in the past, which wakes a wait parked in the netpoller
// (a registration's, see watch.cancel), and keeps it there until unwake: the program's deadline
// setters only record theirs meanwhile. Go's runtime drops a deadline's wake-up when the deadline
// changes again before the woken goroutine runs (runtime/netpoll.go: "timeout has been reset ...
// pretend it has not happened and retry"), so a program resetting its read deadline could otherwise
// keep a Remove waiting for ever.
func (s *sock) wake() {
	s.dlMu.Lock()
	defer s.dlMu.Unlock()
	s.waking = true
	s.file.SetReadDeadline(aLongTimeAgo)
}

// unwake ends wake: the program's read deadline is in force again.
func (s *sock) unwake() {
	s.dlMu.Lock()
	defer s.dlMu.Unlock()
	if s.waking {
		s.waking = false
		s.file.SetReadDeadline(s.readDL)
	}
}

func (s *sock) setWriteDeadline(t time.Time) error { return s.deadlineErr(s.file.SetWriteDeadline(t)) }

// deadlineErr wraps a deadline setter's error as net does (Op "set"), net.ErrClosed after Close.
func (s *sock) deadlineErr(err error) error { return s.opError("set", "", err) }

// syscallConn is what SyscallConn returns: the descriptor's RawConn, whose calls fail with a
// *net.OpError wrapping net.ErrClosed after Close, as net's do; and after Close, an error itself.
func (s *sock) syscallConn() (syscall.RawConn, error) {
	if s.closed.Load() {
		return nil, s.opError("raw-conn", "", net.ErrClosed)
	}
	return &rawConn{s}, nil
}

// rawConn wraps the os.File's RawConn so that its errors read as net's (Op raw-control, raw-read,
// raw-write) rather than os's bare "use of closed file".
type rawConn struct{ s *sock }

func (r *rawConn) Control(f func(fd uintptr)) error {
	return r.s.opError("raw-control", "", r.s.rc.Control(f))
}

func (r *rawConn) Read(f func(fd uintptr) bool) error {
	return r.s.opError("raw-read", "", r.s.rc.Read(f))
}

func (r *rawConn) Write(f func(fd uintptr) bool) error {
	return r.s.opError("raw-write", "", r.s.rc.Write(f))
}

// dupFile returns a duplicate of the descriptor as an *os.File, as net.TCPConn.File does: closing
// either leaves the other open; options set on either apply to both (they share the socket).
func (s *sock) dupFile(op string) (*os.File, error) {
	var nfd int
	err := s.controlCall(op, "dup", func(fd C.int) C.long {
		r, err := dupCloexec(int(fd))
		if err != nil {
			return -C.long(err.(syscall.Errno))
		}
		nfd = r
		return 0
	})
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(nfd), "sctp"), nil
}

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
