// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include <stdlib.h>
#include "sctpio.h"

// One received slot as Go reads it: filled by go_batch_recv in the same call as the receive, so
// reading a message costs Go no further cgo call. The array lives in C memory next to the batch. The
// bytes themselves are in the batch's Go buffer, at the slot's index times the slot size.
struct go_slot {
	size_t len;
	const struct sctpio_rcvinfo *info;
};

// go_batch_adopt points every slot of b at buf (slots x cap bytes of Go memory, pinned by the caller
// for as long as b lives), in place of the buffers sctpio_batch_new carved out of its own
// allocation: the kernel then receives into memory that Go's garbage collector owns, and a slice Go
// lent out can outlive the container without pointing at freed memory. It is the one place that
// knows the container's layout (struct sctpio_batch in src/batch.c, visible here through the
// amalgamation): every receive and add addresses slot i as b->data + i * b->cap and receives through
// b->iov[i], which this rewrites; TestBatchBytesAreGoMemory checks that the bytes land in buf.
static void go_batch_adopt(struct sctpio_batch *b, unsigned char *buf)
{
	b->data = buf;
	for (size_t i = 0; i < b->nslots; i++)
		b->iov[i].iov_base = buf + i * b->cap;
}

// What one queued message is sent with, in C memory so that no Go pointer is stored in C.
struct go_bscratch {
	struct sctpio_sndinfo si;
	sctpio_addr to;
	struct sctp_initmsg init;
};

static int go_batch_recv(struct sctpio_batch *b, int fd, struct go_slot *tab)
{
	int rc = sctpio_batch_recv(b, fd, 1, 0);
	for (int i = 0; i < rc; i++) {
		sctpio_batch_data(b, (size_t)i, &tab[i].len);
		tab[i].info = sctpio_batch_info(b, (size_t)i);
	}
	return rc;
}

static int go_batch_add(struct sctpio_batch *b, const void *p, size_t len, struct go_bscratch *s, int has_to,
			int has_info)
{
	s->si.to = has_to ? &s->to : NULL;
	return sctpio_batch_add(b, p, len, has_info || has_to ? &s->si : NULL);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// ErrBatchClosed is returned for a Batch used after Close.
var ErrBatchClosed = errors.New("sctp: use of closed batch")

// poisonBatches makes every ReadBatch, Queue and Close overwrite the bytes the batch lent out before
// with 0xdb. It is on in builds with the sctpiodebug tag (go test -tags sctpiodebug).
var poisonBatches atomic.Bool

func init() { poisonBatches.Store(debugBuild) }

// Batch is a container of messages moved by one system call: ReadBatch fills it with up to its
// number of slots (recvmmsg), WriteBatch sends every message queued in it (sendmmsg). Its memory is
// allocated once by NewBatch: the slot buffers (slots × slotSize bytes) are one Go byte slice, pinned
// (runtime.Pinner) while the batch is open so that the kernel receives straight into it, and the
// metadata is C memory that Close frees. Reading and writing through it allocate nothing.
//
// ZERO-COPY, READ THIS: Bytes returns a slice that ALIASES the batch's buffer, and Info a pointer
// into the batch. Both are valid ONLY UNTIL the next ReadBatch, Queue or Close on this batch: the
// next read overwrites the bytes in place (with another message, perhaps from another socket or
// association when the batch is shared, as a Receiver's are). Copy what must outlive that
// (bytes.Clone, ParseNotification). A slice kept too long is a bug, but never a memory error: the
// buffer is Go memory, owned by the garbage collector and kept alive by the slice, so a kept slice
// reads newer data (or, after Close, the last data), never freed memory. Builds with the tag
// sctpiodebug overwrite lent bytes with 0xdb before each reuse and at Close, so that a slice kept
// too long shows in tests.
//
// A Batch that becomes unreachable without Close is closed by the garbage collector (its C memory
// freed, its buffer unpinned); builds with the tag sctpiodebug also print where it was made, as a
// leak to fix. Close it: a collection may come much later than the last use.
//
// A Batch is either receiving or sending: Queue discards received messages, and ReadBatch refuses
// (ENOTEMPTY) while messages are queued. A Batch may be used by one goroutine at a time; ReadBatch,
// WriteBatch, Queue and Close are serialised (Close waits for a ReadBatch in progress: end that one
// with a deadline or by closing the socket), but the accessors must not run concurrently with them.
type Batch struct {
	// The state lives in a separate object that nothing in it points back from, so that the
	// Batch itself is in no reference cycle (the netpoller callbacks refer to the state) and its
	// finalizer runs once the program drops it.
	*batch
}

type batch struct {
	mu     sync.Mutex
	cb     *C.struct_sctpio_batch
	tab    *C.struct_go_slot
	cs     *C.struct_go_bscratch
	buf    []byte         // the slot buffers, slot i at buf[i*size:]; pinned while cb is open
	pin    runtime.Pinner // pins buf for the C container
	slots  int
	size   int
	n      int       // messages held from the last ReadBatch
	infos  []RcvInfo // their metadata, converted once per read
	origin string    // where NewBatch was called, in debug builds (see debugOrigin)

	// State of the netpoller callbacks, which are made once so that a read or write allocates nothing.
	rfn, wfn func(uintptr) bool
	rc       C.int
	sent     int
	waits    int           // times WriteBatch waited for the socket to turn writable (tests read it)
	waited   chan struct{} // nil, or (tests) told without blocking each time WriteBatch waits
}

// NewBatch makes a batch of slots slots (at most 1024) of slotSize bytes each (at most 1 GiB in
// all). A message longer than slotSize arrives in several slots, each with RecvMore but the last.
func NewBatch(slots, slotSize int) (*Batch, error) {
	if slots <= 0 || slotSize <= 0 {
		return nil, fmt.Errorf("sctp: NewBatch(%d, %d): %w", slots, slotSize, syscall.EINVAL)
	}
	b := &batch{slots: slots, size: slotSize}
	if r := C.sctpio_batch_new(&b.cb, C.size_t(slots), C.size_t(slotSize)); r < 0 {
		return nil, fmt.Errorf("sctp: NewBatch(%d, %d): %w", slots, slotSize, syscall.Errno(-r))
	}
	b.infos = make([]RcvInfo, slots)
	b.buf = make([]byte, slots*slotSize)
	b.pin.Pin(&b.buf[0])
	C.go_batch_adopt(b.cb, (*C.uchar)(unsafe.Pointer(&b.buf[0])))
	b.tab = (*C.struct_go_slot)(C.calloc(C.size_t(slots), C.sizeof_struct_go_slot))
	b.cs = (*C.struct_go_bscratch)(C.calloc(1, C.sizeof_struct_go_bscratch))
	if b.tab == nil || b.cs == nil {
		b.free()
		return nil, fmt.Errorf("sctp: NewBatch(%d, %d): %w", slots, slotSize, syscall.ENOMEM)
	}
	b.origin = debugOrigin()
	b.rfn = func(fd uintptr) bool {
		b.rc = C.go_batch_recv(b.cb, C.int(fd), b.tab)
		return b.rc != -C.int(syscall.EAGAIN)
	}
	b.wfn = func(fd uintptr) bool {
		for {
			r := C.sctpio_batch_send(b.cb, C.int(fd))
			if r == -C.int(syscall.EAGAIN) {
				b.waits++
				if b.waited != nil {
					select {
					case b.waited <- struct{}{}:
					default:
					}
				}
				return false
			}
			if r < 0 {
				b.rc = r
				return true
			}
			b.sent += int(r)
			if C.sctpio_batch_pending(b.cb) == 0 {
				return true
			}
		}
	}
	bb := &Batch{b}
	runtime.SetFinalizer(bb, (*Batch).dropped)
	return bb, nil
}

// dropped is the finalizer of a Batch the program let go of without Close.
func (b *Batch) dropped() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cb != nil {
		b.free()
		reportDropped("Batch", b.origin)
	}
}

// Close frees the batch's C memory and unpins its buffer. Slices from Bytes stay readable Go memory
// (holding the last data, or 0xdb in debug builds) but are no longer updated; pointers from Info are
// likewise Go memory.
func (b *Batch) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cb == nil {
		return ErrBatchClosed
	}
	b.release()
	b.free()
	runtime.SetFinalizer(b, nil)
	return nil
}

// free releases what NewBatch took. b.mu is held, or b is not shared yet.
func (b *batch) free() {
	C.sctpio_batch_free(b.cb)
	C.free(unsafe.Pointer(b.tab))
	C.free(unsafe.Pointer(b.cs))
	b.pin.Unpin()
	b.cb, b.tab, b.cs, b.n = nil, nil, nil, 0
}

// Slots returns the number of slots; SlotSize the bytes of each.
func (b *Batch) Slots() int { return b.slots }

// SlotSize returns the capacity of one slot in bytes.
func (b *Batch) SlotSize() int { return b.size }

// Len returns the number of messages (or pieces) the last ReadBatch put in the batch.
func (b *Batch) Len() int { return b.n }

func (b *batch) table() []C.struct_go_slot { return unsafe.Slice(b.tab, b.slots)[:b.n] }

// Bytes returns message i (0 <= i < Len()) of the last ReadBatch, in place: the slice ALIASES the
// batch's buffer and is valid only until the next ReadBatch, Queue or Close on b (see Batch). Its
// capacity is its length, so an append copies rather than writing over the next slot.
func (b *Batch) Bytes(i int) []byte {
	n := int(b.table()[i].len)
	off := i * b.size
	return b.buf[off : off+n : off+n]
}

// Info returns the metadata of message i of the last ReadBatch: stream, PPID, association, flags
// (RecvMore for a piece that more follow, RecvNotification for a notification). The pointer is
// valid until the next ReadBatch, Queue or Close on b.
func (b *Batch) Info(i int) *RcvInfo { return &b.infos[:b.n][i] }

// Pending returns the number of messages queued and not yet sent.
func (b *Batch) Pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cb == nil {
		return 0
	}
	return int(C.sctpio_batch_pending(b.cb))
}

// Queue copies p into a free slot, to be sent by the next WriteBatch with info (nil: the socket's
// default send info, stream 0 and PPID 0 unless set; on an Endpoint info.AssocID picks the
// association). It discards what the last ReadBatch
// received. Errors: EMSGSIZE (p longer than a slot), ENOBUFS (every slot holds a queued message:
// WriteBatch first), EINVAL (info not valid, or p empty without EOF or Abort).
func (b *Batch) Queue(p []byte, info *SndInfo) error { return b.queue(p, info, netip.AddrPort{}) }

// QueueTo is Queue for an Endpoint, sending to peer address to (setting up an association if there
// is none) rather than to info.AssocID.
func (b *Batch) QueueTo(p []byte, info *SndInfo, to netip.AddrPort) error {
	return b.queue(p, info, to)
}

func (b *Batch) queue(p []byte, info *SndInfo, to netip.AddrPort) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cb == nil {
		return ErrBatchClosed
	}
	b.release()
	if len(info.alsoTo()) > 0 {
		// A slot's ancillary space is fixed; the C batch refuses an address list too.
		return fmt.Errorf("sctp: queue %d bytes: AssocSetup.AlsoTo in a batch: %w", len(p), syscall.EINVAL)
	}
	info.toC(&b.cs.si)
	putInit(&b.cs.si, info, &b.cs.init)
	var hasTo C.int
	if to.IsValid() {
		putAddr(&b.cs.to, to)
		hasTo = 1
	}
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	if r := C.go_batch_add(b.cb, ptr, C.size_t(len(p)), b.cs, hasTo, cBool(info != nil)); r < 0 {
		return fmt.Errorf("sctp: queue %d bytes: %w", len(p), syscall.Errno(-r))
	}
	return nil
}

// Drop discards the first queued message: the one a WriteBatch error stopped at (the kernel
// refused it, e.g. EINVAL for a stream beyond the negotiated count), so that the rest can go.
func (b *Batch) Drop() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cb == nil {
		return ErrBatchClosed
	}
	if r := C.sctpio_batch_drop(b.cb); r < 0 {
		return fmt.Errorf("sctp: drop: %w", syscall.Errno(-r))
	}
	return nil
}

// release ends the loan of the last read's bytes, poisoning them in debug mode. b.mu is held.
func (b *batch) release() {
	if b.n > 0 && poisonBatches.Load() {
		for i, t := range b.table() {
			poison := b.buf[i*b.size : i*b.size+int(t.len)]
			for j := range poison {
				poison[j] = 0xdb
			}
		}
	}
	b.n = 0
}

// readBatch fills b from s, parking the goroutine until at least one message is there. With eof
// (one-to-one sockets) the empty slot that marks the peer's shutdown is taken off, and a batch
// holding nothing else reads as io.EOF.
func (s *sock) readBatch(b *Batch, eof bool) (int, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.closed.Load() {
		return 0, s.opError("read", "recvmmsg", net.ErrClosed)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cb == nil {
		return 0, s.opError("read", "recvmmsg", ErrBatchClosed)
	}
	b.release()
	err := s.rc.Read(b.rfn)
	if err == nil && b.rc < 0 {
		err = syscall.Errno(-b.rc)
	}
	if err != nil {
		return 0, s.opError("read", "recvmmsg", err)
	}
	b.n = int(b.rc)
	if b.n == 0 {
		return 0, nil
	}
	tab := b.table()
	for i := range tab {
		b.infos[i].fromC(tab[i].info)
	}
	// End of stream is an empty slot that is not a notification, always the last one.
	if last := &tab[b.n-1]; eof && last.len == 0 && !b.infos[b.n-1].IsNotification() {
		b.n--
		if b.n == 0 {
			return 0, io.EOF
		}
	}
	return b.n, nil
}

// writeBatch sends everything queued in b on s, waiting for the socket to turn writable as often
// as needed; what the kernel did not take stays queued, in order.
func (s *sock) writeBatch(b *Batch) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed.Load() {
		return 0, s.opError("write", "sendmmsg", net.ErrClosed)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cb == nil {
		return 0, s.opError("write", "sendmmsg", ErrBatchClosed)
	}
	b.sent, b.rc = 0, 0
	err := s.rc.Write(b.wfn)
	if err == nil && b.rc < 0 {
		err = syscall.Errno(-b.rc)
	}
	return b.sent, s.opError("write", "sendmmsg", err)
}

// ReadBatch receives into b as many messages as are waiting, up to b.Slots(), with one recvmmsg,
// parking the goroutine until at least one is there; it returns their number (b.Len()). Read them
// with b.Bytes(i) and b.Info(i), which are valid only until the next ReadBatch, Queue or Close on
// b. Notifications arrive in slots too, with RecvNotification set. A message longer than a slot
// fills several slots (RecvMore on all but its last), possibly going on in the next ReadBatch.
func (e *Endpoint) ReadBatch(b *Batch) (int, error) { return e.s.readBatch(b, false) }

// WriteBatch sends every message queued in b (oldest first) with as few sendmmsg calls as the
// socket's room allows, parking the goroutine while the socket is full. It returns how many went.
// On an error (a deadline, or the kernel refusing the first queued message) the messages not sent
// stay queued, in order, for the next WriteBatch: none is lost or sent twice (Drop removes a
// refused one).
func (e *Endpoint) WriteBatch(b *Batch) (int, error) { return e.s.writeBatch(b) }

// ReadBatch is Endpoint.ReadBatch for a one-to-one connection. After the peer's graceful shutdown
// it returns the messages before it, then 0 and io.EOF.
func (c *SCTPConn) ReadBatch(b *Batch) (int, error) { return c.s.readBatchConn(b) }

// WriteBatch is Endpoint.WriteBatch for a one-to-one connection.
func (c *SCTPConn) WriteBatch(b *Batch) (int, error) { return c.wrote(c.s.writeBatch(b)) }
