// SPDX-License-Identifier: MIT
/*
 * options.c - typed get/set of socket and association options. Each wrapper exists to take away one
 * of the kernel's traps: network-order fields, packed sockaddr_storage, "0 means unchanged" fields
 * that need a flag to take effect, PR policies numbered differently from the send path, buffers the
 * kernel doubles. Stream scheduling, reconfiguration and UDP encapsulation live in streams.c.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

int sctpio_opt_get(int fd, int level, int name, void *buf, size_t len)
{
	if (fd < 0)
		return -EBADF;
	if ((len && !buf) || len > INT_MAX)
		return -EINVAL;
	socklen_t l = (socklen_t)len;
	if (getsockopt(fd, level, name, buf, &l) < 0)
		return sctpio__err();
	return (int)l;
}

int sctpio_opt_set(int fd, int level, int name, const void *buf, size_t len)
{
	if (fd < 0)
		return -EBADF;
	if ((len && !buf) || len > INT_MAX)
		return -EINVAL;
	return setsockopt(fd, level, name, buf, (socklen_t)len) < 0 ? sctpio__err() : 0;
}

static int get_int(int fd, int level, int name)
{
	int v = 0;
	int rc = sctpio_opt_get(fd, level, name, &v, sizeof(v));
	return rc < 0 ? rc : v;
}

static int set_int(int fd, int level, int name, int v)
{
	return sctpio_opt_set(fd, level, name, &v, sizeof(v));
}

/* The kernel stores on/off options as any non-zero int; report them as exactly 0 or 1. */
static int get_bool(int fd, int level, int name)
{
	int v = get_int(fd, level, name);
	return v < 0 ? v : !!v;
}

static int set_bool(int fd, int level, int name, int on)
{
	if (on != 0 && on != 1)
		return -EINVAL;
	return set_int(fd, level, name, on);
}

/* Options carried in struct sctp_assoc_value (shared with the other option files through internal.h). */
int sctpio__av_get(int fd, int name, sctp_assoc_t assoc, uint32_t *value)
{
	struct sctp_assoc_value av = { .assoc_id = assoc };
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, name, &av, sizeof(av));
	if (rc < 0)
		return rc;
	*value = av.assoc_value;
	return 0;
}

int sctpio__av_set(int fd, int name, sctp_assoc_t assoc, uint32_t value)
{
	struct sctp_assoc_value av = { .assoc_id = assoc, .assoc_value = value };
	return sctpio_opt_set(fd, IPPROTO_SCTP, name, &av, sizeof(av));
}

/* Copy a kernel address into a sctpio_addr, turning v4-mapped IPv6 back into plain IPv4 so that it
 * compares equal to what the caller parsed (a dual-stack socket reports IPv4 peers mapped). */
void sctpio__addr_from_kernel(sctpio_addr *out, const void *kaddr)
{
	struct sockaddr_storage ssbuf, *ss = &ssbuf;

	memcpy(ss, kaddr, sizeof(*ss)); /* the kernel's field may be unaligned (packed structs) */
	memset(out, 0, sizeof(*out));
	if (ss->ss_family == AF_INET) {
		memcpy(&out->sin, ss, sizeof(out->sin));
	} else if (ss->ss_family == AF_INET6) {
		struct sockaddr_in6 s6;
		memcpy(&s6, ss, sizeof(s6));
		if (IN6_IS_ADDR_V4MAPPED(&s6.sin6_addr)) {
			out->sin.sin_family = AF_INET;
			out->sin.sin_port = s6.sin6_port;
			memcpy(&out->sin.sin_addr, &s6.sin6_addr.s6_addr[12], 4);
		} else {
			out->sin6 = s6;
		}
	}
}

/* Copy a caller's address (NULL or family 0: none) into a kernel sockaddr_storage; -EINVAL for an
 * unknown family. The kernel structs are packed, so the copy goes through memcpy. */
int sctpio__addr_to_kernel(void *ss, const sctpio_addr *a)
{
	memset(ss, 0, sizeof(struct sockaddr_storage));
	if (!a || a->sa.sa_family == 0)
		return 0;
	socklen_t l = sctpio_addr_len(a);
	if (!l)
		return -EINVAL;
	memcpy(ss, a, l);
	return 0;
}

/* --- on/off ---------------------------------------------------------------------------------------- */

int sctpio_opt_get_nodelay(int fd)
{
	return get_bool(fd, IPPROTO_SCTP, SCTP_NODELAY);
}

int sctpio_opt_set_nodelay(int fd, int on)
{
	return set_bool(fd, IPPROTO_SCTP, SCTP_NODELAY, on);
}

int sctpio_opt_get_recvnxtinfo(int fd)
{
	return get_bool(fd, IPPROTO_SCTP, SCTP_RECVNXTINFO);
}

int sctpio_opt_set_recvnxtinfo(int fd, int on)
{
	return set_bool(fd, IPPROTO_SCTP, SCTP_RECVNXTINFO, on);
}

int sctpio_opt_get_reuseaddr(int fd)
{
	return get_bool(fd, SOL_SOCKET, SO_REUSEADDR);
}

int sctpio_opt_set_reuseaddr(int fd, int on)
{
	return set_bool(fd, SOL_SOCKET, SO_REUSEADDR, on);
}

int sctpio_opt_get_reuseport(int fd)
{
	return get_bool(fd, SOL_SOCKET, SO_REUSEPORT);
}

int sctpio_opt_set_reuseport(int fd, int on)
{
	return set_bool(fd, SOL_SOCKET, SO_REUSEPORT, on);
}

/* --- socket-wide values ---------------------------------------------------------------------------- */

int sctpio_opt_get_rcvbuf(int fd)
{
	return get_int(fd, SOL_SOCKET, SO_RCVBUF);
}

int sctpio_opt_set_rcvbuf(int fd, int bytes)
{
	if (bytes < 0)
		return -EINVAL;
	return set_int(fd, SOL_SOCKET, SO_RCVBUF, bytes);
}

int sctpio_opt_get_sndbuf(int fd)
{
	return get_int(fd, SOL_SOCKET, SO_SNDBUF);
}

int sctpio_opt_set_sndbuf(int fd, int bytes)
{
	if (bytes < 0)
		return -EINVAL;
	return set_int(fd, SOL_SOCKET, SO_SNDBUF, bytes);
}

int sctpio_opt_get_linger(int fd, int *on, int *seconds)
{
	struct linger lg = { 0 };

	if (!on || !seconds)
		return -EINVAL;
	int rc = sctpio_opt_get(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (rc < 0)
		return rc;
	*on = !!lg.l_onoff;
	*seconds = lg.l_linger;
	return 0;
}

int sctpio_opt_set_linger(int fd, int on, int seconds)
{
	if ((on != 0 && on != 1) || seconds < 0)
		return -EINVAL;
	struct linger lg = { .l_onoff = on, .l_linger = seconds };
	return sctpio_opt_set(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

int sctpio_opt_get_autoclose(int fd)
{
	return get_int(fd, IPPROTO_SCTP, SCTP_AUTOCLOSE);
}

int sctpio_opt_set_autoclose(int fd, int seconds)
{
	if (seconds < 0)
		return -EINVAL;
	return set_int(fd, IPPROTO_SCTP, SCTP_AUTOCLOSE, seconds);
}

int sctpio_opt_get_fragment_interleave(int fd)
{
	return get_bool(fd, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE);
}

int sctpio_opt_set_fragment_interleave(int fd, int level)
{
	if (level < 0 || level > 2)
		return -EINVAL;
	return set_int(fd, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, level);
}

int sctpio_opt_get_partial_delivery_point(int fd)
{
	uint32_t v = 0;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, &v, sizeof(v));
	if (rc < 0)
		return rc;
	return v > INT_MAX ? INT_MAX : (int)v;
}

int sctpio_opt_set_partial_delivery_point(int fd, uint32_t bytes)
{
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, &bytes, sizeof(bytes));
}

int sctpio_opt_get_adaptation_layer(int fd, uint32_t *ind)
{
	struct sctp_setadaptation a = { 0 };

	if (!ind)
		return -EINVAL;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, &a, sizeof(a));
	if (rc < 0)
		return rc;
	*ind = a.ssb_adaptation_ind;
	return 0;
}

int sctpio_opt_set_adaptation_layer(int fd, uint32_t ind)
{
	struct sctp_setadaptation a = { .ssb_adaptation_ind = ind };
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, &a, sizeof(a));
}

int sctpio_opt_get_initmsg(int fd, struct sctp_initmsg *out)
{
	struct sctp_initmsg im = { 0 };

	if (!out)
		return -EINVAL;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im));
	if (rc < 0)
		return rc;
	*out = im;
	return 0;
}

int sctpio_opt_set_initmsg(int fd, const struct sctp_initmsg *in)
{
	if (!in)
		return -EINVAL;
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_INITMSG, in, sizeof(*in));
}

/* --- per association ------------------------------------------------------------------------------- */

int sctpio_opt_get_rtoinfo(int fd, sctp_assoc_t assoc, struct sctp_rtoinfo *out)
{
	struct sctp_rtoinfo r = { .srto_assoc_id = assoc };

	if (!out)
		return -EINVAL;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_RTOINFO, &r, sizeof(r));
	if (rc < 0)
		return rc;
	*out = r;
	return 0;
}

int sctpio_opt_set_rtoinfo(int fd, sctp_assoc_t assoc, const struct sctp_rtoinfo *in)
{
	if (!in)
		return -EINVAL;
	struct sctp_rtoinfo r = *in;
	/* Check what the caller gave against itself; the kernel checks it again against the current values. */
	if (r.srto_min && r.srto_max && r.srto_min > r.srto_max)
		return -EINVAL;
	if (r.srto_initial && ((r.srto_min && r.srto_initial < r.srto_min) || (r.srto_max && r.srto_initial > r.srto_max)))
		return -EINVAL;
	r.srto_assoc_id = assoc;
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_RTOINFO, &r, sizeof(r));
}

int sctpio_opt_get_associnfo(int fd, sctp_assoc_t assoc, struct sctp_assocparams *out)
{
	struct sctp_assocparams a = { .sasoc_assoc_id = assoc };

	if (!out)
		return -EINVAL;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_ASSOCINFO, &a, sizeof(a));
	if (rc < 0)
		return rc;
	*out = a;
	return 0;
}

int sctpio_opt_set_associnfo(int fd, sctp_assoc_t assoc, const struct sctp_assocparams *in)
{
	if (!in)
		return -EINVAL;
	struct sctp_assocparams a = *in;
	a.sasoc_assoc_id = assoc;
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_ASSOCINFO, &a, sizeof(a));
}

int sctpio_opt_get_paddrparams(int fd, sctp_assoc_t assoc, struct sctpio_paddrparams *p)
{
	struct sctp_paddrparams k;
	int rc;

	if (!p)
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	if ((rc = sctpio__addr_to_kernel(&k.spp_address, &p->addr)) < 0)
		return rc;
	k.spp_assoc_id = assoc;
	if ((rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &k, sizeof(k))) < 0)
		return rc;
	sctpio_addr a = p->addr;
	memset(p, 0, sizeof(*p));
	p->addr = a;
	p->hb_interval = k.spp_hbinterval;
	p->path_max_retrans = k.spp_pathmaxrxt;
	p->path_mtu = k.spp_pathmtu;
	p->sack_delay = k.spp_sackdelay;
	p->flags = k.spp_flags & (SPP_HB | SPP_PMTUD | SPP_SACKDELAY | SPP_IPV6_FLOWLABEL | SPP_DSCP);
	if (k.spp_flags & SPP_IPV6_FLOWLABEL)
		p->ipv6_flowlabel = k.spp_ipv6_flowlabel & 0xfffff;
	if (k.spp_flags & SPP_DSCP)
		p->dscp = (uint8_t)(k.spp_dscp >> 2); /* the kernel keeps the TOS byte; sctpio speaks code points */
	return 0;
}

int sctpio_opt_set_paddrparams(int fd, sctp_assoc_t assoc, const struct sctpio_paddrparams *p)
{
	const uint32_t known = SPP_HB | SPP_HB_DEMAND | SPP_PMTUD | SPP_SACKDELAY | SPP_HB_TIME_IS_ZERO |
			       SPP_IPV6_FLOWLABEL | SPP_DSCP;
	struct sctp_paddrparams k;
	int rc;

	if (!p)
		return -EINVAL;
	uint32_t f = p->flags;
	if ((f & ~known) || (f & SPP_HB) == SPP_HB || (f & SPP_PMTUD) == SPP_PMTUD ||
	    (f & SPP_SACKDELAY) == SPP_SACKDELAY)
		return -EINVAL;
	if ((p->hb_interval || (f & SPP_HB_TIME_IS_ZERO)) && (f & SPP_HB_DISABLE))
		return -EINVAL;
	if (p->path_mtu && ((f & SPP_PMTUD_ENABLE) || p->path_mtu < 512))
		return -EINVAL;
	if (p->sack_delay > 500)
		return -EINVAL;
	/* A value without its flag would be ignored by the kernel, and one out of range silently masked. */
	if ((p->ipv6_flowlabel && !(f & SPP_IPV6_FLOWLABEL)) || p->ipv6_flowlabel > 0xfffff ||
	    (p->dscp && !(f & SPP_DSCP)) || p->dscp > 63)
		return -EINVAL;
	/* The kernel reads the interval only with SPP_HB_ENABLE and a fixed MTU only with
	 * SPP_PMTUD_DISABLE; a caller who gives a value means it to take effect. */
	if (p->hb_interval || (f & SPP_HB_TIME_IS_ZERO))
		f |= SPP_HB_ENABLE;
	if (p->path_mtu)
		f |= SPP_PMTUD_DISABLE;
	memset(&k, 0, sizeof(k));
	if ((rc = sctpio__addr_to_kernel(&k.spp_address, &p->addr)) < 0)
		return rc;
	k.spp_assoc_id = assoc;
	k.spp_hbinterval = p->hb_interval;
	k.spp_pathmaxrxt = p->path_max_retrans;
	k.spp_pathmtu = p->path_mtu;
	k.spp_sackdelay = p->sack_delay;
	k.spp_flags = f;
	k.spp_ipv6_flowlabel = p->ipv6_flowlabel;
	k.spp_dscp = (uint8_t)(p->dscp << 2);
	/* The whole struct, flow label and DSCP included: the kernel accepts those two flags only then. */
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &k, sizeof(k));
}

int sctpio_opt_get_default_sndinfo(int fd, sctp_assoc_t assoc, struct sctpio_default_sndinfo *out)
{
	struct sctp_sndinfo s = { .snd_assoc_id = assoc };

	if (!out)
		return -EINVAL;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &s, sizeof(s));
	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->stream = s.snd_sid;
	out->flags = (s.snd_flags & SCTP_UNORDERED) ? SCTPIO_UNORDERED : 0;
	out->ppid = ntohl(s.snd_ppid);
	out->context = s.snd_context;
	return 0;
}

int sctpio_opt_set_default_sndinfo(int fd, sctp_assoc_t assoc, const struct sctpio_default_sndinfo *in)
{
	/* Only UNORDERED makes sense as a default: a default EOF or ABORT would end every association
	 * after its next message, and ADDR_OVER needs an address this option cannot carry. */
	if (!in || (in->flags & ~SCTPIO_UNORDERED))
		return -EINVAL;
	struct sctp_sndinfo s = {
		.snd_sid = in->stream,
		.snd_flags = (in->flags & SCTPIO_UNORDERED) ? SCTP_UNORDERED : 0,
		.snd_ppid = htonl(in->ppid),
		.snd_context = in->context,
		.snd_assoc_id = assoc,
	};
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &s, sizeof(s));
}

int sctpio_opt_get_maxseg(int fd, sctp_assoc_t assoc)
{
	uint32_t v;
	int rc = sctpio__av_get(fd, SCTP_MAXSEG, assoc, &v);
	return rc < 0 ? rc : (v > INT_MAX ? INT_MAX : (int)v);
}

int sctpio_opt_set_maxseg(int fd, sctp_assoc_t assoc, uint32_t bytes)
{
	return sctpio__av_set(fd, SCTP_MAXSEG, assoc, bytes);
}

static void paddrinfo_from_kernel(struct sctpio_paddrinfo *out, const struct sctp_paddrinfo *k)
{
	sctpio__addr_from_kernel(&out->addr, &k->spinfo_address);
	out->state = k->spinfo_state;
	out->cwnd = k->spinfo_cwnd;
	out->srtt_ticks = k->spinfo_srtt;
	out->rto = k->spinfo_rto;
	out->mtu = k->spinfo_mtu;
}

int sctpio_opt_get_status(int fd, sctp_assoc_t assoc, struct sctpio_status *out)
{
	struct sctp_status s;

	if (!out)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	s.sstat_assoc_id = assoc;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_STATUS, &s, sizeof(s));
	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->assoc_id = s.sstat_assoc_id;
	out->state = s.sstat_state;
	out->rwnd = s.sstat_rwnd;
	out->unacked = s.sstat_unackdata;
	out->pending = s.sstat_penddata;
	out->in_streams = s.sstat_instrms;
	out->out_streams = s.sstat_outstrms;
	out->frag_point = s.sstat_fragmentation_point;
	paddrinfo_from_kernel(&out->primary, &s.sstat_primary);
	return 0;
}

int sctpio_opt_get_peer_addr_info(int fd, sctp_assoc_t assoc, const sctpio_addr *addr, struct sctpio_paddrinfo *out)
{
	struct sctp_paddrinfo k;
	int rc;

	if (!addr || !out || !sctpio_addr_len(addr))
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	if ((rc = sctpio__addr_to_kernel(&k.spinfo_address, addr)) < 0)
		return rc;
	k.spinfo_assoc_id = assoc;
	if ((rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &k, sizeof(k))) < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	paddrinfo_from_kernel(out, &k);
	return 0;
}

int sctpio_opt_get_assoc_ids(int fd, sctp_assoc_t *out, size_t max)
{
	if (max && !out)
		return -EINVAL;
	/* The kernel refuses (EINVAL) a buffer smaller than the whole list rather than truncating, and the
	 * list can grow between two calls, so size it from SCTP_GET_ASSOC_NUMBER and retry if it grew. */
	for (int tries = 0; tries < 8; tries++) {
		uint32_t num = 0;
		int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &num, sizeof(num));
		if (rc < 0)
			return rc;
		size_t room = (size_t)num + 8 + (size_t)tries * 64;
		size_t len = sizeof(struct sctp_assoc_ids) + room * sizeof(sctp_assoc_t);
		struct sctp_assoc_ids *ids = calloc(1, len);
		if (!ids)
			return -ENOMEM;
		rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, ids, len);
		if (rc == -EINVAL) {
			free(ids);
			continue;
		}
		if (rc < 0) {
			free(ids);
			return rc;
		}
		uint32_t n = ids->gaids_number_of_ids;
		if (n > room)
			n = (uint32_t)room;
		for (size_t i = 0; i < n && i < max; i++)
			out[i] = ids->gaids_assoc_id[i];
		free(ids);
		return n > INT_MAX ? INT_MAX : (int)n;
	}
	return -EAGAIN;
}

int sctpio_opt_get_pr_supported(int fd, sctp_assoc_t assoc)
{
	uint32_t v;
	int rc = sctpio__av_get(fd, SCTP_PR_SUPPORTED, assoc, &v);
	return rc < 0 ? rc : !!v;
}

int sctpio_opt_set_pr_supported(int fd, sctp_assoc_t assoc, int on)
{
	if (on != 0 && on != 1)
		return -EINVAL;
	return sctpio__av_set(fd, SCTP_PR_SUPPORTED, assoc, (uint32_t)on);
}

/* sctpio numbers PR policies 0..3 as RFC 7496 does; the kernel keeps them in bits 4-5 of a flag word. */
_Static_assert(SCTP_PR_SCTP_TTL == SCTPIO_PR_TTL << 4 && SCTP_PR_SCTP_RTX == SCTPIO_PR_RTX << 4 &&
		       SCTP_PR_SCTP_PRIO == SCTPIO_PR_PRIO << 4,
	       "PR-SCTP policy numbering");

int sctpio_opt_get_default_prinfo(int fd, sctp_assoc_t assoc, int *policy, uint32_t *value)
{
	struct sctp_default_prinfo p = { .pr_assoc_id = assoc };

	if (!policy || !value)
		return -EINVAL;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &p, sizeof(p));
	if (rc < 0)
		return rc;
	*policy = SCTP_PR_POLICY(p.pr_policy) >> 4;
	*value = p.pr_value;
	return 0;
}

int sctpio_opt_set_default_prinfo(int fd, sctp_assoc_t assoc, int policy, uint32_t value)
{
	if (policy < SCTPIO_PR_NONE || policy > SCTPIO_PR_PRIO)
		return -EINVAL;
	/* memset: the struct's padding would otherwise reach the kernel uninitialised. */
	struct sctp_default_prinfo p;
	memset(&p, 0, sizeof(p));
	p.pr_assoc_id = assoc;
	p.pr_value = value;
	p.pr_policy = (uint16_t)(policy << 4);
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &p, sizeof(p));
}
