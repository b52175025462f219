// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include "sctpio.h"
*/
import "C"

import (
	"fmt"
	"io"
	"net"
	"syscall"
)

// Whole messages, and notifications kept apart from data, for both socket styles.

// ErrMessageTooLong is the error (wrapped in a *net.OpError) of ReadMessage for a message longer than
// its limit. It wraps syscall.EMSGSIZE, so errors.Is matches either.
var ErrMessageTooLong = fmt.Errorf("sctp: message longer than the read's limit: %w", syscall.EMSGSIZE)

// ReadMessage reads one whole message, joining its pieces, into buf's storage (buf[:0] grown as
// needed, never past limit bytes) and returns it; *info (which may be nil) describes it. A
// notification is a message too (info.IsNotification), unless a notification handler takes it (see
// SetNotificationHandler). Pass the returned slice back in to reuse its storage: a program whose
// messages fit allocates nothing per message.
//
// A message longer than limit is not lost: ReadMessage returns its first limit bytes, info with More
// set, and an error that errors.Is ErrMessageTooLong (and syscall.EMSGSIZE); the rest stays queued.
// Call ReadMessage again with that slice, that info and a larger limit to go on with the message
// (a call continues a message when info has More set and buf is not empty; otherwise it starts a
// new one), or read the rest in pieces with ReadMsg.
//
// A message whose rest will never come (the peer aborted in the middle of it, or a partial delivery
// was aborted) ends the call with the part that came, info with More set, and an error that
// errors.Is syscall.EPIPE; then start again with buf[:0], and the next call returns what cut it
// (with the default events: the PARTIAL_DELIVERY_EVENT or the COMM_LOST). The end of the association
// reads as for ReadMsg: io.EOF after a graceful shutdown, an error that errors.Is ECONNRESET once it
// is lost, each after everything queued before it. limit must be at least 1 (EINVAL).
func (c *SCTPConn) ReadMessage(buf []byte, limit int, info *RcvInfo) ([]byte, error) {
	return c.s.readMessage(buf, limit, info, true)
}

// ReadMessage reads one whole message from any association into buf's storage, as
// SCTPConn.ReadMessage does; info tells its association, stream, PPID and sender.
func (e *Endpoint) ReadMessage(buf []byte, limit int, info *RcvInfo) ([]byte, error) {
	return e.s.readMessage(buf, limit, info, false)
}

// SetNotificationHandler has h called with each notification, in order with the data, by the reads
// that come to it — Read, ReadMsg and ReadMessage — which then return data only: they read on past
// the notification once h returns. So a program reads data in one place and learns of the
// association's events in another, and order holds where it matters: the data sent before a
// COMM_LOST is all returned before h gets the COMM_LOST. h runs on the reading goroutine, between
// two reads (no lock held: it may write to the connection, or close it). The end of the association
// still ends the reads (io.EOF, ECONNRESET), after h has been given the notification that told it.
// A nil h removes the handler: reads return notifications again (ReadMsg, ReadMessage) or skip them
// (Read). ReadBatch is not affected: its slots carry notifications as they come.
func (c *SCTPConn) SetNotificationHandler(h func(Notification)) { c.s.setNotificationHandler(h) }

// SetNotificationHandler has h called with each notification that ReadMsgFrom or ReadMessage comes
// to, in order with the data, as SCTPConn.SetNotificationHandler does; those reads then return data
// only. ReadBatch is not affected.
func (e *Endpoint) SetNotificationHandler(h func(Notification)) { e.s.setNotificationHandler(h) }

func (s *sock) setNotificationHandler(h func(Notification)) {
	if h == nil {
		s.onNote.Store(nil)
		return
	}
	s.onNote.Store(&h)
}

// noteHandler returns the notification handler, or nil.
func (s *sock) noteHandler() func(Notification) {
	if p := s.onNote.Load(); p != nil {
		return *p
	}
	return nil
}

// takeNote gives the handler h the notification of which piece p (with more set when further pieces
// follow) has just been read, once it is whole. The pieces are joined in s.nacc.
func (s *sock) takeNote(h func(Notification), p []byte, more bool) {
	s.rmu.Lock()
	s.nacc = append(s.nacc, p...)
	if more {
		s.rmu.Unlock()
		return
	}
	n, err := ParseNotification(s.nacc)
	if err != nil {
		// The kernel's notifications are whole and well formed; keep the bytes all the same.
		n = &UnknownNotification{NotificationHeader: NotificationHeader{Length: uint32(len(s.nacc))},
			Data: clone(s.nacc)}
	}
	s.nacc = s.nacc[:0]
	s.rmu.Unlock()
	h(n)
}

// readMessage is ReadMessage; track is set for one-to-one sockets, whose association's end it
// records (see assocEnd).
func (s *sock) readMessage(buf []byte, limit int, info *RcvInfo, track bool) ([]byte, error) {
	if limit < 1 {
		return buf[:0], s.opError("read", "recvmsg", syscall.EINVAL)
	}
	var own RcvInfo
	if info == nil {
		info = &own
	}
	for {
		msg, err := s.appendMessage(buf, limit, info) // starts afresh at buf[:0] unless continuing
		if err != nil {
			if en, ok := assocGone(err); ok && track {
				s.assocEnd(en)
			}
			return msg, err
		}
		if len(msg) == 0 && !info.IsNotification() {
			if track {
				return msg, s.endOr("recvmsg", io.EOF)
			}
			return msg, io.EOF
		}
		if !info.IsNotification() {
			return msg, nil
		}
		var end error
		if track {
			if end = assocEndOf(msg); end != nil {
				s.assocEnd(end)
			}
		}
		h := s.noteHandler()
		if h == nil {
			return msg, nil
		}
		s.takeNote(h, msg, false)
		if end != nil {
			return msg[:0], s.endOr("recvmsg", end)
		}
		buf = msg[:0]
	}
}

// appendMessage reads pieces onto buf (a message's first len(buf) bytes when info.More() is set)
// until the message is whole, growing buf up to limit bytes.
func (s *sock) appendMessage(buf []byte, limit int, info *RcvInfo) ([]byte, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.closed.Load() {
		return buf, s.opError("read", "recvmsg", net.ErrClosed)
	}
	if info.More() && len(buf) > 0 {
		info.toC(&s.cs.rinfo)
	} else {
		buf = buf[:0]
		s.cs.rinfo = C.struct_sctpio_rcvinfo{}
	}
	for {
		if len(buf) == cap(buf) || len(buf) >= limit {
			if len(buf) >= limit {
				info.fromC(&s.cs.rinfo)
				return buf, s.opError("read", "recvmsg", ErrMessageTooLong)
			}
			grown := make([]byte, len(buf), min(limit, max(2*cap(buf), 2048)))
			copy(grown, buf)
			buf = grown
		}
		s.abuf = buf[:min(cap(buf), limit)]
		s.cs.alen = C.size_t(len(buf))
		err := s.rc.Read(s.afn)
		s.abuf = nil
		buf = buf[:s.cs.alen]
		if err == nil && s.arc < 0 && s.arc != -C.int(syscall.EMSGSIZE) {
			err = syscall.Errno(-s.arc)
		}
		if err != nil {
			if len(buf) > 0 {
				info.fromC(&s.cs.rinfo) // what came of a message that was cut (EPIPE)
			}
			return buf, s.opError("read", "recvmsg", err)
		}
		if s.arc == 1 {
			info.fromC(&s.cs.rinfo)
			return buf, nil
		}
		// 0: a piece came and more follows; -EMSGSIZE: the buffer is full. Either way, go on.
	}
}

// readData is what ReadMsg and Read do while a notification handler is set: each notification read
// goes to h, and the reads go on until data comes; a notification telling that the association was
// lost then ends the read with ECONNRESET (the end of a graceful shutdown reads as io.EOF next).
func (c *SCTPConn) readData(h func(Notification), b []byte, info *RcvInfo) (int, error) {
	for {
		n, end, err := c.readMsg(b, info)
		if err != nil || !info.IsNotification() {
			return n, err
		}
		c.s.takeNote(h, b[:n], info.More())
		if end != nil && end != io.EOF {
			return 0, c.s.opError("read", "recvmsg", syscall.ECONNRESET)
		}
	}
}

// readDataFrom is readData for an endpoint.
func (e *Endpoint) readDataFrom(h func(Notification), b []byte, info *RcvInfo) (int, error) {
	for {
		n, err := e.s.recvMsg(b, info)
		if err != nil || n == 0 || !info.IsNotification() {
			return n, err
		}
		e.s.takeNote(h, b[:n], info.More())
	}
}
