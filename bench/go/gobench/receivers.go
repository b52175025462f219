// SPDX-License-Identifier: MIT

// The receivers: one association each, read by one package and one read call.

package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	isctp "github.com/ishidawataru/sctp"
	csctp "github.com/sctpio/sctpio/compat/ishidawataru/sctp"
	"github.com/sctpio/sctpio/sctp"
)

// dialPeer connects the sctpio far end to addr.
func dialPeer(addr string) (*sctp.SCTPConn, error) {
	return (&sctp.Dialer{Control: tune, Timeout: 10 * time.Second}).Dial("sctp", addr)
}

func badMessage(n int, info *sctp.RcvInfo) error {
	return fmt.Errorf("not a whole %d-byte data message: %d bytes, flags %#x", *size, n, info.Flags)
}

// sctpioConn is an association accepted on an sctpio listener, read with ReadMsg (slots 0) or with
// ReadBatch on a batch of slots.
func sctpioConn(slots int) (*receiver, error) {
	l, err := (&sctp.ListenConfig{Control: tune}).Listen(context.Background(), "sctp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer l.Close()
	acc := make(chan *sctp.SCTPConn, 1)
	go func() { c, _ := l.AcceptSCTP(); acc <- c }()
	peer, err := dialPeer(l.Addr().String())
	if err != nil {
		return nil, err
	}
	c := <-acc
	if c == nil {
		return nil, errors.New("accept failed")
	}
	raw, _ := c.SyscallConn()
	r := &receiver{pkg: "github.com/sctpio/sctpio/sctp", style: "one-to-one", batch: slots, raw: raw, peer: peer,
		write: func(b []byte) error { _, err := c.Write(b); return err },
		close: func() { c.Close(); peer.Close() }}
	if slots == 0 {
		r.name, r.api = "sctpio ReadMsg", "SCTPConn.ReadMsg"
		buf := make([]byte, 2048)
		var info sctp.RcvInfo
		read := func() (bool, error) {
			n, err := c.ReadMsg(buf, &info)
			if err != nil || info.IsNotification() {
				return false, err
			}
			if n != *size || info.More() {
				return false, badMessage(n, &info)
			}
			return true, nil
		}
		r.drain = func(k int) error {
			for got := 0; got < k; {
				ok, err := read()
				if err != nil {
					return err
				}
				if ok {
					got++
				}
			}
			return nil
		}
		r.readOne = func() error {
			for {
				if ok, err := read(); ok || err != nil {
					return err
				}
			}
		}
		return r, nil
	}
	r.name, r.api = "sctpio ReadBatch("+strconv.Itoa(slots)+")", "SCTPConn.ReadBatch"
	b, err := sctp.NewBatch(slots, 2048)
	if err != nil {
		return nil, err
	}
	r.drain, r.readOne = batchReader(func(b *sctp.Batch) (int, error) { return c.ReadBatch(b) }, b)
	r.close = func() { c.Close(); peer.Close(); b.Close() }
	return r, nil
}

// batchReader makes the drain and the single read of a batch reader: each message's bytes (borrowed
// from the batch: zero-copy) and metadata are checked, nothing is copied.
func batchReader(read func(*sctp.Batch) (int, error), b *sctp.Batch) (func(int) error, func() error) {
	data := func() (int, error) {
		n, err := read(b)
		if err != nil {
			return 0, err
		}
		got := 0
		for i := 0; i < n; i++ {
			info := b.Info(i)
			if info.IsNotification() {
				continue
			}
			if m := len(b.Bytes(i)); m != *size || info.More() {
				return 0, badMessage(m, info)
			}
			got++
		}
		return got, nil
	}
	drain := func(k int) error {
		for got := 0; got < k; {
			n, err := data()
			if err != nil {
				return err
			}
			got += n
		}
		return nil
	}
	one := func() error {
		for {
			n, err := data()
			if err != nil || n == 1 {
				return err
			}
			if n > 1 {
				return fmt.Errorf("%d messages where one round trip's reply was due", n)
			}
		}
	}
	return drain, one
}

// sctpioEndpoint is an association on a one-to-many sctpio endpoint, read with ReadBatch: the same
// socket style as bench/drain's server.
func sctpioEndpoint(slots int) (*receiver, error) {
	e, err := (&sctp.ListenConfig{Control: tune}).ListenEndpoint(context.Background(), "sctp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	peer, err := dialPeer(e.LocalAddr().String())
	if err != nil {
		e.Close()
		return nil, err
	}
	// The endpoint's COMM_UP names the association.
	e.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 2048)
	var info sctp.RcvInfo
	var id sctp.AssocID
	for id == 0 {
		n, err := e.ReadMsgFrom(buf, &info)
		if err != nil {
			return nil, fmt.Errorf("waiting for COMM_UP: %w", err)
		}
		if !info.IsNotification() {
			continue
		}
		if note, err := sctp.ParseNotification(buf[:n]); err == nil {
			if ac, ok := note.(*sctp.AssocChange); ok && ac.State == sctp.CommUp {
				id = ac.AssocID
			}
		}
	}
	e.SetReadDeadline(time.Time{})
	b, err := sctp.NewBatch(slots, 2048)
	if err != nil {
		return nil, err
	}
	raw, _ := e.SyscallConn()
	si := &sctp.SndInfo{AssocID: id}
	r := &receiver{name: "sctpio Endpoint ReadBatch(" + strconv.Itoa(slots) + ")", pkg: "github.com/sctpio/sctpio/sctp",
		api: "Endpoint.ReadBatch", style: "one-to-many", batch: slots, raw: raw, assoc: int32(id), peer: peer,
		write: func(p []byte) error { _, err := e.WriteMsgTo(p, si, netip.AddrPort{}); return err },
		close: func() { e.Close(); peer.Close(); b.Close() }}
	r.drain, r.readOne = batchReader(func(b *sctp.Batch) (int, error) { return e.ReadBatch(b) }, b)
	return r, nil
}

// ishida is an association accepted on a github.com/ishidawataru/sctp listener, read with Read (its
// only receive call besides SCTPRead, which is Read with the send/receive info parsed).
func ishida() (*receiver, error) {
	cfg := isctp.SocketConfig{Control: tune}
	ln, err := cfg.Listen("sctp", &isctp.SCTPAddr{IPAddrs: []net.IPAddr{{IP: net.IPv4(127, 0, 0, 1)}}})
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	acc := make(chan *isctp.SCTPConn, 1)
	go func() {
		c, err := ln.AcceptSCTP()
		if err != nil {
			c = nil
		}
		acc <- c
	}()
	peer, err := dialPeer("127.0.0.1:" + strconv.Itoa(ln.Addr().(*isctp.SCTPAddr).Port))
	if err != nil {
		return nil, err
	}
	c := <-acc
	if c == nil {
		return nil, errors.New("accept failed")
	}
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 2048)
	// Read gives no flags: with no notification subscribed (the kernel's default, which the package
	// keeps), every message is data, and a whole one has exactly S bytes.
	readOne := func() error {
		n, err := c.Read(buf)
		if err != nil {
			return err
		}
		if n != *size {
			return fmt.Errorf("a %d-byte message where %d bytes were sent", n, *size)
		}
		return nil
	}
	return &receiver{name: "ishidawataru/sctp Read", pkg: "github.com/ishidawataru/sctp", api: "SCTPConn.Read",
		style: "one-to-one", raw: raw, peer: peer,
		drain: func(k int) error {
			for i := 0; i < k; i++ {
				if err := readOne(); err != nil {
					return err
				}
			}
			return nil
		},
		readOne: readOne,
		write:   func(b []byte) error { _, err := c.Write(b); return err },
		close:   func() { c.Close(); peer.Close() }}, nil
}

// compat is an association accepted on a listener of sctpio's drop-in replacement for
// ishidawataru/sctp (compat/ishidawataru/sctp), read with Read (sctpRead false) or with SCTPRead
// after subscribing to SCTP_EVENT_DATA_IO (each message's SndRcvInfo returned and checked: the
// far end's streams 0 to 7, PPID 0): the rows to set beside ishidawataru's own Read, with the same calls.
func compat(sctpRead bool) (*receiver, error) {
	cfg := csctp.SocketConfig{Control: tune}
	ln, err := cfg.Listen("sctp", &csctp.SCTPAddr{IPAddrs: []net.IPAddr{{IP: net.IPv4(127, 0, 0, 1)}}})
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	acc := make(chan *csctp.SCTPConn, 1)
	go func() {
		c, err := ln.AcceptSCTP()
		if err != nil {
			c = nil
		}
		acc <- c
	}()
	peer, err := dialPeer("127.0.0.1:" + strconv.Itoa(ln.Addr().(*csctp.SCTPAddr).Port))
	if err != nil {
		return nil, err
	}
	c := <-acc
	if c == nil {
		return nil, errors.New("accept failed")
	}
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 2048)
	name, api := "compat/ishidawataru Read", "SCTPConn.Read"
	// As for ishidawataru's row: no notification is subscribed, so every message is data, and a
	// whole one has exactly S bytes.
	readOne := func() error {
		n, err := c.Read(buf)
		if err != nil {
			return err
		}
		if n != *size {
			return fmt.Errorf("a %d-byte message where %d bytes were sent", n, *size)
		}
		return nil
	}
	if sctpRead {
		name, api = "compat/ishidawataru SCTPRead", "SCTPConn.SCTPRead"
		if err := c.SubscribeEvents(csctp.SCTP_EVENT_DATA_IO); err != nil {
			return nil, err
		}
		readOne = func() error {
			n, info, err := c.SCTPRead(buf)
			if err != nil {
				return err
			}
			if n != *size || info == nil || info.Stream >= 8 || info.PPID != 0 {
				return fmt.Errorf("a %d-byte message (info %+v) where %d bytes were sent on streams 0-7, PPID 0", n, info, *size)
			}
			return nil
		}
	}
	return &receiver{name: name, pkg: "github.com/sctpio/sctpio/compat/ishidawataru/sctp", api: api,
		style: "one-to-one", raw: raw, peer: peer,
		drain: func(k int) error {
			for i := 0; i < k; i++ {
				if err := readOne(); err != nil {
					return err
				}
			}
			return nil
		},
		readOne: readOne,
		write:   func(b []byte) error { _, err := c.Write(b); return err },
		close:   func() { c.Close(); peer.Close() }}, nil
}
