// SPDX-License-Identifier: MIT

// The send side: K messages written by the package under test, timed, into an sctpio far end that
// is idle while the clock runs and is emptied afterwards, untimed (as bench/drain's send rounds).

package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"syscall"
	"time"

	isctp "github.com/ishidawataru/sctp"
	"github.com/sctpio/sctpio/sctp"
)

// sender is the sending end of one association, by one package and one write method.
type sender struct {
	name, pkg, api, style string
	batch                 int
	send                  func(k int) error // k messages of S bytes, by the method under test
	raw                   syscall.RawConn   // the receiving socket at the far end
	assoc                 int32             // the association's id there (0: one-to-one)
	drain                 func(k int) error // empties the far end, untimed
	close                 func()
	samples
}

// message is the S-byte payload every sender writes; its first bytes carry the message's number,
// as the fillers' do, so that a slot's contents are not all alike.
func message(i int, b []byte) []byte {
	binary.NativeEndian.PutUint32(b[:min(4, len(b))], uint32(i))
	return b
}

// farEnd accepts, on an sctpio listener, the association that dial makes to its address; the far
// end reads with ReadBatch(64), and its socket is what the queue counts are taken on.
func farEnd(dial func(addr string) (func(), error)) (*sctp.SCTPConn, func(int) error, func(), error) {
	l, err := (&sctp.ListenConfig{Control: tune}).Listen(context.Background(), "sctp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, nil, err
	}
	defer l.Close()
	acc := make(chan *sctp.SCTPConn, 1)
	go func() { c, _ := l.AcceptSCTP(); acc <- c }()
	closeDialed, err := dial(l.Addr().String())
	if err != nil {
		return nil, nil, nil, err
	}
	c := <-acc
	if c == nil {
		closeDialed()
		return nil, nil, nil, errors.New("accept failed")
	}
	b, err := sctp.NewBatch(64, 2048)
	if err != nil {
		return nil, nil, nil, err
	}
	drain, _ := batchReader(func(b *sctp.Batch) (int, error) { return c.ReadBatch(b) }, b)
	return c, drain, func() { closeDialed(); c.Close(); b.Close() }, nil
}

// batchSend queues k messages into b, 64 at a time, and writes each full batch with write. The count
// of queued messages is kept here: Pending would cost a cgo call per message.
func batchSend(b *sctp.Batch, write func(*sctp.Batch) (int, error), info *sctp.SndInfo) func(int) error {
	msg := make([]byte, *size)
	return func(k int) error {
		for i := 0; i < k; {
			for q := 0; q < b.Slots() && i < k; q, i = q+1, i+1 {
				info.Stream = uint16(i % 8)
				if err := b.Queue(message(i, msg), info); err != nil {
					return err
				}
			}
			if _, err := write(b); err != nil {
				return err
			}
		}
		return nil
	}
}

// perMessage writes k messages with one call each.
func perMessage(write func([]byte, int) error) func(int) error {
	msg := make([]byte, *size)
	return func(k int) error {
		for i := 0; i < k; i++ {
			if err := write(message(i, msg), i); err != nil {
				return err
			}
		}
		return nil
	}
}

// sctpioConnSender writes on a one-to-one sctpio connection: WriteMsg per message (slots 0), or
// WriteBatch of slots.
func sctpioConnSender(slots int) (*sender, error) {
	var c *sctp.SCTPConn
	far, drain, closeAll, err := farEnd(func(addr string) (func(), error) {
		var err error
		c, err = dialPeer(addr)
		if err != nil {
			return nil, err
		}
		return func() { c.Close() }, nil
	})
	if err != nil {
		return nil, err
	}
	raw, _ := far.SyscallConn()
	s := &sender{pkg: "github.com/sctpio/sctpio/sctp", style: "one-to-one", batch: slots, raw: raw, drain: drain,
		close: closeAll}
	info := &sctp.SndInfo{}
	if slots == 0 {
		s.name, s.api = "sctpio WriteMsg", "SCTPConn.WriteMsg"
		s.send = perMessage(func(b []byte, i int) error {
			info.Stream = uint16(i % 8)
			_, err := c.WriteMsg(b, info)
			return err
		})
		return s, nil
	}
	b, err := sctp.NewBatch(slots, *size)
	if err != nil {
		return nil, err
	}
	s.name, s.api = "sctpio WriteBatch("+strconv.Itoa(slots)+")", "SCTPConn.WriteBatch"
	s.send = batchSend(b, c.WriteBatch, info)
	s.close = func() { closeAll(); b.Close() }
	return s, nil
}

// sctpioEndpointSender writes with WriteBatch on a one-to-many sctpio endpoint, to the association
// an sctpio connection dialed to it: the socket style of bench/drain's one-to-many send rows.
func sctpioEndpointSender(slots int) (*sender, error) {
	e, err := (&sctp.ListenConfig{Control: tune}).ListenEndpoint(context.Background(), "sctp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	far, err := dialPeer(e.LocalAddr().String())
	if err != nil {
		e.Close()
		return nil, err
	}
	// The endpoint's COMM_UP names the association to send to.
	e.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 2048)
	var info sctp.RcvInfo
	var id sctp.AssocID
	for id == 0 {
		n, err := e.ReadMsgFrom(buf, &info)
		if err != nil {
			return nil, fmt.Errorf("waiting for COMM_UP: %w", err)
		}
		if note, err := sctp.ParseNotification(buf[:n]); info.IsNotification() && err == nil {
			if ac, ok := note.(*sctp.AssocChange); ok && ac.State == sctp.CommUp {
				id = ac.AssocID
			}
		}
	}
	e.SetReadDeadline(time.Time{})
	b, err := sctp.NewBatch(slots, *size)
	if err != nil {
		return nil, err
	}
	rb, err := sctp.NewBatch(64, 2048)
	if err != nil {
		return nil, err
	}
	raw, _ := far.SyscallConn()
	drain, _ := batchReader(func(b *sctp.Batch) (int, error) { return far.ReadBatch(b) }, rb)
	return &sender{name: "sctpio Endpoint WriteBatch(" + strconv.Itoa(slots) + ")", pkg: "github.com/sctpio/sctpio/sctp",
		api: "Endpoint.WriteBatch", style: "one-to-many", batch: slots, raw: raw, drain: drain,
		send:  batchSend(b, e.WriteBatch, &sctp.SndInfo{AssocID: id}),
		close: func() { e.Close(); far.Close(); b.Close(); rb.Close() }}, nil
}

// ishidaSender writes with github.com/ishidawataru/sctp's Write (sendmsg, blocking, outside the
// netpoller), on a connection it dialed.
func ishidaSender() (*sender, error) {
	var c *isctp.SCTPConn
	far, drain, closeAll, err := farEnd(func(addr string) (func(), error) {
		ra, err := isctp.ResolveSCTPAddr("sctp", addr)
		if err != nil {
			return nil, err
		}
		c, err = (&isctp.SocketConfig{Control: tune}).Dial("sctp", nil, ra)
		if err != nil {
			return nil, err
		}
		return func() { c.Close() }, nil
	})
	if err != nil {
		return nil, err
	}
	// The package leaves Nagle on; every sender here writes with SCTP_NODELAY, as sctpio and
	// go-sctp do by default, so that the rows compare the write paths, not the bundling.
	if rc, err := c.SyscallConn(); err != nil || setNoDelay(rc) != nil {
		closeAll()
		return nil, fmt.Errorf("SCTP_NODELAY on the ishidawataru/sctp connection: %v", err)
	}
	raw, _ := far.SyscallConn()
	return &sender{name: "ishidawataru/sctp Write", pkg: "github.com/ishidawataru/sctp", api: "SCTPConn.Write",
		style: "one-to-one", raw: raw, drain: drain, close: closeAll,
		send: perMessage(func(b []byte, _ int) error { _, err := c.Write(b); return err })}, nil
}

// measureSend times s writing K messages, then waits until all K are in the far end's queue and
// empties it, untimed.
func measureSend(s *sender) error {
	before, err := delivered(s.raw, s.assoc)
	if err != nil {
		return err
	}
	m := measurement{label: "send " + s.name}
	m.start()
	err = s.send(*count)
	m.stop()
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	if err := waitQueued(s.raw, s.assoc, before, *count); err != nil {
		return err
	}
	if err := s.drain(*count); err != nil {
		return fmt.Errorf("draining the far end: %w", err)
	}
	if err := queueEmpty(s.raw); err != nil {
		return err
	}
	s.add(&m)
	return nil
}
