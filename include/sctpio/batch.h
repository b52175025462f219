/* SPDX-License-Identifier: MIT */
/*
 * sctpio/batch.h - many messages moved by one system call: recvmmsg(2) in, sendmmsg(2) out.
 *
 * A batch is a container made once with a number of slots and a capacity per slot. Each slot holds one
 * message (or one piece of one) with its buffer, its peer address, its ancillary data (room for
 * SCTP_RCVINFO + SCTP_NXTINFO, or SCTP_SNDINFO + SCTP_PRINFO), its length and its flags. All of it is
 * one allocation made by sctpio_batch_new; receiving, sending and resetting never allocate.
 *
 * Receiving: sctpio_batch_recv fills slots 0..n-1 from one socket and decodes every slot's metadata
 * (struct sctpio_rcvinfo from sctpio/msg.h); read them in place with sctpio_batch_data and
 * sctpio_batch_info. The bytes are borrowed, not copied: they stay valid until the next
 * sctpio_batch_recv, sctpio_batch_add, sctpio_batch_reset or sctpio_batch_free on that container.
 *
 * Partial messages: a message longer than a slot arrives in several slots, in order; every piece but
 * the last has SCTPIO_MSG_MORE set, so the caller joins them. A message may begin in one batch and go
 * on in the next. With SCTP_FRAGMENT_INTERLEAVE at 0 (sctpio's default) the kernel delivers the pieces
 * of one message one after another, with nothing in between — unless the message is cut (the peer
 * aborted, a partial delivery was aborted): then its last piece still has SCTPIO_MSG_MORE, and the
 * next slot is what cut it (the PARTIAL_DELIVERY_EVENT when subscribed, the COMM_LOST), or the end of
 * the stream. A caller that joins pieces must not join a notification onto them.
 *
 * Sending: sctpio_batch_add copies a message and its sctpio_sndinfo (destination address included)
 * into a free slot; sctpio_batch_send hands every queued message to the kernel in one sendmmsg call, in
 * the order added. Whatever the kernel did not take stays queued, in order, for the next
 * sctpio_batch_send: a message is never lost and never sent twice. A send that stops early returns the
 * number that went; the next call tells why the rest did not (-EAGAIN: the socket is full, wait for
 * POLLOUT; any other -errno: the kernel refuses the first queued message, e.g. -EINVAL for a stream
 * beyond the negotiated count; remove it with sctpio_batch_drop, then send again). Slots are a ring:
 * a slot frees as soon as its message went, so adding and sending may alternate freely.
 *
 * A container is either receiving or sending: sctpio_batch_add discards received messages, and
 * sctpio_batch_recv refuses (-ENOTEMPTY) while messages are queued, so none is lost by mistake.
 *
 * One container for many sockets: a container may receive from one socket, then another (sctpperf
 * shares one per thread). An error that comes after slots were filled belongs to the socket it came
 * from: the container keeps it with that socket's identity (descriptor and inode) and reports it on
 * the next sctpio_batch_recv on that same socket, never on another; a receive on another socket
 * leaves it kept. It is forgotten when its socket is closed (even if the number is reused) and by
 * sctpio_batch_reset. A container keeps one such error at a time: while it keeps one, a receive on
 * any other socket reads only once (it returns what that read got, fewer than min perhaps, without
 * waiting), so that it meets no error it could not keep; an error there is left in that socket.
 *
 * Backends: recvmmsg/sendmmsg only. io_uring is deliberately not used in this version; one code path
 * keeps the "never lost, never twice" guarantee easy to check.
 *
 * Threads: a container belongs to one thread at a time. Calls that change it (recv, send, add, drop,
 * reset) detect a second thread using it at the same moment and return -EBUSY without touching it
 * (an atomic flag, cheap enough to be always on); do not rely on that for correctness, and do not let
 * the read-only accessors overlap those calls (not detected). Different containers are independent.
 */
#ifndef SCTPIO_BATCH_H
#define SCTPIO_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include "addr.h"
#include "msg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* At most this many slots: the kernel takes no more than UIO_MAXIOV messages in one call. */
#define SCTPIO_BATCH_MAX_SLOTS 1024
/* At most this many bytes of slot buffers in all (slots * slot_cap), 1 GiB. */
#define SCTPIO_BATCH_MAX_BYTES ((size_t)1 << 30)

struct sctpio_batch;

/*
 * sctpio_batch_new - make a container of `slots` slots of slot_cap bytes each and store it in *out.
 * Returns 0, -EINVAL (out NULL, slots or slot_cap 0), -EMSGSIZE (slots above SCTPIO_BATCH_MAX_SLOTS,
 * or slots * slot_cap above SCTPIO_BATCH_MAX_BYTES), or -ENOMEM. The caller frees the container with
 * sctpio_batch_free. (It returns an int rather than the pointer so that the reason for a refusal is
 * not lost.)
 */
SCTPIO_API int sctpio_batch_new(struct sctpio_batch **out, size_t slots, size_t slot_cap);

/* sctpio_batch_free - free b and everything it holds (queued messages are discarded). No thread may
 * use b once this returned 0. Returns 0 (NULL: no-op), or -EBUSY when a call on b runs on another
 * thread at this moment (nothing is freed), like every other call on a busy container. */
SCTPIO_API int sctpio_batch_free(struct sctpio_batch *b);

/*
 * sctpio_batch_reset - empty b: forget received messages and discard queued ones (unsent: the caller
 * chose to drop them). Returns 0, -EINVAL (b NULL) or -EBUSY (in use by another thread).
 */
SCTPIO_API int sctpio_batch_reset(struct sctpio_batch *b);

/*
 * sctpio_batch_recv - receive into b from fd, replacing what b held before.
 * Waits until at least `min` slots are filled (1 <= min <= slots), or until timeout_ms passes
 * (0: do not wait; -1: no limit), then returns the number of slots filled, which may be more than min
 * (up to every slot) and, when time ran out, fewer. A slot holds a whole message or, with
 * SCTPIO_MSG_MORE, one piece of one; a slot of length 0 that is not a notification means a one-to-one
 * peer shut down, and it is always the last slot. The socket may be blocking or not: sctpio waits with
 * poll(2) and takes only what is already there.
 * Returns the count (>= 1), or -errno: -EAGAIN (nothing arrived in time, or nothing was waiting with
 * timeout 0), -EINVAL (b NULL, min out of range, timeout_ms below -1), -EBADF, -ENOTEMPTY (messages
 * are queued for sending), -EBUSY (in use by another thread), -EINTR (a signal came while waiting),
 * or the socket's error. An error that comes after some slots were filled is returned by the next
 * call on the same socket instead (see "One container for many sockets" above), so those slots are
 * not lost. Linux's recvmmsg reports a pending socket error before any queued message, so after a
 * peer's ABORT a one-to-one socket reads -ECONNRESET first and the messages that came before it
 * (and the COMM_LOST) after.
 */
SCTPIO_API int sctpio_batch_recv(struct sctpio_batch *b, int fd, size_t min, int timeout_ms);

/* sctpio_batch_count - how many slots the last sctpio_batch_recv filled (0 for NULL or after an add). */
SCTPIO_API size_t sctpio_batch_count(const struct sctpio_batch *b);

/*
 * sctpio_batch_data - received slot i (0 <= i < count): its bytes, read in place, and in *len (may be
 * NULL) their number. Borrowed: valid until the next recv, add, reset or free on b. Returns NULL (and
 * *len = 0) for a NULL b or an i out of range.
 */
SCTPIO_API const void *sctpio_batch_data(const struct sctpio_batch *b, size_t i, size_t *len);

/*
 * sctpio_batch_info - received slot i's metadata, already decoded: SCTPIO_MSG_NOTIFICATION (the bytes
 * are a notification), SCTPIO_MSG_MORE (a piece; more follows), stream, PPID in host order,
 * association id and the sender's address in `from`. Borrowed like the data. NULL as above.
 */
SCTPIO_API const struct sctpio_rcvinfo *sctpio_batch_info(const struct sctpio_batch *b, size_t i);

/*
 * sctpio_batch_add - queue a copy of data[0..len) to be sent with info (NULL: stream 0, PPID 0; the
 * address info->to, if any, and info->init are copied too: nothing of the caller's is kept; an
 * info->also_to list is refused, -EINVAL, as it does not fit a slot). On success it discards what
 * the last sctpio_batch_recv received. Returns the slot index it used, or -errno: -EINVAL (b NULL, data NULL
 * with len > 0, or info not valid as for sctpio_send), -EMSGSIZE (len above the slot capacity),
 * -ENOBUFS (every slot holds a queued message: send first), -EBUSY (in use by another thread).
 * The stream number is checked by the kernel when the message is sent. Send flags differ from
 * sctpio_send where one slot cannot do what sctpio_send does in two calls or by asking the socket:
 * SCTPIO_EOF only on an empty message (queue the data, then an empty message with SCTPIO_EOF; with
 * len > 0: -EINVAL); SCTPIO_EOF and SCTPIO_ABORT on a one-to-one socket are refused by the kernel at
 * send time (-EINVAL, as below).
 */
SCTPIO_API int sctpio_batch_add(struct sctpio_batch *b, const void *data, size_t len,
				const struct sctpio_sndinfo *info);

/*
 * sctpio_batch_send - send the queued messages on fd with one sendmmsg (two when the queue wraps
 * round the ring), oldest first. Returns how many the kernel took (0 when none was queued); those
 * leave the queue and the rest stay, in order. When none went: -errno, and the first queued message
 * stays queued: -EAGAIN (non-blocking socket full), -EINVAL (b NULL, or that message is refused: a
 * stream beyond the count, say, or SCTPIO_SENDALL on a one-to-one socket, which Linux would send as
 * an ordinary message: a send stops before such a message and refuses it once it is first),
 * -ESHUTDOWN (the association is shutting down), -EPIPE and the like when the association is gone,
 * -EBUSY (in use by another thread). MSG_NOSIGNAL is used: no SIGPIPE. While a SCTPIO_SENDALL
 * message is queued, each send asks the socket's style (two getsockopt calls).
 */
SCTPIO_API int sctpio_batch_send(struct sctpio_batch *b, int fd);

/* sctpio_batch_pending - how many messages are queued, not yet sent (0 for NULL). */
SCTPIO_API size_t sctpio_batch_pending(const struct sctpio_batch *b);

/*
 * sctpio_batch_drop - discard the first queued message, the one a failed sctpio_batch_send stopped
 * at, so the messages after it can go. Returns its slot index (what sctpio_batch_add returned for
 * it), or -ENOENT (nothing queued), -EINVAL (b NULL), -EBUSY (in use by another thread).
 */
SCTPIO_API int sctpio_batch_drop(struct sctpio_batch *b);

#ifdef __cplusplus
}
#endif
#endif
