// SPDX-License-Identifier: MIT
/*
 * The flow label and DSCP of SCTP_PEER_ADDR_PARAMS on the wire. In a network namespace of its own
 * (so that it sees only its own packets), the test captures loopback with a packet socket while a
 * client sends DATA: over IPv4 with DSCP 46 (EF) set on its association, the client's DATA packet
 * carries DS field 46 while the server's SACK, with nothing set, carries 0; over IPv6 with flow label
 * 0x12345 and DSCP 10 set on the endpoint before connecting, the client's DATA packet carries exactly
 * those in its IPv6 header - and still 0x12345 after another label was set on the live association,
 * as options.h warns.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "test.h"

/* A packet socket on lo delivering IP packets without the link header. */
static int capture_open(void)
{
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (fd < 0)
		SKIP("no packet socket: %s", strerror(errno));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = (int)if_nametoindex("lo") };
	CHECK(sll.sll_ifindex > 0);
	CHECK(bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == 0);
	return fd;
}

/* What one captured SCTP packet said. */
struct seen {
	uint16_t sport;
	uint8_t first_chunk;
	uint8_t ds;         /* DSCP: the upper six bits of TOS / traffic class */
	uint32_t flowlabel; /* IPv6 only */
};

/* Wait for an SCTP packet from port sport whose first chunk is of type chunk. */
static struct seen capture_wait(int fd, int family, uint16_t sport, uint8_t chunk)
{
	uint8_t pkt[2048];
	double end = now_ms() + 10000;
	while (now_ms() < end) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&from, &fl);
		if (n < 0 && errno == EAGAIN) {
			wait_fd(fd, POLLIN, 10000);
			continue;
		}
		CHECK(n >= 0);
		if (from.sll_pkttype == PACKET_OUTGOING) /* each loopback packet shows twice; take it once */
			continue;
		struct seen s = { 0 };
		size_t off;
		if (family == AF_INET) {
			if (n < 20 || (pkt[0] >> 4) != 4 || pkt[9] != IPPROTO_SCTP)
				continue;
			off = (size_t)(pkt[0] & 0xf) * 4;
			s.ds = pkt[1] >> 2;
		} else {
			if (n < 40 || (pkt[0] >> 4) != 6 || pkt[6] != IPPROTO_SCTP)
				continue;
			off = 40;
			uint32_t w;
			memcpy(&w, pkt, 4);
			w = ntohl(w);
			s.ds = (uint8_t)((w >> 20) & 0xff) >> 2;
			s.flowlabel = w & 0xfffff;
		}
		if ((size_t)n < off + 13)
			continue;
		s.sport = (uint16_t)(pkt[off] << 8 | pkt[off + 1]);
		s.first_chunk = pkt[off + 12];
		if (s.sport == sport && s.first_chunk == chunk)
			return s;
	}
	FAIL("no SCTP packet from port %u with chunk type %u", sport, chunk);
}

/*
 * One association from a client that set `pre` on its endpoint before connecting and `post` on the
 * association after; its DATA must carry want_ds and (IPv6) want_label, the server's SACK DS 0.
 */
static void run(int family, const char *host, const struct sctpio_paddrparams *pre,
		const struct sctpio_paddrparams *post, uint8_t want_ds, uint32_t want_label)
{
	sctpio_addr addr;
	OK(sctpio_addr_parse(&addr, host, 0));
	int lst = OK(sctpio_sock_server(SCTPIO_ONE_TO_ONE, &addr, 1, 0, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(lst, 0, &addr, 1)), 1);
	int cli = OK(sctpio_sock_open(family, SCTPIO_ONE_TO_ONE, 0));
	if (pre)
		OK(sctpio_opt_set_paddrparams(cli, 0, pre));
	int rc = sctpio_sock_connect(cli, &addr, 1, NULL);
	CHECK(rc == 0 || rc == -EINPROGRESS);
	wait_fd(cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(cli), 0);
	wait_fd(lst, POLLIN, 10000);
	int srv = OK(sctpio_sock_accept(lst, NULL, 0));
	sctpio_addr mine;
	OK(sctpio_sock_local_addrs(cli, 0, &mine, 1));

	OK(sctpio_opt_set_paddrparams(cli, 0, post)); /* family 0: every path of the association */
	struct sctpio_paddrparams back = { .addr = addr };
	OK(sctpio_opt_get_paddrparams(cli, 0, &back)); /* the one path reports what was set last */
	CHECK_EQ(back.dscp, want_ds);
	if (post->flags & SCTPIO_PADDR_FLOWLABEL)
		CHECK_EQ(back.ipv6_flowlabel, post->ipv6_flowlabel);

	int cap = capture_open();
	send_all(cli, "marked", 6, NULL);
	struct seen data = capture_wait(cap, family, sctpio_addr_port(&mine), 0 /* DATA */);
	struct seen sack = capture_wait(cap, family, sctpio_addr_port(&addr), 3 /* SACK */);
	printf("%s: client DATA DS %u flow label 0x%x; server SACK DS %u flow label 0x%x\n",
	       family == AF_INET ? "IPv4" : "IPv6", data.ds, data.flowlabel, sack.ds, sack.flowlabel);
	CHECK_EQ(data.ds, want_ds);
	CHECK_EQ(sack.ds, 0);
	if (family == AF_INET6)
		CHECK_EQ(data.flowlabel, want_label);
	char buf[16];
	struct sctpio_rcvinfo ri;
	CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 6);
	close(cap);
	OK(sctpio_sock_close(srv));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(lst));
}

int main(void)
{
	test_private_netns();
	/* DSCP set on a live association applies to its next packet. */
	struct sctpio_paddrparams ef = { .flags = SCTPIO_PADDR_DSCP, .dscp = 46 };
	run(AF_INET, "127.0.0.1", NULL, &ef, 46, 0);
	/* The flow label is set on the endpoint before connecting; a new one set on the live
	 * association is reported by get but not yet used: the route cached the old one. */
	struct sctpio_paddrparams label = { .flags = SCTPIO_PADDR_DSCP | SCTPIO_PADDR_FLOWLABEL, .dscp = 10,
					    .ipv6_flowlabel = 0x12345 };
	struct sctpio_paddrparams relabel = { .flags = SCTPIO_PADDR_FLOWLABEL, .ipv6_flowlabel = 0x54321 };
	run(AF_INET6, "::1", &label, &relabel, 10, 0x12345);
	return 0;
}
