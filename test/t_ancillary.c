// SPDX-License-Identifier: MIT
/*
 * t_ancillary - the send-side ancillary data beyond SNDINFO/PRINFO, each shown to reach the kernel
 * and do what RFC 6458 says, and sctpio_recvv:
 *  - SCTP_INIT (sndinfo.init): a one-to-many send that sets up an association asks for 3 outbound
 *    streams, and the association has 3 (a send without it gets the socket's 10);
 *  - SCTP_DSTADDRV4/V6 (sndinfo.also_to): across two paths of which the first drops everything, the
 *    INIT goes on to the further address and the message arrives (without it, no association), over
 *    IPv4 and over IPv6 alike (the IPv6 association's one peer address is then the further one); one
 *    of the wrong family is refused by the kernel; bad lists are refused by sctpio, and in batches;
 *  - SCTP_AUTHINFO (SCTPIO_AUTH_KEY): with AUTH on for both sockets, a message authenticated with
 *    key 2 arrives when both ends hold the same key 2; a key the association lacks is refused
 *    (-EINVAL); a key 2 the two ends hold differently is never acknowledged (retransmitted) while a
 *    message under the active key 1 arrives;
 *  - the same two through a batch (sctpio_batch_add/send): a slot with SCTP_INIT sets up an
 *    association with the 3 streams it asked for (a copy: changing the caller's struct after the add
 *    does not count); a slot under a key the association lacks is refused at send time (-EINVAL) and
 *    stays first until dropped; under key 2 it arrives when both ends hold the same key 2 and is
 *    never acknowledged when they hold it differently, while a slot under key 1 arrives;
 *  - sctpio_recvv scatters one message over three buffers in order.
 * Needs kernel SCTP.
 */
#include "netns.h"

/* The first association id of a one-to-many socket, waiting until there is one. Linux lists an
 * association that a send set up and whose handshake has not finished with id 0 (seen on 6.1: it
 * gets its id from the COOKIE-ACK), so a 0 is waited out too. */
static sctp_assoc_t first_assoc(int fd)
{
	sctp_assoc_t id;
	for (int i = 0; i < 1000; i++) {
		if (sctpio_opt_get_assoc_ids(fd, &id, 1) >= 1 && id != 0)
			return id;
		usleep(10000);
	}
	FAIL("no association with an id on fd %d", fd);
}

/* fd's one association, set up by a send whose INIT cannot arrive, stays unestablished until `until`
 * (now_ms): it is listed all along, without an id or in a state short of ESTABLISHED. */
static void never_up(int fd, double until)
{
	int polls = 0;
	do {
		sctp_assoc_t id;
		struct sctpio_status st;
		CHECK_EQ(OK(sctpio_opt_get_assoc_ids(fd, &id, 1)), 1);
		if (id != 0 && sctpio_opt_get_status(fd, id, &st) == 0)
			CHECK(st.state != SCTP_ESTABLISHED);
		polls++;
	} while (now_ms() < until);
	CHECK(polls > 1);
}

/* Wait until the association is established (COMM_UP seen as ESTABLISHED status). */
static void wait_up(int fd, sctp_assoc_t id)
{
	struct sctpio_status st;
	for (int i = 0; i < 1000; i++) {
		if (sctpio_opt_get_status(fd, id, &st) == 0 && st.state == SCTP_ESTABLISHED)
			return;
		usleep(10000);
	}
	FAIL("association %d never established", (int)id);
}

static void init_per_send(void)
{
	sctpio_addr srv_addr;
	int srv = test_server(SCTPIO_ONE_TO_MANY, &srv_addr);
	for (int with = 0; with < 2; with++) {
		int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
		struct sctp_initmsg im = { .sinit_num_ostreams = 3, .sinit_max_instreams = 3 };
		struct sctpio_sndinfo si = { .to = &srv_addr, .init = with ? &im : NULL };
		CHECK_EQ(sctpio_send(cli, "hello", 5, &si), 5);
		sctp_assoc_t id = first_assoc(cli);
		wait_up(cli, id);
		struct sctpio_status st;
		OK(sctpio_opt_get_status(cli, id, &st));
		CHECK_EQ(st.out_streams, with ? 3 : 10);
		close(cli);
	}
	close(srv);
}

/* init_per_send through a batch: the slot's ancillary data carries the SCTP_INIT. */
static void batch_init(void)
{
	sctpio_addr srv_addr;
	int srv = test_server(SCTPIO_ONE_TO_MANY, &srv_addr);
	struct sctpio_batch *b;
	OK(sctpio_batch_new(&b, 4, 64));
	for (int with = 0; with < 2; with++) {
		int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
		struct sctp_initmsg im = { .sinit_num_ostreams = 3, .sinit_max_instreams = 3 };
		struct sctpio_sndinfo si = { .to = &srv_addr, .ppid = 30 + (uint32_t)with, .init = with ? &im : NULL };
		CHECK_EQ(sctpio_batch_add(b, "batched", 7, &si), 0);
		im.sinit_num_ostreams = 7; /* the slot holds its own copy, made by the add */
		CHECK_EQ(sctpio_batch_send(b, cli), 1);
		CHECK_EQ(sctpio_batch_pending(b), 0);
		sctp_assoc_t id = first_assoc(cli);
		wait_up(cli, id);
		struct sctpio_status st;
		OK(sctpio_opt_get_status(cli, id, &st));
		CHECK_EQ(st.out_streams, with ? 3 : 10);
		char buf[64];
		struct sctpio_rcvinfo ri;
		CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 7);
		CHECK(memcmp(buf, "batched", 7) == 0);
		CHECK_EQ(ri.ppid, 30 + with);
		OK(sctpio_opt_get_status(srv, ri.assoc_id, &st));
		CHECK_EQ(st.in_streams, with ? 3 : 10);
		close(cli);
	}
	CHECK_EQ(sctpio_batch_free(b), 0);
	close(srv);
}

/* On a topology already set up: add IPv6 addresses fd00:1:<path+1>::<side+1>/64 to both sides. */
static void topo_add_v6(struct topo *t)
{
	for (int s = 0; s < 2; s++)
		for (int p = 0; p < 2; p++)
			if (topo_ip(t, s, "-6 addr add fd00:1:%d::%d/64 dev %s nodad", p + 1, s + 1, t->dev[s][p]) != 0)
				SKIP("cannot add IPv6 addresses (is IPv6 off in the guest?)");
}

static sctpio_addr v6_addr(int side, int path, uint16_t port)
{
	char host[32];
	sctpio_addr a;
	snprintf(host, sizeof(host), "fd00:1:%d::%d", path + 1, side + 1);
	OK(sctpio_addr_parse(&a, host, port));
	return a;
}

/* The sockets of the also_to tests: a one-to-many server on side A listening on listen_on only
 * (IPv6 only for an IPv6 address), and on side B two clients of `family` with a short RTO, one to
 * send with the further address and one without it. Returns the server's port; ends in the host's
 * namespace. */
static uint16_t also_to_sockets(struct topo *t, const sctpio_addr *listen_on, int family, int *srv, int *cli,
				int *alone_cli)
{
	int only = family == AF_INET6 ? SCTPIO_V6_ONLY : SCTPIO_IPV4_ONLY;
	topo_enter(t, TOPO_A);
	*srv = OK(sctpio_sock_server(SCTPIO_ONE_TO_MANY, listen_on, 1, 0, family == AF_INET6 ? SCTPIO_V6_ONLY : 0));
	sctpio_addr bound;
	CHECK(OK(sctpio_sock_local_addrs(*srv, 0, &bound, 1)) >= 1);
	topo_enter(t, TOPO_B);
	*cli = OK(sctpio_sock_open(family, SCTPIO_ONE_TO_MANY, only));
	*alone_cli = OK(sctpio_sock_open(family, SCTPIO_ONE_TO_MANY, only));
	topo_enter(t, TOPO_HOST);
	struct sctp_rtoinfo rto = { .srto_initial = 200, .srto_min = 100, .srto_max = 400 };
	OK(sctpio_opt_set_rtoinfo(*cli, 0, &rto));
	OK(sctpio_opt_set_rtoinfo(*alone_cli, 0, &rto));
	return sctpio_addr_port(&bound);
}

/* The also_to tests' sends: msg with `with` (its further addresses) on cli, and "lost" to the same
 * address without them on alone_cli; msg must then arrive whole at srv, ri its info. Returns the
 * time (now_ms) the sends began. */
static double send_with_and_without(int srv, int cli, int alone_cli, const struct sctpio_sndinfo *with, const char *msg,
				    struct sctpio_rcvinfo *ri)
{
	size_t len = strlen(msg);
	char buf[64];
	double t0 = now_ms();
	CHECK_EQ(sctpio_send(cli, msg, len, with), len);
	struct sctpio_sndinfo alone = { .to = with->to };
	CHECK_EQ(sctpio_send(alone_cli, "lost", 4, &alone), 4);
	CHECK_EQ(recv_data(srv, buf, sizeof(buf), ri), len);
	CHECK(memcmp(buf, msg, len) == 0);
	return t0;
}

/* also_to with an IPv6 further address (SCTP_DSTADDRV6), on the topology of also_to, whose path 0
 * drops everything: the server listens on path 1's IPv6 address only. */
static void also_to_v6(struct topo *t)
{
	sctpio_addr listen_on = v6_addr(TOPO_A, 1, 0);
	int srv, cli, alone_cli;
	uint16_t port = also_to_sockets(t, &listen_on, AF_INET6, &srv, &cli, &alone_cli);
	sctpio_addr to = v6_addr(TOPO_A, 0, port), more = v6_addr(TOPO_A, 1, port);

	struct sctpio_sndinfo ok = { .to = &to, .ppid = 6, .also_to = &more, .n_also_to = 1 };
	struct sctpio_rcvinfo ri;
	double t0 = send_with_and_without(srv, cli, alone_cli, &ok, "over six", &ri);
	double up_ms = now_ms() - t0;
	CHECK_EQ(ri.ppid, 6);
	/* The client's side: the association's only peer address is the further one (the kernel drops
	 * the peer addresses the INIT-ACK did not list), and the server heard it from path 1. */
	sctp_assoc_t id = first_assoc(cli);
	sctpio_addr peers[4], local[4];
	CHECK_EQ(OK(sctpio_sock_peer_addrs(cli, id, peers, 4)), 1);
	CHECK(sctpio_addr_equal(&peers[0], &more));
	CHECK(OK(sctpio_sock_local_addrs(cli, id, local, 4)) >= 1);
	sctpio_addr from_want = v6_addr(TOPO_B, 1, sctpio_addr_port(&local[0]));
	CHECK_EQ(ri.from.sa.sa_family, AF_INET6);
	CHECK(sctpio_addr_equal(&ri.from, &from_want));
	never_up(alone_cli, t0 + 1500);
	printf("also_to (IPv6): delivered through the further address in %.0f ms; without it, not up in 1.5 s\n", up_ms);
	close(alone_cli);
	close(cli);
	close(srv);
}

static void also_to(void)
{
	sctpio_addr v6;
	struct topo *t = topo_setup(); /* exits 77 without root, ip or veth */
	topo_add_v6(t);

	/* The server, on side A, listens on path 1's address only; path 0 drops everything. */
	sctpio_addr listen_on = topo_addr(TOPO_A, 1, 0);
	int srv, cli, alone_cli;
	uint16_t port = also_to_sockets(t, &listen_on, AF_INET, &srv, &cli, &alone_cli);
	topo_degrade(t, 0, "loss 100%");
	sctpio_addr to = topo_addr(TOPO_A, 0, port), more = topo_addr(TOPO_A, 1, port);
	OK(sctpio_addr_parse(&v6, "::1", port));

	/* sctpio's own refusals, nothing sent. */
	struct sctpio_sndinfo bad = { .to = &to, .also_to = NULL, .n_also_to = 1 };
	CHECK_EQ(sctpio_send(cli, "x", 1, &bad), -EINVAL);
	struct sctpio_sndinfo noto = { .also_to = &more, .n_also_to = 1 };
	CHECK_EQ(sctpio_send(cli, "x", 1, &noto), -EINVAL);
	struct sctpio_sndinfo toolong = { .to = &to, .also_to = &more, .n_also_to = SCTPIO_ALSO_TO_MAX + 1 };
	CHECK_EQ(sctpio_send(cli, "x", 1, &toolong), -EINVAL);
	struct sctpio_batch *b;
	OK(sctpio_batch_new(&b, 2, 64));
	struct sctpio_sndinfo ok = { .to = &to, .also_to = &more, .n_also_to = 1 };
	CHECK_EQ(sctpio_batch_add(b, "x", 1, &ok), -EINVAL); /* not in batches */
	CHECK_EQ(sctpio_batch_free(b), 0);
	/* The kernel's: an IPv6 further address on an IPv4 socket. */
	struct sctpio_sndinfo wrongfam = { .to = &to, .also_to = &v6, .n_also_to = 1 };
	CHECK(sctpio_send(cli, "x", 1, &wrongfam) < 0);

	/* Taken: the INIT to `to` is lost, its retransmission goes to the further address, where the
	 * server answers, and the message arrives. Without the list the association does not come up. */
	struct sctpio_rcvinfo ri;
	double t0 = send_with_and_without(srv, cli, alone_cli, &ok, "both", &ri);
	double up_ms = now_ms() - t0;
	never_up(alone_cli, t0 + 1500);
	printf("also_to: delivered through the further address in %.0f ms; without it, not up in 1.5 s\n", up_ms);
	close(alone_cli);
	close(cli);
	close(srv);
	also_to_v6(t);
	topo_teardown(t);
}

static void auth_setup(int fd, const char *key2)
{
	OK(sctpio_opt_set_auth_supported(fd, 0, 1));
	OK(sctpio_opt_set_auth_chunk(fd, 0 /* DATA */));
	OK(sctpio_opt_set_auth_key(fd, 0, 1, "key one", 7));
	OK(sctpio_opt_set_auth_key(fd, 0, 2, key2, strlen(key2)));
	OK(sctpio_opt_set_auth_active_key(fd, 0, 1));
}

/* A one-to-one listener on 127.0.0.1 holding key 1 (active) and key 2 = "key two"; *a its address. */
static int auth_listener(sctpio_addr *a)
{
	int lst = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	auth_setup(lst, "key two");
	OK(sctpio_addr_parse(a, "127.0.0.1", 0));
	OK(sctpio_sock_bind(lst, a, 1));
	OK(sctpio_sock_listen(lst, 0));
	CHECK(OK(sctpio_sock_local_addrs(lst, 0, a, 1)) >= 1);
	return lst;
}

/* A client of auth_listener whose key 2 is the listener's, or (mismatch) another; *srv the accepted end. */
static int auth_client(int lst, const sctpio_addr *a, int mismatch, int *srv)
{
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	auth_setup(cli, mismatch ? "another two" : "key two");
	struct sctp_rtoinfo rto = { .srto_initial = 200, .srto_min = 100, .srto_max = 400 };
	OK(sctpio_opt_set_rtoinfo(cli, 0, &rto));
	*srv = test_connect_accept(lst, cli, a);
	return cli;
}

/* Wait until cli retransmitted at least one DATA chunk. */
static void wait_rtx(int cli)
{
	struct sctpio_assoc_stats st = { 0 };
	for (int i = 0; i < 1000 && st.rtx_chunks == 0; i++) {
		OK(sctpio_opt_get_assoc_stats(cli, 0, &st));
		if (!st.rtx_chunks)
			usleep(10000);
	}
	CHECK(st.rtx_chunks >= 1);
}

static void authinfo(void)
{
	sctpio_addr a;
	int lst = auth_listener(&a);

	for (int mismatch = 0; mismatch < 2; mismatch++) {
		int srv, cli = auth_client(lst, &a, mismatch, &srv);
		char buf[64];
		struct sctpio_rcvinfo ri;

		struct sctpio_sndinfo missing = { .flags = SCTPIO_AUTH_KEY, .auth_key = 7 };
		CHECK_EQ(sctpio_send(cli, "x", 1, &missing), -EINVAL);
		struct sctpio_sndinfo k2 = { .stream = 1, .flags = SCTPIO_AUTH_KEY | SCTPIO_UNORDERED, .auth_key = 2 };
		CHECK_EQ(sctpio_send(cli, "under key 2", 11, &k2), 11);
		if (!mismatch) {
			CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 11);
			CHECK(memcmp(buf, "under key 2", 11) == 0);
		} else {
			/* The server cannot verify it: never acknowledged, so retransmitted; DATA under the
			 * active key 1 goes through meanwhile. */
			struct sctpio_sndinfo k1 = { .stream = 0 };
			CHECK_EQ(sctpio_send(cli, "under key 1", 11, &k1), 11);
			CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 11);
			CHECK(memcmp(buf, "under key 1", 11) == 0);
			wait_rtx(cli);
			CHECK_EQ(sctpio_recv(srv, buf, sizeof(buf), &ri), -EAGAIN);
		}
		close(srv);
		close(cli);
	}
	close(lst);
}

/* authinfo through a batch: each slot's ancillary data carries its SCTP_AUTHINFO. */
static void batch_authinfo(void)
{
	sctpio_addr a;
	int lst = auth_listener(&a);
	struct sctpio_batch *b;
	OK(sctpio_batch_new(&b, 4, 64));

	for (int mismatch = 0; mismatch < 2; mismatch++) {
		int srv, cli = auth_client(lst, &a, mismatch, &srv);
		char buf[64];
		struct sctpio_rcvinfo ri;

		/* A key the association lacks: the kernel refuses the slot, which stays first until dropped. */
		struct sctpio_sndinfo missing = { .flags = SCTPIO_AUTH_KEY, .auth_key = 7 };
		CHECK_EQ(sctpio_batch_add(b, "x", 1, &missing), 0);
		CHECK_EQ(sctpio_batch_send(b, cli), -EINVAL);
		CHECK_EQ(sctpio_batch_pending(b), 1);
		CHECK_EQ(sctpio_batch_drop(b), 0);
		struct sctpio_sndinfo k2 = { .stream = 1, .flags = SCTPIO_AUTH_KEY | SCTPIO_UNORDERED, .auth_key = 2 };
		CHECK_EQ(sctpio_batch_add(b, "batch key 2", 11, &k2), 0);
		CHECK_EQ(sctpio_batch_send(b, cli), 1);
		if (!mismatch) {
			CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 11);
			CHECK(memcmp(buf, "batch key 2", 11) == 0);
			CHECK_EQ(ri.stream, 1);
		} else {
			struct sctpio_sndinfo k1 = { .stream = 0 };
			CHECK_EQ(sctpio_batch_add(b, "batch key 1", 11, &k1), 0);
			CHECK_EQ(sctpio_batch_send(b, cli), 1);
			CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 11);
			CHECK(memcmp(buf, "batch key 1", 11) == 0);
			CHECK_EQ(ri.stream, 0);
			wait_rtx(cli);
			CHECK_EQ(sctpio_recv(srv, buf, sizeof(buf), &ri), -EAGAIN);
		}
		close(srv);
		close(cli);
	}
	CHECK_EQ(sctpio_batch_free(b), 0);
	close(lst);
}

static void recvv(void)
{
	sctpio_addr a;
	int lst = test_server(SCTPIO_ONE_TO_ONE, &a);
	int cli = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &a, 1, NULL, 0, 0, NULL));
	wait_fd(lst, POLLIN, 10000);
	int srv = OK(sctpio_sock_accept(lst, NULL, 0));
	wait_fd(cli, POLLOUT, 10000);
	struct sctpio_sndinfo si = { .stream = 2, .ppid = 99 };
	send_all(cli, "abcdefghij", 10, &si);
	char p1[3], p2[4], p3[16];
	struct iovec iov[3] = { { p1, sizeof(p1) }, { p2, sizeof(p2) }, { p3, sizeof(p3) } };
	struct sctpio_rcvinfo ri;
	ssize_t n;
	for (;;) {
		wait_fd(srv, POLLIN, 10000);
		n = sctpio_recvv(srv, iov, 3, &ri);
		if (n == -EAGAIN)
			continue;
		OK(n);
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION))
			break;
	}
	CHECK_EQ(n, 10);
	CHECK(memcmp(p1, "abc", 3) == 0 && memcmp(p2, "defg", 4) == 0 && memcmp(p3, "hij", 3) == 0);
	CHECK_EQ(ri.stream, 2);
	CHECK_EQ(ri.ppid, 99);
	CHECK(!(ri.flags & SCTPIO_MSG_MORE));
	CHECK_EQ(sctpio_recvv(srv, NULL, 1, &ri), -EINVAL);
	CHECK_EQ(sctpio_recvv(srv, iov, 0, &ri), -EINVAL);
	struct iovec nul = { NULL, 5 };
	CHECK_EQ(sctpio_recvv(srv, &nul, 1, &ri), -EINVAL);
	close(srv);
	close(cli);
	close(lst);
}

int main(void)
{
	init_per_send();
	batch_init();
	also_to();
	authinfo();
	batch_authinfo();
	recvv();
	printf("SCTP_INIT, DSTADDRV4/V6, AUTHINFO per send and in batches, and sctpio_recvv: as RFC 6458 says\n");
	return 0;
}
