// SPDX-License-Identifier: MIT
/*
 * Failover: a multi-homed association between two namespaces joined by two paths (test/netns.h)
 * carries 20,000 checksummed, sequence-numbered messages on 8 streams from client to server. A third
 * of the way in, the client's link on the primary path goes down: the association must fail over to
 * the second path, report the primary peer address ADDR_UNREACHABLE (SCTP_PEER_ADDR_CHANGE) and
 * mark it inactive, and deliver every message once and in order. Two thirds of the way in the link
 * comes back and must be reported ADDR_AVAILABLE. Path failure thresholds are lowered (RTO 100-400
 * ms, 2 retransmissions per path, heartbeats every 200 ms) so that both happen within seconds.
 * Single-threaded: one poll loop sends, receives and reads notifications; every wait is a poll.
 */
#include "netns.h"

enum { TOTAL = 20000, STREAMS = 8, CUT_AT = TOTAL / 3, RESTORE_AT = 2 * TOTAL / 3, DEADLINE_MS = 100000 };

static uint8_t rbuf[1 << 16];

/* Lower the failure detection so that a dead path is noticed within about a second. These are the
 * endpoint's values, inherited by the association, so both of its paths start with them. The
 * association itself is given more retransmissions than its two paths together, so that a stall
 * of the (emulated) machine fails paths but never the association. */
static void tune(int fd)
{
	struct sctp_rtoinfo rto = { .srto_initial = 200, .srto_max = 400, .srto_min = 100 };
	struct sctpio_paddrparams pp = { .hb_interval = 200, .path_max_retrans = 2 };
	struct sctp_assocparams ap = { .sasoc_asocmaxrxt = 30 };

	OK(sctpio_opt_set_rtoinfo(fd, 0, &rto));
	OK(sctpio_opt_set_paddrparams(fd, 0, &pp));
	OK(sctpio_opt_set_associnfo(fd, 0, &ap));
	OK(sctpio_sock_subscribe_mask(fd, 0, SCTPIO_EV_ASSOC_CHANGE | SCTPIO_EV_PEER_ADDR_CHANGE));
}

struct run {
	int srv, cli;
	sctpio_addr peer[2];  /* the server's address on each path, as the client knows it */
	struct flow_tx tx;
	struct flow_rx rx;
	long long t0, t_cut, t_unreach, t_restore, t_avail; /* t0: start; the others 0 or -1 until seen */
	uint64_t rx_at_restore;
	int notes;
};

static const char *state_name(int32_t s)
{
	switch (s) {
	case SCTP_ADDR_AVAILABLE: return "ADDR_AVAILABLE";
	case SCTP_ADDR_UNREACHABLE: return "ADDR_UNREACHABLE";
	case SCTP_ADDR_REMOVED: return "ADDR_REMOVED";
	case SCTP_ADDR_ADDED: return "ADDR_ADDED";
	case SCTP_ADDR_MADE_PRIM: return "ADDR_MADE_PRIM";
	case SCTP_ADDR_CONFIRMED: return "ADDR_CONFIRMED";
	case SCTP_ADDR_POTENTIALLY_FAILED: return "ADDR_POTENTIALLY_FAILED";
	}
	return "?";
}

/* A notification on either side: the client's reports about the server's primary address are the
 * ones the test waits for; anything that ends the association fails it. */
static void on_note(struct run *r, int fd, const void *buf, size_t len)
{
	struct sctpio_notification n;
	char text[SCTPIO_ADDR_TEXT_MAX];

	CHECK_EQ(sctpio_notification_decode(buf, len, &n), (long long)len);
	r->notes++;
	if (n.type == SCTP_ASSOC_CHANGE) {
		if (n.u.assoc_change.state != SCTP_COMM_UP)
			FAIL("%s: association change state %u error %u", fd == r->cli ? "client" : "server",
			     n.u.assoc_change.state, n.u.assoc_change.error);
		return;
	}
	if (n.type != SCTP_PEER_ADDR_CHANGE)
		return;
	const struct sctpio_notification_peer_addr_change *pc = &n.u.peer_addr_change;
	OK(sctpio_addr_format(&pc->addr, text, sizeof(text)));
	printf("  %6.0f ms %s: %s %s error %d\n", now_ms() - r->t0, fd == r->cli ? "client" : "server", text,
	       state_name(pc->state), pc->error);
	if (fd != r->cli || !sctpio_addr_equal(&pc->addr, &r->peer[0]))
		return;
	struct sctpio_paddrinfo pi;
	if (pc->state == SCTP_ADDR_UNREACHABLE && r->t_cut && r->t_unreach < 0) {
		r->t_unreach = now_ms();
		CHECK_EQ(pc->error, SCTP_FAILED_THRESHOLD);
		OK(sctpio_opt_get_peer_addr_info(r->cli, 0, &r->peer[0], &pi));
		CHECK_EQ(pi.state, SCTP_INACTIVE);
		/* The other path carries the traffic now. It may be "potentially failed" (one timeout with
		 * pf_retrans 0) when the emulator stalled, but never inactive. */
		OK(sctpio_opt_get_peer_addr_info(r->cli, 0, &r->peer[1], &pi));
		CHECK(pi.state == SCTP_ACTIVE || pi.state == SCTP_PF);
	} else if (pc->state == SCTP_ADDR_AVAILABLE && r->t_restore && r->t_avail < 0) {
		r->t_avail = now_ms();
		OK(sctpio_opt_get_peer_addr_info(r->cli, 0, &r->peer[0], &pi));
		CHECK(pi.state == SCTP_ACTIVE || pi.state == SCTP_PF); /* PF: as above, under valgrind */
	} else if (pc->state == SCTP_ADDR_UNREACHABLE && r->t_restore) {
		FAIL("the restored path failed again");
	}
}

/* Read everything waiting on fd: data is accounted (server), notifications handled (both). */
static void drain(struct run *r, int fd)
{
	struct sctpio_rcvinfo ri;

	for (;;) {
		ssize_t n = sctpio_recv(fd, rbuf, sizeof(rbuf), &ri);
		if (n == -EAGAIN)
			return;
		if (n <= 0)
			FAIL("%s: recv: %s", fd == r->cli ? "client" : "server", n ? strerror((int)-n) : "end of stream");
		CHECK(!(ri.flags & SCTPIO_MSG_MORE));
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
	tune(lst);
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
	tune(r->cli);
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

	/* Both sides know both of the other's addresses; path 0 is the primary. */
	CHECK_EQ(OK(sctpio_sock_peer_addrs(r->cli, 0, got, 4)), 2);
	CHECK_EQ(OK(sctpio_sock_peer_addrs(r->srv, 0, got, 4)), 2);
	OK(sctpio_sock_set_primary(r->cli, 0, &r->peer[0]));
	struct sctpio_status st;
	OK(sctpio_opt_get_status(r->cli, 0, &st));
	CHECK(sctpio_addr_equal(&st.primary.addr, &r->peer[0]));
	CHECK(st.out_streams >= STREAMS);
}

int main(void)
{
	struct run r = { .t_unreach = -1, .t_avail = -1 };
	uint8_t msg[FLOW_MAX];
	size_t pending = 0;

	struct topo *t = topo_setup();
	connect_sides(t, &r);
	long long start = r.t0 = now_ms(), deadline = start + DEADLINE_MS;

	while (r.rx.received < TOTAL || r.t_unreach < 0 || r.t_avail < 0) {
		if (now_ms() > deadline)
			FAIL("deadline: sent %llu received %llu, unreachable %s, available %s",
			     (unsigned long long)r.tx.sent, (unsigned long long)r.rx.received,
			     r.t_unreach < 0 ? "not seen" : "seen", r.t_avail < 0 ? "not seen" : "seen");
		if (!r.t_cut && r.tx.sent >= CUT_AT) {
			topo_cut(t, TOPO_B, 0);
			r.t_cut = now_ms();
			printf("  %6lld ms cut path 0 after %llu messages sent, %llu received\n", r.t_cut - r.t0,
			       (unsigned long long)r.tx.sent,
			       (unsigned long long)r.rx.received);
		}
		if (!r.t_restore && r.t_unreach >= 0 && r.tx.sent >= RESTORE_AT && !pending) {
			topo_restore(t, TOPO_B, 0);
			r.t_restore = now_ms();
			r.rx_at_restore = r.rx.received;
			printf("  %6lld ms restored path 0 after %llu messages received\n", r.t_restore - r.t0,
			       (unsigned long long)r.rx.received);
		}
		/* Sending pauses at the cut until the failover is reported, and at the restore point. */
		uint64_t limit = !r.t_cut ? CUT_AT : !r.t_restore ? RESTORE_AT : TOTAL;
		while (pending || r.tx.sent < limit) {
			if (!pending) {
				uint16_t s = (uint16_t)(r.tx.sent % STREAMS);
				pending = flow_next(&r.tx, s, msg, 240);
			}
			uint16_t stream;
			uint32_t seq;
			CHECK_EQ(flow_decode(msg, pending, &stream, &seq), 0);
			struct sctpio_sndinfo si = { .stream = stream, .ppid = 7 };
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
		if (poll(p, 2, 100) < 0 && errno != EINTR)
			FAIL("poll: %s", strerror(errno));
		drain(&r, r.srv);
		drain(&r, r.cli);
	}
	long long took = now_ms() - start;

	printf("failover: ADDR_UNREACHABLE %lld ms after the cut, ADDR_AVAILABLE %lld ms after the restore; "
	       "%llu messages arrived while path 0 was down; %d notifications; %lld ms in all\n",
	       r.t_unreach - r.t_cut, r.t_avail - r.t_restore, (unsigned long long)(r.rx_at_restore > CUT_AT ? r.rx_at_restore - CUT_AT : 0), r.notes,
	       took);
	/* The second third went while the primary path was down: over the other path. */
	CHECK(r.rx_at_restore > CUT_AT);
	CHECK_EQ(pending, 0);
	flow_verify("failover", &r.tx, &r.rx);
	OK(sctpio_sock_close(r.cli));
	OK(sctpio_sock_close(r.srv));
	return 0;
}
