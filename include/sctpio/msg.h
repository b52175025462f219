/* SPDX-License-Identifier: MIT */
/*
 * sctpio/msg.h - sending and receiving one message with its RFC 6458 metadata.
 *
 * PPIDs are given and returned in HOST byte order: sctpio converts to and from the network order the
 * kernel expects. (Every other wrapper passes the value through, so a PPID of 46 goes on the wire as
 * 0x2e000000 unless the caller remembered htonl.)
 *
 * Partial messages: a message larger than the receive buffer arrives in several pieces. Every piece
 * except the last has SCTPIO_MSG_MORE set in sctpio_rcvinfo.flags; nothing is ever truncated
 * silently. sctpio_recv_append joins the pieces for callers that want whole messages.
 */
#ifndef SCTPIO_MSG_H
#define SCTPIO_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/socket.h> /* linux/sctp.h needs struct sockaddr_storage and sa_family_t first */
#include <linux/sctp.h>
#include "addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Flags of struct sctpio_sndinfo.
 *
 * SCTPIO_EOF: the message (if len > 0) is sent, then the association's graceful shutdown starts: the
 * peer reads everything sent before it, then the end. Either style; on a one-to-one socket it is
 * shutdown(SHUT_WR), as sctpio_sock_shutdown. Linux takes SCTP_EOF only on an empty message, so with
 * data sctpio makes two calls (the message, then the EOF) and returns the message's length once it
 * went. A shutdown before the association is up would delete it with the message, so EOF with data
 * on an association not established yet (or none at that address) is refused: -EINVAL, nothing sent.
 * With SCTPIO_SENDALL it goes to every established association. Not with SCTPIO_ABORT (-EINVAL).
 *
 * SCTPIO_ABORT: the association ends at once; the data, at most SCTPIO_ABORT_REASON_MAX bytes (else
 * -EMSGSIZE, nothing sent), is the reason the peer reads in its COMM_LOST. One-to-many only:
 * -EOPNOTSUPP on a one-to-one socket (see sctpio_sock_abort).
 *
 * SCTPIO_SENDALL: one copy of the message to every established association of a one-to-many socket.
 * A one-to-one socket refuses it (-EINVAL, nothing sent): Linux would ignore the flag and send one
 * ordinary message.
 *
 * These three cost sctpio two getsockopt calls (the socket's style), and EOF with data one or two
 * more (the association's state); other messages pay nothing.
 */
enum sctpio_send_flags {
	SCTPIO_UNORDERED = 1 << 0, /* deliver without regard to stream order (SCTP_UNORDERED) */
	SCTPIO_EOF = 1 << 1,       /* send this message (if any), then start a graceful shutdown */
	SCTPIO_ABORT = 1 << 2,     /* one-to-many: abort the association; the data is the reason */
	SCTPIO_SENDALL = 1 << 3,   /* one-to-many: send to every association (SCTP_SENDALL) */
	SCTPIO_ADDR_OVER = 1 << 4, /* send to sndinfo.to rather than the primary path (SCTP_ADDR_OVER) */
	SCTPIO_AUTH_KEY = 1 << 5,  /* authenticate with shared key sndinfo.auth_key (SCTP_AUTHINFO) */
};

/*
 * The longest abort reason, in bytes: an ABORT must fit in one IP packet, and an IPv4 packet holds
 * 65,535 bytes: 20 of IP header, 12 of SCTP common header, 4 of chunk header, 4 of error cause
 * header, and the reason padded to a multiple of 4. Linux takes reasons up to 65,524 bytes and
 * -ENOMEM beyond, but one longer than this never reaches the peer (measured on loopback, 6.1: 65,492
 * arrives over IPv4 and 65,493 does not; IPv6 carries up to 65,512). sctpio refuses longer reasons
 * with -EMSGSIZE, sending nothing.
 */
#define SCTPIO_ABORT_REASON_MAX 65492

/* PR-SCTP policies (RFC 3758 / RFC 7496) for struct sctpio_sndinfo.pr_policy. */
enum sctpio_pr_policy {
	SCTPIO_PR_NONE = 0, /* reliable */
	SCTPIO_PR_TTL = 1,  /* pr_value: lifetime in milliseconds */
	SCTPIO_PR_RTX = 2,  /* pr_value: maximum number of retransmissions */
	SCTPIO_PR_PRIO = 3, /* pr_value: priority; lower values are abandoned first when the buffer is full */
};

/* What to send a message with. Zero-initialise it: all-zero means stream 0, PPID 0, ordered, reliable. */
struct sctpio_sndinfo {
	uint16_t stream;           /* outbound stream; must be below the negotiated count (else -EINVAL) */
	uint16_t flags;            /* enum sctpio_send_flags */
	uint32_t ppid;             /* payload protocol id, host byte order */
	uint32_t context;          /* returned in send-failed notifications for this message */
	sctp_assoc_t assoc_id;     /* one-to-many: the association (0 with `to` set: by address) */
	uint16_t pr_policy;        /* enum sctpio_pr_policy */
	uint32_t pr_value;         /* meaning depends on pr_policy */
	const sctpio_addr *to;     /* one-to-many: destination or new association's peer; may be NULL */
	/* RFC 6458 ancillary data beyond SNDINFO/PRINFO, each sent only when set: */
	uint16_t auth_key;         /* with SCTPIO_AUTH_KEY: the SCTP-AUTH key number to use (sctpio/auth.h) */
	const struct sctp_initmsg *init; /* one-to-many, a send that sets up a new association: its
	                            * stream counts and INIT retries (SCTP_INIT); NULL: the socket's */
	const sctpio_addr *also_to; /* one-to-many, a send that sets up a new association: further
	                            * addresses of its peer (SCTP_DSTADDRV4/V6, as sctp_sendv takes a
	                            * list); the port is to's, which must be set; not in batches */
	size_t n_also_to;          /* entries of also_to, at most SCTPIO_ALSO_TO_MAX */
	uint32_t reserved[4];      /* zero: room for later fields (see sctpio/version.h) */
};

/* The most further addresses one send may name for a new association's peer (sctpio_sndinfo.also_to). */
#define SCTPIO_ALSO_TO_MAX 64

/* Flags of struct sctpio_rcvinfo. */
enum sctpio_recv_flags {
	SCTPIO_MSG_NOTIFICATION = 1 << 0, /* the bytes are a notification: decode with sctpio_notification_decode */
	SCTPIO_MSG_MORE = 1 << 1,         /* not the end of the message: more pieces follow (no MSG_EOR) */
	SCTPIO_MSG_UNORDERED = 1 << 2,    /* the message was sent unordered */
	SCTPIO_MSG_HAS_INFO = 1 << 3,     /* stream/ssn/ppid/tsn/cumtsn/context/assoc_id are valid (RCVINFO) */
	SCTPIO_MSG_HAS_NEXT = 1 << 4,     /* next_* fields are valid (NXTINFO; enable SCTP_RECVNXTINFO) */
	SCTPIO_MSG_CTRUNC = 1 << 5,       /* ancillary data did not fit (should not happen: report a bug) */
};

/* What a message arrived with. Filled by sctpio_recv; the fields are valid as flags say. */
struct sctpio_rcvinfo {
	uint32_t flags;         /* enum sctpio_recv_flags */
	uint16_t stream;        /* inbound stream */
	uint16_t ssn;           /* stream sequence number */
	uint32_t ppid;          /* payload protocol id, host byte order */
	uint32_t tsn;           /* transmission sequence number of the first chunk */
	uint32_t cumtsn;        /* cumulative TSN (unordered messages) */
	uint32_t context;       /* the context set with SCTP_CONTEXT */
	sctp_assoc_t assoc_id;  /* association the message belongs to */
	sctpio_addr from;       /* sender's address (family 0 when the kernel gave none) */
	/* The next message waiting, when SCTPIO_MSG_HAS_NEXT is set. */
	uint16_t next_stream;
	uint16_t next_flags;    /* SCTP_UNORDERED / SCTP_COMPLETE / SCTP_NOTIFICATION as the kernel gives */
	uint32_t next_ppid;     /* host byte order */
	uint32_t next_length;
	sctp_assoc_t next_assoc_id;
	uint32_t reserved[4];   /* zeroed: room for later fields (see sctpio/version.h) */
};

/*
 * sctpio_send - send one message (len > 0) with info; NULL info attaches no send info, so the
 * socket's SCTP_DEFAULT_SNDINFO applies (stream 0, PPID 0 unless set). One SCTP message is one call:
 * the kernel either takes it all or nothing. Returns len, or -errno: -EINVAL (NULL buf, len 0 without
 * SCTPIO_EOF/SCTPIO_ABORT, stream beyond the negotiated count, and the flag cases above),
 * -EMSGSIZE (larger than the socket can ever send; an abort reason above SCTPIO_ABORT_REASON_MAX),
 * -EOPNOTSUPP (SCTPIO_ABORT on a one-to-one socket), -EAGAIN (non-blocking and the send buffer is
 * full: nothing was sent), -ESHUTDOWN (a graceful shutdown of that association has begun on this
 * side — sctpio_sock_shutdown or SCTPIO_EOF — and not finished: nothing more can be sent on it;
 * while the send buffer is full a non-blocking socket reads -EAGAIN first), -EPIPE/-ENOTCONN after
 * the association ended.
 *
 * On a one-to-many socket every association draws on the socket's one send buffer (Linux's default
 * net.sctp.sndbuf_policy = 0): a peer that stops reading fills it, and then sends to every other
 * association on the socket get -EAGAIN (or block) too; t_fault_peer_death shows it. Setting
 * net.sctp.sndbuf_policy = 1 (accounting per association) or peeling a slow association off to its
 * own socket (sctpio_sock_peeloff) keeps the others flowing. The receive side is alike
 * (net.sctp.rcvbuf_policy): many busy associations can overcommit one socket's receive buffer.
 */
SCTPIO_API ssize_t sctpio_send(int fd, const void *buf, size_t len, const struct sctpio_sndinfo *info);

/* sctpio_sendv - like sctpio_send with the message gathered from iovcnt buffers. */
SCTPIO_API ssize_t sctpio_sendv(int fd, const struct iovec *iov, int iovcnt, const struct sctpio_sndinfo *info);

/*
 * sctpio_recv - receive one message or one piece of one into buf[0..cap) and describe it in *info
 * (which may be NULL). Returns the number of bytes (0 means the peer shut down a one-to-one
 * association), or -errno (-EAGAIN when nothing is waiting on a non-blocking socket; -EINVAL for a
 * NULL buffer or cap 0). Check info->flags: SCTPIO_MSG_MORE means the message goes on in the next read.
 */
SCTPIO_API ssize_t sctpio_recv(int fd, void *buf, size_t cap, struct sctpio_rcvinfo *info);

/*
 * sctpio_recvv - like sctpio_recv with the message (or piece) scattered over iovcnt buffers, filled
 * in order (as sctp_recvv). Returns the bytes received, or -errno as sctpio_recv; -EINVAL for a NULL
 * iov, iovcnt outside 1..IOV_MAX, a NULL base with a non-zero length, or no room at all.
 */
SCTPIO_API ssize_t sctpio_recvv(int fd, const struct iovec *iov, int iovcnt, struct sctpio_rcvinfo *info);

/*
 * sctpio_recv_append - receive the next piece of a message and append it at buf + *len (cap is the
 * whole buffer's size), for callers that want whole messages up to a size they choose.
 * Returns 1 when the message is complete (buf[0..*len) holds it, info describes it; a notification
 * is a message too, with SCTPIO_MSG_NOTIFICATION; *len 0 at the end of a one-to-one stream), 0 when
 * a piece arrived but more follows (call again; keep buf, *len and info), or -errno: -EAGAIN with
 * nothing new (keep state, wait, call again), -EMSGSIZE when the buffer is full and the message goes
 * on (buf holds the first *len bytes; grow the buffer, keep *len, and call again — nothing is lost),
 * -EINVAL (NULL buf, len or info, *len > cap), -EBADF, or the socket's error (e.g. -ECONNRESET; inside
 * a message, the message is cut as below).
 *
 * A cut message: when the rest of a message will never come (the peer aborted, a partial delivery
 * was aborted, a one-to-one stream ended), the call returns -EPIPE, and goes on returning it: buf[0..
 * *len) and info stay as they were (SCTPIO_MSG_MORE still set), so the part that came is there, and
 * nothing else was appended or taken from the socket. Start the next call with *len = 0, as for a
 * new message: it returns what cut this one — the PARTIAL_DELIVERY_EVENT and COMM_LOST association
 * change (when subscribed), another message, or the end of the stream. To tell, each call inside a
 * message first peeks at the next item (one recvmsg with MSG_PEEK: a system call more per piece
 * after the first, none for a message that comes whole). Pieces continue a message when they are of
 * the same kind and, with RCVINFO, of the same association, stream and stream sequence number.
 * Start each message with *len = 0. The kernel does not interleave other messages between pieces
 * unless SCTP_FRAGMENT_INTERLEAVE is raised above 0 (sctpio leaves it at 0); with it raised, a piece
 * of another message reads as a cut (-EPIPE) rather than being appended.
 */
SCTPIO_API int sctpio_recv_append(int fd, void *buf, size_t cap, size_t *len, struct sctpio_rcvinfo *info);

#ifdef __cplusplus
}
#endif
#endif
