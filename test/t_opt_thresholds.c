// SPDX-License-Identifier: MIT
/*
 * Path thresholds and the potentially-failed state (RFC 7829), on the two-path topology of
 * test/netns.h. The same run is made twice, each with a fresh association whose primary path (path
 * 0) is cut after 300 messages have arrived, while 300 more are sent:
 *  - PF on: SCTP_PEER_ADDR_THLDS with pf_threshold 0 (the first timeout) and path_max_retrans 8, and
 *    SCTPIO_PF_EXPOSE_ENABLE. The client is told SCTP_ADDR_POTENTIALLY_FAILED for path 0 and reads
 *    its state as SCTP_PF; with SCTPIO_PF_EXPOSE_DISABLE the same read gives -EACCES, with UNSET
 *    it works again. ps_threshold 1 makes path 1 the primary (switchover) soon after.
 *  - PF off: pf_threshold 8 = path_max_retrans. No POTENTIALLY_FAILED is reported; new data keeps
 *    going to the dead path until it is INACTIVE, and the primary stays path 0 (no switchover).
 * Every message arrives once and in order both times, and the 300 sent after the cut arrive sooner
 * with PF on than off: that is the faster failover the thresholds buy. RTO is fixed at 200 ms, so
 * PF off cannot take less than the 9 timeouts (1.8 s) that make the path INACTIVE, PF on needs one.
 * The link goes down by an ioctl from the test itself, not by running ip(8), whose start-up time in
 * the emulated guest would blur the moment of the cut.
 */
#include <net/if.h>
#include <sys/ioctl.h>

#include "netns.h"

/* Take the link of side on path down (or up) at once, from this thread. */
static void link_set(struct topo *t, int side, int path, int up)
{
	struct ifreq ifr;

	topo_enter(t, side);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	topo_enter(t, TOPO_HOST);
	CHECK(s >= 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->dev[side][path]);
	CHECK(ioctl(s, SIOCGIFFLAGS, &ifr) == 0);
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	CHECK(ioctl(s, SIOCSIFFLAGS, &ifr) == 0);
	close(s);
}

enum { BEFORE = 300, AFTER = 300, MAXRXT = 8, DEADLINE_MS = 60000 };

static uint8_t rbuf[1 << 16];

struct run {
	int pf;                 /* 1: PF on */
	int srv, cli;
	sctpio_addr peer[2];
	struct flow_tx tx;
	struct flow_rx rx;
	double t_cut, t_pf, t_unreach;
	int pf_state_seen, eacces_seen, unset_pf_seen;
};

static void tune(int fd, int pf)
{
	struct sctp_rtoinfo rto = { .srto_initial = 200, .srto_max = 200, .srto_min = 200 };
	struct sctp_assocparams ap = { .sasoc_asocmaxrxt = 30 };
	/* With PF on, primary switchover after 1 timeout too (RFC 7829 section 5); off: never. */
	struct sctpio_paddrthlds th = { .path_max_retrans = MAXRXT, .pf_threshold = pf ? 0 : MAXRXT,
					.ps_threshold = pf ? 1 : SCTPIO_PS_OFF, .flags = SCTPIO_THLDS_PS };
	struct sctpio_paddrthlds got;

	OK(sctpio_opt_set_rtoinfo(fd, 0, &rto));
	OK(sctpio_opt_set_associnfo(fd, 0, &ap));
	OK(sctpio_opt_set_paddrthlds(fd, 0, &th));
	POISON(got);
	memset(&got.addr, 0, sizeof(got.addr)); /* the endpoint's */
	OK(sctpio_opt_get_paddrthlds(fd, 0, &got));
	CHECK_RESERVED_ZERO(got);
	CHECK_EQ(got.path_max_retrans, MAXRXT);
	CHECK_EQ(got.pf_threshold, th.pf_threshold);
	CHECK_EQ(got.ps_threshold, th.ps_threshold);
	OK(sctpio_opt_set_pf_expose(fd, 0, SCTPIO_PF_EXPOSE_ENABLE));
	OK(sctpio_sock_subscribe_mask(fd, 0, SCTPIO_EV_ASSOC_CHANGE | SCTPIO_EV_PEER_ADDR_CHANGE));
}

static void on_note(struct run *r, int fd, const void *buf, size_t len)
{
	struct sctpio_notification n;

	CHECK_EQ(sctpio_notification_decode(buf, len, &n), (long long)len);
	if (n.type == SCTP_ASSOC_CHANGE) {
		if (n.u.assoc_change.state != SCTP_COMM_UP)
			FAIL("association change state %u", n.u.assoc_change.state);
		return;
	}
	if (n.type != SCTP_PEER_ADDR_CHANGE || fd != r->cli || !sctpio_addr_equal(&n.u.peer_addr_change.addr, &r->peer[0]))
		return;
	int32_t state = n.u.peer_addr_change.state;
	if (state == SCTP_ADDR_POTENTIALLY_FAILED) {
		if (!r->pf)
			FAIL("POTENTIALLY_FAILED reported with PF off");
		if (r->t_pf == 0 && r->t_cut) {
			r->t_pf = now_ms();
			struct sctpio_paddrinfo pi;
			/* Read at once: the path stays PF until heartbeats every RTO make it INACTIVE. */
			int rc = sctpio_opt_get_peer_addr_info(r->cli, 0, &r->peer[0], &pi);
			OK(rc);
			if (pi.state == SCTP_PF) {
				r->pf_state_seen = 1;
				OK(sctpio_opt_set_pf_expose(r->cli, 0, SCTPIO_PF_EXPOSE_DISABLE));
				rc = sctpio_opt_get_peer_addr_info(r->cli, 0, &r->peer[0], &pi);
				r->eacces_seen = rc == -EACCES;
				OK(sctpio_opt_set_pf_expose(r->cli, 0, SCTPIO_PF_EXPOSE_UNSET));
				OK(sctpio_opt_get_peer_addr_info(r->cli, 0, &r->peer[0], &pi));
				r->unset_pf_seen = pi.state == SCTP_PF || pi.state == SCTP_INACTIVE;
				OK(sctpio_opt_set_pf_expose(r->cli, 0, SCTPIO_PF_EXPOSE_ENABLE));
			}
		}
	} else if (state == SCTP_ADDR_UNREACHABLE && r->t_cut && r->t_unreach == 0) {
		r->t_unreach = now_ms();
	}
}

static void drain(struct run *r, int fd)
{
	struct sctpio_rcvinfo ri;
	for (;;) {
		ssize_t n = sctpio_recv(fd, rbuf, sizeof(rbuf), &ri);
		if (n == -EAGAIN)
			return;
		if (n <= 0)
			FAIL("recv: %s", n ? strerror((int)-n) : "end of stream");
		if (ri.flags & SCTPIO_MSG_NOTIFICATION)
			on_note(r, fd, rbuf, (size_t)n);
		else if (fd == r->srv)
			flow_check(&r->rx, rbuf, (size_t)n, ri.stream);
		else
			FAIL("client received data");
	}
}

static void connect_sides(struct topo *t, struct run *r)
{
	sctpio_addr local[2], got[4];

	topo_enter(t, TOPO_A);
	int lst = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	tune(lst, r->pf);
	local[0] = topo_addr(TOPO_A, 0, 0);
	local[1] = topo_addr(TOPO_A, 1, 0);
	OK(sctpio_sock_bind(lst, local, 2));
	OK(sctpio_sock_listen(lst, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(lst, 0, got, 4)), 2);
	uint16_t port = sctpio_addr_port(&got[0]);
	r->peer[0] = topo_addr(TOPO_A, 0, port);
	r->peer[1] = topo_addr(TOPO_A, 1, port);

	topo_enter(t, TOPO_B);
	r->cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	tune(r->cli, r->pf);
	local[0] = topo_addr(TOPO_B, 0, 0);
	local[1] = topo_addr(TOPO_B, 1, 0);
	OK(sctpio_sock_bind(r->cli, local, 2));
	int rc = sctpio_sock_connect(r->cli, r->peer, 2, NULL);
	if (rc != -EINPROGRESS)
		OK(rc);
	topo_enter(t, TOPO_HOST);

	wait_fd(r->cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(r->cli), 0);
	wait_fd(lst, POLLIN, 10000);
	r->srv = OK(sctpio_sock_accept(lst, NULL, 0));
	OK(sctpio_sock_close(lst));
	CHECK_EQ(OK(sctpio_sock_peer_addrs(r->cli, 0, got, 4)), 2);
	OK(sctpio_sock_set_primary(r->cli, 0, &r->peer[0]));
	/* The association inherited the endpoint's thresholds, on each path. */
	struct sctpio_paddrthlds th = { .addr = r->peer[1] };
	OK(sctpio_opt_get_paddrthlds(r->cli, 0, &th));
	CHECK_EQ(th.path_max_retrans, MAXRXT);
	CHECK_EQ(th.pf_threshold, r->pf ? 0 : MAXRXT);
	CHECK_EQ(sctpio_opt_get_pf_expose(r->cli, 0), SCTPIO_PF_EXPOSE_ENABLE);
}

/* One run; returns the milliseconds from the cut until the last message sent after it arrived. */
static double run_once(struct topo *t, int pf, int restore)
{
	struct run r = { .pf = pf };
	uint8_t msg[FLOW_MAX];
	size_t pending = 0;
	double done = 0;

	connect_sides(t, &r);
	double deadline = now_ms() + DEADLINE_MS;
	while (r.rx.received < BEFORE + AFTER) {
		if (now_ms() > deadline)
			FAIL("deadline: sent %llu received %llu", (unsigned long long)r.tx.sent,
			     (unsigned long long)r.rx.received);
		if (!r.t_cut && r.rx.received == BEFORE) {
			link_set(t, TOPO_B, 0, 0);
			r.t_cut = now_ms();
		}
		uint64_t limit = r.t_cut ? BEFORE + AFTER : BEFORE;
		while (pending || r.tx.sent < limit) {
			if (!pending)
				pending = flow_next(&r.tx, (uint16_t)(r.tx.sent % 4), msg, 100);
			uint16_t stream;
			uint32_t seq;
			CHECK_EQ(flow_decode(msg, pending, &stream, &seq), 0);
			struct sctpio_sndinfo si = { .stream = stream };
			ssize_t n = sctpio_send(r.cli, msg, pending, &si);
			if (n == -EAGAIN)
				break;
			CHECK_EQ(OK(n), (long long)pending);
			pending = 0;
		}
		struct pollfd p[2] = {
			{ .fd = r.srv, .events = POLLIN },
			{ .fd = r.cli, .events = (short)(POLLIN | (pending ? POLLOUT : 0)) },
		};
		if (poll(p, 2, 50) < 0 && errno != EINTR)
			FAIL("poll: %s", strerror(errno));
		drain(&r, r.srv);
		drain(&r, r.cli);
	}
	done = now_ms() - r.t_cut;
	printf("PF %s: %d messages sent after the cut arrived %.0f ms after it; POTENTIALLY_FAILED %s, "
	       "UNREACHABLE %s\n", pf ? "on " : "off", AFTER, done,
	       r.t_pf ? "reported" : "not reported", r.t_unreach ? "reported" : "not yet");
	flow_verify(pf ? "PF on" : "PF off", &r.tx, &r.rx);
	sctpio_addr prim;
	if (pf) {
		CHECK(r.t_pf > 0);
		CHECK(r.pf_state_seen);
		CHECK(r.eacces_seen);
		CHECK(r.unset_pf_seen);
		/* Switchover: the kernel made path 1 the primary (it may take another timeout). */
		double end = now_ms() + 10000;
		for (;;) {
			OK(sctpio_opt_get_primary_addr(r.cli, 0, &prim));
			if (sctpio_addr_equal(&prim, &r.peer[1]))
				break;
			if (now_ms() > end)
				FAIL("the primary did not switch over to path 1");
			poll(NULL, 0, 20);
		}
	} else {
		CHECK(r.t_pf == 0);
		CHECK(r.t_unreach > 0); /* PF off: the data waited for the path to be declared INACTIVE */
		OK(sctpio_opt_get_primary_addr(r.cli, 0, &prim)); /* no switchover: still path 0 */
		CHECK(sctpio_addr_equal(&prim, &r.peer[0]));
	}
	OK(sctpio_sock_close(r.cli));
	OK(sctpio_sock_close(r.srv));
	if (restore)
		link_set(t, TOPO_B, 0, 1);
	return done;
}

int main(void)
{
	struct topo *t = topo_setup();
	double with = run_once(t, 1, 1);
	double without = run_once(t, 0, 0);
	printf("thresholds: failover with PF %.0f ms, without %.0f ms\n", with, without);
	CHECK(with < without);
	return 0;
}
