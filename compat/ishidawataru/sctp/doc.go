// SPDX-License-Identifier: MIT

// Package sctp is a drop-in replacement for github.com/ishidawataru/sctp (at
// v0.0.0-20251114114122-19ddcbc6aae2), built on sctpio's Go package
// (github.com/sctpio/sctpio/sctp). Switching is one import line:
//
//	import "github.com/sctpio/sctpio/compat/ishidawataru/sctp"
//
// Every identifier of ishidawataru/sctp is here with the same name, type, signature and
// constant value (bench/go/apicheck checks it, on each platform ishidawataru/sctp builds on).
// Sockets are sctpio's: a one-to-one association is an sctp.SCTPConn, a listener an
// sctp.Listener, and a one-to-many socket adopted with NewSCTPConn an sctp.Endpoint, so every
// socket is non-blocking in Go's netpoller: a blocked read, write or Accept parks its goroutine
// instead of holding an OS thread.
//
// # Kept as ishidawataru/sctp has it
//
// Callers rely on these, so they stay:
//   - Errors are bare syscall.Errno values (err == syscall.ECONNRESET works), io.EOF once the
//     peer has shut down, EBADF for any call on a closed connection or listener, a second Close
//     included.
//   - ListenSCTP and DialSCTP ask for SCTP_MAX_STREAM (65535) outbound streams.
//   - New sockets are subscribed to no notification. SCTPRead returns a *SndRcvInfo only once
//     SCTP_EVENT_DATA_IO is subscribed (nil before, and for notifications); PPIDs are in host
//     byte order.
//   - The NotificationHandler is called from SCTPRead (and Read), on the reading goroutine; its
//     error ends the read. Without a handler a notification is returned as if it were data.
//   - Messages larger than the buffer arrive in pieces over several reads, with no flag telling
//     a piece from a whole message (use the sctpio package's ReadMsg for that).
//   - AcceptSCTP and Accept return a non-nil *SCTPConn beside an error (its calls fail), since
//     callers close it; GetStatus, GetSackTimer and GetDefaultSentParam return a non-nil value
//     beside an error.
//   - NewSCTPConn takes ownership of the descriptor: it stays open, usable by the caller, until
//     Close closes it.
//
// # Differences
//
// Where ishidawataru/sctp's behaviour was a bug its users suffered, this package does what its
// documentation (or the names of its constants) promise, or what package net does:
//   - SetDeadline, SetReadDeadline and SetWriteDeadline work (they returned EOPNOTSUPP). A call
//     past its deadline fails with net's timeout error: a *net.OpError whose Timeout() is true,
//     wrapping os.ErrDeadlineExceeded (not a bare errno: nothing could compare it before).
//   - Close unblocks a pending Accept, SCTPRead, Read and write on the object closed, which then
//     return EBADF (a blocked Accept used to stay blocked; a pending read got io.EOF). An accept
//     loop that continues on every error must now stop on EBADF once it closed the listener.
//   - SyscallConn's RawConn has working Read and Write, which wait in the netpoller (they
//     panicked); so does the RawConn given to SocketConfig.Control. SyscallConn exists on every
//     platform, and after Close it returns EINVAL.
//   - ErrUnsupported exists on every platform (it was declared only where SCTP is missing); it
//     wraps errors.ErrUnsupported. Without cgo (sctpio's package needs it), Linux builds get the
//     stubs too, which return ErrUnsupported.
//   - SCTP_NODELAY is on for the sockets this package opens, as net does for TCP (the kernel's
//     default, Nagle on, cut a small-message sender's rate some 35-fold on sctpio's test kernel).
//     Setsockopt(SCTP_NODELAY) turns it back off.
//   - GetStatus reports Status.State and PrimaryPeerAddr.State by this package's constants
//     (SCTP_ESTABLISHED for an established association); they used to carry Linux's own
//     numbering, so that State == SCTP_ESTABLISHED never held. A potentially failed path, for
//     which there is no constant, reads SCTP_INACTIVE.
//   - SetDefaultSentParam and GetDefaultSentParam take and give the PPID in host byte order, as
//     SCTPWrite and SCTPRead do (they passed it to the kernel unconverted, so that Write sent it
//     byte-swapped).
//   - SCTPWrite's flags are honoured by name: SCTP_EOF starts a graceful shutdown and SCTP_ABORT
//     aborts (one-to-many) — their values were not Linux's, so SCTP_EOF was taken as a
//     partial-reliability policy bit. SCTP_SACK_IMMEDIATELY is not passed on (sctpio's package
//     has no such send flag). A non-zero TTL sends with partial reliability's time-to-live policy.
//   - NewSCTPConn adopts one-to-many (SOCK_SEQPACKET) sockets, on which SCTPRead and SCTPWrite
//     serve every association and PeelOff works; PeelOff could never work on the one-to-one
//     sockets the package made (on those it is EINVAL, as before). The peeled-off connection keeps
//     the SCTP_EVENT_DATA_IO subscription.
//   - SCTP_EVENTS set or read through Setsockopt and Getsockopt goes through SubscribeEvents and
//     SubscribedEvents (sctpio's package reads RFC 6458 RCVINFO, and keeps DataIO itself). Set
//     events with those, never with a raw setsockopt on the descriptor: the kernel's own data-io
//     information would crowd out the RCVINFO that reads need.
//   - Read allocates nothing, and SCTPRead only the *SndRcvInfo it returns (two allocations per
//     read before).
//   - LocalAddr, RemoteAddr and SCTPListener.Addr fall back to the addresses the socket started
//     with when the kernel can no longer say (after Close), instead of returning nil.
//   - ListenSCTP and DialSCTP no longer append a wildcard address to the caller's laddr.
//   - A nil raddr is EINVAL (it panicked); a nil *SackTimer or *SndRcvInfo given to
//     SetSackTimer or SetDefaultSentParam is EINVAL.
//   - FileListener makes the socket non-blocking, which the caller's file shares (it made it
//     blocking).
//   - SO_RCVTIMEO and SO_SNDTIMEO set through Control or SyscallConn have no effect (the socket is
//     non-blocking): use the deadlines.
//   - ToRawSockAddrBuf writes Linux's sockaddr layout on every platform (the only one the
//     SCTP_SOCKOPT_* options read).
package sctp
