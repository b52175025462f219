/* SPDX-License-Identifier: MIT */
/*
 * sctpio/options.h - typed socket options, stream scheduling and stream reconfiguration (RFC 6525).
 *
 * Conventions for every function here:
 *  - Returns >= 0 on success (0, a flag 0/1, or the value asked for) and -errno on failure. Nothing
 *    prints, aborts or leaves errno as the only report. Bad arguments (NULL pointers, values out of
 *    range) give -EINVAL before any system call.
 *  - fd is an SCTP socket. fd < 0 or a closed fd gives -EBADF; a non-socket (a pipe) -ENOTSOCK. A
 *    socket of another protocol answers the IPPROTO_SCTP options as its own protocol does, passed on
 *    unchanged: an AF_INET UDP socket gives -EOPNOTSUPP to get and -ENOPROTOOPT to set (the kernel's
 *    IPv4 layer differs between the two directions), an AF_INET6 one -ENOPROTOOPT to both. SOL_SOCKET
 *    options such as SO_RCVBUF work on any socket, as they do in the kernel.
 *  - `assoc` picks the association on a one-to-many socket: an id from sctpio_sock_connect or a
 *    message's rcvinfo, or SCTP_FUTURE_ASSOC (0) for the endpoint's defaults that future
 *    associations inherit. Where the kernel allows it, SCTP_CURRENT_ASSOC (every existing association)
 *    and SCTP_ALL_ASSOC (both) work for set. One-to-one sockets ignore assoc: 0 means their
 *    association once connected, and the endpoint before. An unknown id gives -EINVAL.
 *  - Pointers are the caller's; nothing is kept after the call returns. Structures are filled whole.
 *  - Thread-safety: no state of sctpio's own; concurrent calls behave as concurrent setsockopt(2).
 *  - Addresses come back as sctpio_addr; an IPv4 peer of a dual-stack AF_INET6 socket is reported as
 *    AF_INET, not as the v4-mapped ::ffff:a.b.c.d the kernel writes, so it compares equal to the
 *    address the caller parsed.
 */
#ifndef SCTPIO_OPTIONS_H
#define SCTPIO_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h> /* linux/sctp.h needs struct sockaddr_storage and sa_family_t first */
#include <linux/sctp.h>
#include "addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- raw access ------------------------------------------------------------------------------------ */

/*
 * sctpio_opt_get - getsockopt(fd, level, name) into buf[0..len). buf is read as well as written: many
 * SCTP options take their association id or address in it. Returns the length the kernel wrote, or
 * -errno (-EINVAL for a NULL buf with len > 0 or len > INT_MAX).
 */
SCTPIO_API int sctpio_opt_get(int fd, int level, int name, void *buf, size_t len);

/* sctpio_opt_set - setsockopt(fd, level, name, buf, len). Returns 0 or -errno (as sctpio_opt_get). */
SCTPIO_API int sctpio_opt_set(int fd, int level, int name, const void *buf, size_t len);

/* --- on/off options: get returns 0 or 1, set takes 0 or 1 (anything else: -EINVAL) ----------------- */

/* SCTP_NODELAY: 1 (the sctpio_sock_open default) sends small messages at once instead of Nagle-ing. */
SCTPIO_API int sctpio_opt_get_nodelay(int fd);
SCTPIO_API int sctpio_opt_set_nodelay(int fd, int on);

/* SCTP_RECVNXTINFO: describe the next waiting message in sctpio_rcvinfo (SCTPIO_MSG_HAS_NEXT). */
SCTPIO_API int sctpio_opt_get_recvnxtinfo(int fd);
SCTPIO_API int sctpio_opt_set_recvnxtinfo(int fd, int on);

/* SO_REUSEADDR / SO_REUSEPORT, set before bind. With SO_REUSEPORT on both, two SCTP sockets of one
 * user may bind and listen on the same address and port (tested on 6.1); without it: -EADDRINUSE. */
SCTPIO_API int sctpio_opt_get_reuseaddr(int fd);
SCTPIO_API int sctpio_opt_set_reuseaddr(int fd, int on);
SCTPIO_API int sctpio_opt_get_reuseport(int fd);
SCTPIO_API int sctpio_opt_set_reuseport(int fd, int on);

/* --- socket-wide values ---------------------------------------------------------------------------- */

/*
 * SO_RCVBUF / SO_SNDBUF. Linux DOUBLES the value set (the other half pays for its bookkeeping) and
 * caps the request at net.core.rmem_max / wmem_max first: set 65536, get 131072. The receive buffer
 * also bounds the window advertised to the peer. get returns bytes; set takes bytes >= 0 (-EINVAL
 * below) and returns 0.
 */
SCTPIO_API int sctpio_opt_get_rcvbuf(int fd);
SCTPIO_API int sctpio_opt_set_rcvbuf(int fd, int bytes);
SCTPIO_API int sctpio_opt_get_sndbuf(int fd);
SCTPIO_API int sctpio_opt_set_sndbuf(int fd, int bytes);

/*
 * SO_LINGER. on = 1 with seconds = 0 makes close(2) ABORT the association (the peer reads
 * -ECONNRESET) instead of shutting it down gracefully; seconds > 0 makes a blocking close wait for
 * the shutdown that long. set: on is 0 or 1, seconds >= 0, else -EINVAL. get: both pointers must be
 * non-NULL. Return 0 or -errno.
 */
SCTPIO_API int sctpio_opt_get_linger(int fd, int *on, int *seconds);
SCTPIO_API int sctpio_opt_set_linger(int fd, int on, int seconds);

/*
 * SCTP_AUTOCLOSE, one-to-many sockets only (one-to-one: -EOPNOTSUPP): an association idle this many
 * seconds is shut down gracefully; 0 (the default) never. The kernel silently caps the value at
 * net.sctp.max_autoclose. get returns seconds; set takes seconds >= 0 and returns 0.
 */
SCTPIO_API int sctpio_opt_get_autoclose(int fd);
SCTPIO_API int sctpio_opt_set_autoclose(int fd, int seconds);

/*
 * SCTP_FRAGMENT_INTERLEAVE: RFC 6458 levels 0 (pieces of one message are never interleaved with
 * others), 1 (other associations' messages may come between, one-to-many) and 2 (other streams' too,
 * with I-DATA). Linux keeps only on/off: setting 2 reads back as 1. set takes 0..2; get returns 0 or 1.
 */
SCTPIO_API int sctpio_opt_get_fragment_interleave(int fd);
SCTPIO_API int sctpio_opt_set_fragment_interleave(int fd, int level);

/*
 * SCTP_PARTIAL_DELIVERY_POINT: a message larger than this many bytes starts being delivered in
 * pieces before it is complete. The kernel refuses (-EINVAL) values above half of SO_RCVBUF.
 * get returns bytes; set returns 0.
 */
SCTPIO_API int sctpio_opt_get_partial_delivery_point(int fd);
SCTPIO_API int sctpio_opt_set_partial_delivery_point(int fd, uint32_t bytes);

/*
 * SCTP_ADAPTATION_LAYER: the adaptation indication (RFC 5061) sent in INIT and INIT-ACK, in host
 * order; the peer reads the same value in its SCTP_ADAPTATION_INDICATION. Endpoint-wide, for future
 * associations. get writes *ind (non-NULL) and returns 0.
 */
SCTPIO_API int sctpio_opt_get_adaptation_layer(int fd, uint32_t *ind);
SCTPIO_API int sctpio_opt_set_adaptation_layer(int fd, uint32_t ind);

/*
 * SCTP_INITMSG, the endpoint's parameters for future associations: sinit_num_ostreams (outbound
 * streams asked for), sinit_max_instreams (inbound streams accepted), sinit_max_attempts (INIT
 * retransmissions) and sinit_max_init_timeo (ms, RTO cap while setting up). On set, a 0 field leaves
 * that value unchanged. The negotiated counts show in sctpio_status once connected. Return 0 or -errno.
 */
SCTPIO_API int sctpio_opt_get_initmsg(int fd, struct sctp_initmsg *out);
SCTPIO_API int sctpio_opt_set_initmsg(int fd, const struct sctp_initmsg *in);

/* --- per association ------------------------------------------------------------------------------- */

/*
 * SCTP_RTOINFO in milliseconds: srto_initial, srto_max, srto_min for assoc (or the endpoint). On set a
 * 0 field is left unchanged, srto_assoc_id is ignored (assoc wins), and min > max (both given) or an
 * initial outside them is -EINVAL. Return 0 or -errno.
 */
SCTPIO_API int sctpio_opt_get_rtoinfo(int fd, sctp_assoc_t assoc, struct sctp_rtoinfo *out);
SCTPIO_API int sctpio_opt_set_rtoinfo(int fd, sctp_assoc_t assoc, const struct sctp_rtoinfo *in);

/*
 * SCTP_ASSOCINFO: sasoc_asocmaxrxt (retransmissions before the association is declared dead) and
 * sasoc_cookie_life (ms) can be set (0: unchanged); peer destinations and both windows are read-only.
 * The kernel refuses (-EINVAL) a multi-homed association's maxrxt above the sum of its paths'.
 */
SCTPIO_API int sctpio_opt_get_associnfo(int fd, sctp_assoc_t assoc, struct sctp_assocparams *out);
SCTPIO_API int sctpio_opt_set_associnfo(int fd, sctp_assoc_t assoc, const struct sctp_assocparams *in);

/* Flags of struct sctpio_paddrparams (the kernel's SPP_* values). ON and OFF of one pair exclude each other. */
enum sctpio_paddr_flags {
	SCTPIO_PADDR_HB_ON = SPP_HB_ENABLE,           /* heartbeats on */
	SCTPIO_PADDR_HB_OFF = SPP_HB_DISABLE,         /* heartbeats off */
	SCTPIO_PADDR_HB_DEMAND = SPP_HB_DEMAND,       /* set: send a heartbeat now (needs an address) */
	SCTPIO_PADDR_PMTUD_ON = SPP_PMTUD_ENABLE,     /* path MTU discovery on */
	SCTPIO_PADDR_PMTUD_OFF = SPP_PMTUD_DISABLE,   /* off: path_mtu is fixed */
	SCTPIO_PADDR_SACKDELAY_ON = SPP_SACKDELAY_ENABLE,
	SCTPIO_PADDR_SACKDELAY_OFF = SPP_SACKDELAY_DISABLE,
	SCTPIO_PADDR_HB_TIME_IS_ZERO = SPP_HB_TIME_IS_ZERO, /* set: make hb_interval exactly 0 */
};

/*
 * SCTP_PEER_ADDR_PARAMS for one peer address (addr), or with addr.sa.sa_family == 0 for the whole
 * association (or the endpoint's defaults). Units: ms for hb_interval and sack_delay, bytes for
 * path_mtu. get fills every field and reports the current ON/OFF flags. set changes only what it is
 * given, hiding two kernel traps: a non-zero hb_interval also turns heartbeats on (the kernel ignores
 * the interval without SPP_HB_ENABLE), and a non-zero path_mtu also turns discovery off (it ignores
 * the MTU otherwise). -EINVAL for: both ON and OFF of a pair, an unknown flag, hb_interval with
 * HB_OFF, path_mtu with PMTUD_ON or below 512, sack_delay above 500, addr of an unknown family.
 */
struct sctpio_paddrparams {
	sctpio_addr addr;          /* a peer address, or family 0: the association or endpoint */
	uint32_t hb_interval;      /* ms between heartbeats on idle paths; set: 0 leaves it */
	uint16_t path_max_retrans; /* retransmissions before the path is marked inactive; set: 0 leaves it */
	uint32_t path_mtu;         /* bytes; set: 0 leaves it */
	uint32_t sack_delay;       /* ms; set: 0 leaves it */
	uint32_t flags;            /* enum sctpio_paddr_flags */
};
SCTPIO_API int sctpio_opt_get_paddrparams(int fd, sctp_assoc_t assoc, struct sctpio_paddrparams *p);
SCTPIO_API int sctpio_opt_set_paddrparams(int fd, sctp_assoc_t assoc, const struct sctpio_paddrparams *p);

/*
 * SCTP_DEFAULT_SNDINFO: what a message sent WITHOUT send metadata (plain send(2), write(2), sendmsg
 * without an SCTP_SNDINFO cmsg) goes with. flags is 0 or SCTPIO_UNORDERED; ppid is in host order.
 */
struct sctpio_default_sndinfo {
	uint16_t stream;
	uint16_t flags;   /* 0 or SCTPIO_UNORDERED (others: -EINVAL) */
	uint32_t ppid;    /* host byte order */
	uint32_t context;
};
SCTPIO_API int sctpio_opt_get_default_sndinfo(int fd, sctp_assoc_t assoc, struct sctpio_default_sndinfo *out);
SCTPIO_API int sctpio_opt_set_default_sndinfo(int fd, sctp_assoc_t assoc, const struct sctpio_default_sndinfo *in);

/*
 * SCTP_MAXSEG: the largest DATA chunk payload, bytes. Set on the endpoint before connecting to cap
 * future associations (0: only the path MTU limits). get on an association returns its current
 * fragmentation point; on the endpoint, the cap set. The kernel refuses (-EINVAL) values below what
 * the minimum MTU (512) carries or above the largest chunk.
 */
SCTPIO_API int sctpio_opt_get_maxseg(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_maxseg(int fd, sctp_assoc_t assoc, uint32_t bytes);

/*
 * One peer address's state (SCTP_GET_PEER_ADDR_INFO and the primary path in SCTP_STATUS).
 * srtt_ticks is what the kernel reports: smoothed RTT in kernel ticks (jiffies, 1/CONFIG_HZ s), NOT
 * the milliseconds RFC 6458 specifies; no call tells userspace CONFIG_HZ (sysconf(_SC_CLK_TCK) is
 * USER_HZ), so sctpio passes it through under an honest name. rto is milliseconds.
 */
struct sctpio_paddrinfo {
	sctpio_addr addr;
	int32_t state;       /* SCTP_ACTIVE, SCTP_INACTIVE, SCTP_PF, SCTP_UNCONFIRMED */
	uint32_t cwnd;       /* congestion window, bytes */
	uint32_t srtt_ticks; /* smoothed RTT, kernel ticks (see above) */
	uint32_t rto;        /* retransmission timeout, ms */
	uint32_t mtu;        /* path MTU, bytes */
};

/* SCTP_STATUS of one association. */
struct sctpio_status {
	sctp_assoc_t assoc_id;
	int32_t state;        /* enum sctp_sstat_state: SCTP_COOKIE_WAIT ... SCTP_ESTABLISHED ... */
	uint32_t rwnd;        /* the peer's receive window as last advertised, bytes */
	uint16_t unacked;     /* DATA chunks sent and not yet acknowledged */
	uint16_t pending;     /* DATA chunks received and waiting for gaps to fill */
	uint16_t in_streams;  /* negotiated inbound streams */
	uint16_t out_streams; /* negotiated outbound streams: sctpio_sndinfo.stream must be below */
	uint32_t frag_point;  /* the largest DATA chunk payload, bytes */
	struct sctpio_paddrinfo primary;
};

/* sctpio_opt_get_status - fill *out for association assoc. Returns 0, -EINVAL (no such association;
 * Linux also answers -EINVAL on a one-to-one socket whose association is still being set up, in
 * COOKIE_WAIT/COOKIE_ECHOED: wait for writability or COMM_UP first). */
SCTPIO_API int sctpio_opt_get_status(int fd, sctp_assoc_t assoc, struct sctpio_status *out);

/*
 * sctpio_opt_get_peer_addr_info - the state of peer address addr (the port may be 0) of assoc.
 * Returns 0, -EINVAL when addr is not a peer address, or -EACCES for a potentially failed path while
 * net.sctp.pf_expose hides that state.
 */
SCTPIO_API int sctpio_opt_get_peer_addr_info(int fd, sctp_assoc_t assoc, const sctpio_addr *addr,
					     struct sctpio_paddrinfo *out);

/*
 * sctpio_opt_get_assoc_ids - SCTP_GET_ASSOC_ID_LIST of a one-to-many socket (one-to-one:
 * -EOPNOTSUPP) into out[0..max) (out may be NULL when max is 0). Returns the total number of
 * associations, which may exceed max (then only max were written), or -errno.
 */
SCTPIO_API int sctpio_opt_get_assoc_ids(int fd, sctp_assoc_t *out, size_t max);

/*
 * SCTP_PR_SUPPORTED (RFC 3758): set on the endpoint (0/1) before associations start; get on an
 * association tells whether the peer supports PR-SCTP too.
 */
SCTPIO_API int sctpio_opt_get_pr_supported(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_pr_supported(int fd, sctp_assoc_t assoc, int on);

/*
 * SCTP_DEFAULT_PRINFO: the PR-SCTP policy (enum sctpio_pr_policy, the same numbers as
 * sctpio_sndinfo.pr_policy; sctpio translates to the kernel's SCTP_PR_SCTP_* bits) and value used
 * for messages sent without PR metadata. Policy out of range: -EINVAL. get writes both (non-NULL).
 */
SCTPIO_API int sctpio_opt_get_default_prinfo(int fd, sctp_assoc_t assoc, int *policy, uint32_t *value);
SCTPIO_API int sctpio_opt_set_default_prinfo(int fd, sctp_assoc_t assoc, int policy, uint32_t value);

/* --- SCTP over UDP (RFC 6951) ---------------------------------------------------------------------- */

/*
 * SCTP_REMOTE_UDP_ENCAPS_PORT: the peer's UDP port (host order; 0: plain SCTP over IP) to which
 * packets of assoc go encapsulated in UDP - for one peer address (peer non-NULL) or the whole
 * association / the endpoint's future associations (peer NULL). The kernel's field is in network
 * order; sctpio converts. The kernel ENCAPSULATES ONLY WHEN net.sctp.udp_port (the local UDP port it
 * listens on and sends from) is non-zero when the socket is created, and the peer must run SCTP over
 * UDP too, listening on encap_port. net.sctp.encap_port is the default for new sockets, and a
 * receiver learns a peer's port from the UDP packets that reach it. get returns the port.
 */
SCTPIO_API int sctpio_opt_get_udp_encaps_port(int fd, sctp_assoc_t assoc, const sctpio_addr *peer);
SCTPIO_API int sctpio_opt_set_udp_encaps_port(int fd, sctp_assoc_t assoc, const sctpio_addr *peer, uint16_t port);

/* --- stream schedulers ----------------------------------------------------------------------------- */

/* Stream schedulers (SCTP_STREAM_SCHEDULER). FC and WFQ exist from Linux 6.2; older kernels refuse them. */
enum sctpio_sched {
	SCTPIO_SCHED_FCFS = 0, /* first come, first served: the default */
	SCTPIO_SCHED_PRIO = 1, /* strict priority per stream: lower value goes first; equal values round-robin */
	SCTPIO_SCHED_RR = 2,   /* round-robin over streams with data */
	SCTPIO_SCHED_FC = 3,   /* fair capacity (6.2+) */
	SCTPIO_SCHED_WFQ = 4,  /* weighted fair queueing, weight per stream (6.2+) */
};

/* The scheduler of assoc (or the endpoint's default for future associations). Scheduler > WFQ: -EINVAL;
 * one the kernel lacks: -EINVAL from the kernel. get returns enum sctpio_sched. */
SCTPIO_API int sctpio_opt_get_stream_scheduler(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_stream_scheduler(int fd, sctp_assoc_t assoc, int sched);

/*
 * SCTP_STREAM_SCHEDULER_VALUE: a stream's priority (PRIO) or weight (WFQ) in an existing association;
 * FCFS and RR accept and ignore it. stream must be below the outbound stream count (else -EINVAL).
 * get returns the value (0..65535).
 */
SCTPIO_API int sctpio_opt_get_stream_scheduler_value(int fd, sctp_assoc_t assoc, uint16_t stream);
SCTPIO_API int sctpio_opt_set_stream_scheduler_value(int fd, sctp_assoc_t assoc, uint16_t stream, uint16_t value);

/* --- stream reconfiguration (RFC 6525) ------------------------------------------------------------- */

/*
 * SCTP_RECONFIG_SUPPORTED: set (0/1) on the endpoint before associations start (the default is
 * net.sctp.reconf_enable, 0 on stock kernels); get on an association tells whether the PEER offered it.
 */
SCTPIO_API int sctpio_opt_get_reconfig_supported(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_reconfig_supported(int fd, sctp_assoc_t assoc, int on);

/* What SCTP_ENABLE_STREAM_RESET allows; each side must allow what its peer will request. */
enum sctpio_reset_enable {
	SCTPIO_ENABLE_RESET_STREAMS = SCTP_ENABLE_RESET_STREAM_REQ, /* sctpio_stream_reset */
	SCTPIO_ENABLE_RESET_ASSOC = SCTP_ENABLE_RESET_ASSOC_REQ,    /* sctpio_assoc_reset */
	SCTPIO_ENABLE_CHANGE_ASSOC = SCTP_ENABLE_CHANGE_ASSOC_REQ,  /* sctpio_stream_add */
};
/* get returns the enum sctpio_reset_enable bits; set takes them (others: -EINVAL). */
SCTPIO_API int sctpio_opt_get_enable_stream_reset(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_enable_stream_reset(int fd, sctp_assoc_t assoc, unsigned flags);

/* Directions for sctpio_stream_reset. */
enum sctpio_stream_reset_flags {
	SCTPIO_STREAM_RESET_IN = SCTP_STREAM_RESET_INCOMING,  /* ask the peer to reset its outgoing side */
	SCTPIO_STREAM_RESET_OUT = SCTP_STREAM_RESET_OUTGOING, /* reset our outgoing streams */
};

/*
 * sctpio_stream_reset - SCTP_RESET_STREAMS: restart the sequence numbers of streams[0..n) (n == 0:
 * every stream; streams may then be NULL) in the directions of flags. It only sends the request: the
 * result comes as an SCTP_STREAM_RESET_EVENT notification (subscribe to it), and the reset streams
 * accept no new messages until then. Returns 0, or -EINVAL (no flags, unknown flags, NULL streams with
 * n > 0, n > 65535, a stream beyond the count), -ENOPROTOOPT (the peer or this side did not enable
 * it), -EINPROGRESS (another request is outstanding), -EAGAIN (data is still queued on those streams).
 */
SCTPIO_API int sctpio_stream_reset(int fd, sctp_assoc_t assoc, unsigned flags, const uint16_t *streams, size_t n);

/*
 * sctpio_stream_add - SCTP_ADD_STREAMS: ask for add_out more outbound and add_in more inbound streams
 * (at least one non-zero, totals up to 65535). The counts change when the peer agrees, reported by an
 * SCTP_STREAM_CHANGE_EVENT. Returns 0 or -errno as sctpio_stream_reset.
 */
SCTPIO_API int sctpio_stream_add(int fd, sctp_assoc_t assoc, uint16_t add_in, uint16_t add_out);

/*
 * sctpio_assoc_reset - SCTP_RESET_ASSOC: restart the TSNs and every stream's sequence numbers of assoc,
 * both directions; the result comes as an SCTP_ASSOC_RESET_EVENT. Returns 0 or -errno as above.
 */
SCTPIO_API int sctpio_assoc_reset(int fd, sctp_assoc_t assoc);

#ifdef __cplusplus
}
#endif
#endif
