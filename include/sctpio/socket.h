/* SPDX-License-Identifier: MIT */
/*
 * sctpio/socket.h - SCTP endpoints: open, bind, connect, accept, peeloff, shutdown, abort.
 *
 * Every function returns >= 0 on success (a descriptor, a count or 0) and -errno on failure; none
 * prints, aborts or leaves errno as the only report. Descriptors are plain file descriptors that the
 * caller owns and closes with sctpio_sock_close (or close(2)).
 *
 * Defaults that protect users (each can be changed after opening):
 *  - non-blocking and close-on-exec (SCTPIO_BLOCKING opts out of the first);
 *  - SCTP_NODELAY on: Nagle holds a small message back while earlier data is unacknowledged, and
 *    the acknowledgement may wait for the delayed-SACK timer (200 ms by default). Streaming
 *    100-byte messages over loopback with the kernel's default buffers, Nagle cut the rate about
 *    5x and held each message ~200 ms; with 8 MiB buffers it bundled enough to stream 1.6-2.4x
 *    faster than NODELAY, still with tens of milliseconds of delay per message (bench/README.md,
 *    "Nagle against SCTP_NODELAY", has the commands; one run in the emulator). The default favours
 *    latency, which no buffer size rescues under Nagle; turn it back on (SCTPIO_NAGLE) only for
 *    bulk streaming where delay does not matter, after measuring that traffic;
 *  - SCTP_RECVRCVINFO on, so every received message carries its stream, PPID and association;
 *  - subscribed to SCTP_ASSOC_CHANGE and SCTP_SHUTDOWN_EVENT, so a program notices a peer that went
 *    away (SCTPIO_NO_EVENTS opts out; sctpio_sock_subscribe changes it later).
 *
 * Thread-safety: these calls hold no state of their own; concurrent calls on one descriptor behave as
 * the kernel's socket calls do.
 */
#ifndef SCTPIO_SOCKET_H
#define SCTPIO_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h> /* linux/sctp.h needs struct sockaddr_storage and sa_family_t first */
#include <linux/sctp.h>
#include "addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Socket styles (RFC 6458 section 3 and 4). */
enum sctpio_style {
	SCTPIO_ONE_TO_ONE = 1,  /* SOCK_STREAM: one association per socket, accept() on a server */
	SCTPIO_ONE_TO_MANY = 2, /* SOCK_SEQPACKET: many associations on one socket, told apart by id */
};

/* Flags for sctpio_sock_open, sctpio_sock_server and sctpio_sock_client. */
enum sctpio_open_flags {
	SCTPIO_BLOCKING = 1 << 0,  /* leave the socket blocking */
	SCTPIO_NAGLE = 1 << 1,     /* leave Nagle's algorithm on (SCTP_NODELAY off) */
	SCTPIO_NO_EVENTS = 1 << 2, /* do not subscribe to association change and shutdown events */
	SCTPIO_IPV4_ONLY = 1 << 3, /* AF_INET socket even when no address says so */
	SCTPIO_V6_ONLY = 1 << 4,   /* AF_INET6 socket that refuses IPv4 (IPV6_V6ONLY) */
};

/*
 * sctpio_sock_open - create an SCTP socket of the given family (AF_INET or AF_INET6) and style, with
 * the defaults above. An AF_INET6 socket is dual-stack unless SCTPIO_V6_ONLY is given.
 * Returns the descriptor, or -EINVAL (bad family/style/flags), or the -errno of socket(2) — notably
 * -ESOCKTNOSUPPORT or -EPROTONOSUPPORT when the kernel has no SCTP.
 */
SCTPIO_API int sctpio_sock_open(int family, int style, unsigned flags);

/*
 * sctpio_sock_bind - bind fd to n local addresses at once (SCTP_SOCKOPT_BINDX_ADD); all must share a
 * port (0 picks one). With n == 1 this is bind(2). Returns 0 or -errno (-EINVAL for n == 0 or NULL).
 */
SCTPIO_API int sctpio_sock_bind(int fd, const sctpio_addr *addrs, size_t n);

/*
 * sctpio_sock_bind_add / sctpio_sock_bind_remove - add or remove local addresses of a bound socket at
 * run time (the kernel announces them to peers with ASCONF when both sides support it; addip_enable).
 * Returns 0 or -errno.
 */
SCTPIO_API int sctpio_sock_bind_add(int fd, const sctpio_addr *addrs, size_t n);
SCTPIO_API int sctpio_sock_bind_remove(int fd, const sctpio_addr *addrs, size_t n);

/* sctpio_sock_listen - listen(2) with a backlog (0 means SOMAXCONN). Returns 0 or -errno. */
SCTPIO_API int sctpio_sock_listen(int fd, int backlog);

/*
 * sctpio_sock_connect - start an association to a peer reachable at any of n addresses
 * (SCTP_SOCKOPT_CONNECTX3, which gives the id even while the setup is in progress). On a non-blocking
 * socket the association is being set up when this returns -EINPROGRESS (one-to-one: wait for
 * writability, then sctpio_sock_error) — for one-to-many sockets sctpio treats -EINPROGRESS as success.
 * If assoc_id is not NULL it receives the new association's id. Returns 0, -EINPROGRESS (one-to-one,
 * non-blocking) or -errno.
 */
SCTPIO_API int sctpio_sock_connect(int fd, const sctpio_addr *peers, size_t n, sctp_assoc_t *assoc_id);

/* sctpio_sock_error - the pending SO_ERROR as -errno (0 when none); clears it. */
SCTPIO_API int sctpio_sock_error(int fd);

/*
 * sctpio_sock_accept - accept one association on a listening one-to-one socket; the new descriptor
 * gets the same defaults as sctpio_sock_open (blocking-ness and close-on-exec from flags).
 * If peer is not NULL it receives the peer's primary address (an IPv4 peer as AF_INET, the bytes past
 * its family's length zeroed). Returns the descriptor or -errno
 * (-EAGAIN when none is pending on a non-blocking socket).
 */
SCTPIO_API int sctpio_sock_accept(int fd, sctpio_addr *peer, unsigned flags);

/*
 * sctpio_sock_server - open, bind to n addresses, and listen: the common server in one call.
 * The family is AF_INET6 (dual-stack) when any address is IPv6 or a wildcard, otherwise AF_INET.
 * Returns the descriptor or -errno; on failure nothing is left open.
 */
SCTPIO_API int sctpio_sock_server(int style, const sctpio_addr *addrs, size_t n, int backlog, unsigned flags);

/*
 * sctpio_sock_client - open, optionally bind to nlocal local addresses (NULL/0: any), and connect to
 * a peer at npeers addresses. The family follows the addresses as for sctpio_sock_server. On a
 * non-blocking one-to-one socket the connection may still be in progress: poll for writability, then
 * check sctpio_sock_error. Returns the descriptor (assoc_id, if not NULL, gets the association id)
 * or -errno; on failure nothing is left open.
 */
SCTPIO_API int sctpio_sock_client(int style, const sctpio_addr *peers, size_t npeers, const sctpio_addr *local,
				  size_t nlocal, unsigned flags, sctp_assoc_t *assoc_id);

/*
 * What the one-call helpers set after socket(2) and before bind and connect, where it must be: the
 * stream counts and INIT retries (SCTP_INITMSG, as sctpio_opt_set_initmsg) and the buffer sizes,
 * which fix the window the INIT and INIT-ACK announce (setting them on an accepted socket is too
 * late). Zero-initialise it; a zero or NULL member leaves the kernel's default.
 */
struct sctpio_sock_setup {
	const struct sctp_initmsg *init; /* NULL: the kernel's (10 streams each way) */
	int rcvbuf;                      /* SO_RCVBUF bytes (Linux doubles it), 0: default */
	int sndbuf;                      /* SO_SNDBUF bytes, 0: default */
	uint32_t reserved[4];            /* zero (see sctpio/version.h) */
};

/*
 * sctpio_sock_server_setup / sctpio_sock_client_setup - sctpio_sock_server and sctpio_sock_client
 * with *setup (NULL: none) applied before bind and connect; a server's accepted sockets and its
 * one-to-many associations inherit it. The caller owns setup; it is read during the call only.
 * Returns as those do, and -EINVAL for a negative buffer size or an option the kernel refuses;
 * on failure nothing is left open.
 */
SCTPIO_API int sctpio_sock_server_setup(int style, const sctpio_addr *addrs, size_t n, int backlog, unsigned flags,
					const struct sctpio_sock_setup *setup);
SCTPIO_API int sctpio_sock_client_setup(int style, const sctpio_addr *peers, size_t npeers, const sctpio_addr *local,
					size_t nlocal, unsigned flags, const struct sctpio_sock_setup *setup,
					sctp_assoc_t *assoc_id);

/*
 * sctpio_sock_peeloff - branch association assoc_id of a one-to-many socket off onto a new
 * descriptor of its own (SCTP_SOCKOPT_PEELOFF_FLAGS, close-on-exec, non-blocking unless
 * SCTPIO_BLOCKING), used as a one-to-one socket: sends and receives need no association id (0
 * names its one association), and messages of that association, those already queued included,
 * arrive on the new descriptor only. Linux (6.1) makes it a SOCK_SEQPACKET socket of a kind of its
 * own: sctpio_sock_style reports it SCTPIO_ONE_TO_MANY, sctpio_sock_shutdown(fd, 0) ends it
 * gracefully (shutdown(2) sends no SHUTDOWN there; it only sets the socket's shutdown flags), and
 * sctpio_sock_abort(fd, 0, ...) aborts it, with a reason. Returns it or -errno (-EINVAL: no such
 * association, or fd is not a one-to-many socket, a peeled-off one included).
 */
SCTPIO_API int sctpio_sock_peeloff(int fd, sctp_assoc_t assoc_id, unsigned flags);

/*
 * sctpio_sock_shutdown - graceful end. One-to-one: shutdown(SHUT_WR); the peer reads end of stream
 * after the data already sent. One-to-many: sends SCTP_EOF to association assoc_id.
 * Returns 0 or -errno. Until the shutdown completes (all data sent and acknowledged, then the
 * SHUTDOWN exchange), a send on that association returns -ESHUTDOWN (-EAGAIN first while the send
 * buffer is full); after it, -EPIPE.
 */
SCTPIO_API int sctpio_sock_shutdown(int fd, sctp_assoc_t assoc_id);

/*
 * sctpio_sock_abort - abort association assoc_id of a one-to-many socket at once, sending an ABORT
 * whose user-initiated-abort cause carries reason (len bytes, may be 0; at most
 * SCTPIO_ABORT_REASON_MAX, 65,492, so that the ABORT fits in one IP packet: see sctpio/msg.h). The
 * peer gets an SCTP_COMM_LOST association change with the reason. Returns 0 or -errno: -EINVAL
 * (reason NULL with len > 0), -EMSGSIZE (len above SCTPIO_ABORT_REASON_MAX: nothing is sent, the
 * association goes on), -EOPNOTSUPP on a SOCK_STREAM (one-to-one) socket, where Linux offers no
 * abort with a reason: set SO_LINGER to {1, 0} (sctpio_opt_set_linger) and close the socket to abort
 * it without one (a peeled-off socket takes the abort: see sctpio_sock_peeloff).
 */
SCTPIO_API int sctpio_sock_abort(int fd, sctp_assoc_t assoc_id, const void *reason, size_t len);

/* sctpio_sock_close - close(2), as -errno; EINTR is reported but the descriptor is gone either way. */
SCTPIO_API int sctpio_sock_close(int fd);

/*
 * sctpio_sock_local_addrs / sctpio_sock_peer_addrs - the local addresses of fd (assoc_id 0: the
 * endpoint's) or the peer addresses of association assoc_id (0 on a one-to-one socket), written to
 * out[0..max). Returns the total number the kernel reported (may exceed max: only max were written),
 * or -errno.
 */
SCTPIO_API int sctpio_sock_local_addrs(int fd, sctp_assoc_t assoc_id, sctpio_addr *out, size_t max);
SCTPIO_API int sctpio_sock_peer_addrs(int fd, sctp_assoc_t assoc_id, sctpio_addr *out, size_t max);

/* sctpio_sock_set_primary - make peer address addr the primary path of association assoc_id. */
SCTPIO_API int sctpio_sock_set_primary(int fd, sctp_assoc_t assoc_id, const sctpio_addr *addr);

/* sctpio_sock_style - SCTPIO_ONE_TO_ONE (SOCK_STREAM) or SCTPIO_ONE_TO_MANY (SOCK_SEQPACKET, which a
 * peeled-off socket is too: see sctpio_sock_peeloff) for an SCTP socket; -ENOTSOCK, -EBADF, or
 * -EPROTONOSUPPORT when fd is a socket of another protocol. */
SCTPIO_API int sctpio_sock_style(int fd);

#ifdef __cplusplus
}
#endif
#endif
