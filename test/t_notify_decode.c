// SPDX-License-Identifier: MIT
/*
 * Notification decoding on crafted buffers, no sockets: every type Linux emits decodes with every
 * field in host order; every truncation, an sn_length past the buffer and an sn_length shorter than
 * the type's fixed part are refused; unknown types say -ENOTSUP; the abort-reason walker, the stream
 * list accessor, the names and the formatter behave. Truncated buffers are copied into allocations of
 * exactly their length, so a sanitizer build catches any read past the end.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <fcntl.h>

#include "test.h"

#define MAXBUF 512

struct sample {
	const char *name;
	uint8_t b[MAXBUF];
	size_t len;   /* whole notification */
	size_t fixed; /* the smallest sn_length the decoder must accept */
};

/* Lay a fixed struct and a variable part out back to back and set sn_length to the total. */
static void build(struct sample *s, const char *name, const void *fixed, size_t flen, size_t min,
		  const void *var, size_t vlen)
{
	uint32_t total = (uint32_t)(flen + vlen);
	CHECK(flen + vlen <= MAXBUF);
	s->name = name;
	memcpy(s->b, fixed, flen);
	if (vlen)
		memcpy(s->b + flen, var, vlen);
	memcpy(s->b + 4, &total, sizeof(total));
	s->len = total;
	s->fixed = min;
}

/* Decode from an exact-size heap copy of the first len bytes (at offset `shift`: unaligned). */
static int decode_copy(const uint8_t *src, size_t len, size_t shift, struct sctpio_notification *n, uint8_t **keep)
{
	uint8_t *m = malloc(len + shift + 1);
	CHECK(m);
	memcpy(m + shift, src, len);
	int rc = sctpio_notification_decode(m + shift, len, n);
	*keep = m;
	return rc;
}

static uint8_t user_abort_causes[] = { 0x00, 0x0c, 0x00, 0x07, 'b', 'y', 'e' };

static struct sample samples[13];
static size_t nsamples;

static void make_samples(void)
{
	struct sample *s = samples;

	struct sctp_assoc_change ac = { .sac_type = SCTP_ASSOC_CHANGE, .sac_state = SCTP_COMM_LOST,
					.sac_error = htons(12), .sac_outbound_streams = 7,
					.sac_inbound_streams = 5, .sac_assoc_id = 42 };
	build(s++, "assoc_change", &ac, sizeof(ac), sizeof(ac), user_abort_causes, sizeof(user_abort_causes));

	struct sctp_paddr_change pc = { .spc_type = SCTP_PEER_ADDR_CHANGE, .spc_state = SCTP_ADDR_CONFIRMED,
					.spc_error = SCTP_HEARTBEAT_SUCCESS, .spc_assoc_id = 43 };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(3868) };
	inet_pton(AF_INET6, "2001:db8::1", &a6.sin6_addr);
	memcpy(&pc.spc_aaddr, &a6, sizeof(a6));
	build(s++, "peer_addr_change", &pc, sizeof(pc), sizeof(pc), NULL, 0);

	struct sctp_remote_error re = { .sre_type = SCTP_REMOTE_ERROR, .sre_error = htons(13), .sre_assoc_id = 44 };
	build(s++, "remote_error", &re, sizeof(re), sizeof(re), "protocol", 8);

	struct sctp_send_failed sf = { .ssf_type = SCTP_SEND_FAILED, .ssf_flags = SCTP_DATA_SENT, .ssf_error = htons(9),
				       .ssf_info = { .sinfo_stream = 3, .sinfo_flags = 0x03, .sinfo_ppid = htonl(46),
						     .sinfo_context = 77, .sinfo_assoc_id = 45 },
				       .ssf_assoc_id = 45 };
	build(s++, "send_failed", &sf, sizeof(sf), sizeof(sf), "lost", 4);

	struct sctp_send_failed_event sfe = { .ssf_type = SCTP_SEND_FAILED_EVENT, .ssf_flags = SCTP_DATA_UNSENT,
					      .ssfe_info = { .snd_sid = 4, .snd_flags = 0x07, .snd_ppid = htonl(0x01020304),
							     .snd_context = 78, .snd_assoc_id = 46 },
					      .ssf_assoc_id = 46 };
	build(s++, "send_failed_event", &sfe, sizeof(sfe), sizeof(sfe), "unsent!", 7);

	struct sctp_shutdown_event se = { .sse_type = SCTP_SHUTDOWN_EVENT, .sse_assoc_id = 47 };
	build(s++, "shutdown", &se, sizeof(se), sizeof(se), NULL, 0);

	struct sctp_pdapi_event pd = { .pdapi_type = SCTP_PARTIAL_DELIVERY_EVENT,
				       .pdapi_indication = SCTP_PARTIAL_DELIVERY_ABORTED, .pdapi_assoc_id = 48,
				       .pdapi_stream = 2, .pdapi_seq = 9 };
	build(s++, "partial_delivery", &pd, sizeof(pd), offsetof(struct sctp_pdapi_event, pdapi_stream), NULL, 0);

	struct sctp_adaptation_event ad = { .sai_type = SCTP_ADAPTATION_INDICATION, .sai_adaptation_ind = 0x12345678,
					    .sai_assoc_id = 49 };
	build(s++, "adaptation", &ad, sizeof(ad), sizeof(ad), NULL, 0);

	struct sctp_authkey_event au = { .auth_type = SCTP_AUTHENTICATION_EVENT, .auth_keynumber = 5,
					 .auth_altkeynumber = 6, .auth_indication = SCTP_AUTH_FREE_KEY, .auth_assoc_id = 50 };
	build(s++, "authentication", &au, sizeof(au), sizeof(au), NULL, 0);

	struct sctp_sender_dry_event dry = { .sender_dry_type = SCTP_SENDER_DRY_EVENT, .sender_dry_assoc_id = 51 };
	build(s++, "sender_dry", &dry, sizeof(dry), sizeof(dry), NULL, 0);

	struct sctp_stream_reset_event sr = { .strreset_type = SCTP_STREAM_RESET_EVENT,
					      .strreset_flags = SCTP_STREAM_RESET_INCOMING_SSN, .strreset_assoc_id = 52 };
	uint16_t list[3] = { 1, 2, 0x1234 };
	size_t srl = offsetof(struct sctp_stream_reset_event, strreset_stream_list);
	build(s++, "stream_reset", &sr, srl, srl, list, sizeof(list));

	struct sctp_assoc_reset_event ar = { .assocreset_type = SCTP_ASSOC_RESET_EVENT, .assocreset_assoc_id = 53,
					     .assocreset_local_tsn = 1000, .assocreset_remote_tsn = 0x80000001 };
	build(s++, "assoc_reset", &ar, sizeof(ar), sizeof(ar), NULL, 0);

	struct sctp_stream_change_event sc = { .strchange_type = SCTP_STREAM_CHANGE_EVENT, .strchange_assoc_id = 54,
					       .strchange_instrms = 3, .strchange_outstrms = 4 };
	build(s++, "stream_change", &sc, sizeof(sc), sizeof(sc), NULL, 0);

	nsamples = (size_t)(s - samples);
}

/* The fields of a correctly decoded sample, by type. buf is where it was decoded from. */
static void check_fields(const struct sample *s, const uint8_t *buf, const struct sctpio_notification *n)
{
	CHECK_EQ(n->length, s->len);
	switch (n->type) {
	case SCTP_ASSOC_CHANGE:
		CHECK_EQ(n->assoc_id, 42);
		CHECK_EQ(n->u.assoc_change.state, SCTP_COMM_LOST);
		CHECK_EQ(n->u.assoc_change.error, 12);
		CHECK_EQ(n->u.assoc_change.outbound_streams, 7);
		CHECK_EQ(n->u.assoc_change.inbound_streams, 5);
		CHECK_EQ(n->u.assoc_change.info_len, sizeof(user_abort_causes));
		CHECK(n->u.assoc_change.info == buf + sizeof(struct sctp_assoc_change));
		break;
	case SCTP_PEER_ADDR_CHANGE: {
		char text[SCTPIO_ADDR_TEXT_MAX];
		CHECK_EQ(n->assoc_id, 43);
		CHECK_EQ(n->u.peer_addr_change.state, SCTP_ADDR_CONFIRMED);
		CHECK_EQ(n->u.peer_addr_change.error, SCTP_HEARTBEAT_SUCCESS);
		CHECK_EQ(n->u.peer_addr_change.addr.sa.sa_family, AF_INET6);
		OK(sctpio_addr_format(&n->u.peer_addr_change.addr, text, sizeof(text)));
		CHECK(strcmp(text, "[2001:db8::1]:3868") == 0);
		break;
	}
	case SCTP_REMOTE_ERROR:
		CHECK_EQ(n->assoc_id, 44);
		CHECK_EQ(n->u.remote_error.error, 13);
		CHECK_EQ(n->u.remote_error.data_len, 8);
		CHECK(memcmp(n->u.remote_error.data, "protocol", 8) == 0);
		break;
	case SCTP_SEND_FAILED:
	case SCTP_SEND_FAILED_EVENT: {
		const struct sctpio_notification_send_failed *sf = &n->u.send_failed;
		int old = n->type == SCTP_SEND_FAILED;
		CHECK_EQ(n->assoc_id, old ? 45 : 46);
		CHECK_EQ(n->flags, old ? SCTP_DATA_SENT : SCTP_DATA_UNSENT);
		CHECK_EQ(sf->error, old ? 9 : 0);
		CHECK_EQ(sf->stream, old ? 3 : 4);
		CHECK_EQ(sf->chunk_flags, old ? 0x03 : 0x07);
		CHECK_EQ(sf->ppid, old ? 46 : 0x01020304);
		CHECK_EQ(sf->context, old ? 77 : 78);
		CHECK_EQ(sf->info_assoc_id, old ? 45 : 46);
		CHECK_EQ(sf->data_len, old ? 4 : 7);
		CHECK(memcmp(sf->data, old ? "lost" : "unsent!", sf->data_len) == 0);
		break;
	}
	case SCTP_SHUTDOWN_EVENT:
		CHECK_EQ(n->assoc_id, 47);
		break;
	case SCTP_PARTIAL_DELIVERY_EVENT:
		CHECK_EQ(n->assoc_id, 48);
		CHECK_EQ(n->u.partial_delivery.indication, SCTP_PARTIAL_DELIVERY_ABORTED);
		CHECK_EQ(n->u.partial_delivery.stream, 2);
		CHECK_EQ(n->u.partial_delivery.seq, 9);
		break;
	case SCTP_ADAPTATION_INDICATION:
		CHECK_EQ(n->assoc_id, 49);
		CHECK_EQ(n->u.adaptation.indication, 0x12345678);
		break;
	case SCTP_AUTHENTICATION_EVENT:
		CHECK_EQ(n->assoc_id, 50);
		CHECK_EQ(n->u.authentication.keynumber, 5);
		CHECK_EQ(n->u.authentication.altkeynumber, 6);
		CHECK_EQ(n->u.authentication.indication, SCTP_AUTH_FREE_KEY);
		break;
	case SCTP_SENDER_DRY_EVENT:
		CHECK_EQ(n->assoc_id, 51);
		break;
	case SCTP_STREAM_RESET_EVENT:
		CHECK_EQ(n->assoc_id, 52);
		CHECK_EQ(n->flags, SCTP_STREAM_RESET_INCOMING_SSN);
		CHECK_EQ(n->u.stream_reset.count, 3);
		CHECK_EQ(sctpio_notification_stream_at(n, 0), 1);
		CHECK_EQ(sctpio_notification_stream_at(n, 1), 2);
		CHECK_EQ(sctpio_notification_stream_at(n, 2), 0x1234);
		CHECK_EQ(sctpio_notification_stream_at(n, 3), -ERANGE);
		break;
	case SCTP_ASSOC_RESET_EVENT:
		CHECK_EQ(n->assoc_id, 53);
		CHECK_EQ(n->u.assoc_reset.local_tsn, 1000);
		CHECK_EQ(n->u.assoc_reset.remote_tsn, 0x80000001u);
		break;
	case SCTP_STREAM_CHANGE_EVENT:
		CHECK_EQ(n->assoc_id, 54);
		CHECK_EQ(n->u.stream_change.inbound_streams, 3);
		CHECK_EQ(n->u.stream_change.outbound_streams, 4);
		break;
	default:
		FAIL("%s: unexpected type %u", s->name, n->type);
	}
}

static void check_sample(struct sample *s)
{
	struct sctpio_notification n;
	uint8_t *m;
	uint32_t saved;

	/* Whole, aligned and unaligned, and with spare bytes after sn_length (ignored). */
	for (size_t shift = 0; shift < 4; shift++) {
		CHECK_EQ(decode_copy(s->b, s->len, shift, &n, &m), s->len);
		check_fields(s, m + shift, &n);
		free(m);
	}
	POISON(n);
	CHECK_EQ(sctpio_notification_decode(s->b, MAXBUF, &n), s->len);
	check_fields(s, s->b, &n);
	CHECK_RESERVED_ZERO(n);

	/* Every truncation is refused, and leaves *out zeroed. */
	for (size_t len = 0; len < s->len; len++) {
		int rc = decode_copy(s->b, len, len & 1, &n, &m);
		if (rc != -EINVAL)
			FAIL("%s: truncated to %zu of %zu: rc %d, expected -EINVAL", s->name, len, s->len, rc);
		CHECK_EQ(n.type, 0);
		free(m);
	}

	memcpy(&saved, s->b + 4, sizeof(saved));
	/* sn_length beyond the buffer: a truncated read. */
	uint32_t bad = (uint32_t)s->len + 1;
	memcpy(s->b + 4, &bad, sizeof(bad));
	CHECK_EQ(sctpio_notification_decode(s->b, s->len, &n), -EINVAL);
	bad = UINT32_MAX;
	memcpy(s->b + 4, &bad, sizeof(bad));
	CHECK_EQ(sctpio_notification_decode(s->b, MAXBUF, &n), -EINVAL);
	/* sn_length below the type's fixed part, inside a buffer that is long enough. */
	for (bad = 0; bad < s->fixed; bad++) {
		memcpy(s->b + 4, &bad, sizeof(bad));
		int rc = sctpio_notification_decode(s->b, s->len, &n);
		if (rc != -EINVAL)
			FAIL("%s: sn_length %u < fixed %zu: rc %d", s->name, (unsigned)bad, s->fixed, rc);
	}
	/* The smallest acceptable sn_length decodes. */
	bad = (uint32_t)s->fixed;
	memcpy(s->b + 4, &bad, sizeof(bad));
	CHECK_EQ(sctpio_notification_decode(s->b, s->len, &n), s->fixed);
	memcpy(s->b + 4, &saved, sizeof(saved));

	char text[256];
	CHECK_EQ(sctpio_notification_decode(s->b, s->len, &n), s->len);
	int tl = OK(sctpio_notification_format(&n, text, sizeof(text)));
	CHECK_EQ(tl, strlen(text));
	CHECK(strncmp(text, sctpio_notification_name(n.type), strlen(sctpio_notification_name(n.type))) == 0);
	printf("%-18s %3zu bytes (fixed %3zu): %s\n", s->name, s->len, s->fixed, text);
}

static void check_special(void)
{
	struct sctpio_notification n;
	uint8_t b[64] = { 0 };
	uint16_t type;
	uint32_t len = 16;

	/* Unknown types, including SCTP_DATA_IO_EVENT: -ENOTSUP with the header filled in. */
	uint16_t unknown[] = { 0, 1, SCTP_DATA_IO_EVENT, SCTP_SN_TYPE_MAX + 1, 0xffff };
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		type = unknown[i];
		memcpy(b, &type, 2);
		memcpy(b + 4, &len, 4);
		CHECK_EQ(sctpio_notification_decode(b, sizeof(b), &n), -ENOTSUP);
		CHECK_EQ(n.type, type);
		CHECK_EQ(n.length, 16);
		CHECK(strcmp(sctpio_notification_name(type), "unknown") == 0);
		char text[64];
		CHECK(OK(sctpio_notification_format(&n, text, sizeof(text))) > 0);
	}
	CHECK_EQ(sctpio_notification_decode(NULL, 8, &n), -EINVAL);
	CHECK_EQ(sctpio_notification_decode(b, 8, NULL), -EINVAL);

	/* A stream-reset list of odd length is corrupt. */
	struct sctp_stream_reset_event sr = { .strreset_type = SCTP_STREAM_RESET_EVENT, .strreset_length = 13 };
	memcpy(b, &sr, 12);
	b[12] = 1;
	CHECK_EQ(sctpio_notification_decode(b, 13, &n), -EINVAL);
	/* An empty list (all streams) decodes with no pointer. */
	sr.strreset_length = 12;
	memcpy(b, &sr, 12);
	CHECK_EQ(sctpio_notification_decode(b, 12, &n), 12);
	CHECK_EQ(n.u.stream_reset.count, 0);
	CHECK(n.u.stream_reset.streams == NULL);
	CHECK_EQ(sctpio_notification_stream_at(&n, 0), -ERANGE);
	CHECK_EQ(sctpio_notification_stream_at(NULL, 0), -EINVAL);

	/* A peer address of unknown family decodes with family 0. */
	struct sctp_paddr_change pc = { .spc_type = SCTP_PEER_ADDR_CHANGE, .spc_length = sizeof(pc) };
	pc.spc_aaddr.ss_family = AF_UNIX;
	CHECK_EQ(sctpio_notification_decode(&pc, sizeof(pc), &n), sizeof(pc));
	CHECK_EQ(n.u.peer_addr_change.addr.sa.sa_family, 0);
	CHECK_EQ(sctpio_notification_stream_at(&n, 0), -EINVAL);

	/* A send-failed error wider than 16 bits is not a wire cause code: passed through. */
	struct sctp_send_failed_event sfe = { .ssf_type = SCTP_SEND_FAILED_EVENT, .ssf_length = sizeof(sfe),
					      .ssf_error = 0x12345 };
	CHECK_EQ(sctpio_notification_decode(&sfe, sizeof(sfe), &n), sizeof(sfe));
	CHECK_EQ(n.u.send_failed.error, 0x12345);
	CHECK(n.u.send_failed.data == NULL);

	/* The old 16-byte partial-delivery layout: stream and seq read 0. */
	struct sctp_pdapi_event pd = { .pdapi_type = SCTP_PARTIAL_DELIVERY_EVENT, .pdapi_length = 16,
				       .pdapi_assoc_id = 9, .pdapi_stream = 5, .pdapi_seq = 6 };
	CHECK_EQ(sctpio_notification_decode(&pd, 16, &n), 16);
	CHECK_EQ(n.assoc_id, 9);
	CHECK_EQ(n.u.partial_delivery.stream, 0);
	CHECK_EQ(n.u.partial_delivery.seq, 0);
}

/* Run abort_reason over info bytes laid out after an assoc-change header. */
static int reason_of(const uint8_t *info, size_t ilen, const void **r, size_t *rl)
{
	static uint8_t b[256];
	struct sctpio_notification n;
	struct sctp_assoc_change ac = { .sac_type = SCTP_ASSOC_CHANGE, .sac_state = SCTP_COMM_LOST };
	ac.sac_length = (uint32_t)(sizeof(ac) + ilen);
	memcpy(b, &ac, sizeof(ac));
	memcpy(b + sizeof(ac), info, ilen);
	CHECK_EQ(sctpio_notification_decode(b, ac.sac_length, &n), ac.sac_length);
	return sctpio_notification_abort_reason(&n, r, rl);
}

static void check_abort_reason(void)
{
	const void *r;
	size_t rl;

	/* Linux: the causes alone. */
	CHECK_EQ(reason_of(user_abort_causes, sizeof(user_abort_causes), &r, &rl), 1);
	CHECK_EQ(rl, 3);
	CHECK(memcmp(r, "bye", 3) == 0);
	/* RFC 6458 / FreeBSD: the whole ABORT chunk, T bit set, after another padded cause. */
	uint8_t chunk[] = { 6, 1, 0, 20, 0x00, 0x0d, 0x00, 0x06, 'p', 'v', 0, 0,
			    0x00, 0x0c, 0x00, 0x08, 'q', 'u', 'i', 't', 0xee, 0xee, 0xee, 0xee };
	CHECK_EQ(reason_of(chunk, 20, &r, &rl), 1);
	CHECK_EQ(rl, 4);
	CHECK(memcmp(r, "quit", 4) == 0);
	/* A chunk length beyond info is malformed. */
	CHECK_EQ(reason_of(chunk, 19, &r, &rl), -EPROTO);
	/* A user abort with no reason. */
	uint8_t empty[] = { 0x00, 0x0c, 0x00, 0x04 };
	CHECK_EQ(reason_of(empty, sizeof(empty), &r, &rl), 1);
	CHECK_EQ(rl, 0);
	CHECK(r == NULL);
	/* Other causes only, and no info at all: 0. */
	uint8_t other[] = { 0x00, 0x0d, 0x00, 0x06, 'p', 'v' };
	CHECK_EQ(reason_of(other, sizeof(other), &r, &rl), 0);
	CHECK_EQ(reason_of(other, 0, &r, &rl), 0);
	/* Cause lengths below 4 or past the end. */
	uint8_t shortc[] = { 0x00, 0x0c, 0x00, 0x03, 'x' };
	CHECK_EQ(reason_of(shortc, sizeof(shortc), &r, &rl), -EPROTO);
	uint8_t longc[] = { 0x00, 0x0c, 0x00, 0x09, 'x', 'y' };
	CHECK_EQ(reason_of(longc, sizeof(longc), &r, &rl), -EPROTO);
	/* Every truncation of the Linux form is either a clean miss or malformed, never a read past. */
	for (size_t l = 0; l < sizeof(user_abort_causes); l++)
		CHECK(reason_of(user_abort_causes, l, &r, &rl) <= 0);
	/* Not an assoc change. */
	struct sctpio_notification n = { .type = SCTP_REMOTE_ERROR };
	CHECK_EQ(sctpio_notification_abort_reason(&n, &r, &rl), -EINVAL);
	CHECK_EQ(sctpio_notification_abort_reason(NULL, &r, &rl), -EINVAL);
}

/* An IPv4 peer reported v4-mapped (a socket with SCTP_I_WANT_MAPPED_V4_ADDR on) decodes as AF_INET. */
static void check_mapped_peer(void)
{
	struct sctp_paddr_change pc = { .spc_type = SCTP_PEER_ADDR_CHANGE, .spc_length = sizeof(pc),
					.spc_state = SCTP_ADDR_AVAILABLE, .spc_assoc_id = 9 };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(2905) };
	struct sctpio_notification n;
	sctpio_addr want;

	inet_pton(AF_INET6, "::ffff:192.0.2.7", &a6.sin6_addr);
	memcpy(&pc.spc_aaddr, &a6, sizeof(a6));
	CHECK_EQ(sctpio_notification_decode(&pc, sizeof(pc), &n), sizeof(pc));
	CHECK_EQ(n.u.peer_addr_change.addr.sa.sa_family, AF_INET);
	CHECK_EQ(sctpio_addr_parse(&want, "192.0.2.7", 2905), 0);
	CHECK(sctpio_addr_equal(&n.u.peer_addr_change.addr, &want));
}

static void check_format_and_subscribe(void)
{
	struct sctpio_notification n;
	char text[128];

	CHECK_EQ(sctpio_notification_decode(samples[0].b, samples[0].len, &n), samples[0].len);
	CHECK_EQ(OK(sctpio_notification_format(&n, text, sizeof(text))), strlen(text));
	CHECK(strcmp(text, "SCTP_ASSOC_CHANGE assoc 42 COMM_LOST error 12 out 7 in 5 info 7 bytes") == 0);
	CHECK_EQ(sctpio_notification_format(&n, text, 10), -ENOSPC);
	CHECK_EQ(strlen(text), 9);
	CHECK_EQ(sctpio_notification_format(&n, text, 0), -EINVAL);
	CHECK_EQ(sctpio_notification_format(NULL, text, sizeof(text)), -EINVAL);

	CHECK(strcmp(sctpio_notification_name(SCTP_SEND_FAILED_EVENT), "SCTP_SEND_FAILED_EVENT") == 0);
	CHECK(strcmp(sctpio_notification_name(SCTP_STREAM_CHANGE_EVENT), "SCTP_STREAM_CHANGE_EVENT") == 0);

	/* Argument checks happen before any system call. */
	int devnull = open("/dev/null", O_RDONLY);
	CHECK(devnull >= 0);
	CHECK_EQ(sctpio_sock_subscribe(-1, 0, SCTP_ASSOC_CHANGE, 1), -EBADF);
	CHECK_EQ(sctpio_sock_subscribe(devnull, 0, SCTP_DATA_IO_EVENT, 1), -EINVAL);
	CHECK_EQ(sctpio_sock_subscribe(devnull, 0, SCTP_SN_TYPE_MAX + 1, 1), -EINVAL);
	CHECK_EQ(sctpio_sock_subscribe(devnull, 0, SCTP_ASSOC_CHANGE, 1), -ENOTSOCK);
	CHECK_EQ(sctpio_sock_subscribe_mask(devnull, 0, 1u << 13), -EINVAL);
	CHECK_EQ(sctpio_sock_subscribe_mask(devnull, 0, SCTPIO_EV_ALL), -ENOTSOCK);
	close(devnull);
}

int main(void)
{
	make_samples();
	CHECK_EQ(nsamples, 13);
	for (size_t i = 0; i < nsamples; i++)
		check_sample(&samples[i]);
	check_special();
	check_abort_reason();
	check_format_and_subscribe();
	check_mapped_peer();
	printf("notify decode: %zu types, all truncations refused\n", nsamples);
	return 0;
}
