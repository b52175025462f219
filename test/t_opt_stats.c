// SPDX-License-Identifier: MIT
/*
 * SCTP_GET_ASSOC_STATS counts what the test did: 40 ordered and 15 unordered single-chunk messages
 * from client to server show as exactly 40 and 15 DATA chunks out on one side and in on the other,
 * no retransmissions or duplicates on loopback, and the SACKs the server sent are the SACKs the
 * client received. The RTO observation names the server's address. The delayed-SACK option shows
 * in the same counters: with freq 1 the server sends one SACK per packet of data (20 for 20
 * messages sent one at a time), with freq 2 and a 500 ms delay about half as many.
 */
#include <sys/socket.h>

#include "test.h"

/* Wait until everything the client sent is acknowledged. */
static void wait_acked(int cli)
{
	struct sctpio_status st;
	double end = now_ms() + 10000;
	for (;;) {
		OK(sctpio_opt_get_status(cli, 0, &st));
		if (st.unacked == 0)
			return;
		if (now_ms() > end)
			FAIL("%u chunks still unacknowledged", st.unacked);
		poll(NULL, 0, 5);
	}
}

/* Send k messages one at a time, each received before the next goes: one packet each. Returns how
 * many SACKs the server sent meanwhile. */
static uint64_t one_by_one(int cli, int srv, int k)
{
	struct sctpio_assoc_stats a, b;
	struct sctpio_rcvinfo ri;
	char buf[64];

	POISON(a);
	OK(sctpio_opt_get_assoc_stats(srv, 0, &a));
	CHECK_RESERVED_ZERO(a);
	for (int i = 0; i < k; i++) {
		send_all(cli, "ping", 4, NULL);
		CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 4);
	}
	OK(sctpio_opt_get_assoc_stats(srv, 0, &b));
	CHECK_EQ(b.ordered_in - a.ordered_in, k);
	return b.sacks_out - a.sacks_out;
}

int main(void)
{
	sctpio_addr addr;
	int lst = test_server(SCTPIO_ONE_TO_ONE, &addr);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	/* RTO fixed at 1000 ms: what the observation reports is then 1000 ms in kernel ticks. */
	struct sctp_rtoinfo rto = { .srto_initial = 1000, .srto_min = 1000, .srto_max = 1000 };
	OK(sctpio_opt_set_rtoinfo(cli, 0, &rto));
	int srv = test_connect_accept(lst, cli, &addr);

	struct sctpio_assoc_stats c0, s0, c1, s1;
	OK(sctpio_opt_get_assoc_stats(cli, 0, &c0));
	OK(sctpio_opt_get_assoc_stats(srv, 0, &s0));
	CHECK_EQ(c0.ordered_out + c0.unordered_out, 0);
	CHECK(c0.packets_out > 0 && c0.ctrl_out > 0 && c0.ctrl_in > 0); /* the handshake */

	enum { ORDERED = 40, UNORDERED = 15 };
	char msg[100], buf[256];
	struct sctpio_rcvinfo ri;
	memset(msg, 'x', sizeof(msg));
	int got_o = 0, got_u = 0;
	for (int i = 0; i < ORDERED + UNORDERED; i++) {
		struct sctpio_sndinfo si = { .flags = i < 2 * UNORDERED && i % 2 ? SCTPIO_UNORDERED : 0 };
		send_all(cli, msg, sizeof(msg), &si);
	}
	while (got_o + got_u < ORDERED + UNORDERED) {
		CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), (long long)sizeof(msg));
		if (ri.flags & SCTPIO_MSG_UNORDERED)
			got_u++;
		else
			got_o++;
	}
	CHECK_EQ(got_o, ORDERED);
	CHECK_EQ(got_u, UNORDERED);
	wait_acked(cli);

	OK(sctpio_opt_get_assoc_stats(cli, 0, &c1));
	OK(sctpio_opt_get_assoc_stats(srv, 0, &s1));
	printf("client: out %llu ordered %llu unordered, %llu packets, %llu SACKs in, max RTO %llu ticks; "
	       "server: in %llu ordered %llu unordered, %llu SACKs out\n",
	       (unsigned long long)c1.ordered_out, (unsigned long long)c1.unordered_out,
	       (unsigned long long)c1.packets_out, (unsigned long long)c1.sacks_in,
	       (unsigned long long)c1.max_rto_ticks, (unsigned long long)s1.ordered_in,
	       (unsigned long long)s1.unordered_in, (unsigned long long)s1.sacks_out);
	CHECK_EQ(c1.ordered_out, ORDERED);
	CHECK_EQ(c1.unordered_out, UNORDERED);
	CHECK_EQ(s1.ordered_in, ORDERED);
	CHECK_EQ(s1.unordered_in, UNORDERED);
	CHECK_EQ(c1.rtx_chunks, 0);
	CHECK_EQ(s1.dup_chunks_in, 0);
	CHECK_EQ(c1.ordered_in + c1.unordered_in, 0);
	CHECK(c1.sacks_in > 0);
	CHECK_EQ(c1.sacks_in - c0.sacks_in, s1.sacks_out - s0.sacks_out);
	CHECK(c1.packets_out > c0.packets_out && s1.packets_in > s0.packets_in);
	/* 1000 ms in ticks is CONFIG_HZ: one of the kernel's choices. */
	CHECK(c1.max_rto_ticks == 100 || c1.max_rto_ticks == 250 || c1.max_rto_ticks == 300 ||
	      c1.max_rto_ticks == 1000);
	CHECK(sctpio_addr_equal(&c1.max_rto_addr, &addr));
	CHECK_EQ(sctpio_opt_get_assoc_stats(cli, 0, NULL), -EINVAL);

	/* Delayed SACK seen in the counts. */
	OK(sctpio_opt_set_delayed_sack(srv, 0, 0, 1));
	uint64_t every = one_by_one(cli, srv, 20);
	OK(sctpio_opt_set_delayed_sack(srv, 0, 500, 2));
	wait_acked(cli);
	uint64_t halved = one_by_one(cli, srv, 20);
	printf("delayed SACK: freq 1: %llu SACKs for 20 packets; freq 2: %llu\n", (unsigned long long)every,
	       (unsigned long long)halved);
	CHECK_EQ(every, 20);
	CHECK(halved >= 9 && halved <= 12);

	OK(sctpio_sock_close(srv));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(lst));
	return 0;
}
