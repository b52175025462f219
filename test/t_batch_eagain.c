// SPDX-License-Identifier: MIT
/*
 * Back-pressure through batched send: 100,000 messages on 8 streams go through sctpio_batch_send on a
 * non-blocking socket to a receiver that reads at most 16 at a time, so the socket fills and sends
 * stop part-way through a batch with -EAGAIN. The sender resumes with what stayed queued. The receiver
 * checks every message's bytes and per-stream sequence number and a checksum of all of them: none may
 * be lost, duplicated or out of order within its stream, and back-pressure must really have happened.
 * Usage: t_batch_eagain [COUNT] (default 100000; a smaller count suits slow runs such as valgrind).
 */
#include <time.h>

#include "test.h"

#define STREAMS 8

struct hdr {
	uint32_t global;     /* position in the whole sequence */
	uint32_t stream_seq; /* position within its stream */
	uint16_t stream;
	uint16_t len;        /* whole message length */
};

static uint16_t stream_of(uint32_t g)
{
	return (uint16_t)((g * 2654435761u) >> 29) % STREAMS;
}

/*
 * 512..1279 bytes, not smaller, and a 1 MiB receive buffer (see main): both keep the kernel from
 * discarding packets, which this test is not about. The kernel charges each queued message about
 * 250 bytes of bookkeeping against SO_RCVBUF but only its data against the window it advertises
 * (half of SO_RCVBUF); with small messages a slow reader runs out of buffer first, the kernel shuts
 * the window at once and discards what is already on the way, and the sender sits out a
 * retransmission timeout (about 0.6 s in the guest). Packets that arrive while the reader holds the
 * socket go to its backlog, which shares the same limit. Measured in the guest with 20,000 messages:
 * 16..200 bytes and the default buffer, 24 s with 36 such stalls; 512..1279 bytes and 1 MiB, 1.7 s
 * with none.
 */
static size_t len_of(uint32_t g)
{
	return 512 + (g * 40503u >> 7) % 768;
}

static unsigned char body_byte(uint32_t g, size_t k)
{
	return (unsigned char)(g * 31 + k * 7 + (k >> 3));
}

/* An order-independent checksum: the sum of each message's FNV-1a hash. */
static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static size_t make(uint32_t g, uint32_t seq, unsigned char *buf)
{
	struct hdr h = { .global = g, .stream_seq = seq, .stream = stream_of(g), .len = (uint16_t)len_of(g) };
	memcpy(buf, &h, sizeof(h));
	for (size_t k = sizeof(h); k < h.len; k++)
		buf[k] = body_byte(g, k);
	return h.len;
}

int main(int argc, char **argv)
{
	const uint32_t total = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 100000;
	sctpio_addr srv_addr;
	struct sctpio_batch *sb, *rb;
	uint32_t send_seq[STREAMS] = { 0 }, recv_seq[STREAMS] = { 0 };
	uint64_t send_sum = 0, recv_sum = 0;
	uint32_t added = 0, sent = 0, received = 0;
	long eagain = 0, partial = 0, calls = 0, notifications = 0;
	unsigned char buf[1280];
	struct timespec t0, t1;

	CHECK(total > 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int srv = test_server(SCTPIO_ONE_TO_MANY, &srv_addr);
	/* SO_RCVBUFFORCE passes net.core.rmem_max (the guest runs tests as root); without the
	 * privilege the test still passes, only more slowly. */
	int rcvbuf = 1 << 20;
	if (setsockopt(srv, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		OK(sctpio_opt_set_rcvbuf(srv, rcvbuf));
	sctp_assoc_t assoc;
	int cli = OK(sctpio_sock_client(SCTPIO_ONE_TO_MANY, &srv_addr, 1, NULL, 0, 0, &assoc));
	OK(sctpio_batch_new(&sb, 64, 1280));
	OK(sctpio_batch_new(&rb, 16, 1280));

	while (received < total) {
		/* Sender: top the queue up, then one batched send. */
		int blocked = 0;
		while (added < total && sctpio_batch_pending(sb) < 64) {
			uint32_t g = added;
			uint16_t s = stream_of(g);
			size_t len = make(g, send_seq[s]++, buf);
			send_sum += fnv(buf, len);
			struct sctpio_sndinfo si = { .stream = s, .ppid = 0x5000u + s, .assoc_id = assoc };
			OK(sctpio_batch_add(sb, buf, len, &si));
			added++;
		}
		size_t before = sctpio_batch_pending(sb);
		if (before) {
			int r = sctpio_batch_send(sb, cli);
			calls++;
			if (r == -EAGAIN) {
				eagain++;
				blocked = 1;
			} else if (r < 0) {
				FAIL("sctpio_batch_send: %s", strerror(-r));
			} else {
				CHECK(r > 0 && (size_t)r <= before);
				CHECK_EQ(sctpio_batch_pending(sb), before - (size_t)r);
				sent += (uint32_t)r;
				if ((size_t)r < before)
					partial++;
			}
		}

		/* Receiver: one batch of at most 16. When the sender is blocked and nothing is waiting,
		 * wait for whichever comes first, data or room. */
		int n = sctpio_batch_recv(rb, srv, 1, 0);
		if (n == -EAGAIN) {
			if (blocked) {
				struct pollfd p[2] = { { .fd = srv, .events = POLLIN }, { .fd = cli, .events = POLLOUT } };
				if (poll(p, 2, 10000) == 0)
					FAIL("stalled: sent %u, received %u", sent, received);
			}
			continue;
		}
		CHECK(n > 0);
		for (int i = 0; i < n; i++) {
			size_t len;
			const unsigned char *p = sctpio_batch_data(rb, (size_t)i, &len);
			const struct sctpio_rcvinfo *ri = sctpio_batch_info(rb, (size_t)i);
			if (ri->flags & SCTPIO_MSG_NOTIFICATION) {
				notifications++;
				continue;
			}
			struct hdr h;
			CHECK(!(ri->flags & SCTPIO_MSG_MORE));
			CHECK(len >= sizeof(h));
			memcpy(&h, p, sizeof(h));
			CHECK(h.global < total);
			CHECK_EQ(h.len, len);
			CHECK_EQ(len, len_of(h.global));
			CHECK_EQ(h.stream, stream_of(h.global));
			CHECK_EQ(ri->stream, h.stream);
			CHECK_EQ(ri->ppid, 0x5000u + h.stream);
			if (h.stream_seq != recv_seq[h.stream])
				FAIL("stream %u: got sequence %u, expected %u (global %u)", h.stream, h.stream_seq,
				     recv_seq[h.stream], h.global);
			recv_seq[h.stream]++;
			for (size_t k = sizeof(h); k < len; k++)
				if (p[k] != body_byte(h.global, k))
					FAIL("message %u: byte %zu corrupted", h.global, k);
			recv_sum += fnv(p, len);
			received++;
		}
	}

	CHECK_EQ(added, total);
	CHECK_EQ(sent, total);
	CHECK_EQ(sctpio_batch_pending(sb), 0);
	CHECK_EQ(received, total);
	for (int s = 0; s < STREAMS; s++)
		CHECK_EQ(recv_seq[s], send_seq[s]);
	CHECK(recv_sum == send_sum);
	CHECK_EQ(notifications, 1); /* the COMM_UP, and nothing else */
	/* Nothing more may come: a duplicate would arrive here. */
	CHECK_EQ(sctpio_batch_recv(rb, srv, 1, 200), -EAGAIN);
	/* Back-pressure must really have been exercised, including sends cut off mid-batch. */
	CHECK(eagain > 0);
	CHECK(partial > 0);

	sctpio_batch_free(sb);
	sctpio_batch_free(rb);
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("batch eagain: %u messages, 0 lost, 0 duplicated, in order on %d streams; %ld sends, %ld -EAGAIN, "
	       "%ld partial; %.1f s\n", total, STREAMS, calls, eagain, partial,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
