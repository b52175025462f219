// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"errors"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestRemoveWhileTheOwnerSetsDeadlines: Remove wakes the wait of an idle socket with a read deadline
// in the past. The Go runtime drops that wake-up when the deadline changes again before the woken
// goroutine runs ("pretend it has not happened and retry", runtime/netpoll.go), and the owner of a
// registered socket may set its read deadline at any time (an idle timeout): Remove must return all
// the same. One goroutine resets the deadline in a loop while the socket is added and removed,
// through a Receiver and through a Poller.
func TestRemoveWhileTheOwnerSetsDeadlines(t *testing.T) {
	c, peer, err := socketpairConn()
	expect(t, err, nil, "socketpair")
	defer c.Close()
	defer syscall.Close(peer)
	r, err := NewReceiver(1, func(Source, *Batch) error { return nil })
	expect(t, err, nil, "NewReceiver")
	defer r.Close()
	p, err := NewPoller(0)
	expect(t, err, nil, "NewPoller")
	defer p.Close()
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			c.SetReadDeadline(time.Time{})
		}
	}()
	defer func() {
		stop.Store(true)
		wg.Wait()
	}()
	for i := 0; i < 2000; i++ {
		viaPoller := i%2 == 1
		if viaPoller {
			expect(t, p.Add(c, nil), nil, "Poller.Add")
		} else {
			expect(t, r.Add(c), nil, "Receiver.Add")
		}
		done := make(chan error, 1)
		go func() {
			if viaPoller {
				done <- p.Remove(c)
			} else {
				done <- r.Remove(c)
			}
		}()
		select {
		case err := <-done:
			expect(t, err, nil, "Remove")
		case <-time.After(10 * time.Second):
			t.Fatalf("Remove %d (poller %v) has not returned after 10 s", i, viaPoller)
		}
	}
}

// TestRemoveKeepsTheProgramsReadDeadline: the read deadline in the past that Remove sets to wake the
// wait is Remove's own; the deadline the program set before stays in force after Remove. (Remove used
// to clear it, leaving a program that relies on an idle timeout blocked for ever.)
func TestRemoveKeepsTheProgramsReadDeadline(t *testing.T) {
	for _, viaPoller := range []bool{false, true} {
		c, peer, err := socketpairConn()
		expect(t, err, nil, "socketpair")
		r, err := NewReceiver(1, func(Source, *Batch) error { return nil })
		expect(t, err, nil, "NewReceiver")
		p, err := NewPoller(0)
		expect(t, err, nil, "NewPoller")
		deadline := time.Now().Add(3 * time.Second)
		expect(t, c.SetReadDeadline(deadline), nil, "SetReadDeadline")
		if viaPoller {
			expect(t, p.Add(c, nil), nil, "Poller.Add")
		} else {
			expect(t, r.Add(c), nil, "Receiver.Add")
		}
		waitUntilWaiting(t, c.s)
		if viaPoller {
			expect(t, p.Remove(c), nil, "Poller.Remove")
		} else {
			expect(t, r.Remove(c), nil, "Receiver.Remove")
		}
		// Nothing is sent: a wait on the socket ends only by the program's deadline.
		done := make(chan error, 1)
		go func() { done <- c.s.rc.Read(readable) }()
		select {
		case err := <-done:
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Errorf("poller %v: the wait after Remove ended with %v, not the program's deadline", viaPoller, err)
			} else if time.Now().Before(deadline) {
				t.Errorf("poller %v: the wait after Remove timed out before the program's deadline", viaPoller)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("poller %v: the program's read deadline is gone after Remove: the wait has not ended after 30 s", viaPoller)
			c.Close()
			<-done
		}
		r.Close()
		p.Close()
		c.Close()
		syscall.Close(peer)
	}
}

// waitUntilWaiting returns once s's registration is in (or on its way into) the netpoller wait.
func waitUntilWaiting(t *testing.T, s *sock) {
	t.Helper()
	limit := time.Now().Add(30 * time.Second)
	for {
		s.regMu.Lock()
		w := s.reg
		s.regMu.Unlock()
		if w != nil {
			w.mu.Lock()
			waiting := w.waiting
			w.mu.Unlock()
			if waiting {
				return
			}
		}
		if time.Now().After(limit) {
			t.Fatal("the registration never waited for the socket")
		}
		runtime.Gosched()
	}
}
