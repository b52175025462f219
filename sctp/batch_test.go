// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"syscall"
	"testing"
	"time"
)

func newBatch(t testing.TB, slots, size int) *Batch {
	t.Helper()
	b, err := NewBatch(slots, size)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// forceSndBuf gives c a send buffer of bytes (doubled by Linux) beyond net.core.wmem_max, which
// caps SetWriteBuffer: the kernel refuses a message larger than the send buffer (EMSGSIZE).
// SO_SNDBUFFORCE needs CAP_NET_ADMIN; without it the test is skipped.
func forceSndBuf(t *testing.T, c *SCTPConn, bytes int) {
	t.Helper()
	rc, _ := c.SyscallConn()
	var err error
	rc.Control(func(fd uintptr) {
		err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUFFORCE, bytes)
	})
	if err != nil {
		t.Skipf("SO_SNDBUFFORCE: %v (a 1 MiB message needs a send buffer beyond wmem_max)", err)
	}
}

func TestReadBatch10000MessagesOn8StreamsInOrder(t *testing.T) {
	needSCTP(t)
	const total, streams = 10000, 8
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	// A small send buffer makes WriteBatch meet EAGAIN and wait for the netpoller again and again.
	if err := cli.SetWriteBuffer(4096); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(120 * time.Second)
	cli.SetDeadline(deadline)
	srv.SetDeadline(deadline)

	out := newBatch(t, 64, 64)
	// The reader starts only once WriteBatch has met a full socket, so the EAGAIN path is taken
	// whatever the speed of the machine (a fast reader on a quiet host kept the buffer open).
	out.waited = make(chan struct{}, 1)
	sendErr := make(chan error, 1)
	go func() {
		msg := make([]byte, 48)
		sent := 0
		for i := 0; i < total; i++ {
			stream := uint16(i % streams)
			binary.BigEndian.PutUint16(msg[0:], stream)
			binary.BigEndian.PutUint32(msg[2:], uint32(i/streams)) // the message's number on its stream
			if err := out.Queue(msg, &SndInfo{Stream: stream, PPID: uint32(i)}); err != nil {
				sendErr <- err
				return
			}
			if out.Pending() == out.Slots() || i == total-1 {
				n, err := cli.WriteBatch(out)
				sent += n
				if err != nil || out.Pending() != 0 {
					sendErr <- errors.Join(err, errors.New("queue not empty after WriteBatch"))
					return
				}
			}
		}
		if sent != total {
			sendErr <- errors.New("WriteBatch counts do not add up")
			return
		}
		sendErr <- nil
	}()

	select {
	case <-out.waited:
	case err := <-sendErr:
		t.Fatalf("the sender ended before it met a full socket: %v", err)
	case <-time.After(time.Until(deadline)):
		t.Fatal("WriteBatch never met a full socket")
	}
	in := newBatch(t, 32, 256)
	var next [streams]uint32
	got, batches := 0, 0
	for got < total {
		n, err := srv.ReadBatch(in)
		if err != nil {
			t.Fatalf("after %d messages: %v", got, err)
		}
		batches++
		for i := 0; i < n; i++ {
			info, p := in.Info(i), in.Bytes(i)
			if info.IsNotification() {
				continue
			}
			if len(p) != 48 || info.More() {
				t.Fatalf("message %d: %d bytes, flags %#x", got, len(p), info.Flags)
			}
			stream, seq := binary.BigEndian.Uint16(p), binary.BigEndian.Uint32(p[2:])
			if stream != info.Stream || stream >= streams || seq != next[stream] {
				t.Fatalf("message %d: stream %d (info says %d) number %d, want %d", got, stream, info.Stream, seq, next[stream])
			}
			if info.PPID != seq*streams+uint32(stream) {
				t.Fatalf("message %d: PPID %d", got, info.PPID)
			}
			next[stream]++
			got++
		}
	}
	if err := <-sendErr; err != nil {
		t.Fatal(err)
	}
	t.Logf("%d messages in %d ReadBatch calls; WriteBatch waited for the netpoller %d times", got, batches, out.waits)
	if out.waits == 0 {
		t.Error("WriteBatch never met a full socket: the EAGAIN path went untested")
	}
}

// bigMessage is 1 MiB of a pattern that a shifted or repeated piece would break.
func bigMessage() []byte {
	m := make([]byte, 1<<20)
	for i := range m {
		m[i] = byte(i*7 + i>>16)
	}
	return m
}

func TestOneMiBMessageViaReadMsgAndBatch(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	forceSndBuf(t, cli, 4<<20)
	deadline := time.Now().Add(120 * time.Second)
	cli.SetDeadline(deadline)
	srv.SetDeadline(deadline)
	want := bigMessage()
	sendErr := make(chan error, 1)
	go func() {
		for i := 0; i < 2; i++ {
			if _, err := cli.WriteMsg(want, &SndInfo{Stream: 1, PPID: 99}); err != nil {
				sendErr <- err
				return
			}
		}
		sendErr <- nil
	}()

	// First copy: ReadMsg in 64 KiB pieces, joined while RecvMore says more follows.
	buf := make([]byte, 64<<10)
	var msg []byte
	var info RcvInfo
	pieces := 0
	for {
		n, err := srv.ReadMsg(buf, &info)
		if err != nil {
			t.Fatal(err)
		}
		if info.IsNotification() {
			continue
		}
		msg = append(msg, buf[:n]...)
		pieces++
		if !info.More() {
			break
		}
	}
	if !bytes.Equal(msg, want) || info.Stream != 1 || info.PPID != 99 || pieces < 16 {
		t.Fatalf("ReadMsg: %d bytes in %d pieces (want %d in at least 16), stream %d PPID %d", len(msg), pieces, len(want), info.Stream, info.PPID)
	}

	// Second copy: through a batch of 8 slots of 32 KiB, so it spans slots and batches.
	b := newBatch(t, 8, 32<<10)
	msg, pieces = msg[:0], 0
	for done := false; !done; {
		n, err := srv.ReadBatch(b)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			if done {
				t.Fatalf("slot %d after the end of the message", i)
			}
			if b.Info(i).IsNotification() {
				continue
			}
			msg = append(msg, b.Bytes(i)...)
			pieces++
			done = !b.Info(i).More()
		}
	}
	if !bytes.Equal(msg, want) || pieces < 32 {
		t.Fatalf("ReadBatch: %d bytes in %d pieces, want %d in at least 32", len(msg), pieces, len(want))
	}
	if err := <-sendErr; err != nil {
		t.Fatal(err)
	}
}

// preload sends n small messages from cli and returns when the peer has acknowledged them all, so
// that they wait in srv's receive queue: SENDER_DRY comes when nothing is left to send or
// retransmit (turned on after the writes, it comes at once if that is already so).
func preload(t *testing.T, cli *SCTPConn, n int) {
	t.Helper()
	msg := []byte("0123456789abcdef")
	for i := 0; i < n; i++ {
		if _, err := cli.Write(msg); err != nil {
			t.Fatal(err)
		}
	}
	if err := cli.Subscribe(DefaultEvents | EventSenderDry); err != nil {
		t.Fatal(err)
	}
	waitNote(t, "client", cli.ReadMsg, func(n Notification) bool { _, ok := n.(*SenderDry); return ok })
}

func TestReadBatchAndReadMsgAllocateNothing(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	cli.SetDeadline(time.Now().Add(60 * time.Second))
	srv.SetDeadline(time.Now().Add(60 * time.Second))
	const runs = 30
	preload(t, cli, 2*(runs+1)+(runs+1)+8)

	buf := make([]byte, 64)
	var info RcvInfo
	// Skip COMM_UP first: only data is preloaded after it.
	for {
		if _, err := srv.ReadMsg(buf, &info); err != nil {
			t.Fatal(err)
		}
		if !info.IsNotification() {
			break
		}
	}
	b := newBatch(t, 2, 64)
	allocs := testing.AllocsPerRun(runs, func() {
		if n, err := srv.ReadBatch(b); err != nil || n == 0 || len(b.Bytes(0)) != 16 {
			t.Fatalf("ReadBatch: %d, %v", n, err)
		}
	})
	t.Logf("ReadBatch: %v allocations per call", allocs)
	if allocs != 0 {
		t.Errorf("ReadBatch allocates %v times per call in steady state, want 0", allocs)
	}
	allocs = testing.AllocsPerRun(runs, func() {
		if n, err := srv.ReadMsg(buf, &info); err != nil || n != 16 {
			t.Fatalf("ReadMsg: %d, %v", n, err)
		}
	})
	t.Logf("ReadMsg: %v allocations per call", allocs)
	if allocs != 0 {
		t.Errorf("ReadMsg allocates %v times per call, want 0", allocs)
	}

	// The write side: WriteMsg, and Queue + WriteBatch of two messages.
	msg, sinfo := []byte("fedcba9876543210"), &SndInfo{Stream: 2, PPID: 5}
	allocs = testing.AllocsPerRun(runs, func() {
		if _, err := cli.WriteMsg(msg, sinfo); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("WriteMsg: %v allocations per call", allocs)
	if allocs != 0 {
		t.Errorf("WriteMsg allocates %v times per call, want 0", allocs)
	}
	out := newBatch(t, 2, 64)
	allocs = testing.AllocsPerRun(runs, func() {
		if out.Queue(msg, sinfo) != nil || out.Queue(msg, sinfo) != nil {
			t.Fatal("Queue failed")
		}
		if n, err := cli.WriteBatch(out); n != 2 || err != nil {
			t.Fatalf("WriteBatch: %d, %v", n, err)
		}
	})
	t.Logf("Queue x2 + WriteBatch: %v allocations per round", allocs)
	if allocs != 0 {
		t.Errorf("Queue + WriteBatch allocate %v times per round, want 0", allocs)
	}
}

func TestBatchPoisonShowsAStaleSlice(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	b := newBatch(t, 4, 256)
	// readData reads until a data message comes and returns it in place.
	readData := func() []byte {
		for {
			n, err := srv.ReadBatch(b)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < n; i++ {
				if !b.Info(i).IsNotification() {
					return b.Bytes(i)
				}
			}
		}
	}
	for _, poison := range []bool{false, true} {
		old := poisonBatches.Swap(poison)
		cli.Write(bytes.Repeat([]byte{'A'}, 100))
		held := readData() // kept past its lifetime on purpose
		if !bytes.Equal(held, bytes.Repeat([]byte{'A'}, 100)) {
			t.Fatalf("first message %q", held)
		}
		cli.Write([]byte("0123456789"))
		if got := readData(); string(got) != "0123456789" {
			t.Fatalf("second message %q", got)
		}
		// The second message overwrote at most the first 10 bytes of the held slice's slot; the
		// rest is stale 'A's without poisoning and 0xdb with it.
		tail := held[10:]
		want := byte('A')
		if poison {
			want = 0xdb
		}
		if !bytes.Equal(tail, bytes.Repeat([]byte{want}, len(tail))) {
			t.Fatalf("poison %v: held slice's tail %x, want all %#x", poison, tail, want)
		}
		poisonBatches.Store(old)
	}
}

func TestBatchOneToManyQueueToDropAndErrors(t *testing.T) {
	needSCTP(t)
	srv, err := ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cli, err := NewEndpoint("sctp4", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	srv.SetDeadline(time.Now().Add(20 * time.Second))
	cli.SetDeadline(time.Now().Add(20 * time.Second))
	sa := srv.LocalAddr().(*Addr)
	to := netip.AddrPortFrom(sa.IPs[0], uint16(sa.Port))

	out := newBatch(t, 4, 64)
	for i, m := range []string{"one", "two", "three"} {
		if err := out.QueueTo([]byte(m), &SndInfo{Stream: uint16(i), PPID: 7}, to); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.QueueTo(make([]byte, 65), nil, to); !errors.Is(err, syscall.EMSGSIZE) {
		t.Fatalf("message larger than a slot: %v, want EMSGSIZE", err)
	}
	if n, err := cli.WriteBatch(out); n != 3 || err != nil || out.Pending() != 0 {
		t.Fatalf("WriteBatch = %d, %v; pending %d", n, err, out.Pending())
	}
	in := newBatch(t, 8, 64)
	var got []string
	var id AssocID
	for len(got) < 3 {
		n, err := srv.ReadBatch(in)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			if info := in.Info(i); !info.IsNotification() {
				got = append(got, string(in.Bytes(i)))
				id = info.AssocID
				if info.Stream != uint16(len(got)-1) || info.PPID != 7 || info.From.Addr() != netip.MustParseAddr("127.0.0.1") {
					t.Fatalf("message %d: %+v", len(got), info)
				}
			}
		}
	}
	if got[0] != "one" || got[1] != "two" || got[2] != "three" {
		t.Fatalf("got %q", got)
	}
	// A reply by association id, with a message the kernel refuses first in the queue: the
	// refusal leaves the queue intact, Drop removes it, and the rest goes.
	if err := out.Queue([]byte("bad stream"), &SndInfo{AssocID: id, Stream: 1000}); err != nil {
		t.Fatal(err)
	}
	if err := out.Queue([]byte("reply"), &SndInfo{AssocID: id}); err != nil {
		t.Fatal(err)
	}
	if n, err := srv.WriteBatch(out); n != 0 || !errors.Is(err, syscall.EINVAL) || out.Pending() != 2 {
		t.Fatalf("WriteBatch with a bad stream first = %d, %v; pending %d (want 0, EINVAL, 2)", n, err, out.Pending())
	}
	// ReadBatch refuses a batch that holds queued messages: reading would lose them.
	if _, err := srv.ReadBatch(out); !errors.Is(err, syscall.ENOTEMPTY) {
		t.Fatalf("ReadBatch into a sending batch: %v, want ENOTEMPTY", err)
	}
	if err := out.Drop(); err != nil {
		t.Fatal(err)
	}
	if n, err := srv.WriteBatch(out); n != 1 || err != nil {
		t.Fatalf("WriteBatch after Drop = %d, %v", n, err)
	}
	for {
		n, err := cli.ReadBatch(in)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 && !in.Info(n-1).IsNotification() {
			if string(in.Bytes(n-1)) != "reply" {
				t.Fatalf("reply %q", in.Bytes(n-1))
			}
			break
		}
	}
}

func TestBatchEOFCloseAndDeadline(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	b := newBatch(t, 4, 64)
	srv.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	for {
		_, err := srv.ReadBatch(b)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatalf("ReadBatch with nothing to read: %v, want a deadline error", err)
		}
	}
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	cli.Write([]byte("last words"))
	cli.CloseWrite()
	var data []string
	for {
		n, err := srv.ReadBatch(b)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			if !b.Info(i).IsNotification() {
				data = append(data, string(b.Bytes(i)))
			}
		}
	}
	if len(data) != 1 || data[0] != "last words" {
		t.Fatalf("data before EOF: %q", data)
	}

	// Close unblocks a parked ReadBatch with net.ErrClosed.
	cli2, srv2 := dialPair(t, l, nil)
	_ = cli2
	b2 := newBatch(t, 4, 64)
	readErr := make(chan error, 1)
	go func() {
		for {
			if _, err := srv2.ReadBatch(b2); err != nil {
				readErr <- err
				return
			}
		}
	}()
	srv2.Close()
	select {
	case err := <-readErr:
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("ReadBatch after Close: %v, want net.ErrClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadBatch still parked 10 s after Close")
	}
	if err := b2.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b2.Close(); !errors.Is(err, ErrBatchClosed) {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := cli2.ReadBatch(b2); !errors.Is(err, ErrBatchClosed) {
		t.Fatalf("ReadBatch on a closed batch: %v, want ErrBatchClosed", err)
	}
	if _, err := NewBatch(0, 10); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("NewBatch(0, 10): %v", err)
	}
	if _, err := NewBatch(2000, 10); !errors.Is(err, syscall.EMSGSIZE) {
		t.Fatalf("NewBatch(2000, 10): %v, want EMSGSIZE", err)
	}
}
