// SPDX-License-Identifier: MIT
/*
 * One-to-many server and client on loopback: one message on stream 3 with PPID 42 crosses with its
 * bytes, stream and PPID (in host order), and the reply goes back on the association it came from.
 */
#include "test.h"

int main(void)
{
	sctpio_addr srv_addr, from;
	struct sctpio_rcvinfo ri;
	char buf[256];
	char text[SCTPIO_ADDR_TEXT_MAX];

	int srv = test_server(SCTPIO_ONE_TO_MANY, &srv_addr);
	int cli = OK(sctpio_sock_client(SCTPIO_ONE_TO_MANY, &srv_addr, 1, NULL, 0, 0, NULL));

	struct sctpio_sndinfo si = { .stream = 3, .ppid = 42, .to = &srv_addr };
	CHECK_EQ(OK(sctpio_send(cli, "hello, sctp", 11, &si)), 11);

	ssize_t n = recv_data(srv, buf, sizeof(buf), &ri);
	CHECK_EQ(n, 11);
	CHECK(memcmp(buf, "hello, sctp", 11) == 0);
	CHECK(ri.flags & SCTPIO_MSG_HAS_INFO);
	CHECK(!(ri.flags & SCTPIO_MSG_MORE));
	CHECK(!(ri.flags & SCTPIO_MSG_UNORDERED));
	CHECK_EQ(ri.stream, 3);
	CHECK_EQ(ri.ppid, 42);
	CHECK(ri.assoc_id != 0);
	from = ri.from;
	OK(sctpio_addr_format(&from, text, sizeof(text)));
	CHECK(strncmp(text, "127.0.0.1:", 10) == 0);

	struct sctpio_sndinfo back = { .stream = 1, .ppid = 0x01020304, .assoc_id = ri.assoc_id };
	CHECK_EQ(OK(sctpio_send(srv, "pong", 4, &back)), 4);
	n = recv_data(cli, buf, sizeof(buf), &ri);
	CHECK_EQ(n, 4);
	CHECK(memcmp(buf, "pong", 4) == 0);
	CHECK_EQ(ri.stream, 1);
	CHECK_EQ(ri.ppid, 0x01020304);
	CHECK(sctpio_addr_equal(&ri.from, &srv_addr));

	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
	printf("one-to-many: stream %u ppid %u round trip ok (%s)\n", 3, 42, text);
	return 0;
}
