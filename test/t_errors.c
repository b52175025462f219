// SPDX-License-Identifier: MIT
/*
 * Bad input gives the documented -errno and never crashes, prints or aborts: bad address text, names
 * that do not resolve, NULL pointers, empty lists, out-of-range values, descriptors that are -1,
 * closed, a pipe or a UDP socket, a stream beyond the negotiated count (the message is not sent),
 * a message larger than the socket can ever send, and an empty message.
 */
#include <fcntl.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "test.h"

/* Every IPPROTO_SCTP option wrapper with arguments that pass sctpio's own checks, so the result is the
 * kernel's answer for this kind of descriptor: get_err for reads, set_err for writes. */
static void sctp_opts_fail(int fd, int get_err, int set_err)
{
	sctpio_addr a;
	struct sctp_initmsg im = { .sinit_num_ostreams = 5 };
	struct sctp_rtoinfo rto = { .srto_initial = 1000 };
	struct sctp_assocparams ap = { .sasoc_asocmaxrxt = 5 };
	struct sctpio_paddrparams pp = { .hb_interval = 1000 };
	struct sctpio_default_sndinfo ds = { .stream = 1 };
	struct sctpio_status st;
	struct sctpio_paddrinfo pi;
	uint32_t u;
	int policy = 0, v = 0;
	sctp_assoc_t ids[2];
	const uint16_t streams[] = { 1 };

	OK(sctpio_addr_parse(&a, "127.0.0.1", 1));
	CHECK_EQ(sctpio_opt_get_nodelay(fd), get_err);
	CHECK_EQ(sctpio_opt_get_recvnxtinfo(fd), get_err);
	CHECK_EQ(sctpio_opt_get_autoclose(fd), get_err);
	CHECK_EQ(sctpio_opt_get_fragment_interleave(fd), get_err);
	CHECK_EQ(sctpio_opt_get_partial_delivery_point(fd), get_err);
	CHECK_EQ(sctpio_opt_get_adaptation_layer(fd, &u), get_err);
	CHECK_EQ(sctpio_opt_get_initmsg(fd, &im), get_err);
	CHECK_EQ(sctpio_opt_get_rtoinfo(fd, 0, &rto), get_err);
	CHECK_EQ(sctpio_opt_get_associnfo(fd, 0, &ap), get_err);
	CHECK_EQ(sctpio_opt_get_paddrparams(fd, 0, &pp), get_err);
	CHECK_EQ(sctpio_opt_get_default_sndinfo(fd, 0, &ds), get_err);
	CHECK_EQ(sctpio_opt_get_maxseg(fd, 0), get_err);
	CHECK_EQ(sctpio_opt_get_status(fd, 0, &st), get_err);
	CHECK_EQ(sctpio_opt_get_peer_addr_info(fd, 0, &a, &pi), get_err);
	CHECK_EQ(sctpio_opt_get_assoc_ids(fd, ids, 2), get_err);
	CHECK_EQ(sctpio_opt_get_pr_supported(fd, 0), get_err);
	CHECK_EQ(sctpio_opt_get_default_prinfo(fd, 0, &policy, &u), get_err);
	CHECK_EQ(sctpio_opt_get_udp_encaps_port(fd, 0, NULL), get_err);
	CHECK_EQ(sctpio_opt_get_stream_scheduler(fd, 0), get_err);
	CHECK_EQ(sctpio_opt_get_stream_scheduler_value(fd, 0, 0), get_err);
	CHECK_EQ(sctpio_opt_get_reconfig_supported(fd, 0), get_err);
	CHECK_EQ(sctpio_opt_get_enable_stream_reset(fd, 0), get_err);
	CHECK_EQ(sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_NODELAY, &v, sizeof(v)), get_err);

	CHECK_EQ(sctpio_opt_set_nodelay(fd, 1), set_err);
	CHECK_EQ(sctpio_opt_set_recvnxtinfo(fd, 1), set_err);
	CHECK_EQ(sctpio_opt_set_autoclose(fd, 1), set_err);
	CHECK_EQ(sctpio_opt_set_fragment_interleave(fd, 0), set_err);
	CHECK_EQ(sctpio_opt_set_partial_delivery_point(fd, 100), set_err);
	CHECK_EQ(sctpio_opt_set_adaptation_layer(fd, 1), set_err);
	CHECK_EQ(sctpio_opt_set_initmsg(fd, &im), set_err);
	CHECK_EQ(sctpio_opt_set_rtoinfo(fd, 0, &rto), set_err);
	CHECK_EQ(sctpio_opt_set_associnfo(fd, 0, &ap), set_err);
	CHECK_EQ(sctpio_opt_set_paddrparams(fd, 0, &pp), set_err);
	CHECK_EQ(sctpio_opt_set_default_sndinfo(fd, 0, &ds), set_err);
	CHECK_EQ(sctpio_opt_set_maxseg(fd, 0, 0), set_err);
	CHECK_EQ(sctpio_opt_set_pr_supported(fd, 0, 1), set_err);
	CHECK_EQ(sctpio_opt_set_default_prinfo(fd, 0, SCTPIO_PR_TTL, 10), set_err);
	CHECK_EQ(sctpio_opt_set_udp_encaps_port(fd, 0, NULL, 9899), set_err);
	CHECK_EQ(sctpio_opt_set_stream_scheduler(fd, 0, SCTPIO_SCHED_RR), set_err);
	CHECK_EQ(sctpio_opt_set_stream_scheduler_value(fd, 0, 0, 1), set_err);
	CHECK_EQ(sctpio_opt_set_reconfig_supported(fd, 0, 1), set_err);
	CHECK_EQ(sctpio_opt_set_enable_stream_reset(fd, 0, SCTPIO_ENABLE_RESET_STREAMS), set_err);
	CHECK_EQ(sctpio_stream_reset(fd, 0, SCTPIO_STREAM_RESET_OUT, streams, 1), set_err);
	CHECK_EQ(sctpio_stream_add(fd, 0, 0, 1), set_err);
	CHECK_EQ(sctpio_assoc_reset(fd, 0), set_err);
	CHECK_EQ(sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_NODELAY, &v, sizeof(v)), set_err);
}

/* The SOL_SOCKET wrappers: err, or 0 (success) to mean "works on this descriptor". */
static void socket_opts(int fd, int err)
{
	int on, secs;
	if (err) {
		CHECK_EQ(sctpio_opt_get_reuseaddr(fd), err);
		CHECK_EQ(sctpio_opt_set_reuseaddr(fd, 1), err);
		CHECK_EQ(sctpio_opt_get_reuseport(fd), err);
		CHECK_EQ(sctpio_opt_set_reuseport(fd, 1), err);
		CHECK_EQ(sctpio_opt_get_rcvbuf(fd), err);
		CHECK_EQ(sctpio_opt_set_rcvbuf(fd, 4096), err);
		CHECK_EQ(sctpio_opt_get_sndbuf(fd), err);
		CHECK_EQ(sctpio_opt_set_sndbuf(fd, 4096), err);
		CHECK_EQ(sctpio_opt_get_linger(fd, &on, &secs), err);
		CHECK_EQ(sctpio_opt_set_linger(fd, 1, 1), err);
	} else {
		OK(sctpio_opt_set_rcvbuf(fd, 4096));
		CHECK_EQ(sctpio_opt_get_rcvbuf(fd), 8192);
		OK(sctpio_opt_set_reuseaddr(fd, 1));
		CHECK_EQ(sctpio_opt_get_reuseaddr(fd), 1);
	}
}

/* Socket-layer calls on a descriptor that is not a usable SCTP socket: all fail with err. */
static void socket_calls_fail(int fd, int err, int with_close)
{
	sctpio_addr a, out[2];
	char buf[8] = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = 1 };

	OK(sctpio_addr_parse(&a, "127.0.0.1", 1));
	CHECK_EQ(sctpio_sock_bind(fd, &a, 1), err);
	CHECK_EQ(sctpio_sock_bind_add(fd, &a, 1), err);
	CHECK_EQ(sctpio_sock_bind_remove(fd, &a, 1), err);
	CHECK_EQ(sctpio_sock_listen(fd, 0), err);
	CHECK_EQ(sctpio_sock_connect(fd, &a, 1, NULL), err);
	CHECK_EQ(sctpio_sock_error(fd), err);
	CHECK_EQ(sctpio_sock_accept(fd, NULL, 0), err);
	CHECK_EQ(sctpio_sock_peeloff(fd, 1, 0), err);
	CHECK_EQ(sctpio_sock_shutdown(fd, 0), err);
	CHECK_EQ(sctpio_sock_abort(fd, 0, NULL, 0), err);
	CHECK_EQ(sctpio_sock_local_addrs(fd, 0, out, 2), err);
	CHECK_EQ(sctpio_sock_peer_addrs(fd, 0, out, 2), err);
	CHECK_EQ(sctpio_sock_set_primary(fd, 0, &a), err);
	CHECK_EQ(sctpio_sock_style(fd), err);
	CHECK_EQ(sctpio_send(fd, "x", 1, NULL), err);
	CHECK_EQ(sctpio_sendv(fd, &iov, 1, NULL), err);
	CHECK_EQ(sctpio_recv(fd, buf, sizeof(buf), NULL), err);
	if (with_close)
		CHECK_EQ(sctpio_sock_close(fd), err);
}

static void test_bad_descriptors(void)
{
	/* -1 and a descriptor that was just closed. */
	socket_calls_fail(-1, -EBADF, 1);
	sctp_opts_fail(-1, -EBADF, -EBADF);
	socket_opts(-1, -EBADF);
	int fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	OK(sctpio_sock_close(fd));
	socket_calls_fail(fd, -EBADF, 1);
	sctp_opts_fail(fd, -EBADF, -EBADF);
	socket_opts(fd, -EBADF);

	/* A pipe is not a socket at all. */
	int p[2];
	CHECK_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	socket_calls_fail(p[0], -ENOTSOCK, 0);
	sctp_opts_fail(p[0], -ENOTSOCK, -ENOTSOCK);
	socket_opts(p[0], -ENOTSOCK);
	close(p[0]);
	close(p[1]);

	/* A UDP socket answers the SCTP-level options as the kernel's IPv4 layer does: EOPNOTSUPP to get,
	 * ENOPROTOOPT to set; SOL_SOCKET options work on it as on any socket. */
	int u = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CHECK(u >= 0);
	sctp_opts_fail(u, -EOPNOTSUPP, -ENOPROTOOPT);
	socket_opts(u, 0);
	sctpio_addr a, out[2];
	char buf[8] = { 0 };
	OK(sctpio_addr_parse(&a, "127.0.0.1", 9));
	CHECK_EQ(sctpio_sock_style(u), -EPROTONOSUPPORT); /* sctpio's own check of SO_PROTOCOL */
	CHECK_EQ(sctpio_sock_connect(u, &a, 1, NULL), -EPROTONOSUPPORT);
	CHECK_EQ(sctpio_sock_shutdown(u, 0), -EPROTONOSUPPORT);
	CHECK_EQ(sctpio_sock_bind_add(u, &a, 1), -ENOPROTOOPT);
	CHECK_EQ(sctpio_sock_set_primary(u, 0, &a), -ENOPROTOOPT);
	CHECK_EQ(sctpio_sock_local_addrs(u, 0, out, 2), -EOPNOTSUPP);
	CHECK_EQ(sctpio_sock_peeloff(u, 1, 0), -EOPNOTSUPP);
	CHECK_EQ(sctpio_sock_listen(u, 0), -EOPNOTSUPP);
	CHECK_EQ(sctpio_sock_accept(u, NULL, 0), -EOPNOTSUPP);
	CHECK_EQ(sctpio_send(u, "x", 1, NULL), -EDESTADDRREQ); /* UDP ignores the SCTP cmsg, wants an address */
	CHECK_EQ(sctpio_recv(u, buf, sizeof(buf), NULL), -EAGAIN);
	close(u);
	/* IPv6's layer answers differently again: ENOPROTOOPT both ways. */
	int u6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK(u6 >= 0);
	CHECK_EQ(sctpio_opt_get_nodelay(u6), -ENOPROTOOPT);
	CHECK_EQ(sctpio_opt_set_nodelay(u6, 1), -ENOPROTOOPT);
	close(u6);
}

static void test_bad_arguments(void)
{
	sctpio_addr a, list[4];
	char text[SCTPIO_ADDR_TEXT_MAX], buf[16], longname[300];

	/* Address text. */
	CHECK_EQ(sctpio_addr_parse(&a, "[::1", 1), -EINVAL);
	CHECK_EQ(sctpio_addr_parse(&a, "[]", 1), -EINVAL);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK_EQ(sctpio_addr_parse(&a, longname, 1), -EINVAL);
	CHECK_EQ(sctpio_addr_parse(NULL, "127.0.0.1", 1), -EINVAL);
	CHECK_EQ(sctpio_addr_parse(&a, "no-such-host.invalid", 1), -ENOENT);
	CHECK_EQ(sctpio_addr_parse_list(list, 4, "127.0.0.1,,127.0.0.2", 1), -EINVAL);
	CHECK_EQ(sctpio_addr_parse_list(list, 4, "", 1), -EINVAL);
	CHECK_EQ(sctpio_addr_parse_list(list, 4, NULL, 1), -EINVAL);
	CHECK_EQ(sctpio_addr_parse_list(list, 1, "127.0.0.1,127.0.0.2", 1), -ENOBUFS);
	OK(sctpio_addr_parse(&a, "127.0.0.1", 1));
	CHECK_EQ(sctpio_addr_format(&a, text, 4), -ENOSPC);
	CHECK_EQ(sctpio_addr_format(NULL, text, sizeof(text)), -EINVAL);
	sctpio_addr none;
	memset(&none, 0, sizeof(none));
	CHECK_EQ(sctpio_addr_format(&none, text, sizeof(text)), -EINVAL);

	/* Opening: family, style and flags out of range. */
	CHECK_EQ(sctpio_sock_open(AF_UNIX, SCTPIO_ONE_TO_ONE, 0), -EINVAL);
	CHECK_EQ(sctpio_sock_open(-1, SCTPIO_ONE_TO_ONE, 0), -EINVAL);
	CHECK_EQ(sctpio_sock_open(AF_INET, 0, 0), -EINVAL);
	CHECK_EQ(sctpio_sock_open(AF_INET, 3, 0), -EINVAL);
	CHECK_EQ(sctpio_sock_open(AF_INET6, SCTPIO_ONE_TO_MANY, 1u << 10), -EINVAL);

	/* NULL pointers and empty lists in the socket layer. */
	int fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	CHECK_EQ(sctpio_sock_bind(fd, NULL, 1), -EINVAL);
	CHECK_EQ(sctpio_sock_bind(fd, &a, 0), -EINVAL);
	CHECK_EQ(sctpio_sock_bind(fd, &none, 1), -EINVAL);
	CHECK_EQ(sctpio_sock_bind_add(fd, NULL, 1), -EINVAL);
	CHECK_EQ(sctpio_sock_bind_add(fd, &a, 0), -EINVAL);
	CHECK_EQ(sctpio_sock_bind_remove(fd, NULL, 1), -EINVAL);
	CHECK_EQ(sctpio_sock_connect(fd, NULL, 1, NULL), -EINVAL);
	CHECK_EQ(sctpio_sock_connect(fd, &a, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_sock_listen(fd, -1), -EINVAL);
	CHECK_EQ(sctpio_sock_server(SCTPIO_ONE_TO_ONE, NULL, 1, 0, 0), -EINVAL);
	CHECK_EQ(sctpio_sock_server(SCTPIO_ONE_TO_ONE, &a, 0, 0, 0), -EINVAL);
	CHECK_EQ(sctpio_sock_server(7, &a, 1, 0, 0), -EINVAL);
	CHECK_EQ(sctpio_sock_client(SCTPIO_ONE_TO_ONE, NULL, 1, NULL, 0, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &a, 0, NULL, 0, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &a, 1, NULL, 1, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_sock_local_addrs(fd, 0, NULL, 4), -EINVAL);
	CHECK_EQ(sctpio_sock_peer_addrs(fd, 0, NULL, 4), -EINVAL);
	CHECK_EQ(sctpio_sock_set_primary(fd, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_sock_abort(fd, 1, NULL, 5), -EINVAL);
	CHECK_EQ(sctpio_send(fd, NULL, 5, NULL), -EINVAL);
	CHECK_EQ(sctpio_send(fd, "x", 0, NULL), -EINVAL);
	struct sctpio_sndinfo zero_len = { .stream = 1 };
	CHECK_EQ(sctpio_send(fd, "x", 0, &zero_len), -EINVAL);
	struct sctpio_sndinfo bad_flags = { .flags = 1u << 9 }, bad_pr = { .pr_policy = 9 };
	CHECK_EQ(sctpio_send(fd, "x", 1, &bad_flags), -EINVAL);
	CHECK_EQ(sctpio_send(fd, "x", 1, &bad_pr), -EINVAL);
	CHECK_EQ(sctpio_sendv(fd, NULL, 1, NULL), -EINVAL);
	struct iovec iov = { .iov_base = buf, .iov_len = 1 };
	CHECK_EQ(sctpio_sendv(fd, &iov, -1, NULL), -EINVAL);
	CHECK_EQ(sctpio_recv(fd, NULL, 5, NULL), -EINVAL);
	CHECK_EQ(sctpio_recv(fd, buf, 0, NULL), -EINVAL);

	/* NULL pointers and out-of-range values in the option layer. */
	struct sctpio_paddrparams pp;
	struct sctpio_paddrinfo pi;
	uint32_t u;
	int on, policy;
	CHECK_EQ(sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_NODELAY, NULL, 4), -EINVAL);
	CHECK_EQ(sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_NODELAY, NULL, 4), -EINVAL);
	CHECK_EQ(sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_NODELAY, buf, (size_t)INT_MAX + 1), -EINVAL);
	CHECK_EQ(sctpio_opt_get_status(fd, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_get_initmsg(fd, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_set_initmsg(fd, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_get_rtoinfo(fd, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_set_rtoinfo(fd, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_get_associnfo(fd, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_set_associnfo(fd, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_get_paddrparams(fd, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_set_paddrparams(fd, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_get_default_sndinfo(fd, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_set_default_sndinfo(fd, 0, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_get_peer_addr_info(fd, 0, NULL, &pi), -EINVAL);
	CHECK_EQ(sctpio_opt_get_peer_addr_info(fd, 0, &a, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_get_peer_addr_info(fd, 0, &none, &pi), -EINVAL);
	CHECK_EQ(sctpio_opt_get_assoc_ids(fd, NULL, 3), -EINVAL);
	CHECK_EQ(sctpio_opt_get_linger(fd, NULL, &on), -EINVAL);
	CHECK_EQ(sctpio_opt_get_adaptation_layer(fd, NULL), -EINVAL);
	CHECK_EQ(sctpio_opt_get_default_prinfo(fd, 0, NULL, &u), -EINVAL);
	CHECK_EQ(sctpio_opt_get_default_prinfo(fd, 0, &policy, NULL), -EINVAL);

	CHECK_EQ(sctpio_opt_set_nodelay(fd, 2), -EINVAL);
	CHECK_EQ(sctpio_opt_set_nodelay(fd, -1), -EINVAL);
	CHECK_EQ(sctpio_opt_set_recvnxtinfo(fd, 5), -EINVAL);
	CHECK_EQ(sctpio_opt_set_reuseaddr(fd, 2), -EINVAL);
	CHECK_EQ(sctpio_opt_set_reuseport(fd, 2), -EINVAL);
	CHECK_EQ(sctpio_opt_set_rcvbuf(fd, -1), -EINVAL);
	CHECK_EQ(sctpio_opt_set_sndbuf(fd, -1), -EINVAL);
	CHECK_EQ(sctpio_opt_set_linger(fd, 2, 0), -EINVAL);
	CHECK_EQ(sctpio_opt_set_linger(fd, 1, -1), -EINVAL);
	CHECK_EQ(sctpio_opt_set_autoclose(fd, -1), -EINVAL);
	CHECK_EQ(sctpio_opt_set_fragment_interleave(fd, 3), -EINVAL);
	CHECK_EQ(sctpio_opt_set_fragment_interleave(fd, -1), -EINVAL);
	struct sctp_rtoinfo rto = { .srto_min = 2000, .srto_max = 1000 };
	CHECK_EQ(sctpio_opt_set_rtoinfo(fd, 0, &rto), -EINVAL);
	rto = (struct sctp_rtoinfo){ .srto_initial = 100, .srto_min = 200, .srto_max = 1000 };
	CHECK_EQ(sctpio_opt_set_rtoinfo(fd, 0, &rto), -EINVAL);
	const uint32_t bad_flag_sets[] = {
		SCTPIO_PADDR_HB_ON | SCTPIO_PADDR_HB_OFF,
		SCTPIO_PADDR_PMTUD_ON | SCTPIO_PADDR_PMTUD_OFF,
		SCTPIO_PADDR_SACKDELAY_ON | SCTPIO_PADDR_SACKDELAY_OFF,
		1u << 12,
	};
	for (size_t i = 0; i < sizeof(bad_flag_sets) / sizeof(bad_flag_sets[0]); i++) {
		pp = (struct sctpio_paddrparams){ .flags = bad_flag_sets[i] };
		CHECK_EQ(sctpio_opt_set_paddrparams(fd, 0, &pp), -EINVAL);
	}
	pp = (struct sctpio_paddrparams){ .hb_interval = 1000, .flags = SCTPIO_PADDR_HB_OFF };
	CHECK_EQ(sctpio_opt_set_paddrparams(fd, 0, &pp), -EINVAL);
	pp = (struct sctpio_paddrparams){ .path_mtu = 100 };
	CHECK_EQ(sctpio_opt_set_paddrparams(fd, 0, &pp), -EINVAL);
	pp = (struct sctpio_paddrparams){ .path_mtu = 1500, .flags = SCTPIO_PADDR_PMTUD_ON };
	CHECK_EQ(sctpio_opt_set_paddrparams(fd, 0, &pp), -EINVAL);
	pp = (struct sctpio_paddrparams){ .sack_delay = 501 };
	CHECK_EQ(sctpio_opt_set_paddrparams(fd, 0, &pp), -EINVAL);
	pp = (struct sctpio_paddrparams){ .hb_interval = 1000 };
	pp.addr.sa.sa_family = 99;
	CHECK_EQ(sctpio_opt_set_paddrparams(fd, 0, &pp), -EINVAL);
	CHECK_EQ(sctpio_opt_get_paddrparams(fd, 0, &pp), -EINVAL);
	struct sctpio_default_sndinfo ds = { .flags = SCTPIO_EOF };
	CHECK_EQ(sctpio_opt_set_default_sndinfo(fd, 0, &ds), -EINVAL);
	CHECK_EQ(sctpio_opt_set_pr_supported(fd, 0, 2), -EINVAL);
	CHECK_EQ(sctpio_opt_set_default_prinfo(fd, 0, 4, 0), -EINVAL);
	CHECK_EQ(sctpio_opt_set_default_prinfo(fd, 0, -1, 0), -EINVAL);
	pp.addr.sa.sa_family = 99;
	CHECK_EQ(sctpio_opt_set_udp_encaps_port(fd, 0, &pp.addr, 1), -EINVAL);
	CHECK_EQ(sctpio_opt_get_udp_encaps_port(fd, 0, &pp.addr), -EINVAL);
	CHECK_EQ(sctpio_opt_set_stream_scheduler(fd, 0, SCTPIO_SCHED_WFQ + 1), -EINVAL);
	CHECK_EQ(sctpio_opt_set_stream_scheduler(fd, 0, -1), -EINVAL);
	CHECK_EQ(sctpio_opt_set_reconfig_supported(fd, 0, 2), -EINVAL);
	CHECK_EQ(sctpio_opt_set_enable_stream_reset(fd, 0, 8), -EINVAL);
	const uint16_t s1[] = { 1 };
	CHECK_EQ(sctpio_stream_reset(fd, 0, 0, s1, 1), -EINVAL);
	CHECK_EQ(sctpio_stream_reset(fd, 0, 4, s1, 1), -EINVAL);
	CHECK_EQ(sctpio_stream_reset(fd, 0, SCTPIO_STREAM_RESET_OUT, NULL, 1), -EINVAL);
	CHECK_EQ(sctpio_stream_reset(fd, 0, SCTPIO_STREAM_RESET_OUT, s1, 70000), -EINVAL);
	CHECK_EQ(sctpio_stream_add(fd, 0, 0, 0), -EINVAL);
	/* An association id that does not exist on a one-to-many socket. */
	struct sctpio_status st;
	CHECK_EQ(sctpio_opt_get_status(fd, 4242, &st), -EINVAL);
	CHECK_EQ(sctpio_opt_get_stream_scheduler_value(fd, 4242, 0), -EINVAL);
	OK(sctpio_sock_close(fd));
}

/* Sends the kernel refuses must leave nothing behind: the receiver gets only the good messages. */
static void test_refused_sends(void)
{
	sctpio_addr addr;
	struct sctpio_rcvinfo ri;
	static char big[200000];
	char buf[256];
	int srv = test_server(SCTPIO_ONE_TO_ONE, &addr);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	struct sctp_initmsg im = { .sinit_num_ostreams = 4 };
	OK(sctpio_opt_set_initmsg(cli, &im));
	OK(sctpio_opt_set_sndbuf(cli, 4096)); /* the kernel makes it 8192 */
	int rc = sctpio_sock_connect(cli, &addr, 1, NULL);
	CHECK(rc == 0 || rc == -EINPROGRESS);
	wait_fd(cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(cli), 0);
	wait_fd(srv, POLLIN, 10000);
	int acc = OK(sctpio_sock_accept(srv, NULL, 0));
	struct sctpio_status st;
	OK(sctpio_opt_get_status(cli, 0, &st));
	CHECK_EQ(st.out_streams, 4);

	/* Streams 4 and 65535 are beyond the 4 negotiated: -EINVAL, nothing sent. */
	struct sctpio_sndinfo s4 = { .stream = 4, .ppid = 1 }, smax = { .stream = 65535, .ppid = 1 };
	CHECK_EQ(sctpio_send(cli, "bad", 3, &s4), -EINVAL);
	CHECK_EQ(sctpio_send(cli, "bad", 3, &smax), -EINVAL);
	/* Larger than the send buffer can ever hold: -EMSGSIZE, not -EAGAIN, and nothing sent. */
	CHECK_EQ(sctpio_opt_get_sndbuf(cli), 8192);
	CHECK_EQ(sctpio_send(cli, big, sizeof(big), NULL), -EMSGSIZE);
	CHECK_EQ(sctpio_send(cli, big, 8193, NULL), -EMSGSIZE);
	/* With fragmentation off, one byte more than the fragmentation point is too large too. */
	int on = 1, off = 0;
	OK(sctpio_opt_set(cli, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, &on, sizeof(on)));
	OK(sctpio_opt_set_sndbuf(cli, 1 << 20));
	OK(sctpio_opt_get_status(cli, 0, &st));
	CHECK_EQ(sctpio_send(cli, big, st.frag_point + 1, NULL), -EMSGSIZE);
	OK(sctpio_opt_set(cli, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, &off, sizeof(off)));

	struct sctpio_sndinfo good = { .stream = 3, .ppid = 7 }, end = { .stream = 0, .ppid = 8 };
	send_all(cli, "good", 4, &good);
	send_all(cli, "end", 3, &end);
	CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 4);
	CHECK(memcmp(buf, "good", 4) == 0);
	CHECK_EQ(ri.stream, 3);
	CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 3);
	CHECK(memcmp(buf, "end", 3) == 0);
	CHECK_EQ(ri.stream, 0);
	CHECK_EQ(sctpio_recv(acc, buf, sizeof(buf), &ri), -EAGAIN);

	/* Stream reconfiguration that neither side enabled: -ENOPROTOOPT. */
	const uint16_t s1[] = { 1 };
	CHECK_EQ(sctpio_stream_reset(cli, 0, SCTPIO_STREAM_RESET_OUT, s1, 1), -ENOPROTOOPT);
	CHECK_EQ(sctpio_stream_add(cli, 0, 0, 1), -ENOPROTOOPT);
	CHECK_EQ(sctpio_assoc_reset(cli, 0), -ENOPROTOOPT);
	/* One-to-many-only options on a one-to-one socket. */
	CHECK_EQ(sctpio_opt_get_assoc_ids(cli, NULL, 0), -EOPNOTSUPP);
	CHECK_EQ(sctpio_opt_set_autoclose(cli, 1), -EOPNOTSUPP);
	/* A value the kernel refuses: a segment size below what a 512-byte MTU carries. */
	CHECK_EQ(sctpio_opt_set_maxseg(cli, 0, 100), -EINVAL);
	CHECK_EQ(sctpio_opt_set_stream_scheduler_value(cli, 0, 4, 1), -EINVAL);

	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
}

int main(void)
{
	test_bad_arguments();
	test_bad_descriptors();
	test_refused_sends();
	printf("errors: every bad input refused with the documented -errno\n");
	return 0;
}
