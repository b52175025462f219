// SPDX-License-Identifier: MIT
/*
 * batch.h's thread rule under real contention: four threads call sctpio_batch_add, _send, _drop and
 * _recv on ONE container at random, as fast as they can (no SCTP needed: recvmmsg and sendmmsg work on
 * AF_UNIX SOCK_SEQPACKET pairs). Every call must return one of the values the header lists for it;
 * -EBUSY must leave the container untouched, and a call that did not get -EBUSY must have run alone.
 * Checked by the messages themselves: each thread numbers its own, the reader on the far end sees
 * every thread's numbers rise with none twice and none it did not add, and
 * added = sent + dropped + still queued, sent = read. -EBUSY must really have happened.
 * Usage: t_batch_busy [SECONDS] (default 1; it goes on until contention was seen, at most 20 s).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "test.h"

enum { THREADS = 4, SLOTS = 16, CAP = 32, FEED = 2000 };

static struct sctpio_batch *b;
static int out[2], in[2]; /* out[0]: sendmmsg writes here, read from out[1]; in[1] feeds recv on in[0] */
static atomic_int stop;
static atomic_long added, sent, dropped, received, busy, calls;

struct worker {
	int id;
	unsigned seed;
	long next; /* the sequence number of this thread's next message */
};

static void *work(void *arg)
{
	struct worker *w = arg;
	char m[CAP];
	while (!atomic_load(&stop)) {
		int rc = 0; /* a round that skips its call (case 6 most of the time) counts as not busy */
		atomic_fetch_add(&calls, 1);
		switch (rand_r(&w->seed) % 8) {
		case 0: case 1: case 2: case 3: { /* add the next message of this thread */
			int n = snprintf(m, sizeof(m), "%d:%ld", w->id, w->next);
			rc = sctpio_batch_add(b, m, (size_t)n, NULL);
			if (rc >= 0) {
				if (rc >= SLOTS)
					FAIL("add returned slot %d of %d", rc, SLOTS);
				w->next++;
				atomic_fetch_add(&added, 1);
			} else if (rc != -EBUSY && rc != -ENOBUFS) {
				FAIL("add: %d (%s)", rc, strerror(-rc));
			}
			break;
		}
		case 4: case 5: /* send what is queued */
			rc = sctpio_batch_send(b, out[0]);
			if (rc > 0) {
				if (rc > SLOTS)
					FAIL("send returned %d of %d slots", rc, SLOTS);
				atomic_fetch_add(&sent, rc);
			} else if (rc != 0 && rc != -EBUSY && rc != -EAGAIN) {
				FAIL("send: %d (%s)", rc, strerror(-rc));
			}
			break;
		case 6: /* drop the first queued message, now and then */
			if (rand_r(&w->seed) % 8)
				break;
			rc = sctpio_batch_drop(b);
			if (rc >= 0) {
				if (rc >= SLOTS)
					FAIL("drop returned slot %d", rc);
				atomic_fetch_add(&dropped, 1);
			} else if (rc != -EBUSY && rc != -ENOENT) {
				FAIL("drop: %d (%s)", rc, strerror(-rc));
			}
			break;
		case 7: /* receive from the feed: only allowed while nothing is queued */
			rc = sctpio_batch_recv(b, in[0], 1, 0);
			if (rc > 0) {
				if (rc > SLOTS)
					FAIL("recv returned %d of %d slots", rc, SLOTS);
				atomic_fetch_add(&received, rc);
			} else if (rc != -EBUSY && rc != -EAGAIN && rc != -ENOTEMPTY) {
				FAIL("recv: %d (%s)", rc, strerror(-rc));
			}
			break;
		}
		if (rc == -EBUSY)
			atomic_fetch_add(&busy, 1);
	}
	return NULL;
}

/* The far end: every message is "thread:seq", each thread's numbers strictly rising. */
static long last[THREADS];
static long nread;
static atomic_int reader_stop;

static void take(const char *m, ssize_t n, const long *limit)
{
	int t;
	long seq;
	char tail;

	if (n <= 0 || n >= CAP)
		FAIL("read %zd bytes", n);
	char s[CAP];
	memcpy(s, m, (size_t)n);
	s[n] = '\0';
	if (sscanf(s, "%d:%ld%c", &t, &seq, &tail) != 2 || t < 0 || t >= THREADS)
		FAIL("message \"%s\" was never added", s);
	if (seq <= last[t] || (limit && seq >= limit[t]))
		FAIL("thread %d: message %ld after %ld (or never added)", t, seq, last[t]);
	last[t] = seq;
	nread++;
}

static void *reader(void *arg)
{
	char m[CAP];

	(void)arg;
	while (!atomic_load(&reader_stop)) {
		struct pollfd p = { .fd = out[1], .events = POLLIN };
		if (poll(&p, 1, 10) <= 0)
			continue;
		ssize_t n = recv(out[1], m, sizeof(m), MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN)
			continue;
		take(m, n, NULL);
	}
	return NULL;
}

/* A receive waiting inside the container: free refuses (-EBUSY) and frees nothing; after it, 0. */
static atomic_int sleeper_tid;
static int sleeper_rc;

static void *sleeping_recv(void *arg)
{
	atomic_store(&sleeper_tid, (int)syscall(SYS_gettid));
	sleeper_rc = sctpio_batch_recv(arg, in[0], 1, -1);
	return NULL;
}

static void free_while_in_use(void)
{
	struct sctpio_batch *c;
	pthread_t t;
	char m[CAP];

	while (recv(in[0], m, sizeof(m), MSG_DONTWAIT) > 0)
		; /* empty, so the receive waits */
	OK(sctpio_batch_new(&c, 2, CAP));
	CHECK_EQ(pthread_create(&t, NULL, sleeping_recv, c), 0);
	while (!atomic_load(&sleeper_tid))
		sched_yield();
	wait_thread_asleep(atomic_load(&sleeper_tid));
	CHECK_EQ(sctpio_batch_free(c), -EBUSY);
	CHECK_EQ(send(in[1], "wake", 4, 0), 4);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(sleeper_rc, 1);
	CHECK_EQ(sctpio_batch_free(c), 0);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	struct worker w[THREADS];
	pthread_t th[THREADS], rd;

	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, out) == 0);
	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, in) == 0);
	long fed = 0;
	while (fed < FEED && send(in[1], "feed", 4, MSG_DONTWAIT) == 4) /* until its buffer is full */
		fed++;
	for (int i = 0; i < THREADS; i++)
		last[i] = -1;
	OK(sctpio_batch_new(&b, SLOTS, CAP));
	CHECK_EQ(pthread_create(&rd, NULL, reader, NULL), 0);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .id = i, .seed = 12345u + (unsigned)i };
		CHECK_EQ(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	double end = now_ms() + secs * 1000, hard = now_ms() + 20000;
	while (now_ms() < end || (atomic_load(&busy) == 0 && now_ms() < hard))
		usleep(10000); /* the test's duration, not a synchronisation: the threads run meanwhile */
	atomic_store(&stop, 1);
	for (int i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);

	/* Alone now: send the rest (the reader drains), then stop the reader and read what is left. */
	while (sctpio_batch_pending(b)) {
		int rc = sctpio_batch_send(b, out[0]);
		if (rc > 0)
			atomic_fetch_add(&sent, rc);
		else if (rc != -EAGAIN)
			FAIL("final send: %d", rc);
		else
			wait_fd(out[0], POLLOUT, 10000);
	}
	atomic_store(&reader_stop, 1);
	CHECK_EQ(pthread_join(rd, NULL), 0);
	long limit[THREADS];
	for (int i = 0; i < THREADS; i++)
		limit[i] = w[i].next;
	char m[CAP];
	ssize_t n;
	while ((n = recv(out[1], m, sizeof(m), MSG_DONTWAIT)) > 0)
		take(m, n, limit);
	for (int i = 0; i < THREADS; i++)
		CHECK(last[i] < w[i].next);

	printf("%ld calls, %ld -EBUSY; %ld added = %ld sent + %ld dropped; %ld read; %ld received from the feed\n",
	       atomic_load(&calls), atomic_load(&busy), atomic_load(&added), atomic_load(&sent), atomic_load(&dropped),
	       nread, atomic_load(&received));
	CHECK(atomic_load(&busy) > 0);
	CHECK_EQ(atomic_load(&added), atomic_load(&sent) + atomic_load(&dropped));
	CHECK_EQ(nread, atomic_load(&sent));
	/* Everything the feed held was received exactly once: what is left plus what came. */
	long left = 0;
	while (recv(in[0], m, sizeof(m), MSG_DONTWAIT) > 0)
		left++;
	CHECK_EQ(atomic_load(&received) + left, fed);

	/* -EBUSY for reset as well, and reset empties the container. */
	OK(sctpio_batch_add(b, "x", 1, NULL));
	OK(sctpio_batch_reset(b));
	CHECK_EQ(sctpio_batch_pending(b), 0);
	CHECK_EQ(sctpio_batch_count(b), 0);
	free_while_in_use();
	CHECK_EQ(sctpio_batch_free(b), 0);
	CHECK_EQ(sctpio_batch_free(NULL), 0);
	printf("ok\n");
	return 0;
}
