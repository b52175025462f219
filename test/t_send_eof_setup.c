// SPDX-License-Identifier: MIT
/*
 * SCTPIO_EOF with data on an association that is not up yet is refused with nothing sent (msg.h):
 * Linux's shutdown of an association still in COOKIE-WAIT deletes it, with any message queued on it.
 * The handshake is held back by a path with 400 ms of delay each way (two network namespaces, see
 * netns.h), so the send comes while the association is being set up, one-to-many and one-to-one.
 * Once the association is up, the first message the server reads is the one sent after it.
 */
#include "netns.h"

static uint8_t nb[4096];

/* The next data message on fd within 15 s, into nb; notifications are passed over. */
static ssize_t next_data(int fd)
{
	struct sctpio_rcvinfo ri;
	double end = now_ms() + 15000;

	for (;;) {
		ssize_t n = sctpio_recv(fd, nb, sizeof(nb), &ri);
		if (n == -EAGAIN) {
			if (now_ms() > end)
				FAIL("no data within 15 s");
			wait_fd(fd, POLLIN, 15000);
			continue;
		}
		if (n < 0 || !(ri.flags & SCTPIO_MSG_NOTIFICATION))
			return n;
	}
}

int main(void)
{
	struct topo *t = topo_setup();
	topo_degrade(t, 0, "delay 400ms");

	topo_enter(t, TOPO_A);
	sctpio_addr a = topo_addr(TOPO_A, 0, 0), o2o = a;
	int srv = OK(sctpio_sock_server(SCTPIO_ONE_TO_MANY, &a, 1, 0, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(srv, 0, &a, 1)), 1);
	int lsn = OK(sctpio_sock_server(SCTPIO_ONE_TO_ONE, &o2o, 1, 0, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(lsn, 0, &o2o, 1)), 1);
	topo_enter(t, TOPO_B);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	int c1 = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	topo_enter(t, TOPO_HOST);

	printf("one-to-many\n");
	sctp_assoc_t id;
	OK(sctpio_sock_connect(cli, &a, 1, &id));
	struct sctpio_sndinfo si = { .assoc_id = id, .flags = SCTPIO_EOF };
	CHECK_EQ(sctpio_send(cli, "too early", 9, &si), -EINVAL);
	si = (struct sctpio_sndinfo){ .to = &a, .flags = SCTPIO_EOF };
	CHECK_EQ(sctpio_send(cli, "too early", 9, &si), -EINVAL);
	si = (struct sctpio_sndinfo){ .assoc_id = id };
	send_all(cli, "later", 5, &si); /* queued until the association is up */
	CHECK_EQ(next_data(srv), 5);
	CHECK(memcmp(nb, "later", 5) == 0);

	printf("one-to-one\n");
	int rc = sctpio_sock_connect(c1, &o2o, 1, NULL);
	CHECK(rc == 0 || rc == -EINPROGRESS);
	si = (struct sctpio_sndinfo){ .flags = SCTPIO_EOF };
	CHECK_EQ(sctpio_send(c1, "too early", 9, &si), -EINVAL);
	wait_fd(c1, POLLOUT, 15000);
	OK(sctpio_sock_error(c1));
	send_all(c1, "later", 5, NULL);
	wait_fd(lsn, POLLIN, 15000);
	int acc = OK(sctpio_sock_accept(lsn, NULL, 0));
	CHECK_EQ(next_data(acc), 5);
	CHECK(memcmp(nb, "later", 5) == 0);

	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(c1));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(lsn));
	OK(sctpio_sock_close(srv));
	printf("ok\n");
	return 0;
}
