/* SPDX-License-Identifier: MIT */
/*
 * sctpio/notify.h - SCTP notifications: choosing which ones arrive, and decoding them.
 *
 * A notification arrives like a message: sctpio_recv returns its bytes with SCTPIO_MSG_NOTIFICATION
 * set in sctpio_rcvinfo.flags. Read it into a buffer large enough for the whole notification (a
 * send-failed notification carries the unsent data, so size the buffer like a data message; a piece
 * with SCTPIO_MSG_MORE set is incomplete), then decode it with sctpio_notification_decode into a
 * struct sctpio_notification: a tagged union in host byte order.
 *
 * Borrowed pointers: the variable-length parts of a decoded notification (assoc-change info, remote
 * error data, send-failed data, stream-reset list) point INTO the buffer that was decoded. They are
 * valid exactly as long as that buffer is, and sctpio never copies or frees them.
 *
 * Thread-safety: decoding, naming and formatting are pure functions of their arguments: any number
 * of threads may call them at once. The subscription calls are socket options, as thread-safe as
 * setsockopt(2).
 */
#ifndef SCTPIO_NOTIFY_H
#define SCTPIO_NOTIFY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h> /* linux/sctp.h needs struct sockaddr_storage and sa_family_t first */
#include <linux/sctp.h>
#include "addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One bit per notification kind, for sctpio_sock_subscribe_mask. */
enum sctpio_event_mask {
	SCTPIO_EV_ASSOC_CHANGE = 1 << 0,      /* SCTP_ASSOC_CHANGE: up, lost, restart, shut down, failed */
	SCTPIO_EV_PEER_ADDR_CHANGE = 1 << 1,  /* SCTP_PEER_ADDR_CHANGE: a peer address changed state */
	SCTPIO_EV_REMOTE_ERROR = 1 << 2,      /* SCTP_REMOTE_ERROR: the peer sent an ERROR chunk */
	SCTPIO_EV_SEND_FAILED_EVENT = 1 << 3, /* SCTP_SEND_FAILED_EVENT: a message could not be delivered */
	SCTPIO_EV_SHUTDOWN = 1 << 4,          /* SCTP_SHUTDOWN_EVENT: the peer started a graceful shutdown */
	SCTPIO_EV_PARTIAL_DELIVERY = 1 << 5,  /* SCTP_PARTIAL_DELIVERY_EVENT: a partial delivery was aborted */
	SCTPIO_EV_ADAPTATION = 1 << 6,        /* SCTP_ADAPTATION_INDICATION: the peer's adaptation layer */
	SCTPIO_EV_AUTHENTICATION = 1 << 7,    /* SCTP_AUTHENTICATION_EVENT: key changes, peer without AUTH */
	SCTPIO_EV_SENDER_DRY = 1 << 8,        /* SCTP_SENDER_DRY_EVENT: nothing left to send or retransmit */
	SCTPIO_EV_STREAM_RESET = 1 << 9,      /* SCTP_STREAM_RESET_EVENT (RFC 6525) */
	SCTPIO_EV_ASSOC_RESET = 1 << 10,      /* SCTP_ASSOC_RESET_EVENT (RFC 6525) */
	SCTPIO_EV_STREAM_CHANGE = 1 << 11,    /* SCTP_STREAM_CHANGE_EVENT (RFC 6525) */
	SCTPIO_EV_ALL = (1 << 12) - 1,
	/* The deprecated SCTP_SEND_FAILED form (RFC 6458 5.3.1.4). Not in SCTPIO_EV_ALL: with both send
	 * failure kinds on, every failed chunk is reported twice. */
	SCTPIO_EV_SEND_FAILED_OLD = 1 << 12,
};

/*
 * sctpio_sock_subscribe - turn notifications of one kind on (on != 0) or off (SCTP_EVENT).
 * event_type is a kernel notification type: SCTP_ASSOC_CHANGE ... SCTP_SEND_FAILED_EVENT.
 * assoc_id chooses what changes on a one-to-many socket: one association by id, SCTP_FUTURE_ASSOC
 * (0: only associations set up later — existing ones keep their subscriptions), SCTP_CURRENT_ASSOC
 * (every existing association) or SCTP_ALL_ASSOC (both); one-to-one sockets ignore it.
 * Turning SCTP_SENDER_DRY_EVENT on for an association with nothing queued makes the kernel send one
 * sender-dry notification at once.
 * Returns 0, or -EINVAL (SCTP_DATA_IO_EVENT, which would add a deprecated cmsg that sctpio_recv has
 * no room for; a type outside the range; an unknown association id), or another -errno of
 * setsockopt(2) (-EBADF, -ENOTSOCK, -ENOPROTOOPT when fd is not SCTP).
 */
SCTPIO_API int sctpio_sock_subscribe(int fd, sctp_assoc_t assoc_id, uint16_t event_type, int on);

/*
 * sctpio_sock_subscribe_mask - make the subscription exactly mask (enum sctpio_event_mask): the
 * kinds in mask are turned on and every other kind, SCTP_SEND_FAILED included, off. assoc_id as for
 * sctpio_sock_subscribe. Kinds the running kernel does not know are skipped when turned off.
 * Not atomic: on failure the kinds before the failing one have already changed.
 * Returns 0, -EINVAL for unknown bits in mask, or the first failure of sctpio_sock_subscribe.
 */
SCTPIO_API int sctpio_sock_subscribe_mask(int fd, sctp_assoc_t assoc_id, uint32_t mask);

/* Wire flags of the DATA chunk a send-failed notification reports (chunk_flags below). */
enum sctpio_data_chunk_flags {
	SCTPIO_CHUNK_LAST_FRAG = 0x01,  /* E bit: the message's last chunk */
	SCTPIO_CHUNK_FIRST_FRAG = 0x02, /* B bit: the message's first chunk */
	SCTPIO_CHUNK_UNORDERED = 0x04,  /* U bit */
};

/* SCTP_ASSOC_CHANGE. */
struct sctpio_notification_assoc_change {
	uint16_t state;            /* SCTP_COMM_UP, SCTP_COMM_LOST, SCTP_RESTART, SCTP_SHUTDOWN_COMP,
				    * SCTP_CANT_STR_ASSOC */
	uint16_t error;            /* SCTP cause code (RFC 9260 3.3.10), host order; 0 when none. Linux
				    * gives it in network order; sctpio converts it, so a user-initiated
				    * abort reads 12 here */
	uint16_t outbound_streams; /* negotiated stream counts (COMM_UP, RESTART); 0 otherwise */
	uint16_t inbound_streams;
	const uint8_t *info;       /* borrowed from the decoded buffer: for COMM_LOST after the peer's
				    * ABORT, the ABORT's error causes (Linux omits the chunk header);
				    * see sctpio_notification_abort_reason. NULL when info_len is 0 */
	size_t info_len;
};

/* SCTP_PEER_ADDR_CHANGE. */
struct sctpio_notification_peer_addr_change {
	sctpio_addr addr; /* the peer address concerned; an IPv4 peer is AF_INET even when the kernel
			   * wrote it v4-mapped (::ffff:a.b.c.d), as everywhere in sctpio, so it
			   * compares equal to what was parsed; family 0 if the kernel's was neither */
	int32_t state;    /* SCTP_ADDR_AVAILABLE, _UNREACHABLE, _REMOVED, _ADDED, _MADE_PRIM, _CONFIRMED,
			   * _POTENTIALLY_FAILED */
	int32_t error;    /* enum sctp_sn_error: SCTP_HEARTBEAT_SUCCESS, SCTP_FAILED_THRESHOLD, ... */
};

/* SCTP_REMOTE_ERROR: one error cause of an ERROR chunk from the peer. */
struct sctpio_notification_remote_error {
	uint16_t error;      /* the cause code, host order */
	const uint8_t *data; /* borrowed: the cause's value without its 4-byte header (Linux strips it),
			      * padding to 4 bytes included; NULL when data_len is 0 */
	size_t data_len;
};

/*
 * SCTP_SEND_FAILED_EVENT and the deprecated SCTP_SEND_FAILED: one DATA chunk of a message that could
 * not be delivered. A message sent in several chunks fails as several notifications, one per chunk
 * (chunk_flags tells first and last). The notification's flags are SCTP_DATA_UNSENT (never put on
 * the wire) or SCTP_DATA_SENT (sent, delivery unknown).
 */
struct sctpio_notification_send_failed {
	uint32_t error;            /* the SCTP cause code that failed it, host order (12 after a user
				    * abort); 0 when none, e.g. a PR-SCTP message abandoned */
	uint16_t stream;           /* what the message was sent with: */
	uint16_t chunk_flags;      /* enum sctpio_data_chunk_flags, as on the wire */
	uint32_t ppid;             /* host order, as given to sctpio_send */
	uint32_t context;
	sctp_assoc_t info_assoc_id;
	const uint8_t *data;       /* borrowed: the chunk's user data; NULL when data_len is 0 */
	size_t data_len;
};

/* SCTP_PARTIAL_DELIVERY_EVENT. */
struct sctpio_notification_partial_delivery {
	uint32_t indication; /* SCTP_PARTIAL_DELIVERY_ABORTED */
	uint32_t stream;     /* the message's stream and sequence: Linux fills them only with I-DATA */
	uint32_t seq;        /* (stream interleaving) on; otherwise, and before 4.16, both read 0 */
};

/* SCTP_ADAPTATION_INDICATION. */
struct sctpio_notification_adaptation {
	uint32_t indication; /* the peer's adaptation layer indication (SCTP_ADAPTATION_LAYER), host order */
};

/* SCTP_AUTHENTICATION_EVENT. */
struct sctpio_notification_authentication {
	uint16_t keynumber;    /* the key concerned */
	uint16_t altkeynumber;
	uint32_t indication;   /* SCTP_AUTH_NEW_KEY, SCTP_AUTH_FREE_KEY, SCTP_AUTH_NO_AUTH */
};

/* SCTP_STREAM_RESET_EVENT; the notification's flags hold SCTP_STREAM_RESET_INCOMING_SSN,
 * _OUTGOING_SSN, _DENIED, _FAILED. */
struct sctpio_notification_stream_reset {
	const uint8_t *streams; /* borrowed: count host-order uint16_t, possibly unaligned: read them
				 * with sctpio_notification_stream_at. NULL when count is 0 */
	size_t count;           /* 0 means every stream was reset */
};

/* SCTP_ASSOC_RESET_EVENT; flags hold SCTP_ASSOC_RESET_DENIED, _FAILED. The TSNs the association
 * goes on from, as the kernel fills them: each side's local_tsn is the other side's remote_tsn. */
struct sctpio_notification_assoc_reset {
	uint32_t local_tsn;
	uint32_t remote_tsn;
};

/* SCTP_STREAM_CHANGE_EVENT; flags hold SCTP_STREAM_CHANGE_DENIED, _FAILED. Linux reports the number
 * of streams ADDED in each direction (RFC 6525 says the new totals). */
struct sctpio_notification_stream_change {
	uint16_t inbound_streams;
	uint16_t outbound_streams;
};

/*
 * A decoded notification. type tells which member of u is valid; SCTP_SHUTDOWN_EVENT and
 * SCTP_SENDER_DRY_EVENT carry nothing beyond the common fields; SCTP_SEND_FAILED and
 * SCTP_SEND_FAILED_EVENT both use u.send_failed.
 */
struct sctpio_notification {
	uint16_t type;          /* sn_type: SCTP_ASSOC_CHANGE ... SCTP_SEND_FAILED_EVENT */
	uint16_t flags;         /* sn_flags; meaning per type (see the members) */
	uint32_t length;        /* sn_length: the notification's size in bytes */
	sctp_assoc_t assoc_id;  /* the association concerned (every Linux notification carries one) */
	union {
		struct sctpio_notification_assoc_change assoc_change;
		struct sctpio_notification_peer_addr_change peer_addr_change;
		struct sctpio_notification_remote_error remote_error;
		struct sctpio_notification_send_failed send_failed;
		struct sctpio_notification_partial_delivery partial_delivery;
		struct sctpio_notification_adaptation adaptation;
		struct sctpio_notification_authentication authentication;
		struct sctpio_notification_stream_reset stream_reset;
		struct sctpio_notification_assoc_reset assoc_reset;
		struct sctpio_notification_stream_change stream_change;
		/* Sizes the union at 64 bytes, so that a member may gain fields, or a new type's
		 * member come, without changing the struct's size (see sctpio/version.h). */
		uint64_t reserved[8];
	} u;
	uint32_t reserved[4];   /* zeroed: room for further common fields */
};

/*
 * sctpio_notification_decode - decode the notification in buf[0..len) into *out.
 * Every length is checked against len before it is read: the notification's own sn_length must be
 * at least its type's fixed size and at most len (bytes after sn_length are ignored), and the
 * variable part must be whole. buf may have any alignment. The caller owns buf and out; the
 * pointers stored in *out borrow from buf (see the top of this file).
 * Returns sn_length (> 0), or:
 *  -EINVAL  NULL buf/out; len shorter than the 8-byte header; sn_length shorter than the type's
 *           fixed part or longer than len (a truncated read); a stream-reset list of odd length.
 *  -ENOTSUP a type sctpio does not know (SCTP_DATA_IO_EVENT included); out->type, flags and
 *           length are still filled from the header so the caller can log it and go on.
 * On -EINVAL *out is zeroed. Pure and thread-safe.
 */
SCTPIO_API int sctpio_notification_decode(const void *buf, size_t len, struct sctpio_notification *out);

/*
 * sctpio_notification_stream_at - stream i of a decoded SCTP_STREAM_RESET_EVENT's list, read safely
 * from its possibly unaligned place in the decoded buffer (which must still be valid).
 * Returns the stream number (0..65535), -EINVAL for NULL or another type, -ERANGE when i >= count.
 */
SCTPIO_API int sctpio_notification_stream_at(const struct sctpio_notification *n, size_t i);

/*
 * sctpio_notification_abort_reason - the reason bytes of the user-initiated-abort cause (code 12)
 * in a decoded SCTP_ASSOC_CHANGE's info: what the peer passed to sctpio_sock_abort. The causes are
 * walked with every length checked; a leading ABORT chunk header (other systems include it) is
 * skipped. On success *reason points into the decoded buffer (borrowed, NULL when *len is 0).
 * Returns 1 when the cause was found, 0 when info holds no such cause (*reason NULL, *len 0),
 * -EINVAL for NULL arguments or another type, -EPROTO for a malformed cause list.
 */
SCTPIO_API int sctpio_notification_abort_reason(const struct sctpio_notification *n, const void **reason,
						size_t *len);

/*
 * sctpio_notification_name - "SCTP_ASSOC_CHANGE" and so on for a notification type; "unknown" for
 * others. Returns a static string (never NULL, never to be freed).
 */
SCTPIO_API const char *sctpio_notification_name(uint16_t type);

/*
 * sctpio_notification_format - one line of text for logs, e.g.
 * "SCTP_ASSOC_CHANGE assoc 3 COMM_UP error 0 out 10 in 10", written to buf (len bytes, terminated).
 * Variable parts are summarised by their lengths, never copied. Returns the text length, -EINVAL
 * for NULL pointers or len 0, -ENOSPC when buf is too small (buf then holds the truncated text).
 */
SCTPIO_API int sctpio_notification_format(const struct sctpio_notification *n, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
