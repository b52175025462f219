// SPDX-License-Identifier: MIT
/*
 * Backpressure that neither blocks forever nor loses data. The receiver of a one-to-one association
 * on loopback has a small SO_RCVBUF (64 KiB; why not smaller is said where it is set) and stops
 * reading; the sender has a small SO_SNDBUF (16 KiB).
 *  1. A non-blocking sender using sctpio_batch_send sees -EAGAIN once the peer's window and its own
 *     buffer are full: the socket is then not writable (poll), and the messages the kernel did not
 *     take stay queued in the batch. When the reader resumes, every message arrives.
 *  2. The socket is filled again with sctpio_send until -EAGAIN and switched to blocking. A thread
 *     sends more messages: it must still be blocked in its first send after a 500 ms poll deadline
 *     (a pipe says it started; an eventfd says it finished). When the reader resumes, the thread
 *     finishes within the deadline and every message arrives.
 * Every message carries its stream, sequence number and checksum, and is checked on arrival.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/eventfd.h>

#include "netns.h"

enum { STREAMS = 3, PHASE1 = 4000, BLOCKED_SENDS = 400, SPREAD = 280 };

static uint8_t rbuf[1 << 16];

struct sender {
	int fd, started, done;       /* the socket; a pipe's write end; an eventfd */
	struct flow_tx *tx;
	atomic_int completed;        /* blocking sends that returned */
};

/* Read whatever is waiting on the receiver (at most `max` messages; 0: all), checking each. */
static void take(int fd, struct flow_rx *rx, uint64_t max)
{
	struct sctpio_rcvinfo ri;

	for (uint64_t n = 0; !max || n < max; n++) {
		ssize_t r = sctpio_recv(fd, rbuf, sizeof(rbuf), &ri);
		if (r == -EAGAIN)
			return;
		if (r <= 0)
			FAIL("receiver: %s", r ? strerror((int)-r) : "end of stream");
		CHECK(!(ri.flags & SCTPIO_MSG_MORE));
		if (ri.flags & SCTPIO_MSG_NOTIFICATION)
			continue;
		if (flow_check(rx, rbuf, (size_t)r, ri.stream) < 0)
			FAIL("receiver: message %llu damaged or out of order", (unsigned long long)rx->received);
	}
}

/* Send the next message of tx with sctpio_send; returns the result (a message refused is taken back). */
static ssize_t send_next(int fd, struct flow_tx *tx)
{
	uint8_t msg[FLOW_MAX];
	uint16_t stream = (uint16_t)(tx->sent % STREAMS);
	size_t len = flow_next(tx, stream, msg, SPREAD);
	struct sctpio_sndinfo si = { .stream = stream, .ppid = 3 };
	ssize_t n = sctpio_send(fd, msg, len, &si);

	if (n < 0)
		tx->next[stream]--, tx->sent--, tx->bytes -= len;
	else
		CHECK_EQ(n, (long long)len);
	return n;
}

static void *blocking_sender(void *arg)
{
	struct sender *s = arg;
	uint64_t one = 1;

	if (write(s->started, "s", 1) != 1)
		FAIL("pipe: %s", strerror(errno));
	for (int i = 0; i < BLOCKED_SENDS; i++) {
		ssize_t n = send_next(s->fd, s->tx);
		if (n < 0)
			FAIL("blocking send %d: %s", i, strerror((int)-n));
		atomic_fetch_add(&s->completed, 1);
	}
	if (write(s->done, &one, sizeof(one)) != sizeof(one))
		FAIL("eventfd: %s", strerror(errno));
	return NULL;
}

/* Is fd ready for events within ms? 1 or 0. */
static int ready(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int rc;
	while ((rc = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	CHECK(rc >= 0);
	return rc;
}

int main(void)
{
	sctpio_addr addr;
	struct flow_tx tx;
	struct flow_rx rx;
	struct sctpio_batch *b;
	uint8_t msg[FLOW_MAX];

	memset(&tx, 0, sizeof(tx));
	memset(&rx, 0, sizeof(rx));
	OK(sctpio_addr_parse(&addr, "127.0.0.1", 0));
	int lst = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	/* Set before the association starts: the receive window it advertises follows it. Not smaller:
	 * Linux sends a window update only once the window has grown by max(SO_RCVBUF / 16, path MTU),
	 * and loopback's MTU is 65536, so with a smaller buffer a resumed reader is fed about one window
	 * per retransmission timeout (zero window probes) - measured here with 4096: 765 messages in 30
	 * s; with 8192: about 2,600. Slow, not lossy; this test bounds its time. */
	OK(sctpio_opt_set_rcvbuf(lst, 65536));
	OK(sctpio_sock_bind(lst, &addr, 1));
	OK(sctpio_sock_listen(lst, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(lst, 0, &addr, 1)), 1);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	OK(sctpio_opt_set_sndbuf(cli, 16384));
	int rc = sctpio_sock_connect(cli, &addr, 1, NULL);
	if (rc != -EINPROGRESS)
		OK(rc);
	wait_fd(cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(cli), 0);
	wait_fd(lst, POLLIN, 10000);
	int rcv = OK(sctpio_sock_accept(lst, NULL, 0));
	printf("receive buffer %lld bytes, send buffer %lld bytes\n", OK(sctpio_opt_get_rcvbuf(rcv)),
	       OK(sctpio_opt_get_sndbuf(cli)));

	/* 1. Non-blocking, batched: fill until the kernel says -EAGAIN. */
	OK(sctpio_batch_new(&b, 32, FLOW_MAX));
	int eagain = 0, batches = 0;
	while (!eagain) {
		if (tx.sent >= PHASE1)
			FAIL("%llu messages went without -EAGAIN: no backpressure", (unsigned long long)tx.sent);
		while (sctpio_batch_pending(b) < 32 && tx.sent < PHASE1) {
			uint16_t stream = (uint16_t)(tx.sent % STREAMS);
			size_t len = flow_next(&tx, stream, msg, SPREAD);
			struct sctpio_sndinfo si = { .stream = stream, .ppid = 1 };
			OK(sctpio_batch_add(b, msg, len, &si));
		}
		int n = sctpio_batch_send(b, cli);
		batches++;
		if (n == -EAGAIN)
			eagain = 1;
		else
			OK(n);
	}
	size_t queued = sctpio_batch_pending(b);
	uint64_t accepted = tx.sent - queued;
	CHECK(queued > 0);
	/* Full means full: not writable for 200 ms while nobody reads, and a retry changes nothing. */
	CHECK_EQ(ready(cli, POLLOUT, 200), 0);
	CHECK_EQ(sctpio_batch_send(b, cli), -EAGAIN);
	CHECK_EQ(sctpio_batch_pending(b), queued);
	struct sctpio_status st;
	OK(sctpio_opt_get_status(cli, 0, &st));
	printf("phase 1: -EAGAIN after %llu messages accepted in %d batch sends (%zu still queued); peer window %u, "
	       "%u chunks unacknowledged\n", (unsigned long long)accepted, batches, queued, st.rwnd, st.unacked);

	/* The reader resumes: the queue drains and the rest of phase 1 follows. */
	long long end = now_ms() + 30000;
	while (rx.received < PHASE1) {
		if (now_ms() > end) {
			struct sctpio_status a1, a2;
			OK(sctpio_opt_get_status(cli, 0, &a1));
			OK(sctpio_opt_get_status(rcv, 0, &a2));
			FAIL("phase 1 stalled at %llu received; sender: rwnd %u unacked %u pending %u rto %u mtu %u; receiver: rwnd %u pending %u mtu %u frag %u",
			     (unsigned long long)rx.received, a1.rwnd, a1.unacked, a1.pending, a1.primary.rto, a1.primary.mtu,
			     a2.rwnd, a2.pending, a2.primary.mtu, a2.frag_point);
		}
		while (sctpio_batch_pending(b) < 32 && tx.sent < PHASE1) {
			uint16_t stream = (uint16_t)(tx.sent % STREAMS);
			size_t len = flow_next(&tx, stream, msg, SPREAD);
			struct sctpio_sndinfo si = { .stream = stream, .ppid = 1 };
			OK(sctpio_batch_add(b, msg, len, &si));
		}
		if (sctpio_batch_pending(b)) {
			int n = sctpio_batch_send(b, cli);
			if (n != -EAGAIN)
				OK(n);
		}
		take(rcv, &rx, 0);
		struct pollfd p[2] = { { .fd = rcv, .events = POLLIN },
				       { .fd = cli, .events = sctpio_batch_pending(b) ? POLLOUT : 0 } };
		poll(p, 2, 100);
	}
	CHECK_EQ(sctpio_batch_pending(b), 0);
	printf("phase 1: all %llu arrived after the reader resumed\n", (unsigned long long)rx.received);

	/* 2. Fill again, then block. */
	uint64_t before = tx.sent;
	end = now_ms() + 30000;
	for (ssize_t r; (r = send_next(cli, &tx)) != -EAGAIN;) {
		OK(r);
		if (now_ms() > end)
			FAIL("no -EAGAIN in phase 2");
	}
	uint64_t refill = tx.sent - before;
	int fl = fcntl(cli, F_GETFL);
	CHECK(fl >= 0);
	CHECK_EQ(fcntl(cli, F_SETFL, fl & ~O_NONBLOCK), 0);
	int started[2];
	CHECK_EQ(pipe(started), 0);
	struct sender s = { .fd = cli, .started = started[1], .done = eventfd(0, EFD_CLOEXEC), .tx = &tx };
	CHECK(s.done >= 0);
	pthread_t th;
	CHECK_EQ(pthread_create(&th, NULL, blocking_sender, &s), 0);
	char c;
	wait_fd(started[0], POLLIN, 10000);
	CHECK_EQ(read(started[0], &c, 1), 1);
	long long t_start = now_ms();
	/* The assertion: 500 ms later the first blocking send still has not returned. */
	CHECK_EQ(ready(s.done, POLLIN, 500), 0);
	CHECK_EQ(atomic_load(&s.completed), 0);

	/* The reader resumes; the sender must finish, and everything arrive. */
	long long t_resume = now_ms();
	end = t_resume + 30000;
	int finished = 0;
	while (!finished || rx.received < before + refill + BLOCKED_SENDS) {
		if (now_ms() > end)
			FAIL("phase 2 stalled: %d blocking sends done, %llu received", atomic_load(&s.completed),
			     (unsigned long long)rx.received);
		take(rcv, &rx, 0);
		struct pollfd p[2] = { { .fd = rcv, .events = POLLIN }, { .fd = s.done, .events = POLLIN } };
		poll(p, 2, 100);
		if (!finished && ready(s.done, POLLIN, 0))
			finished = 1;
	}
	long long t_done = now_ms();
	CHECK_EQ(pthread_join(th, NULL), 0);
	CHECK_EQ(atomic_load(&s.completed), BLOCKED_SENDS);
	printf("phase 2: -EAGAIN after %llu more; a blocking send stayed blocked %lld ms until the reader resumed, "
	       "then %d blocking sends finished in %lld ms\n", (unsigned long long)refill, t_resume - t_start,
	       BLOCKED_SENDS, t_done - t_resume);
	take(rcv, &rx, 0);
	flow_verify("backpressure", &tx, &rx);

	sctpio_batch_free(b);
	close(started[0]);
	close(started[1]);
	close(s.done);
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(rcv));
	OK(sctpio_sock_close(lst));
	return 0;
}
