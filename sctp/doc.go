// SPDX-License-Identifier: MIT

// Package sctp gives Go programs the Linux kernel's SCTP: one-to-one connections that are net.Conn,
// one-to-many endpoints that serve many associations on one socket, per-message stream ids and PPIDs,
// typed notifications, multi-homing, and batched reads and writes that move many messages per
// system call.
//
// The package compiles sctpio's C core with cgo from its own folder: `go build` needs a C compiler and
// nothing else. It needs Linux and cgo; elsewhere the build stops with a clear error.
//
// Sockets join Go's netpoller: a blocked Read parks its goroutine (it holds no OS thread), deadlines
// and contexts work, and Close unblocks every pending call, which then returns an error that
// errors.Is net.ErrClosed. Errors are *net.OpError values wrapping a *os.SyscallError around the
// syscall.Errno, so errors.Is(err, syscall.ECONNRESET) works.
//
// PPIDs are host-order uint32 values in both directions; the package converts to network order.
//
// Message boundaries: one Read returns bytes of one message only. A message larger than the buffer
// arrives over several reads; ReadMsg reports RcvInfo.More on every piece but the last.
//
// Defaults: SCTP_NODELAY is on (as Go's net package does for TCP), every message carries its
// RCVINFO, and sockets are subscribed to association-change and shutdown notifications.
package sctp
