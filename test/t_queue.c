// SPDX-License-Identifier: MIT
/*
 * The bounded MPMC queue: FIFO order and argument checks; a pop times out after its deadline (not
 * before); a push on a full queue blocks until a pop makes room; close wakes every blocked pop and
 * push at once, hands out what is left, then -ECANCELED; 4 producers x 4 consumers x 10,000 items
 * through 8 slots arrive exactly once each, each producer's items in order; free refuses (-EBUSY)
 * while a pop sleeps inside.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <time.h>

#include "test.h"

static void basics(void)
{
	struct sctpio_queue *q;
	void *it;

	CHECK_EQ(sctpio_queue_new(NULL, 4), -EINVAL);
	CHECK_EQ(sctpio_queue_new(&q, 0), -EINVAL);
	OK(sctpio_queue_new(&q, 3));
	CHECK_EQ(sctpio_queue_pop(q, NULL, 0), -EINVAL);
	CHECK_EQ(sctpio_queue_pop(q, &it, 0), -EAGAIN);
	for (uintptr_t i = 1; i <= 3; i++)
		OK(sctpio_queue_push(q, (void *)i, 0));
	CHECK_EQ(sctpio_queue_push(q, (void *)4, 0), -EAGAIN);
	CHECK_EQ(sctpio_queue_count(q), 3);
	for (uintptr_t i = 1; i <= 3; i++) {
		OK(sctpio_queue_pop(q, &it, 0));
		CHECK_EQ((uintptr_t)it, i);
	}
	/* NULL is an item like any other, and the ring wraps. */
	for (int round = 0; round < 5; round++) {
		OK(sctpio_queue_push(q, NULL, 0));
		OK(sctpio_queue_push(q, (void *)7, 0));
		OK(sctpio_queue_pop(q, &it, 0));
		CHECK(it == NULL);
		OK(sctpio_queue_pop(q, &it, 0));
		CHECK_EQ((uintptr_t)it, 7);
	}
	sctpio_queue_free(q);
	sctpio_queue_free(NULL);
}

static void timeouts(void)
{
	struct sctpio_queue *q;
	void *it;

	OK(sctpio_queue_new(&q, 1));
	long long t0 = now_ms();
	CHECK_EQ(sctpio_queue_pop(q, &it, 150), -ETIMEDOUT);
	long long popped = now_ms() - t0;
	CHECK(popped >= 150 && popped < 5000);
	OK(sctpio_queue_push(q, (void *)1, 0));
	t0 = now_ms();
	CHECK_EQ(sctpio_queue_push(q, (void *)2, 100), -ETIMEDOUT);
	long long pushed = now_ms() - t0;
	CHECK(pushed >= 100 && pushed < 5000);
	sctpio_queue_free(q);
	printf("timeouts: pop waited %lld ms for 150, push %lld ms for 100\n", popped, pushed);
}

struct blocked {
	struct sctpio_queue *q;
	int efd;  /* written when the call returned */
	int rc;
	void *item;
	int is_push;
};

static void *blocked_call(void *arg)
{
	struct blocked *b = arg;
	uint64_t one = 1;
	b->rc = b->is_push ? sctpio_queue_push(b->q, b->item, -1) : sctpio_queue_pop(b->q, &b->item, -1);
	CHECK_EQ(write(b->efd, &one, sizeof(one)), sizeof(one));
	return NULL;
}

/* 1 when efd became readable within ms. A deadline, not a sleep: it returns as soon as it fires. */
static int fired(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	int rc = poll(&p, 1, ms);
	CHECK(rc >= 0);
	return rc == 1;
}

struct sleeper {
	struct sctpio_queue *q;
	atomic_int tid;
	int rc;
};

static void *sleeping_pop(void *arg)
{
	struct sleeper *s = arg;
	void *it;
	atomic_store(&s->tid, (int)syscall(SYS_gettid));
	s->rc = sctpio_queue_pop(s->q, &it, -1);
	return NULL;
}

/* Freeing a queue that a thread waits in is refused, not a use after free; after close and join it works. */
static void free_while_waited_on(void)
{
	struct sleeper s = { 0 };
	pthread_t t;

	OK(sctpio_queue_new(&s.q, 2));
	CHECK(pthread_create(&t, NULL, sleeping_pop, &s) == 0);
	while (!atomic_load(&s.tid))
		sched_yield();
	wait_thread_asleep(atomic_load(&s.tid));
	CHECK_EQ(sctpio_queue_free(s.q), -EBUSY);
	OK(sctpio_queue_close(s.q));
	pthread_join(t, NULL);
	CHECK_EQ(s.rc, -ECANCELED);
	CHECK_EQ(sctpio_queue_free(s.q), 0);
	CHECK_EQ(sctpio_queue_free(NULL), 0);
}

static void full_blocks_producer(void)
{
	struct sctpio_queue *q;
	struct blocked b = { .is_push = 1, .item = (void *)3 };
	pthread_t t;
	void *it;

	OK(sctpio_queue_new(&q, 2));
	OK(sctpio_queue_push(q, (void *)1, 0));
	OK(sctpio_queue_push(q, (void *)2, 0));
	b.q = q;
	b.efd = eventfd(0, 0);
	CHECK(pthread_create(&t, NULL, blocked_call, &b) == 0);
	CHECK(!fired(b.efd, 200)); /* still blocked: the queue is full */
	OK(sctpio_queue_pop(q, &it, 0));
	CHECK_EQ((uintptr_t)it, 1);
	CHECK(fired(b.efd, 10000)); /* the pop made room */
	pthread_join(t, NULL);
	CHECK_EQ(b.rc, 0);
	OK(sctpio_queue_pop(q, &it, 0));
	CHECK_EQ((uintptr_t)it, 2);
	OK(sctpio_queue_pop(q, &it, 0));
	CHECK_EQ((uintptr_t)it, 3);
	close(b.efd);
	sctpio_queue_free(q);
}

static void close_wakes_everyone(void)
{
	struct sctpio_queue *q, *full;
	struct blocked b[5];
	pthread_t t[5];
	void *it;

	OK(sctpio_queue_new(&q, 4));
	OK(sctpio_queue_new(&full, 1));
	OK(sctpio_queue_push(full, (void *)9, 0));
	for (int i = 0; i < 5; i++) {
		b[i] = (struct blocked){ .q = i < 4 ? q : full, .is_push = i == 4, .item = (void *)5, .efd = eventfd(0, 0) };
		CHECK(pthread_create(&t[i], NULL, blocked_call, &b[i]) == 0);
	}
	for (int i = 0; i < 5; i++)
		CHECK(!fired(b[i].efd, i == 0 ? 200 : 0)); /* nobody returns on an empty (full) queue */
	long long t0 = now_ms();
	OK(sctpio_queue_close(q));
	OK(sctpio_queue_close(full));
	for (int i = 0; i < 5; i++) {
		CHECK(fired(b[i].efd, 10000));
		pthread_join(t[i], NULL);
		CHECK_EQ(b[i].rc, -ECANCELED);
		close(b[i].efd);
	}
	long long woke = now_ms() - t0;
	/* After close: no more pushes; what was queued is still handed out, then -ECANCELED. */
	CHECK_EQ(sctpio_queue_push(q, (void *)1, -1), -ECANCELED);
	OK(sctpio_queue_pop(full, &it, -1));
	CHECK_EQ((uintptr_t)it, 9);
	CHECK_EQ(sctpio_queue_pop(full, &it, -1), -ECANCELED);
	CHECK_EQ(sctpio_queue_pop(q, &it, 0), -ECANCELED);
	OK(sctpio_queue_close(q)); /* idempotent */
	sctpio_queue_free(q);
	sctpio_queue_free(full);
	printf("close: 4 blocked pops and 1 blocked push woke in %lld ms\n", woke);
}

#define PRODUCERS 4
#define CONSUMERS 4
#define PER_PRODUCER 10000

struct stress {
	struct sctpio_queue *q;
	int id;
	unsigned char *seen; /* PRODUCERS * PER_PRODUCER, each consumer marks what it got */
	long got;
};

static void *producer(void *arg)
{
	struct stress *s = arg;
	for (uintptr_t i = 0; i < PER_PRODUCER; i++)
		OK(sctpio_queue_push(s->q, (void *)((uintptr_t)s->id << 24 | i), -1));
	return NULL;
}

static void *consumer(void *arg)
{
	struct stress *s = arg;
	long last[PRODUCERS];
	void *it;
	int rc;

	for (int i = 0; i < PRODUCERS; i++)
		last[i] = -1;
	while ((rc = sctpio_queue_pop(s->q, &it, -1)) == 0) {
		uintptr_t v = (uintptr_t)it;
		int prod = (int)(v >> 24);
		long seq = (long)(v & 0xffffff);
		CHECK(prod < PRODUCERS && seq < PER_PRODUCER);
		CHECK(seq > last[prod]); /* one queue: each producer's items come out in its order */
		last[prod] = seq;
		CHECK_EQ(__atomic_exchange_n(&s->seen[prod * PER_PRODUCER + seq], 1, __ATOMIC_RELAXED), 0);
		s->got++;
	}
	CHECK_EQ(rc, -ECANCELED);
	return NULL;
}

static void stress(void)
{
	struct sctpio_queue *q;
	struct stress p[PRODUCERS], c[CONSUMERS];
	pthread_t pt[PRODUCERS], ct[CONSUMERS];
	unsigned char *seen = calloc(PRODUCERS * PER_PRODUCER, 1);
	long total = 0;

	CHECK(seen);
	OK(sctpio_queue_new(&q, 8));
	long long t0 = now_ms();
	for (int i = 0; i < CONSUMERS; i++) {
		c[i] = (struct stress){ .q = q, .id = i, .seen = seen };
		CHECK(pthread_create(&ct[i], NULL, consumer, &c[i]) == 0);
	}
	for (int i = 0; i < PRODUCERS; i++) {
		p[i] = (struct stress){ .q = q, .id = i };
		CHECK(pthread_create(&pt[i], NULL, producer, &p[i]) == 0);
	}
	for (int i = 0; i < PRODUCERS; i++)
		pthread_join(pt[i], NULL);
	OK(sctpio_queue_close(q)); /* consumers drain what is left, then see -ECANCELED */
	for (int i = 0; i < CONSUMERS; i++) {
		pthread_join(ct[i], NULL);
		total += c[i].got;
	}
	CHECK_EQ(total, PRODUCERS * PER_PRODUCER);
	for (long i = 0; i < PRODUCERS * PER_PRODUCER; i++)
		CHECK_EQ(seen[i], 1);
	printf("stress: %d items through 8 slots in %.0f ms; per consumer %ld %ld %ld %ld\n",
	       PRODUCERS * PER_PRODUCER, now_ms() - t0, c[0].got, c[1].got, c[2].got, c[3].got);
	sctpio_queue_free(q);
	free(seen);
}

int main(void)
{
	basics();
	timeouts();
	full_blocks_producer();
	close_wakes_everyone();
	free_while_waited_on();
	stress();
	return 0;
}
