// SPDX-License-Identifier: MIT
/*
 * Socket options: every typed option is set and read back with a changed value, and where the option
 * has a visible effect on loopback the effect is asserted too (INITMSG stream counts in STATUS, MAXSEG
 * as the fragmentation point, default SNDINFO on a plain send(2), autoclose ending an idle association,
 * SO_LINGER 0 aborting, the adaptation indication reaching the peer in host order, NXTINFO).
 */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>

#include "test.h"

/* Wait for a condition the kernel reaches on its own (an ack, a timer), re-checking every 2 ms. */
#define WAIT_FOR(cond, ms) do { long _end = now_ms() + (ms); \
	while (!(cond)) { if (now_ms() > _end) FAIL("timed out waiting for %s", #cond); poll(NULL, 0, 2); } \
	} while (0)

static void subscribe(int fd, uint16_t type)
{
	OK(sctpio_sock_subscribe(fd, SCTP_ALL_ASSOC, type, 1));
}

static void test_flags_and_raw(void)
{
	int fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	int nagle = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, SCTPIO_NAGLE));

	/* sctpio turns Nagle off by default; SCTPIO_NAGLE leaves the kernel's default (on). */
	CHECK_EQ(sctpio_opt_get_nodelay(fd), 1);
	CHECK_EQ(sctpio_opt_get_nodelay(nagle), 0);
	OK(sctpio_opt_set_nodelay(nagle, 1));
	CHECK_EQ(sctpio_opt_get_nodelay(nagle), 1);
	OK(sctpio_opt_set_nodelay(nagle, 0));
	CHECK_EQ(sctpio_opt_get_nodelay(nagle), 0);

	CHECK_EQ(sctpio_opt_get_recvnxtinfo(fd), 0);
	OK(sctpio_opt_set_recvnxtinfo(fd, 1));
	CHECK_EQ(sctpio_opt_get_recvnxtinfo(fd), 1);
	OK(sctpio_opt_set_recvnxtinfo(fd, 0));
	CHECK_EQ(sctpio_opt_get_recvnxtinfo(fd), 0);

	CHECK_EQ(sctpio_opt_get_reuseaddr(fd), 0);
	OK(sctpio_opt_set_reuseaddr(fd, 1));
	CHECK_EQ(sctpio_opt_get_reuseaddr(fd), 1);
	CHECK_EQ(sctpio_opt_get_reuseport(fd), 0);
	OK(sctpio_opt_set_reuseport(fd, 1));
	CHECK_EQ(sctpio_opt_get_reuseport(fd), 1);

	/* Linux keeps fragment interleave as on/off: level 2 reads back as 1. */
	CHECK_EQ(sctpio_opt_get_fragment_interleave(fd), 0);
	OK(sctpio_opt_set_fragment_interleave(fd, 2));
	CHECK_EQ(sctpio_opt_get_fragment_interleave(fd), 1);
	OK(sctpio_opt_set_fragment_interleave(fd, 0));
	CHECK_EQ(sctpio_opt_get_fragment_interleave(fd), 0);

	OK(sctpio_opt_set_partial_delivery_point(fd, 1000));
	CHECK_EQ(sctpio_opt_get_partial_delivery_point(fd), 1000);

	uint32_t ind = 0;
	OK(sctpio_opt_set_adaptation_layer(fd, 0xa1b2c3d4));
	OK(sctpio_opt_get_adaptation_layer(fd, &ind));
	CHECK_EQ(ind, 0xa1b2c3d4);

	/* Autoclose is a one-to-many option; the kernel refuses it on one-to-one sockets. */
	CHECK_EQ(sctpio_opt_set_autoclose(fd, 5), -EOPNOTSUPP);

	/* Raw access: an int option and a struct option, both read back. */
	int zero = 0, v = -1;
	OK(sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_NODELAY, &zero, sizeof(zero)));
	CHECK_EQ(sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_NODELAY, &v, sizeof(v)), (int)sizeof(int));
	CHECK_EQ(v, 0);
	CHECK_EQ(sctpio_opt_get_nodelay(fd), 0);
	struct sctp_sack_info sack = { .sack_assoc_id = 0, .sack_delay = 120, .sack_freq = 3 };
	OK(sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_DELAYED_SACK, &sack, sizeof(sack)));
	memset(&sack, 0, sizeof(sack));
	CHECK_EQ(sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_DELAYED_SACK, &sack, sizeof(sack)), (int)sizeof(sack));
	CHECK_EQ(sack.sack_delay, 120);
	CHECK_EQ(sack.sack_freq, 3);

	/* Endpoint RTO and association parameters on an unconnected socket. */
	struct sctp_rtoinfo rto = { .srto_initial = 700, .srto_max = 4000, .srto_min = 250 };
	OK(sctpio_opt_set_rtoinfo(fd, 0, &rto));
	memset(&rto, 0, sizeof(rto));
	OK(sctpio_opt_get_rtoinfo(fd, 0, &rto));
	CHECK_EQ(rto.srto_initial, 700);
	CHECK_EQ(rto.srto_max, 4000);
	CHECK_EQ(rto.srto_min, 250);

	/* PR-SCTP: on by default (net.sctp.prsctp_enable), switchable; the default policy round-trips
	 * in sctpio's numbering although the kernel stores SCTP_PR_SCTP_TTL (0x10). */
	CHECK_EQ(sctpio_opt_get_pr_supported(fd, 0), 1);
	OK(sctpio_opt_set_pr_supported(fd, 0, 0));
	CHECK_EQ(sctpio_opt_get_pr_supported(fd, 0), 0);
	OK(sctpio_opt_set_pr_supported(fd, 0, 1));
	int policy = -1;
	uint32_t value = 0;
	OK(sctpio_opt_set_default_prinfo(fd, 0, SCTPIO_PR_TTL, 1500));
	OK(sctpio_opt_get_default_prinfo(fd, 0, &policy, &value));
	CHECK_EQ(policy, SCTPIO_PR_TTL);
	CHECK_EQ(value, 1500);
	struct sctp_default_prinfo raw = { .pr_assoc_id = 0 };
	OK(sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &raw, sizeof(raw)));
	CHECK_EQ(raw.pr_policy, SCTP_PR_SCTP_TTL);
	OK(sctpio_opt_set_default_prinfo(fd, 0, SCTPIO_PR_NONE, 99));
	OK(sctpio_opt_get_default_prinfo(fd, 0, &policy, &value));
	CHECK_EQ(policy, SCTPIO_PR_NONE);
	CHECK_EQ(value, 0);

	OK(sctpio_sock_close(nagle));
	OK(sctpio_sock_close(fd));

	/* SO_REUSEPORT's effect: two sockets that both set it share a port; a third that did not cannot. */
	sctpio_addr a;
	OK(sctpio_addr_parse(&a, "127.0.0.1", 0));
	int r1 = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	int r2 = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	int r3 = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	OK(sctpio_opt_set_reuseport(r1, 1));
	OK(sctpio_opt_set_reuseport(r2, 1));
	OK(sctpio_sock_bind(r1, &a, 1));
	CHECK_EQ(OK(sctpio_sock_local_addrs(r1, 0, &a, 1)), 1);
	OK(sctpio_sock_bind(r2, &a, 1));
	CHECK_EQ(sctpio_sock_bind(r3, &a, 1), -EADDRINUSE);
	OK(sctpio_sock_listen(r1, 0));
	OK(sctpio_sock_listen(r2, 0));
	OK(sctpio_sock_close(r1));
	OK(sctpio_sock_close(r2));
	OK(sctpio_sock_close(r3));
}

static void test_buffers_and_linger(void)
{
	int fd = OK(sctpio_sock_open(AF_INET6, SCTPIO_ONE_TO_MANY, 0));

	/* Linux doubles what is set, after capping it at net.core.[rw]mem_max. */
	OK(sctpio_opt_set_rcvbuf(fd, 65536));
	CHECK_EQ(sctpio_opt_get_rcvbuf(fd), 131072);
	OK(sctpio_opt_set_sndbuf(fd, 40000));
	CHECK_EQ(sctpio_opt_get_sndbuf(fd), 80000);
	int rmax = test_read_proc_int("/proc/sys/net/core/rmem_max");
	if (rmax > 0 && rmax < (1 << 29)) {
		OK(sctpio_opt_set_rcvbuf(fd, rmax * 2));
		CHECK_EQ(sctpio_opt_get_rcvbuf(fd), rmax * 2);
		OK(sctpio_opt_set_rcvbuf(fd, rmax + 4096));
		CHECK_EQ(sctpio_opt_get_rcvbuf(fd), rmax * 2);
	}

	int on = -1, secs = -1;
	OK(sctpio_opt_get_linger(fd, &on, &secs));
	CHECK_EQ(on, 0);
	OK(sctpio_opt_set_linger(fd, 1, 5));
	OK(sctpio_opt_get_linger(fd, &on, &secs));
	CHECK_EQ(on, 1);
	CHECK_EQ(secs, 5);
	OK(sctpio_opt_set_linger(fd, 0, 0));
	OK(sctpio_opt_get_linger(fd, &on, &secs));
	CHECK_EQ(on, 0);

	OK(sctpio_opt_set_autoclose(fd, 7));
	CHECK_EQ(sctpio_opt_get_autoclose(fd), 7);
	OK(sctpio_opt_set_autoclose(fd, 0));
	CHECK_EQ(sctpio_opt_get_autoclose(fd), 0);
	OK(sctpio_sock_close(fd));
}

/* One association, many options on it: INITMSG, MAXSEG, STATUS, RTO, ASSOCINFO, peer address
 * parameters and info, default SNDINFO, adaptation, NXTINFO, and SO_LINGER 0 as an abort. */
static void test_association(void)
{
	sctpio_addr addr;
	struct sctpio_rcvinfo ri;
	char buf[256];
	int srv = test_server(SCTPIO_ONE_TO_ONE, &addr);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));

	OK(sctpio_opt_set_adaptation_layer(srv, 0x01020304));
	subscribe(cli, SCTP_ADAPTATION_INDICATION);

	struct sctp_initmsg im = { .sinit_num_ostreams = 17, .sinit_max_instreams = 9, .sinit_max_attempts = 3,
				   .sinit_max_init_timeo = 1500 };
	OK(sctpio_opt_set_initmsg(cli, &im));
	memset(&im, 0, sizeof(im));
	OK(sctpio_opt_get_initmsg(cli, &im));
	CHECK_EQ(im.sinit_num_ostreams, 17);
	CHECK_EQ(im.sinit_max_instreams, 9);
	CHECK_EQ(im.sinit_max_attempts, 3);
	CHECK_EQ(im.sinit_max_init_timeo, 1500);
	OK(sctpio_opt_set_maxseg(cli, 0, 1000));
	CHECK_EQ(sctpio_opt_get_maxseg(cli, 0), 1000);

	int acc = test_connect_accept(srv, cli, &addr);

	/* The adaptation indication reaches the peer exactly as set (host order both ends). */
	union sctp_notification sn;
	wait_notification(cli, SCTP_ADAPTATION_INDICATION, &sn);
	CHECK_EQ(sn.sn_adaptation_event.sai_adaptation_ind, 0x01020304);

	struct sctpio_status st;
	OK(sctpio_opt_get_status(cli, 0, &st));
	CHECK_EQ(st.state, SCTP_ESTABLISHED);
	CHECK_EQ(st.out_streams, 17);
	CHECK_EQ(st.in_streams, 9); /* min(our 9, the server's default 10 outbound) */
	CHECK_EQ(st.frag_point, 1000);
	CHECK(st.assoc_id != 0);
	CHECK(st.rwnd > 0);
	CHECK(sctpio_addr_equal(&st.primary.addr, &addr));
	CHECK_EQ(st.primary.state, SCTP_ACTIVE);
	CHECK(st.primary.cwnd > 0 && st.primary.rto > 0 && st.primary.mtu > 0);
	CHECK_EQ(sctpio_opt_get_maxseg(cli, 0), 1000);
	struct sctpio_status sst;
	OK(sctpio_opt_get_status(acc, 0, &sst));
	CHECK_EQ(sst.state, SCTP_ESTABLISHED);
	CHECK_EQ(sst.in_streams, 17);
	CHECK_EQ(sst.out_streams, 9);

	/* The primary path's own record agrees with STATUS. */
	struct sctpio_paddrinfo pi;
	POISON(pi);
	OK(sctpio_opt_get_peer_addr_info(cli, 0, &st.primary.addr, &pi));
	CHECK(sctpio_addr_equal(&pi.addr, &addr));
	CHECK_RESERVED_ZERO(pi);
	CHECK_RESERVED_ZERO(st.primary);
	CHECK_EQ(pi.state, SCTP_ACTIVE);
	CHECK_EQ(pi.mtu, st.primary.mtu);
	CHECK_EQ(pi.rto, st.primary.rto);
	CHECK(pi.cwnd > 0);

	struct sctp_rtoinfo rto = { .srto_initial = 600, .srto_max = 3000, .srto_min = 300 };
	OK(sctpio_opt_set_rtoinfo(cli, 0, &rto));
	memset(&rto, 0, sizeof(rto));
	OK(sctpio_opt_get_rtoinfo(cli, 0, &rto));
	CHECK_EQ(rto.srto_initial, 600);
	CHECK_EQ(rto.srto_max, 3000);
	CHECK_EQ(rto.srto_min, 300);

	struct sctp_assocparams ap = { .sasoc_asocmaxrxt = 7, .sasoc_cookie_life = 30000 };
	OK(sctpio_opt_set_associnfo(cli, 0, &ap));
	memset(&ap, 0, sizeof(ap));
	OK(sctpio_opt_get_associnfo(cli, 0, &ap));
	CHECK_EQ(ap.sasoc_asocmaxrxt, 7);
	CHECK_EQ(ap.sasoc_cookie_life, 30000);
	CHECK_EQ(ap.sasoc_number_peer_destinations, 1);
	CHECK(ap.sasoc_peer_rwnd > 0);

	/* Heartbeat interval on the whole association; path max retrans and a fixed MTU on one address. */
	struct sctpio_paddrparams pp = { .hb_interval = 5000 };
	OK(sctpio_opt_set_paddrparams(cli, 0, &pp));
	memset(&pp, 0, sizeof(pp));
	OK(sctpio_opt_get_paddrparams(cli, 0, &pp));
	CHECK_EQ(pp.hb_interval, 5000);
	CHECK(pp.flags & SCTPIO_PADDR_HB_ON);
	CHECK(!(pp.flags & SCTPIO_PADDR_HB_OFF));
	struct sctpio_paddrparams one = { .addr = addr, .path_max_retrans = 3, .path_mtu = 1280 };
	OK(sctpio_opt_set_paddrparams(cli, 0, &one));
	memset(&one, 0, sizeof(one));
	one.addr = addr;
	OK(sctpio_opt_get_paddrparams(cli, 0, &one));
	CHECK_EQ(one.path_max_retrans, 3);
	CHECK_EQ(one.path_mtu, 1280);
	CHECK(one.flags & SCTPIO_PADDR_PMTUD_OFF);
	CHECK_EQ(one.hb_interval, 5000);
	OK(sctpio_opt_get_peer_addr_info(cli, 0, &addr, &pi));
	CHECK_EQ(pi.mtu, 1280);
	pp = (struct sctpio_paddrparams){ .flags = SCTPIO_PADDR_HB_OFF };
	OK(sctpio_opt_set_paddrparams(cli, 0, &pp));
	OK(sctpio_opt_get_paddrparams(cli, 0, &pp));
	CHECK(pp.flags & SCTPIO_PADDR_HB_OFF);

	/* Default SNDINFO: a plain send(2) without metadata goes out with it, PPID in host order. */
	struct sctpio_default_sndinfo ds = { .stream = 5, .ppid = 4242, .context = 77 };
	OK(sctpio_opt_set_default_sndinfo(cli, 0, &ds));
	POISON(ds);
	OK(sctpio_opt_get_default_sndinfo(cli, 0, &ds));
	CHECK_RESERVED_ZERO(ds);
	CHECK_EQ(ds.stream, 5);
	CHECK_EQ(ds.ppid, 4242);
	CHECK_EQ(ds.context, 77);
	CHECK_EQ(ds.flags, 0);
	CHECK_EQ(send(cli, "plain", 5, MSG_NOSIGNAL), 5);
	CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 5);
	CHECK(memcmp(buf, "plain", 5) == 0);
	CHECK_EQ(ri.stream, 5);
	CHECK_EQ(ri.ppid, 4242);
	CHECK(!(ri.flags & SCTPIO_MSG_UNORDERED));
	ds.flags = SCTPIO_UNORDERED;
	OK(sctpio_opt_set_default_sndinfo(cli, 0, &ds));
	OK(sctpio_opt_get_default_sndinfo(cli, 0, &ds));
	CHECK_EQ(ds.flags, SCTPIO_UNORDERED);
	CHECK_EQ(send(cli, "unord", 5, MSG_NOSIGNAL), 5);
	CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 5);
	CHECK(ri.flags & SCTPIO_MSG_UNORDERED);
	CHECK_EQ(ri.stream, 5);
	/* sctpio_send with NULL info attaches no SNDINFO, so the socket's default applies (this once
	 * failed: an all-zero SNDINFO was always attached and overrode the default). */
	CHECK_EQ(OK(sctpio_send(cli, "nulli", 5, NULL)), 5);
	CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 5);
	CHECK_EQ(ri.stream, 5);

	/* NXTINFO: once both messages are acknowledged, both wait at the receiver, so the first read
	 * describes the second. */
	OK(sctpio_opt_set_recvnxtinfo(acc, 1));
	struct sctpio_sndinfo s1 = { .stream = 1, .ppid = 11 }, s2 = { .stream = 2, .ppid = 22 };
	CHECK_EQ(OK(sctpio_send(cli, "first", 5, &s1)), 5);
	CHECK_EQ(OK(sctpio_send(cli, "second!", 7, &s2)), 7);
	WAIT_FOR(sctpio_opt_get_status(cli, 0, &st) == 0 && st.unacked == 0, 5000);
	CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 5);
	CHECK(ri.flags & SCTPIO_MSG_HAS_NEXT);
	CHECK_EQ(ri.next_stream, 2);
	CHECK_EQ(ri.next_ppid, 22);
	CHECK_EQ(ri.next_length, 7);
	CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 7);

	/* PR-SCTP: both ends support it; a TTL message should be accepted by sctpio_send. */
	CHECK_EQ(sctpio_opt_get_pr_supported(cli, 0), 1);
	struct sctpio_sndinfo ttl = { .stream = 1, .pr_policy = SCTPIO_PR_TTL, .pr_value = 10000 };
	/* This once failed with -EINVAL: the policy went to the kernel unshifted in SCTP_PRINFO. */
	CHECK_EQ(OK(sctpio_send(cli, "ttl", 3, &ttl)), 3);
	CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 3);
	CHECK(memcmp(buf, "ttl", 3) == 0);

	/* SO_LINGER on with 0 seconds: close sends ABORT instead of SHUTDOWN, so the peer's association
	 * ends as lost (a graceful close would read as SCTP_SHUTDOWN_COMP after end of stream). */
	OK(sctpio_opt_set_linger(cli, 1, 0));
	OK(sctpio_sock_close(cli));
	wait_notification(acc, SCTP_ASSOC_CHANGE, &sn);
	CHECK_EQ(sn.sn_assoc_change.sac_state, SCTP_COMM_LOST);
	CHECK_EQ(sctpio_opt_get_status(acc, 0, &sst), -EINVAL);
	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(srv));
}

/* A one-to-many server: the association id list names exactly its three clients, each with a STATUS. */
static void test_one_to_many(void)
{
	sctpio_addr addr;
	struct sctpio_rcvinfo ri;
	char buf[64];
	int srv = test_server(SCTPIO_ONE_TO_MANY, &addr);
	int cli[3];
	sctp_assoc_t seen[3], ids[8];

	CHECK_EQ(sctpio_opt_get_assoc_ids(srv, ids, 8), 0);
	for (int i = 0; i < 3; i++) {
		cli[i] = OK(sctpio_sock_client(SCTPIO_ONE_TO_MANY, &addr, 1, NULL, 0, 0, NULL));
		struct sctpio_sndinfo si = { .to = &addr };
		CHECK_EQ(OK(sctpio_send(cli[i], "hi", 2, &si)), 2);
		CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 2);
		seen[i] = ri.assoc_id;
		for (int j = 0; j < i; j++)
			CHECK(seen[j] != seen[i]);
	}
	memset(ids, 0, sizeof(ids));
	CHECK_EQ(sctpio_opt_get_assoc_ids(srv, ids, 8), 3);
	for (int i = 0; i < 3; i++) {
		int found = 0;
		for (int j = 0; j < 3; j++)
			found += ids[j] == seen[i];
		CHECK_EQ(found, 1);
		struct sctpio_status st;
		OK(sctpio_opt_get_status(srv, seen[i], &st));
		CHECK_EQ(st.assoc_id, seen[i]);
		CHECK_EQ(st.state, SCTP_ESTABLISHED);
	}
	CHECK_EQ(ids[3], 0);
	/* A short array gets what fits; the count is still the total. */
	sctp_assoc_t first = 0;
	CHECK_EQ(sctpio_opt_get_assoc_ids(srv, &first, 1), 3);
	CHECK_EQ(first, ids[0]);
	CHECK_EQ(sctpio_opt_get_assoc_ids(srv, NULL, 0), 3);
	struct sctpio_status st;
	CHECK_EQ(sctpio_opt_get_status(srv, 123456, &st), -EINVAL);

	/* Per-association MAXSEG on the server reads the association's fragmentation point. */
	OK(sctpio_opt_get_status(srv, seen[0], &st));
	CHECK_EQ(sctpio_opt_get_maxseg(srv, seen[0]), (int)st.frag_point);

	for (int i = 0; i < 3; i++)
		OK(sctpio_sock_close(cli[i]));
	OK(sctpio_sock_close(srv));
}

/* Autoclose: an association idle for a second is shut down gracefully by the server's side. The
 * kernel copies the timeout into each association when it is created, so it is set before connecting. */
static void test_autoclose(void)
{
	sctpio_addr addr;
	struct sctpio_rcvinfo ri;
	char buf[64];
	union sctp_notification sn;
	int srv = test_server(SCTPIO_ONE_TO_MANY, &addr);

	OK(sctpio_opt_set_autoclose(srv, 1));
	CHECK_EQ(sctpio_opt_get_autoclose(srv), 1);
	int cli = OK(sctpio_sock_client(SCTPIO_ONE_TO_MANY, &addr, 1, NULL, 0, 0, NULL));
	struct sctpio_sndinfo si = { .to = &addr };
	CHECK_EQ(OK(sctpio_send(cli, "idle", 4, &si)), 4);
	CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 4);
	long start = now_ms();
	do
		wait_notification(cli, SCTP_ASSOC_CHANGE, &sn);
	while (sn.sn_assoc_change.sac_state == SCTP_COMM_UP);
	CHECK_EQ(sn.sn_assoc_change.sac_state, SCTP_SHUTDOWN_COMP);
	CHECK(now_ms() - start >= 500);
	WAIT_FOR(sctpio_opt_get_assoc_ids(srv, NULL, 0) == 0, 10000);
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
}

int main(void)
{
	test_flags_and_raw();
	test_buffers_and_linger();
	test_association();
	test_one_to_many();
	test_autoclose();
	printf("options: all round trips and effects ok\n");
	return 0;
}
