// SPDX-License-Identifier: MIT
/*
 * notify.c - SCTP notifications: subscription through SCTP_EVENT, and a decoder that turns the
 * kernel's notification structs into struct sctpio_notification without trusting a single length.
 *
 * The decoder never casts buf to a kernel struct: the buffer may be unaligned and shorter than the
 * struct, so every field is copied out with memcpy at its offsetof() after the bounds check.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/* The notification types of <linux/sctp.h>, in the order of the mask bits. */
static const uint16_t mask_types[] = {
	SCTP_ASSOC_CHANGE,          SCTP_PEER_ADDR_CHANGE,      SCTP_REMOTE_ERROR,
	SCTP_SEND_FAILED_EVENT,     SCTP_SHUTDOWN_EVENT,        SCTP_PARTIAL_DELIVERY_EVENT,
	SCTP_ADAPTATION_INDICATION, SCTP_AUTHENTICATION_EVENT,  SCTP_SENDER_DRY_EVENT,
	SCTP_STREAM_RESET_EVENT,    SCTP_ASSOC_RESET_EVENT,     SCTP_STREAM_CHANGE_EVENT,
	SCTP_SEND_FAILED,
};

int sctpio_sock_subscribe(int fd, sctp_assoc_t assoc_id, uint16_t event_type, int on)
{
	/* memset, not an initialiser: the struct has a padding byte that would reach the kernel unset. */
	struct sctp_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.se_assoc_id = assoc_id;
	ev.se_type = event_type;
	ev.se_on = on ? 1 : 0;

	if (fd < 0)
		return -EBADF;
	if (event_type <= SCTP_DATA_IO_EVENT || event_type > SCTP_SN_TYPE_MAX)
		return -EINVAL;
	return setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)) < 0 ? sctpio__err() : 0;
}

int sctpio_sock_subscribe_mask(int fd, sctp_assoc_t assoc_id, uint32_t mask)
{
	const uint32_t known = SCTPIO_EV_ALL | SCTPIO_EV_SEND_FAILED_OLD;

	if (mask & ~known)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(mask_types) / sizeof(mask_types[0]); i++) {
		int on = (mask >> i) & 1;
		int rc = sctpio_sock_subscribe(fd, assoc_id, mask_types[i], on);
		/* A kernel older than a kind refuses its type with EINVAL; off is then already true.
		 * Association change is always known, so a bad assoc_id still fails on the first kind. */
		if (rc == -EINVAL && !on && mask_types[i] > SCTP_SENDER_DRY_EVENT)
			continue;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Field readers: buf may be unaligned, so copy rather than dereference. */
static uint16_t rd16(const uint8_t *p, size_t off)
{
	uint16_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

static uint32_t rd32(const uint8_t *p, size_t off)
{
	uint32_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

static int32_t rds32(const uint8_t *p, size_t off)
{
	int32_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* The fixed part of each type: sn_length below it means a corrupt notification. */
static size_t fixed_len(uint16_t type)
{
	switch (type) {
	case SCTP_ASSOC_CHANGE:
		return offsetof(struct sctp_assoc_change, sac_info);
	case SCTP_PEER_ADDR_CHANGE:
		return sizeof(struct sctp_paddr_change);
	case SCTP_REMOTE_ERROR:
		return offsetof(struct sctp_remote_error, sre_data);
	case SCTP_SEND_FAILED:
		return offsetof(struct sctp_send_failed, ssf_data);
	case SCTP_SEND_FAILED_EVENT:
		return offsetof(struct sctp_send_failed_event, ssf_data);
	case SCTP_SHUTDOWN_EVENT:
		return sizeof(struct sctp_shutdown_event);
	case SCTP_PARTIAL_DELIVERY_EVENT:
		/* Kernels before 4.16 end the struct before pdapi_stream. */
		return offsetof(struct sctp_pdapi_event, pdapi_stream);
	case SCTP_ADAPTATION_INDICATION:
		return sizeof(struct sctp_adaptation_event);
	case SCTP_AUTHENTICATION_EVENT:
		return sizeof(struct sctp_authkey_event);
	case SCTP_SENDER_DRY_EVENT:
		return sizeof(struct sctp_sender_dry_event);
	case SCTP_STREAM_RESET_EVENT:
		return offsetof(struct sctp_stream_reset_event, strreset_stream_list);
	case SCTP_ASSOC_RESET_EVENT:
		return sizeof(struct sctp_assoc_reset_event);
	case SCTP_STREAM_CHANGE_EVENT:
		return sizeof(struct sctp_stream_change_event);
	default:
		return 0;
	}
}

/* The bytes from off to the notification's end, or NULL when there are none. */
static const uint8_t *tail(const uint8_t *p, size_t off, size_t n, size_t *len)
{
	*len = n - off;
	return *len ? p + off : NULL;
}

/* Linux fills ssf_error with the association's failure cause exactly as it came off the wire: a
 * network-order 16-bit code in a 32-bit field (0x0c00 for a user abort on x86). Anything wider is not
 * such a code and is passed through. */
static uint32_t send_failed_cause(uint32_t raw)
{
	return raw <= 0xffff ? ntohs((uint16_t)raw) : raw;
}

static void decode_peer_addr(const uint8_t *p, struct sctpio_notification_peer_addr_change *pc)
{
	const size_t a = offsetof(struct sctp_paddr_change, spc_aaddr);
	uint16_t family = rd16(p, a + offsetof(struct sockaddr, sa_family));

	/* Copy only as much as the family needs: the rest of sockaddr_storage is the kernel's. */
	if (family == AF_INET)
		memcpy(&pc->addr.sin, p + a, sizeof(pc->addr.sin));
	else if (family == AF_INET6) {
		memcpy(&pc->addr.sin6, p + a, sizeof(pc->addr.sin6));
		sctpio__unmap_v4(&pc->addr); /* as sctpio_recv and the batch path give the sender */
	}
	pc->state = rds32(p, offsetof(struct sctp_paddr_change, spc_state));
	pc->error = rds32(p, offsetof(struct sctp_paddr_change, spc_error));
}

/* The union's reserved member fixes its size; a member that outgrew it would change the struct's. */
_Static_assert(sizeof(((struct sctpio_notification *)0)->u) == sizeof(((struct sctpio_notification *)0)->u.reserved),
	       "a member of struct sctpio_notification's union outgrew its reserved size");

int sctpio_notification_decode(const void *buf, size_t len, struct sctpio_notification *out)
{
	const uint8_t *p = buf;
	size_t n, fixed;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!buf || len < sizeof(((union sctp_notification *)0)->sn_header))
		return -EINVAL;
	out->type = rd16(p, 0);
	out->flags = rd16(p, 2);
	out->length = rd32(p, 4);
	n = out->length;
	fixed = fixed_len(out->type);
	if (!fixed)
		return -ENOTSUP;
	if (n > len || n < fixed || n > INT32_MAX)
		goto bad;

	switch (out->type) {
	case SCTP_ASSOC_CHANGE: {
		struct sctpio_notification_assoc_change *ac = &out->u.assoc_change;
		out->assoc_id = rds32(p, offsetof(struct sctp_assoc_change, sac_assoc_id));
		ac->state = rd16(p, offsetof(struct sctp_assoc_change, sac_state));
		/* Linux stores the cause code in wire order (it is the ABORT's cause, copied). */
		ac->error = ntohs(rd16(p, offsetof(struct sctp_assoc_change, sac_error)));
		ac->outbound_streams = rd16(p, offsetof(struct sctp_assoc_change, sac_outbound_streams));
		ac->inbound_streams = rd16(p, offsetof(struct sctp_assoc_change, sac_inbound_streams));
		ac->info = tail(p, fixed, n, &ac->info_len);
		break;
	}
	case SCTP_PEER_ADDR_CHANGE:
		out->assoc_id = rds32(p, offsetof(struct sctp_paddr_change, spc_assoc_id));
		decode_peer_addr(p, &out->u.peer_addr_change);
		break;
	case SCTP_REMOTE_ERROR: {
		struct sctpio_notification_remote_error *re = &out->u.remote_error;
		out->assoc_id = rds32(p, offsetof(struct sctp_remote_error, sre_assoc_id));
		re->error = ntohs(rd16(p, offsetof(struct sctp_remote_error, sre_error)));
		re->data = tail(p, fixed, n, &re->data_len);
		break;
	}
	case SCTP_SEND_FAILED: {
		struct sctpio_notification_send_failed *sf = &out->u.send_failed;
		const size_t si = offsetof(struct sctp_send_failed, ssf_info);
		out->assoc_id = rds32(p, offsetof(struct sctp_send_failed, ssf_assoc_id));
		sf->error = send_failed_cause(rd32(p, offsetof(struct sctp_send_failed, ssf_error)));
		sf->stream = rd16(p, si + offsetof(struct sctp_sndrcvinfo, sinfo_stream));
		sf->chunk_flags = rd16(p, si + offsetof(struct sctp_sndrcvinfo, sinfo_flags));
		sf->ppid = ntohl(rd32(p, si + offsetof(struct sctp_sndrcvinfo, sinfo_ppid)));
		sf->context = rd32(p, si + offsetof(struct sctp_sndrcvinfo, sinfo_context));
		sf->info_assoc_id = rds32(p, si + offsetof(struct sctp_sndrcvinfo, sinfo_assoc_id));
		sf->data = tail(p, fixed, n, &sf->data_len);
		break;
	}
	case SCTP_SEND_FAILED_EVENT: {
		struct sctpio_notification_send_failed *sf = &out->u.send_failed;
		const size_t si = offsetof(struct sctp_send_failed_event, ssfe_info);
		out->assoc_id = rds32(p, offsetof(struct sctp_send_failed_event, ssf_assoc_id));
		sf->error = send_failed_cause(rd32(p, offsetof(struct sctp_send_failed_event, ssf_error)));
		sf->stream = rd16(p, si + offsetof(struct sctp_sndinfo, snd_sid));
		sf->chunk_flags = rd16(p, si + offsetof(struct sctp_sndinfo, snd_flags));
		sf->ppid = ntohl(rd32(p, si + offsetof(struct sctp_sndinfo, snd_ppid)));
		sf->context = rd32(p, si + offsetof(struct sctp_sndinfo, snd_context));
		sf->info_assoc_id = rds32(p, si + offsetof(struct sctp_sndinfo, snd_assoc_id));
		sf->data = tail(p, fixed, n, &sf->data_len);
		break;
	}
	case SCTP_SHUTDOWN_EVENT:
		out->assoc_id = rds32(p, offsetof(struct sctp_shutdown_event, sse_assoc_id));
		break;
	case SCTP_PARTIAL_DELIVERY_EVENT: {
		struct sctpio_notification_partial_delivery *pd = &out->u.partial_delivery;
		out->assoc_id = rds32(p, offsetof(struct sctp_pdapi_event, pdapi_assoc_id));
		pd->indication = rd32(p, offsetof(struct sctp_pdapi_event, pdapi_indication));
		if (n >= sizeof(struct sctp_pdapi_event)) {
			pd->stream = rd32(p, offsetof(struct sctp_pdapi_event, pdapi_stream));
			pd->seq = rd32(p, offsetof(struct sctp_pdapi_event, pdapi_seq));
		}
		break;
	}
	case SCTP_ADAPTATION_INDICATION:
		out->assoc_id = rds32(p, offsetof(struct sctp_adaptation_event, sai_assoc_id));
		out->u.adaptation.indication = rd32(p, offsetof(struct sctp_adaptation_event, sai_adaptation_ind));
		break;
	case SCTP_AUTHENTICATION_EVENT: {
		struct sctpio_notification_authentication *au = &out->u.authentication;
		out->assoc_id = rds32(p, offsetof(struct sctp_authkey_event, auth_assoc_id));
		au->keynumber = rd16(p, offsetof(struct sctp_authkey_event, auth_keynumber));
		au->altkeynumber = rd16(p, offsetof(struct sctp_authkey_event, auth_altkeynumber));
		au->indication = rd32(p, offsetof(struct sctp_authkey_event, auth_indication));
		break;
	}
	case SCTP_SENDER_DRY_EVENT:
		out->assoc_id = rds32(p, offsetof(struct sctp_sender_dry_event, sender_dry_assoc_id));
		break;
	case SCTP_STREAM_RESET_EVENT: {
		struct sctpio_notification_stream_reset *sr = &out->u.stream_reset;
		size_t bytes;
		out->assoc_id = rds32(p, offsetof(struct sctp_stream_reset_event, strreset_assoc_id));
		sr->streams = tail(p, fixed, n, &bytes);
		if (bytes % sizeof(uint16_t))
			goto bad;
		sr->count = bytes / sizeof(uint16_t);
		break;
	}
	case SCTP_ASSOC_RESET_EVENT:
		out->assoc_id = rds32(p, offsetof(struct sctp_assoc_reset_event, assocreset_assoc_id));
		out->u.assoc_reset.local_tsn = rd32(p, offsetof(struct sctp_assoc_reset_event, assocreset_local_tsn));
		out->u.assoc_reset.remote_tsn = rd32(p, offsetof(struct sctp_assoc_reset_event, assocreset_remote_tsn));
		break;
	case SCTP_STREAM_CHANGE_EVENT:
		out->assoc_id = rds32(p, offsetof(struct sctp_stream_change_event, strchange_assoc_id));
		out->u.stream_change.inbound_streams = rd16(p, offsetof(struct sctp_stream_change_event, strchange_instrms));
		out->u.stream_change.outbound_streams = rd16(p, offsetof(struct sctp_stream_change_event, strchange_outstrms));
		break;
	}
	return (int)n;
bad:
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

int sctpio_notification_stream_at(const struct sctpio_notification *n, size_t i)
{
	if (!n || n->type != SCTP_STREAM_RESET_EVENT)
		return -EINVAL;
	if (i >= n->u.stream_reset.count)
		return -ERANGE;
	return rd16(n->u.stream_reset.streams, i * sizeof(uint16_t));
}

/* RFC 9260 3.3.7 / 3.3.10: an ABORT chunk's header, and the cause that carries the user's reason. */
#define ABORT_CHUNK_TYPE 6
#define CAUSE_USER_ABORT 12

int sctpio_notification_abort_reason(const struct sctpio_notification *n, const void **reason, size_t *len)
{
	if (!n || !reason || !len || n->type != SCTP_ASSOC_CHANGE)
		return -EINVAL;
	*reason = NULL;
	*len = 0;

	const uint8_t *p = n->u.assoc_change.info;
	size_t rem = n->u.assoc_change.info_len;
	if (!p)
		return 0;
	/* Linux gives the causes alone; RFC 6458 (and FreeBSD) the whole chunk. A chunk header reads as
	 * cause code 0x0600/0x0601, which no specification defines, so the two cannot be confused. */
	if (rem >= 4 && p[0] == ABORT_CHUNK_TYPE && (p[1] & ~1) == 0) {
		size_t clen = ntohs(rd16(p, 2));
		if (clen < 4 || clen > rem)
			return -EPROTO;
		rem = clen - 4;
		p += 4;
	}
	while (rem >= 4) {
		uint16_t code = ntohs(rd16(p, 0));
		size_t clen = ntohs(rd16(p, 2));
		if (clen < 4 || clen > rem)
			return -EPROTO;
		if (code == CAUSE_USER_ABORT) {
			*len = clen - 4;
			*reason = *len ? p + 4 : NULL;
			return 1;
		}
		/* Causes are padded to 4 bytes; the last one's padding may be cut off. */
		size_t step = (clen + 3) & ~(size_t)3;
		if (step >= rem)
			break;
		p += step;
		rem -= step;
	}
	return 0;
}

const char *sctpio_notification_name(uint16_t type)
{
	switch (type) {
	case SCTP_ASSOC_CHANGE: return "SCTP_ASSOC_CHANGE";
	case SCTP_PEER_ADDR_CHANGE: return "SCTP_PEER_ADDR_CHANGE";
	case SCTP_REMOTE_ERROR: return "SCTP_REMOTE_ERROR";
	case SCTP_SEND_FAILED: return "SCTP_SEND_FAILED";
	case SCTP_SEND_FAILED_EVENT: return "SCTP_SEND_FAILED_EVENT";
	case SCTP_SHUTDOWN_EVENT: return "SCTP_SHUTDOWN_EVENT";
	case SCTP_PARTIAL_DELIVERY_EVENT: return "SCTP_PARTIAL_DELIVERY_EVENT";
	case SCTP_ADAPTATION_INDICATION: return "SCTP_ADAPTATION_INDICATION";
	case SCTP_AUTHENTICATION_EVENT: return "SCTP_AUTHENTICATION_EVENT";
	case SCTP_SENDER_DRY_EVENT: return "SCTP_SENDER_DRY_EVENT";
	case SCTP_STREAM_RESET_EVENT: return "SCTP_STREAM_RESET_EVENT";
	case SCTP_ASSOC_RESET_EVENT: return "SCTP_ASSOC_RESET_EVENT";
	case SCTP_STREAM_CHANGE_EVENT: return "SCTP_STREAM_CHANGE_EVENT";
	default: return "unknown";
	}
}

static const char *assoc_state_name(uint16_t s)
{
	static const char *const names[] = { "COMM_UP", "COMM_LOST", "RESTART", "SHUTDOWN_COMP", "CANT_STR_ASSOC" };
	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static const char *addr_state_name(int32_t s)
{
	static const char *const names[] = { "ADDR_AVAILABLE", "ADDR_UNREACHABLE", "ADDR_REMOVED", "ADDR_ADDED",
					     "ADDR_MADE_PRIM", "ADDR_CONFIRMED", "ADDR_POTENTIALLY_FAILED" };
	return s >= 0 && (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* Append to buf at *at; remembers overflow in *at (past len) so the caller reports -ENOSPC once. */
__attribute__((format(printf, 4, 5))) static void put(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	size_t room = *at < len ? len - *at : 0;

	va_start(ap, fmt);
	int w = vsnprintf(room ? buf + *at : NULL, room, fmt, ap);
	va_end(ap);
	if (w > 0)
		*at += (size_t)w;
}

int sctpio_notification_format(const struct sctpio_notification *n, char *buf, size_t len)
{
	char addr[SCTPIO_ADDR_TEXT_MAX];
	size_t at = 0;

	if (!n || !buf || len == 0)
		return -EINVAL;
	buf[0] = '\0';
	put(buf, len, &at, "%s assoc %d", sctpio_notification_name(n->type), (int)n->assoc_id);
	switch (n->type) {
	case SCTP_ASSOC_CHANGE: {
		const struct sctpio_notification_assoc_change *ac = &n->u.assoc_change;
		put(buf, len, &at, " %s error %u out %u in %u", assoc_state_name(ac->state), ac->error,
		    ac->outbound_streams, ac->inbound_streams);
		if (ac->info_len)
			put(buf, len, &at, " info %zu bytes", ac->info_len);
		break;
	}
	case SCTP_PEER_ADDR_CHANGE: {
		const struct sctpio_notification_peer_addr_change *pc = &n->u.peer_addr_change;
		if (sctpio_addr_format(&pc->addr, addr, sizeof(addr)) < 0)
			snprintf(addr, sizeof(addr), "family %u", pc->addr.sa.sa_family);
		put(buf, len, &at, " %s %s error %d", addr, addr_state_name(pc->state), (int)pc->error);
		break;
	}
	case SCTP_REMOTE_ERROR:
		put(buf, len, &at, " cause %u data %zu bytes", n->u.remote_error.error, n->u.remote_error.data_len);
		break;
	case SCTP_SEND_FAILED:
	case SCTP_SEND_FAILED_EVENT: {
		const struct sctpio_notification_send_failed *sf = &n->u.send_failed;
		put(buf, len, &at, " %s error %u stream %u ppid %u context %u data %zu bytes",
		    n->flags == SCTP_DATA_SENT ? "sent" : "unsent", (unsigned)sf->error, sf->stream,
		    (unsigned)sf->ppid, (unsigned)sf->context, sf->data_len);
		break;
	}
	case SCTP_PARTIAL_DELIVERY_EVENT: {
		const struct sctpio_notification_partial_delivery *pd = &n->u.partial_delivery;
		put(buf, len, &at, " %s stream %u seq %u",
		    pd->indication == SCTP_PARTIAL_DELIVERY_ABORTED ? "aborted" : "?", (unsigned)pd->stream,
		    (unsigned)pd->seq);
		break;
	}
	case SCTP_ADAPTATION_INDICATION:
		put(buf, len, &at, " indication 0x%08x", (unsigned)n->u.adaptation.indication);
		break;
	case SCTP_AUTHENTICATION_EVENT: {
		static const char *const ind[] = { "NEW_KEY", "FREE_KEY", "NO_AUTH" };
		const struct sctpio_notification_authentication *au = &n->u.authentication;
		put(buf, len, &at, " %s key %u alt %u", au->indication < 3 ? ind[au->indication] : "?",
		    au->keynumber, au->altkeynumber);
		break;
	}
	case SCTP_STREAM_RESET_EVENT:
		put(buf, len, &at, " flags 0x%x streams %zu", n->flags, n->u.stream_reset.count);
		break;
	case SCTP_ASSOC_RESET_EVENT:
		put(buf, len, &at, " flags 0x%x local_tsn %u remote_tsn %u", n->flags,
		    (unsigned)n->u.assoc_reset.local_tsn, (unsigned)n->u.assoc_reset.remote_tsn);
		break;
	case SCTP_STREAM_CHANGE_EVENT:
		put(buf, len, &at, " flags 0x%x in %u out %u", n->flags, n->u.stream_change.inbound_streams,
		    n->u.stream_change.outbound_streams);
		break;
	case SCTP_SHUTDOWN_EVENT:
	case SCTP_SENDER_DRY_EVENT:
		break;
	default:
		put(buf, len, &at, " type %u length %u", n->type, (unsigned)n->length);
		break;
	}
	if (at >= len)
		return -ENOSPC;
	return (int)at;
}
