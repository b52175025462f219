// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"syscall"
)

// Poller hands ready sockets to worker goroutines that the caller runs. A worker calls Next, which
// returns a Ready: the socket is readable and HELD by that worker. The worker reads it (one ReadBatch,
// which returns at once), processes what it read, then calls Ready.Done, which re-arms the socket.
// Until Done the socket is not produced again, so exactly one worker holds a socket at a time and
// messages are processed in the order the socket delivered them, per association and stream, with
// any number of workers. Re-arming is level-triggered: a socket that still holds data after Done is
// produced again at once, so a worker may read once and leave the rest to the next hold.
//
//	for {
//		ready, err := p.Next(ctx)
//		if err != nil {
//			return // the poller was closed, or ctx ended
//		}
//		n, err := ready.Source.ReadBatch(batch) // the worker's own batch
//		... process batch.Bytes(0..n-1) ...
//		ready.Done()
//	}
//
// Call Done after processing, not after reading: a socket re-armed before its messages are processed
// lets another worker read the next ones and overtake. `defer ready.Done()` in a function that
// handles one Ready is the safe form.
//
// Ready sockets wait in a bounded queue. A full queue loses nothing and spins nowhere: the socket's
// producer parks until a worker makes room. Each registered socket is in the queue at most once, so a
// queue at least as long as the number of sockets never fills.
//
// How it works: each registered socket has a goroutine parked in Go's netpoller (no OS thread per
// socket, no C thread calling Go) that asks ppoll(2) whether the socket is readable without reading
// it, queues the socket, and waits for Done. While a socket is registered the poller owns its
// reading side, as a Receiver does: only the worker holding it reads it, and a read deadline on it
// acts as an idle timeout (see Ready.Err). The poller never closes a socket.
type Poller struct {
	// The state lives in a separate object, which the registrations' goroutines use, so that a
	// Poller the program drops is unreachable even while sockets are registered: its finalizer then
	// closes the state (see dropped).
	*poller
}

// poller is a Poller's state.
type poller struct {
	origin string // where NewPoller was called, in debug builds
	q      chan *watch
	stop   chan struct{}
	wg     sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	watches map[*sock]*watch
}

// Ready is a socket that a worker holds, from Next until Done.
type Ready struct {
	// Source is the socket: read it with Source.ReadBatch (once; it returns at once).
	Source Source
	// Data is the value given to Add.
	Data any
	// Err, when not nil, tells why waiting for the socket failed: it was closed while registered
	// (net.ErrClosed), or its read deadline passed (os.ErrDeadlineExceeded). Its registration has
	// ended; Done just releases it.
	Err error

	w   *watch
	gen uint64
}

// Done gives the socket back: it is re-armed, and produced again once it is readable (at once when
// it still holds data). After Remove of the socket, after Close of the poller, or for a Ready with
// Err, it only releases the socket. A second Done of the same Ready does nothing, as does Done of the
// zero Ready. Any goroutine may call it.
func (r Ready) Done() {
	w := r.w
	if w == nil || !w.unhold(r.gen) {
		return
	}
	// A socket that still holds data goes back into the queue from here, which spares its goroutine a
	// wake-up per batch; when nothing is waiting, or the queue is full, the goroutine waits again.
	if w.readyNow() {
		select {
		case w.q <- w:
			return
		default:
		}
	}
	select {
	case w.rearm <- struct{}{}:
	default:
	}
}

// NewPoller makes a poller whose ready queue holds queueLen sockets (0: 1024).
func NewPoller(queueLen int) (*Poller, error) {
	if queueLen == 0 {
		queueLen = 1024
	}
	if queueLen < 0 || queueLen > 1<<24 {
		return nil, fmt.Errorf("sctp: NewPoller(%d): %w", queueLen, syscall.EINVAL)
	}
	h := &Poller{&poller{origin: debugOrigin(), q: make(chan *watch, queueLen), stop: make(chan struct{}),
		watches: make(map[*sock]*watch)}}
	runtime.SetFinalizer(h, (*Poller).dropped)
	return h, nil
}

// Add registers src; data comes back in each Ready for it. It fails with EEXIST when src is
// registered, here or with another Poller or Receiver, and with an error that errors.Is
// net.ErrClosed after Close or for a closed socket.
func (p *Poller) Add(src Source, data any) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errPollerClosed
	}
	w, err := newWatch(p.watches, src, p.forget, "Poller.Add")
	if err != nil {
		return err
	}
	w.data, w.q = data, p.q
	p.wg.Add(1)
	go p.run(w)
	return nil
}

// Remove unregisters src: when it returns, the poller no longer reads src, nor changes its deadlines,
// and Next will not return it again. A worker that holds src now keeps it until its Done, which then
// only releases it; Remove does not wait for that, so a worker may remove the socket it holds (and
// close it). When the poller was waiting for src to turn readable, Remove wakes that wait with a read
// deadline in the past; once it returns, src's read deadline is again the one the program last set
// (none if it set none), whatever the program set meanwhile. It fails with ENOENT when
// src is not registered, its registration having ended already (a Ready with Err ends it).
func (p *Poller) Remove(src Source) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return errPollerClosed
	}
	w, err := lookup(p.watches, src, "Poller.Remove")
	p.mu.Unlock()
	if err != nil {
		return err
	}
	ended, _ := w.cancel()
	// The goroutine runs no code of the caller's: it returns at once.
	w.awaitExit()
	if !ended {
		// A failed wait ended the registration first (its Ready, with Err, was taken by a worker)
		// or a concurrent Remove did.
		return fmt.Errorf("sctp: Poller.Remove: socket not added: %w", syscall.ENOENT)
	}
	return nil
}

// Next waits for a ready socket and holds it for the caller, who must call Done on the result. It
// returns ctx.Err() when ctx ends first, and an error that errors.Is net.ErrClosed once the poller is
// closed (Close wakes every waiting Next). Any number of goroutines may call it.
func (p *Poller) Next(ctx context.Context) (Ready, error) {
	for {
		select {
		case <-p.stop:
			return Ready{}, errPollerClosed
		default:
		}
		select {
		case w := <-p.q:
			if r, ok := p.take(w); ok {
				return r, nil
			}
		case <-p.stop:
			return Ready{}, errPollerClosed
		case <-ctx.Done():
			return Ready{}, ctx.Err()
		}
	}
}

// take holds w for a worker, unless its registration ended while it was queued.
func (p *poller) take(w *watch) (Ready, bool) {
	select {
	case <-p.stop:
		return Ready{}, false
	default:
	}
	gen, err, ok := w.hold()
	if !ok {
		return Ready{}, false
	}
	return Ready{Source: w.src, Data: w.data, Err: err, w: w, gen: gen}, true
}

// Close stops the poller: every waiting and later Next returns an error that errors.Is
// net.ErrClosed, and the registrations end (the sockets are not closed and have no read deadline
// left). A Ready still held is safe to Done afterwards; Close does not wait for it. Later calls
// fail with net.ErrClosed.
func (p *Poller) Close() error {
	runtime.SetFinalizer(p, nil)
	return p.poller.close()
}

// dropped is the finalizer of a Poller the program let go of without Close: the registrations end as
// Close ends them, on a goroutine of its own (Close waits for the registrations' goroutines); debug
// builds report where it was made. A goroutine in Next refers to the Poller, so a Poller with a
// worker still waiting on it is not unreachable and is never closed this way.
func (p *Poller) dropped() {
	state := p.poller
	go func() {
		if state.close() == nil {
			reportDropped("Poller", state.origin)
		}
	}()
}

func (p *poller) close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return errPollerClosed
	}
	p.closed = true
	ws := make([]*watch, 0, len(p.watches))
	for _, w := range p.watches {
		ws = append(ws, w)
	}
	p.mu.Unlock()
	close(p.stop)
	for _, w := range ws {
		w.cancel()
	}
	for _, w := range ws {
		w.awaitExit()
	}
	p.wg.Wait()
	return nil
}

func (p *poller) forget(w *watch) {
	p.mu.Lock()
	if p.watches[w.s] == w {
		delete(p.watches, w.s)
	}
	p.mu.Unlock()
}

// run is the goroutine of one registration: wait until readable, queue, wait for Done, again.
func (p *poller) run(w *watch) {
	defer p.wg.Done()
	defer func() {
		if _, finish := w.exit(); finish {
			w.finish()
		}
	}()
	if !w.awaitPrev() {
		return
	}
	for {
		err := w.wait()
		if err == errStopped {
			return
		}
		w.mu.Lock()
		w.err = err // handed to a worker by hold
		w.mu.Unlock()
		select {
		case p.q <- w:
		case <-w.stop:
			return
		}
		select {
		case <-w.rearm:
		case <-w.stop:
			return
		}
	}
}
