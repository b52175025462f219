// SPDX-License-Identifier: MIT

// Package sctp gives Go programs the Linux kernel's SCTP: one-to-one connections that are net.Conn,
// one-to-many endpoints that serve many associations on one socket, per-message stream ids and PPIDs,
// typed notifications, socket options, multi-homing, and batches that move many messages per system
// call with zero-copy reads.
//
// # Building
//
// The package compiles sctpio's C core with cgo from its own folder: `go build` needs a C compiler and
// nothing else — no library to install, no CGO_CFLAGS. The C core is compiled into the package with
// internal linkage (every C function static, see scripts/amalgamate), so the package defines no
// global C symbol of its own: a program may link it beside the C library (static or shared, any
// version) and beside another copy of the package (a fork under another import path), and each
// calls its own C code.
//
// # Platforms
//
// SCTP works on Linux with cgo, cross builds included when CC names a cross C compiler (CI builds
// linux/arm64 with CC=aarch64-linux-gnu-gcc: scripts/go-portability). Everywhere else — other systems, or
// CGO_ENABLED=0 (the default when cross-compiling) — the package still compiles with the same
// exported API, so importing it never breaks a build, but it cannot work: every function and method
// with an error result returns a *net.OpError wrapping errors.ErrUnsupported (so
// errors.Is(err, errors.ErrUnsupported) tells it apart), and the others return zero values.
// Constants keep their Linux values. A program can check once, at start-up:
//
//	if _, err := sctp.NewBatch(1, 1); errors.Is(err, errors.ErrUnsupported) {
//		// no SCTP in this build
//	}
//
// # Sockets, deadlines, errors
//
// Sockets join Go's netpoller: a blocked read, write or Accept parks its goroutine (it holds no OS
// thread), deadlines and contexts work, and Close unblocks every pending call, which then returns an
// error that errors.Is net.ErrClosed. Errors from socket operations are *net.OpError values wrapping
// an *os.SyscallError around the syscall.Errno, so errors.Is(err, syscall.ECONNRESET) works.
//
// The package keeps to net's conventions where they apply: after Close every method that can fail
// (deadlines, options, the RawConn of SyscallConn, SyscallConn itself) returns a *net.OpError
// wrapping net.ErrClosed; Accept and Dialer.DialContext return a nil net.Conn on error, and
// DialContext has net.Dialer's signature (DialSCTPContext returns the *SCTPConn); Listen("sctp", "")
// listens on every address at a port the kernel picks; addresses read from the kernel keep an IPv6
// zone (the interface's name, or the index the kernel gave when no interface has it). FileConn,
// FileListener and FileEndpoint adopt a copy of a descriptor opened elsewhere (checked to be an SCTP
// socket of the right style), and File exports a copy, as net's functions of those names do.
//
// On one socket, reads are serialised with reads and writes with writes (a message read in pieces
// must not be split between goroutines); one goroutine may read while another writes.
//
// PPIDs are host-order uint32 values in both directions; the package converts to network order.
//
// Message boundaries: one Write is one message, and one Read returns bytes of one message only. A
// message larger than the buffer arrives over several reads; ReadMsg reports RcvInfo.More() on
// every piece but the last.
//
// Defaults: SCTP_NODELAY is on (as Go's net package does for TCP), every message carries its
// RCVINFO, and sockets are subscribed to DefaultEvents: association changes and shutdowns. A
// Dialer's or ListenConfig's Events chooses others (NoEvents: none at all).
//
// # Notifications
//
// Notifications arrive among the messages, with RcvInfo.IsNotification() true (Read skips them;
// ReadMsg, ReadMsgFrom and ReadBatch return them). ParseNotification turns their bytes into typed
// values — *AssocChange, *Shutdown, *PeerAddrChange, *SendFailed and the rest — and Subscribe
// chooses which kinds come. Read a notification into a buffer large enough for it: a send-failed
// notification carries the unsent data, and one cut off (RecvMore) does not parse.
//
// # Batches
//
// A Batch receives up to its number of slots with one recvmmsg (ReadBatch) and sends every message
// queued in it with one sendmmsg (WriteBatch), parking in the netpoller while the socket has nothing
// to read or no room. Its memory is C memory, allocated by NewBatch and freed by Close (the garbage
// collector does not free it). In steady state ReadBatch, ReadMsg, WriteMsg, Queue and WriteBatch
// allocate nothing.
//
// # Lifetime of buffers
//
// Every buffer is the caller's, or copied, except the batch's received bytes:
//
//   - Read, ReadMsg, ReadMsgFrom: b is written during the call only; nothing keeps it afterwards.
//     *RcvInfo is filled by value: it refers to nothing.
//   - Write, WriteMsg, WriteMsgTo: b is read during the call only (the kernel copies the message);
//     reuse it as soon as the call returns.
//   - ParseNotification: the result copies every variable part (abort reasons, error causes,
//     unsent data, stream lists); b may be reused at once.
//   - Batch.Queue and Batch.QueueTo copy the message into the batch; reuse p at once.
//   - Batch.Bytes(i) is NOT a copy: the slice ALIASES the batch's C memory, and Batch.Info(i)
//     points into the batch. Both are valid only UNTIL THE NEXT ReadBatch, Queue, QueueTo OR Close
//     ON THAT BATCH. The next read overwrites the bytes in place (a kept slice silently shows other
//     data), and after Close the memory is freed (a kept slice is then a use-after-free, which Go
//     cannot catch). Copy what must live longer. Build with -tags sctpiodebug to have every
//     ReadBatch and Queue first overwrite the bytes lent before with 0xdb, so that a slice kept too
//     long shows in tests.
//   - Addresses returned by LocalAddr, RemoteAddr and Addr are shared with the socket: treat them as
//     read-only. PeerAddrs, LocalAddrs and Status return fresh values.
//
// # Debugging
//
// The build tag sctpiodebug turns on the batch poisoning described above.
package sctp
