// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The end of a one-to-one association, as every read path sees it: after an abort in the middle of
// a message (the COMM_LOST that says why must reach the reader before the error, and the error must
// stay), and after this side's own CloseWrite (the reads must end with io.EOF once the shutdown has
// completed, after the peer's remaining data).

// abortMidMessage has cli start sending a 4 MiB message and abort once started() has returned:
// the caller's reader has taken some of the message by then. It returns when the write has ended.
func abortMidMessage(t *testing.T, cli *SCTPConn, started <-chan struct{}) <-chan error {
	t.Helper()
	forceSndBuf(t, cli, 8<<20)
	msg := bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16)
	done := make(chan error, 1)
	go func() { _, err := cli.WriteMsg(msg, nil); done <- err }()
	go func() {
		<-started
		cli.Abort()
	}()
	return done
}

// event is what a reader saw, in order: data pieces (with More), notifications, the final error.
type event struct {
	data  int
	more  bool
	note  Notification
	err   error
	extra string
}

func (e event) String() string {
	switch {
	case e.err != nil:
		return fmt.Sprintf("error %v", e.err)
	case e.note != nil:
		return e.note.String()
	}
	return fmt.Sprintf("%d bytes more=%v", e.data, e.more)
}

// checkLostInOrder checks that the events end with a COMM_LOST notification then an error that
// errors.Is ECONNRESET, with data pieces before them, the last one cut (More set).
func checkLostInOrder(t *testing.T, evs []event) {
	t.Helper()
	var lost, data int = -1, 0
	for i, e := range evs {
		if ac, ok := e.note.(*AssocChange); ok && ac.State == CommLost {
			lost = i
		}
		if e.note == nil && e.err == nil {
			data++
		}
	}
	n := len(evs)
	if n < 2 || lost != n-2 || !errors.Is(evs[n-1].err, syscall.ECONNRESET) || data == 0 {
		t.Fatalf("want data pieces, COMM_LOST, then ECONNRESET; got %d events, the last: %v", n, tail(evs, 6))
	}
	if last := evs[lost-1]; last.note != nil || !last.more {
		t.Fatalf("the event before COMM_LOST is %v, want a piece of the cut message with More", last)
	}
}

func tail(evs []event, n int) []event {
	if len(evs) > n {
		return evs[len(evs)-n:]
	}
	return evs
}

func TestReceiverHandlerGetsCommLostBeforeTheErrorAfterAbortMidMessage(t *testing.T) {
	needSCTP(t)
	for run := 0; run < 3; run++ {
		l := loopbackListener(t)
		cli, srv := quietPair(t, l)
		var mu sync.Mutex
		var evs []event
		started := make(chan struct{})
		var once sync.Once
		ended := make(chan struct{})
		r, err := NewReceiver(2, func(src Source, b *Batch) error {
			mu.Lock()
			defer mu.Unlock()
			for i := 0; i < b.Len(); i++ {
				info := b.Info(i)
				if info.IsNotification() {
					n, err := ParseNotification(b.Bytes(i))
					if err != nil {
						return err
					}
					evs = append(evs, event{note: n})
					continue
				}
				evs = append(evs, event{data: len(b.Bytes(i)), more: info.More()})
				once.Do(func() { close(started) })
			}
			return nil
		}, WithBatchSize(4, 4096), WithErrorHandler(func(src Source, err error) {
			mu.Lock()
			evs = append(evs, event{err: err})
			mu.Unlock()
			close(ended)
		}))
		expect(t, err, nil, "NewReceiver")
		expect(t, r.Add(srv), nil, "Add")
		wrote := abortMidMessage(t, cli, started)
		select {
		case <-ended:
		case <-time.After(60 * time.Second):
			t.Fatal("no error reached the error handler 60 s after the abort")
		}
		<-wrote
		r.Close()
		mu.Lock()
		checkLostInOrder(t, evs)
		mu.Unlock()
	}
}

func TestReadMsgAfterAbortMidMessageGivesCommLostThenECONNRESETForGood(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := quietPair(t, l)
	started := make(chan struct{})
	wrote := abortMidMessage(t, cli, started)
	srv.SetReadDeadline(time.Now().Add(60 * time.Second))
	buf := make([]byte, 4096)
	var evs []event
	var info RcvInfo
	for {
		n, err := srv.ReadMsg(buf, &info)
		if err != nil {
			evs = append(evs, event{err: err})
			break
		}
		if info.IsNotification() {
			note, err := ParseNotification(buf[:n])
			expect(t, err, nil, "ParseNotification")
			evs = append(evs, event{note: note})
			continue
		}
		evs = append(evs, event{data: n, more: info.More()})
		if len(evs) == 1 {
			close(started)
		}
	}
	<-wrote
	checkLostInOrder(t, evs)
	// The association is gone for good: every later read says so at once, Read and ReadBatch too.
	srv.SetReadDeadline(time.Now().Add(3 * time.Second))
	for i := 0; i < 3; i++ {
		if _, err := srv.ReadMsg(buf, &info); !errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("ReadMsg %d after the end: %v, want ECONNRESET", i, err)
		}
	}
	if _, err := srv.Read(buf); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("Read after the end: %v, want ECONNRESET", err)
	}
}

// closeWriteRig is the "CloseWrite, then read the rest" exchange: the server writes three messages,
// then reads to io.EOF and closes; the client writes a request, waits until the server has written
// (so that SCTP, which takes no new data after a SHUTDOWN, has all three on their way), calls
// CloseWrite and reads the rest with read.
func closeWriteRig(t *testing.T, read func(c *SCTPConn) ([]string, error)) {
	t.Helper()
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	written := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		defer srv.Close()
		for _, m := range []string{"one", "two", "three"} {
			if _, err := srv.Write([]byte(m)); err != nil {
				served <- err
				return
			}
		}
		close(written)
		srv.SetReadDeadline(time.Now().Add(20 * time.Second))
		buf := make([]byte, 64)
		var got []string
		for {
			n, err := srv.Read(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				served <- err
				return
			}
			got = append(got, string(buf[:n]))
		}
		if len(got) != 1 || got[0] != "request" {
			served <- fmt.Errorf("the server read %q, want [request]", got)
			return
		}
		served <- nil
	}()
	if _, err := cli.Write([]byte("request")); err != nil {
		t.Fatal(err)
	}
	<-written
	expect(t, cli.CloseWrite(), nil, "CloseWrite")
	cli.SetReadDeadline(time.Now().Add(3 * time.Second))
	got, err := read(cli)
	expect(t, <-served, nil, "server")
	if err != nil {
		t.Fatalf("client read %q, then %v; want the server's three messages, then io.EOF", got, err)
	}
	if fmt.Sprint(got) != "[one two three]" {
		t.Fatalf("client read %q before io.EOF, want [one two three]", got)
	}
}

func TestCloseWriteThenReadTheRestEndsWithEOF(t *testing.T) {
	needSCTP(t)
	t.Run("Read", func(t *testing.T) {
		closeWriteRig(t, func(c *SCTPConn) ([]string, error) {
			var got []string
			buf := make([]byte, 64)
			for {
				n, err := c.Read(buf)
				if err == io.EOF {
					// And again: the end stays.
					if _, err := c.Read(buf); err != io.EOF {
						return got, fmt.Errorf("a second Read after io.EOF: %v", err)
					}
					return got, nil
				}
				if err != nil {
					return got, err
				}
				got = append(got, string(buf[:n]))
			}
		})
	})
	t.Run("ReadMsg", func(t *testing.T) {
		closeWriteRig(t, func(c *SCTPConn) ([]string, error) {
			var got []string
			buf := make([]byte, 64)
			var info RcvInfo
			comp := false
			for {
				n, err := c.ReadMsg(buf, &info)
				if err == io.EOF {
					if !comp {
						return got, errors.New("io.EOF without a SHUTDOWN_COMP association change before it")
					}
					return got, nil
				}
				if err != nil {
					return got, err
				}
				if info.IsNotification() {
					note, err := ParseNotification(buf[:n])
					if err != nil {
						return got, err
					}
					if ac, ok := note.(*AssocChange); ok && ac.State == ShutdownComp {
						comp = true
					}
					continue
				}
				got = append(got, string(buf[:n]))
			}
		})
	})
	t.Run("ReadBatch", func(t *testing.T) {
		closeWriteRig(t, func(c *SCTPConn) ([]string, error) {
			var got []string
			b, err := NewBatch(8, 64)
			if err != nil {
				return nil, err
			}
			defer b.Close()
			for {
				n, err := c.ReadBatch(b)
				for i := 0; i < n; i++ {
					if !b.Info(i).IsNotification() {
						got = append(got, string(b.Bytes(i)))
					}
				}
				if err == io.EOF {
					return got, nil
				}
				if err != nil {
					return got, err
				}
			}
		})
	})
	t.Run("Receiver", func(t *testing.T) {
		closeWriteRig(t, func(c *SCTPConn) ([]string, error) {
			var got []string
			ended := make(chan error, 1)
			r, err := NewReceiver(1, func(src Source, b *Batch) error {
				for i := 0; i < b.Len(); i++ {
					if !b.Info(i).IsNotification() {
						got = append(got, string(b.Bytes(i)))
					}
				}
				return nil
			}, WithErrorHandler(func(src Source, err error) { ended <- err }))
			if err != nil {
				return nil, err
			}
			defer r.Close()
			if err := r.Add(c); err != nil {
				return nil, err
			}
			err = <-ended // the read deadline bounds it
			if err == io.EOF {
				err = nil
			}
			return got, err
		})
	})
}

// TestCloseWriteWithoutAssocChangeEventsWaitsForTheDeadline pins what the docs say: without the
// association change notifications, nothing tells the reads that our own shutdown completed.
func TestCloseWriteWithoutAssocChangeEventsWaitsForTheDeadline(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	expect(t, cli.Subscribe(EventShutdown), nil, "Subscribe")
	expect(t, cli.CloseWrite(), nil, "CloseWrite")
	srv.SetReadDeadline(time.Now().Add(20 * time.Second))
	buf := make([]byte, 64)
	for {
		_, err := srv.Read(buf)
		if err == io.EOF {
			break
		}
		expect(t, err, nil, "server Read")
	}
	cli.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := cli.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read: %v, want the deadline", err)
	}
}
