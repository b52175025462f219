// SPDX-License-Identifier: MIT
/*
 * ASCONF (RFC 5061) on loopback multi-homing: a server on 127.0.0.1 and 127.0.0.2, a client on
 * 127.0.0.3 and 127.0.0.4, both with SCTP_AUTH_SUPPORTED and then SCTP_ASCONF_SUPPORTED (which adds
 * ASCONF and ASCONF-ACK to the authenticated chunks). The association reports ASCONF negotiated;
 * SCTP_SET_PEER_PRIMARY_ADDR from the client makes the server's primary path the client's other
 * address, and the server is told so (SCTP_ADDR_MADE_PRIM). SCTP_PRIMARY_ADDR reads the primary on
 * both ends, before and after sctpio_sock_set_primary moves the client's. A client that offers
 * ASCONF without AUTH is refused (-ECONNREFUSED); one with neither connects without ASCONF, and its
 * request gives -EPERM; an address that is not the association's gives -EADDRNOTAVAIL.
 */
#include <sys/socket.h>

#include "test.h"

static sctpio_addr v4(const char *host, uint16_t port)
{
	sctpio_addr a;
	OK(sctpio_addr_parse(&a, host, port));
	return a;
}

static int accept_one(int lst, int cli)
{
	wait_fd(cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(cli), 0);
	wait_fd(lst, POLLIN, 10000);
	return OK(sctpio_sock_accept(lst, NULL, 0));
}

static void asconf_on(int fd)
{
	OK(sctpio_opt_set_auth_supported(fd, 0, 1));
	OK(sctpio_opt_set_asconf_supported(fd, 0, 1));
	uint8_t chunks[32];
	int n = OK(sctpio_opt_get_local_auth_chunks(fd, 0, chunks, sizeof(chunks)));
	int asconf = 0, ack = 0;
	for (int i = 0; i < n; i++)
		asconf |= chunks[i] == 0xc1, ack |= chunks[i] == 0x80;
	CHECK(asconf && ack);
}

int main(void)
{
	sctpio_addr srv_addrs[2] = { v4("127.0.0.1", 0), v4("127.0.0.2", 0) };
	int lst = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	asconf_on(lst);
	OK(sctpio_sock_bind(lst, srv_addrs, 2));
	OK(sctpio_sock_listen(lst, 0));
	sctpio_addr got[4];
	CHECK_EQ(OK(sctpio_sock_local_addrs(lst, 0, got, 4)), 2);
	uint16_t port = sctpio_addr_port(&got[0]);
	srv_addrs[0] = v4("127.0.0.1", port);
	srv_addrs[1] = v4("127.0.0.2", port);

	/* A client that offers ASCONF without AUTH is refused outright (while
	 * net.sctp.addip_noauth_enable is 0); one with neither connects, and its request gives -EPERM. */
	FILE *f = fopen("/proc/sys/net/sctp/addip_noauth_enable", "r");
	int noauth = -1;
	if (!f || fscanf(f, "%d", &noauth) != 1)
		FAIL("cannot read net.sctp.addip_noauth_enable");
	fclose(f);
	int rc;
	if (noauth == 0) {
		int bare = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
		OK(sctpio_opt_set_asconf_supported(bare, 0, 1));
		rc = sctpio_sock_connect(bare, &srv_addrs[0], 1, NULL);
		CHECK(rc == 0 || rc == -EINPROGRESS);
		wait_fd(bare, POLLOUT, 10000);
		CHECK_EQ(sctpio_sock_error(bare), -ECONNREFUSED);
		OK(sctpio_sock_close(bare));
	}
	int plain = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	rc = sctpio_sock_connect(plain, &srv_addrs[0], 1, NULL);
	CHECK(rc == 0 || rc == -EINPROGRESS);
	int psrv = accept_one(lst, plain);
	sctpio_addr mine;
	OK(sctpio_sock_local_addrs(plain, 0, &mine, 1));
	CHECK_EQ(sctpio_opt_get_asconf_supported(plain, 0), 0);
	CHECK_EQ(sctpio_opt_set_peer_primary_addr(plain, 0, &mine), -EPERM);
	OK(sctpio_sock_close(psrv));
	OK(sctpio_sock_close(plain));

	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	asconf_on(cli);
	sctpio_addr cli_addrs[2] = { v4("127.0.0.3", 0), v4("127.0.0.4", 0) };
	OK(sctpio_sock_bind(cli, cli_addrs, 2));
	CHECK_EQ(OK(sctpio_sock_local_addrs(cli, 0, got, 4)), 2);
	uint16_t cport = sctpio_addr_port(&got[0]);
	cli_addrs[0] = v4("127.0.0.3", cport);
	cli_addrs[1] = v4("127.0.0.4", cport);
	rc = sctpio_sock_connect(cli, srv_addrs, 2, NULL);
	CHECK(rc == 0 || rc == -EINPROGRESS);
	int srv = accept_one(lst, cli);
	OK(sctpio_sock_subscribe(srv, 0, SCTP_PEER_ADDR_CHANGE, 1));
	CHECK_EQ(sctpio_opt_get_asconf_supported(cli, 0), 1);
	CHECK_EQ(sctpio_opt_get_asconf_supported(srv, 0), 1);
	CHECK_EQ(sctpio_opt_get_auth_supported(srv, 0), 1);

	/* Primary paths as set up, then the client's moved locally. */
	sctpio_addr prim;
	OK(sctpio_opt_get_primary_addr(cli, 0, &prim));
	CHECK(sctpio_addr_equal(&prim, &srv_addrs[0]));
	OK(sctpio_sock_set_primary(cli, 0, &srv_addrs[1]));
	OK(sctpio_opt_get_primary_addr(cli, 0, &prim));
	CHECK(sctpio_addr_equal(&prim, &srv_addrs[1]));

	/* Ask the server to use the client address it does not use now. */
	OK(sctpio_opt_get_primary_addr(srv, 0, &prim));
	int now = sctpio_addr_equal(&prim, &cli_addrs[1]);
	CHECK(now || sctpio_addr_equal(&prim, &cli_addrs[0]));
	const sctpio_addr *target = &cli_addrs[!now];
	sctpio_addr stranger = v4("127.0.0.9", cport);
	CHECK_EQ(sctpio_opt_set_peer_primary_addr(cli, 0, &stranger), -EADDRNOTAVAIL);
	CHECK_EQ(sctpio_opt_set_peer_primary_addr(cli, 0, NULL), -EINVAL);
	OK(sctpio_opt_set_peer_primary_addr(cli, 0, target));

	char buf[512];
	struct sctpio_rcvinfo ri;
	double end = now_ms() + 10000;
	int told = 0;
	while (!told) {
		if (now_ms() > end)
			FAIL("no SCTP_ADDR_MADE_PRIM on the server");
		wait_fd(srv, POLLIN, 10000);
		ssize_t n = sctpio_recv(srv, buf, sizeof(buf), &ri);
		if (n == -EAGAIN)
			continue;
		OK(n);
		CHECK(ri.flags & SCTPIO_MSG_NOTIFICATION);
		struct sctpio_notification note;
		CHECK_EQ(sctpio_notification_decode(buf, (size_t)n, &note), n);
		if (note.type == SCTP_PEER_ADDR_CHANGE && note.u.peer_addr_change.state == SCTP_ADDR_MADE_PRIM) {
			CHECK(sctpio_addr_equal(&note.u.peer_addr_change.addr, target));
			told = 1;
		}
	}
	OK(sctpio_opt_get_primary_addr(srv, 0, &prim));
	CHECK(sctpio_addr_equal(&prim, target));
	/* And data still flows. */
	send_all(srv, "via the new primary", 19, NULL);
	CHECK_EQ(recv_data(cli, buf, sizeof(buf), &ri), 19);
	printf("asconf: the server's primary moved to the client's other address on request\n");
	OK(sctpio_sock_close(srv));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(lst));
	return 0;
}
