// SPDX-License-Identifier: MIT
/*
 * Batched receive (sctpio_batch_recv): 64 messages on 64 distinct streams with distinct PPIDs and
 * payloads come back from one call on a 64-slot container with every slot's metadata decoded; a new
 * association's COMM_UP that arrives between two runs of another association's data is told apart
 * from the data at its exact place; a one-to-one peer's shutdown ends a batch with an empty slot;
 * and on a dual-stack AF_INET6 socket with SCTP_I_WANT_MAPPED_V4_ADDR on, where the kernel names an
 * IPv4 sender ::ffff:127.0.0.1, the slot names it AF_INET 127.0.0.1 with its port, as sctpio_recv does.
 */
#include "test.h"

/* A one-to-many client asking for `ostreams` outbound streams, connected to srv. */
static int client(const sctpio_addr *srv, uint16_t ostreams, sctp_assoc_t *assoc, uint16_t *port)
{
	sctpio_addr local;
	int fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	struct sctp_initmsg im = { .sinit_num_ostreams = ostreams, .sinit_max_instreams = ostreams };

	CHECK(setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im)) == 0);
	OK(sctpio_sock_connect(fd, srv, 1, assoc));
	CHECK(OK(sctpio_sock_local_addrs(fd, 0, &local, 1)) >= 1);
	*port = sctpio_addr_port(&local);
	return fd;
}

/*
 * Wait for the client's own COMM_UP. The server queued its COMM_UP before sending the COOKIE-ACK that
 * brings the client up, so once this returns the server's notification is in its receive queue.
 */
static void wait_comm_up(int fd)
{
	union sctp_notification sn;
	struct sctpio_rcvinfo ri;

	for (;;) {
		wait_fd(fd, POLLIN, 10000);
		ssize_t n = sctpio_recv(fd, &sn, sizeof(sn), &ri);
		if (n == -EAGAIN)
			continue;
		CHECK(n > 0);
		CHECK(ri.flags & SCTPIO_MSG_NOTIFICATION);
		if (sn.sn_header.sn_type == SCTP_ASSOC_CHANGE) {
			CHECK_EQ(sn.sn_assoc_change.sac_state, SCTP_COMM_UP);
			return;
		}
	}
}

/*
 * Wait until the server has taken in `chunks` ordered DATA chunks of association assoc. The kernel
 * counts a chunk and queues it for the reader in one step under the socket lock, so when the count
 * is reached the messages are in the receive queue. There is no descriptor event for this, so it is
 * checked every millisecond against a deadline.
 */
static void wait_delivered(int srv, sctp_assoc_t assoc, uint64_t chunks)
{
	for (int ms = 0; ms < 10000; ms++) {
		struct sctp_assoc_stats st = { .sas_assoc_id = assoc };
		socklen_t l = sizeof(st);
		CHECK(getsockopt(srv, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &st, &l) == 0);
		if (st.sas_iodchunks >= chunks)
			return;
		poll(NULL, 0, 1);
	}
	FAIL("association %d: %llu chunks not delivered within 10 s", (int)assoc, (unsigned long long)chunks);
}

/* Message seq of client c: distinct text and a length that varies with seq. */
static size_t make_msg(int c, int seq, char *buf)
{
	int n = sprintf(buf, "client %d message %03d:", c, seq);
	for (int k = 0; k < seq % 37; k++)
		buf[n++] = (char)('a' + (seq + k) % 26);
	return (size_t)n;
}

static void send_msg(int fd, sctp_assoc_t assoc, int c, int seq, uint16_t stream, uint32_t ppid)
{
	char buf[128];
	struct sctpio_sndinfo si = { .stream = stream, .ppid = ppid, .assoc_id = assoc };
	send_all(fd, buf, make_msg(c, seq, buf), &si);
}

/* Slot i must be client c's message seq, whole, with this metadata. */
static void check_slot(struct sctpio_batch *b, size_t i, int c, int seq, uint16_t stream, uint16_t ssn,
		       uint32_t ppid, sctp_assoc_t assoc, uint16_t port)
{
	char want[128];
	size_t len, wlen = make_msg(c, seq, want);
	const char *p = sctpio_batch_data(b, i, &len);
	const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, i);

	CHECK(p && ri);
	if (len != wlen || memcmp(p, want, len) != 0)
		FAIL("slot %zu: got %zu bytes \"%.*s\", want client %d message %d", i, len, (int)len, p, c, seq);
	CHECK(!(ri->flags & (SCTPIO_MSG_NOTIFICATION | SCTPIO_MSG_MORE | SCTPIO_MSG_CTRUNC)));
	CHECK(ri->flags & SCTPIO_MSG_HAS_INFO);
	CHECK_EQ(ri->stream, stream);
	CHECK_EQ(ri->ssn, ssn);
	CHECK_EQ(ri->ppid, ppid);
	CHECK_EQ(ri->assoc_id, assoc);
	CHECK_EQ(ri->from.sa.sa_family, AF_INET);
	CHECK_EQ(ntohl(ri->from.sin.sin_addr.s_addr), INADDR_LOOPBACK);
	CHECK_EQ(sctpio_addr_port(&ri->from), port);
}

/* Slot i must be a COMM_UP notification; returns the association it announces. */
static sctp_assoc_t check_comm_up(struct sctpio_batch *b, size_t i)
{
	size_t len;
	const union sctp_notification *sn = sctpio_batch_data(b, i, &len);
	const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, i);

	CHECK(sn && ri);
	CHECK(ri->flags & SCTPIO_MSG_NOTIFICATION);
	CHECK(!(ri->flags & SCTPIO_MSG_MORE));
	CHECK(len >= sizeof(struct sctp_assoc_change));
	CHECK_EQ(sn->sn_header.sn_type, SCTP_ASSOC_CHANGE);
	CHECK_EQ(sn->sn_assoc_change.sac_state, SCTP_COMM_UP);
	CHECK(sn->sn_assoc_change.sac_assoc_id != 0);
	return sn->sn_assoc_change.sac_assoc_id;
}

static void one_to_many(void)
{
	sctpio_addr srv_addr;
	struct sctpio_batch *b;
	sctp_assoc_t a1, a2, s1, s2;
	uint16_t p1, p2;

	int srv = test_server(SCTPIO_ONE_TO_MANY, &srv_addr);
	OK(sctpio_batch_new(&b, 64, 256));

	int c1 = client(&srv_addr, 64, &a1, &p1);
	wait_comm_up(c1);
	/* Only the COMM_UP is waiting: one slot, a notification. */
	CHECK_EQ(OK(sctpio_batch_recv(b, srv, 1, 10000)), 1);
	s1 = check_comm_up(b, 0);

	/* 64 messages, message i on stream i with PPID 1000 + i. */
	for (int i = 0; i < 64; i++)
		send_msg(c1, a1, 1, i, (uint16_t)i, 1000u + (uint32_t)i);
	/* min = 64: the call returns when all 64 are in, and not a slot more than the 64 sent. */
	CHECK_EQ(OK(sctpio_batch_recv(b, srv, 64, 10000)), 64);
	CHECK_EQ(sctpio_batch_count(b), 64);
	for (int i = 0; i < 64; i++)
		check_slot(b, (size_t)i, 1, i, (uint16_t)i, 0, 1000u + (uint32_t)i, s1, p1);
	CHECK(sctpio_batch_data(b, 64, NULL) == NULL);
	CHECK(sctpio_batch_info(b, 64) == NULL);
	CHECK_EQ(sctpio_batch_recv(b, srv, 1, 0), -EAGAIN);
	CHECK_EQ(sctpio_batch_count(b), 0);

	/*
	 * Interleaving: 20 messages of association 1 are in the server's queue before client 2 comes
	 * up, then 20 more of association 1 and 10 of association 2 follow its COMM_UP.
	 */
	for (int i = 64; i < 84; i++)
		send_msg(c1, a1, 1, i, (uint16_t)(i % 64), 1000u + (uint32_t)i);
	wait_delivered(srv, s1, 84);
	int c2 = client(&srv_addr, 10, &a2, &p2);
	wait_comm_up(c2);
	for (int i = 84; i < 104; i++)
		send_msg(c1, a1, 1, i, (uint16_t)(i % 64), 1000u + (uint32_t)i);
	for (int j = 0; j < 10; j++)
		send_msg(c2, a2, 2, j, (uint16_t)j, 7000u + (uint32_t)j);

	CHECK_EQ(OK(sctpio_batch_recv(b, srv, 51, 10000)), 51);
	for (int i = 0; i < 20; i++)
		check_slot(b, (size_t)i, 1, 64 + i, (uint16_t)(64 + i - 64), 1, 1000u + 64 + (uint32_t)i, s1, p1);
	s2 = check_comm_up(b, 20);
	CHECK(s2 != s1);
	/* After it, each association's messages in the order sent, however the two mix. */
	int next1 = 84, next2 = 0;
	for (size_t i = 21; i < 51; i++) {
		const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, i);
		CHECK(ri && !(ri->flags & SCTPIO_MSG_NOTIFICATION));
		if (ri->assoc_id == s1) {
			CHECK(next1 < 104);
			check_slot(b, i, 1, next1, (uint16_t)(next1 % 64), 1, 1000u + (uint32_t)next1, s1, p1);
			next1++;
		} else {
			CHECK(next2 < 10);
			check_slot(b, i, 2, next2, (uint16_t)next2, 0, 7000u + (uint32_t)next2, s2, p2);
			next2++;
		}
	}
	CHECK_EQ(next1, 104);
	CHECK_EQ(next2, 10);
	CHECK_EQ(sctpio_batch_recv(b, srv, 1, 0), -EAGAIN);

	sctpio_batch_free(b);
	OK(sctpio_sock_close(c2));
	OK(sctpio_sock_close(c1));
	OK(sctpio_sock_close(srv));
}

/* One-to-one: after the peer's shutdown a batch ends with an empty, non-notification slot. */
static void end_of_stream(void)
{
	sctpio_addr addr;
	struct sctpio_batch *b;

	int srv = test_server(SCTPIO_ONE_TO_ONE, &addr);
	int cli = sctpio_sock_client(SCTPIO_ONE_TO_ONE, &addr, 1, NULL, 0, 0, NULL);
	CHECK(cli >= 0);
	wait_fd(cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(cli), 0);
	wait_fd(srv, POLLIN, 10000);
	int acc = OK(sctpio_sock_accept(srv, NULL, 0));

	for (int i = 0; i < 3; i++) {
		char buf[128];
		struct sctpio_sndinfo si = { .stream = 1, .ppid = 5 };
		send_all(cli, buf, make_msg(3, i, buf), &si);
	}
	OK(sctpio_sock_shutdown(cli, 0));

	/* min 64 cannot be met: the call still returns as soon as the end of stream is read. */
	OK(sctpio_batch_new(&b, 64, 256));
	int n = OK(sctpio_batch_recv(b, acc, 64, 10000));
	int data = 0;
	for (int i = 0; i < n - 1; i++) {
		const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, (size_t)i);
		if (ri->flags & SCTPIO_MSG_NOTIFICATION)
			continue;
		char want[128];
		size_t len, wlen = make_msg(3, data, want);
		const void *p = sctpio_batch_data(b, (size_t)i, &len);
		CHECK(len == wlen && memcmp(p, want, len) == 0);
		CHECK_EQ(ri->stream, 1);
		CHECK_EQ(ri->ppid, 5);
		data++;
	}
	CHECK_EQ(data, 3);
	size_t len;
	const struct sctpio_rcvinfo *last = sctpio_batch_info(b, (size_t)n - 1);
	CHECK(sctpio_batch_data(b, (size_t)n - 1, &len) != NULL);
	CHECK_EQ(len, 0);
	CHECK(!(last->flags & (SCTPIO_MSG_NOTIFICATION | SCTPIO_MSG_MORE)));
	/* The end stays: the next call reads it again, as one empty slot. */
	CHECK_EQ(OK(sctpio_batch_recv(b, acc, 8, 1000)), 1);
	sctpio_batch_data(b, 0, &len);
	CHECK_EQ(len, 0);

	sctpio_batch_free(b);
	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
}

static void mapped_v4(void)
{
	sctpio_addr any, to, local, bound[8], want;
	OK(sctpio_addr_parse(&any, "::", 0));
	/* No events: the first thing to arrive is the message, for the raw peek below. */
	int srv = OK(sctpio_sock_server(SCTPIO_ONE_TO_MANY, &any, 1, 0, SCTPIO_NO_EVENTS));
	/* A wildcard bind lists every local address, each with the one port. */
	CHECK(OK(sctpio_sock_local_addrs(srv, 0, bound, 8)) >= 1);
	local = bound[0];
	OK(sctpio_opt_set_mapped_v4(srv, 1));
	CHECK_EQ(sctpio_opt_get_mapped_v4(srv), 1);
	OK(sctpio_addr_parse(&to, "127.0.0.1", sctpio_addr_port(&local)));
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	struct sctpio_sndinfo si = { .to = &to, .stream = 2, .ppid = 44 };
	send_all(cli, "from v4", 7, &si);
	sctp_assoc_t id;
	CHECK_EQ(OK(sctpio_opt_get_assoc_ids(cli, &id, 1)), 1);
	CHECK_EQ(OK(sctpio_sock_local_addrs(cli, id, &local, 1)), 1);
	OK(sctpio_addr_parse(&want, "127.0.0.1", sctpio_addr_port(&local)));

	/* What the kernel itself writes: the sender v4-mapped. */
	wait_fd(srv, POLLIN, 10000);
	struct sockaddr_in6 raw;
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_name = &raw, .msg_namelen = sizeof(raw), .msg_iov = &iov, .msg_iovlen = 1 };
	CHECK_EQ(recvmsg(srv, &mh, MSG_PEEK), 1);
	CHECK(!(mh.msg_flags & MSG_NOTIFICATION));
	CHECK_EQ(raw.sin6_family, AF_INET6);
	CHECK(IN6_IS_ADDR_V4MAPPED(&raw.sin6_addr));
	CHECK_EQ(ntohs(raw.sin6_port), sctpio_addr_port(&want));

	struct sctpio_batch *b;
	OK(sctpio_batch_new(&b, 4, 64));
	CHECK_EQ(sctpio_batch_recv(b, srv, 1, 10000), 1);
	size_t len;
	const void *data = sctpio_batch_data(b, 0, &len);
	CHECK_EQ(len, 7);
	CHECK(memcmp(data, "from v4", 7) == 0);
	const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, 0);
	CHECK_EQ(ri->stream, 2);
	CHECK_EQ(ri->ppid, 44);
	CHECK_EQ(ri->from.sa.sa_family, AF_INET);
	CHECK_EQ(sctpio_addr_len(&ri->from), sizeof(struct sockaddr_in));
	CHECK(sctpio_addr_equal(&ri->from, &want));
	char text[64];
	OK(sctpio_addr_format(&ri->from, text, sizeof(text)));
	printf("mapped v4: the kernel said ::ffff:127.0.0.1, the batch says %s\n", text);
	CHECK_EQ(sctpio_batch_free(b), 0);
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
}

int main(void)
{
	one_to_many();
	end_of_stream();
	mapped_v4();
	printf("batch recv: 64 in one call, COMM_UP among data, end of stream, mapped v4 ok\n");
	return 0;
}
