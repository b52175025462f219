// SPDX-License-Identifier: MIT
/*
 * fuzz_notify.c - libFuzzer target for the notification decoder and its helpers.
 *
 * Each input is decoded twice: as it is, and behind a well-formed header whose type and sn_length the
 * first two bytes choose, so the fuzzer reaches every type's body at once instead of having to guess
 * a 16-bit type and a consistent length first. Every borrowed pointer the decoder returns is read
 * end to end, so ASan reports any pointer or length that strays outside the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sctpio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

/* Touch every byte of a borrowed range and insist it lies inside the decoded notification. */
static void consume(const uint8_t *base, size_t total, const void *ptr, size_t len)
{
	const uint8_t *p = ptr;

	if (!len) {
		if (p)
			__builtin_trap();
		return;
	}
	if (!p || p < base || p + len > base + total)
		__builtin_trap();
	for (size_t i = 0; i < len; i++)
		sink += p[i];
}

static void exercise(const uint8_t *buf, size_t len)
{
	struct sctpio_notification n;
	char text[256];
	int rc = sctpio_notification_decode(buf, len, &n);

	if (rc == -ENOTSUP) {
		if (sctpio_notification_format(&n, text, sizeof(text)) < 0)
			__builtin_trap();
		return;
	}
	if (rc < 0) {
		if (rc != -EINVAL || n.type != 0)
			__builtin_trap();
		return;
	}
	if ((size_t)rc > len || rc < 8 || (uint32_t)rc != n.length)
		__builtin_trap();
	size_t total = (size_t)rc;
	switch (n.type) {
	case SCTP_ASSOC_CHANGE: {
		const void *reason;
		size_t rlen;
		consume(buf, total, n.u.assoc_change.info, n.u.assoc_change.info_len);
		int r = sctpio_notification_abort_reason(&n, &reason, &rlen);
		if (r == 1)
			consume(buf, total, reason, rlen);
		else if (r != 0 && r != -EPROTO)
			__builtin_trap();
		break;
	}
	case SCTP_REMOTE_ERROR:
		consume(buf, total, n.u.remote_error.data, n.u.remote_error.data_len);
		break;
	case SCTP_SEND_FAILED:
	case SCTP_SEND_FAILED_EVENT:
		consume(buf, total, n.u.send_failed.data, n.u.send_failed.data_len);
		break;
	case SCTP_STREAM_RESET_EVENT:
		consume(buf, total, n.u.stream_reset.streams, n.u.stream_reset.count * 2);
		for (size_t i = 0; i <= n.u.stream_reset.count && i < 70000; i++) {
			int s = sctpio_notification_stream_at(&n, i);
			if (i < n.u.stream_reset.count ? (s < 0 || s > 65535) : s != -ERANGE)
				__builtin_trap();
		}
		break;
	default:
		break;
	}
	/* The formatter at every interesting size: too small must say -ENOSPC and stay terminated. */
	size_t sizes[] = { 1, 8, 40, sizeof(text) };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int f = sctpio_notification_format(&n, text, sizes[i]);
		if (f == -ENOSPC ? strlen(text) != sizes[i] - 1 : (f < 0 || (size_t)f != strlen(text)))
			__builtin_trap();
	}
	if (strlen(sctpio_notification_name(n.type)) == 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	exercise(data, size);
	if (size < 2)
		return 0;

	/* Structured: data[0] picks one of the 13 known types, data[1] how far sn_length falls short
	 * of (or, with the top bit, runs past) the real length. */
	size_t total = 8 + size - 2;
	uint8_t *b = malloc(total);
	if (!b)
		return 0;
	uint16_t type = (uint16_t)(SCTP_ASSOC_CHANGE + data[0] % 13);
	uint16_t flags = data[0] >> 4;
	uint32_t delta = data[1] & 0x7f;
	uint32_t sn_len = (data[1] & 0x80) ? (uint32_t)total + delta : (uint32_t)total - (delta < total ? delta : 0);
	memcpy(b, &type, 2);
	memcpy(b + 2, &flags, 2);
	memcpy(b + 4, &sn_len, 4);
	memcpy(b + 8, data + 2, size - 2);
	exercise(b, total);
	free(b);
	return 0;
}
