// SPDX-License-Identifier: MIT
/*
 * poller.c - epoll threads that hand ready sockets to the caller's workers through a bounded queue
 * (sctpio/dispatch.h).
 *
 * A registration is in one of three states, all under the poller's mutex:
 *   ARMED  - in epoll, EPOLLONESHOT; the kernel reports it at most once, to one epoll thread. Up to
 *            POLLER_BATCH events that epoll_wait already returned are in flight while their
 *            registrations still read ARMED, so modify re-arms under a new generation: the event in
 *            flight becomes stale and is dropped by produce, and the kernel reports it afresh.
 *            `parked` marks one reported while busy[fd] (an older removed registration of the same
 *            fd) was still held: it is left un-armed until that one's done re-arms it (unpark).
 *   QUEUED - reported and disarmed; its pointer is (or is about to be) in the queue;
 *   HELD   - popped by a worker; sctpio_poller_done re-arms it (ARMED again) or frees it if removed.
 * So a socket is in the queue at most once and held by at most one worker: the order in which one
 * worker reads and processes a socket's messages cannot be overtaken by another worker, because
 * nobody else can read that socket until done has been called.
 *
 * Who frees a removed registration: remove itself when it was ARMED; the pop (or the epoll thread,
 * or free) that meets it when it was QUEUED; done when its holder removed it; the remover, after
 * waiting for done, when another thread held it. epoll events carry fd and a generation, looked up
 * in a table under the lock (see pool.c), so no event ever leads to a freed registration.
 *
 * A full queue: the epoll thread blocks in sctpio_queue_push. Nothing is lost: the socket it holds is
 * disarmed (no duplicate can be produced) and the others stay in the kernel's ready list.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define POLLER_MAX_THREADS 64
#define POLLER_BATCH 64       /* events per epoll_wait: epoll threads run no user code, so take many */

enum { ARMED, QUEUED, HELD };

struct qreg {
	int fd;
	uint32_t gen;
	uint32_t want;
	void *data;
	int state;
	int removed;
	int remover_waits;
	uint32_t ready;
	int parked;
	pthread_t holder;
	struct qreg *hprev, *hnext; /* the list of held registrations, for free's self-check */
};

/* A remove waiting for a held socket; on the waiter's stack, linked while it waits. */
struct waitrec {
	pthread_t thread;
	struct qreg *target;
	struct waitrec *next;
};

struct sctpio_poller {
	pthread_mutex_t mu;
	pthread_cond_t changed;   /* a socket was given back or a pop left: removers and free wait on it */
	unsigned sleepers;        /* threads waiting on `changed` */
	int epfd, wakefd;
	int stopping;
	unsigned held, calls;     /* sockets held by workers; pops and waiting removes in progress */
	struct qreg *held_list;
	struct waitrec *waits;
	struct sctpio__fdtab tab;  /* struct qreg by fd */
	struct sctpio_queue *q;
	unsigned nthreads, started;
	pthread_t thr[];
};

static int arm(struct sctpio_poller *p, struct qreg *r, int op)
{
	return sctpio__epoll_arm(p->epfd, op, r->fd, r->gen, r->want);
}

static struct qreg *lookup(struct sctpio_poller *p, int fd)
{
	return sctpio__fdtab_get(&p->tab, fd);
}

static void wake_sleepers(struct sctpio_poller *p)
{
	if (p->sleepers)
		pthread_cond_broadcast(&p->changed);
}

/*
 * r, removed, is no longer held: the newest registration of its fd (if parked behind it) may now be
 * reported, so arm it. Caller holds the lock.
 */
static void unpark(struct sctpio_poller *p, struct qreg *r)
{
	if (sctpio__fdtab_busy(&p->tab, r->fd) != r)
		return;
	p->tab.busy[r->fd] = NULL;
	struct qreg *n = lookup(p, r->fd);
	if (n && n->parked && !p->stopping) {
		n->parked = 0;
		(void)arm(p, n, EPOLL_CTL_MOD); /* fails only for a closed fd, reported by nobody */
	}
}

/* Queue the socket an event names. Returns -ECANCELED once the poller is shutting down. */
static int produce(struct sctpio_poller *p, uint64_t key, uint32_t events)
{
	int fd = sctpio__key_fd(key);
	struct qreg *r;
	int rc;

	pthread_mutex_lock(&p->mu);
	if (p->stopping) {
		pthread_mutex_unlock(&p->mu);
		return -ECANCELED;
	}
	r = lookup(p, fd);
	if (!r || r->gen != sctpio__key_gen(key)) {
		pthread_mutex_unlock(&p->mu);
		return 0; /* stale: removed or modified after epoll_wait returned it */
	}
	if (sctpio__fdtab_busy(&p->tab, fd)) {
		r->parked = 1; /* an older registration of fd is still held */
		pthread_mutex_unlock(&p->mu);
		return 0;
	}
	r->state = QUEUED;
	r->ready = sctpio__ready_bits(events);
	if (r->ready & SCTPIO_READY_OUT)
		r->want &= ~(uint32_t)SCTPIO_READY_OUT; /* one-shot: see sctpio/dispatch.h */
	pthread_mutex_unlock(&p->mu);

	/* Outside the lock: a full queue blocks this thread, never the workers that make room. */
	rc = sctpio_queue_push(p->q, r, -1);
	if (rc < 0) {
		pthread_mutex_lock(&p->mu);
		if (r->removed)
			free(r); /* removed while QUEUED: the queue would have freed it, and it never got there */
		else
			r->state = ARMED; /* not in epoll any more; free() frees it from the table */
		pthread_mutex_unlock(&p->mu);
	}
	return rc;
}

static void *poller_main(void *arg)
{
	struct sctpio_poller *p = arg;
	struct epoll_event evs[POLLER_BATCH];

	for (;;) {
		int n = epoll_wait(p->epfd, evs, POLLER_BATCH, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		for (int i = 0; i < n; i++) {
			/* The eventfd is level-triggered and never read, so every epoll thread sees it. */
			if (evs[i].data.u64 == SCTPIO__WAKE_KEY || produce(p, evs[i].data.u64, evs[i].events) < 0)
				return NULL;
		}
	}
}

int sctpio_poller_shutdown(struct sctpio_poller *p)
{
	uint64_t one = 1;

	if (!p)
		return -EINVAL;
	pthread_mutex_lock(&p->mu);
	p->stopping = 1;
	pthread_mutex_unlock(&p->mu);
	sctpio_queue_close(p->q); /* wakes every pop, and an epoll thread blocked on a full queue */
	if (write(p->wakefd, &one, sizeof(one)) < 0) {
		/* Cannot fail: the counter is never read and stays far below its limit. */
	}
	return 0;
}

static void destroy(struct sctpio_poller *p)
{
	void *item;

	/* Registrations removed while queued are only in the queue; the others are in the table. */
	while (p->q && sctpio_queue_pop(p->q, &item, 0) == 0) {
		struct qreg *r = item;
		if (r->removed)
			free(r);
	}
	sctpio__fdtab_free(&p->tab);
	(void)sctpio_queue_free(p->q); /* every pop has left: free waited for them */
	if (p->epfd >= 0)
		close(p->epfd);
	if (p->wakefd >= 0)
		close(p->wakefd);
	pthread_cond_destroy(&p->changed);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int sctpio_poller_new(struct sctpio_poller **out, unsigned threads, size_t queue_cap)
{
	struct sctpio_poller *p;
	sigset_t all, old;
	int rc;

	if (!out || threads == 0 || threads > POLLER_MAX_THREADS)
		return -EINVAL;
	p = calloc(1, sizeof(*p) + threads * sizeof(p->thr[0]));
	if (!p)
		return -ENOMEM;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->changed, NULL);
	p->nthreads = threads;
	rc = sctpio__epoll_open(&p->epfd, &p->wakefd);
	if (rc >= 0)
		rc = sctpio_queue_new(&p->q, queue_cap ? queue_cap : 1024);
	if (rc < 0) {
		destroy(p);
		return rc;
	}

	/* Epoll threads block every signal so that the application's handlers run on its threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (rc = 0; p->started < threads; p->started++) {
		rc = -pthread_create(&p->thr[p->started], NULL, poller_main, p);
		if (rc)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		sctpio_poller_shutdown(p);
		for (unsigned i = 0; i < p->started; i++)
			pthread_join(p->thr[i], NULL);
		destroy(p);
		return rc;
	}
	*out = p;
	return 0;
}

int sctpio_poller_free(struct sctpio_poller *p)
{
	pthread_t me = pthread_self();

	if (!p)
		return 0;
	pthread_mutex_lock(&p->mu);
	for (struct qreg *r = p->held_list; r; r = r->hnext) {
		if (pthread_equal(r->holder, me)) {
			pthread_mutex_unlock(&p->mu);
			return -EDEADLK; /* we would wait for our own sctpio_poller_done */
		}
	}
	pthread_mutex_unlock(&p->mu);
	sctpio_poller_shutdown(p);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->thr[i], NULL);
	pthread_mutex_lock(&p->mu);
	p->sleepers++;
	while (p->held || p->calls)
		pthread_cond_wait(&p->changed, &p->mu);
	p->sleepers--;
	pthread_mutex_unlock(&p->mu);
	destroy(p);
	return 0;
}

int sctpio_poller_add(struct sctpio_poller *p, int fd, uint32_t events, void *data)
{
	struct qreg *r;
	int rc;

	if (!p || fd < 0 || !sctpio__events_valid(events))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->fd = fd;
	r->want = events;
	r->data = data;
	r->state = ARMED;
	pthread_mutex_lock(&p->mu);
	rc = p->stopping ? -ECANCELED : sctpio__fdtab_grow(&p->tab, fd);
	if (!rc && p->tab.slots[fd])
		rc = -EEXIST;
	if (!rc) {
		r->gen = ++p->tab.next_gen;
		rc = arm(p, r, EPOLL_CTL_ADD);
	}
	if (!rc)
		p->tab.slots[fd] = r;
	pthread_mutex_unlock(&p->mu);
	if (rc)
		free(r);
	return rc;
}

int sctpio_poller_modify(struct sctpio_poller *p, int fd, uint32_t events)
{
	struct qreg *r;
	int rc = 0;

	if (!p || !sctpio__events_valid(events))
		return -EINVAL;
	pthread_mutex_lock(&p->mu);
	r = lookup(p, fd);
	if (!r) {
		rc = -ENOENT;
	} else {
		r->want = events;
		/* ARMED (perhaps in flight): a new generation makes the event in flight stale. QUEUED,
		 * HELD or parked: the re-arm in done or unpark applies it. */
		if (r->state == ARMED && !r->parked && !p->stopping) {
			r->gen = ++p->tab.next_gen;
			rc = arm(p, r, EPOLL_CTL_MOD);
		}
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/*
 * Would the caller (me) wait forever for r's holder? It does when the holder waits in a remove for
 * a socket whose holder waits ... for a socket that `me` holds. Caller holds the lock.
 */
static int would_deadlock(struct sctpio_poller *p, struct qreg *r, pthread_t me)
{
	unsigned hops = 0, nwaits = 0;

	for (struct waitrec *w = p->waits; w; w = w->next)
		nwaits++;
	while (r && r->state == HELD && hops++ <= nwaits) {
		struct waitrec *w = p->waits;
		if (pthread_equal(r->holder, me))
			return 1;
		while (w && !pthread_equal(w->thread, r->holder))
			w = w->next;
		if (!w)
			return 0; /* the holder is not waiting: it will give r back */
		r = w->target;
	}
	return 0;
}

int sctpio_poller_remove(struct sctpio_poller *p, int fd)
{
	pthread_t me = pthread_self();
	struct qreg *r;

	if (!p)
		return -EINVAL;
	pthread_mutex_lock(&p->mu);
	r = lookup(p, fd);
	if (!r) {
		pthread_mutex_unlock(&p->mu);
		return -ENOENT;
	}
	int mine = r->state == HELD && pthread_equal(r->holder, me);
	if (r->state == HELD && !mine && would_deadlock(p, r, me)) {
		pthread_mutex_unlock(&p->mu);
		return -EDEADLK;
	}
	p->tab.slots[fd] = NULL;
	r->removed = 1;
	/* Fails with EBADF/ENOENT when fd was closed first; the table entry was all that was left. */
	(void)epoll_ctl(p->epfd, EPOLL_CTL_DEL, fd, NULL);
	if (r->state == HELD)
		p->tab.busy[fd] = r; /* a new registration of fd waits until this one is given back */
	if (r->state == ARMED) {
		free(r);
	} else if (r->state == HELD && !mine) {
		struct waitrec w = { .thread = me, .target = r, .next = p->waits };
		r->remover_waits = 1;
		p->waits = &w;
		p->sleepers++;
		p->calls++; /* free waits until this remove has left */
		while (r->state == HELD)
			pthread_cond_wait(&p->changed, &p->mu);
		p->calls--;
		wake_sleepers(p);
		p->sleepers--;
		struct waitrec **pp = &p->waits;
		while (*pp != &w)
			pp = &(*pp)->next;
		*pp = w.next;
		free(r);
	}
	/* QUEUED: freed by whoever takes it out of the queue. HELD by me: freed by my done. */
	pthread_mutex_unlock(&p->mu);
	return 0;
}

/* Milliseconds left until dl, rounded up so that a wait never ends just short of it. */
static int ms_left(const struct timespec *dl)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ns = (int64_t)(dl->tv_sec - now.tv_sec) * 1000000000 + (dl->tv_nsec - now.tv_nsec);
	return ns <= 0 ? 0 : (int)((ns + 999999) / 1000000);
}

int sctpio_poller_pop(struct sctpio_poller *p, struct sctpio_poller_event *ev, int timeout_ms)
{
	struct timespec dl = { 0 };
	void *item;
	int rc;

	if (!p || !ev)
		return -EINVAL;
	if (timeout_ms > 0) {
		clock_gettime(CLOCK_MONOTONIC, &dl);
		dl.tv_sec += timeout_ms / 1000;
		dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (dl.tv_nsec >= 1000000000L) {
			dl.tv_sec++;
			dl.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&p->mu);
	if (p->stopping) {
		pthread_mutex_unlock(&p->mu);
		return -ECANCELED;
	}
	p->calls++; /* free waits for this pop to leave before it frees the queue */
	pthread_mutex_unlock(&p->mu);
	for (;;) {
		rc = sctpio_queue_pop(p->q, &item, timeout_ms > 0 ? ms_left(&dl) : timeout_ms);
		if (rc == -EAGAIN && timeout_ms > 0)
			rc = -ETIMEDOUT;
		pthread_mutex_lock(&p->mu);
		if (rc < 0)
			break;
		struct qreg *r = item;
		if (r->removed) {
			free(r); /* removed while it waited in the queue */
			pthread_mutex_unlock(&p->mu);
			continue;
		}
		if (p->stopping) {
			r->state = ARMED; /* stays in the table; free() frees it */
			rc = -ECANCELED;
			break;
		}
		r->state = HELD;
		r->holder = pthread_self();
		r->hprev = NULL;
		r->hnext = p->held_list;
		if (r->hnext)
			r->hnext->hprev = r;
		p->held_list = r;
		p->held++;
		*ev = (struct sctpio_poller_event){ 0 };
		ev->fd = r->fd;
		ev->ready = r->ready;
		ev->data = r->data;
		ev->hold = (uintptr_t)r;
		break;
	}
	p->calls--;
	wake_sleepers(p);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int sctpio_poller_done(struct sctpio_poller *p, struct sctpio_poller_event *ev)
{
	struct qreg *r;
	int rc = 0;

	if (!p || !ev || !ev->hold)
		return -EINVAL;
	r = (struct qreg *)ev->hold;
	ev->hold = 0;
	pthread_mutex_lock(&p->mu);
	if (r->state != HELD) {
		pthread_mutex_unlock(&p->mu);
		return -EINVAL;
	}
	if (r->hprev)
		r->hprev->hnext = r->hnext;
	else
		p->held_list = r->hnext;
	if (r->hnext)
		r->hnext->hprev = r->hprev;
	r->state = ARMED;
	p->held--;
	if (r->removed) {
		unpark(p, r);
		if (!r->remover_waits)
			free(r); /* removed by its holder: nobody else will */
	} else if (!p->stopping) {
		/* Re-armed only now, after the worker processed what it read: this is what keeps order. */
		rc = arm(p, r, EPOLL_CTL_MOD);
	}
	wake_sleepers(p);
	pthread_mutex_unlock(&p->mu);
	return rc;
}
