// SPDX-License-Identifier: MIT
/*
 * A bad path: netem on both ends of one path between two namespaces (test/netns.h) drops 5% of the
 * packets, delays them 5 ms, sends a quarter of them early (reordering) and duplicates 2%, in both
 * directions. Across it, a one-to-one client sends 10,000 checksummed, sequence-numbered messages on
 * 4 streams with sctpio_batch_send (one sendmmsg per batch, whatever the kernel refuses stays queued)
 * to a one-to-many server that reads them with sctpio_batch_recv, while the server sends 3,000 back
 * on 2 streams with sctpio_send. Every message must arrive exactly once, intact and in order per
 * stream, within the time limit. Single-threaded: one poll loop; every wait is a poll.
 */
#include "netns.h"

enum { UP_TOTAL = 10000, UP_STREAMS = 4, DOWN_TOTAL = 3000, DOWN_STREAMS = 2, DEADLINE_MS = 100000 };
#define NETEM "loss 5% delay 5ms reorder 25% duplicate 2%"

static uint8_t rbuf[1 << 16];

/* Recover from losses in a fraction of a second rather than the default minimum of one, and let
 * the association ride out a long run of them (or a stall of the emulated machine). */
static void tune(int fd)
{
	struct sctp_rtoinfo rto = { .srto_initial = 300, .srto_max = 1000, .srto_min = 100 };
	struct sctp_assocparams ap = { .sasoc_asocmaxrxt = 30 };
	OK(sctpio_opt_set_rtoinfo(fd, 0, &rto));
	OK(sctpio_opt_set_associnfo(fd, 0, &ap));
}

/* A notification: only COMM_UP is expected; anything that ends the association fails the test. */
static void on_note(const char *who, const void *buf, size_t len, sctp_assoc_t *assoc)
{
	struct sctpio_notification n;
	char text[256];

	CHECK_EQ(sctpio_notification_decode(buf, len, &n), (long long)len);
	OK(sctpio_notification_format(&n, text, sizeof(text)));
	if (n.type != SCTP_ASSOC_CHANGE || n.u.assoc_change.state != SCTP_COMM_UP)
		FAIL("%s: unexpected %s", who, text);
	if (assoc)
		*assoc = n.assoc_id;
}

int main(void)
{
	struct flow_tx up_tx, down_tx;
	struct flow_rx up_rx, down_rx;
	struct sctpio_batch *sb, *cb;
	uint8_t msg[FLOW_MAX], down_msg[FLOW_MAX];
	size_t down_pending = 0;
	sctp_assoc_t sa = 0;
	unsigned long sends = 0, eagain = 0, recvs = 0;

	memset(&up_tx, 0, sizeof(up_tx));
	memset(&down_tx, 0, sizeof(down_tx));
	memset(&up_rx, 0, sizeof(up_rx));
	memset(&down_rx, 0, sizeof(down_rx));
	struct topo *t = topo_setup();
	topo_degrade(t, 0, NETEM);

	topo_enter(t, TOPO_A);
	sctpio_addr a = topo_addr(TOPO_A, 0, 0);
	int srv = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	tune(srv);
	OK(sctpio_sock_bind(srv, &a, 1));
	OK(sctpio_sock_listen(srv, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(srv, 0, &a, 1)), 1);
	topo_enter(t, TOPO_B);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	tune(cli);
	int rc = sctpio_sock_connect(cli, &a, 1, NULL);
	if (rc != -EINPROGRESS)
		OK(rc);
	topo_enter(t, TOPO_HOST);
	wait_fd(cli, POLLOUT, 30000);
	CHECK_EQ(sctpio_sock_error(cli), 0);

	OK(sctpio_batch_new(&cb, 64, FLOW_MAX));
	OK(sctpio_batch_new(&sb, 64, 2048));
	long long start = now_ms(), deadline = start + DEADLINE_MS;

	while (up_rx.received < UP_TOTAL || down_rx.received < DOWN_TOTAL) {
		if (now_ms() > deadline)
			FAIL("deadline: up %llu/%llu received, down %llu/%llu", (unsigned long long)up_rx.received,
			     (unsigned long long)up_tx.sent, (unsigned long long)down_rx.received,
			     (unsigned long long)down_tx.sent);
		/* Client: top the batch up and hand it to the kernel; what does not go stays queued. */
		while (up_tx.sent < UP_TOTAL && sctpio_batch_pending(cb) < 64) {
			uint16_t s = (uint16_t)(up_tx.sent % UP_STREAMS);
			size_t len = flow_next(&up_tx, s, msg, 300);
			struct sctpio_sndinfo si = { .stream = s, .ppid = 1 };
			OK(sctpio_batch_add(cb, msg, len, &si));
		}
		if (sctpio_batch_pending(cb)) {
			int n = sctpio_batch_send(cb, cli);
			sends++;
			if (n == -EAGAIN)
				eagain++;
			else
				OK(n);
		}
		/* Server: whatever arrived, in one recvmmsg per batch. */
		for (;;) {
			int n = sctpio_batch_recv(sb, srv, 1, 0);
			if (n == -EAGAIN)
				break;
			OK(n);
			recvs++;
			for (int i = 0; i < n; i++) {
				size_t len;
				const void *d = sctpio_batch_data(sb, (size_t)i, &len);
				const struct sctpio_rcvinfo *ri = sctpio_batch_info(sb, (size_t)i);
				CHECK(!(ri->flags & SCTPIO_MSG_MORE));
				if (ri->flags & SCTPIO_MSG_NOTIFICATION) {
					on_note("server", d, len, &sa);
					continue;
				}
				CHECK(sa == 0 || ri->assoc_id == sa);
				sa = ri->assoc_id;
				flow_check(&up_rx, d, len, ri->stream);
			}
		}
		/* Server to client, once the association's id is known. */
		while (sa && (down_pending || down_tx.sent < DOWN_TOTAL)) {
			if (!down_pending)
				down_pending = flow_next(&down_tx, (uint16_t)(down_tx.sent % DOWN_STREAMS), down_msg, 600);
			uint16_t stream;
			uint32_t seq;
			CHECK_EQ(flow_decode(down_msg, down_pending, &stream, &seq), 0);
			struct sctpio_sndinfo si = { .stream = stream, .ppid = 2, .assoc_id = sa };
			ssize_t n = sctpio_send(srv, down_msg, down_pending, &si);
			if (n == -EAGAIN)
				break;
			CHECK_EQ(OK(n), (long long)down_pending);
			down_pending = 0;
		}
		/* Client: the replies. */
		for (;;) {
			struct sctpio_rcvinfo ri;
			ssize_t n = sctpio_recv(cli, rbuf, sizeof(rbuf), &ri);
			if (n == -EAGAIN)
				break;
			if (n <= 0)
				FAIL("client recv: %s", n ? strerror((int)-n) : "end of stream");
			CHECK(!(ri.flags & SCTPIO_MSG_MORE));
			if (ri.flags & SCTPIO_MSG_NOTIFICATION)
				on_note("client", rbuf, (size_t)n, NULL);
			else
				flow_check(&down_rx, rbuf, (size_t)n, ri.stream);
		}
		struct pollfd p[2] = {
			{ .fd = srv, .events = (short)(POLLIN | (down_pending ? POLLOUT : 0)) },
			{ .fd = cli, .events = (short)(POLLIN | (sctpio_batch_pending(cb) ? POLLOUT : 0)) },
		};
		if (poll(p, 2, 100) < 0 && errno != EINTR)
			FAIL("poll: %s", strerror(errno));
	}
	long long took = now_ms() - start;

	printf("netem (%s): %lld ms; client %lu batch sends (%lu -EAGAIN), server %lu batch receives\n", NETEM, took,
	       sends, eagain, recvs);
	CHECK_EQ(sctpio_batch_pending(cb), 0);
	struct sctpio_status st;
	OK(sctpio_opt_get_status(cli, 0, &st));
	CHECK_EQ(st.state, SCTP_ESTABLISHED);
	/* The path really was bad: both sides retransmitted and saw duplicates or gaps. */
	struct sctp_assoc_stats cs = { .sas_assoc_id = 0 }, ss = { .sas_assoc_id = sa };
	OK(sctpio_opt_get(cli, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &cs, sizeof(cs)));
	OK(sctpio_opt_get(srv, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &ss, sizeof(ss)));
	printf("netem: client sent %llu packets, retransmitted %llu chunks, received %llu duplicate chunks; "
	       "server sent %llu packets, retransmitted %llu, received %llu duplicate and %llu out-of-sequence\n",
	       (unsigned long long)cs.sas_opackets, (unsigned long long)cs.sas_rtxchunks,
	       (unsigned long long)cs.sas_idupchunks, (unsigned long long)ss.sas_opackets,
	       (unsigned long long)ss.sas_rtxchunks, (unsigned long long)ss.sas_idupchunks,
	       (unsigned long long)ss.sas_outofseqtsns);
	CHECK(cs.sas_rtxchunks > 0);
	CHECK(ss.sas_rtxchunks > 0);
	CHECK(ss.sas_idupchunks + ss.sas_outofseqtsns > 0);
	flow_verify("netem client->server", &up_tx, &up_rx);
	flow_verify("netem server->client", &down_tx, &down_rx);
	sctpio_batch_free(cb);
	sctpio_batch_free(sb);
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
	return 0;
}
