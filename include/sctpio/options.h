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
	SCTPIO_PADDR_FLOWLABEL = SPP_IPV6_FLOWLABEL,  /* ipv6_flowlabel is set (set) / was set (get) */
	SCTPIO_PADDR_DSCP = SPP_DSCP,                 /* dscp is set (set) / was set (get) */
};

/*
 * SCTP_PEER_ADDR_PARAMS for one peer address (addr), or with addr.sa.sa_family == 0 for the whole
 * association (or the endpoint's defaults). Units: ms for hb_interval and sack_delay, bytes for
 * path_mtu. get fills every field and reports the current ON/OFF flags. set changes only what it is
 * given, hiding two kernel traps: a non-zero hb_interval also turns heartbeats on (the kernel ignores
 * the interval without SPP_HB_ENABLE), and a non-zero path_mtu also turns discovery off (it ignores
 * the MTU otherwise). -EINVAL for: both ON and OFF of a pair, an unknown flag, hb_interval with
 * HB_OFF, path_mtu with PMTUD_ON or below 512, sack_delay above 500, addr of an unknown family.
 *
 * Flow label and DSCP: with SCTPIO_PADDR_FLOWLABEL the packets to that address (or every address
 * of the association, or of future associations) carry ipv6_flowlabel in their IPv6 header; with
 * SCTPIO_PADDR_DSCP they carry the code point dscp (0..63; 46 is EF) in the DS field of the IPv4
 * TOS / IPv6 traffic class byte - sctpio shifts it, the kernel's spp_dscp is the whole byte. Once
 * set they stay until set again (there is no "off"). A DSCP change applies to the next packet; the
 * flow label is taken when Linux looks up the path's route, so set it on the endpoint BEFORE the
 * association starts: set on a live association it is reported by get but the packets keep the
 * label they had until the route is looked up again. Only an AF_INET6 socket sends a flow label: an
 * AF_INET socket accepts the flag and ignores it (get then does not report it). get reports the
 * flag and the value for what was set. -EINVAL for a flow label above 0xfffff, a dscp above 63, or
 * a non-zero value without its flag.
 */
struct sctpio_paddrparams {
	sctpio_addr addr;          /* a peer address, or family 0: the association or endpoint */
	uint32_t hb_interval;      /* ms between heartbeats on idle paths; set: 0 leaves it */
	uint16_t path_max_retrans; /* retransmissions before the path is marked inactive; set: 0 leaves it */
	uint32_t path_mtu;         /* bytes; set: 0 leaves it */
	uint32_t sack_delay;       /* ms; set: 0 leaves it */
	uint32_t flags;            /* enum sctpio_paddr_flags */
	uint32_t ipv6_flowlabel;   /* with SCTPIO_PADDR_FLOWLABEL: IPv6 flow label, 20 bits */
	uint8_t dscp;              /* with SCTPIO_PADDR_DSCP: DiffServ code point, 0..63 */
	uint32_t reserved[4];      /* zero on set, zeroed by get (see sctpio/version.h) */
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
	uint32_t reserved[4]; /* zero on set, zeroed by get (see sctpio/version.h) */
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
	uint32_t reserved[4]; /* zeroed (see sctpio/version.h) */
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
	uint32_t reserved[4]; /* zeroed (see sctpio/version.h) */
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

/* --- paths: primary, thresholds, potentially failed (RFC 7829), PLPMTUD (src/paths.c) ------------- */

/*
 * sctpio_opt_get_primary_addr - SCTP_PRIMARY_ADDR: the peer address assoc sends new data to (change
 * it with sctpio_sock_set_primary). Writes *out (non-NULL). Returns 0, or -EINVAL when there is no
 * such association (an unconnected one-to-one socket too).
 */
SCTPIO_API int sctpio_opt_get_primary_addr(int fd, sctp_assoc_t assoc, sctpio_addr *out);

/*
 * sctpio_opt_set_peer_primary_addr - SCTP_SET_PEER_PRIMARY_ADDR: ask the PEER, by an ASCONF Set
 * Primary Address request (RFC 5061), to send to our local address `local` by default. It needs
 * ASCONF negotiated on assoc: both endpoints set SCTP_AUTH_SUPPORTED and then SCTP_ASCONF_SUPPORTED
 * (or the sysctls net.sctp.auth_enable and addip_enable) before the association starts; see
 * sctpio_opt_set_asconf_supported for what happens without AUTH. Returns 0 once
 * the request is queued; the peer's primary changes when it processes it, and it is told by an
 * SCTP_PEER_ADDR_CHANGE with state SCTP_ADDR_MADE_PRIM. -EPERM without ASCONF, -EADDRNOTAVAIL when
 * local is not one of the association's local addresses, -EINVAL for a NULL or unknown-family local.
 */
SCTPIO_API int sctpio_opt_set_peer_primary_addr(int fd, sctp_assoc_t assoc, const sctpio_addr *local);

/* ps_threshold value that turns primary switchover off (the kernel's default, net.sctp.ps_retrans). */
#define SCTPIO_PS_OFF 0xffff

/* Flags of struct sctpio_paddrthlds. */
enum sctpio_paddrthlds_flags {
	SCTPIO_THLDS_PS = 1 << 0, /* ps_threshold is valid: set writes it, get found it (Linux 5.5+) */
};

/*
 * Path failure thresholds (SCTP_PEER_ADDR_THLDS and SCTP_PEER_ADDR_THLDS_V2), for one peer address
 * (addr) or with addr.sa.sa_family == 0 for every path of the association (or the endpoint's
 * defaults). Counts are consecutive timeouts (T3-rtx or unanswered heartbeats) on a path:
 *  - more than path_max_retrans: the path is INACTIVE (SCTP_ADDR_UNREACHABLE);
 *  - more than pf_threshold: it is POTENTIALLY FAILED (RFC 7829; state SCTP_PF): new data and
 *    retransmissions move to another active path at once, and the path is probed by heartbeats
 *    every RTO until it answers (ACTIVE again) or reaches path_max_retrans. The Linux default 0 goes
 *    PF at the first timeout; pf_threshold >= path_max_retrans turns PF off. With PF off, new data
 *    keeps going to a dead primary until it is INACTIVE.
 *  - ps_threshold (RFC 7829 section 5, primary path switchover): on the primary path, this many
 *    timeouts make another active path the primary, and it stays so when the old one recovers;
 *    SCTPIO_PS_OFF never.
 * set: path_max_retrans 0 leaves it unchanged; pf_threshold is always written (get first to change
 * one field only); ps_threshold only with SCTPIO_THLDS_PS (through THLDS_V2; without the flag the
 * older SCTP_PEER_ADDR_THLDS, which leaves switchover alone). -EINVAL for unknown flags, an unknown
 * address family, or ps_threshold below pf_threshold (the kernel's rule); -ENOENT for an address that
 * is not a peer address of assoc. get fills every field and sets SCTPIO_THLDS_PS when the kernel
 * reported ps_threshold. Return 0 or -errno.
 */
struct sctpio_paddrthlds {
	sctpio_addr addr;          /* a peer address, or family 0: every path / the endpoint */
	uint16_t path_max_retrans; /* timeouts before INACTIVE; set: 0 leaves it */
	uint16_t pf_threshold;     /* timeouts before POTENTIALLY FAILED */
	uint16_t ps_threshold;     /* timeouts of the primary before switchover; with SCTPIO_THLDS_PS */
	uint32_t flags;            /* enum sctpio_paddrthlds_flags */
	uint32_t reserved[4];      /* zero on set, zeroed by get (see sctpio/version.h) */
};
SCTPIO_API int sctpio_opt_get_paddrthlds(int fd, sctp_assoc_t assoc, struct sctpio_paddrthlds *t);
SCTPIO_API int sctpio_opt_set_paddrthlds(int fd, sctp_assoc_t assoc, const struct sctpio_paddrthlds *t);

/* Who learns that a path is potentially failed (SCTP_EXPOSE_POTENTIALLY_FAILED_STATE, Linux 5.5+). */
enum sctpio_pf_expose {
	SCTPIO_PF_EXPOSE_UNSET = 0,   /* the default (net.sctp.pf_expose): sctpio_opt_get_peer_addr_info
				       * reports SCTP_PF */
	SCTPIO_PF_EXPOSE_DISABLE = 1, /* hidden: no notification, and get_peer_addr_info of a PF path
				       * gives -EACCES */
	SCTPIO_PF_EXPOSE_ENABLE = 2,  /* as UNSET, and also notified: SCTP_PEER_ADDR_CHANGE with state
				       * SCTP_ADDR_POTENTIALLY_FAILED */
};
/* get returns enum sctpio_pf_expose for assoc (or the endpoint's default for future associations);
 * set takes it (others: -EINVAL) and returns 0. */
SCTPIO_API int sctpio_opt_get_pf_expose(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_pf_expose(int fd, sctp_assoc_t assoc, int how);

/*
 * SCTP_PLPMTUD_PROBE_INTERVAL (RFC 8899 packetization-layer path MTU discovery, Linux 5.13+): the
 * milliseconds between probes on path peer (NULL: every path of assoc, or the endpoint's default).
 * 0 turns PLPMTUD off (the default, net.sctp.plpmtud_probe_interval); otherwise the kernel requires
 * at least 5000 (-EINVAL below). get returns the interval in ms; set returns 0.
 */
SCTPIO_API int sctpio_opt_get_plpmtud_probe_interval(int fd, sctp_assoc_t assoc, const sctpio_addr *peer);
SCTPIO_API int sctpio_opt_set_plpmtud_probe_interval(int fd, sctp_assoc_t assoc, const sctpio_addr *peer,
						     uint32_t ms);

/* --- tunables and extensions (src/tunables.c) ------------------------------------------------------ */

/*
 * SCTP_DISABLE_FRAGMENTS, socket-wide: 1 makes sctpio_send refuse (-EMSGSIZE) a message larger than
 * the association's fragmentation point (sctpio_status.frag_point) instead of splitting it into
 * several DATA chunks. get returns 0 or 1; set takes 0 or 1 (else -EINVAL).
 */
SCTPIO_API int sctpio_opt_get_disable_fragments(int fd);
SCTPIO_API int sctpio_opt_set_disable_fragments(int fd, int on);

/*
 * SCTP_DELAYED_SACK (alias SCTP_DELAYED_ACK_TIME): how assoc (or future associations) acknowledges
 * what it receives. A SACK goes out after freq packets carrying data or delay_ms milliseconds,
 * whichever comes first; freq 1 sends one for every such packet (delayed SACK off). Defaults:
 * net.sctp.sack_timeout (200 ms) and 2. set: a 0 argument leaves that value unchanged; delay_ms
 * above 500 is -EINVAL (the kernel's RFC 4960 limit). get writes both (non-NULL); while delayed SACK
 * is off it reports delay 0 and freq 1, as the kernel does. Return 0 or -errno.
 */
SCTPIO_API int sctpio_opt_get_delayed_sack(int fd, sctp_assoc_t assoc, uint32_t *delay_ms, uint32_t *freq);
SCTPIO_API int sctpio_opt_set_delayed_sack(int fd, sctp_assoc_t assoc, uint32_t delay_ms, uint32_t freq);

/*
 * SCTP_CONTEXT: a value of the receiver's own choosing that the kernel puts in sctpio_rcvinfo.context
 * of every message received on assoc (on the endpoint: the default for future associations). It is
 * never sent; it lets a one-to-many server tag its associations. get writes *context (non-NULL).
 * Return 0 or -errno.
 */
SCTPIO_API int sctpio_opt_get_context(int fd, sctp_assoc_t assoc, uint32_t *context);
SCTPIO_API int sctpio_opt_set_context(int fd, sctp_assoc_t assoc, uint32_t context);

/*
 * SCTP_MAX_BURST: at most this many packets go out at once on assoc when the congestion window
 * allows more (0: no limit). Default net.sctp.max_burst (4). get returns it; set returns 0.
 */
SCTPIO_API int sctpio_opt_get_max_burst(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_max_burst(int fd, sctp_assoc_t assoc, uint32_t packets);

/*
 * SCTP_REUSE_PORT (RFC 6458 8.1.27; not SO_REUSEPORT, see sctpio_opt_set_reuseport): one-to-one
 * sockets only (one-to-many: -EOPNOTSUPP), set before bind. Sockets that all set it may bind the same
 * address and port while none of them listens (without it the second bind gives -EADDRINUSE); one
 * of them may then listen, after which the others' listen and any new bind there give -EADDRINUSE.
 * After bind the kernel refuses it with EFAULT, which sctpio reports as -EINVAL (its buffer is
 * fine). get returns 0 or 1; set takes 0 or 1.
 */
SCTPIO_API int sctpio_opt_get_sctp_reuse_port(int fd);
SCTPIO_API int sctpio_opt_set_sctp_reuse_port(int fd, int on);

/*
 * SCTP_I_WANT_MAPPED_V4_ADDR, on AF_INET6 sockets: 1 makes the kernel write IPv4 peers as v4-mapped
 * IPv6 (::ffff:a.b.c.d) in recvmsg's msg_name and in its address lists; 0 (what sctpio_sock_open
 * sets) as plain AF_INET. sctpio's own functions report AF_INET either way; this matters to code that
 * calls recvmsg(2) itself. An AF_INET socket keeps the value and ignores it. get returns 0 or 1.
 */
SCTPIO_API int sctpio_opt_get_mapped_v4(int fd);
SCTPIO_API int sctpio_opt_set_mapped_v4(int fd, int on);

/*
 * SCTP_RECVRCVINFO: 1 (what sctpio_sock_open sets) attaches the SCTP_RCVINFO of each message, which
 * sctpio_recv turns into sctpio_rcvinfo's stream, ppid, tsn and the rest (SCTPIO_MSG_HAS_INFO); 0
 * leaves them out, so only flags and the sender's address are filled. get returns 0 or 1.
 */
SCTPIO_API int sctpio_opt_get_recvrcvinfo(int fd);
SCTPIO_API int sctpio_opt_set_recvrcvinfo(int fd, int on);

/*
 * sctpio_opt_get_event - SCTP_EVENT get: 1 when notifications of type (SCTP_ASSOC_CHANGE ...
 * SCTP_SEND_FAILED_EVENT) are on for assoc (or the endpoint), 0 when off. Turn them on and off with
 * sctpio_sock_subscribe (sctpio/notify.h). An unknown type: -EINVAL.
 */
SCTPIO_API int sctpio_opt_get_event(int fd, sctp_assoc_t assoc, uint16_t type);

/*
 * Extensions negotiated in INIT/INIT-ACK. Each set takes 0 or 1 for the endpoint (assoc
 * SCTP_FUTURE_ASSOC, or a one-to-one socket) and applies to associations set up AFTER it; get on an
 * association returns whether the PEER offered the extension too (the extension is used only then),
 * on the endpoint what was set. Return 0/1 (get), 0 (set) or -errno.
 *  - SCTP_ECN_SUPPORTED: explicit congestion notification; default net.sctp.ecn_enable (1).
 *  - SCTP_ASCONF_SUPPORTED: dynamic address reconfiguration (RFC 5061: adding and removing
 *    addresses of a live association, sctpio_opt_set_peer_primary_addr); default
 *    net.sctp.addip_enable (0). Linux uses it only with SCTP-AUTH (sctpio/auth.h): set
 *    AUTH_SUPPORTED on both sides first, then this (it then adds ASCONF and ASCONF-ACK to the chunks
 *    that must be authenticated). Unless net.sctp.addip_noauth_enable is 1, an endpoint with ASCONF
 *    refuses a peer that offers ASCONF without AUTH: that peer's connect fails with -ECONNREFUSED.
 *  - SCTP_INTERLEAVING_SUPPORTED: I-DATA (RFC 8260), which lets the pieces of messages on different
 *    streams interleave, so that a large message on one stream does not hold back the others (the
 *    sender needs a scheduler that switches streams, SCTPIO_SCHED_RR or PRIO, for that to happen).
 *    The kernel refuses set (-EPERM) unless BOTH the sysctl net.sctp.intl_enable is 1 (per network
 *    namespace, default 0) AND fragment interleave is on (sctpio_opt_set_fragment_interleave(fd, 2))
 *    first. A receiver with I-DATA gets pieces of messages of several streams mixed: each piece's
 *    sctpio_rcvinfo.stream says which message it belongs to, SCTPIO_MSG_MORE that more follow. Take
 *    the PPID from a message's first piece: under I-DATA, Linux 6.1 reports other values (the
 *    fragment's sequence number) in the ppid of the pieces after it.
 */
SCTPIO_API int sctpio_opt_get_ecn_supported(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_ecn_supported(int fd, sctp_assoc_t assoc, int on);
SCTPIO_API int sctpio_opt_get_asconf_supported(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_asconf_supported(int fd, sctp_assoc_t assoc, int on);
SCTPIO_API int sctpio_opt_get_interleaving_supported(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_interleaving_supported(int fd, sctp_assoc_t assoc, int on);

/*
 * SCTP_AUTO_ASCONF: 1 makes a socket bound to the wildcard address (INADDR_ANY / in6addr_any)
 * announce the host's own address changes to its peers by ASCONF (where ASCONF was negotiated).
 * Default net.sctp.default_auto_asconf (0). set 1 on a socket not bound to the wildcard (unbound
 * included): -EINVAL. get returns 0 or 1.
 */
SCTPIO_API int sctpio_opt_get_auto_asconf(int fd);
SCTPIO_API int sctpio_opt_set_auto_asconf(int fd, int on);

/* --- statistics and PR-SCTP status (src/stats.c) --------------------------------------------------- */

/*
 * SCTP_GET_ASSOC_STATS: counters of association assoc since it started. Chunk counts are DATA chunks
 * (a message larger than the fragmentation point is several). max_rto_ticks is the highest RTO of
 * any path since the previous call, in kernel ticks (jiffies, CONFIG_HZ a second) like
 * sctpio_paddrinfo.srtt_ticks - not milliseconds - and max_rto_addr that path. Returns 0, or -EINVAL
 * when there is no such association (an unconnected socket too); *out is written whole.
 */
struct sctpio_assoc_stats {
	sctpio_addr max_rto_addr;
	uint64_t max_rto_ticks;
	uint64_t sacks_in, sacks_out;         /* SACK chunks received / sent */
	uint64_t packets_in, packets_out;     /* SCTP packets */
	uint64_t rtx_chunks;                  /* DATA chunks retransmitted */
	uint64_t out_of_seq_tsns;             /* DATA received with a TSN beyond the next expected */
	uint64_t dup_chunks_in;               /* duplicate DATA received */
	uint64_t gap_acks_in;                 /* SACKs received that reported gaps */
	uint64_t unordered_in, unordered_out; /* unordered DATA chunks */
	uint64_t ordered_in, ordered_out;     /* ordered DATA chunks */
	uint64_t ctrl_in, ctrl_out;           /* control chunks */
	uint64_t reserved[4];                 /* zeroed (see sctpio/version.h) */
};
SCTPIO_API int sctpio_opt_get_assoc_stats(int fd, sctp_assoc_t assoc, struct sctpio_assoc_stats *out);

/* For sctpio_opt_get_pr_*_status: the sum over every PR-SCTP policy. */
#define SCTPIO_PR_ALL 4

/* Messages (not chunks) of one PR-SCTP policy that the sender gave up (RFC 7496). */
struct sctpio_pr_status {
	uint64_t abandoned_unsent; /* expired or pruned before they were ever transmitted */
	uint64_t abandoned_sent;   /* transmitted at least once, then given up (FORWARD-TSN): the peer
				    * may have received it anyway, its acknowledgement not yet back */
	uint64_t reserved[2];      /* zeroed (see sctpio/version.h) */
};

/*
 * sctpio_opt_get_pr_assoc_status / sctpio_opt_get_pr_stream_status - SCTP_PR_ASSOC_STATUS and
 * SCTP_PR_STREAM_STATUS: what the sending side of assoc abandoned under policy (SCTPIO_PR_TTL,
 * SCTPIO_PR_RTX, SCTPIO_PR_PRIO, or SCTPIO_PR_ALL for their sum), for the whole association or for one
 * outbound stream. The counts only grow. Returns
 * 0 with *out written, or -EINVAL (policy SCTPIO_PR_NONE or out of range, NULL out, no such
 * association, stream not below the outbound stream count).
 */
SCTPIO_API int sctpio_opt_get_pr_assoc_status(int fd, sctp_assoc_t assoc, int policy, struct sctpio_pr_status *out);
SCTPIO_API int sctpio_opt_get_pr_stream_status(int fd, sctp_assoc_t assoc, uint16_t stream, int policy,
					       struct sctpio_pr_status *out);

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
