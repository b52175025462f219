// SPDX-License-Identifier: MIT
/*
 * PR-SCTP status (SCTP_PR_ASSOC_STATUS, SCTP_PR_STREAM_STATUS): a client sends 200 messages with a
 * 200 ms lifetime on stream 1 to a server that does not read, so the server's window closes and most
 * of them wait in the client's queue; their lifetime runs out there. When the server reads again
 * and a final reliable message on the same stream has arrived, every message is accounted for:
 * received + abandoned-unsent <= 200 <= received + abandoned-unsent + abandoned-sent (a message
 * abandoned after it was transmitted may have arrived all the same), the counts are the same
 * for the stream as for the association, for the TTL policy as for all policies, and zero for the
 * RTX and PRIO policies and for stream 2, which carried reliable messages only.
 */
#include <sys/socket.h>

#include "test.h"

enum { TOTAL = 200, SIZE = 1000, TTL_MS = 200 };

int main(void)
{
	sctpio_addr addr;
	int lst = test_server(SCTPIO_ONE_TO_ONE, &addr);
	OK(sctpio_opt_set_rcvbuf(lst, 16384)); /* inherited by the accepted socket: a small window */
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	OK(sctpio_opt_set_sndbuf(cli, 4 << 20)); /* room to queue everything */
	int srv = test_connect_accept(lst, cli, &addr);
	CHECK_EQ(sctpio_opt_get_pr_supported(cli, 0), 1);

	struct sctpio_pr_status st;
	POISON(st);
	OK(sctpio_opt_get_pr_assoc_status(cli, 0, SCTPIO_PR_ALL, &st));
	CHECK_RESERVED_ZERO(st);
	CHECK_EQ(st.abandoned_unsent + st.abandoned_sent, 0);

	char msg[SIZE], buf[SIZE + 16];
	memset(msg, 'p', sizeof(msg));
	struct sctpio_sndinfo reliable2 = { .stream = 2 };
	send_all(cli, "reliable", 8, &reliable2);
	struct sctpio_sndinfo ttl = { .stream = 1, .pr_policy = SCTPIO_PR_TTL, .pr_value = TTL_MS };
	double last = 0;
	for (int i = 0; i < TOTAL; i++) {
		send_all(cli, msg, sizeof(msg), &ttl);
		last = now_ms();
	}
	/* The queued messages' lifetimes run out while the server does not read. */
	while (now_ms() < last + TTL_MS + 50)
		poll(NULL, 0, (int)(last + TTL_MS + 51 - now_ms()));
	struct sctpio_sndinfo end = { .stream = 1 };
	send_all(cli, "end", 3, &end);

	int received = 0, reliable = 0;
	struct sctpio_rcvinfo ri;
	for (;;) {
		ssize_t n = recv_data(srv, buf, sizeof(buf), &ri);
		if (ri.stream == 2) {
			CHECK_EQ(n, 8);
			reliable++;
			continue;
		}
		CHECK_EQ(ri.stream, 1);
		if (n == 3 && memcmp(buf, "end", 3) == 0)
			break;
		CHECK_EQ(n, SIZE);
		received++;
	}
	CHECK_EQ(reliable, 1);

	struct sctpio_pr_status all, ttls, rtx, prio, s1, s2;
	OK(sctpio_opt_get_pr_assoc_status(cli, 0, SCTPIO_PR_ALL, &all));
	OK(sctpio_opt_get_pr_assoc_status(cli, 0, SCTPIO_PR_TTL, &ttls));
	OK(sctpio_opt_get_pr_assoc_status(cli, 0, SCTPIO_PR_RTX, &rtx));
	OK(sctpio_opt_get_pr_assoc_status(cli, 0, SCTPIO_PR_PRIO, &prio));
	OK(sctpio_opt_get_pr_stream_status(cli, 0, 1, SCTPIO_PR_TTL, &s1));
	OK(sctpio_opt_get_pr_stream_status(cli, 0, 2, SCTPIO_PR_ALL, &s2));
	uint64_t abandoned = all.abandoned_unsent + all.abandoned_sent;
	printf("prstatus: %d messages sent with a %d ms lifetime: %d received, %llu abandoned unsent, %llu "
	       "abandoned sent\n", TOTAL, TTL_MS, received, (unsigned long long)all.abandoned_unsent,
	       (unsigned long long)all.abandoned_sent);
	/* Never transmitted, never received: those are exact. One transmitted and then abandoned may
	 * still have arrived (a zero-window probe the receiver kept, its SACK not back in time). */
	CHECK(received + all.abandoned_unsent <= TOTAL);
	CHECK(received + abandoned >= TOTAL);
	CHECK(all.abandoned_unsent > 0);
	CHECK(received > 0);
	CHECK_EQ(ttls.abandoned_unsent, all.abandoned_unsent);
	CHECK_EQ(ttls.abandoned_sent, all.abandoned_sent);
	CHECK_EQ(s1.abandoned_unsent, all.abandoned_unsent);
	CHECK_EQ(s1.abandoned_sent, all.abandoned_sent);
	CHECK_EQ(rtx.abandoned_unsent + rtx.abandoned_sent, 0);
	CHECK_EQ(prio.abandoned_unsent + prio.abandoned_sent, 0);
	CHECK_EQ(s2.abandoned_unsent + s2.abandoned_sent, 0);

	/* Bad requests. */
	CHECK_EQ(sctpio_opt_get_pr_assoc_status(cli, 0, SCTPIO_PR_NONE, &st), -EINVAL);
	CHECK_EQ(sctpio_opt_get_pr_assoc_status(cli, 0, 5, &st), -EINVAL);
	CHECK_EQ(sctpio_opt_get_pr_assoc_status(cli, 0, SCTPIO_PR_TTL, NULL), -EINVAL);
	struct sctpio_status ss;
	OK(sctpio_opt_get_status(cli, 0, &ss));
	CHECK_EQ(sctpio_opt_get_pr_stream_status(cli, 0, ss.out_streams, SCTPIO_PR_TTL, &st), -EINVAL);

	OK(sctpio_sock_close(srv));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(lst));
	return 0;
}
