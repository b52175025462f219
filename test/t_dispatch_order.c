// SPDX-License-Identifier: MIT
/*
 * Ordering through both dispatch models: 100,000 sequence-numbered messages per model on 16 streams
 * over 8 associations, sent by 8 threads at once, received with 4 threads, must reach the processing
 * code in order per (association, stream), with none lost and none twice. Each model — the receiver
 * pool (4 threads) and the poller (1 epoll thread, 4 workers) — carries 50,000 of them over 8
 * one-to-one sockets and 50,000 over 8 associations on one one-to-many socket, which keeps the
 * program near a minute in the emulator; a count argument sends that many through each of the four
 * cases instead (`t_dispatch_order all all 100000` is 400,000 messages).
 * The processing code reads up to 64 messages from a socket first (one recvmmsg, through a batch
 * container kept with the socket) and checks them afterwards, as real code does: re-arming between
 * reading and processing would let another thread overtake. Senders send 16 messages per sendmmsg.
 * On the one-to-many socket each sender keeps at most 16 messages unprocessed: Linux gives each
 * association a receive window of half the socket's buffer, so 8 senders overcommit the one buffer
 * they share; when it fills, the kernel drops DATA and the senders wait out retransmission timeouts
 * that double each time (over 10 s seen under ThreadSanitizer, SctpT3RtxExpireds climbing).
 * Usage: t_dispatch_order [pool|poller|all] [one-to-one|one-to-many|all] [messages per case]
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "test.h"

#define ASSOCS 8
#define STREAMS 16
#define THREADS 4
#define DRAIN 64

struct msg {
	uint32_t sender, stream, seq;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;      /* main waits for the total */
static pthread_cond_t room = PTHREAD_COND_INITIALIZER;    /* senders wait for their window */
static long total, target, window;                         /* window 0: senders never wait */
static long processed[ASSOCS];
static int senders_waiting;

/* Per (association, stream): the next sequence number. Touched only by whoever holds the socket. */
static uint32_t expect[ASSOCS][STREAMS];
static sctp_assoc_t assoc_of[ASSOCS]; /* one-to-many: the association id each sender arrived on */

struct rx {
	int fd;
	int assoc; /* one-to-one: this socket's association index; -1 on the one-to-many socket */
	struct sctpio_batch *batch; /* used by whoever holds the socket: one thread at a time */
};

static void set_streams(int fd)
{
	struct sctp_initmsg im = { .sinit_num_ostreams = STREAMS, .sinit_max_instreams = STREAMS };
	CHECK(setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im)) == 0);
}

/* Read up to DRAIN messages, then process them: check each against its (association, stream). */
static void serve(struct rx *x)
{
	int n = sctpio_batch_recv(x->batch, x->fd, 1, 0), k = 0;
	long per[ASSOCS] = { 0 };

	CHECK(n > 0 || n == -EAGAIN);
	for (int i = 0; i < n; i++) {
		const struct sctpio_rcvinfo *ri = sctpio_batch_info(x->batch, (size_t)i);
		size_t len;
		const void *data = sctpio_batch_data(x->batch, (size_t)i, &len);
		if (ri->flags & SCTPIO_MSG_NOTIFICATION)
			continue;
		CHECK_EQ(len, sizeof(struct msg));
		struct msg m;
		memcpy(&m, data, sizeof(m));
		k++;
		CHECK(m.sender < ASSOCS);
		CHECK_EQ(m.stream, ri->stream);
		int a = x->assoc;
		if (a < 0) {
			a = (int)m.sender;
			if (!assoc_of[a])
				assoc_of[a] = ri->assoc_id;
			CHECK_EQ(ri->assoc_id, assoc_of[a]);
		} else {
			CHECK_EQ(m.sender, (uint32_t)a);
		}
		if (m.seq != expect[a][m.stream])
			FAIL("association %d stream %u: got %u, expected %u", a, m.stream, m.seq, expect[a][m.stream]);
		expect[a][m.stream]++;
		per[m.sender]++;
	}
	if (k) {
		pthread_mutex_lock(&mu);
		total += k;
		for (int a = 0; a < ASSOCS; a++) /* atomic: senders peek at it without the lock */
			__atomic_fetch_add(&processed[a], per[a], __ATOMIC_RELAXED);
		if (total >= target)
			pthread_cond_broadcast(&cv);
		if (senders_waiting)
			pthread_cond_broadcast(&room);
		pthread_mutex_unlock(&mu);
	}
}

static void on_ready(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	(void)pool;
	(void)fd;
	(void)ready;
	serve(data);
}

static void *worker(void *arg)
{
	struct sctpio_poller *p = arg;
	struct sctpio_poller_event ev;
	int rc;
	while ((rc = sctpio_poller_pop(p, &ev, -1)) == 0) {
		serve(ev.data);
		OK(sctpio_poller_done(p, &ev));
	}
	CHECK_EQ(rc, -ECANCELED);
	return NULL;
}

struct sender {
	int fd, id;
	long count;
};

/* Send everything queued in b, waiting for room as needed. */
static void flush(struct sctpio_batch *b, int fd)
{
	while (sctpio_batch_pending(b)) {
		int n = sctpio_batch_send(b, fd);
		if (n == -EAGAIN)
			wait_fd(fd, POLLOUT, 10000);
		else if (n < 0)
			FAIL("sctpio_batch_send: %s", strerror(-n));
	}
}

static void *sender_main(void *arg)
{
	struct sender *s = arg;
	struct sctpio_batch *b;
	uint32_t seq[STREAMS] = { 0 };
	OK(sctpio_batch_new(&b, STREAMS, sizeof(struct msg)));
	for (long i = 0; i < s->count; i++) {
		if (window && i - __atomic_load_n(&processed[s->id], __ATOMIC_RELAXED) >= window) {
			flush(b, s->fd); /* what waits in the batch counts against the window too */
			struct timespec dl;
			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_sec += 30;
			pthread_mutex_lock(&mu);
			while (i - __atomic_load_n(&processed[s->id], __ATOMIC_RELAXED) >= window) {
				senders_waiting++;
				int rc = pthread_cond_timedwait(&room, &mu, &dl);
				senders_waiting--;
				if (rc == ETIMEDOUT)
					FAIL("sender %d: %ld sent, %ld processed", s->id, i,
					     __atomic_load_n(&processed[s->id], __ATOMIC_RELAXED));
			}
			pthread_mutex_unlock(&mu);
		}
		uint16_t st = (uint16_t)(i % STREAMS);
		struct msg m = { .sender = (uint32_t)s->id, .stream = st, .seq = seq[st]++ };
		struct sctpio_sndinfo si = { .stream = st };
		OK(sctpio_batch_add(b, &m, sizeof(m), &si));
		if (sctpio_batch_pending(b) == STREAMS)
			flush(b, s->fd);
	}
	flush(b, s->fd);
	sctpio_batch_free(b);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_case(int use_poller, int style, long count)
{
	sctpio_addr addr;
	struct rx rx[ASSOCS];
	int cli[ASSOCS], nrx;
	struct sender snd[ASSOCS];
	pthread_t st[ASSOCS], wt[THREADS];
	struct sctpio_pool *pool = NULL;
	struct sctpio_poller *poller = NULL;

	memset(expect, 0, sizeof(expect));
	memset(assoc_of, 0, sizeof(assoc_of));
	memset(processed, 0, sizeof(processed));
	window = style == SCTPIO_ONE_TO_ONE ? 0 : 16;
	total = 0;
	target = count / ASSOCS * ASSOCS;

	OK(sctpio_addr_parse(&addr, "127.0.0.1", 0));
	int l = OK(sctpio_sock_open(AF_INET, style, 0));
	set_streams(l);
	OK(sctpio_sock_bind(l, &addr, 1));
	OK(sctpio_sock_listen(l, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(l, 0, &addr, 1)), 1);
	for (int i = 0; i < ASSOCS; i++) {
		cli[i] = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, SCTPIO_NO_EVENTS));
		set_streams(cli[i]);
		int rc = sctpio_sock_connect(cli[i], &addr, 1, NULL);
		CHECK(rc == 0 || rc == -EINPROGRESS);
		wait_fd(cli[i], POLLOUT, 10000);
		CHECK_EQ(sctpio_sock_error(cli[i]), 0);
		if (style == SCTPIO_ONE_TO_ONE) {
			wait_fd(l, POLLIN, 10000);
			rx[i] = (struct rx){ .fd = OK(sctpio_sock_accept(l, NULL, 0)), .assoc = i };
		}
	}
	if (style == SCTPIO_ONE_TO_ONE) {
		close(l);
		nrx = ASSOCS;
	} else {
		rx[0] = (struct rx){ .fd = l, .assoc = -1 };
		nrx = 1;
	}
	for (int i = 0; i < nrx; i++)
		OK(sctpio_batch_new(&rx[i].batch, DRAIN, 256));

	if (use_poller) {
		OK(sctpio_poller_new(&poller, 1, 0));
		for (int i = 0; i < THREADS; i++)
			CHECK(pthread_create(&wt[i], NULL, worker, poller) == 0);
		for (int i = 0; i < nrx; i++)
			OK(sctpio_poller_add(poller, rx[i].fd, SCTPIO_READY_IN, &rx[i]));
	} else {
		OK(sctpio_pool_new(&pool, THREADS));
		for (int i = 0; i < nrx; i++)
			OK(sctpio_pool_add(pool, rx[i].fd, SCTPIO_READY_IN, on_ready, &rx[i]));
	}

	double t0 = now_s();
	for (int i = 0; i < ASSOCS; i++) {
		snd[i] = (struct sender){ .fd = cli[i], .id = i, .count = count / ASSOCS };
		CHECK(pthread_create(&st[i], NULL, sender_main, &snd[i]) == 0);
	}
	for (int i = 0; i < ASSOCS; i++)
		pthread_join(st[i], NULL);
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 120;
	pthread_mutex_lock(&mu);
	while (total < target)
		if (pthread_cond_timedwait(&cv, &mu, &dl) == ETIMEDOUT)
			FAIL("received %ld of %ld", total, target);
	pthread_mutex_unlock(&mu);
	double secs = now_s() - t0;

	if (use_poller) {
		OK(sctpio_poller_shutdown(poller));
		for (int i = 0; i < THREADS; i++)
			pthread_join(wt[i], NULL);
		OK(sctpio_poller_free(poller));
	} else {
		OK(sctpio_pool_free(pool));
	}
	/* Everything arrived exactly once: each (association, stream) counted up to its share. */
	CHECK_EQ(total, target);
	for (int a = 0; a < ASSOCS; a++)
		for (int s = 0; s < STREAMS; s++)
			CHECK_EQ(expect[a][s], (count / ASSOCS) / STREAMS + ((count / ASSOCS) % STREAMS > s));
	if (style != SCTPIO_ONE_TO_ONE)
		for (int a = 0; a < ASSOCS; a++)
			for (int b = a + 1; b < ASSOCS; b++)
				CHECK(assoc_of[a] != assoc_of[b]);
	printf("%-6s %-11s %ld messages, %d associations x %d streams, %d threads: in order, %.2f s (%.0f msg/s)\n",
	       use_poller ? "poller" : "pool", style == SCTPIO_ONE_TO_ONE ? "one-to-one" : "one-to-many", target,
	       ASSOCS, STREAMS, THREADS, secs, (double)target / secs);
	for (int i = 0; i < ASSOCS; i++)
		close(cli[i]);
	for (int i = 0; i < nrx; i++) {
		close(rx[i].fd);
		sctpio_batch_free(rx[i].batch);
	}
}

int main(int argc, char **argv)
{
	const char *model = argc > 1 ? argv[1] : "all", *style = argc > 2 ? argv[2] : "all";
	long count = argc > 3 ? atol(argv[3]) : 50000;
	CHECK(count >= ASSOCS);
	for (int m = 0; m < 2; m++) {
		if (strcmp(model, "all") && strcmp(model, m ? "poller" : "pool"))
			continue;
		if (!strcmp(style, "all") || !strcmp(style, "one-to-one"))
			run_case(m, SCTPIO_ONE_TO_ONE, count);
		if (!strcmp(style, "all") || !strcmp(style, "one-to-many"))
			run_case(m, SCTPIO_ONE_TO_MANY, count);
	}
	return 0;
}
