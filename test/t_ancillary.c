// SPDX-License-Identifier: MIT
/*
 * t_ancillary - the send-side ancillary data beyond SNDINFO/PRINFO, each shown to reach the kernel
 * and do what RFC 6458 says, and sctpio_recvv:
 *  - SCTP_INIT (sndinfo.init): a one-to-many send that sets up an association asks for 3 outbound
 *    streams, and the association has 3 (a send without it gets the socket's 10);
 *  - SCTP_DSTADDRV4/V6 (sndinfo.also_to): across two paths of which the first drops everything, the
 *    INIT goes on to the further address and the message arrives (without it, no association); one of the
 *    wrong family is refused by the kernel; bad lists are refused by sctpio, and in batches;
 *  - SCTP_AUTHINFO (SCTPIO_AUTH_KEY): with AUTH on for both sockets, a message authenticated with
 *    key 2 arrives when both ends hold the same key 2; a key the association lacks is refused
 *    (-EINVAL); a key 2 the two ends hold differently is never acknowledged (retransmitted) while a
 *    message under the active key 1 arrives;
 *  - sctpio_recvv scatters one message over three buffers in order.
 * Needs kernel SCTP.
 */
#include "netns.h"

/* The first association id of a one-to-many socket, waiting until there is one. */
static sctp_assoc_t first_assoc(int fd)
{
	sctp_assoc_t id;
	for (int i = 0; i < 1000; i++) {
		if (sctpio_opt_get_assoc_ids(fd, &id, 1) >= 1)
			return id;
		usleep(10000);
	}
	FAIL("no association on fd %d", fd);
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

static void also_to(void)
{
	sctpio_addr v6;
	struct topo *t = topo_setup(); /* exits 77 without root, ip or veth */

	/* The server, on side A, listens on path 1's address only; path 0 drops everything. */
	topo_enter(t, TOPO_A);
	sctpio_addr listen_on = topo_addr(TOPO_A, 1, 0);
	int srv = OK(sctpio_sock_server(SCTPIO_ONE_TO_MANY, &listen_on, 1, 0, 0));
	sctpio_addr bound;
	CHECK(OK(sctpio_sock_local_addrs(srv, 0, &bound, 1)) >= 1);
	uint16_t port = sctpio_addr_port(&bound);
	topo_enter(t, TOPO_B);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, SCTPIO_IPV4_ONLY));
	int alone_cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, SCTPIO_IPV4_ONLY));
	topo_enter(t, TOPO_HOST);
	topo_degrade(t, 0, "loss 100%");
	sctpio_addr to = topo_addr(TOPO_A, 0, port), more = topo_addr(TOPO_A, 1, port);
	OK(sctpio_addr_parse(&v6, "::1", port));
	struct sctp_rtoinfo rto = { .srto_initial = 200, .srto_min = 100, .srto_max = 400 };
	OK(sctpio_opt_set_rtoinfo(cli, 0, &rto));
	OK(sctpio_opt_set_rtoinfo(alone_cli, 0, &rto));

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
	double t0 = now_ms();
	CHECK_EQ(sctpio_send(cli, "both", 4, &ok), 4);
	struct sctpio_sndinfo alone = { .to = &to };
	CHECK_EQ(sctpio_send(alone_cli, "lost", 4, &alone), 4);
	char buf[64];
	struct sctpio_rcvinfo ri;
	CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 4);
	CHECK(memcmp(buf, "both", 4) == 0);
	double up_ms = now_ms() - t0;
	sctp_assoc_t id = first_assoc(alone_cli);
	struct sctpio_status st;
	while (now_ms() < t0 + 1500 && sctpio_opt_get_status(alone_cli, id, &st) == 0)
		CHECK(st.state != SCTP_ESTABLISHED);
	printf("also_to: delivered through the further address in %.0f ms; without it, not up in 1.5 s\n", up_ms);
	close(alone_cli);
	close(cli);
	close(srv);
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

static void authinfo(void)
{
	sctpio_addr a;
	int lst = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	auth_setup(lst, "key two");
	OK(sctpio_addr_parse(&a, "127.0.0.1", 0));
	OK(sctpio_sock_bind(lst, &a, 1));
	OK(sctpio_sock_listen(lst, 0));
	CHECK(OK(sctpio_sock_local_addrs(lst, 0, &a, 1)) >= 1);

	for (int mismatch = 0; mismatch < 2; mismatch++) {
		int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
		auth_setup(cli, mismatch ? "another two" : "key two");
		struct sctp_rtoinfo rto = { .srto_initial = 200, .srto_min = 100, .srto_max = 400 };
		OK(sctpio_opt_set_rtoinfo(cli, 0, &rto));
		int rc = sctpio_sock_connect(cli, &a, 1, NULL);
		CHECK(rc == 0 || rc == -EINPROGRESS);
		wait_fd(cli, POLLOUT, 10000);
		CHECK_EQ(sctpio_sock_error(cli), 0);
		wait_fd(lst, POLLIN, 10000);
		int srv = OK(sctpio_sock_accept(lst, NULL, 0));
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
			struct sctpio_assoc_stats st = { 0 };
			for (int i = 0; i < 1000 && st.rtx_chunks == 0; i++) {
				OK(sctpio_opt_get_assoc_stats(cli, 0, &st));
				if (!st.rtx_chunks)
					usleep(10000);
			}
			CHECK(st.rtx_chunks >= 1);
			CHECK_EQ(sctpio_recv(srv, buf, sizeof(buf), &ri), -EAGAIN);
		}
		close(srv);
		close(cli);
	}
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
	also_to();
	authinfo();
	recvv();
	printf("SCTP_INIT, DSTADDRV4, AUTHINFO per send and sctpio_recvv: as RFC 6458 says\n");
	return 0;
}
