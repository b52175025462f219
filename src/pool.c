// SPDX-License-Identifier: MIT
/*
 * pool.c - the receiver pool: N threads serving registered sockets' callbacks (sctpio/dispatch.h).
 *
 * Design, and the failure modes it rules out:
 *  - One epoll instance shared by all threads, every socket registered EPOLLONESHOT.
 *    Thundering herd: epoll_wait callers sleep on the instance's wait queue as EXCLUSIVE waiters, so
 *    one readiness change wakes one thread. (EPOLLEXCLUSIVE solves a different case, one socket in
 *    several instances, and cannot be combined with EPOLLONESHOT; one instance per thread with the
 *    sockets spread over them avoids the herd too, but a blocked callback would then stall every
 *    socket of its thread, and a busy socket could not move to an idle thread.)
 *  - epoll_wait takes ONE event. Starvation: a thread that took several ready sockets would serve
 *    them one after the other while the other threads sleep; with one, the rest stay in the kernel's
 *    ready list, and the kernel wakes the next waiter when it leaves items there (ep_done_scan), so
 *    ready work and idle threads are never left apart. The price is one epoll_wait per callback.
 *  - EPOLLONESHOT. Blockage and order: a reported socket is disarmed until its callback returns, so it
 *    is held by exactly one thread; a callback that blocks holds that thread and nothing else, and no
 *    second thread can read the same socket and overtake the first. Re-arming happens after the
 *    callback, never between its read and its processing.
 *  - Registrations live in a table indexed by fd (as in Redis ae.c), and the event carries fd and a
 *    generation number, not a pointer: an event that epoll_wait returned just before the socket was
 *    removed (and perhaps its fd reused) is recognised as stale under the lock and dropped, so no
 *    thread ever follows a pointer to a freed registration.
 * One mutex guards the table and every registration's state. It is never held across a callback.
 *
 * A registration is ARMED (in epoll, or reported and in flight: between epoll_wait returning its
 * event and serve taking the lock, nobody can tell the two apart), RUNNING (serve set `running`),
 * or PARKED (reported while busy[fd], an older removed registration of the same fd, still runs).
 * Who arms it: add (once), serve after the callback, unpark when the older callback returns, and
 * modify while ARMED. modify cannot know whether an event is in flight, so it moves the
 * registration to a new generation before re-arming: an event in flight then carries the old
 * generation and is dropped as stale, and the re-armed one is reported afresh (level-triggered, so
 * nothing is lost). Hence at most one event per registration is ever live, and one callback per fd.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "internal.h"

#define POOL_MAX_THREADS 1024

struct preg {
	int fd;
	uint32_t gen;
	uint32_t want;            /* SCTPIO_READY_IN / SCTPIO_READY_OUT */
	sctpio_pool_cb cb;
	void *data;
	struct pthr *running;     /* the thread running its callback, or NULL */
	int removed;
	int remover_waits;        /* a remover on another thread frees it once the callback returns */
	int parked;               /* reported while an older registration of fd still ran: un-armed,
	                           * re-armed when that one's callback returns (see unpark) */
};

struct pthr {
	struct sctpio_pool *pool;
	pthread_t tid;
	pthread_t self;           /* set by the thread itself, under the lock, so reading it is race-free */
	int started;
	struct preg *waiting_on;  /* the registration whose callback this thread waits for (remove) */
	uint64_t wakeups, callbacks, stale; /* written by this thread only, read atomically by stats */
};

struct sctpio_pool {
	pthread_mutex_t mu;
	pthread_cond_t idle;      /* broadcast when a callback that a remover waits for returns */
	int epfd, wakefd;
	int stopping;
	unsigned removers;        /* removes from outside the pool waiting on `idle`: free waits for them */
	struct sctpio__fdtab tab;  /* struct preg by fd; busy: removed ones whose callback still runs */
	unsigned nthreads;
	struct pthr thr[];
};

static int arm(struct sctpio_pool *pool, struct preg *r, int op)
{
	return sctpio__epoll_arm(pool->epfd, op, r->fd, r->gen, r->want);
}

static struct preg *lookup(struct sctpio_pool *pool, int fd)
{
	return sctpio__fdtab_get(&pool->tab, fd);
}

/* The pool thread the caller is, or NULL. Caller holds the lock. */
static struct pthr *current_thread(struct sctpio_pool *pool)
{
	pthread_t me = pthread_self();
	for (unsigned i = 0; i < pool->nthreads; i++)
		if (pool->thr[i].started && pthread_equal(pool->thr[i].self, me))
			return &pool->thr[i];
	return NULL;
}

static void count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

/*
 * r, removed, no longer runs: the newest registration of its fd (if parked behind it) may now be
 * served, so arm it. Caller holds the lock.
 */
static void unpark(struct sctpio_pool *pool, struct preg *r)
{
	if (sctpio__fdtab_busy(&pool->tab, r->fd) != r)
		return;
	pool->tab.busy[r->fd] = NULL;
	struct preg *n = lookup(pool, r->fd);
	if (n && n->parked && !pool->stopping) {
		n->parked = 0;
		(void)arm(pool, n, EPOLL_CTL_MOD); /* fails only for a closed fd: see serve */
	}
}

/* Run the callback of the socket an event names, then re-arm it (or free it if it was removed). */
static void serve(struct pthr *t, uint64_t key, uint32_t events)
{
	struct sctpio_pool *pool = t->pool;
	int fd = sctpio__key_fd(key);
	struct preg *r;

	pthread_mutex_lock(&pool->mu);
	r = lookup(pool, fd);
	if (!r || r->gen != sctpio__key_gen(key) || pool->stopping) {
		pthread_mutex_unlock(&pool->mu);
		count(&t->stale);
		return;
	}
	if (sctpio__fdtab_busy(&pool->tab, fd)) {
		/* An older registration of fd (removed, then fd added again) still runs its callback. */
		r->parked = 1;
		pthread_mutex_unlock(&pool->mu);
		count(&t->stale);
		return;
	}
	uint32_t ready = sctpio__ready_bits(events);
	if (ready & SCTPIO_READY_OUT)
		r->want &= ~(uint32_t)SCTPIO_READY_OUT; /* one-shot, so an always-writable socket stays quiet */
	r->running = t;
	pthread_mutex_unlock(&pool->mu);

	count(&t->callbacks);
	r->cb(pool, fd, ready, r->data);

	pthread_mutex_lock(&pool->mu);
	r->running = NULL;
	if (r->removed) {
		/* Removed during the callback: by itself (nobody waits) or by a thread that now frees it. */
		unpark(pool, r);
		if (r->remover_waits)
			pthread_cond_broadcast(&pool->idle);
		else
			free(r);
	} else if (!pool->stopping) {
		/* A failure means fd was closed without being removed; it stays registered, un-armed,
		 * until removed, and there is nobody to tell but the next sctpio_pool_modify. */
		(void)arm(pool, r, EPOLL_CTL_MOD);
	}
	pthread_mutex_unlock(&pool->mu);
}

static void *pool_main(void *arg)
{
	struct pthr *t = arg;
	struct sctpio_pool *pool = t->pool;
	struct epoll_event ev;

	pthread_mutex_lock(&pool->mu);
	t->self = pthread_self();
	t->started = 1;
	pthread_mutex_unlock(&pool->mu);
	for (;;) {
		int n = epoll_wait(pool->epfd, &ev, 1, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break; /* EBADF/EINVAL cannot happen while the pool lives; do not spin if they do */
		if (n == 0)
			continue;
		count(&t->wakeups);
		/* The eventfd is level-triggered and never read: every thread sees it and stops. */
		if (ev.data.u64 == SCTPIO__WAKE_KEY)
			break;
		serve(t, ev.data.u64, ev.events);
	}
	return NULL;
}

static void stop_threads(struct sctpio_pool *pool, unsigned n)
{
	uint64_t one = 1;

	pthread_mutex_lock(&pool->mu);
	pool->stopping = 1;
	pthread_mutex_unlock(&pool->mu);
	/* Adding 1 to an eventfd counter that is never read cannot fail or block short of 2^64 - 2 stops. */
	if (write(pool->wakefd, &one, sizeof(one)) < 0) {
		/* Unreachable; nothing better to do than join below. */
	}
	for (unsigned i = 0; i < n; i++)
		pthread_join(pool->thr[i].tid, NULL);
}

static void destroy(struct sctpio_pool *pool)
{
	sctpio__fdtab_free(&pool->tab);
	if (pool->epfd >= 0)
		close(pool->epfd);
	if (pool->wakefd >= 0)
		close(pool->wakefd);
	pthread_cond_destroy(&pool->idle);
	pthread_mutex_destroy(&pool->mu);
	free(pool);
}

int sctpio_pool_new(struct sctpio_pool **out, unsigned threads)
{
	struct sctpio_pool *pool;
	sigset_t all, old;
	unsigned i;
	int rc = 0;

	if (!out || threads == 0 || threads > POOL_MAX_THREADS)
		return -EINVAL;
	pool = calloc(1, sizeof(*pool) + threads * sizeof(pool->thr[0]));
	if (!pool)
		return -ENOMEM;
	pthread_mutex_init(&pool->mu, NULL);
	pthread_cond_init(&pool->idle, NULL);
	pool->nthreads = threads;
	rc = sctpio__epoll_open(&pool->epfd, &pool->wakefd);
	if (rc < 0) {
		destroy(pool);
		return rc;
	}

	/* Pool threads block every signal so that the application's handlers run on its own threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < threads; i++) {
		pool->thr[i].pool = pool;
		rc = -pthread_create(&pool->thr[i].tid, NULL, pool_main, &pool->thr[i]);
		if (rc)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		stop_threads(pool, i);
		destroy(pool);
		return rc;
	}
	*out = pool;
	return 0;
}

int sctpio_pool_free(struct sctpio_pool *pool)
{
	if (!pool)
		return 0;
	pthread_mutex_lock(&pool->mu);
	struct pthr *me = current_thread(pool);
	pthread_mutex_unlock(&pool->mu);
	if (me)
		return -EDEADLK;
	stop_threads(pool, pool->nthreads);
	/* The callbacks have returned, but a remove that waited for one may not have woken yet: it
	 * still needs the lock and the condition variable. */
	pthread_mutex_lock(&pool->mu);
	while (pool->removers)
		pthread_cond_wait(&pool->idle, &pool->mu);
	pthread_mutex_unlock(&pool->mu);
	destroy(pool);
	return 0;
}

int sctpio_pool_add(struct sctpio_pool *pool, int fd, uint32_t events, sctpio_pool_cb cb, void *data)
{
	struct preg *r;
	int rc;

	if (!pool || !cb || fd < 0 || !sctpio__events_valid(events))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->fd = fd;
	r->want = events;
	r->cb = cb;
	r->data = data;
	pthread_mutex_lock(&pool->mu);
	rc = pool->stopping ? -ECANCELED : sctpio__fdtab_grow(&pool->tab, fd);
	if (!rc && pool->tab.slots[fd])
		rc = -EEXIST;
	if (!rc) {
		/* A fresh generation makes events of an earlier registration of this fd stale. */
		r->gen = ++pool->tab.next_gen;
		rc = arm(pool, r, EPOLL_CTL_ADD);
	}
	if (!rc)
		pool->tab.slots[fd] = r; /* before the unlock: a thread that got the event waits for the lock */
	pthread_mutex_unlock(&pool->mu);
	if (rc)
		free(r);
	return rc;
}

int sctpio_pool_modify(struct sctpio_pool *pool, int fd, uint32_t events)
{
	struct preg *r;
	int rc = 0;

	if (!pool || !sctpio__events_valid(events))
		return -EINVAL;
	pthread_mutex_lock(&pool->mu);
	r = lookup(pool, fd);
	if (!r) {
		rc = -ENOENT;
	} else {
		r->want = events;
		/* Armed (or in flight): re-arm under a new generation, so that an event already taken by
		 * epoll_wait is stale. Running or parked: the re-arm after the callback applies it. */
		if (!r->running && !r->parked) {
			r->gen = ++pool->tab.next_gen;
			rc = arm(pool, r, EPOLL_CTL_MOD);
		}
	}
	pthread_mutex_unlock(&pool->mu);
	return rc;
}

/*
 * Would the calling pool thread `me` wait forever for r's callback? It does when r's thread waits
 * (in a remove) for a callback whose thread waits ... for a callback that `me` runs. The chain is
 * at most one link per thread long. Caller holds the lock.
 */
static int would_deadlock(struct sctpio_pool *pool, struct pthr *me, struct preg *r)
{
	for (unsigned i = 0; me && r && r->running && i <= pool->nthreads; i++) {
		if (r->running == me)
			return 1;
		r = r->running->waiting_on;
	}
	return 0;
}

int sctpio_pool_remove(struct sctpio_pool *pool, int fd)
{
	struct preg *r;
	struct pthr *me;

	if (!pool)
		return -EINVAL;
	pthread_mutex_lock(&pool->mu);
	r = lookup(pool, fd);
	if (!r) {
		pthread_mutex_unlock(&pool->mu);
		return -ENOENT;
	}
	me = current_thread(pool);
	if (r->running && r->running != me && would_deadlock(pool, me, r)) {
		pthread_mutex_unlock(&pool->mu);
		return -EDEADLK;
	}
	pool->tab.slots[fd] = NULL;
	r->removed = 1;
	/* Fails with EBADF/ENOENT when fd was closed first; the table entry was all that was left. */
	(void)epoll_ctl(pool->epfd, EPOLL_CTL_DEL, fd, NULL);
	if (r->running)
		pool->tab.busy[fd] = r; /* a new registration of fd waits until this callback returns */
	if (!r->running) {
		free(r);
	} else if (r->running != me) {
		r->remover_waits = 1;
		if (me)
			me->waiting_on = r;
		else
			pool->removers++;
		while (r->running)
			pthread_cond_wait(&pool->idle, &pool->mu);
		if (me)
			me->waiting_on = NULL;
		else if (--pool->removers == 0 && pool->stopping)
			pthread_cond_broadcast(&pool->idle); /* sctpio_pool_free waits for the last one */
		free(r);
	}
	/* else: removed from its own callback, which frees it after returning. */
	pthread_mutex_unlock(&pool->mu);
	return 0;
}

int sctpio_pool_stats(const struct sctpio_pool *pool, unsigned thread, struct sctpio_pool_stats *out)
{
	if (!pool || !out || thread >= pool->nthreads)
		return -EINVAL;
	const struct pthr *t = &pool->thr[thread];
	*out = (struct sctpio_pool_stats){ 0 };
	out->wakeups = __atomic_load_n(&t->wakeups, __ATOMIC_RELAXED);
	out->callbacks = __atomic_load_n(&t->callbacks, __ATOMIC_RELAXED);
	out->stale = __atomic_load_n(&t->stale, __ATOMIC_RELAXED);
	return 0;
}
