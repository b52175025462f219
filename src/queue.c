// SPDX-License-Identifier: MIT
/*
 * queue.c - a bounded multi-producer multi-consumer FIFO of pointers (sctpio/dispatch.h).
 *
 * One mutex and two condition variables. A lock-free ring would save a few nanoseconds per item,
 * but blocked callers must sleep and be woken on close, which needs a futex-like wait anyway, and
 * the dispatch layers above hand over one socket (many messages) per item, so the lock is not where
 * the time goes. The condition variables use CLOCK_MONOTONIC so that a wall-clock step neither
 * shortens nor stretches a timeout.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "internal.h"

#define QUEUE_MAX_CAP ((size_t)1 << 24)

struct sctpio_queue {
	pthread_mutex_t mu;
	pthread_cond_t not_empty;
	pthread_cond_t not_full;
	size_t cap, head, count;
	unsigned pop_waiters, push_waiters; /* signal only when someone sleeps */
	int closed;
	void *items[];
};

int sctpio_queue_new(struct sctpio_queue **out, size_t capacity)
{
	pthread_condattr_t ca;
	struct sctpio_queue *q;

	if (!out || capacity == 0 || capacity > QUEUE_MAX_CAP)
		return -EINVAL;
	q = calloc(1, sizeof(*q) + capacity * sizeof(void *));
	if (!q)
		return -ENOMEM;
	q->cap = capacity;
	pthread_mutex_init(&q->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->not_empty, &ca);
	pthread_cond_init(&q->not_full, &ca);
	pthread_condattr_destroy(&ca);
	*out = q;
	return 0;
}

int sctpio_queue_free(struct sctpio_queue *q)
{
	if (!q)
		return 0;
	/* A thread asleep in push or pop (or woken and not yet out) would touch freed memory. */
	pthread_mutex_lock(&q->mu);
	int busy = q->pop_waiters || q->push_waiters;
	pthread_mutex_unlock(&q->mu);
	if (busy)
		return -EBUSY;
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	pthread_mutex_destroy(&q->mu);
	free(q);
	return 0;
}

/* The absolute CLOCK_MONOTONIC time timeout_ms (> 0) from now. */
static struct timespec deadline_after(int timeout_ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/*
 * Sleep on cv until woken, the deadline passes or (timeout_ms < 0) forever. Returns 0 or -ETIMEDOUT;
 * the caller re-checks its condition either way, since wake-ups may be spurious or stolen.
 */
static int wait_on(pthread_cond_t *cv, pthread_mutex_t *mu, int timeout_ms, const struct timespec *dl)
{
	if (timeout_ms < 0) {
		pthread_cond_wait(cv, mu);
		return 0;
	}
	return pthread_cond_timedwait(cv, mu, dl) == ETIMEDOUT ? -ETIMEDOUT : 0;
}

int sctpio_queue_push(struct sctpio_queue *q, void *item, int timeout_ms)
{
	struct timespec dl = { 0 };
	int rc = 0;

	if (!q)
		return -EINVAL;
	if (timeout_ms > 0)
		dl = deadline_after(timeout_ms);
	pthread_mutex_lock(&q->mu);
	while (!q->closed && q->count == q->cap) {
		if (timeout_ms == 0 || rc == -ETIMEDOUT) {
			rc = timeout_ms == 0 ? -EAGAIN : -ETIMEDOUT;
			goto out;
		}
		q->push_waiters++;
		rc = wait_on(&q->not_full, &q->mu, timeout_ms, &dl);
		q->push_waiters--;
	}
	if (q->closed) {
		rc = -ECANCELED;
		goto out;
	}
	q->items[(q->head + q->count) % q->cap] = item;
	q->count++;
	rc = 0;
	if (q->pop_waiters)
		pthread_cond_signal(&q->not_empty);
out:
	pthread_mutex_unlock(&q->mu);
	return rc;
}

int sctpio_queue_pop(struct sctpio_queue *q, void **item, int timeout_ms)
{
	struct timespec dl = { 0 };
	int rc = 0;

	if (!q || !item)
		return -EINVAL;
	if (timeout_ms > 0)
		dl = deadline_after(timeout_ms);
	pthread_mutex_lock(&q->mu);
	/* Items left at close are still handed out: whoever owns them gets to free them. */
	while (q->count == 0) {
		if (q->closed) {
			rc = -ECANCELED;
			goto out;
		}
		if (timeout_ms == 0 || rc == -ETIMEDOUT) {
			rc = timeout_ms == 0 ? -EAGAIN : -ETIMEDOUT;
			goto out;
		}
		q->pop_waiters++;
		rc = wait_on(&q->not_empty, &q->mu, timeout_ms, &dl);
		q->pop_waiters--;
	}
	*item = q->items[q->head];
	q->head = (q->head + 1) % q->cap;
	q->count--;
	rc = 0;
	if (q->push_waiters)
		pthread_cond_signal(&q->not_full);
out:
	pthread_mutex_unlock(&q->mu);
	return rc;
}

int sctpio_queue_close(struct sctpio_queue *q)
{
	if (!q)
		return -EINVAL;
	pthread_mutex_lock(&q->mu);
	q->closed = 1;
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

size_t sctpio_queue_count(struct sctpio_queue *q)
{
	size_t n;

	if (!q)
		return 0;
	pthread_mutex_lock(&q->mu);
	n = q->count;
	pthread_mutex_unlock(&q->mu);
	return n;
}
