// SPDX-License-Identifier: MIT
/*
 * A peer dies mid-stream, twice, and the survivor loses nothing it cannot account for.
 *
 * The survivor is a one-to-many server on loopback with three associations:
 *  - a "live" client in this process that exchanges checksummed, sequence-numbered messages with it
 *    in both directions before, during and after the deaths;
 *  - a forked child that reads part of a stream, stops reading, and is killed with SIGKILL once a
 *    message it did not read is waiting for it and the survivor's queue towards it is full. Its
 *    kernel then aborts the association (data was unread);
 *  - a client in this process that stops reading and aborts with a reason while the queue is full.
 * For each death the survivor must get SCTP_COMM_LOST for that association (with the reason for the
 * abort), and SCTP_SEND_FAILED_EVENT notifications carrying the messages that never reached the peer:
 * each one's bytes, checksum, stream, PPID and context are checked, none is reported twice, and on
 * each stream they are exactly the last ones sent, after everything the peer read. So every message
 * is accounted for: read by the peer, acknowledged by the peer's kernel before it died, or handed back.
 * The live association must then go on exchanging messages; they all arrive, in order.
 */
#include <signal.h>

#include "netns.h"

enum { STREAMS = 4, MAXSEQ = 1 << 14, READ_BEFORE_STOP = 300, LIVE_EACH = 600, DEADLINE_MS = 60000 };
enum { PPID_LIVE = 0x11ee, PPID_KILLED = 0xdead, PPID_ABORTED = 0xab07 };

static uint8_t rbuf[1 << 16];

/* An association the survivor sends to until it dies. */
struct doomed {
	const char *name;
	sctp_assoc_t id;
	uint32_t ppid;
	struct flow_tx tx;                 /* handed to the kernel */
	uint32_t read_next[STREAMS];       /* what the peer read, per stream */
	uint8_t failed[STREAMS][MAXSEQ];   /* reported failed: FAILED_SENT or FAILED_UNSENT */
	uint64_t nfailed, unsent, read_and_failed;
	int lost;                          /* COMM_LOST seen */
	uint16_t lost_error;
	char reason[32];
	size_t reason_len;
};

struct survivor {
	int srv, live;               /* the one-to-many socket; the live client */
	sctpio_addr addr;
	sctp_assoc_t live_id, last_up;
	struct flow_tx live_up_tx, live_down_tx;
	struct flow_rx live_up_rx, live_down_rx;
	struct doomed *d[2];
};

enum { FAILED_SENT = 1, FAILED_UNSENT = 2 };

static struct doomed killed = { .name = "killed", .ppid = PPID_KILLED };
static struct doomed aborted = { .name = "aborted", .ppid = PPID_ABORTED };

static struct doomed *doomed_by_id(struct survivor *s, sctp_assoc_t id)
{
	for (int i = 0; i < 2; i++)
		if (s->d[i] && s->d[i]->id == id)
			return s->d[i];
	return NULL;
}

/* One notification on the survivor's socket. */
static void on_note(struct survivor *s, const void *buf, size_t len)
{
	struct sctpio_notification n;
	struct doomed *d;

	CHECK_EQ(sctpio_notification_decode(buf, len, &n), (long long)len);
	if (n.type == SCTP_ASSOC_CHANGE) {
		const struct sctpio_notification_assoc_change *ac = &n.u.assoc_change;
		if (ac->state == SCTP_COMM_UP) {
			s->last_up = n.assoc_id;
			return;
		}
		d = doomed_by_id(s, n.assoc_id);
		if (!d || ac->state != SCTP_COMM_LOST)
			FAIL("association %d changed to state %u (error %u)", (int)n.assoc_id, ac->state, ac->error);
		CHECK(!d->lost);
		d->lost = 1;
		d->lost_error = ac->error;
		const void *reason;
		size_t rlen;
		if (sctpio_notification_abort_reason(&n, &reason, &rlen) == 1 && rlen && rlen < sizeof(d->reason)) {
			memcpy(d->reason, reason, rlen);
			d->reason_len = rlen;
		}
		return;
	}
	if (n.type != SCTP_SEND_FAILED_EVENT)
		FAIL("unexpected %s", sctpio_notification_name(n.type));
	const struct sctpio_notification_send_failed *sf = &n.u.send_failed;
	d = doomed_by_id(s, n.assoc_id);
	CHECK(d != NULL);
	CHECK(n.flags == SCTP_DATA_UNSENT || n.flags == SCTP_DATA_SENT);
	CHECK_EQ(sf->ppid, d->ppid);
	/* Messages are small: each went as one chunk, first and last fragment at once. */
	CHECK_EQ(sf->chunk_flags & (SCTPIO_CHUNK_FIRST_FRAG | SCTPIO_CHUNK_LAST_FRAG),
		 SCTPIO_CHUNK_FIRST_FRAG | SCTPIO_CHUNK_LAST_FRAG);
	uint16_t stream;
	uint32_t seq;
	if (flow_decode(sf->data, sf->data_len, &stream, &seq) < 0)
		FAIL("%s: a send-failed notification carries %zu damaged bytes", d->name, sf->data_len);
	CHECK_EQ(stream, sf->stream);
	CHECK_EQ(sf->context, seq);
	CHECK(stream < STREAMS && seq < d->tx.next[stream]);
	CHECK(d->failed[stream][seq] == 0);
	d->failed[stream][seq] = n.flags == SCTP_DATA_UNSENT ? FAILED_UNSENT : FAILED_SENT;
	d->nfailed++;
	d->unsent += n.flags == SCTP_DATA_UNSENT;
}

/* Read everything waiting on the survivor: data from the live client, notifications. */
static void survivor_drain(struct survivor *s)
{
	struct sctpio_rcvinfo ri;

	for (;;) {
		ssize_t n = sctpio_recv(s->srv, rbuf, sizeof(rbuf), &ri);
		if (n == -EAGAIN)
			return;
		if (n <= 0)
			FAIL("survivor recv: %s", n ? strerror((int)-n) : "end of stream");
		CHECK(!(ri.flags & SCTPIO_MSG_MORE));
		if (ri.flags & SCTPIO_MSG_NOTIFICATION) {
			on_note(s, rbuf, (size_t)n);
			continue;
		}
		CHECK_EQ(ri.assoc_id, s->live_id);
		CHECK_EQ(ri.ppid, PPID_LIVE);
		flow_check(&s->live_up_rx, rbuf, (size_t)n, ri.stream);
	}
}

/* Read what the live client has. */
static void live_drain(struct survivor *s)
{
	struct sctpio_rcvinfo ri;

	for (;;) {
		ssize_t n = sctpio_recv(s->live, rbuf, sizeof(rbuf), &ri);
		if (n == -EAGAIN)
			return;
		if (n <= 0)
			FAIL("live recv: %s", n ? strerror((int)-n) : "end of stream");
		if (ri.flags & SCTPIO_MSG_NOTIFICATION)
			continue;
		flow_check(&s->live_down_rx, rbuf, (size_t)n, ri.stream);
	}
}

/*
 * Send the next messages of tx with ppid on fd (to association id) until `limit` have gone or the
 * socket is full. A message the kernel refused is taken back, so tx counts only what it accepted.
 * Returns 1 when the socket was full (-EAGAIN), else 0.
 */
static int pump(int fd, sctp_assoc_t id, uint32_t ppid, struct flow_tx *tx, uint64_t limit)
{
	uint8_t msg[FLOW_MAX];

	while (tx->sent < limit) {
		uint16_t stream = (uint16_t)(tx->sent % STREAMS);
		size_t len = flow_next(tx, stream, msg, 200);
		struct sctpio_sndinfo si = { .stream = stream, .ppid = ppid, .context = tx->next[stream] - 1, .assoc_id = id };
		ssize_t n = sctpio_send(fd, msg, len, &si);
		if (n == -EAGAIN) {
			tx->next[stream]--, tx->sent--, tx->bytes -= len;
			return 1;
		}
		CHECK_EQ(OK(n), (long long)len);
	}
	return 0;
}

/* Live traffic: top both directions up to `target` messages each and read what came. */
static void live_step(struct survivor *s, uint64_t target)
{
	pump(s->live, 0, PPID_LIVE, &s->live_up_tx, target);
	pump(s->srv, s->live_id, PPID_LIVE, &s->live_down_tx, target);
	survivor_drain(s);
	live_drain(s);
}

/* Wait (poll, at most ms) for something on the survivor, the live client or extra (-1: none). */
static void wait_any(struct survivor *s, int extra, int ms)
{
	struct pollfd p[3] = { { .fd = s->srv, .events = POLLIN }, { .fd = s->live, .events = POLLIN },
			       { .fd = extra, .events = POLLIN } };
	if (poll(p, extra >= 0 ? 3 : 2, ms) < 0 && errno != EINTR)
		FAIL("poll: %s", strerror(errno));
}

/* The association just set up towards the survivor: its id from the survivor's COMM_UP. */
static sctp_assoc_t wait_up(struct survivor *s)
{
	long long end = now_ms() + 10000;

	s->last_up = 0;
	while (!s->last_up) {
		if (now_ms() > end)
			FAIL("no COMM_UP on the survivor");
		wait_any(s, -1, 100);
		survivor_drain(s);
	}
	return s->last_up;
}

/* A client of the survivor whose small receive window fills quickly. */
static int small_client(struct survivor *s, int style)
{
	int fd = OK(sctpio_sock_open(AF_INET, style, 0));
	OK(sctpio_opt_set_rcvbuf(fd, 4096));
	int rc = sctpio_sock_connect(fd, &s->addr, 1, NULL);
	if (rc != -EINPROGRESS)
		OK(rc);
	return fd;
}

/* The doomed peer's reading: up to `count` messages (0: whatever is waiting), checked in order. */
static void doomed_read(int fd, struct flow_rx *rx, uint64_t count)
{
	struct sctpio_rcvinfo ri;

	while (!count || rx->received < count) {
		if (count)
			wait_fd(fd, POLLIN, 10000);
		ssize_t n = sctpio_recv(fd, rbuf, sizeof(rbuf), &ri);
		if (n == -EAGAIN && !count)
			return;
		if (n == -EAGAIN)
			continue;
		if (n <= 0)
			FAIL("doomed peer recv: %s", n ? strerror((int)-n) : "end of stream");
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION) && flow_check(rx, rbuf, (size_t)n, ri.stream) < 0)
			FAIL("doomed peer: message %llu damaged or out of order", (unsigned long long)rx->received);
	}
}

/* The child: connect, read READ_BEFORE_STOP messages, report what it read, then wait to be killed. */
static void child(struct survivor *s, const int report[2], const int hold[2])
{
	struct flow_rx rx;

	memset(&rx, 0, sizeof(rx));
	close(s->srv);
	close(s->live);
	close(report[0]);
	close(hold[1]);
	int fd = small_client(s, SCTPIO_ONE_TO_ONE);
	doomed_read(fd, &rx, READ_BEFORE_STOP);
	if (write(report[1], rx.next, sizeof(uint32_t) * STREAMS) != (ssize_t)(sizeof(uint32_t) * STREAMS))
		_exit(2);
	/* Then wait until a message it will never read is waiting: only then does the kernel abort the
	 * association when the process dies. With nothing unread it would shut it down gracefully
	 * (SHUTDOWN_COMP, seen when the kill came first). */
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 30000) != 1 || write(report[1], "u", 1) != 1)
		_exit(4);
	/* Never written: this read lasts until SIGKILL, or until the parent is gone (end of file). */
	char c;
	while (read(hold[0], &c, 1) < 0 && errno == EINTR)
		;
	_exit(3);
}

/* After a death: the notifications, then the accounting. */
static void settle(struct survivor *s, struct doomed *d, uint64_t live_target)
{
	long long end = now_ms() + 10000;

	while (!d->lost) {
		if (now_ms() > end)
			FAIL("%s: no COMM_LOST within 10 s", d->name);
		wait_any(s, -1, 100);
		live_step(s, live_target);
	}
	/* The failures are queued with the COMM_LOST, in the same softirq: drain what is left. */
	survivor_drain(s);
	struct sctpio_sndinfo si = { .stream = 0, .ppid = d->ppid, .assoc_id = d->id };
	ssize_t gone = sctpio_send(s->srv, "x", 1, &si);
	CHECK(gone < 0);

	uint64_t read = 0;
	for (int st = 0; st < STREAMS; st++) {
		/* Acknowledgement is cumulative, so the failed messages of each stream are a suffix: none
		 * missing after the first. Those never sent come after those sent, and none of them was
		 * read. A message sent but not yet acknowledged when the peer died (SCTP_DATA_SENT,
		 * "delivery unknown") may have been read: its acknowledgement was still delayed. */
		uint32_t first = d->tx.next[st];
		for (uint32_t q = d->tx.next[st]; q-- > 0 && d->failed[st][q];)
			first = q;
		for (uint32_t q = 0; q < first; q++)
			if (d->failed[st][q])
				FAIL("%s: stream %d: message %u reported failed though %u was acknowledged", d->name, st,
				     q, first - 1);
		for (uint32_t q = first; q + 1 < d->tx.next[st]; q++)
			CHECK(!(d->failed[st][q] == FAILED_UNSENT && d->failed[st][q + 1] == FAILED_SENT));
		for (uint32_t q = first; q < d->read_next[st]; q++) {
			if (d->failed[st][q] == FAILED_UNSENT)
				FAIL("%s: stream %d: message %u was read but reported never sent", d->name, st, q);
			d->read_and_failed++;
		}
		read += d->read_next[st];
	}
	CHECK(d->nfailed > 0);
	CHECK(read > 0);
	printf("%s: COMM_LOST error %u%s%.*s%s; sent %llu, read by the peer %llu, acknowledged but unread %llu, "
	       "returned in SEND_FAILED_EVENT %llu (%llu never sent, %llu read before the ack went), lost 0; "
	       "a send to it now: %s\n",
	       d->name, d->lost_error, d->reason_len ? " reason \"" : "", (int)d->reason_len, d->reason,
	       d->reason_len ? "\"" : "", (unsigned long long)d->tx.sent, (unsigned long long)read,
	       (unsigned long long)(d->tx.sent - read - d->nfailed + d->read_and_failed),
	       (unsigned long long)d->nfailed, (unsigned long long)d->unsent,
	       (unsigned long long)d->read_and_failed, strerror((int)-gone));
	CHECK(read + d->nfailed - d->read_and_failed <= d->tx.sent);
}

/* Keep the live association busy until `target` messages went each way and arrived. */
static void live_until(struct survivor *s, uint64_t target)
{
	long long end = now_ms() + 20000;

	while (s->live_up_rx.received < target || s->live_down_rx.received < target) {
		if (now_ms() > end)
			FAIL("live association stalled: %llu up, %llu down of %llu", (unsigned long long)s->live_up_rx.received,
			     (unsigned long long)s->live_down_rx.received, (unsigned long long)target);
		live_step(s, target);
		wait_any(s, -1, 100);
	}
}

/* Fill the survivor's queue towards d until the kernel refuses more, keeping live traffic moving. */
static void fill(struct survivor *s, struct doomed *d, uint64_t live_target, int *live_blocked)
{
	long long end = now_ms() + 20000;

	while (!pump(s->srv, d->id, d->ppid, &d->tx, MAXSEQ * STREAMS - 1)) {
		if (now_ms() > end)
			FAIL("%s: the survivor's queue never filled", d->name);
		live_step(s, live_target);
	}
	/* With net.sctp.sndbuf_policy 0 (the default) the send buffer is the socket's, so a peer that
	 * stops reading blocks sending to every association of a one-to-many socket. Not asserted (the
	 * sysctl decides), but reported: one more live message is offered now. */
	*live_blocked = pump(s->srv, s->live_id, PPID_LIVE, &s->live_down_tx, s->live_down_tx.sent + 1);
}

int main(void)
{
	struct survivor s = { .d = { &killed, &aborted } };
	int report[2], hold[2], status, blocked_kill, blocked_abort;

	s.srv = test_server(SCTPIO_ONE_TO_MANY, &s.addr);
	OK(sctpio_sock_subscribe_mask(s.srv, 0, SCTPIO_EV_ASSOC_CHANGE | SCTPIO_EV_SEND_FAILED_EVENT));
	/* A small send buffer, so a full queue is a few hundred messages and as many notifications. */
	OK(sctpio_opt_set_sndbuf(s.srv, 32768));
	/* Zero-window probes at RTO intervals: keep them frequent (loopback). */
	struct sctp_rtoinfo rto = { .srto_initial = 200, .srto_max = 200, .srto_min = 50 };
	OK(sctpio_opt_set_rtoinfo(s.srv, 0, &rto));
	s.live = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &s.addr, 1, NULL, 0, 0, NULL));
	s.live_id = wait_up(&s);
	live_until(&s, LIVE_EACH);

	/* 1. SIGKILL. */
	CHECK_EQ(pipe(report), 0);
	CHECK_EQ(pipe(hold), 0);
	fflush(NULL);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		child(&s, report, hold);
	close(report[1]);
	close(hold[0]);
	killed.id = wait_up(&s);
	long long end = now_ms() + DEADLINE_MS;
	/* The child reports what it read, then says when unread data is waiting for it. */
	for (int got = 0; got < 2;) {
		if (now_ms() > end)
			FAIL("the child never reported (stage %d)", got);
		pump(s.srv, killed.id, PPID_KILLED, &killed.tx, MAXSEQ * STREAMS - 1);
		live_step(&s, 2 * LIVE_EACH);
		wait_any(&s, report[0], 100);
		struct pollfd p = { .fd = report[0], .events = POLLIN };
		if (poll(&p, 1, 0) != 1)
			continue;
		char u;
		ssize_t r = got ? read(report[0], &u, 1) : read(report[0], killed.read_next, sizeof(killed.read_next));
		if (r != (got ? 1 : (ssize_t)sizeof(killed.read_next)))
			FAIL("the child failed (stage %d, read %zd)", got, r);
		got++;
	}
	fill(&s, &killed, 2 * LIVE_EACH, &blocked_kill);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	settle(&s, &killed, 2 * LIVE_EACH);
	close(report[0]);
	close(hold[1]);
	live_until(&s, 3 * LIVE_EACH);

	/* 2. Abort with a reason, from a client in this process. It is a one-to-many socket: Linux has
	 * no abort with a reason on one-to-one sockets (sctpio_sock_abort says -EOPNOTSUPP there). */
	struct flow_rx arx;
	memset(&arx, 0, sizeof(arx));
	int victim = small_client(&s, SCTPIO_ONE_TO_MANY);
	aborted.id = wait_up(&s);
	end = now_ms() + DEADLINE_MS;
	while (arx.received < READ_BEFORE_STOP) {
		if (now_ms() > end)
			FAIL("the aborting client read only %llu", (unsigned long long)arx.received);
		pump(s.srv, aborted.id, PPID_ABORTED, &aborted.tx, MAXSEQ * STREAMS - 1);
		live_step(&s, 4 * LIVE_EACH);
		doomed_read(victim, &arx, 0);
		wait_any(&s, victim, 100);
	}
	fill(&s, &aborted, 4 * LIVE_EACH, &blocked_abort);
	memcpy(aborted.read_next, arx.next, sizeof(aborted.read_next));
	sctp_assoc_t ids[2];
	CHECK_EQ(OK(sctpio_opt_get_assoc_ids(victim, ids, 2)), 1);
	OK(sctpio_sock_abort(victim, ids[0], "going away", 10));
	settle(&s, &aborted, 4 * LIVE_EACH);
	CHECK_EQ(aborted.lost_error, 12); /* user-initiated abort */
	CHECK_EQ(aborted.reason_len, 10);
	CHECK(memcmp(aborted.reason, "going away", 10) == 0);
	OK(sctpio_sock_close(victim));

	/* The survivor still serves the live association. */
	live_until(&s, 5 * LIVE_EACH);
	printf("peer death: while a dead peer's queue was full, sending to the live association %s\n",
	       blocked_kill || blocked_abort ? "was blocked too (one send buffer per socket)" : "went on");
	flow_verify("live client->survivor", &s.live_up_tx, &s.live_up_rx);
	flow_verify("live survivor->client", &s.live_down_tx, &s.live_down_rx);
	OK(sctpio_sock_close(s.live));
	OK(sctpio_sock_close(s.srv));
	return 0;
}
