// SPDX-License-Identifier: MIT
/*
 * Batched send (sctpio_batch_send): 64 messages on mixed streams and PPIDs go in one call and arrive
 * intact and in order per stream; a stream number out of range at slot 10 of 20 lets slots 0..9 go,
 * fails with -EINVAL at slot 10 and keeps 11..19 queued until the caller drops the bad one; and a
 * queue that wraps round the ring of slots still goes out in order. Nothing is lost or duplicated.
 */
#include "test.h"

#define NSTREAMS 16

struct got {
	uint16_t stream;
	uint32_t ppid;
	char text[64];
};

static int client(const sctpio_addr *srv, sctp_assoc_t *assoc)
{
	int fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	struct sctp_initmsg im = { .sinit_num_ostreams = NSTREAMS, .sinit_max_instreams = NSTREAMS };

	CHECK(setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im)) == 0);
	OK(sctpio_sock_connect(fd, srv, 1, assoc));
	/* Wait for COMM_UP, so the stream count checked below is the negotiated one. */
	for (;;) {
		union sctp_notification sn;
		struct sctpio_rcvinfo ri;
		wait_fd(fd, POLLIN, 10000);
		ssize_t n = sctpio_recv(fd, &sn, sizeof(sn), &ri);
		if (n == -EAGAIN)
			continue;
		CHECK(n > 0 && (ri.flags & SCTPIO_MSG_NOTIFICATION));
		if (sn.sn_header.sn_type == SCTP_ASSOC_CHANGE && sn.sn_assoc_change.sac_state == SCTP_COMM_UP)
			return fd;
	}
}

/* Receive exactly n data messages (notifications are skipped) into out[], then make sure no other
 * message follows within 200 ms: a duplicate would show up there. */
static void collect(int srv, struct sctpio_batch *b, struct got *out, int n)
{
	int have = 0;

	while (have < n) {
		int r = OK(sctpio_batch_recv(b, srv, 1, 10000));
		for (int i = 0; i < r; i++) {
			size_t len;
			const char *p = sctpio_batch_data(b, (size_t)i, &len);
			const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, (size_t)i);
			if (ri->flags & SCTPIO_MSG_NOTIFICATION)
				continue;
			CHECK(!(ri->flags & SCTPIO_MSG_MORE));
			CHECK(have < n);
			CHECK(len < sizeof(out[have].text));
			out[have].stream = ri->stream;
			out[have].ppid = ri->ppid;
			memcpy(out[have].text, p, len);
			out[have].text[len] = 0;
			have++;
		}
	}
	CHECK_EQ(sctpio_batch_recv(b, srv, 1, 200), -EAGAIN);
}

/* Find message `text` in got[0..n): exactly once, with this stream and PPID. Returns its position. */
static int find_once(const struct got *got, int n, const char *text, uint16_t stream, uint32_t ppid)
{
	int at = -1;

	for (int i = 0; i < n; i++) {
		if (strcmp(got[i].text, text) != 0)
			continue;
		if (at >= 0)
			FAIL("\"%s\" arrived twice (positions %d and %d)", text, at, i);
		at = i;
	}
	if (at < 0)
		FAIL("\"%s\" never arrived", text);
	CHECK_EQ(got[at].stream, stream);
	CHECK_EQ(got[at].ppid, ppid);
	return at;
}

static void mixed_64(int srv, int cli, const sctpio_addr *srv_addr, sctp_assoc_t assoc, struct sctpio_batch *rb)
{
	struct sctpio_batch *b;
	struct got got[64];
	char text[64];
	int seq[NSTREAMS] = { 0 };

	OK(sctpio_batch_new(&b, 64, 128));
	for (int i = 0; i < 64; i++) {
		uint16_t stream = (uint16_t)(i * 7 % NSTREAMS);
		int len = sprintf(text, "m%02d s%02u q%d", i, stream, seq[stream]++);
		/* Half by association id, half by address; the address is copied, so clobbering the
		 * caller's copy after the add must not matter. */
		sctpio_addr to = *srv_addr;
		struct sctpio_sndinfo si = { .stream = stream, .ppid = 500u + (uint32_t)(i % 5) };
		if (i % 2)
			si.assoc_id = assoc;
		else
			si.to = &to;
		CHECK_EQ(OK(sctpio_batch_add(b, text, (size_t)len, &si)), i);
		memset(&to, 0xa5, sizeof(to));
	}
	CHECK_EQ(sctpio_batch_pending(b), 64);
	CHECK_EQ(sctpio_batch_add(b, "x", 1, NULL), -ENOBUFS);
	/* A fresh association has room for all 64: one call sends them all. */
	CHECK_EQ(OK(sctpio_batch_send(b, cli)), 64);
	CHECK_EQ(sctpio_batch_pending(b), 0);
	CHECK_EQ(sctpio_batch_send(b, cli), 0);

	collect(srv, rb, got, 64);
	int last[NSTREAMS];
	for (int s = 0; s < NSTREAMS; s++)
		last[s] = -1;
	memset(seq, 0, sizeof(seq));
	for (int i = 0; i < 64; i++) {
		uint16_t stream = (uint16_t)(i * 7 % NSTREAMS);
		sprintf(text, "m%02d s%02u q%d", i, stream, seq[stream]++);
		int at = find_once(got, 64, text, stream, 500u + (uint32_t)(i % 5));
		/* In order per stream: each message after the stream's previous one. */
		CHECK(at > last[stream]);
		last[stream] = at;
	}
	sctpio_batch_free(b);
}

static void bad_stream_in_middle(int srv, int cli, sctp_assoc_t assoc, struct sctpio_batch *rb)
{
	struct sctpio_batch *b;
	struct got got[19];
	char text[64];

	OK(sctpio_batch_new(&b, 20, 64));
	for (int i = 0; i < 20; i++) {
		struct sctpio_sndinfo si = { .stream = (uint16_t)(i == 10 ? 100 : i % NSTREAMS),
					     .ppid = 900u + (uint32_t)i, .assoc_id = assoc };
		int len = sprintf(text, "bad-test %02d", i);
		CHECK_EQ(OK(sctpio_batch_add(b, text, (size_t)len, &si)), i);
	}
	CHECK_EQ(OK(sctpio_batch_send(b, cli)), 10);
	CHECK_EQ(sctpio_batch_pending(b), 10);
	/* The reason comes with the next call, which sends nothing and keeps all ten queued. */
	CHECK_EQ(sctpio_batch_send(b, cli), -EINVAL);
	CHECK_EQ(sctpio_batch_send(b, cli), -EINVAL);
	CHECK_EQ(sctpio_batch_pending(b), 10);
	CHECK_EQ(OK(sctpio_batch_drop(b)), 10);
	CHECK_EQ(sctpio_batch_pending(b), 9);
	CHECK_EQ(OK(sctpio_batch_send(b, cli)), 9);
	CHECK_EQ(sctpio_batch_pending(b), 0);
	CHECK_EQ(sctpio_batch_drop(b), -ENOENT);

	collect(srv, rb, got, 19);
	int last[NSTREAMS];
	for (int s = 0; s < NSTREAMS; s++)
		last[s] = -1;
	for (int i = 0; i < 20; i++) {
		if (i == 10)
			continue;
		sprintf(text, "bad-test %02d", i);
		int at = find_once(got, 19, text, (uint16_t)(i % NSTREAMS), 900u + (uint32_t)i);
		CHECK(at > last[i % NSTREAMS]);
		last[i % NSTREAMS] = at;
	}
	sctpio_batch_free(b);
}

/* An 8-slot ring: a queue of slots 6, 7, 0..5 goes out as one send (two system calls), in order. */
static void ring_wrap(int srv, int cli, sctp_assoc_t assoc, struct sctpio_batch *rb)
{
	struct sctpio_batch *b;
	struct got got[13];
	char text[64];
	int order[13], n = 0;

	OK(sctpio_batch_new(&b, 8, 64));
	for (int i = 0; i < 8; i++) {
		struct sctpio_sndinfo si = { .stream = (uint16_t)(i == 5 ? NSTREAMS : 1), .ppid = 77,
					     .assoc_id = assoc };
		int len = sprintf(text, "ring %02d", i);
		CHECK_EQ(OK(sctpio_batch_add(b, text, (size_t)len, &si)), i);
		if (i != 5)
			order[n++] = i;
	}
	CHECK_EQ(OK(sctpio_batch_send(b, cli)), 5);
	CHECK_EQ(sctpio_batch_send(b, cli), -EINVAL);
	CHECK_EQ(OK(sctpio_batch_drop(b)), 5);
	CHECK_EQ(sctpio_batch_pending(b), 2);
	/* Slots 6 and 7 are still queued; new messages take slots 0..5, after them in the queue. */
	for (int i = 8; i < 14; i++) {
		struct sctpio_sndinfo si = { .stream = 1, .ppid = 77, .assoc_id = assoc };
		int len = sprintf(text, "ring %02d", i);
		CHECK_EQ(OK(sctpio_batch_add(b, text, (size_t)len, &si)), i - 8);
		order[n++] = i;
	}
	CHECK_EQ(sctpio_batch_pending(b), 8);
	CHECK_EQ(sctpio_batch_add(b, "x", 1, NULL), -ENOBUFS);
	CHECK_EQ(OK(sctpio_batch_send(b, cli)), 8);
	CHECK_EQ(sctpio_batch_pending(b), 0);

	collect(srv, rb, got, 13);
	for (int k = 0; k < 13; k++) {
		sprintf(text, "ring %02d", order[k]);
		CHECK_EQ(find_once(got, 13, text, 1, 77), k);
	}
	sctpio_batch_free(b);
}

int main(void)
{
	sctpio_addr srv_addr;
	struct sctpio_batch *rb;
	sctp_assoc_t assoc;

	int srv = test_server(SCTPIO_ONE_TO_MANY, &srv_addr);
	int cli = client(&srv_addr, &assoc);
	OK(sctpio_batch_new(&rb, 64, 256));

	mixed_64(srv, cli, &srv_addr, assoc, rb);
	bad_stream_in_middle(srv, cli, assoc, rb);
	ring_wrap(srv, cli, assoc, rb);

	sctpio_batch_free(rb);
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
	printf("batch send: 64 mixed in one call, bad stream at slot 10 of 20, ring wrap ok\n");
	return 0;
}
