// SPDX-License-Identifier: MIT
/*
 * t_addr_results - what sctpio hands back as addresses is clean and the same everywhere:
 *  - sctpio_sock_accept on a dual-stack listener gives an IPv4 peer as AF_INET (as sctpio_recv,
 *    batches and notifications do), with every byte past its family's length zero (it used to copy
 *    uninitialised stack bytes into *peer);
 *  - sctpio_sock_local_addrs / sctpio_sock_peer_addrs with room for more than 65,532 addresses ask
 *    the kernel (they used to return -ENOMEM without a system call).
 * Needs kernel SCTP.
 */
#include "test.h"

static void accept_peer_is_clean(void)
{
	sctpio_addr any, to, peer, mine;
	OK(sctpio_addr_parse(&any, "::", 0));
	int l = OK(sctpio_sock_server(SCTPIO_ONE_TO_ONE, &any, 1, 0, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(l, 0, &mine, 1)) >= 1, 1);
	OK(sctpio_addr_parse(&to, "127.0.0.1", sctpio_addr_port(&mine)));
	int c = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &to, 1, NULL, 0, 0, NULL));
	wait_fd(l, POLLIN, 10000);
	memset(&peer, 0xAA, sizeof(peer));
	int a = OK(sctpio_sock_accept(l, &peer, 0));
	CHECK_EQ(peer.sa.sa_family, AF_INET);
	sctpio_addr cl;
	CHECK_EQ(OK(sctpio_sock_local_addrs(c, 0, &cl, 1)) >= 1, 1);
	CHECK_EQ(sctpio_addr_port(&peer), sctpio_addr_port(&cl));
	const unsigned char *b = (const unsigned char *)&peer;
	for (size_t i = sizeof(struct sockaddr_in); i < sizeof(peer); i++)
		if (b[i])
			FAIL("byte %zu of the accepted peer address is 0x%02x, not 0", i, b[i]);
	close(a);
	close(c);
	close(l);
}

static void long_address_lists(void)
{
	sctpio_addr a;
	size_t max = 100000;
	sctpio_addr *out = calloc(max, sizeof(*out));
	CHECK(out != NULL);
	int s = test_server(SCTPIO_ONE_TO_MANY, &a);
	CHECK_EQ(sctpio_sock_local_addrs(s, 0, out, max), 1);
	CHECK(sctpio_addr_equal(&out[0], &a));
	CHECK_EQ(sctpio_sock_local_addrs(s, 0, out, 65532), 1);
	close(s);
	free(out);
}

int main(void)
{
	accept_peer_is_clean();
	long_address_lists();
	printf("accepted peer clean and unmapped; 100,000-address lists asked of the kernel\n");
	return 0;
}
