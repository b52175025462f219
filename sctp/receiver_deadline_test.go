// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
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
