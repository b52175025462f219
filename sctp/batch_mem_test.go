// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"bytes"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// readOneData reads b from c until a data message arrives and returns its index.
func readOneData(t *testing.T, c *SCTPConn, b *Batch) int {
	t.Helper()
	for {
		n, err := c.ReadBatch(b)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			if !b.Info(i).IsNotification() {
				return i
			}
		}
	}
}

// TestBatchBytesAreGoMemory checks that the kernel receives into the batch's Go buffer (the bytes
// of a message lie inside it, so they are memory the garbage collector owns), and that a slice kept
// after Close stays readable with its last contents after the C memory is gone and collections ran.
// The batch is 64 slots of 4 KiB: with the bytes in C memory (before), that size is one mmap that
// Close unmaps, and reading the kept slice then faulted.
func TestBatchBytesAreGoMemory(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := NewBatch(64, 4096)
	if err != nil {
		t.Fatal(err)
	}
	msg := bytes.Repeat([]byte("zero-copy"), 400)
	if _, err := cli.Write(msg); err != nil {
		t.Fatal(err)
	}
	i := readOneData(t, srv, b)
	held := b.Bytes(i)
	if !bytes.Equal(held, msg) {
		t.Fatalf("message %d: %d bytes, want %d", i, len(held), len(msg))
	}
	if cap(held) != len(held) {
		t.Errorf("cap %d, want the length %d: an append would write over the next slot", cap(held), len(held))
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(b.buf)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(held)))
	if want := lo + uintptr(i*b.SlotSize()); p != want {
		t.Fatalf("slot %d's bytes at %#x, want %#x (slot %d of the Go buffer at %#x)", i, p, want, i, lo)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b = nil
	for k := 0; k < 3; k++ {
		runtime.GC()
		_ = make([]byte, 1<<20) // give the allocator a reason to reuse freed memory
	}
	want := msg
	if debugBuild {
		want = bytes.Repeat([]byte{0xdb}, len(msg)) // Close ends the loan, and debug builds poison
	}
	if !bytes.Equal(held, want) {
		t.Fatalf("slice kept after Close: %.32q..., want %.32q...", held, want)
	}
}

// TestBatchSharedSliceSeesNewerData checks what a slice kept too long shows when the batch moves on
// to another socket, as a Receiver's batches do: newer bytes of the other socket (or 0xdb in debug
// builds, until overwritten), in the same Go memory, never memory of something freed.
func TestBatchSharedSliceSeesNewerData(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli1, srv1 := dialPair(t, l, nil)
	cli2, srv2 := dialPair(t, l, nil)
	srv1.SetReadDeadline(time.Now().Add(10 * time.Second))
	srv2.SetReadDeadline(time.Now().Add(10 * time.Second))
	b := newBatch(t, 1, 64)
	cli1.Write([]byte("association one"))
	held := b.Bytes(readOneData(t, srv1, b))
	cli2.Write([]byte("association TWO"))
	if got := b.Bytes(readOneData(t, srv2, b)); string(got) != "association TWO" {
		t.Fatalf("second read %q", got)
	}
	// The one slot was reused (for the COMM_UP of the second association too, perhaps, and
	// poisoned in between in debug builds); what the kept slice shows is the newest message.
	if string(held) != "association TWO" {
		t.Fatalf("kept slice %q, want the newer message", held)
	}
}

// dropBatch makes a batch and lets go of it, in a frame of its own so that no stack slot keeps it.
//
//go:noinline
func dropBatch(t *testing.T, slots, size int) {
	if _, err := NewBatch(slots, size); err != nil {
		t.Fatal(err)
	}
}

// dropReceiver makes a receiver with workers workers and lets go of it without Close.
//
//go:noinline
func dropReceiver(t *testing.T, workers int) {
	if _, err := NewReceiver(workers, func(Source, *Batch) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

// watchDrops counts the dropped objects reported from now on, by kind, until the test ends.
func watchDrops(t *testing.T) <-chan string {
	ch := make(chan string, 64)
	f := func(kind string) { ch <- kind }
	if !droppedHook.CompareAndSwap(nil, &f) {
		t.Fatal("droppedHook already set")
	}
	t.Cleanup(func() { droppedHook.Store(nil) })
	return ch
}

// awaitDrops runs a collection and waits for n reports of kind.
func awaitDrops(t *testing.T, ch <-chan string, kind string, n int) {
	t.Helper()
	runtime.GC() // queues the finalizers of what is unreachable; they run on their own goroutine
	timeout := time.After(20 * time.Second)
	for got := 0; got < n; {
		select {
		case k := <-ch:
			if k != kind {
				t.Fatalf("dropped %q, want %q", k, kind)
			}
			got++
		case <-timeout:
			t.Fatalf("%d of %d dropped %ss reported", got, n, kind)
		}
	}
}

// TestDroppedBatchIsFreed checks that a Batch the program dropped without Close is freed by its
// finalizer (counted, and printed in debug builds), and that a closed one is not reported.
func TestDroppedBatchIsFreed(t *testing.T) {
	ch := watchDrops(t)
	before := droppedObjects.Load()
	dropBatch(t, 8, 512)
	awaitDrops(t, ch, "Batch", 1)
	if got := droppedObjects.Load() - before; got != 1 {
		t.Fatalf("droppedObjects rose by %d, want 1", got)
	}
	b, err := NewBatch(8, 512)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	b = nil
	dropBatch(t, 2, 16) // a marker: once it is reported, the closed batch's finalizer would have been too
	awaitDrops(t, ch, "Batch", 1)
	select {
	case k := <-ch:
		t.Fatalf("a closed %s was reported dropped", k)
	default:
	}
}

// TestDroppedReceiverIsClosed checks that a Receiver dropped without Close (no socket registered) is
// closed by its finalizer: reported once, and its workers' batches freed by that Close, so none of
// them is reported dropped.
func TestDroppedReceiverIsClosed(t *testing.T) {
	ch := watchDrops(t)
	dropReceiver(t, 3)
	awaitDrops(t, ch, "Receiver", 1)
	dropBatch(t, 2, 16) // a marker: reported after anything the Receiver's close would have reported
	awaitDrops(t, ch, "Batch", 1)
	select {
	case k := <-ch:
		t.Fatalf("a %s of the closed Receiver was reported dropped", k)
	default:
	}
}

// dropServing registers src with a new Receiver (or, poller set, a new Poller) whose handler counts
// the batches it gets in handled, and lets go of the Receiver or Poller without Close.
//
//go:noinline
func dropServing(t *testing.T, src Source, poller bool, handled *atomic.Int64) {
	if poller {
		p, err := NewPoller(4)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Add(src, nil); err != nil {
			t.Fatal(err)
		}
		return
	}
	r, err := NewReceiver(1, func(Source, *Batch) error { handled.Add(1); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Add(src); err != nil {
		t.Fatal(err)
	}
}

// TestDroppedModelWithSocketsIsClosed checks that a Receiver or Poller dropped with a socket still
// registered (its goroutine parked on the socket) is collected and closed: reported once, its
// registration ended with no read deadline left on the socket, so the program reads the socket
// itself again.
func TestDroppedModelWithSocketsIsClosed(t *testing.T) {
	needSCTP(t)
	for _, poller := range []bool{false, true} {
		kind := map[bool]string{false: "Receiver", true: "Poller"}[poller]
		t.Run(kind, func(t *testing.T) {
			l := loopbackListener(t)
			cli, srv := quietPair(t, l)
			defer cli.Close()
			defer srv.Close()
			ch := watchDrops(t)
			var handled atomic.Int64
			dropServing(t, srv, poller, &handled)
			awaitDrops(t, ch, kind, 1)
			if _, err := cli.Write([]byte("after the drop")); err != nil {
				t.Fatal(err)
			}
			srv.SetReadDeadline(time.Now().Add(20 * time.Second))
			buf := make([]byte, 64)
			n, err := srv.Read(buf)
			if err != nil || string(buf[:n]) != "after the drop" {
				t.Fatalf("reading the socket after its %s was dropped: %q, %v", kind, buf[:n], err)
			}
			if h := handled.Load(); h != 0 {
				t.Fatalf("the dropped Receiver's handler ran %d times", h)
			}
		})
	}
}

// sockInode returns the inode of the socket open at fd, or 0 when fd is closed or is not a socket.
func sockInode(fd int) uint64 {
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFSOCK {
		return 0
	}
	return st.Ino
}

// dropConnPair dials a connection and accepts it, then lets go of both without Close; it returns
// their descriptors and inodes.
//
//go:noinline
func dropConnPair(t *testing.T, l *Listener) (fds [2]int, inos [2]uint64) {
	accepted := make(chan *SCTPConn, 1)
	go func() {
		c, _ := l.AcceptSCTP()
		accepted <- c
	}()
	cli, err := Dial("sctp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	srv := <-accepted
	if srv == nil {
		t.Fatal("accept failed")
	}
	for k, c := range []*SCTPConn{cli, srv} {
		rc, err := c.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		rc.Control(func(fd uintptr) { fds[k] = int(fd) })
		inos[k] = sockInode(fds[k])
	}
	return fds, inos
}

// TestDroppedConnClosesItsSocket checks that the descriptors of connections dropped without Close
// are closed once the garbage collector finds them (the socket's os.File closes it).
func TestDroppedConnClosesItsSocket(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	fds, inos := dropConnPair(t, l)
	if inos[0] == 0 || inos[1] == 0 {
		t.Fatalf("descriptors %v are not sockets", fds)
	}
	ch := watchDrops(t)
	awaitDrops(t, ch, "socket", 2) // each one's C scratch freed and reported
	// No finalizer of ours can tell when os.File's has run: collect until both sockets are gone.
	deadline := time.Now().Add(20 * time.Second)
	for open := 2; open > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d of the dropped connections' sockets %v still open", open, fds)
		}
		runtime.GC()
		runtime.Gosched()
		open = 0
		for k := range fds {
			if sockInode(fds[k]) == inos[k] {
				open++
			}
		}
	}
}
