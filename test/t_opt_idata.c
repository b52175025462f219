// SPDX-License-Identifier: MIT
/*
 * I-DATA (RFC 8260, SCTP_INTERLEAVING_SUPPORTED), in a network namespace of the test's own with
 * net.sctp.intl_enable = 1 (restored at the end; the kernel refuses the option without it). A client
 * using the round-robin scheduler sends a 120,000-byte message on stream 1 and then a 100-byte one on
 * stream 2 to a server with a small receive window, which reads only after both are sent. With
 * I-DATA negotiated the small message arrives while the large one is still incomplete; without it,
 * with everything else the same, the small message is held back until the large one has arrived
 * whole. Both messages arrive intact each time.
 */
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "test.h"

#define INTL_ENABLE "/proc/sys/net/sctp/intl_enable"
enum { BIG = 120000, SMALL = 100 };

static uint8_t big[BIG], got[BIG], small[SMALL];

/* Returns how many bytes of the large message had arrived when the small one did. */
static size_t run(int intl)
{
	sctpio_addr addr;
	int lst = test_server(SCTPIO_ONE_TO_ONE, &addr);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	for (int i = 0; i < 2; i++) {
		int fd = i ? cli : lst;
		OK(sctpio_opt_set_fragment_interleave(fd, 2));
		if (intl) {
			CHECK_EQ(sctpio_opt_get_interleaving_supported(fd, 0), 0);
			OK(sctpio_opt_set_interleaving_supported(fd, 0, 1));
			CHECK_EQ(sctpio_opt_get_interleaving_supported(fd, 0), 1);
		}
	}
	OK(sctpio_opt_set_rcvbuf(lst, 32768));
	OK(sctpio_opt_set_partial_delivery_point(lst, 4096));
	OK(sctpio_opt_set_sndbuf(cli, 4 << 20));
	OK(sctpio_opt_set_maxseg(cli, 0, 1000));
	OK(sctpio_opt_set_stream_scheduler(cli, 0, SCTPIO_SCHED_RR));
	int rc = sctpio_sock_connect(cli, &addr, 1, NULL);
	CHECK(rc == 0 || rc == -EINPROGRESS);
	wait_fd(cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(cli), 0);
	wait_fd(lst, POLLIN, 10000);
	int srv = OK(sctpio_sock_accept(lst, NULL, 0));
	CHECK_EQ(sctpio_opt_get_interleaving_supported(cli, 0), intl);
	CHECK_EQ(sctpio_opt_get_interleaving_supported(srv, 0), intl);

	struct sctpio_sndinfo s1 = { .stream = 1, .ppid = 1 }, s2 = { .stream = 2, .ppid = 2 };
	send_all(cli, big, BIG, &s1);
	send_all(cli, small, SMALL, &s2);

	size_t have = 0, small_len = 0, big_at_small = 0;
	int big_done = 0, small_done = 0, pieces = 0;
	uint32_t other_ppid = 1;
	uint8_t sbuf[SMALL + 16];
	double end = now_ms() + 20000;
	while (!big_done || !small_done) {
		if (now_ms() > end)
			FAIL("timed out: %zu of the large message, small %s", have, small_done ? "arrived" : "missing");
		wait_fd(srv, POLLIN, 10000);
		struct sctpio_rcvinfo ri;
		/* Read at most 4 KiB at a time; each piece says its stream. */
		uint8_t piece[4096];
		ssize_t n = sctpio_recv(srv, piece, sizeof(piece), &ri);
		if (n == -EAGAIN)
			continue;
		OK(n);
		if (ri.flags & SCTPIO_MSG_NOTIFICATION)
			continue;
		pieces++;
		if (ri.stream == 1) {
			CHECK(!big_done && have + (size_t)n <= BIG);
			if (have == 0)
				CHECK_EQ(ri.ppid, 1); /* the first piece; see options.h for the later ones */
			else if (ri.ppid != 1)
				other_ppid = ri.ppid;
			memcpy(got + have, piece, (size_t)n);
			have += (size_t)n;
			big_done = !(ri.flags & SCTPIO_MSG_MORE);
		} else {
			CHECK_EQ(ri.stream, 2);
			CHECK(!small_done && small_len + (size_t)n <= SMALL);
			if (small_len == 0)
				CHECK_EQ(ri.ppid, 2);
			memcpy(sbuf + small_len, piece, (size_t)n);
			small_len += (size_t)n;
			if (!(ri.flags & SCTPIO_MSG_MORE)) {
				small_done = 1;
				big_at_small = have;
			}
		}
	}
	CHECK_EQ(have, BIG);
	CHECK(memcmp(got, big, BIG) == 0);
	CHECK_EQ(small_len, SMALL);
	CHECK(memcmp(sbuf, small, SMALL) == 0);
	printf("I-DATA %s: the small message arrived after %zu of %d bytes of the large one (%d pieces read; "
	       "a later piece's PPID: %u)\n", intl ? "on" : "off", big_at_small, BIG, pieces, other_ppid);
	OK(sctpio_sock_close(srv));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(lst));
	return big_at_small;
}

int main(void)
{
	test_private_netns();
	int was = test_read_proc_int(INTL_ENABLE);
	if (was < 0)
		SKIP("no %s (kernel before 4.20)", INTL_ENABLE);
	for (size_t i = 0; i < BIG; i++)
		big[i] = (uint8_t)(i * 131 + (i >> 8));
	memset(small, 0x5a, sizeof(small));

	/* Without the sysctl the kernel refuses the option, fragment interleave or not. */
	test_write_proc_int(INTL_ENABLE, 0);
	int fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	OK(sctpio_opt_set_fragment_interleave(fd, 2));
	CHECK_EQ(sctpio_opt_set_interleaving_supported(fd, 0, 1), -EPERM);
	OK(sctpio_sock_close(fd));
	test_write_proc_int(INTL_ENABLE, 1);
	/* With it, fragment interleave must be on first. */
	fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	CHECK_EQ(sctpio_opt_set_interleaving_supported(fd, 0, 1), -EPERM);
	OK(sctpio_sock_close(fd));

	size_t with = run(1);
	size_t without = run(0);
	CHECK(with < BIG);
	CHECK_EQ(without, BIG);
	test_write_proc_int(INTL_ENABLE, was);
	return 0;
}
