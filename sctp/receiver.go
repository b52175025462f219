// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"runtime/debug"
	"sync"
	"syscall"
	"unsafe"
)

// Source is a socket that a Receiver or a Poller can serve: an *SCTPConn or an *Endpoint. Only this
// package's types satisfy it.
type Source interface {
	// ReadBatch receives into b as SCTPConn.ReadBatch and Endpoint.ReadBatch do.
	ReadBatch(b *Batch) (int, error)
	// WriteBatch sends what is queued in b as SCTPConn.WriteBatch and Endpoint.WriteBatch do.
	WriteBatch(b *Batch) (int, error)
	socket() *sock
}

func (c *SCTPConn) socket() *sock { return c.s }
func (e *Endpoint) socket() *sock { return e.s }

var (
	errReceiverClosed = fmt.Errorf("sctp: use of closed receiver: %w", net.ErrClosed)
	errPollerClosed   = fmt.Errorf("sctp: use of closed poller: %w", net.ErrClosed)
	// errStopped ends a registration's goroutine quietly: Remove or Close ended the registration.
	errStopped = errors.New("sctp: registration ended")
	// errHandlerGoexit ends the registration of a socket whose handler called runtime.Goexit.
	errHandlerGoexit = errors.New("sctp: Receiver handler called runtime.Goexit")
)

// readable is the netpoller callback of a registration's wait: it tells whether a read would return
// at once (a message, a notification, the end of the stream or an error is waiting). It must not
// consume anything: the messages belong to whoever reads after the wait (a handler or a worker), in
// order. ppoll(2) with a zero timeout asks the socket's own poll method, which is what epoll reports
// too, and copies nothing (recv with MSG_PEEK would copy bytes and a control message, and stop at
// partial deliveries). It never blocks, so it is a raw system call: no cgo crossing, no scheduler
// hand-off. It allocates nothing.
func readable(fd uintptr) bool {
	p := pollFd{fd: int32(fd), events: pollIn}
	var zero syscall.Timespec
	for {
		n, _, e := syscall.RawSyscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&p)), 1,
			uintptr(unsafe.Pointer(&zero)), 0, 0, 0)
		if e != syscall.EINTR {
			// A failing ppoll counts as readable: the read then reports what is wrong.
			return e != 0 || n > 0
		}
	}
}

// pollFd is struct pollfd.
type pollFd struct {
	fd              int32
	events, revents int16
}

const pollIn = 0x1 // POLLIN

// watch is one registration of a socket with a Receiver or a Poller: one goroutine that parks in Go's
// netpoller until the socket is readable (it holds no OS thread meanwhile), and what Remove and Close
// need to stop it. A socket is held (a handler runs on it, or a worker holds it) by at most one
// goroutine at a time, and is not waited on while held: that is what keeps per-stream order.
type watch struct {
	src    Source
	s      *sock
	data   any           // Poller: the caller's value
	err    error         // Poller: why the wait failed; written before the watch is queued
	stop   chan struct{} // closed when the registration ends (Remove, Close, an error)
	exited chan struct{} // closed when the goroutine has returned
	done   chan struct{} // closed when the goroutine has returned and the socket is not held
	rearm  chan struct{} // Poller: Done's signal to wait again
	q      chan<- *watch // Poller: the ready queue
	probe  func(fd uintptr)
	ready  bool // what probe found; used by the holder only
	prev   <-chan struct{}
	forget func(*watch) // run once done is closed: the owner drops the watch from its table

	mu      sync.Mutex
	waiting bool // the goroutine is in, or on its way into, the netpoller wait
	woken   bool // cancel set a read deadline in the past to wake that wait
	removed bool
	held    bool
	gone    bool   // the goroutine has returned
	gen     uint64 // counts holds, so that a second Done of one hold does nothing
}

// newWatch registers src in table (whose mutex the caller holds) unless it is there already; a
// socket's earlier registration that is still finishing is waited for before this one reads.
func newWatch(table map[*sock]*watch, src Source, forget func(*watch), op string) (*watch, error) {
	if src == nil {
		return nil, fmt.Errorf("sctp: %s: nil source: %w", op, syscall.EINVAL)
	}
	s := src.socket()
	if s.closed.Load() {
		return nil, s.opError("add", "add", net.ErrClosed)
	}
	w := &watch{src: src, s: s, forget: forget, stop: make(chan struct{}), exited: make(chan struct{}),
		done: make(chan struct{}), rearm: make(chan struct{}, 1)}
	// The socket's latest registration is kept on the socket, not only in the owner's table, so that
	// one reader at a time holds for the socket across every Receiver and Poller: a second owner
	// would read it concurrently and break per-stream order.
	s.regMu.Lock()
	defer s.regMu.Unlock()
	if old := s.reg; old != nil {
		if !old.isRemoved() {
			return nil, fmt.Errorf("sctp: %s: socket already added (to this or another Receiver or Poller): %w",
				op, syscall.EEXIST)
		}
		w.prev = old.done
	}
	s.reg = w
	table[s] = w
	return w, nil
}

// readyNow asks, without waiting or reading, whether the socket is readable. Only the holder calls it.
func (w *watch) readyNow() bool {
	if w.probe == nil {
		w.probe = func(fd uintptr) { w.ready = readable(fd) }
	}
	w.ready = false
	w.s.rc.Control(w.probe)
	return w.ready
}

// lookup finds src's live registration in table (whose mutex the caller holds).
func lookup(table map[*sock]*watch, src Source, op string) (*watch, error) {
	var w *watch
	if src != nil {
		w = table[src.socket()]
	}
	if w == nil || w.isRemoved() {
		return nil, fmt.Errorf("sctp: %s: socket not added: %w", op, syscall.ENOENT)
	}
	return w, nil
}

func (w *watch) isRemoved() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.removed
}

// endLocked ends the registration: nothing new starts on the socket. It reports whether this call
// ended it, so that exactly one of Remove, Close and an error is what ended each registration (an
// error handler is never called for a registration that Remove ended, and a Remove that lost to an
// error fails with ENOENT). w.mu is held.
func (w *watch) endLocked() bool {
	if w.removed {
		return false
	}
	w.removed = true
	close(w.stop)
	return true
}

// cancel ends the registration from another goroutine, waking the goroutine where it waits for the
// socket: the netpoller wait by a read deadline in the past (the only way to wake a parked RawConn.Read
// but closing the socket), every other wait by stop. It reports whether this call ended the
// registration, and whether the socket is held.
func (w *watch) cancel() (ended, held bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ended = w.endLocked()
	if w.waiting && !w.woken {
		w.woken = true
		w.s.wake()
	}
	return ended, w.held
}

// awaitExit waits until the registration's goroutine has returned, once the registration has ended
// (cancel has woken its wait, and the wake-up holds whatever the program does with its deadlines:
// see sock.wake).
func (w *watch) awaitExit() { <-w.exited }

// awaitPrev waits until the socket's previous registration has let go of it.
func (w *watch) awaitPrev() bool {
	if w.prev == nil {
		return true
	}
	select {
	case <-w.prev:
		return true
	case <-w.stop:
		return false
	}
}

// wait parks until the socket is readable (nil), the registration ends (errStopped), or waiting fails:
// the socket was closed, or its read deadline passed (a *net.OpError).
func (w *watch) wait() error {
	w.mu.Lock()
	if w.removed {
		w.mu.Unlock()
		return errStopped
	}
	w.waiting = true
	w.mu.Unlock()
	err := w.s.rc.Read(readable)
	w.mu.Lock()
	w.waiting = false
	if w.woken {
		// The deadline was cancel's, not the program's: the program's is in force again.
		w.woken = false
		w.s.unwake()
	}
	removed := w.removed
	w.mu.Unlock()
	if removed {
		return errStopped
	}
	if err != nil {
		return w.s.opError("read", "poll", err)
	}
	return nil
}

// hold marks the socket held and returns the hold's number and the error of the wait, or false once
// the registration has ended.
func (w *watch) hold() (gen uint64, err error, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.removed {
		return 0, nil, false
	}
	w.held = true
	w.gen++
	if w.err != nil {
		// Poller: a failed wait; this hold, which hands the error over, ends the registration, in
		// the same step as it takes the socket (a Remove in between would end it a second time).
		w.endLocked()
	}
	return w.gen, w.err, true
}

// unhold ends hold gen (a stale or second call does nothing). It reports whether the registration
// goes on, and finishes the watch when its goroutine has already returned.
func (w *watch) unhold(gen uint64) bool {
	w.mu.Lock()
	if !w.held || w.gen != gen {
		w.mu.Unlock()
		return false
	}
	w.held = false
	finish, live := w.gone, !w.removed
	w.mu.Unlock()
	if finish {
		w.finish()
	}
	return live
}

// exit is the goroutine's last step: the registration ends. It reports whether the registration
// ended here rather than by Remove, Close or an earlier error, and whether the caller must finish
// the watch: unless a worker still holds the socket (then the worker's Done finishes it).
func (w *watch) exit() (ended, finish bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ended = w.endLocked()
	w.gone = true
	close(w.exited)
	return ended, !w.held
}

// finish lets go of the socket: the next registration may read it. A registration that ended
// before its turn came (removed while awaiting the previous one) lets go only once the previous one
// has, so that the chain of registrations of one socket stays a chain: otherwise a third
// registration would find none in the table and read the socket while the first one's handler still
// ran. Only the registration's goroutine (exit) can find the previous one still there: a hold
// (unhold) comes after awaitPrev. The Receiver's goroutine waits (Close waits for it, and the
// previous registration's goroutine ends on its own); a Poller's previous registration may be held
// by a worker, which Close does not wait for, so a goroutine of its own waits for it.
func (w *watch) finish() {
	if w.prev != nil {
		select {
		case <-w.prev:
		default:
			if w.q != nil {
				go func() {
					<-w.prev
					w.letGo()
				}()
				return
			}
			<-w.prev
		}
	}
	w.letGo()
}

func (w *watch) letGo() {
	close(w.done)
	w.forget(w)
	w.s.regMu.Lock()
	if w.s.reg == w {
		w.s.reg = nil
	}
	w.s.regMu.Unlock()
}

// Receiver serves many sockets with a bounded number of concurrent handlers: each registered socket
// is read with ReadBatch into a batch that the receiver owns, and the handler gets that batch.
//
//   - Order: a socket is handled by at most one goroutine at a time, and it is not read again until its
//     handler returns, so messages reach the handler in the order the socket delivered them, per
//     association and stream. Many sockets are handled at once, at most workers of them.
//   - Blocking: a handler that blocks holds one worker; the others go on serving every other socket.
//   - Errors: a read error or an error returned by the handler ends that socket's registration and
//     goes to the error handler (see WithErrorHandler); the other sockets are not affected. The read
//     errors: io.EOF once the association of a one-to-one connection has shut down gracefully (the
//     peer's shutdown, or this side's CloseWrite once it completed), an error that errors.Is
//     syscall.ECONNRESET (or ETIMEDOUT) once it was lost, always after the handler has had the
//     notification that says why (the COMM_LOST association change, when subscribed), net.ErrClosed
//     for a socket closed while registered, os.ErrDeadlineExceeded once a read deadline set on it
//     passes.
//   - Panics: with an error handler, a handler's panic is recovered and reported to it as a
//     *HandlerPanicError; it ends that socket's registration only. Without an error handler it is
//     not recovered, and ends the program as an unrecovered panic does.
//
// How it works: each registered socket has a goroutine parked in Go's netpoller (no OS thread per
// socket, no C thread calling Go); when the socket turns readable, the goroutine takes a free worker
// (a batch), reads, runs the handler, and gives the worker back. The wait asks ppoll(2) whether the
// socket is readable instead of reading, so that no batch is tied up by an idle socket. The price of
// order is that one socket is served by one handler at a time: an Endpoint carrying many busy
// associations is served serially (Endpoint.PeelOff spreads them over sockets).
//
// While a socket is registered the receiver owns its reading side: do not read it yourself (that
// would take messages out of order), and know that a read deadline on it acts as an idle timeout.
// Writing to it, from the handler or anywhere, is fine. The receiver never closes a socket.
type Receiver struct {
	// The state lives in a separate object, which the registrations' goroutines use, so that a
	// Receiver the program drops is unreachable even while sockets are registered: its finalizer
	// then closes the state (see dropped).
	*receiver
}

// receiver is a Receiver's state.
type receiver struct {
	origin        string // where NewReceiver was called, in debug builds
	handler       func(Source, *Batch) error
	onError       func(Source, error)
	recoverPanics bool        // an error handler was given
	free          chan *Batch // the idle workers; a worker is its batch
	batches       []*Batch
	wg            sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	watches map[*sock]*watch
}

// ReceiverOption configures NewReceiver.
type ReceiverOption func(*receiverConfig)

type receiverConfig struct {
	slots, slotSize int
	onError         func(Source, error)
	onErrorSet      bool
}

// WithErrorHandler has f called with each error that ends a socket's registration: a read error
// (io.EOF for the end of a one-to-one connection; see Receiver), an error the handler returned, or
// a *HandlerPanicError for a handler that panicked (recovered only when f is set). f is called at
// most once per registration, never for one that Remove or Close ended, and Close waits for it. f
// runs after the receiver has let go of src, on the goroutine that served it, so it may close src or
// add it again (a new registration of src, made by f or anywhere else, reads src only once f has
// returned); it must not call the receiver's Close, and a panic in f itself is not recovered.
// Without it such errors are dropped, and handler panics are not recovered.
func WithErrorHandler(f func(src Source, err error)) ReceiverOption {
	return func(c *receiverConfig) { c.onError, c.onErrorSet = f, true }
}

// WithBatchSize gives each worker's batch slots slots of slotSize bytes (default 64 of 2048). A
// message longer than a slot reaches the handler in pieces, each but the last with RecvMore.
func WithBatchSize(slots, slotSize int) ReceiverOption {
	return func(c *receiverConfig) { c.slots, c.slotSize = slots, slotSize }
}

// NewReceiver makes a receiver that runs at most workers handlers at once (1..1024), each with its
// own batch. handler(src, b) gets the socket and the b.Len() messages just read from it; b.Bytes and
// b.Info are valid ONLY UNTIL THE HANDLER RETURNS (the batch then serves other sockets): copy what
// must live longer. A handler that returns an error (or panics) ends src's registration (see
// WithErrorHandler).
func NewReceiver(workers int, handler func(src Source, b *Batch) error, opts ...ReceiverOption) (*Receiver, error) {
	cfg := receiverConfig{slots: 64, slotSize: 2048, onError: func(Source, error) {}}
	for _, o := range opts {
		o(&cfg)
	}
	if workers < 1 || workers > 1024 || handler == nil || cfg.onError == nil {
		return nil, fmt.Errorf("sctp: NewReceiver(%d workers): %w", workers, syscall.EINVAL)
	}
	r := &receiver{origin: debugOrigin(), handler: handler, onError: cfg.onError, recoverPanics: cfg.onErrorSet, free: make(chan *Batch, workers),
		watches: make(map[*sock]*watch)}
	for i := 0; i < workers; i++ {
		b, err := NewBatch(cfg.slots, cfg.slotSize)
		if err != nil {
			r.freeBatches()
			return nil, fmt.Errorf("sctp: NewReceiver: %w", err)
		}
		r.batches = append(r.batches, b)
		r.free <- b
	}
	h := &Receiver{r}
	runtime.SetFinalizer(h, (*Receiver).dropped)
	return h, nil
}

// dropped is the finalizer of a Receiver the program let go of without Close: the registrations end
// and the batches are freed as Close does, on a goroutine of its own, since Close waits for running
// handlers and the finalizer goroutine must not wait; debug builds report where it was made. A
// Receiver whose handler (or anything else still running) refers to it is not unreachable, so is
// never closed this way.
func (r *Receiver) dropped() {
	state := r.receiver
	go func() {
		if state.close() == nil {
			reportDropped("Receiver", state.origin)
		}
	}()
}

func (r *receiver) freeBatches() {
	for _, b := range r.batches {
		b.Close()
	}
}

// Add registers src: from now on its messages go to the handler. It fails with EEXIST when src is
// registered, here or with another Receiver or Poller, and with an error that errors.Is net.ErrClosed after Close or for a closed socket.
func (r *Receiver) Add(src Source) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errReceiverClosed
	}
	w, err := newWatch(r.watches, src, r.forget, "Receiver.Add")
	if err != nil {
		return err
	}
	r.wg.Add(1)
	go r.run(w)
	return nil
}

// Remove unregisters src; the receiver then no longer reads src, nor changes its deadlines, and never
// calls the handler for it again. It waits until the receiver has let go of src, except while src's
// handler is running: then it returns at once, and the call in progress (which may go on using src
// and its batch) is the last one. So Remove may be called from any handler, src's own included, and
// src may be closed as soon as Remove returns. When the receiver was waiting for src to turn
// readable, Remove wakes that wait with a read deadline in the past; once the receiver has let go of
// src, its read deadline is again the one the program last set (none if it set none). It fails with ENOENT when src is not registered: its registration may have ended
// with an error, and then the error handler gets that error (Remove returns nil only when it ended
// the registration itself, and then the error handler is not called for it).
func (r *Receiver) Remove(src Source) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return errReceiverClosed
	}
	w, err := lookup(r.watches, src, "Receiver.Remove")
	r.mu.Unlock()
	if err != nil {
		return err
	}
	ended, held := w.cancel()
	if !held {
		w.awaitExit()
	}
	if !ended {
		// An error (or a concurrent Remove) ended the registration first: its error handler call
		// is the last word on it.
		return fmt.Errorf("sctp: Receiver.Remove: socket not added: %w", syscall.ENOENT)
	}
	return nil
}

// Close stops the receiver: no handler starts any more, running handlers are waited for (so a handler
// must not call Close, and a blocked one must be released), and the batches are freed. The
// registered sockets are not closed, and have no read deadline left. Later calls fail with an error
// that errors.Is net.ErrClosed.
func (r *Receiver) Close() error {
	runtime.SetFinalizer(r, nil)
	return r.receiver.close()
}

func (r *receiver) close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return errReceiverClosed
	}
	r.closed = true
	ws := make([]*watch, 0, len(r.watches))
	for _, w := range r.watches {
		ws = append(ws, w)
	}
	r.mu.Unlock()
	for _, w := range ws {
		w.cancel()
	}
	for _, w := range ws {
		w.awaitExit()
	}
	r.wg.Wait() // every registration's goroutine, its handler and its error handler calls included
	r.freeBatches()
	return nil
}

func (r *receiver) forget(w *watch) {
	r.mu.Lock()
	if r.watches[w.s] == w {
		delete(r.watches, w.s)
	}
	r.mu.Unlock()
}

// run is the goroutine of one registration. The error handler is called only when an error, not
// Remove or Close, ended the registration, and before the watch lets go of the socket: the error
// handler's call is the registration's last word, and the next registration of the socket reads
// only after it. All of it is deferred, so that a handler that calls runtime.Goexit still ends its
// registration (with errHandlerGoexit) instead of leaving Close waiting for ever.
func (r *receiver) run(w *watch) {
	defer r.wg.Done()
	err := errHandlerGoexit // unless serve returns
	defer func() {
		ended, finish := w.exit()
		if ended && err != errStopped {
			r.onError(w.src, err)
		}
		if finish {
			w.finish()
		}
	}()
	err = r.serve(w)
}

func (r *receiver) serve(w *watch) error {
	if !w.awaitPrev() {
		return errStopped
	}
	for {
		if err := w.wait(); err != nil {
			return err
		}
		var b *Batch
		select {
		case b = <-r.free:
		case <-w.stop:
			return errStopped
		}
		gen, _, ok := w.hold()
		if !ok {
			r.free <- b
			return errStopped
		}
		if err := r.turn(w, b, gen); err != nil {
			return err
		}
	}
}

// turn is one hold of w's socket (hold gen) with worker b: a read and a handler call. The worker and
// the hold are given back on every way out, runtime.Goexit in the handler included.
func (r *receiver) turn(w *watch, b *Batch, gen uint64) (err error) {
	defer func() {
		r.free <- b
		if !w.unhold(gen) {
			err = errStopped // removed while the handler ran: that call was the last
		}
	}()
	return r.handle(w.src, b)
}

// handle reads src, which the wait found readable, and hands what came to the handler. A
// one-to-one connection is read so that its association's end comes in order and for good: the
// COMM_LOST that says why it died before the error, and io.EOF after its last notification whoever
// shut it down (see readBatchConn).
func (r *receiver) handle(src Source, b *Batch) error {
	var n int
	var err error
	if c, ok := src.(*SCTPConn); ok {
		n, err = c.s.readBatchConn(b)
	} else {
		n, err = src.ReadBatch(b)
	}
	if err != nil || n == 0 {
		return err
	}
	return r.call(src, b)
}

// call runs the handler. With an error handler set, a panic in the handler is recovered and becomes
// the *HandlerPanicError that ends src's registration; without one it is left alone, and ends the
// program as a panic in any goroutine does (a recovered panic must be reported to someone).
func (r *receiver) call(src Source, b *Batch) (err error) {
	if !r.recoverPanics {
		return r.handler(src, b)
	}
	returned := false
	defer func() {
		if returned {
			return
		}
		if v := recover(); v != nil {
			err = &HandlerPanicError{Value: v, Stack: debug.Stack()}
		}
		// v == nil: runtime.Goexit, which goes on unwinding; run reports it.
	}()
	err = r.handler(src, b)
	returned = true
	return err
}

// HandlerPanicError is the error that a Receiver hands its error handler (see WithErrorHandler) for
// a handler that panicked: the panic was recovered, the registration of the socket it was serving
// has ended (the socket is not closed, and the other sockets are served on), and the worker is back
// in service. errors.Is and errors.As see through it to the panic value when that is an error. To
// have a handler's panic end the program after all, panic again from the error handler.
type HandlerPanicError struct {
	Value any    // what the handler panicked with
	Stack []byte // the stack of the handler's goroutine when it panicked
}

func (e *HandlerPanicError) Error() string {
	return fmt.Sprintf("sctp: Receiver handler panicked: %v", e.Value)
}

// Unwrap returns the panic value when it is an error, else nil.
func (e *HandlerPanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
