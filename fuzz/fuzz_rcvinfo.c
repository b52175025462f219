// SPDX-License-Identifier: MIT
/*
 * fuzz_rcvinfo.c - libFuzzer target for sctpio__rcvinfo_parse (src/msg.c), the parser of the flags
 * and ancillary data of every received message, shared by sctpio_recv and the batch layer.
 *
 * The control buffer is copied into a heap block of exactly its length, so ASan reports any read
 * past it. Two shapes of input:
 *  - structured (first byte even): a sequence of cmsgs whose level, type and length the input
 *    chooses, laid out as the kernel's put_cmsg lays them out (each header's length within the
 *    buffer, the last possibly truncated with MSG_CTRUNC set, as the kernel does when the buffer is
 *    short). The result is compared field by field with an independent reference parser.
 *  - raw (first byte odd): the bytes are the control buffer as they are. The kernel never writes
 *    such buffers, but a cmsg_len past the buffer's end is the classic parser bug, so this shape
 *    checks that nothing is read outside the buffer. It currently finds one: cmsg_len is trusted.
 *    glibc's CMSG_FIRSTHDR does not look at it, and CMSG_NXTHDR (2.36) checks that the next
 *    header fits but not the length that header claims, so a header that claims an SCTP_RCVINFO
 *    with fewer bytes left in the buffer is read past its end. The raw shape is
 *    built only with -DFUZZ_RCVINFO_RAW (`make -f fuzz/Makefile fuzz-run-rcvinfo-raw`) until the
 *    parser checks the length; without it raw inputs are clamped to what the kernel can write.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../src/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KNOWN_FLAGS 0x3fu /* SCTPIO_MSG_NOTIFICATION .. SCTPIO_MSG_CTRUNC */

/* What the parser must produce for a well-formed buffer: the last complete RCVINFO and NXTINFO win. */
static void reference(const struct msghdr *mh, struct sctpio_rcvinfo *ri)
{
	const uint8_t *p = mh->msg_control, *end = p ? p + mh->msg_controllen : p;

	memset(ri, 0, sizeof(*ri));
	if (mh->msg_flags & MSG_NOTIFICATION)
		ri->flags |= SCTPIO_MSG_NOTIFICATION;
	if (!(mh->msg_flags & MSG_EOR))
		ri->flags |= SCTPIO_MSG_MORE;
	if (mh->msg_flags & MSG_CTRUNC)
		ri->flags |= SCTPIO_MSG_CTRUNC;
	while (p && (size_t)(end - p) >= sizeof(struct cmsghdr)) {
		struct cmsghdr h;
		memcpy(&h, p, sizeof(h));
		if (h.cmsg_len < sizeof(h) || h.cmsg_len > (size_t)(end - p))
			break;
		const uint8_t *body = p + CMSG_LEN(0);
		if (h.cmsg_level == IPPROTO_SCTP && h.cmsg_type == SCTP_RCVINFO &&
		    h.cmsg_len >= CMSG_LEN(sizeof(struct sctp_rcvinfo))) {
			struct sctp_rcvinfo r;
			memcpy(&r, body, sizeof(r));
			ri->flags |= SCTPIO_MSG_HAS_INFO;
			if (r.rcv_flags & SCTP_UNORDERED)
				ri->flags |= SCTPIO_MSG_UNORDERED;
			ri->stream = r.rcv_sid;
			ri->ssn = r.rcv_ssn;
			ri->ppid = ntohl(r.rcv_ppid);
			ri->tsn = r.rcv_tsn;
			ri->cumtsn = r.rcv_cumtsn;
			ri->context = r.rcv_context;
			ri->assoc_id = r.rcv_assoc_id;
		} else if (h.cmsg_level == IPPROTO_SCTP && h.cmsg_type == SCTP_NXTINFO &&
			   h.cmsg_len >= CMSG_LEN(sizeof(struct sctp_nxtinfo))) {
			struct sctp_nxtinfo n;
			memcpy(&n, body, sizeof(n));
			ri->flags |= SCTPIO_MSG_HAS_NEXT;
			ri->next_stream = n.nxt_sid;
			ri->next_flags = n.nxt_flags;
			ri->next_ppid = ntohl(n.nxt_ppid);
			ri->next_length = n.nxt_length;
			ri->next_assoc_id = n.nxt_assoc_id;
		}
		/* The walk of CMSG_NXTHDR as glibc 2.36 does it: the current cmsg padded, plus a whole next
		 * header, must fit; the next header's own length is not checked there (see the top). */
		size_t left = (size_t)(end - p), pad = CMSG_ALIGN(h.cmsg_len) - h.cmsg_len;
		if (left < sizeof(h) + pad || left - sizeof(h) - pad < h.cmsg_len)
			break;
		p += CMSG_ALIGN(h.cmsg_len);
	}
}

static void compare(const struct sctpio_rcvinfo *got, const struct sctpio_rcvinfo *want)
{
	/* Field by field: the structure's padding is not part of the contract. */
	if (got->flags != want->flags || got->stream != want->stream || got->ssn != want->ssn ||
	    got->ppid != want->ppid || got->tsn != want->tsn || got->cumtsn != want->cumtsn ||
	    got->context != want->context || got->assoc_id != want->assoc_id || got->next_stream != want->next_stream ||
	    got->next_flags != want->next_flags || got->next_ppid != want->next_ppid ||
	    got->next_length != want->next_length || got->next_assoc_id != want->next_assoc_id)
		__builtin_trap();
}

/* Parse mh with `from` holding a canary; check what every input must satisfy, and the reference. */
static void run(const struct msghdr *mh, int well_formed)
{
	struct sctpio_rcvinfo ri, want;
	sctpio_addr canary;

	memset(&canary, 0xa5, sizeof(canary));
	memset(&ri, 0x5a, sizeof(ri));
	ri.from = canary;
	sctpio__rcvinfo_parse(mh, &ri);
	if (memcmp(&ri.from, &canary, sizeof(canary)) != 0)
		__builtin_trap(); /* `from` is the caller's: recvmsg wrote the sender there */
	if (ri.flags & ~KNOWN_FLAGS)
		__builtin_trap();
	if (!!(ri.flags & SCTPIO_MSG_NOTIFICATION) != !!(mh->msg_flags & MSG_NOTIFICATION) ||
	    !!(ri.flags & SCTPIO_MSG_MORE) != !(mh->msg_flags & MSG_EOR) ||
	    !!(ri.flags & SCTPIO_MSG_CTRUNC) != !!(mh->msg_flags & MSG_CTRUNC))
		__builtin_trap();
	if (!(ri.flags & SCTPIO_MSG_HAS_INFO) && (ri.stream || ri.ppid || ri.assoc_id || ri.tsn))
		__builtin_trap();
	if (!(ri.flags & SCTPIO_MSG_HAS_NEXT) && (ri.next_stream || ri.next_ppid || ri.next_length))
		__builtin_trap();
	if (well_formed) {
		reference(mh, &want);
		compare(&ri, &want);
	}
}

/* Lay out cmsgs from the input as the kernel would: returns the control length used. */
static size_t structured(const uint8_t *in, size_t n, uint8_t *out, size_t cap, int *ctrunc)
{
	static const int types[] = { SCTP_RCVINFO, SCTP_NXTINFO, SCTP_SNDINFO, SCTP_PRINFO, SCTP_INIT, 99 };
	size_t used = 0;

	*ctrunc = 0;
	while (n >= 2) {
		/* in[0]: level and type; in[1]: payload length, biased around the real sizes. */
		int level = (in[0] & 0x80) ? SOL_SOCKET : IPPROTO_SCTP;
		int type = types[(in[0] & 0x7f) % 6];
		size_t len = in[1] % 48;
		in += 2, n -= 2;
		size_t full = CMSG_LEN(len);
		if (cap - used < sizeof(struct cmsghdr))
			break;
		if (cap - used < full) {
			/* put_cmsg: too little room left, so the header says what fits and MSG_CTRUNC is set. */
			full = cap - used;
			*ctrunc = 1;
		}
		struct cmsghdr h = { .cmsg_len = full, .cmsg_level = level, .cmsg_type = type };
		memcpy(out + used, &h, sizeof(h));
		size_t body = full - CMSG_LEN(0);
		for (size_t i = 0; i < body; i++)
			out[used + CMSG_LEN(0) + i] = i < n ? in[i] : 0;
		size_t take = body < n ? body : n;
		in += take, n -= take;
		if (*ctrunc) {
			used += full;
			break;
		}
		used += CMSG_SPACE(len) <= cap - used ? CMSG_SPACE(len) : full;
	}
	return used;
}

#ifdef FUZZ_RCVINFO_RAW
/* The known case, run first so that the raw build shows it at once: a 20-byte buffer whose only
 * header claims a 48-byte SCTP_RCVINFO. */
static void known_case(void)
{
	struct cmsghdr h = { .cmsg_len = 48, .cmsg_level = IPPROTO_SCTP, .cmsg_type = SCTP_RCVINFO };
	uint8_t *ctl = malloc(20);
	if (!ctl)
		return;
	memset(ctl, 0, 20);
	memcpy(ctl, &h, sizeof(h));
	struct msghdr mh = { .msg_control = ctl, .msg_controllen = 20, .msg_flags = MSG_EOR };
	run(&mh, 0);
	free(ctl);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef FUZZ_RCVINFO_RAW
	static int once;
	if (!once++)
		known_case();
#endif
	if (size < 5)
		return 0;
	int flags = (data[1] & 1 ? MSG_NOTIFICATION : 0) | (data[1] & 2 ? MSG_EOR : 0) | (data[1] & 4 ? MSG_CTRUNC : 0);
	/* data[2]: the buffer's capacity, as a caller would size it (SCTPIO__RCV_CMSG_SPACE is 80). */
	size_t cap = data[2] % 128;
	struct msghdr mh = { 0 };
	uint8_t *ctl;
	int well_formed = 1; /* compare with the reference */

	if (!(data[0] & 1)) {
		uint8_t tmp[128];
		int ctrunc;
		size_t used = structured(data + 3, size - 3, tmp, cap, &ctrunc);
		ctl = malloc(used ? used : 1);
		if (!ctl)
			return 0;
		memcpy(ctl, tmp, used);
		mh.msg_controllen = used;
		flags |= ctrunc ? MSG_CTRUNC : 0;
	} else {
		size_t used = size - 3 < cap ? size - 3 : cap;
		ctl = malloc(used ? used : 1);
		if (!ctl)
			return 0;
		memcpy(ctl, data + 3, used);
		mh.msg_controllen = used;
#ifdef FUZZ_RCVINFO_RAW
		well_formed = 0;
#else
		/* Clamp every header's length to the room left, as the kernel's put_cmsg guarantees. */
		for (size_t off = 0; used - off >= sizeof(struct cmsghdr);) {
			struct cmsghdr h;
			memcpy(&h, ctl + off, sizeof(h));
			if (h.cmsg_len > used - off)
				h.cmsg_len = used - off;
			memcpy(ctl + off, &h, sizeof(h));
			if (h.cmsg_len < sizeof(h) || CMSG_ALIGN(h.cmsg_len) > used - off)
				break;
			off += CMSG_ALIGN(h.cmsg_len);
		}
#endif
	}
	mh.msg_control = mh.msg_controllen ? ctl : NULL;
	mh.msg_flags = flags;
	run(&mh, well_formed);
	free(ctl);
	return 0;
}
