// SPDX-License-Identifier: MIT
/*
 * t_sock_setup - the one-call helpers with a setup: stream counts and buffer sizes set before bind and
 * connect reach the association (a server asking for 3 outbound and 20 inbound streams and a client
 * asking for 12 and 20 negotiate 12 one way and 3 the other, where the defaults give 10 and 10), the
 * accepted socket inherits the listener's receive buffer, a one-to-many server's association gets its
 * streams too, and bad setups are refused with nothing left open. Needs kernel SCTP.
 */
#include <dirent.h>

#include "test.h"

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

int main(void)
{
	sctpio_addr a;
	struct sctp_initmsg srv_init = { .sinit_num_ostreams = 3, .sinit_max_instreams = 20 };
	struct sctp_initmsg cli_init = { .sinit_num_ostreams = 12, .sinit_max_instreams = 20 };
	struct sctpio_sock_setup srv_su = { .init = &srv_init, .rcvbuf = 65536 }, cli_su = { .init = &cli_init };

	OK(sctpio_addr_parse(&a, "127.0.0.1", 0));
	int lst = OK(sctpio_sock_server_setup(SCTPIO_ONE_TO_ONE, &a, 1, 0, 0, &srv_su));
	CHECK(OK(sctpio_sock_local_addrs(lst, 0, &a, 1)) >= 1);
	int lbuf = OK(sctpio_opt_get_rcvbuf(lst));
	CHECK(lbuf >= 65536);
	int cli = OK(sctpio_sock_client_setup(SCTPIO_ONE_TO_ONE, &a, 1, NULL, 0, 0, &cli_su, NULL));
	wait_fd(cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(cli), 0);
	wait_fd(lst, POLLIN, 10000);
	int srv = OK(sctpio_sock_accept(lst, NULL, 0));
	struct sctpio_status cs, ss;
	OK(sctpio_opt_get_status(cli, 0, &cs));
	OK(sctpio_opt_get_status(srv, 0, &ss));
	CHECK_EQ(cs.out_streams, 12);
	CHECK_EQ(cs.in_streams, 3);
	CHECK_EQ(ss.out_streams, 3);
	CHECK_EQ(ss.in_streams, 12);
	CHECK_EQ(OK(sctpio_opt_get_rcvbuf(srv)), lbuf);
	close(srv);
	close(cli);
	close(lst);

	/* One-to-many: the association a client's first message sets up has the server's counts. */
	OK(sctpio_addr_parse(&a, "127.0.0.1", 0));
	int om = OK(sctpio_sock_server_setup(SCTPIO_ONE_TO_MANY, &a, 1, 0, 0, &srv_su));
	CHECK(OK(sctpio_sock_local_addrs(om, 0, &a, 1)) >= 1);
	int c2 = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &a, 1, NULL, 0, 0, NULL));
	wait_fd(c2, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(c2), 0);
	OK(sctpio_opt_get_status(c2, 0, &cs));
	CHECK_EQ(cs.in_streams, 3); /* the server sends on 3 */
	CHECK_EQ(cs.out_streams, 10);
	close(c2);
	close(om);

	/* Refusals leave nothing open. */
	int before = count_fds();
	struct sctpio_sock_setup neg = { .rcvbuf = -1 };
	CHECK_EQ(sctpio_sock_server_setup(SCTPIO_ONE_TO_ONE, &a, 1, 0, 0, &neg), -EINVAL);
	CHECK_EQ(sctpio_sock_client_setup(SCTPIO_ONE_TO_ONE, &a, 1, NULL, 0, 0, &neg, NULL), -EINVAL);
	CHECK_EQ(count_fds(), before);
	printf("setup: streams 12/3 negotiated from 12/20 and 3/20, receive buffer %d inherited\n", lbuf);
	return 0;
}
