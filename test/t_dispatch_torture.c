// SPDX-License-Identifier: MIT
/*
 * t_dispatch_torture - every promise of sctpio/dispatch.h, attacked by random concurrent calls.
 *
 * Eventfds and AF_UNIX stream socketpairs stand in for sockets (no SCTP needed), mixed in a random
 * proportion each round. An eventfd is always writable; a poke makes it readable, and a callback or
 * worker drains it or leaves it readable. Of a socketpair one end is registered and the other, its
 * peer, is the test's: a poke writes a byte from the peer (readable), a fill writes from the
 * registered end until -EAGAIN with the peer not reading (unwritable: its send buffer is small), and a
 * peer drain reads everything at the peer (writable again). A callback or worker reported IN reads
 * all, a little or nothing; reported OUT it writes a little or nothing (and may make the socket
 * unwritable so). So OUT interest meets writability that comes and goes, as IN meets readability.
 * Control threads poke, fill, drain, add, modify (IN, OUT, both) and remove at random
 * while the pool's callbacks and the poller's workers run; callbacks and holders remove and re-add
 * their own socket, modify it, and remove others; workers pop with random timeouts and sometimes give
 * a socket back twice. Each round ends with a free: plain, or while a remove (pool, poller) or pops
 * (poller) are blocked inside the library. A queue round pushes, pops and closes at random.
 *
 * Checked on every event, not sampled:
 *   - at most one callback or holder per fd at any instant (an atomic count entered and left by each);
 *   - no callback and no pop of a registration after its remove returned 0 (a flag in the
 *     registration's record, set when remove returns, read when a callback starts or a pop returns);
 *   - liveness: a registered fd that wants IN, is readable, and that no callback holds is reported
 *     within BOUND ms (TORTURE_BOUND_MS, 5000 by default) of becoming so — a monitor thread checks it
 *     every 10 ms;
 *   - liveness for OUT, as the header defines it (OUT is one-shot: the first report carrying OUT drops
 *     it from the interest set, until an add or modify asks for it again): a registered fd that asked
 *     for OUT, has not been reported OUT since, is writable, and that no callback holds is reported
 *     within BOUND ms of the latest of the ask, its last callback and its last peer drain — checked
 *     by the same monitor;
 *   - both again at the end of every round's running phase, where they bite: while control threads
 *     run, every fd is modified or drained about every millisecond and a round (0.2-1 s) is shorter
 *     than BOUND, so the monitor's clocks rarely get far. Once they stop, every peer is drained (so
 *     every socket is writable) and the round waits until no fd is owed a report (IN: wanted and
 *     readable; OUT: owed as above and writable); one owed for BOUND ms with no callback or pop begun
 *     fails the run ("settling" in the failure line);
 *   - free returns, having joined everything (a watchdog fails the run when a phase hangs), and no
 *     callback starts after it returned;
 *   - every return value is one the header lists for that call;
 *   - the queue hands out every item exactly once, in order per producer, and after close the items
 *     left, then -ECANCELED.
 *
 * Usage: t_dispatch_torture [SECONDS [SEED]] (or TORTURE_SECONDS, TORTURE_SEED; TORTURE_ONLY=pool,
 * poller or queue runs rounds of one kind; TORTURE_ENDING=free-while-remove makes every round end so,
 * and with TORTURE_POKES_ONLY=1 the round before it only makes fds readable). The seed is printed first and with every failure, so a
 * failing run can be replayed (thread timing still varies).
 */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "test.h"

#define MAXFD 64

static unsigned long long seed;
static int pokes_only, force_ending = -1;
static int64_t bound_ms = 5000;
static _Atomic(const char *) phase = "start";
static atomic_llong phase_ns;

#define TFAIL(...) do { fprintf(stderr, "t_dispatch_torture: seed %llu, %s: ", seed, atomic_load(&phase)); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); _exit(1); } while (0)

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void set_phase(const char *p)
{
	atomic_store(&phase, p);
	atomic_store(&phase_ns, now_ns());
}

/* xorshift64*, one state per thread. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}
static unsigned pick(uint64_t *s, unsigned n) { return (unsigned)(rnd(s) % n); }
static int chance(uint64_t *s, unsigned pct) { return pick(s, 100) < pct; }

static int rc_in(int rc, const int *ok, int n)
{
	for (int i = 0; i < n; i++)
		if (rc == ok[i])
			return 1;
	return 0;
}
#define EXPECT_RC(rc, call, ...) do { const int _ok[] = { __VA_ARGS__ }; \
	if (!rc_in((rc), _ok, (int)(sizeof(_ok) / sizeof(_ok[0])))) \
		TFAIL("%s returned %d (%s), not one the header lists here", call, rc, strerror(-(rc))); } while (0)

/* ---- the model ---------------------------------------------------------------------------------- */

struct rec;

struct fdst {
	int fd;
	int peer;             /* a socketpair's other end, never registered; -1: fd is an eventfd */
	pthread_mutex_t op;   /* serialises the test's own add/modify/remove of this fd and its peer
	                       * drains, and guards: */
	int registered;
	uint32_t want;
	int64_t changed_ns;   /* when registration or want last changed */
	int64_t out_asked_ns; /* when the latest add or modify asking for OUT was called (before it) */
	int64_t drain_ns;     /* when the latest peer drain finished (it may make fd writable) */
	struct rec *cur;
	atomic_int inside;    /* callbacks or holders inside now: never above 1 */
	atomic_llong last_end_ns, poke_ns;
	atomic_llong out_seen_ns; /* when a callback or hold reported OUT last began */
	atomic_ullong served;
};

/* One registration (the data pointer the library hands back); kept until the round ends. */
struct rec {
	struct fdst *f;
	atomic_int removed;   /* set when remove returned 0 */
	struct rec *next;
};

enum model { POOL, POLLER };

static struct {
	enum model model;
	struct sctpio_pool *pool;
	struct sctpio_poller *poller;
	struct fdst f[MAXFD];
	unsigned nfd;
	pthread_mutex_t recs_mu;
	struct rec *recs;
	atomic_int stop_ctl;   /* control threads, pokers and the monitor stop */
	atomic_int stop_work;  /* workers stop (poller) */
	atomic_int freed;      /* the object was freed: no callback may start */
	atomic_ullong adds, mods, removes, self_removes, readds, other_removes, deadlocks, events,
		pops, double_dones, timeouts, socketpairs, fills, peer_drains, out_events, out_writes;
	atomic_llong settle_max_ns;
	/* The blocked-callback scenario at the end of a round. */
	pthread_mutex_t latch_mu;
	pthread_cond_t latch_cv;
	int latch_fd;          /* the fd whose next callback/hold blocks, -1: none */
	int latch_in, latch_open;
	pthread_t latch_thread;
} W;

static struct rec *new_rec(struct fdst *f)
{
	struct rec *r = calloc(1, sizeof(*r));
	if (!r)
		TFAIL("out of memory");
	r->f = f;
	pthread_mutex_lock(&W.recs_mu);
	r->next = W.recs;
	W.recs = r;
	pthread_mutex_unlock(&W.recs_mu);
	return r;
}

static void free_recs(void)
{
	while (W.recs) {
		struct rec *n = W.recs->next;
		free(W.recs);
		W.recs = n;
	}
}

static uint32_t rnd_want(uint64_t *s)
{
	static const uint32_t w[] = { SCTPIO_READY_IN, SCTPIO_READY_IN, SCTPIO_READY_OUT,
				      SCTPIO_READY_IN | SCTPIO_READY_OUT };
	return w[pick(s, 4)];
}

static void pool_cb(struct sctpio_pool *pool, int fd, uint32_t ready, void *data);

/* Register f (caller holds f->op, f is not registered). from_inside: a callback or holder, which may
 * still run after the round's end began a shutdown or free: add then returns -ECANCELED. */
static void ctl_add(struct fdst *f, uint32_t want, int from_inside)
{
	struct rec *r = new_rec(f);
	int64_t asked = now_ns();
	int rc = W.model == POOL ? sctpio_pool_add(W.pool, f->fd, want, pool_cb, r)
				 : sctpio_poller_add(W.poller, f->fd, want, r);
	if (from_inside && atomic_load(&W.stop_ctl))
		EXPECT_RC(rc, "add from inside, during shutdown", 0, -ECANCELED);
	else
		EXPECT_RC(rc, "add", 0);
	if (rc < 0)
		return;
	f->registered = 1;
	f->want = want;
	f->cur = r;
	f->changed_ns = now_ns();
	if (want & SCTPIO_READY_OUT)
		f->out_asked_ns = asked;
	atomic_fetch_add(&W.adds, 1);
}

static void ctl_modify(struct fdst *f, uint32_t want)
{
	/* Read before the call: a report carrying OUT that begins after this time may have consumed
	 * this ask (the monitor then checks nothing), while one that began earlier cannot have. */
	int64_t asked = now_ns();
	int rc = W.model == POOL ? sctpio_pool_modify(W.pool, f->fd, want) : sctpio_poller_modify(W.poller, f->fd, want);
	EXPECT_RC(rc, "modify", 0);
	f->want = want;
	f->changed_ns = now_ns();
	if (want & SCTPIO_READY_OUT)
		f->out_asked_ns = asked;
	atomic_fetch_add(&W.mods, 1);
}

/* Remove f (caller holds f->op, f is registered). from_inside: a callback or holder of ANOTHER fd. */
static int ctl_remove(struct fdst *f, int from_inside)
{
	int rc = W.model == POOL ? sctpio_pool_remove(W.pool, f->fd) : sctpio_poller_remove(W.poller, f->fd);
	if (from_inside)
		EXPECT_RC(rc, "remove (of another fd, from a callback or holder)", 0, -EDEADLK);
	else
		EXPECT_RC(rc, "remove", 0);
	if (rc == 0) {
		atomic_store(&f->cur->removed, 1);
		f->registered = 0;
		f->cur = NULL;
		f->changed_ns = now_ns();
		atomic_fetch_add(&W.removes, 1);
	} else {
		atomic_fetch_add(&W.deadlocks, 1);
	}
	return rc;
}

/* ---- what a callback or a holder does ----------------------------------------------------------- */

/* Reported IN: an eventfd is read to zero; a socket is read to empty, or only a little. */
static void drain(struct fdst *f, uint64_t *s)
{
	char buf[512];
	ssize_t n;

	if (f->peer < 0) {
		uint64_t v;
		if (read(f->fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			TFAIL("read of eventfd %d: %s", f->fd, strerror(errno));
		return;
	}
	int all = chance(s, 70);
	do
		n = read(f->fd, buf, all ? sizeof(buf) : 1 + pick(s, 16));
	while (n > 0 && all);
	if (n == 0)
		TFAIL("socket %d: end of stream, its peer is never closed during a round", f->fd);
	if (n < 0 && errno != EAGAIN)
		TFAIL("read of socket %d: %s", f->fd, strerror(errno));
}

/* Make f readable: the eventfd's counter, or a byte from the peer (-EAGAIN: the peer's send buffer
 * is full, so f is readable already). */
static void make_readable(struct fdst *f)
{
	uint64_t one = 1;
	atomic_store(&f->poke_ns, now_ns());
	if (f->peer < 0) {
		if (write(f->fd, &one, sizeof(one)) != sizeof(one))
			TFAIL("write to eventfd %d: %s", f->fd, strerror(errno));
	} else if (write(f->peer, "p", 1) != 1 && errno != EAGAIN) {
		TFAIL("write to the peer of socket %d: %s", f->fd, strerror(errno));
	}
}

/* Write from socket f's registered end: n bytes once, or (fill) until -EAGAIN, which leaves f
 * unwritable until a peer drain. */
static void write_out(struct fdst *f, size_t n, int fill)
{
	static const char buf[1024];
	ssize_t w;
	do
		w = write(f->fd, buf, n < sizeof(buf) ? n : sizeof(buf));
	while (w > 0 && fill);
	if (w < 0 && errno != EAGAIN)
		TFAIL("write to socket %d: %s", f->fd, strerror(errno));
}

/* Read everything the peer has (caller holds f->op): f may be writable again. */
static void peer_drain(struct fdst *f)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(f->peer, buf, sizeof(buf))) > 0)
		;
	if (n == 0 || errno != EAGAIN)
		TFAIL("read at the peer of socket %d: %s", f->fd, n == 0 ? "end of stream" : strerror(errno));
	f->drain_ns = now_ns();
	atomic_fetch_add(&W.peer_drains, 1);
}

static void latch_wait(int fd)
{
	pthread_mutex_lock(&W.latch_mu);
	if (W.latch_fd == fd && !W.latch_in) {
		W.latch_in = 1;
		W.latch_thread = pthread_self();
		pthread_cond_broadcast(&W.latch_cv);
		while (!W.latch_open)
			pthread_cond_wait(&W.latch_cv, &W.latch_mu);
	}
	pthread_mutex_unlock(&W.latch_mu);
}

/* The body of a callback (pool) or of a hold (poller); self_remove is done by the caller's model. */
static void serve(struct rec *r, int fd, uint32_t ready, uint64_t *s)
{
	struct fdst *f = r->f;

	if (atomic_load(&W.freed))
		TFAIL("fd %d served after free returned", fd);
	if (f->fd != fd)
		TFAIL("registration of fd %d reported as fd %d", f->fd, fd);
	if (atomic_load(&r->removed))
		TFAIL("fd %d served after its remove returned 0", fd);
	if (atomic_fetch_add(&f->inside, 1) != 0)
		TFAIL("fd %d served by two threads at once", fd);
	if (ready & ~(uint32_t)(SCTPIO_READY_IN | SCTPIO_READY_OUT | SCTPIO_READY_ERR | SCTPIO_READY_HUP))
		TFAIL("fd %d: ready 0x%x has unknown bits", fd, ready);
	if (ready & SCTPIO_READY_OUT) {
		atomic_store(&f->out_seen_ns, now_ns());
		atomic_fetch_add(&W.out_events, 1);
	}
	atomic_fetch_add(&W.events, 1);
	atomic_fetch_add(&f->served, 1);
	latch_wait(fd);
	if ((ready & SCTPIO_READY_IN) && chance(s, 70))
		drain(f, s);
	if ((ready & SCTPIO_READY_OUT) && f->peer >= 0 && chance(s, 50)) {
		write_out(f, 1 + pick(s, 1500), 0); /* a little, or (small buffer) enough to fill it */
		atomic_fetch_add(&W.out_writes, 1);
	}
	if (chance(s, 3))
		usleep(pick(s, 2000)); /* a slow callback: it holds its thread and nothing else */
	if (chance(s, 2) && !atomic_load(&W.stop_ctl) && !pokes_only) {
		/* Remove another fd from inside: it may wait for that fd's callback, or deadlock-detect. */
		struct fdst *o = &W.f[pick(s, W.nfd)];
		if (o != f && pthread_mutex_trylock(&o->op) == 0) {
			if (o->registered && ctl_remove(o, 1) == 0)
				atomic_fetch_add(&W.other_removes, 1);
			pthread_mutex_unlock(&o->op);
		}
	}
}

/* From inside f's callback or hold: remove f, perhaps re-add it, or modify it. */
static void self_ops(struct rec *r, uint64_t *s)
{
	struct fdst *f = r->f;
	int rc;

	if (atomic_load(&W.stop_ctl) || pokes_only || pthread_mutex_trylock(&f->op) != 0)
		return;
	if (f->cur != r) { /* removed meanwhile by a control thread (and perhaps re-added) */
		pthread_mutex_unlock(&f->op);
		return;
	}
	if (chance(s, 50)) {
		rc = W.model == POOL ? sctpio_pool_remove(W.pool, f->fd) : sctpio_poller_remove(W.poller, f->fd);
		EXPECT_RC(rc, "remove of its own fd from inside", 0);
		atomic_store(&r->removed, 1);
		f->registered = 0;
		f->cur = NULL;
		f->changed_ns = now_ns();
		atomic_fetch_add(&W.self_removes, 1);
		if (chance(s, 70)) {
			ctl_add(f, rnd_want(s), 1); /* at once, while this callback or hold still runs */
			atomic_fetch_add(&W.readds, 1);
		}
	} else {
		ctl_modify(f, rnd_want(s));
	}
	pthread_mutex_unlock(&f->op);
}

static void leave(struct fdst *f)
{
	atomic_store(&f->last_end_ns, now_ns());
	atomic_fetch_sub(&f->inside, 1);
}

static __thread uint64_t cb_rng;

static void pool_cb(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	struct rec *r = data;
	(void)pool;
	if (!cb_rng)
		cb_rng = seed ^ (uint64_t)(uintptr_t)&cb_rng ^ 0x9e3779b97f4a7c15ULL;
	serve(r, fd, ready, &cb_rng);
	if (chance(&cb_rng, 10))
		self_ops(r, &cb_rng);
	leave(r->f);
}

static void *worker_main(void *arg)
{
	uint64_t s = seed ^ (uint64_t)(uintptr_t)arg * 0x9e3779b97f4a7c15ULL ^ 0xabcdef;
	while (!atomic_load(&W.stop_work)) {
		static const int tmo[] = { 0, 1, 5, 20, -1 };
		int t = tmo[pick(&s, 5)];
		struct sctpio_poller_event ev = { 0 };
		int rc = sctpio_poller_pop(W.poller, &ev, t);
		if (t == 0)
			EXPECT_RC(rc, "pop (timeout 0)", 0, -EAGAIN, -ECANCELED);
		else if (t > 0)
			EXPECT_RC(rc, "pop (timeout > 0)", 0, -ETIMEDOUT, -ECANCELED);
		else
			EXPECT_RC(rc, "pop (no timeout)", 0, -ECANCELED);
		if (rc == -ECANCELED)
			break;
		if (rc < 0) {
			atomic_fetch_add(&W.timeouts, 1);
			continue;
		}
		struct rec *r = ev.data;
		atomic_fetch_add(&W.pops, 1);
		serve(r, ev.fd, ev.ready, &s);
		if (chance(&s, 10))
			self_ops(r, &s);
		leave(r->f);
		rc = sctpio_poller_done(W.poller, &ev);
		EXPECT_RC(rc, "done", 0);
		if (chance(&s, 2)) {
			rc = sctpio_poller_done(W.poller, &ev);
			EXPECT_RC(rc, "done (a second time)", -EINVAL);
			atomic_fetch_add(&W.double_dones, 1);
		}
	}
	return NULL;
}

/* ---- control, pokes, liveness -------------------------------------------------------------------- */

static void *control_main(void *arg)
{
	uint64_t s = seed ^ ((uint64_t)(uintptr_t)arg + 1) * 0x2545f4914f6cdd1dULL;
	while (!atomic_load(&W.stop_ctl)) {
		struct fdst *f = &W.f[pick(&s, W.nfd)];
		unsigned what = pick(&s, 100);
		if (what < 30 || pokes_only) { /* poke: make readable */
			make_readable(f);
			continue;
		}
		if (what < 36 && f->peer >= 0) { /* fill: make unwritable */
			write_out(f, 1024, 1);
			atomic_fetch_add(&W.fills, 1);
			continue;
		}
		pthread_mutex_lock(&f->op);
		if (what < 45 && f->peer >= 0)
			peer_drain(f); /* writable again */
		else if (!f->registered)
			ctl_add(f, rnd_want(&s), 0);
		else if (what < 85)
			ctl_modify(f, rnd_want(&s)); /* the heavy part: modify while events are in flight */
		else
			ctl_remove(f, 0);
		pthread_mutex_unlock(&f->op);
		if (chance(&s, 5))
			sched_yield();
	}
	return NULL;
}

static void *monitor_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&W.stop_ctl)) {
		usleep(10000); /* a sampling period, not synchronisation: each check is exact on its own */
		for (unsigned i = 0; i < W.nfd; i++) {
			struct fdst *f = &W.f[i];
			if (pthread_mutex_trylock(&f->op) != 0)
				continue;
			if (f->registered && (f->want & SCTPIO_READY_IN) && atomic_load(&f->inside) == 0) {
				struct pollfd p = { .fd = f->fd, .events = POLLIN };
				int64_t start = f->changed_ns, t;
				if ((t = atomic_load(&f->last_end_ns)) > start)
					start = t;
				if ((t = atomic_load(&f->poke_ns)) > start)
					start = t;
				/* Read the clock before poll: readable now means readable since `start` (only
				 * callbacks drain, and none ran since last_end). */
				int64_t now = now_ns();
				if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN) && atomic_load(&f->inside) == 0 &&
				    atomic_load(&f->last_end_ns) <= start && now - start > bound_ms * 1000000)
					TFAIL("fd %d readable and wanting IN for %lld ms, never reported (lost wake-up)",
					      f->fd, (long long)((now - start) / 1000000));
			}
			/* OUT is one-shot: it is owed only while no report carrying OUT began after the ask
			 * (out_asked_ns is read before the add or modify, so this errs towards not checking). */
			if (f->registered && (f->want & SCTPIO_READY_OUT) && atomic_load(&f->inside) == 0 &&
			    atomic_load(&f->out_seen_ns) < f->out_asked_ns) {
				struct pollfd p = { .fd = f->fd, .events = POLLOUT };
				int64_t start = f->changed_ns, t;
				if ((t = atomic_load(&f->last_end_ns)) > start)
					start = t;
				if (f->drain_ns > start)
					start = f->drain_ns;
				/* Writable now means writable since `start`: only a peer drain makes fd writable,
				 * and drains run under f->op, which this thread holds; none ran since drain_ns. */
				int64_t now = now_ns();
				if (poll(&p, 1, 0) == 1 && (p.revents & POLLOUT) && atomic_load(&f->inside) == 0 &&
				    atomic_load(&f->last_end_ns) <= start && atomic_load(&f->out_seen_ns) < f->out_asked_ns &&
				    now - start > bound_ms * 1000000)
					TFAIL("fd %d (%s) writable and wanting OUT for %lld ms, never reported (lost wake-up)",
					      f->fd, f->peer < 0 ? "eventfd" : "socket", (long long)((now - start) / 1000000));
			}
			pthread_mutex_unlock(&f->op);
		}
	}
	return NULL;
}

/* What the library owes f now, or NULL: a report for IN (wanted, readable) or for OUT (asked for, not
 * reported since, writable). Caller holds f->op; only a fd that no callback holds owes anything. */
static const char *owed(struct fdst *f)
{
	struct pollfd p = { .fd = f->fd, .events = POLLIN | POLLOUT };
	const char *why = NULL;

	if (!f->registered || atomic_load(&f->inside) != 0 || poll(&p, 1, 0) != 1)
		return NULL;
	if ((f->want & SCTPIO_READY_IN) && (p.revents & POLLIN))
		why = "readable and wanting IN";
	else if ((f->want & SCTPIO_READY_OUT) && atomic_load(&f->out_seen_ns) < f->out_asked_ns &&
		 (p.revents & POLLOUT))
		why = "writable and owed OUT";
	return atomic_load(&f->inside) == 0 ? why : NULL;
}

/*
 * The end of a round's running phase, with the control threads gone (so no poke, fill, add, modify
 * or remove any more, and callbacks no longer change registrations): drain every peer, so every
 * socket is writable, then wait until nothing is owed. A fd owed at every look for BOUND ms with no
 * report begun (its `served` unchanged) is a lost wake-up. While the pokes and modifies run, the
 * monitor's start times are reset every millisecond or so and rounds are shorter than BOUND; this
 * is where a wake-up the library lost shows, in every round.
 */
static void settle(void)
{
	int64_t since[MAXFD] = { 0 }, t0 = now_ns();
	unsigned long long seen[MAXFD] = { 0 };

	for (unsigned i = 0; i < W.nfd; i++) {
		if (W.f[i].peer >= 0) {
			pthread_mutex_lock(&W.f[i].op);
			peer_drain(&W.f[i]);
			pthread_mutex_unlock(&W.f[i].op);
		}
	}
	for (;;) {
		int any = 0;
		for (unsigned i = 0; i < W.nfd; i++) {
			struct fdst *f = &W.f[i];
			unsigned long long sv = atomic_load(&f->served);
			pthread_mutex_lock(&f->op);
			int64_t now = now_ns();
			const char *why = owed(f);
			pthread_mutex_unlock(&f->op);
			if (!why) {
				since[i] = 0;
				continue;
			}
			any = 1;
			if (!since[i] || seen[i] != sv) {
				since[i] = now;
				seen[i] = sv;
			} else if (now - since[i] > bound_ms * 1000000) {
				TFAIL("fd %d (%s) %s for %lld ms, never reported (lost wake-up)", f->fd,
				      f->peer < 0 ? "eventfd" : "socket", why, (long long)((now - since[i]) / 1000000));
			}
		}
		if (!any)
			break;
		usleep(1000);
	}
	int64_t took = now_ns() - t0;
	if (took > atomic_load(&W.settle_max_ns))
		atomic_store(&W.settle_max_ns, took);
}

static void *watchdog_main(void *arg)
{
	(void)arg;
	for (;;) {
		sleep(1);
		if (now_ns() - atomic_load(&phase_ns) > (bound_ms + 30000) * 1000000LL)
			TFAIL("hung for %lld s", (long long)((now_ns() - atomic_load(&phase_ns)) / 1000000000));
	}
	return NULL;
}

/* ---- a thread blocked inside a call, for the free-while-blocked endings -------------------------- */

struct blocked {
	pthread_t th;
	atomic_int tid;
	atomic_int entering, rc;
	struct fdst *f;
	int pop;      /* 1: pop(-1); 0: remove(f) */
};

/* Wait until the thread has entered its call and sleeps there. */
static void wait_asleep(struct blocked *b)
{
	while (!atomic_load(&b->entering))
		sched_yield();
	wait_thread_asleep(atomic_load(&b->tid));
}

static void *blocked_main(void *arg)
{
	struct blocked *b = arg;
	atomic_store(&b->tid, (int)syscall(SYS_gettid));
	atomic_store(&b->entering, 1);
	if (b->pop) {
		struct sctpio_poller_event ev = { 0 };
		int rc = sctpio_poller_pop(W.poller, &ev, -1);
		atomic_store(&b->rc, rc);
		if (rc == 0)
			EXPECT_RC(sctpio_poller_done(W.poller, &ev), "done during free", 0);
	} else {
		int rc = W.model == POOL ? sctpio_pool_remove(W.pool, b->f->fd) : sctpio_poller_remove(W.poller, b->f->fd);
		atomic_store(&b->rc, rc);
	}
	return NULL;
}

static void *opener_main(void *arg)
{
	(void)arg;
	usleep(20000); /* give free time to reach its wait; correctness does not depend on it */
	pthread_mutex_lock(&W.latch_mu);
	W.latch_open = 1;
	pthread_cond_broadcast(&W.latch_cv);
	pthread_mutex_unlock(&W.latch_mu);
	return NULL;
}

/* ---- one round ---------------------------------------------------------------------------------- */

static void round_dispatch(enum model m, uint64_t *s, double seconds)
{
	unsigned nctl = 1 + pick(s, 3), nthr = 1 + pick(s, 4), nwork = 2 + pick(s, 5);
	pthread_t ctl[4], mon, work[8];
	int ending = pick(s, 3); /* 0: plain free; 1: free while a remove waits; 2 (poller): while pops wait */
	if (force_ending >= 0)
		ending = force_ending;

	memset(&W.f, 0, sizeof(W.f));
	W.model = m;
	W.nfd = 4 + pick(s, MAXFD - 4);
	atomic_store(&W.stop_ctl, 0);
	atomic_store(&W.stop_work, 0);
	atomic_store(&W.freed, 0);
	W.latch_fd = -1;
	W.latch_in = W.latch_open = 0;
	/* A random mix of eventfds and socketpairs, all of one kind in some rounds. */
	unsigned sock_pct = (unsigned[]){ 0, 25, 50, 75, 100 }[pick(s, 5)];
	for (unsigned i = 0; i < W.nfd; i++) {
		struct fdst *f = &W.f[i];
		f->peer = -1;
		if (chance(s, sock_pct)) {
			int sv[2], small = 4096; /* the kernel doubles it: a few KiB fill it */
			if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
				TFAIL("socketpair: %s", strerror(errno));
			if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)) < 0)
				TFAIL("SO_SNDBUF: %s", strerror(errno));
			f->fd = sv[0];
			f->peer = sv[1];
			atomic_fetch_add(&W.socketpairs, 1);
		} else if ((f->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
			TFAIL("eventfd: %s", strerror(errno));
		}
		pthread_mutex_init(&f->op, NULL);
	}
	set_phase(m == POOL ? "pool: running" : "poller: running");
	if (m == POOL)
		EXPECT_RC(sctpio_pool_new(&W.pool, nthr), "pool_new", 0);
	else
		EXPECT_RC(sctpio_poller_new(&W.poller, nthr, 1 + pick(s, 2 * W.nfd)), "poller_new", 0);
	/* Half the fds start always readable: the modify-in-a-loop probe of the issue. Some sockets
	 * start unwritable. */
	for (unsigned i = 0; i < W.nfd; i++) {
		if (chance(s, 50))
			make_readable(&W.f[i]);
		if (W.f[i].peer >= 0 && chance(s, 30))
			write_out(&W.f[i], 1024, 1);
		pthread_mutex_lock(&W.f[i].op);
		ctl_add(&W.f[i], SCTPIO_READY_IN, 0);
		pthread_mutex_unlock(&W.f[i].op);
	}
	for (unsigned i = 0; m == POLLER && i < nwork; i++)
		pthread_create(&work[i], NULL, worker_main, (void *)(uintptr_t)(i + 1));
	for (unsigned i = 0; i < nctl; i++)
		pthread_create(&ctl[i], NULL, control_main, (void *)(uintptr_t)i);
	pthread_create(&mon, NULL, monitor_main, NULL);

	usleep((useconds_t)(seconds * 1e6)); /* the round's length */

	set_phase(m == POOL ? "pool: stopping control" : "poller: stopping control");
	atomic_store(&W.stop_ctl, 1);
	for (unsigned i = 0; i < nctl; i++)
		pthread_join(ctl[i], NULL);
	pthread_join(mon, NULL);
	set_phase(m == POOL ? "pool: settling" : "poller: settling");
	settle();

	struct blocked b = { 0 }, pops[3] = { { 0 } };
	pthread_t opener;
	struct fdst *lf = NULL;
	for (unsigned i = 0; ending == 1 && i < W.nfd && !lf; i++)
		if (W.f[i].registered)
			lf = &W.f[i];
	if (m == POOL && ending == 2)
		ending = 0;
	if (ending == 1 && lf) {
		/* Block one registered fd's callback or hold, then remove it from outside: the remove
		 * sleeps until the callback returns or the holder gives it back, which happens only after
		 * free has begun. */
		set_phase(m == POOL ? "pool: free while a remove waits" : "poller: free while a remove waits");
		pthread_mutex_lock(&W.latch_mu);
		W.latch_fd = lf->fd;
		pthread_mutex_unlock(&W.latch_mu);
		pthread_mutex_lock(&lf->op);
		if (!(lf->want & SCTPIO_READY_IN))
			ctl_modify(lf, SCTPIO_READY_IN);
		pthread_mutex_unlock(&lf->op);
		make_readable(lf);
		pthread_mutex_lock(&W.latch_mu);
		while (!W.latch_in)
			pthread_cond_wait(&W.latch_cv, &W.latch_mu);
		pthread_mutex_unlock(&W.latch_mu);
		if (m == POLLER) {
			/* Every other worker stops before free begins; the latched one gives its socket back
			 * during free. */
			atomic_store(&W.stop_work, 1);
			EXPECT_RC(sctpio_poller_shutdown(W.poller), "shutdown", 0);
			for (unsigned i = 0; i < nwork; i++)
				if (!pthread_equal(work[i], W.latch_thread))
					pthread_join(work[i], NULL);
		}
		b.f = lf;
		pthread_create(&b.th, NULL, blocked_main, &b);
		wait_asleep(&b);
		pthread_create(&opener, NULL, opener_main, NULL);
	} else if (m == POLLER) {
		/* The usual end: shut down, join the workers, free. */
		set_phase("poller: shutdown, join workers");
		atomic_store(&W.stop_work, 1);
		EXPECT_RC(sctpio_poller_shutdown(W.poller), "shutdown", 0);
		EXPECT_RC(sctpio_poller_shutdown(W.poller), "shutdown (again)", 0);
		for (unsigned i = 0; i < nwork; i++)
			pthread_join(work[i], NULL);
		if (ending == 2) {
			/* Free while pops wait: pops return at once after shutdown, so block them in a fresh
			 * poller with nothing registered. */
			set_phase("poller: free while pops wait");
			EXPECT_RC(sctpio_poller_free(W.poller), "poller_free", 0);
			EXPECT_RC(sctpio_poller_new(&W.poller, 1 + pick(s, 2), 4), "poller_new", 0);
			for (int i = 0; i < 3; i++) {
				pops[i].pop = 1;
				pthread_create(&pops[i].th, NULL, blocked_main, &pops[i]);
				wait_asleep(&pops[i]);
			}
		}
	}
	set_phase(m == POOL ? "pool: free" : "poller: free");
	int rc = m == POOL ? sctpio_pool_free(W.pool) : sctpio_poller_free(W.poller);
	EXPECT_RC(rc, "free", 0);
	atomic_store(&W.freed, 1);
	if (ending == 1 && lf) {
		pthread_join(opener, NULL);
		pthread_join(b.th, NULL);
		EXPECT_RC(atomic_load(&b.rc), "remove that waited across free", 0);
		if (m == POLLER)
			pthread_join(W.latch_thread, NULL);
	}
	for (int i = 0; i < 3; i++) {
		if (pops[i].pop) {
			pthread_join(pops[i].th, NULL);
			EXPECT_RC(atomic_load(&pops[i].rc), "pop waiting across free", -ECANCELED);
		}
	}
	for (unsigned i = 0; i < W.nfd; i++) {
		if (atomic_load(&W.f[i].inside))
			TFAIL("fd %d still served after free returned", W.f[i].fd);
		close(W.f[i].fd);
		if (W.f[i].peer >= 0)
			close(W.f[i].peer);
		pthread_mutex_destroy(&W.f[i].op);
	}
	free_recs();
}

/* ---- the queue ---------------------------------------------------------------------------------- */

#define QPROD 3
#define QITEMS 20000

static struct {
	struct sctpio_queue *q;
	atomic_int closed;
	atomic_uint got[QPROD];       /* items of each producer popped so far */
	atomic_uint last[QPROD];      /* ... and the last sequence number seen */
	pthread_mutex_t mu;
	unsigned char seen[QPROD][QITEMS];
} Q;

static void *qprod_main(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;
	uint64_t s = seed ^ (id + 77) * 0x9e3779b97f4a7c15ULL;
	for (unsigned i = 0; i < QITEMS; i++) {
		static const int tmo[] = { 0, 1, -1 };
		int t = tmo[pick(&s, 3)];
		void *item = (void *)(uintptr_t)((uintptr_t)id << 24 | i);
		int rc = sctpio_queue_push(Q.q, item, t);
		if (t == 0)
			EXPECT_RC(rc, "queue_push (0)", 0, -EAGAIN, -ECANCELED);
		else if (t > 0)
			EXPECT_RC(rc, "queue_push (1)", 0, -ETIMEDOUT, -ECANCELED);
		else
			EXPECT_RC(rc, "queue_push (-1)", 0, -ECANCELED);
		if (rc == -ECANCELED) {
			if (!atomic_load(&Q.closed))
				TFAIL("push returned -ECANCELED before close");
			return NULL;
		}
		if (rc < 0)
			i--; /* try the same item again */
	}
	return NULL;
}

static void *qcons_main(void *arg)
{
	uint64_t s = seed ^ ((uintptr_t)arg + 99) * 0x2545f4914f6cdd1dULL;
	unsigned last[QPROD];
	int have[QPROD] = { 0 };
	for (;;) {
		static const int tmo[] = { 0, 1, -1 };
		int t = tmo[pick(&s, 3)];
		void *item;
		int rc = sctpio_queue_pop(Q.q, &item, t);
		if (t == 0)
			EXPECT_RC(rc, "queue_pop (0)", 0, -EAGAIN, -ECANCELED);
		else if (t > 0)
			EXPECT_RC(rc, "queue_pop (1)", 0, -ETIMEDOUT, -ECANCELED);
		else
			EXPECT_RC(rc, "queue_pop (-1)", 0, -ECANCELED);
		if (rc == -ECANCELED) {
			if (!atomic_load(&Q.closed))
				TFAIL("pop returned -ECANCELED before close");
			if (sctpio_queue_count(Q.q) != 0)
				TFAIL("pop returned -ECANCELED with %zu items left", sctpio_queue_count(Q.q));
			return NULL;
		}
		if (rc < 0)
			continue;
		unsigned id = (unsigned)((uintptr_t)item >> 24), seq = (unsigned)((uintptr_t)item & 0xffffff);
		if (id >= QPROD || seq >= QITEMS)
			TFAIL("queue gave an item it was never given: %p", item);
		/* FIFO: what one consumer sees of one producer is increasing. */
		if (have[id] && seq <= last[id])
			TFAIL("queue reordered producer %u: %u after %u", id, seq, last[id]);
		have[id] = 1;
		last[id] = seq;
		pthread_mutex_lock(&Q.mu);
		if (Q.seen[id][seq]++)
			TFAIL("queue gave item %u of producer %u twice", seq, id);
		pthread_mutex_unlock(&Q.mu);
		atomic_fetch_add(&Q.got[id], 1);
	}
}

static void round_queue(uint64_t *s)
{
	pthread_t prod[QPROD], cons[4];
	unsigned ncons = 1 + pick(s, 4);

	set_phase("queue");
	memset(Q.seen, 0, sizeof(Q.seen));
	pthread_mutex_init(&Q.mu, NULL);
	atomic_store(&Q.closed, 0);
	for (int i = 0; i < QPROD; i++)
		atomic_store(&Q.got[i], 0);
	EXPECT_RC(sctpio_queue_new(&Q.q, 1 + pick(s, 16)), "queue_new", 0);
	for (unsigned i = 0; i < QPROD; i++)
		pthread_create(&prod[i], NULL, qprod_main, (void *)(uintptr_t)i);
	for (unsigned i = 0; i < ncons; i++)
		pthread_create(&cons[i], NULL, qcons_main, (void *)(uintptr_t)i);
	int early = chance(s, 50);
	if (early) {
		usleep(pick(s, 20000)); /* close at a random moment, producers still pushing */
		atomic_store(&Q.closed, 1);
		EXPECT_RC(sctpio_queue_close(Q.q), "queue_close", 0);
	}
	for (unsigned i = 0; i < QPROD; i++)
		pthread_join(prod[i], NULL);
	if (!early) {
		atomic_store(&Q.closed, 1);
		EXPECT_RC(sctpio_queue_close(Q.q), "queue_close", 0);
	}
	EXPECT_RC(sctpio_queue_close(Q.q), "queue_close (again)", 0);
	EXPECT_RC(sctpio_queue_push(Q.q, NULL, -1), "queue_push after close", -ECANCELED);
	for (unsigned i = 0; i < ncons; i++)
		pthread_join(cons[i], NULL);
	/* Everything pushed was popped exactly once: with no early close, every item of every producer. */
	for (unsigned id = 0; id < QPROD; id++) {
		unsigned got = atomic_load(&Q.got[id]);
		if (!early && got != QITEMS)
			TFAIL("producer %u pushed %u items, %u popped", id, QITEMS, got);
		/* With an early close, what was popped is a prefix of what was pushed (FIFO, nothing lost). */
		for (unsigned i = 0; i < got; i++)
			if (!Q.seen[id][i])
				TFAIL("producer %u: item %u lost while %u later ones were popped", id, i, got);
	}
	EXPECT_RC(sctpio_queue_free(Q.q), "queue_free", 0);
	pthread_mutex_destroy(&Q.mu);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : getenv("TORTURE_SECONDS") ? atof(getenv("TORTURE_SECONDS")) : 6;
	const char *e = argc > 2 ? argv[2] : getenv("TORTURE_SEED");
	seed = e ? strtoull(e, NULL, 0) : (unsigned long long)now_ns() ^ (unsigned long long)getpid() << 32;
	if (!seed)
		seed = 1;
	pokes_only = getenv("TORTURE_POKES_ONLY") && atoi(getenv("TORTURE_POKES_ONLY"));
	if (getenv("TORTURE_ENDING"))
		force_ending = !strcmp(getenv("TORTURE_ENDING"), "free-while-remove") ? 1 :
			       !strcmp(getenv("TORTURE_ENDING"), "free-while-pop") ? 2 : 0;
	if (getenv("TORTURE_BOUND_MS"))
		bound_ms = atoll(getenv("TORTURE_BOUND_MS"));
	printf("seed %llu, %.1f s, liveness bound %lld ms (replay: t_dispatch_torture %.1f %llu)\n", seed, seconds,
	       (long long)bound_ms, seconds, seed);
	fflush(stdout);
	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&W.recs_mu, NULL);
	pthread_mutex_init(&W.latch_mu, NULL);
	pthread_cond_init(&W.latch_cv, NULL);
	pthread_t wd;
	set_phase("start");
	pthread_create(&wd, NULL, watchdog_main, NULL);
	pthread_detach(wd);

	const char *only = getenv("TORTURE_ONLY");
	uint64_t s = seed;
	double t0 = now_ms(), rounds = 0;
	unsigned npool = 0, npoller = 0, nqueue = 0;
	while (now_ms() - t0 < seconds * 1000) {
		unsigned what = pick(&s, 5);
		if (only)
			what = !strcmp(only, "pool") ? 0 : !strcmp(only, "poller") ? 2 : 4;
		double len = 0.2 + (double)pick(&s, 800) / 1000;
		if (what < 2) {
			round_dispatch(POOL, &s, len);
			npool++;
		} else if (what < 4) {
			round_dispatch(POLLER, &s, len);
			npoller++;
		} else {
			round_queue(&s);
			nqueue++;
		}
		rounds++;
	}
	printf("%.0f rounds (pool %u, poller %u, queue %u): %llu adds, %llu modifies, %llu removes, %llu removes of "
	       "its own fd from inside (%llu re-added at once), %llu removes of another fd from inside, %llu "
	       "-EDEADLK, %llu callbacks and holds (%llu reported OUT, %llu writing), %llu pops, %llu pop timeouts, "
	       "%llu second dones; %llu socketpairs, %llu fills, %llu peer drains; longest settle %.1f ms: no "
	       "violation\n",
	       rounds, npool, npoller, nqueue, (unsigned long long)W.adds, (unsigned long long)W.mods,
	       (unsigned long long)W.removes, (unsigned long long)W.self_removes, (unsigned long long)W.readds,
	       (unsigned long long)W.other_removes, (unsigned long long)W.deadlocks, (unsigned long long)W.events,
	       (unsigned long long)W.out_events, (unsigned long long)W.out_writes, (unsigned long long)W.pops,
	       (unsigned long long)W.timeouts, (unsigned long long)W.double_dones, (unsigned long long)W.socketpairs,
	       (unsigned long long)W.fills, (unsigned long long)W.peer_drains, (double)W.settle_max_ns / 1e6);
	return 0;
}
