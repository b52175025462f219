// SPDX-License-Identifier: MIT
/*
 * The simpler options of issue 14, each set and read back with a changed value through the kernel,
 * and their effects where loopback shows them: DISABLE_FRAGMENTS refusing a message above the
 * fragmentation point, CONTEXT appearing in what the receiver reads (the endpoint's value inherited,
 * then the association's), SCTP_REUSE_PORT letting two sockets bind one port (and then only one
 * listen), I_WANT_MAPPED_V4_ADDR changing the address recvmsg(2) writes, RECVRCVINFO off leaving a
 * message's metadata out, ECN_SUPPORTED turned off on one side showing on the other, PRIMARY_ADDR
 * naming the address connected to, the flow label and DSCP of PEER_ADDR_PARAMS (their packets are
 * checked in t_opt_dscp), and the kernel's refusals the headers promise.
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "test.h"

static void test_endpoint_roundtrips(void)
{
	int fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	int m = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	uint32_t d = 0, f = 0, ctx = 1;

	CHECK_EQ(sctpio_opt_get_disable_fragments(fd), 0);
	OK(sctpio_opt_set_disable_fragments(fd, 1));
	CHECK_EQ(sctpio_opt_get_disable_fragments(fd), 1);
	CHECK_EQ(sctpio_opt_set_disable_fragments(fd, 2), -EINVAL);
	OK(sctpio_opt_set_disable_fragments(fd, 0));
	CHECK_EQ(sctpio_opt_get_disable_fragments(fd), 0);

	/* Delayed SACK: the defaults, a change of both, 0 leaving a value alone, freq 1 turning it off. */
	OK(sctpio_opt_get_delayed_sack(fd, 0, &d, &f));
	CHECK_EQ(d, test_read_proc_int("/proc/sys/net/sctp/sack_timeout"));
	CHECK_EQ(f, 2);
	OK(sctpio_opt_set_delayed_sack(fd, 0, 120, 3));
	OK(sctpio_opt_get_delayed_sack(fd, 0, &d, &f));
	CHECK_EQ(d, 120);
	CHECK_EQ(f, 3);
	OK(sctpio_opt_set_delayed_sack(fd, 0, 0, 4));
	OK(sctpio_opt_get_delayed_sack(fd, 0, &d, &f));
	CHECK_EQ(d, 120);
	CHECK_EQ(f, 4);
	CHECK_EQ(sctpio_opt_set_delayed_sack(fd, 0, 501, 0), -EINVAL);
	CHECK_EQ(sctpio_opt_get_delayed_sack(fd, 0, NULL, &f), -EINVAL);
	OK(sctpio_opt_set_delayed_sack(fd, 0, 0, 1));
	OK(sctpio_opt_get_delayed_sack(fd, 0, &d, &f));
	CHECK_EQ(d, 0);
	CHECK_EQ(f, 1);

	OK(sctpio_opt_get_context(fd, 0, &ctx));
	CHECK_EQ(ctx, 0);
	OK(sctpio_opt_set_context(fd, 0, 0xfeedf00d));
	OK(sctpio_opt_get_context(fd, 0, &ctx));
	CHECK_EQ(ctx, 0xfeedf00d);
	CHECK_EQ(sctpio_opt_get_context(fd, 0, NULL), -EINVAL);

	CHECK_EQ(sctpio_opt_get_max_burst(fd, 0), test_read_proc_int("/proc/sys/net/sctp/max_burst"));
	OK(sctpio_opt_set_max_burst(fd, 0, 9));
	CHECK_EQ(sctpio_opt_get_max_burst(fd, 0), 9);
	OK(sctpio_opt_set_max_burst(fd, 0, 0));
	CHECK_EQ(sctpio_opt_get_max_burst(fd, 0), 0);

	/* sctpio_sock_open turns v4-mapping off; AF_INET sockets keep the value too. */
	int f6 = OK(sctpio_sock_open(AF_INET6, SCTPIO_ONE_TO_MANY, 0));
	CHECK_EQ(sctpio_opt_get_mapped_v4(f6), 0);
	OK(sctpio_opt_set_mapped_v4(f6, 1));
	CHECK_EQ(sctpio_opt_get_mapped_v4(f6), 1);
	CHECK_EQ(sctpio_opt_set_mapped_v4(f6, 5), -EINVAL);
	OK(sctpio_sock_close(f6));
	CHECK_EQ(sctpio_opt_get_mapped_v4(fd), 0);
	OK(sctpio_opt_set_mapped_v4(fd, 1));
	CHECK_EQ(sctpio_opt_get_mapped_v4(fd), 1);
	OK(sctpio_opt_set_mapped_v4(fd, 0));

	/* SCTP_EVENT read back: sctpio_sock_open's defaults, then a change each way. */
	CHECK_EQ(sctpio_opt_get_event(fd, 0, SCTP_ASSOC_CHANGE), 1);
	CHECK_EQ(sctpio_opt_get_event(fd, 0, SCTP_SHUTDOWN_EVENT), 1);
	CHECK_EQ(sctpio_opt_get_event(fd, 0, SCTP_PEER_ADDR_CHANGE), 0);
	OK(sctpio_sock_subscribe(fd, 0, SCTP_PEER_ADDR_CHANGE, 1));
	CHECK_EQ(sctpio_opt_get_event(fd, 0, SCTP_PEER_ADDR_CHANGE), 1);
	OK(sctpio_sock_subscribe(fd, 0, SCTP_ASSOC_CHANGE, 0));
	CHECK_EQ(sctpio_opt_get_event(fd, 0, SCTP_ASSOC_CHANGE), 0);
	CHECK_EQ(sctpio_opt_get_event(fd, 0, 0x7777), -EINVAL);

	/* Extensions on the endpoint: the defaults follow the sysctls; each switches both ways. */
	CHECK_EQ(sctpio_opt_get_ecn_supported(fd, 0), test_read_proc_int("/proc/sys/net/sctp/ecn_enable"));
	OK(sctpio_opt_set_ecn_supported(fd, 0, 0));
	CHECK_EQ(sctpio_opt_get_ecn_supported(fd, 0), 0);
	OK(sctpio_opt_set_ecn_supported(fd, 0, 1));
	CHECK_EQ(sctpio_opt_get_ecn_supported(fd, 0), 1);
	CHECK_EQ(sctpio_opt_set_ecn_supported(fd, 0, 2), -EINVAL);
	CHECK_EQ(sctpio_opt_get_asconf_supported(fd, 0), test_read_proc_int("/proc/sys/net/sctp/addip_enable"));
	OK(sctpio_opt_set_asconf_supported(fd, 0, 1));
	CHECK_EQ(sctpio_opt_get_asconf_supported(fd, 0), 1);
	OK(sctpio_opt_set_asconf_supported(fd, 0, 0));
	CHECK_EQ(sctpio_opt_get_asconf_supported(fd, 0), 0);
	CHECK_EQ(sctpio_opt_get_interleaving_supported(fd, 0), 0);
	/* I-DATA needs fragment interleave AND net.sctp.intl_enable (t_opt_idata turns that on). */
	CHECK_EQ(sctpio_opt_set_interleaving_supported(fd, 0, 1), -EPERM);
	if (test_read_proc_int("/proc/sys/net/sctp/intl_enable") == 0) {
		OK(sctpio_opt_set_fragment_interleave(fd, 2));
		CHECK_EQ(sctpio_opt_set_interleaving_supported(fd, 0, 1), -EPERM);
		OK(sctpio_opt_set_fragment_interleave(fd, 0));
	}

	/* Auto-ASCONF only on a socket bound to the wildcard address. */
	CHECK_EQ(sctpio_opt_get_auto_asconf(fd), 0);
	CHECK_EQ(sctpio_opt_set_auto_asconf(fd, 1), -EINVAL);
	int one_addr = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	sctpio_addr lo;
	OK(sctpio_addr_parse(&lo, "127.0.0.1", 0));
	OK(sctpio_sock_bind(one_addr, &lo, 1));
	CHECK_EQ(sctpio_opt_set_auto_asconf(one_addr, 1), -EINVAL);
	OK(sctpio_sock_close(one_addr));
	int any = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	sctpio_addr wild;
	OK(sctpio_addr_parse(&wild, "0.0.0.0", 0));
	OK(sctpio_sock_bind(any, &wild, 1));
	OK(sctpio_opt_set_auto_asconf(any, 1));
	CHECK_EQ(sctpio_opt_get_auto_asconf(any), 1);
	OK(sctpio_opt_set_auto_asconf(any, 0));
	CHECK_EQ(sctpio_opt_get_auto_asconf(any), 0);
	OK(sctpio_sock_close(any));

	/* PLPMTUD probe interval: off by default, 0 or at least 5000 ms. */
	CHECK_EQ(sctpio_opt_get_plpmtud_probe_interval(fd, 0, NULL), 0);
	CHECK_EQ(sctpio_opt_set_plpmtud_probe_interval(fd, 0, NULL, 4999), -EINVAL);
	OK(sctpio_opt_set_plpmtud_probe_interval(fd, 0, NULL, 6000));
	CHECK_EQ(sctpio_opt_get_plpmtud_probe_interval(fd, 0, NULL), 6000);
	OK(sctpio_opt_set_plpmtud_probe_interval(fd, 0, NULL, 0));
	CHECK_EQ(sctpio_opt_get_plpmtud_probe_interval(fd, 0, NULL), 0);

	/* PF exposure: three values, the default from net.sctp.pf_expose. */
	CHECK_EQ(sctpio_opt_get_pf_expose(fd, 0), test_read_proc_int("/proc/sys/net/sctp/pf_expose"));
	OK(sctpio_opt_set_pf_expose(fd, 0, SCTPIO_PF_EXPOSE_ENABLE));
	CHECK_EQ(sctpio_opt_get_pf_expose(fd, 0), SCTPIO_PF_EXPOSE_ENABLE);
	OK(sctpio_opt_set_pf_expose(fd, 0, SCTPIO_PF_EXPOSE_DISABLE));
	CHECK_EQ(sctpio_opt_get_pf_expose(fd, 0), SCTPIO_PF_EXPOSE_DISABLE);
	CHECK_EQ(sctpio_opt_set_pf_expose(fd, 0, 3), -EINVAL);

	/* Thresholds on the endpoint: v1 leaves switchover alone, v2 writes it, pf > ps is refused. */
	struct sctpio_paddrthlds t = { .path_max_retrans = 0 };
	OK(sctpio_opt_get_paddrthlds(fd, 0, &t));
	CHECK_EQ(t.flags, SCTPIO_THLDS_PS);
	CHECK_EQ(t.path_max_retrans, test_read_proc_int("/proc/sys/net/sctp/path_max_retrans"));
	CHECK_EQ(t.pf_threshold, test_read_proc_int("/proc/sys/net/sctp/pf_retrans"));
	CHECK_EQ(t.ps_threshold, test_read_proc_int("/proc/sys/net/sctp/ps_retrans"));
	struct sctpio_paddrthlds s1 = { .path_max_retrans = 7, .pf_threshold = 3 };
	OK(sctpio_opt_set_paddrthlds(fd, 0, &s1));
	OK(sctpio_opt_get_paddrthlds(fd, 0, &t));
	CHECK_EQ(t.path_max_retrans, 7);
	CHECK_EQ(t.pf_threshold, 3);
	CHECK_EQ(t.ps_threshold, SCTPIO_PS_OFF);
	struct sctpio_paddrthlds s2 = { .pf_threshold = 2, .ps_threshold = 4, .flags = SCTPIO_THLDS_PS };
	OK(sctpio_opt_set_paddrthlds(fd, 0, &s2));
	OK(sctpio_opt_get_paddrthlds(fd, 0, &t));
	CHECK_EQ(t.path_max_retrans, 7);
	CHECK_EQ(t.pf_threshold, 2);
	CHECK_EQ(t.ps_threshold, 4);
	s2.ps_threshold = 1;
	CHECK_EQ(sctpio_opt_set_paddrthlds(fd, 0, &s2), -EINVAL);
	s2.flags = 0x80;
	CHECK_EQ(sctpio_opt_set_paddrthlds(fd, 0, &s2), -EINVAL);

	/* SCTP_SENDMSG_CONNECT is a number for the LSM hook of a connecting sendmsg, not an option. */
	int one = 1;
	CHECK_EQ(sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_SENDMSG_CONNECT, &one, sizeof(one)), -ENOPROTOOPT);
	CHECK_EQ(sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_SENDMSG_CONNECT, &one, sizeof(one)), -ENOPROTOOPT);

	/* No association yet: the per-association reads refuse. */
	sctpio_addr pa;
	struct sctpio_assoc_stats st;
	struct sctpio_pr_status ps;
	CHECK_EQ(sctpio_opt_get_primary_addr(fd, 0, &pa), -EINVAL);
	CHECK_EQ(sctpio_opt_get_assoc_stats(fd, 0, &st), -EINVAL);
	CHECK_EQ(sctpio_opt_get_pr_assoc_status(fd, 0, SCTPIO_PR_ALL, &ps), -EINVAL);
	CHECK_EQ(sctpio_opt_get_pr_assoc_status(fd, 0, SCTPIO_PR_NONE, &ps), -EINVAL);
	OK(sctpio_sock_close(m));
	OK(sctpio_sock_close(fd));
}

/* PEER_ADDR_PARAMS' flow label and DSCP: accepted, read back in sctpio's units, checked. */
static void test_flowlabel_dscp(void)
{
	int f4 = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	int f6 = OK(sctpio_sock_open(AF_INET6, SCTPIO_ONE_TO_ONE, 0));
	struct sctpio_paddrparams p = { .flags = SCTPIO_PADDR_DSCP, .dscp = 46 };

	OK(sctpio_opt_set_paddrparams(f4, 0, &p));
	memset(&p, 0, sizeof(p));
	OK(sctpio_opt_get_paddrparams(f4, 0, &p));
	CHECK(p.flags & SCTPIO_PADDR_DSCP);
	CHECK_EQ(p.dscp, 46);
	struct sctp_paddrparams raw;
	memset(&raw, 0, sizeof(raw));
	OK(sctpio_opt_get(f4, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &raw, sizeof(raw)));
	CHECK_EQ(raw.spp_dscp, 46 << 2); /* the kernel holds the TOS byte: 0xb8 for EF */
	/* An AF_INET socket takes the flow label flag and ignores it. */
	p = (struct sctpio_paddrparams){ .flags = SCTPIO_PADDR_FLOWLABEL, .ipv6_flowlabel = 0x12345 };
	OK(sctpio_opt_set_paddrparams(f4, 0, &p));
	memset(&p, 0, sizeof(p));
	OK(sctpio_opt_get_paddrparams(f4, 0, &p));
	CHECK(!(p.flags & SCTPIO_PADDR_FLOWLABEL));
	CHECK_EQ(p.ipv6_flowlabel, 0);
	CHECK_EQ(p.dscp, 46);

	p = (struct sctpio_paddrparams){ .flags = SCTPIO_PADDR_FLOWLABEL | SCTPIO_PADDR_DSCP,
					 .ipv6_flowlabel = 0xabcde, .dscp = 10 };
	OK(sctpio_opt_set_paddrparams(f6, 0, &p));
	memset(&p, 0, sizeof(p));
	OK(sctpio_opt_get_paddrparams(f6, 0, &p));
	CHECK_EQ(p.flags & (SCTPIO_PADDR_FLOWLABEL | SCTPIO_PADDR_DSCP), SCTPIO_PADDR_FLOWLABEL | SCTPIO_PADDR_DSCP);
	CHECK_EQ(p.ipv6_flowlabel, 0xabcde);
	CHECK_EQ(p.dscp, 10);
	/* The other fields are untouched by these flags. */
	CHECK(p.flags & SCTPIO_PADDR_HB_ON);
	CHECK(p.hb_interval > 0);

	struct sctpio_paddrparams bad[] = {
		{ .flags = SCTPIO_PADDR_DSCP, .dscp = 64 },
		{ .flags = SCTPIO_PADDR_FLOWLABEL, .ipv6_flowlabel = 0x100000 },
		{ .dscp = 5 },
		{ .ipv6_flowlabel = 5 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(sctpio_opt_set_paddrparams(f6, 0, &bad[i]), -EINVAL);
	OK(sctpio_sock_close(f4));
	OK(sctpio_sock_close(f6));
}

/* An association with the defaults: CONTEXT, DISABLE_FRAGMENTS, PRIMARY_ADDR and the negotiated
 * extensions; then one whose server turned ECN off. */
static void test_association(void)
{
	sctpio_addr addr, pa;
	int lst = test_server(SCTPIO_ONE_TO_ONE, &addr);
	OK(sctpio_opt_set_context(lst, 0, 0x1234)); /* the endpoint's, inherited by what it accepts */
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	OK(sctpio_opt_set_maxseg(cli, 0, 1000));
	int srv = test_connect_accept(lst, cli, &addr);

	OK(sctpio_opt_get_primary_addr(cli, 0, &pa));
	CHECK(sctpio_addr_equal(&pa, &addr));
	CHECK_EQ(sctpio_opt_get_primary_addr(cli, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_get_ecn_supported(cli, 0), test_read_proc_int("/proc/sys/net/sctp/ecn_enable"));
	CHECK_EQ(sctpio_opt_get_asconf_supported(cli, 0), 0);
	CHECK_EQ(sctpio_opt_get_interleaving_supported(cli, 0), 0);
	CHECK_EQ(sctpio_opt_get_sctp_reuse_port(cli), 0);

	char buf[4096], got[4096];
	struct sctpio_rcvinfo ri;
	struct sctpio_status st;
	OK(sctpio_opt_get_status(cli, 0, &st));
	size_t fp = st.frag_point;
	CHECK(fp > 0 && fp <= 1000 && fp + 1 <= sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7);

	/* The receiver's context, inherited from the listener, then its own. */
	send_all(cli, buf, 10, NULL);
	CHECK_EQ(recv_data(srv, got, sizeof(got), &ri), 10);
	CHECK(ri.flags & SCTPIO_MSG_HAS_INFO);
	CHECK_EQ(ri.context, 0x1234);
	OK(sctpio_opt_set_context(srv, 0, 0xdeadbeef));
	send_all(cli, buf, 11, NULL);
	CHECK_EQ(recv_data(srv, got, sizeof(got), &ri), 11);
	CHECK_EQ(ri.context, 0xdeadbeef);

	/* RECVRCVINFO off: the message comes without its metadata; on again, with it. */
	CHECK_EQ(sctpio_opt_get_recvrcvinfo(srv), 1);
	OK(sctpio_opt_set_recvrcvinfo(srv, 0));
	CHECK_EQ(sctpio_opt_get_recvrcvinfo(srv), 0);
	struct sctpio_sndinfo on7 = { .stream = 0, .ppid = 77 };
	send_all(cli, buf, 12, &on7);
	CHECK_EQ(recv_data(srv, got, sizeof(got), &ri), 12);
	CHECK(!(ri.flags & SCTPIO_MSG_HAS_INFO));
	CHECK_EQ(ri.ppid, 0);
	OK(sctpio_opt_set_recvrcvinfo(srv, 1));
	send_all(cli, buf, 13, &on7);
	CHECK_EQ(recv_data(srv, got, sizeof(got), &ri), 13);
	CHECK(ri.flags & SCTPIO_MSG_HAS_INFO);
	CHECK_EQ(ri.ppid, 77);
	CHECK_EQ(sctpio_opt_set_recvrcvinfo(srv, 2), -EINVAL);

	/* DISABLE_FRAGMENTS: above the fragmentation point is refused, at it goes; off again, it splits. */
	OK(sctpio_opt_set_disable_fragments(cli, 1));
	CHECK_EQ(sctpio_send(cli, buf, fp + 1, NULL), -EMSGSIZE);
	send_all(cli, buf, fp, NULL);
	CHECK_EQ(recv_data(srv, got, sizeof(got), &ri), (long long)fp);
	OK(sctpio_opt_set_disable_fragments(cli, 0));
	send_all(cli, buf, 3 * fp, NULL);
	size_t len = 0;
	for (;;) {
		wait_fd(srv, POLLIN, 10000);
		int rc = sctpio_recv_append(srv, got, sizeof(got), &len, &ri);
		if (rc == -EAGAIN)
			continue;
		OK(rc);
		if (rc == 1)
			break;
	}
	CHECK_EQ(len, 3 * fp);
	CHECK(memcmp(got, buf, len) == 0);

	/* Per association: delayed SACK and max burst of a live association. */
	uint32_t d, f;
	OK(sctpio_opt_set_delayed_sack(srv, 0, 50, 1));
	OK(sctpio_opt_get_delayed_sack(srv, 0, &d, &f));
	CHECK_EQ(f, 1);
	OK(sctpio_opt_set_max_burst(cli, 0, 2));
	CHECK_EQ(sctpio_opt_get_max_burst(cli, 0), 2);
	/* Thresholds of the one path; an address that is not the peer's is refused. */
	struct sctpio_paddrthlds th = { .addr = addr, .path_max_retrans = 3, .pf_threshold = 1 };
	OK(sctpio_opt_set_paddrthlds(cli, 0, &th));
	th = (struct sctpio_paddrthlds){ .addr = addr };
	OK(sctpio_opt_get_paddrthlds(cli, 0, &th));
	CHECK_EQ(th.path_max_retrans, 3);
	CHECK_EQ(th.pf_threshold, 1);
	sctpio_addr stranger;
	OK(sctpio_addr_parse(&stranger, "127.0.0.9", sctpio_addr_port(&addr)));
	th.addr = stranger;
	CHECK_EQ(sctpio_opt_set_paddrthlds(cli, 0, &th), -ENOENT);
	/* The probe interval of the one peer address. */
	OK(sctpio_opt_set_plpmtud_probe_interval(cli, 0, &addr, 7000));
	CHECK_EQ(sctpio_opt_get_plpmtud_probe_interval(cli, 0, &addr), 7000);
	OK(sctpio_sock_close(srv));
	OK(sctpio_sock_close(cli));

	/* The server turns ECN off: the client's association sees a peer without it. */
	OK(sctpio_opt_set_ecn_supported(lst, 0, 0));
	cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	OK(sctpio_opt_set_ecn_supported(cli, 0, 1));
	srv = test_connect_accept(lst, cli, &addr);
	CHECK_EQ(sctpio_opt_get_ecn_supported(cli, 0), 0);
	CHECK_EQ(sctpio_opt_get_ecn_supported(srv, 0), 0);
	OK(sctpio_sock_close(srv));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(lst));
}

/* SCTP_REUSE_PORT: one-to-one only, before bind; two sockets with it share a port. */
static void test_reuse_port(void)
{
	int m = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	CHECK_EQ(sctpio_opt_set_sctp_reuse_port(m, 1), -EOPNOTSUPP);
	OK(sctpio_sock_close(m));

	int a = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	int b = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	int c = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	CHECK_EQ(sctpio_opt_get_sctp_reuse_port(a), 0);
	OK(sctpio_opt_set_sctp_reuse_port(a, 1));
	CHECK_EQ(sctpio_opt_get_sctp_reuse_port(a), 1);
	CHECK_EQ(sctpio_opt_set_sctp_reuse_port(a, 3), -EINVAL);
	OK(sctpio_opt_set_sctp_reuse_port(b, 1));
	sctpio_addr addr;
	OK(sctpio_addr_parse(&addr, "127.0.0.1", 0));
	OK(sctpio_sock_bind(a, &addr, 1));
	CHECK_EQ(OK(sctpio_sock_local_addrs(a, 0, &addr, 1)), 1);
	CHECK_EQ(sctpio_opt_set_sctp_reuse_port(a, 0), -EINVAL); /* bound already */
	CHECK_EQ(sctpio_sock_bind(c, &addr, 1), -EADDRINUSE);
	OK(sctpio_sock_bind(b, &addr, 1));
	/* One of them may listen; then the other may not, and nothing more binds there. */
	OK(sctpio_sock_listen(a, 0));
	CHECK_EQ(sctpio_sock_listen(b, 0), -EADDRINUSE);
	int d = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	OK(sctpio_opt_set_sctp_reuse_port(d, 1));
	CHECK_EQ(sctpio_sock_bind(d, &addr, 1), -EADDRINUSE);
	OK(sctpio_sock_close(d));
	OK(sctpio_sock_close(a));
	OK(sctpio_sock_close(b));
	OK(sctpio_sock_close(c));
}

/* Receive the next data message with recvmsg(2) itself; returns the family of msg_name. */
static int raw_recv_family(int fd, struct sockaddr_storage *from)
{
	char buf[256];
	for (;;) {
		wait_fd(fd, POLLIN, 10000);
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = { .msg_name = from, .msg_namelen = sizeof(*from), .msg_iov = &iov, .msg_iovlen = 1 };
		memset(from, 0, sizeof(*from));
		ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN)
			continue;
		CHECK(n >= 0);
		if (!(mh.msg_flags & MSG_NOTIFICATION))
			return from->ss_family;
	}
}

/* I_WANT_MAPPED_V4_ADDR: what recvmsg(2) writes for an IPv4 peer of a dual-stack socket. */
static void test_mapped_v4(void)
{
	sctpio_addr any, to;
	struct sockaddr_storage from;

	OK(sctpio_addr_parse(&any, "::", 0));
	int srv = OK(sctpio_sock_open(AF_INET6, SCTPIO_ONE_TO_MANY, 0));
	OK(sctpio_sock_bind(srv, &any, 1));
	OK(sctpio_sock_listen(srv, 0));
	sctpio_addr bound;
	CHECK(OK(sctpio_sock_local_addrs(srv, 0, &bound, 1)) >= 1);
	OK(sctpio_addr_parse(&to, "127.0.0.1", sctpio_addr_port(&bound)));
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	struct sctpio_sndinfo si = { .to = &to };

	send_all(cli, "one", 3, &si);
	CHECK_EQ(raw_recv_family(srv, &from), AF_INET);
	CHECK_EQ(((struct sockaddr_in *)&from)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	OK(sctpio_opt_set_mapped_v4(srv, 1));
	send_all(cli, "two", 3, &si);
	CHECK_EQ(raw_recv_family(srv, &from), AF_INET6);
	CHECK(IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)&from)->sin6_addr));
	/* sctpio's own receive reports AF_INET either way. */
	send_all(cli, "three", 5, &si);
	char buf[64];
	struct sctpio_rcvinfo ri;
	CHECK_EQ(recv_data(srv, buf, sizeof(buf), &ri), 5);
	CHECK_EQ(ri.from.sa.sa_family, AF_INET);
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
}

int main(void)
{
	test_endpoint_roundtrips();
	test_flowlabel_dscp();
	test_association();
	test_reuse_port();
	test_mapped_v4();
	printf("tunables: all round trips and effects checked\n");
	return 0;
}
