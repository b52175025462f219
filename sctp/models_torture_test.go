// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The torture tests of the Receiver and the Poller: goroutines issue every call at random and
// concurrently — Add, Remove (from other goroutines, and from the handler or the holder of the
// socket itself), Close while all that goes on, Next with short timeouts, Done (twice, and late),
// handlers that return errors, panic or call Remove — while the sockets are written to, closed at
// either end and given expired read deadlines. The sockets are AF_UNIX SOCK_SEQPACKET socketpairs,
// so the tests run on any Linux host, without SCTP: the models only need a pollable descriptor that
// keeps message boundaries.
//
// The promises of the doc comments are checked on every event, as invariants:
//   - at most one handler (Receiver) or holder (Poller) per socket at any instant;
//   - no handler call, and no Next returning the socket, once its Remove has returned nil — except
//     the one call that may already be under way (begun before Remove, not yet in the test's code):
//     at most one, and none when one was running when Remove returned;
//   - the error handler is called only for a registration that exists, once, never while a handler
//     runs on the socket, never after Remove returned nil for it, and only with an error the docs
//     list for what happened to the socket (io.EOF: its peer closed; net.ErrClosed: it was closed;
//     os.ErrDeadlineExceeded: it was given an expired deadline; the handler's own error; a
//     *HandlerPanicError holding the handler's panic value);
//   - every call returns a value its doc lists, and the one the test's own bookkeeping predicts
//     where that is determined (EEXIST only for a registered socket, Remove nil only for one);
//   - every message is handed over once, in order, per socket: each handler or holder checks the
//     sequence numbers, and after Close the test reads what is left and checks it continues the
//     sequence to the last one written;
//   - liveness: a registered socket with unread data, an end of stream or a closed descriptor that no
//     handler or holder has is served within tortureBound; after the random phase every such socket
//     is drained within it;
//   - Close returns (within tortureBound) having joined everything: no handler or error handler
//     runs after it, no registration is left, and no goroutine outlives the test.
//
// -torture.seed (or SCTPIO_TORTURE_SEED) replays a run's random choices (the interleavings differ,
// being the scheduler's), -torture.time (or SCTPIO_TORTURE_TIME) sets how long each test runs
// (default 1 s; 300 ms with -short). A failure prints the seed.

var (
	tortureSeed = flag.Uint64("torture.seed", envUint("SCTPIO_TORTURE_SEED", 0), "seed of the Receiver and Poller torture tests (0: from the clock)")
	tortureTime = flag.Duration("torture.time", envDuration("SCTPIO_TORTURE_TIME", 0), "how long each torture test runs (0: 1 s, 300 ms with -short)")
)

// tortureBound is how long a socket that is ready may wait to be served, and Close may take. It is
// generous: the tests run under -race on small, shared machines and in emulated guests.
const tortureBound = 10 * time.Second

func envUint(name string, def uint64) uint64 {
	if v, err := strconv.ParseUint(os.Getenv(name), 10, 64); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

var (
	errTortureHandler = errors.New("torture: the handler's error")
	tortureValue      = &struct{ s string }{"torture: the handler's panic"}
)

// trec is one socket of a torture round and what the test knows about it. The fields under mu are
// the test's bookkeeping; active counts the handlers or holders inside the test's code.
type trec struct {
	id     int
	conn   *SCTPConn
	active atomic.Int32

	mu     sync.Mutex
	cond   *sync.Cond
	peer   int // the other end, -1 once closed
	tokens int // registrations that may exist: one per Add in progress or done, until it ends
	// grace is 1 when a handler call or a Next may still be under way though no registration is
	// left: Remove returned nil while no handler was inside the test's code.
	grace      int
	written    uint64 // sequence number of the next message written
	read       uint64 // ... and of the next one expected
	calls      uint64
	peerClosed bool
	closed     bool
	deadline   bool // it was given an expired read deadline once
	expired    bool // ... and has one now
	progress   time.Time
	trace      [16]string // the last events, printed with a fault
	traced     int
}

// note adds an event to rec's trace. rec.mu is held.
func (rec *trec) note(format string, args ...any) {
	rec.trace[rec.traced%len(rec.trace)] = fmt.Sprintf("%s tokens=%d grace=%d active=%d: ", time.Now().Format("05.000000"),
		rec.tokens, rec.grace, rec.active.Load()) + fmt.Sprintf(format, args...)
	rec.traced++
}

// history is rec's trace, oldest first. rec.mu is held.
func (rec *trec) history() string {
	var h string
	for i := rec.traced - len(rec.trace); i < rec.traced; i++ {
		if i >= 0 {
			h += "\n      " + rec.trace[i%len(rec.trace)]
		}
	}
	return h
}

// touch notes progress. rec.mu is held.
func (rec *trec) touch() {
	rec.progress = time.Now()
	rec.cond.Broadcast()
}

// round is one Receiver or Poller with its sockets.
type round struct {
	t      *testing.T
	top    uint64 // the test's seed, which replays it
	seed   uint64 // this round's
	n      int
	recs   []*trec
	slotMu []sync.Mutex
	bySrc  sync.Map // *SCTPConn → *trec, every socket the round ever had

	r *Receiver
	p *Poller

	closing, closed atomic.Bool // Close was called; Close returned
	faults          *faults
	wrote, handed   atomic.Int64
	errs            [8]atomic.Int64 // counts of the error handler's errors, by kind
}

type faults struct {
	mu   sync.Mutex
	list []string
	n    int
}

func (f *faults) add(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n++; len(f.list) < 20 {
		f.list = append(f.list, fmt.Sprintf(format, args...))
	}
}

func (f *faults) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func (rd *round) fault(format string, args ...any) { rd.faults.add(format, args...) }

func (rd *round) rec(src Source) *trec {
	c, _ := src.(*SCTPConn)
	v, ok := rd.bySrc.Load(c)
	if !ok {
		rd.fault("a socket the test never registered: %v", src)
		return &trec{cond: sync.NewCond(new(sync.Mutex))}
	}
	return v.(*trec)
}

// socketpairConn is an AF_UNIX SOCK_SEQPACKET socketpair, one end wrapped as an *SCTPConn (in Go's
// netpoller, as the package's own sockets are), the other a plain descriptor: a Source for the
// Receiver and the Poller on any Linux host, no SCTP needed.
func socketpairConn() (*SCTPConn, int, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, -1, err
	}
	f := os.NewFile(uintptr(fds[0]), "socketpair")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		syscall.Close(fds[1])
		return nil, -1, err
	}
	return &SCTPConn{s: &sock{file: f, rc: rc, net: "unixpacket"}}, fds[1], nil
}

// newRec makes socket id.
func (rd *round) newRec(id int) *trec {
	c, peer, err := socketpairConn()
	if err != nil {
		panic(fmt.Sprintf("socketpair: %v", err)) // maybe not on the test's goroutine
	}
	rec := &trec{id: id, conn: c, peer: peer, progress: time.Now()}
	rec.cond = sync.NewCond(&rec.mu)
	rd.bySrc.Store(rec.conn, rec)
	return rec
}

// enter is the first step of a handler call or of a hold: the invariants of who may serve the socket.
func (rd *round) enter(rec *trec, what string) {
	if rd.closed.Load() && what == "handler" {
		rd.fault("socket %d: a handler call after Close returned", rec.id)
	}
	// Taking the socket and checking that it may be taken are one step under rec.mu, as are
	// Remove's bookkeeping and its look at active: a call counted active has passed this check.
	rec.mu.Lock()
	if !rec.active.CompareAndSwap(0, 1) {
		rd.fault("socket %d: two %ss at once", rec.id, what)
	}
	rec.note("%s enters", what)
	if rec.tokens == 0 {
		if rec.grace == 0 {
			rd.fault("socket %d: a %s after its Remove returned (or its registration ended)%s", rec.id, what, rec.history())
		}
		rec.grace = 0
	}
	rec.touch()
	rec.mu.Unlock()
}

// leave undoes enter.
func (rd *round) leave(rec *trec) {
	rec.mu.Lock()
	rec.note("leaves")
	rec.touch()
	rec.active.Store(0)
	rec.mu.Unlock()
}

// check verifies the messages in b against rec's sequence.
func (rd *round) check(rec *trec, b *Batch, n int) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for i := 0; i < n; i++ {
		p := b.Bytes(i)
		if len(p) != 8 {
			rd.fault("socket %d: a message of %d bytes", rec.id, len(p))
			continue
		}
		if seq := binary.LittleEndian.Uint64(p); seq != rec.read {
			rd.fault("socket %d: message %d handed over, want %d", rec.id, seq, rec.read)
			rec.read = seq
		}
		rec.read++
		rd.handed.Add(1)
	}
}

// removed does the bookkeeping of a Remove that returned err; self: called by the socket's own
// handler or holder.
func (rd *round) removed(rec *trec, err error, self bool) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.note("Remove (self %v): %v", self, err)
	switch {
	case err == nil:
		if rec.tokens < 1 {
			rd.fault("socket %d: Remove returned nil for a socket with no registration", rec.id)
			return
		}
		rec.tokens--
		if rec.tokens == 0 {
			rec.grace = 0
			if !self && rec.active.Load() == 0 {
				rec.grace = 1
			}
		}
	case errors.Is(err, syscall.ENOENT):
	case errors.Is(err, net.ErrClosed):
		if !rd.closing.Load() {
			rd.fault("socket %d: Remove: %v before Close", rec.id, err)
		}
	default:
		rd.fault("socket %d: Remove: an error the doc does not list: %v", rec.id, err)
	}
	rec.touch()
}

// ended does the bookkeeping of a registration that an error ended (the error handler, or a Ready
// with Err), checking that the error is one the docs list for what happened to the socket.
func (rd *round) ended(rec *trec, err error, what string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.note("%s %v", what, err)
	var pe *HandlerPanicError
	switch {
	case err == io.EOF:
		rd.errs[0].Add(1)
		if !rec.peerClosed {
			rd.fault("socket %d: %s io.EOF, but its peer is open", rec.id, what)
		}
	case errors.Is(err, net.ErrClosed):
		rd.errs[1].Add(1)
		if !rec.closed {
			rd.fault("socket %d: %s %v, but it is open", rec.id, what, err)
		}
	case errors.Is(err, os.ErrDeadlineExceeded):
		rd.errs[2].Add(1)
		if !rec.deadline {
			rd.fault("socket %d: %s %v, but it never had a deadline", rec.id, what, err)
		}
	case errors.Is(err, errTortureHandler) && rd.r != nil:
		rd.errs[3].Add(1)
	case errors.As(err, &pe) && pe.Value == tortureValue && rd.r != nil:
		rd.errs[4].Add(1)
		if len(pe.Stack) == 0 {
			rd.fault("socket %d: a HandlerPanicError without the stack", rec.id)
		}
	default:
		rd.fault("socket %d: %s an error the docs do not list: %v", rec.id, what, err)
	}
	if rd.closed.Load() {
		if rd.r != nil {
			rd.fault("socket %d: an error handler call after Close returned", rec.id)
		}
		return
	}
	if rec.tokens < 1 {
		rd.fault("socket %d: %s %v for a socket with no registration", rec.id, what, err)
		return
	}
	rec.tokens--
	rec.touch()
}

// op is one random call of the test's own goroutines on slot i.
func (rd *round) op(rng *rand.Rand, i int) {
	rd.slotMu[i].Lock()
	defer rd.slotMu[i].Unlock()
	rec := rd.recs[i]
	switch k := rng.Intn(100); {
	case k < 25:
		rd.add(rec)
	case k < 40:
		rd.removed(rec, rd.remove(rec), false)
	case k < 85:
		for m := rng.Intn(3); m >= 0; m-- {
			rd.write(rec)
		}
	case k < 87:
		rec.mu.Lock()
		if rec.peer >= 0 {
			syscall.Close(rec.peer)
			rec.peer, rec.peerClosed = -1, true
			rec.note("peer closed")
			rec.touch()
		}
		rec.mu.Unlock()
	case k < 88:
		rec.mu.Lock()
		rec.note("closed")
		rec.closed = true
		rec.touch()
		rec.mu.Unlock()
		rec.conn.Close()
	case k < 90:
		rec.mu.Lock()
		rec.note("deadline")
		rec.deadline, rec.expired = true, true
		rec.touch()
		rec.mu.Unlock()
		rec.conn.SetReadDeadline(aLongTimeAgo)
	case k < 94:
		rec.mu.Lock()
		rec.note("no deadline")
		rec.expired = false
		rec.touch()
		rec.mu.Unlock()
		rec.conn.SetReadDeadline(time.Time{})
	default:
		if rec.closed || rec.peerClosed || rec.expired {
			rd.replace(i)
		}
	}
}

func (rd *round) add(rec *trec) {
	rec.mu.Lock()
	before := rec.tokens
	rec.tokens++
	rec.mu.Unlock()
	afterClose := rd.closed.Load()
	var err error
	if rd.r != nil {
		err = rd.r.Add(rec.conn)
	} else {
		err = rd.p.Add(rec.conn, rec)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.note("Add: %v", err)
	if err != nil {
		rec.tokens--
	}
	switch {
	case err == nil:
		if afterClose {
			rd.fault("socket %d: Add called after Close returned returned nil", rec.id)
		}
	case errors.Is(err, syscall.EEXIST):
		if before < 1 {
			rd.fault("socket %d: Add: EEXIST for a socket with no registration", rec.id)
		}
	case errors.Is(err, net.ErrClosed):
		if !rd.closing.Load() && !rec.closed {
			rd.fault("socket %d: Add: %v for an open socket before Close", rec.id, err)
		}
	default:
		rd.fault("socket %d: Add: an error the doc does not list: %v", rec.id, err)
	}
	rec.touch()
}

func (rd *round) remove(rec *trec) error {
	afterClose := rd.closed.Load()
	var err error
	if rd.r != nil {
		err = rd.r.Remove(rec.conn)
	} else {
		err = rd.p.Remove(rec.conn)
	}
	if afterClose && !errors.Is(err, net.ErrClosed) {
		rd.fault("socket %d: Remove called after Close returned: %v, want net.ErrClosed", rec.id, err)
	}
	return err
}

func (rd *round) write(rec *trec) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.peer < 0 || rec.closed {
		return
	}
	var msg [8]byte
	binary.LittleEndian.PutUint64(msg[:], rec.written)
	_, err := syscall.Write(rec.peer, msg[:])
	switch err {
	case nil:
		if rec.written == rec.read {
			rec.touch() // it turns readable now
		}
		rec.written++
		rd.wrote.Add(1)
	case syscall.EAGAIN:
	default:
		rd.fault("socket %d: write: %v", rec.id, err)
	}
}

// replace puts a fresh socket into slot i once the old one is unregistered for good.
func (rd *round) replace(i int) {
	rec := rd.recs[i]
	rd.removed(rec, rd.remove(rec), false)
	rec.mu.Lock()
	for deadline := time.Now().Add(tortureBound); rec.tokens > 0 && !rd.closing.Load(); {
		if time.Now().After(deadline) {
			rd.fault("socket %d: its registration was not over %v after Remove", rec.id, tortureBound)
			break
		}
		waitCond(rec.cond, 10*time.Millisecond)
	}
	switch {
	case !rd.closing.Load() && rec.tokens == 0 && rec.grace == 0 && rec.active.Load() == 0:
		rd.drainLocked(rec)
	default:
		// A call may still be under way, and read: close without checking what is left.
		rec.closed = true
		rec.conn.Close()
		if rec.peer >= 0 {
			syscall.Close(rec.peer)
			rec.peer = -1
		}
	}
	rec.mu.Unlock()
	rd.recs[i] = rd.newRec(rec.id)
}

// waitCond waits on c, or d at most (a tick for the deadline checks of the callers, which loop).
func waitCond(c *sync.Cond, d time.Duration) {
	t := time.AfterFunc(d, c.Broadcast)
	c.Wait()
	t.Stop()
}

// drainLocked reads what is left in rec's socket, which nothing serves any more, checks that it
// continues the sequence to the last message written, and closes both ends. rec.mu is held.
func (rd *round) drainLocked(rec *trec) {
	if !rec.closed {
		var buf [64]byte
		rec.conn.s.rc.Control(func(fd uintptr) {
			for {
				n, err := syscall.Read(int(fd), buf[:])
				if err != nil || n == 0 {
					return
				}
				if seq := binary.LittleEndian.Uint64(buf[:8]); n != 8 || seq != rec.read {
					rd.fault("socket %d: left in the socket: message %d of %d bytes, want %d", rec.id, seq, n, rec.read)
				}
				rec.read++
			}
		})
		if rec.read != rec.written {
			rd.fault("socket %d: %d messages written, %d handed over or left: some were lost", rec.id, rec.written, rec.read)
		}
		rec.closed = true
		rec.conn.Close()
	}
	if rec.peer >= 0 {
		syscall.Close(rec.peer)
		rec.peer = -1
	}
}

// watchdog checks liveness until stop: a socket that is ready and registered, and that nothing
// serves, must be served within tortureBound.
func (rd *round) watchdog(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		for i := range rd.recs {
			if rd.closing.Load() {
				break // the registrations are over, whatever the bookkeeping says
			}
			rd.slotMu[i].Lock()
			rec := rd.recs[i]
			rd.slotMu[i].Unlock()
			rec.mu.Lock()
			ready := rec.written > rec.read || rec.peerClosed || rec.closed
			if rec.tokens == 1 && ready && !rec.expired && rec.active.Load() == 0 && time.Since(rec.progress) > tortureBound {
				rd.fault("socket %d: ready (%d unread, peer closed %v, closed %v) and registered, not served for %v",
					rec.id, rec.written-rec.read, rec.peerClosed, rec.closed, time.Since(rec.progress).Round(time.Millisecond))
				rec.progress = time.Now()
			}
			rec.mu.Unlock()
		}
	}
}

// settle waits, with the handlers or workers still running, until every registered socket that has
// data and no deadline has had all of it handed over.
func (rd *round) settle() {
	for _, rec := range rd.recs {
		rec.mu.Lock()
		for deadline := time.Now().Add(tortureBound); rec.tokens > 0 && !rec.expired && !rec.closed && rec.read < rec.written; {
			if time.Now().After(deadline) {
				rd.fault("socket %d: registered, %d messages not handed over %v after the random phase", rec.id, rec.written-rec.read, tortureBound)
				break
			}
			waitCond(rec.cond, 10*time.Millisecond)
		}
		rec.mu.Unlock()
	}
}

// closeModel closes the Receiver or Poller, failing when that takes longer than tortureBound, and
// checks what Close promises.
func (rd *round) closeModel() {
	rd.closing.Store(true)
	done := make(chan error, 1)
	go func() {
		if rd.r != nil {
			done <- rd.r.Close()
		} else {
			done <- rd.p.Close()
		}
	}()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, net.ErrClosed) {
			rd.fault("Close: %v", err)
		}
	case <-time.After(tortureBound):
		rd.hang("Close has not returned")
	}
	rd.closed.Store(true)
	if rd.r != nil {
		for _, rec := range rd.allRecs() {
			if rec.active.Load() != 0 {
				rd.fault("socket %d: a handler runs after Close returned", rec.id)
			}
		}
		rd.r.mu.Lock()
		if len(rd.r.watches) != 0 {
			rd.fault("%d registrations left after Close", len(rd.r.watches))
		}
		rd.r.mu.Unlock()
	}
}

// hang ends the test binary with every goroutine's stack: something that must return has not (the
// test cannot go on, and may not be on the test's goroutine).
func (rd *round) hang(what string) {
	buf := make([]byte, 4<<20)
	fmt.Fprintf(os.Stderr, "%s\n", buf[:runtime.Stack(buf, true)])
	panic(fmt.Sprintf("torture: %s after %v; replay with -torture.seed=%d", what, tortureBound, rd.top))
}

func (rd *round) allRecs() []*trec {
	var all []*trec
	rd.bySrc.Range(func(_, v any) bool {
		all = append(all, v.(*trec))
		return true
	})
	return all
}

// handler is the Receiver's handler: checks, then one of the handler's behaviours, at random.
func (rd *round) handler(src Source, b *Batch) error {
	rec := rd.rec(src)
	rd.enter(rec, "handler")
	defer rd.leave(rec)
	rd.check(rec, b, b.Len())
	rec.mu.Lock()
	rec.calls++
	x := mix(rd.seed, uint64(rec.id), rec.read, rec.calls)
	rec.mu.Unlock()
	switch x % 100 {
	case 0, 1, 2, 3:
		return fmt.Errorf("socket %d: %w", rec.id, errTortureHandler)
	case 4, 5, 6:
		panic(tortureValue)
	case 7, 8, 9, 10, 11:
		rd.removed(rec, rd.remove(rec), true)
	case 12, 13:
		for i := 0; i < 10; i++ {
			runtime.Gosched()
		}
	}
	return nil
}

func (rd *round) onError(src Source, err error) {
	rec := rd.rec(src)
	if rec.active.Load() != 0 {
		rd.fault("socket %d: the error handler runs while a handler does", rec.id)
	}
	rd.ended(rec, err, "the error handler got")
}

// mix is splitmix64 over its arguments: the handlers' random choices, reproducible from the seed.
func mix(v ...uint64) uint64 {
	var h uint64
	for _, x := range v {
		h += x + 0x9e3779b97f4a7c15
		h = (h ^ h>>30) * 0xbf58476d1ce4e5b9
		h = (h ^ h>>27) * 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}

// worker is a Poller worker: Next with short timeouts, checks, a read, then the holder's
// behaviours at random, and Done.
func (rd *round) worker(rng *rand.Rand, stop *atomic.Bool) {
	b, err := NewBatch(1+rng.Intn(4), 16)
	if err != nil {
		rd.fault("NewBatch: %v", err)
		return
	}
	defer b.Close()
	var stale Ready
	for !stop.Load() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(1+rng.Intn(20))*time.Millisecond)
		afterClose := rd.closed.Load()
		ready, err := rd.p.Next(ctx)
		cancel()
		if err != nil {
			switch {
			case errors.Is(err, net.ErrClosed):
				if !rd.closing.Load() {
					rd.fault("Next: %v before Close", err)
				}
			case errors.Is(err, context.DeadlineExceeded):
				if afterClose {
					rd.fault("Next after Close returned: %v, want net.ErrClosed", err)
				}
			default:
				rd.fault("Next: an error the doc does not list: %v", err)
			}
			continue
		}
		if afterClose {
			rd.fault("Next returned a socket after Close returned")
		}
		rec := rd.rec(ready.Source)
		if ready.Data != rec {
			rd.fault("socket %d: Ready.Data is not the value given to Add", rec.id)
		}
		rd.enter(rec, "holder")
		if ready.Err != nil {
			rd.ended(rec, ready.Err, "Ready.Err is")
		} else {
			n, err := ready.Source.ReadBatch(b)
			switch {
			case err == nil:
				rd.check(rec, b, n)
			case err == io.EOF || errors.Is(err, net.ErrClosed) || errors.Is(err, os.ErrDeadlineExceeded):
				// What the poller cannot tell: the holder ends the registration.
				rec.mu.Lock()
				listed := err == io.EOF && rec.peerClosed || errors.Is(err, net.ErrClosed) && rec.closed ||
					errors.Is(err, os.ErrDeadlineExceeded) && rec.deadline
				rec.mu.Unlock()
				if !listed {
					rd.fault("socket %d: ReadBatch: %v, which nothing the test did explains", rec.id, err)
				}
				rd.removed(rec, rd.remove(rec), true)
			default:
				rd.fault("socket %d: ReadBatch: %v", rec.id, err)
			}
		}
		x := rng.Intn(100)
		if x < 8 {
			rd.removed(rec, rd.remove(rec), true)
		}
		rd.leave(rec)
		ready.Done()
		if x >= 8 && x < 14 {
			ready.Done() // a second Done does nothing
		}
		if x >= 14 && x < 20 {
			stale.Done() // a Done of an old hold does nothing either
			stale = ready
		}
	}
	stale.Done()
}

// tortureRun runs rounds of one model until the test's time is up.
func tortureRun(t *testing.T, receiver bool) {
	seed := *tortureSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	d := *tortureTime
	if d == 0 {
		d = time.Second
		if testing.Short() {
			d = 300 * time.Millisecond
		}
	}
	fs := &faults{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay with -torture.seed=%d (or SCTPIO_TORTURE_SEED=%d)", seed, seed)
		}
	})
	before := runtime.NumGoroutine()
	rng := rand.New(rand.NewSource(int64(seed)))
	end := time.Now().Add(d)
	var rounds, wrote, handed int64
	var errs [8]int64
	for r := 0; time.Now().Before(end) && fs.count() == 0; r++ {
		rd := tortureRound(t, seed, r, rng, receiver, fs)
		rounds++
		wrote += rd.wrote.Load()
		handed += rd.handed.Load()
		for i := range errs {
			errs[i] += rd.errs[i].Load()
		}
	}
	noLeak(t, before)
	t.Logf("seed %d: %d rounds in %v, %d messages written, %d handed over; registrations ended by io.EOF %d, "+
		"net.ErrClosed %d, deadline %d, handler error %d, handler panic %d", seed, rounds, d, wrote, handed,
		errs[0], errs[1], errs[2], errs[3], errs[4])
	if n := fs.count(); n > 0 {
		t.Errorf("seed %d: %d faults; the first ones:", seed, n)
		for _, f := range fs.list {
			t.Errorf("  %s", f)
		}
	}
}

// tortureRound is one model with 4 to 15 sockets and 3 goroutines of random calls, for 20 to 200 ms;
// in half the rounds one of them calls Close in the middle of it all.
func tortureRound(t *testing.T, seed uint64, r int, rng *rand.Rand, receiver bool, fs *faults) *round {
	rd := &round{t: t, top: seed, seed: mix(seed, uint64(r)), n: 4 + rng.Intn(12), faults: fs}
	rd.recs = make([]*trec, rd.n)
	rd.slotMu = make([]sync.Mutex, rd.n)
	for i := range rd.recs {
		rd.recs[i] = rd.newRec(i)
	}
	var workerStop atomic.Bool
	var workers sync.WaitGroup
	if receiver {
		var err error
		rd.r, err = NewReceiver(1+rng.Intn(4), rd.handler, WithBatchSize(1+rng.Intn(4), 16), WithErrorHandler(rd.onError))
		if err != nil {
			t.Fatal(err)
		}
	} else {
		var err error
		if rd.p, err = NewPoller(1 + rng.Intn(rd.n+1)); err != nil {
			t.Fatal(err)
		}
		for w := 1 + rng.Intn(4); w > 0; w-- {
			wrng := rand.New(rand.NewSource(rng.Int63()))
			workers.Add(1)
			go func() {
				defer workers.Done()
				rd.worker(wrng, &workerStop)
			}()
		}
	}
	stopDog, dogDone := make(chan struct{}), make(chan struct{})
	go rd.watchdog(stopDog, dogDone)
	phase := time.Duration(20+rng.Intn(180)) * time.Millisecond
	closeAt := -1
	if rng.Intn(2) == 0 {
		closeAt = rng.Intn(3)
	}
	var ops sync.WaitGroup
	for g := 0; g < 3; g++ {
		grng := rand.New(rand.NewSource(rng.Int63()))
		ops.Add(1)
		closer := g == closeAt
		go func() {
			defer ops.Done()
			end := time.Now().Add(phase)
			closeTime := time.Now().Add(time.Duration(grng.Int63n(int64(phase))))
			for time.Now().Before(end) {
				if closer && time.Now().After(closeTime) {
					rd.closeModel()
					closer = false
				}
				rd.op(grng, grng.Intn(rd.n))
			}
		}()
	}
	hung := time.AfterFunc(phase+3*tortureBound, func() { rd.hang("the round's calls have not returned") })
	ops.Wait()
	if !rd.closing.Load() {
		rd.settle()
	}
	close(stopDog)
	<-dogDone
	rd.closeModel()
	workerStop.Store(true)
	workers.Wait()
	hung.Stop()
	if rd.p != nil {
		// A registration that ended while awaiting its turn lets go once the one before it has
		// (a goroutine of its own waits for that): soon after every Done, not at once.
		for deadline := time.Now().Add(tortureBound); ; runtime.Gosched() {
			rd.p.mu.Lock()
			left := len(rd.p.watches)
			rd.p.mu.Unlock()
			if left == 0 {
				break
			}
			if time.Now().After(deadline) {
				rd.fault("%d registrations left %v after Close and every Done", left, tortureBound)
				break
			}
		}
	}
	for _, rec := range rd.allRecs() {
		rec.mu.Lock()
		rd.drainLocked(rec)
		rec.mu.Unlock()
	}
	return rd
}

func TestReceiverTorture(t *testing.T) { tortureRun(t, true) }

func TestPollerTorture(t *testing.T) { tortureRun(t, false) }
