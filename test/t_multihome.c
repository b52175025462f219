// SPDX-License-Identifier: MIT
/*
 * Multi-homing on loopback (Linux answers every address of 127/8 on lo): a server bound to 127.0.0.1
 * and 127.0.0.2, a client that knows both, exact address lists on both ends, addresses added and
 * removed at run time, per-address parameters, the primary path moved to the second address, and a
 * dual-stack server reached over IPv4 and IPv6 at once.
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "test.h"

static sctpio_addr v4(const char *host, uint16_t port)
{
	sctpio_addr a;
	OK(sctpio_addr_parse(&a, host, port));
	return a;
}

/* How many entries of list[0..n) equal a. sctpio reports IPv4 peers of dual-stack sockets as AF_INET,
 * so no unmapping happens here: a v4-mapped entry would not count (that was once the case). */
static int count_in(const sctpio_addr *list, int n, const sctpio_addr *a)
{
	int found = 0;
	for (int i = 0; i < n; i++)
		found += sctpio_addr_equal(&list[i], a);
	return found;
}

static int accept_one(int srv, int cli)
{
	wait_fd(cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(cli), 0);
	wait_fd(srv, POLLIN, 10000);
	return OK(sctpio_sock_accept(srv, NULL, 0));
}

static void test_two_addresses(void)
{
	sctpio_addr a[2] = { v4("127.0.0.1", 0), v4("127.0.0.2", 0) }, list[8];
	struct sctpio_rcvinfo ri;
	char buf[64];

	int srv = OK(sctpio_sock_server(SCTPIO_ONE_TO_ONE, a, 2, 0, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(srv, 0, list, 8)), 2);
	uint16_t port = sctpio_addr_port(&list[0]);
	CHECK(port != 0);
	a[0] = v4("127.0.0.1", port);
	a[1] = v4("127.0.0.2", port);
	CHECK_EQ(count_in(list, 2, &a[0]), 1);
	CHECK_EQ(count_in(list, 2, &a[1]), 1);

	int cli = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, a, 2, NULL, 0, 0, NULL));
	int acc = accept_one(srv, cli);

	/* The client knows the server by exactly its two addresses. */
	CHECK_EQ(OK(sctpio_sock_peer_addrs(cli, 0, list, 8)), 2);
	CHECK_EQ(count_in(list, 2, &a[0]), 1);
	CHECK_EQ(count_in(list, 2, &a[1]), 1);
	/* The association on the server side uses both local addresses too. */
	CHECK_EQ(OK(sctpio_sock_local_addrs(acc, 0, list, 8)), 2);
	CHECK_EQ(count_in(list, 2, &a[0]), 1);
	CHECK_EQ(count_in(list, 2, &a[1]), 1);
	struct sctp_assocparams ap;
	OK(sctpio_opt_get_associnfo(cli, 0, &ap));
	CHECK_EQ(ap.sasoc_number_peer_destinations, 2);

	/* Both paths have their own record. */
	struct sctpio_paddrinfo pi;
	for (int i = 0; i < 2; i++) {
		OK(sctpio_opt_get_peer_addr_info(cli, 0, &a[i], &pi));
		CHECK(sctpio_addr_equal(&pi.addr, &a[i]));
		CHECK(pi.state == SCTP_ACTIVE || pi.state == SCTP_UNCONFIRMED);
	}
	sctpio_addr other = v4("127.0.0.9", port);
	CHECK_EQ(sctpio_opt_get_peer_addr_info(cli, 0, &other, &pi), -EINVAL);

	/* Per-address parameters: changing the second path leaves the first alone. */
	struct sctpio_paddrparams p0 = { .addr = a[0] }, p1 = { .addr = a[1], .path_max_retrans = 2 };
	OK(sctpio_opt_get_paddrparams(cli, 0, &p0));
	CHECK(p0.path_max_retrans != 2);
	OK(sctpio_opt_set_paddrparams(cli, 0, &p1));
	memset(&p1, 0, sizeof(p1));
	p1.addr = a[1];
	struct sctpio_paddrparams again = { .addr = a[0] };
	OK(sctpio_opt_get_paddrparams(cli, 0, &p1));
	OK(sctpio_opt_get_paddrparams(cli, 0, &again));
	CHECK_EQ(p1.path_max_retrans, 2);
	CHECK_EQ(again.path_max_retrans, p0.path_max_retrans);

	/* Move the primary path to the second address; STATUS follows, and data still flows. */
	struct sctpio_status st;
	OK(sctpio_opt_get_status(cli, 0, &st));
	CHECK(sctpio_addr_equal(&st.primary.addr, &a[0]));
	OK(sctpio_sock_set_primary(cli, 0, &a[1]));
	OK(sctpio_opt_get_status(cli, 0, &st));
	CHECK(sctpio_addr_equal(&st.primary.addr, &a[1]));
	struct sctpio_sndinfo si = { .stream = 1, .ppid = 2 };
	send_all(cli, "via .2", 6, &si);
	CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 6);
	CHECK(memcmp(buf, "via .2", 6) == 0);
	OK(sctpio_sock_set_primary(cli, 0, &a[0]));
	OK(sctpio_opt_get_status(cli, 0, &st));
	CHECK(sctpio_addr_equal(&st.primary.addr, &a[0]));

	/* Add 127.0.0.3 to the listening socket at run time, then take it away again. */
	sctpio_addr third = v4("127.0.0.3", port);
	OK(sctpio_sock_bind_add(srv, &third, 1));
	CHECK_EQ(OK(sctpio_sock_local_addrs(srv, 0, list, 8)), 3);
	CHECK_EQ(count_in(list, 3, &third), 1);
	CHECK_EQ(count_in(list, 3, &a[0]), 1);
	CHECK_EQ(count_in(list, 3, &a[1]), 1);
	OK(sctpio_sock_bind_remove(srv, &third, 1));
	CHECK_EQ(OK(sctpio_sock_local_addrs(srv, 0, list, 8)), 2);
	CHECK_EQ(count_in(list, 2, &third), 0);
	/* The last address cannot go: a bound socket keeps at least one. */
	OK(sctpio_sock_bind_remove(srv, &a[1], 1));
	CHECK_EQ(sctpio_sock_bind_remove(srv, &a[0], 1), -EBUSY);
	CHECK_EQ(OK(sctpio_sock_local_addrs(srv, 0, list, 8)), 1);
	CHECK_EQ(count_in(list, 1, &a[0]), 1);

	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
	printf("multihome: 2 peer addresses, bind add/remove, primary moved to 127.0.0.2:%u ok\n", port);
}

/* A dual-stack server on "::" reached by one client at 127.0.0.1 and ::1 together. */
static void test_mixed_families(void)
{
	sctpio_addr any, list[8], peers[2];
	struct sctpio_rcvinfo ri;
	char buf[64];

	OK(sctpio_addr_parse(&any, NULL, 0));
	int srv = OK(sctpio_sock_server(SCTPIO_ONE_TO_ONE, &any, 1, 0, 0));
	int n = OK(sctpio_sock_local_addrs(srv, 0, list, 8));
	CHECK(n >= 1);
	uint16_t port = sctpio_addr_port(&list[0]);
	peers[0] = v4("127.0.0.1", port);
	OK(sctpio_addr_parse(&peers[1], "::1", port));

	int cli = sctpio_sock_client(SCTPIO_ONE_TO_ONE, peers, 2, NULL, 0, 0, NULL);
	if (cli < 0) {
		printf("mixed families: this kernel refuses IPv4 and IPv6 peers in one connectx (%s)\n", strerror(-cli));
		OK(sctpio_sock_close(srv));
		return;
	}
	int acc = accept_one(srv, cli);
	n = OK(sctpio_sock_peer_addrs(cli, 0, list, 8));
	CHECK_EQ(n, 2);
	CHECK_EQ(count_in(list, n, &peers[0]), 1);
	CHECK_EQ(count_in(list, n, &peers[1]), 1);
	struct sctpio_status st;
	OK(sctpio_opt_get_status(cli, 0, &st));
	/* sctpio reports an IPv4 primary as AF_INET even on this AF_INET6 socket. */
	CHECK(sctpio_addr_equal(&st.primary.addr, &peers[0]) || sctpio_addr_equal(&st.primary.addr, &peers[1]));
	for (int i = 0; i < 2; i++) {
		OK(sctpio_sock_set_primary(cli, 0, &peers[i]));
		OK(sctpio_opt_get_status(cli, 0, &st));
		CHECK(sctpio_addr_equal(&st.primary.addr, &peers[i]));
		struct sctpio_sndinfo si = { .stream = 0, .ppid = (uint32_t)i };
		send_all(cli, "dual", 4, &si);
		CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 4);
		CHECK_EQ(ri.ppid, i);
	}
	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
	printf("mixed families: dual-stack server reached at 127.0.0.1 and ::1 (IPv4 peer reported as AF_INET)\n");
}

int main(void)
{
	test_two_addresses();
	test_mixed_families();
	return 0;
}
