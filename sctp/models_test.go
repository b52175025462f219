// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The Receiver and Poller tests move sequence-numbered 16-byte messages (association, stream,
// number) and check, per association and stream, that each arrives once and in order. Run them
// through the harness: scripts/sctp-run build-gomodels/sctp.test -test.run 'Receiver|Poller'.

const (
	modelStreams = 16
	modelWait    = 120 * time.Second // how long a test waits for traffic before it fails
	orderPer     = 6000              // messages per association in the order tests: 8 × 6000 = 48,000
)

var modelInit = InitMsg{OutStreams: modelStreams, MaxInStreams: modelStreams}

// seqCheck checks the traffic of a number of associations, each sending per messages round-robin
// over modelStreams streams. Association a's state is touched only by whoever holds its socket.
type seqCheck struct {
	per  int
	next [][modelStreams]uint64
	got  []atomic.Int64
	done []chan struct{} // closed when association a has delivered all per messages
	left atomic.Int64
	all  chan struct{} // closed when every association has
}

func newSeqCheck(assocs, per int) *seqCheck {
	c := &seqCheck{per: per, next: make([][modelStreams]uint64, assocs), got: make([]atomic.Int64, assocs),
		done: make([]chan struct{}, assocs), all: make(chan struct{})}
	for a := range c.done {
		c.done[a] = make(chan struct{})
	}
	c.left.Store(int64(assocs * per))
	return c
}

// check verifies and counts the data messages in b, returning the first fault.
func (c *seqCheck) check(b *Batch) error {
	for i := 0; i < b.Len(); i++ {
		info, p := b.Info(i), b.Bytes(i)
		if info.IsNotification() {
			continue
		}
		if len(p) != 16 || info.More() {
			return fmt.Errorf("message of %d bytes, flags %#x", len(p), info.Flags)
		}
		a, stream, seq := int(binary.BigEndian.Uint16(p)), binary.BigEndian.Uint16(p[2:]), binary.BigEndian.Uint64(p[4:])
		if a >= len(c.next) || stream != info.Stream || stream >= modelStreams {
			return fmt.Errorf("message for association %d stream %d arrived on stream %d", a, stream, info.Stream)
		}
		if want := c.next[a][stream]; seq != want {
			return fmt.Errorf("association %d stream %d: message %d arrived, want %d", a, stream, seq, want)
		}
		c.next[a][stream]++
		if c.got[a].Add(1) == int64(c.per) {
			close(c.done[a])
		}
		if c.left.Add(-1) == 0 {
			close(c.all)
		}
	}
	return nil
}

// sendSeq sends association a's per messages through dst (to the peer address to, on an endpoint).
func sendSeq(dst Source, a, per int, to netip.AddrPort) error {
	b, err := NewBatch(32, 16)
	if err != nil {
		return err
	}
	defer b.Close()
	msg := make([]byte, 16)
	for i := 0; i < per; i++ {
		stream := uint16(i % modelStreams)
		binary.BigEndian.PutUint16(msg, uint16(a))
		binary.BigEndian.PutUint16(msg[2:], stream)
		binary.BigEndian.PutUint64(msg[4:], uint64(i/modelStreams))
		if err := b.QueueTo(msg, &SndInfo{Stream: stream}, to); err != nil {
			return err
		}
		if b.Pending() == b.Slots() || i == per-1 {
			if _, err := dst.WriteBatch(b); err != nil {
				return fmt.Errorf("association %d: %w", a, err)
			}
		}
	}
	return nil
}

// rig is the sockets of a test: srcs are registered with the model; send[a] sends association a's
// messages; srcOf[a] is the registered socket that association a arrives on.
type rig struct {
	srcs  []Source
	send  []func(per int) error
	srcOf []Source
}

// newRig connects conns one-to-one pairs and epAssocs associations from as many client endpoints to
// one server endpoint, all with modelStreams streams; everything is closed when the test ends.
func newRig(t *testing.T, conns, epAssocs int) *rig {
	t.Helper()
	r := &rig{}
	deadline := time.Now().Add(3 * modelWait)
	if conns > 0 {
		l, err := (&ListenConfig{InitMsg: modelInit}).Listen(context.Background(), "sctp", "127.0.0.1:0")
		expect(t, err, nil, "Listen")
		defer l.Close()
		for i := 0; i < conns; i++ {
			cli, srv := dialPair(t, l, &Dialer{InitMsg: modelInit})
			cli.SetWriteDeadline(deadline)
			a := len(r.send)
			r.srcs = append(r.srcs, srv)
			r.srcOf = append(r.srcOf, srv)
			r.send = append(r.send, func(per int) error { return sendSeq(cli, a, per, netip.AddrPort{}) })
		}
	}
	if epAssocs > 0 {
		srv, err := (&ListenConfig{InitMsg: modelInit}).ListenEndpoint(context.Background(), "sctp", "127.0.0.1:0")
		expect(t, err, nil, "ListenEndpoint")
		t.Cleanup(func() { srv.Close() })
		r.srcs = append(r.srcs, srv)
		sa := srv.LocalAddr().(*Addr)
		to := netip.AddrPortFrom(sa.IPs[0], uint16(sa.Port))
		for i := 0; i < epAssocs; i++ {
			cli, err := NewEndpoint("sctp4", nil)
			expect(t, err, nil, "NewEndpoint")
			t.Cleanup(func() { cli.Close() })
			expect(t, cli.SetInitMsg(modelInit), nil, "SetInitMsg")
			cli.SetWriteDeadline(deadline)
			a := len(r.send)
			r.srcOf = append(r.srcOf, srv)
			r.send = append(r.send, func(per int) error { return sendSeq(cli, a, per, to) })
		}
	}
	return r
}

// start runs every association's sender and returns a function that waits for them and fails the
// test on a sender's error.
func (r *rig) start(t *testing.T, per int) (wait func()) {
	errs := make(chan error, len(r.send))
	for _, send := range r.send {
		go func(send func(int) error) { errs <- send(per) }(send)
	}
	return func() {
		t.Helper()
		for range r.send {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	}
}

// waitFor fails the test when ch is not closed within modelWait.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(modelWait):
		t.Fatalf("%s: not done after %v", what, modelWait)
	}
}

// noLeak waits, at most 10 s, until no more goroutines run than before.
func noLeak(t *testing.T, before int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > before; runtime.Gosched() {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
	}
}

// quietPair is dialPair with the server side's COMM_UP read, so that the server socket holds
// nothing until the client writes.
func quietPair(t *testing.T, l *Listener) (cli, srv *SCTPConn) {
	t.Helper()
	cli, srv = dialPair(t, l, nil)
	srv.SetReadDeadline(time.Now().Add(20 * time.Second))
	var info RcvInfo
	for buf := make([]byte, 256); !info.IsNotification(); {
		if _, err := srv.ReadMsg(buf, &info); err != nil {
			t.Fatal(err)
		}
	}
	srv.SetReadDeadline(time.Time{})
	return cli, srv
}

// readDirect reads n data messages from src itself, proving that no model reads it any more and that
// no read deadline in the past was left on it.
func readDirect(t *testing.T, src Source, n int) {
	t.Helper()
	b := newBatch(t, 8, 64)
	for got := 0; got < n; {
		k, err := src.ReadBatch(b)
		if err != nil {
			t.Fatalf("reading the socket directly: %v", err)
		}
		for i := 0; i < k; i++ {
			if !b.Info(i).IsNotification() {
				got++
			}
		}
	}
}

func failOnError(t *testing.T) ReceiverOption {
	return WithErrorHandler(func(src Source, err error) { t.Errorf("receiver error: %v", err) })
}

// serve runs a Receiver, or a Poller with a queue of queueLen, with 4 workers on srcs, and calls
// process with each batch read, the worker being the receiver's batch or the poller worker's
// number; an error fails the test. stop closes the model and waits for its workers.
func serve(t *testing.T, receiver bool, srcs []Source, queueLen int, process func(worker any, src Source, b *Batch) error) (stop func()) {
	t.Helper()
	if receiver {
		r, err := NewReceiver(4, func(src Source, b *Batch) error { return process(b, src, b) }, failOnError(t))
		expect(t, err, nil, "NewReceiver")
		for _, s := range srcs {
			expect(t, r.Add(s), nil, "Add")
		}
		return func() { r.Close() }
	}
	p, err := NewPoller(queueLen)
	expect(t, err, nil, "NewPoller")
	for i, s := range srcs {
		expect(t, p.Add(s, i), nil, "Add")
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		b := newBatch(t, 64, 2048)
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				r, err := p.Next(context.Background())
				if err != nil {
					if !errors.Is(err, net.ErrClosed) {
						t.Errorf("Next: %v", err) // not t.Fatal: this is not the test's goroutine
					}
					return
				}
				if r.Err != nil {
					t.Errorf("Ready.Err: %v", r.Err)
				} else if _, err := r.Source.ReadBatch(b); err != nil {
					t.Errorf("ReadBatch: %v", err)
				} else if err := process(w, r.Source, b); err != nil {
					t.Error(err)
				}
				r.Done()
			}
		}(w)
	}
	return func() { p.Close(); wg.Wait() }
}

// Order: 8 associations (4 one-to-one, 4 on one endpoint) × 16 streams, 48,000 messages, 4 workers.
func TestReceiverOrder8Assocs16Streams(t *testing.T) { testOrder(t, true) }

func TestPollerOrder8Assocs16Streams(t *testing.T) { testOrder(t, false) }

func testOrder(t *testing.T, receiver bool) {
	needSCTP(t)
	rg := newRig(t, 4, 4)
	before := runtime.NumGoroutine()
	c := newSeqCheck(8, orderPer)
	var batches atomic.Int64
	stop := serve(t, receiver, rg.srcs, 0, func(_ any, _ Source, b *Batch) error {
		batches.Add(1)
		return c.check(b)
	})
	start := time.Now()
	wait := rg.start(t, orderPer)
	waitFor(t, c.all, "all messages")
	wait()
	t.Logf("%d messages on %d sockets in %d batches, %v", 8*orderPer, len(rg.srcs), batches.Load(), time.Since(start))
	stop()
	noLeak(t, before)
}

// Blockage: 4 workers, 8 sockets; handlers on 3 of them block. The fourth worker serves the other 5
// to the end while the 3 stay blocked, each inside its first call; then they are released.
func TestReceiverBlockedHandlersDoNotStopOthers(t *testing.T) { testBlockage(t, true) }

func TestPollerBlockedWorkersDoNotStopOthers(t *testing.T) { testBlockage(t, false) }

func testBlockage(t *testing.T, receiver bool) {
	needSCTP(t)
	const socks, blocked, per = 8, 3, 800
	rg := newRig(t, socks, 0)
	before := runtime.NumGoroutine()
	c := newSeqCheck(socks, per)
	index := map[Source]int{}
	for a, s := range rg.srcOf {
		index[s] = a
	}
	release := make(chan struct{})
	in := make(chan int, blocked)
	var calls [socks]atomic.Int64
	// A queue of 4 for 8 sockets: producers also park on a full queue.
	stop := serve(t, receiver, rg.srcs, 4, func(_ any, src Source, b *Batch) error {
		a := index[src]
		if calls[a].Add(1) == 1 && a < blocked {
			in <- a
			<-release
		}
		return c.check(b)
	})
	wait := rg.start(t, per)
	for i := 0; i < blocked; i++ {
		select {
		case <-in:
		case <-time.After(modelWait):
			t.Fatal("the blocked handlers did not start")
		}
	}
	for a := blocked; a < socks; a++ {
		waitFor(t, c.done[a], fmt.Sprintf("socket %d while %d are blocked", a, blocked))
	}
	for a := 0; a < blocked; a++ {
		if n := calls[a].Load(); n != 1 {
			t.Errorf("blocked socket %d: %d calls, want 1 (order needs one at a time)", a, n)
		}
	}
	t.Logf("%d sockets completed %d messages each while %d handlers were blocked", socks-blocked, per, blocked)
	close(release)
	waitFor(t, c.all, "the released sockets")
	wait()
	stop()
	noLeak(t, before)
}

// gauge counts handlers in progress and keeps the most seen at once.
type gauge struct{ now, max atomic.Int64 }

func (g *gauge) enter() {
	n := g.now.Add(1)
	for m := g.max.Load(); n > m && !g.max.CompareAndSwap(m, n); m = g.max.Load() {
	}
}

// Spread: 16 sockets, 4 workers; which worker took each batch, and how many ran at once.
func TestReceiverSpread16Sockets4Workers(t *testing.T) { testSpread(t, true) }

func TestPollerSpread16Sockets4Workers(t *testing.T) { testSpread(t, false) }

func testSpread(t *testing.T, receiver bool) {
	needSCTP(t)
	const socks, per = 16, 500
	rg := newRig(t, socks, 0)
	c := newSeqCheck(socks, per)
	var mu sync.Mutex
	perWorker := map[any]int{}
	var g gauge
	stop := serve(t, receiver, rg.srcs, 0, func(worker any, _ Source, b *Batch) error {
		g.enter()
		defer g.now.Add(-1)
		mu.Lock()
		perWorker[worker]++
		mu.Unlock()
		return c.check(b)
	})
	wait := rg.start(t, per)
	waitFor(t, c.all, "all messages")
	wait()
	stop()
	counts := make([]int, 0, 4)
	for _, n := range perWorker {
		counts = append(counts, n)
	}
	t.Logf("%d messages; batches per worker: %v; at most %d handlers at once", socks*per, counts, g.max.Load())
	if len(counts) < 2 {
		t.Errorf("one worker did all the work: %v", counts)
	}
}

// async runs f on a goroutine and gives its result.
func async(f func() error) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- f() }()
	return ch
}

// within returns what ch gives, failing the test when that takes longer than d.
func within(t *testing.T, ch <-chan error, d time.Duration, what string) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(d):
		t.Fatalf("%s: nothing after %v", what, d)
		return nil
	}
}

// expect fails the test unless err matches target (nil: no error).
func expect(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: %v, want %v", what, err, target)
	}
}

func TestReceiverCloseWaitsForHandlersAndStopsEverything(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cliA, a := quietPair(t, l)
	cliB, b := quietPair(t, l)
	before := runtime.NumGoroutine()
	in, release := make(chan struct{}), make(chan struct{})
	r, err := NewReceiver(2, func(src Source, _ *Batch) error {
		if src == Source(a) {
			close(in)
			<-release
		}
		return nil
	}, failOnError(t))
	expect(t, err, nil, "NewReceiver")
	expect(t, r.Add(a), nil, "Add")
	expect(t, r.Add(b), nil, "Add")
	cliA.Write([]byte("block"))
	waitFor(t, in, "the handler")
	closed := async(r.Close)
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a handler was running", err)
	default:
	}
	close(release)
	expect(t, within(t, closed, 10*time.Second, "Close once the handler returned"), nil, "Close")
	expect(t, r.Add(b), net.ErrClosed, "Add after Close")
	expect(t, r.Remove(b), net.ErrClosed, "Remove after Close")
	expect(t, r.Close(), net.ErrClosed, "second Close")
	// b was parked in the netpoller: Close woke it with a past read deadline and must have cleared it.
	cliB.Write([]byte("after"))
	readDirect(t, b, 1)
	noLeak(t, before)
}

func TestPollerCloseWakesNextAndHeldDoneIsSafe(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cliA, a := quietPair(t, l)
	cliB, b := quietPair(t, l)
	before := runtime.NumGoroutine()
	p, err := NewPoller(0)
	expect(t, err, nil, "NewPoller")
	expect(t, p.Add(a, "a"), nil, "Add")
	expect(t, p.Add(b, "b"), nil, "Add")
	cliA.Write([]byte("hold me"))
	ctx, cancel := context.WithTimeout(context.Background(), modelWait)
	defer cancel()
	held, err := p.Next(ctx)
	if err != nil || held.Data != "a" || held.Source != Source(a) {
		t.Fatalf("Next = %+v, %v", held, err)
	}
	// With a held and b idle, Next has nothing to give until its context ends.
	short, cancelShort := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancelShort()
	_, err = p.Next(short)
	expect(t, err, context.DeadlineExceeded, "Next with nothing ready")
	const waiters = 4
	errs := make(chan error, waiters)
	for i := 0; i < waiters; i++ {
		go func() { _, err := p.Next(context.Background()); errs <- err }()
	}
	start := time.Now()
	expect(t, p.Close(), nil, "Close")
	for i := 0; i < waiters; i++ {
		expect(t, within(t, errs, 10*time.Second, "Next after Close"), net.ErrClosed, "Next after Close")
	}
	t.Logf("Close woke %d Next calls in %v", waiters, time.Since(start))
	held.Done()
	held.Done()
	_, err = p.Next(context.Background())
	expect(t, err, net.ErrClosed, "Next after Close")
	expect(t, p.Add(a, nil), net.ErrClosed, "Add after Close")
	expect(t, p.Remove(a), net.ErrClosed, "Remove after Close")
	cliB.Write([]byte("after"))
	readDirect(t, b, 1)
	readDirect(t, a, 1)
	noLeak(t, before)
}

// Remove of a socket whose handler runs (from another goroutine, and from that handler itself),
// of an idle socket, and Add again afterwards.
func TestReceiverRemoveDuringHandler(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cliA, a := quietPair(t, l)
	cliB, b := quietPair(t, l)
	cliC, c := quietPair(t, l)
	before := runtime.NumGoroutine()
	var r *Receiver
	inA, release, removedC := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	var callsA, callsC atomic.Int64
	gotA := make(chan error, 1)
	r, err := NewReceiver(2, func(src Source, bt *Batch) error {
		switch src {
		case Source(a):
			if callsA.Add(1) == 1 {
				close(inA)
				<-release
			} else if m := string(bt.Bytes(bt.Len() - 1)); m != "again" {
				gotA <- fmt.Errorf("a's handler got %q", m)
			} else {
				gotA <- nil
			}
		case Source(c):
			callsC.Add(1)
			removedC <- r.Remove(c) // its own socket: returns at once
		}
		return nil
	}, failOnError(t))
	expect(t, err, nil, "NewReceiver")
	for _, s := range []Source{a, b, c} {
		expect(t, r.Add(s), nil, "Add")
	}
	expect(t, r.Add(a), syscall.EEXIST, "second Add")
	cliA.Write([]byte("first"))
	waitFor(t, inA, "a's handler")
	removing := async(func() error { return r.Remove(a) })
	expect(t, within(t, removing, 10*time.Second, "Remove while the handler runs"), nil, "Remove")
	close(release)
	expect(t, r.Remove(b), nil, "Remove of a socket parked in the netpoller")
	expect(t, r.Remove(b), syscall.ENOENT, "second Remove")
	cliC.Write([]byte("remove me"))
	expect(t, within(t, removedC, modelWait, "c's handler"), nil, "Remove from the socket's own handler")
	// What comes now reaches the sockets themselves, not the handler.
	for _, cli := range []*SCTPConn{cliA, cliB, cliC} {
		cli.Write([]byte("direct"))
	}
	readDirect(t, a, 1)
	readDirect(t, b, 1)
	readDirect(t, c, 1)
	if callsA.Load() != 1 || callsC.Load() != 1 {
		t.Fatalf("handler calls after Remove: a %d, c %d; want 1 each", callsA.Load(), callsC.Load())
	}
	// a can be added again, and is served again.
	expect(t, r.Add(a), nil, "Add after Remove")
	cliA.Write([]byte("again"))
	expect(t, within(t, gotA, modelWait, "a's handler after Add again"), nil, "Add again")
	r.Close()
	noLeak(t, before)
}

func TestPollerRemoveWhileHeld(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cliA, a := quietPair(t, l)
	cliB, b := quietPair(t, l)
	before := runtime.NumGoroutine()
	p, _ := NewPoller(0)
	defer p.Close()
	expect(t, p.Add(a, "a"), nil, "Add")
	expect(t, p.Add(b, "b"), nil, "Add")
	ctx, cancel := context.WithTimeout(context.Background(), modelWait)
	defer cancel()
	cliA.Write([]byte("one"))
	held, err := p.Next(ctx)
	if err != nil || held.Data != "a" {
		t.Fatalf("Next = %+v, %v", held, err)
	}
	// Another goroutine removes what this one holds.
	removing := async(func() error { return p.Remove(a) })
	expect(t, within(t, removing, 10*time.Second, "Remove of a held socket"), nil, "Remove")
	held.Done() // releases only
	cliA.Write([]byte("two"))
	cliB.Write([]byte("three"))
	next, err := p.Next(ctx)
	if err != nil || next.Data != "b" {
		t.Fatalf("Next after Remove(a) = %+v, %v; want b", next, err)
	}
	expect(t, p.Remove(b), nil, "Remove by the holder")
	next.Done()
	expect(t, p.Remove(b), syscall.ENOENT, "second Remove")
	readDirect(t, a, 2)
	readDirect(t, b, 1)
	p.Close()
	noLeak(t, before)
}

// Errors end one socket's registration and are reported; the other sockets go on.
func TestReceiverErrorsEndOneSocket(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cliA, a := dialPair(t, l, nil)
	cliB, b := dialPair(t, l, nil)
	_, c := dialPair(t, l, nil)
	c.SetReadDeadline(time.Now().Add(100 * time.Millisecond)) // an idle timeout
	boom := errors.New("boom")
	reported := make(chan error, 3)
	r, err := NewReceiver(2, func(src Source, _ *Batch) error {
		if src == Source(a) {
			return boom
		}
		return nil
	}, WithErrorHandler(func(src Source, err error) { reported <- err }))
	expect(t, err, nil, "NewReceiver")
	defer r.Close()
	for _, s := range []Source{a, b, c} {
		expect(t, r.Add(s), nil, "Add")
	}
	cliA.Write([]byte("x"))
	cliB.CloseWrite()
	var sawBoom, sawEOF, sawTimeout bool
	for i := 0; i < 3; i++ {
		err := within(t, reported, modelWait, "the error handler")
		var oe *net.OpError
		sawBoom = sawBoom || err == boom
		sawEOF = sawEOF || err == io.EOF
		sawTimeout = sawTimeout || errors.Is(err, os.ErrDeadlineExceeded) && errors.As(err, &oe)
	}
	if !sawBoom || !sawEOF || !sawTimeout {
		t.Fatalf("reported: the handler's error %v, io.EOF %v, a *net.OpError deadline %v", sawBoom, sawEOF, sawTimeout)
	}
	for _, s := range []Source{a, b, c} {
		expect(t, r.Remove(s), syscall.ENOENT, "Remove after its error")
	}
}
