// SPDX-License-Identifier: MIT
/*
 * Partial messages through a batch: a 300 KiB message, larger than the receive window, comes through a
 * container of 4 KiB slots in pieces, interleaved with small messages from its own association (other
 * stream) and from a second association. Every piece but the last is marked SCTPIO_MSG_MORE, the
 * pieces are consecutive (SCTP_FRAGMENT_INTERLEAVE 0), and joining them gives back every byte; the
 * small messages arrive whole, in order, with their own metadata. Edge sizes 4096 (one full slot, no
 * MORE) and 4097 (a full slot with MORE, then one byte) are included.
 */
#include "test.h"

#define SLOT 4096
#define BIG (300 * 1024)

enum { A = 1, B = 2, BIGMSG = 3 };

static unsigned char pattern(size_t k)
{
	/* Differs between neighbouring bytes and between pieces, so a shifted or swapped piece shows. */
	return (unsigned char)(k ^ (k >> 8) ^ (k >> 13) ^ 0x5a);
}

static size_t small_len(int kind, int i)
{
	return 10 + (size_t)((i * 37 + kind * 11) % 90);
}

static void fill_small(unsigned char *buf, int kind, int i, size_t len)
{
	for (size_t k = 0; k < len; k++)
		buf[k] = (unsigned char)(kind * 64 + i + k * 3);
}

/* The messages of stream A, in order: A0..A9, then 4096 and 4097 bytes, then A10..A19 (after BIG). */
struct want {
	int i;      /* small index, or -1 / -2 for the two edge sizes */
	size_t len;
};

static void send_small(int fd, sctp_assoc_t assoc, int kind, int i, uint16_t stream, uint32_t ppid)
{
	unsigned char buf[128];
	size_t len = small_len(kind, i);
	struct sctpio_sndinfo si = { .stream = stream, .ppid = ppid, .assoc_id = assoc };

	fill_small(buf, kind, i, len);
	send_all(fd, buf, len, &si);
}

static int client(const sctpio_addr *srv, sctp_assoc_t *assoc)
{
	/* Room for the whole 300 KiB message at once, so a non-blocking send takes it. */
	int fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	int sndbuf = 1 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) < 0)
		OK(sctpio_opt_set_sndbuf(fd, sndbuf));
	OK(sctpio_sock_connect(fd, srv, 1, assoc));
	return fd;
}

int main(void)
{
	sctpio_addr srv_addr;
	sctp_assoc_t a1, a2;
	struct sctpio_batch *b;
	static unsigned char big[BIG], joined[BIG];
	unsigned char buf[SLOT + 1];

	int srv = test_server(SCTPIO_ONE_TO_MANY, &srv_addr);
	CHECK_EQ(OK(sctpio_opt_get_fragment_interleave(srv)), 0);
	int c1 = client(&srv_addr, &a1);
	int c2 = client(&srv_addr, &a2);

	/* Sender side, all queued before the receiver reads anything. */
	for (int i = 0; i < 10; i++) {
		send_small(c1, a1, A, i, 1, 11);
		send_small(c2, a2, B, i, 2, 22);
	}
	struct sctpio_sndinfo edge = { .stream = 1, .ppid = 11, .assoc_id = a1 };
	for (size_t k = 0; k <= SLOT; k++)
		buf[k] = pattern(k + 7);
	send_all(c1, buf, SLOT, &edge);
	send_all(c1, buf, SLOT + 1, &edge);
	for (size_t k = 0; k < BIG; k++)
		big[k] = pattern(k);
	struct sctpio_sndinfo bsi = { .stream = 0, .ppid = 99, .assoc_id = a1 };
	send_all(c1, big, BIG, &bsi);
	for (int i = 10; i < 20; i++) {
		send_small(c1, a1, A, i, 1, 11);
		send_small(c2, a2, B, i, 2, 22);
	}

	/* Receiver: join pieces; check each complete message against what its stream should carry. */
	OK(sctpio_batch_new(&b, 16, SLOT));
	struct want wa[22];
	int na = 0, nexta = 0, nextb = 0, bigs = 0, seen = 0, comm_up = 0;
	int before_big = 0, after_big = 0, big_pieces = 0;
	for (int i = 0; i < 10; i++)
		wa[na++] = (struct want){ i, small_len(A, i) };
	wa[na++] = (struct want){ -1, SLOT };
	wa[na++] = (struct want){ -2, SLOT + 1 };
	for (int i = 10; i < 20; i++)
		wa[na++] = (struct want){ i, small_len(A, i) };

	sctp_assoc_t sa1 = 0, sa2 = 0;
	int open = 0, pieces = 0;
	size_t jlen = 0;
	struct sctpio_rcvinfo first = { 0 };
	while (nexta < na || nextb < 20 || bigs < 1) {
		int n = OK(sctpio_batch_recv(b, srv, 1, 10000));
		for (int s = 0; s < n; s++) {
			size_t len;
			const unsigned char *p = sctpio_batch_data(b, (size_t)s, &len);
			const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, (size_t)s);
			CHECK(len <= SLOT);
			if (ri->flags & SCTPIO_MSG_NOTIFICATION) {
				CHECK(!open); /* nothing may come between the pieces of one message */
				comm_up++;
				continue;
			}
			CHECK(ri->flags & SCTPIO_MSG_HAS_INFO);
			if (open) {
				/* A continuation: same association, stream and PPID as the first piece. */
				CHECK_EQ(ri->assoc_id, first.assoc_id);
				CHECK_EQ(ri->stream, first.stream);
				CHECK_EQ(ri->ppid, first.ppid);
			} else {
				first = *ri;
				jlen = 0;
				pieces = 0;
			}
			/* Only the big message (and the 4097-byte one) may need more than a slot. */
			CHECK(jlen + len <= BIG);
			memcpy(joined + jlen, p, len);
			jlen += len;
			pieces++;
			CHECK(len > 0);
			if (ri->flags & SCTPIO_MSG_MORE) {
				open = 1;
				continue;
			}
			open = 0;
			/* Streams 0 and 1 come from client 1, stream 2 from client 2: one association each. */
			sctp_assoc_t *sa = first.stream == 2 ? &sa2 : &sa1;
			if (!*sa)
				*sa = first.assoc_id;
			CHECK_EQ(first.assoc_id, *sa);
			/* A complete message of jlen bytes in `pieces` slots. */
			if (first.stream == 0) {
				CHECK_EQ(first.ppid, 99);
				CHECK_EQ(jlen, BIG);
				for (size_t k = 0; k < BIG; k++)
					if (joined[k] != big[k])
						FAIL("big message: byte %zu is 0x%02x, want 0x%02x", k, joined[k], big[k]);
				CHECK(pieces >= BIG / SLOT);
				big_pieces = pieces;
				before_big = seen;
				bigs++;
			} else if (first.stream == 1) {
				CHECK_EQ(first.ppid, 11);
				CHECK(nexta < na);
				struct want w = wa[nexta++];
				CHECK_EQ(jlen, w.len);
				if (w.i >= 0) {
					unsigned char exp[128];
					fill_small(exp, A, w.i, w.len);
					CHECK(memcmp(joined, exp, w.len) == 0);
					CHECK_EQ(pieces, 1);
				} else {
					for (size_t k = 0; k < w.len; k++)
						CHECK_EQ(joined[k], pattern(k + 7));
					/* 4096 fills one slot exactly; 4097 needs a second for its last byte. */
					CHECK_EQ(pieces, w.i == -1 ? 1 : 2);
				}
				if (bigs)
					after_big++;
			} else {
				CHECK_EQ(first.stream, 2);
				CHECK_EQ(first.ppid, 22);
				CHECK(nextb < 20);
				unsigned char exp[128];
				size_t l = small_len(B, nextb);
				fill_small(exp, B, nextb, l);
				CHECK_EQ(jlen, l);
				CHECK(memcmp(joined, exp, l) == 0);
				CHECK_EQ(pieces, 1);
				nextb++;
				if (bigs)
					after_big++;
			}
			seen++;
		}
	}
	CHECK(!open);
	CHECK_EQ(bigs, 1);
	CHECK_EQ(comm_up, 2);
	CHECK(sa1 != sa2);
	/* The interleaving really happened: small messages on both sides of the big one. */
	CHECK(before_big >= 12);
	CHECK(after_big >= 10);
	CHECK_EQ(sctpio_batch_recv(b, srv, 1, 200), -EAGAIN);

	sctpio_batch_free(b);
	OK(sctpio_sock_close(c2));
	OK(sctpio_sock_close(c1));
	OK(sctpio_sock_close(srv));
	printf("batch partial: %d KiB in %d pieces of <= %d bytes among %d small messages (%d before, %d after) ok\n",
	       BIG / 1024, big_pieces, SLOT, na + 20, before_big, after_big);
	return 0;
}
