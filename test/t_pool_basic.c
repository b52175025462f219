// SPDX-License-Identifier: MIT
/*
 * The receiver pool's contract, one case each: argument errors; a callback gets its fd, its user
 * pointer and SCTPIO_READY_IN, on a thread of its own pool (two pools in one process, one freed while
 * the other goes on); SCTPIO_READY_OUT after -EAGAIN, once (one-shot); end of stream reads as
 * READY_IN|READY_HUP and the callback removes and closes its own socket, whose fd number can then be
 * registered again; modify from outside arms at once; remove from another thread waits for the
 * running callback; a callback may add a socket, and sctpio_pool_free from a callback is -EDEADLK;
 * two callbacks removing each other: one waits, the other gets -EDEADLK.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "test.h"

/* Read and drop what is waiting (the association-up notifications), so tests start quiet. */
static void drain(int fd)
{
	char buf[512];
	while (sctpio_recv(fd, buf, sizeof(buf), NULL) > 0)
		;
}

/* n one-to-one associations: cli[i] connected to srv[i] (the accepted side). */
static void pairs(int n, int *cli, int *srv)
{
	sctpio_addr addr;
	int l = test_server(SCTPIO_ONE_TO_ONE, &addr);
	for (int i = 0; i < n; i++) {
		cli[i] = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &addr, 1, NULL, 0, 0, NULL));
		wait_fd(l, POLLIN, 10000);
		srv[i] = OK(sctpio_sock_accept(l, NULL, 0));
		wait_fd(cli[i], POLLOUT, 10000);
		CHECK_EQ(sctpio_sock_error(cli[i]), 0);
		drain(cli[i]);
		drain(srv[i]);
	}
	close(l);
}

/* What the callbacks saw; one mutex and condition for the whole test. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

struct sock {
	struct sctpio_pool *pool;
	int fd;
	int calls, reads, eof;
	uint32_t ready_or, last_ready;
	int rc; /* what an action inside the callback returned */
	int (*action)(struct sock *s, int eof);
	int added;
	struct sock *other;
	int gate_fd;    /* when >= 0: the callback blocks reading it (the test controls it) */
	int entered, left;
	uint32_t cur_ready; /* the running callback's ready bits, for its action */
	int did_remove;     /* set by the action itself, on the callback's thread */
	int removed;        /* ... and published under the lock with rc */
};

/* Wait (on the condition, with a deadline) until *flag >= want. */
static void wait_for(const int *flag, int want)
{
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 10;
	pthread_mutex_lock(&mu);
	while (*flag < want)
		if (pthread_cond_timedwait(&cv, &mu, &dl) == ETIMEDOUT)
			FAIL("timed out waiting for %d (have %d)", want, *flag);
	pthread_mutex_unlock(&mu);
}

static void on_ready(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	struct sock *s = data;
	char buf[2048];
	struct sctpio_rcvinfo ri;
	ssize_t n;

	CHECK(pool == s->pool);
	CHECK_EQ(fd, s->fd);
	pthread_mutex_lock(&mu);
	s->entered++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	if (s->gate_fd >= 0) {
		uint64_t v;
		CHECK_EQ(read(s->gate_fd, &v, sizeof(v)), sizeof(v)); /* blocks until the test opens it */
	}
	int reads = 0, eof = 0;
	if (ready & SCTPIO_READY_IN) {
		while ((n = sctpio_recv(fd, buf, sizeof(buf), &ri)) >= 0) {
			if (n == 0) {
				eof = 1;
				break;
			}
			if (!(ri.flags & SCTPIO_MSG_NOTIFICATION))
				reads++;
		}
		CHECK(n >= 0 || n == -EAGAIN);
	}
	s->cur_ready = ready;
	int rc = s->action ? s->action(s, eof) : 0;
	pthread_mutex_lock(&mu);
	s->calls++;
	s->reads += reads;
	s->eof += eof;
	s->ready_or |= ready;
	s->last_ready = ready;
	s->rc = rc;
	s->removed |= s->did_remove;
	s->left++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void send1(int fd)
{
	send_all(fd, "x", 1, NULL);
}

static void args(void)
{
	struct sctpio_pool *p;
	struct sctpio_pool_stats st;
	int cli, srv;

	CHECK_EQ(sctpio_pool_new(NULL, 1), -EINVAL);
	CHECK_EQ(sctpio_pool_new(&p, 0), -EINVAL);
	CHECK_EQ(sctpio_pool_new(&p, 100000), -EINVAL);
	OK(sctpio_pool_new(&p, 1));
	pairs(1, &cli, &srv);
	CHECK_EQ(sctpio_pool_add(p, srv, SCTPIO_READY_IN, NULL, NULL), -EINVAL);
	CHECK_EQ(sctpio_pool_add(p, -1, SCTPIO_READY_IN, on_ready, NULL), -EINVAL);
	CHECK_EQ(sctpio_pool_add(p, srv, SCTPIO_READY_HUP, on_ready, NULL), -EINVAL);
	OK(sctpio_pool_add(p, srv, 0, on_ready, NULL)); /* errors and hang-ups only */
	CHECK_EQ(sctpio_pool_add(p, srv, SCTPIO_READY_IN, on_ready, NULL), -EEXIST);
	int file = open("/dev/null", O_RDONLY);
	CHECK_EQ(sctpio_pool_add(p, file, SCTPIO_READY_IN, on_ready, NULL), -EPERM);
	CHECK_EQ(sctpio_pool_modify(p, file, SCTPIO_READY_IN), -ENOENT);
	CHECK_EQ(sctpio_pool_remove(p, file), -ENOENT);
	CHECK_EQ(sctpio_pool_remove(p, 1 << 20), -ENOENT);
	CHECK_EQ(sctpio_pool_stats(p, 1, &st), -EINVAL);
	OK(sctpio_pool_stats(p, 0, &st));
	OK(sctpio_pool_remove(p, srv));
	CHECK_EQ(sctpio_pool_remove(p, srv), -ENOENT);
	OK(sctpio_pool_free(p));
	OK(sctpio_pool_free(NULL));
	close(file);
	close(cli);
	close(srv);
}

static uint64_t pool_callbacks(struct sctpio_pool *p, unsigned threads)
{
	struct sctpio_pool_stats st;
	uint64_t sum = 0;
	for (unsigned i = 0; i < threads; i++) {
		OK(sctpio_pool_stats(p, i, &st));
		sum += st.callbacks;
	}
	return sum;
}

/* Two pools in one process: each serves only its sockets; freeing one leaves the other working. */
static void two_pools(void)
{
	struct sctpio_pool *p[2];
	struct sock s[2];
	int cli[2], srv[2];

	pairs(2, cli, srv);
	for (int i = 0; i < 2; i++) {
		OK(sctpio_pool_new(&p[i], 2));
		s[i] = (struct sock){ .pool = p[i], .fd = srv[i], .gate_fd = -1 };
		OK(sctpio_pool_add(p[i], srv[i], SCTPIO_READY_IN, on_ready, &s[i]));
	}
	send1(cli[0]);
	wait_for(&s[0].reads, 1);
	send1(cli[1]);
	wait_for(&s[1].reads, 1);
	CHECK_EQ(s[0].last_ready, SCTPIO_READY_IN);
	CHECK_EQ(pool_callbacks(p[0], 2), s[0].calls);
	CHECK_EQ(pool_callbacks(p[1], 2), s[1].calls);
	OK(sctpio_pool_free(p[0]));
	for (int k = 2; k <= 20; k++) {
		send1(cli[1]);
		wait_for(&s[1].reads, k);
	}
	CHECK_EQ(s[0].reads, 1);
	OK(sctpio_pool_free(p[1]));
	for (int i = 0; i < 2; i++) {
		close(cli[i]);
		close(srv[i]);
	}
	printf("two pools: 1 + 20 messages, each served by its own pool\n");
}

/* READY_OUT after -EAGAIN, exactly once. */
static void writable(void)
{
	struct sctpio_pool *p;
	struct sock s;
	int cli, srv, sent = 0;
	static char big[1000];

	pairs(1, &cli, &srv);
	OK(sctpio_pool_new(&p, 2));
	s = (struct sock){ .pool = p, .fd = cli, .gate_fd = -1 };
	OK(sctpio_pool_add(p, cli, SCTPIO_READY_IN, on_ready, &s));
	while (sctpio_send(cli, big, sizeof(big), NULL) == sizeof(big))
		sent++;
	OK(sctpio_pool_modify(p, cli, SCTPIO_READY_IN | SCTPIO_READY_OUT));
	/* Read on the other side until the sender's buffer opens and the callback says so. Once all is
	 * read, the callback may still be on its way (the buffer opens when the SACK arrives): poll the
	 * socket in short steps so that a callback arriving then is seen, up to a 10 s deadline. */
	struct sctpio_rcvinfo ri;
	char buf[2048];
	for (double end = now_ms() + 10000;;) {
		pthread_mutex_lock(&mu);
		uint32_t seen = s.ready_or;
		pthread_mutex_unlock(&mu);
		if (seen & SCTPIO_READY_OUT)
			break;
		CHECK(now_ms() < end);
		struct pollfd pf = { .fd = srv, .events = POLLIN };
		CHECK(poll(&pf, 1, 20) >= 0);
		while (sctpio_recv(srv, buf, sizeof(buf), &ri) > 0)
			;
	}
	CHECK(s.last_ready & SCTPIO_READY_OUT);
	/* OUT was one-shot: the socket is writable, yet the next callback (for data) does not say so. */
	send1(srv);
	wait_for(&s.reads, 1);
	CHECK_EQ(s.last_ready, SCTPIO_READY_IN);
	OK(sctpio_pool_free(p));
	close(cli);
	close(srv);
	printf("writable: %d messages filled the socket; READY_OUT came once\n", sent);
}

/* At the end of stream with HUP reported (the SHUTDOWN_EVENT notification can come alone a moment
 * before the receive side is marked shut; the socket, readable and shut, is then reported again). */
static int remove_and_close(struct sock *s, int eof)
{
	if (!eof || !(s->cur_ready & SCTPIO_READY_HUP))
		return 1;
	int rc = sctpio_pool_remove(s->pool, s->fd);
	close(s->fd);
	s->did_remove = 1; /* published with the callback's results, under the lock */
	return rc;
}

/* End of stream: IN|HUP; the callback removes and closes its socket; the fd number is reusable. */
static void hangup_self_remove(void)
{
	struct sctpio_pool *p;
	struct sock s;
	int cli, srv;

	pairs(1, &cli, &srv);
	OK(sctpio_pool_new(&p, 2));
	s = (struct sock){ .pool = p, .fd = srv, .gate_fd = -1, .action = remove_and_close };
	OK(sctpio_pool_add(p, srv, SCTPIO_READY_IN, on_ready, &s));
	OK(sctpio_sock_shutdown(cli, 0));
	wait_for(&s.removed, 1); /* the shutdown notification may come in an earlier callback */
	CHECK_EQ(s.rc, 0);
	CHECK(s.ready_or & SCTPIO_READY_HUP);
	CHECK_EQ(sctpio_pool_remove(p, srv), -ENOENT);
	close(cli);
	/* The same fd number, now another socket, registers and is served (a new generation). */
	int cli2, srv2, null = open("/dev/null", O_RDONLY);
	CHECK_EQ(dup2(null, srv), srv); /* keep the number while the pair is made */
	close(null);
	pairs(1, &cli2, &srv2);
	CHECK_EQ(dup2(srv2, srv), srv);
	close(srv2);
	struct sock s2 = { .pool = p, .fd = srv, .gate_fd = -1 };
	OK(sctpio_pool_add(p, srv, SCTPIO_READY_IN, on_ready, &s2));
	send1(cli2);
	wait_for(&s2.reads, 1);
	OK(sctpio_pool_free(p));
	printf("hang-up: ready 0x%x, removed and closed by its callback; fd %d reused\n", s.ready_or, srv);
	close(cli2);
	close(srv);
}

struct remover {
	struct sctpio_pool *pool;
	int fd, efd, rc, cb_left_first;
	struct sock *s;
};

static void *remove_thread(void *arg)
{
	struct remover *r = arg;
	uint64_t one = 1;
	r->rc = sctpio_pool_remove(r->pool, r->fd);
	pthread_mutex_lock(&mu);
	r->cb_left_first = r->s->left;
	pthread_mutex_unlock(&mu);
	CHECK_EQ(write(r->efd, &one, sizeof(one)), sizeof(one));
	return NULL;
}

/* remove from outside waits for the running callback; modify from outside arms at once. */
static void remove_waits(void)
{
	struct sctpio_pool *p;
	struct sock s, w;
	int cli[2], srv[2];
	pthread_t t;
	uint64_t one = 1;

	pairs(2, cli, srv);
	OK(sctpio_pool_new(&p, 2));
	s = (struct sock){ .pool = p, .fd = srv[0], .gate_fd = eventfd(0, 0) };
	OK(sctpio_pool_add(p, srv[0], SCTPIO_READY_IN, on_ready, &s));
	w = (struct sock){ .pool = p, .fd = srv[1], .gate_fd = -1 };
	OK(sctpio_pool_add(p, srv[1], 0, on_ready, &w));
	OK(sctpio_pool_modify(p, srv[1], SCTPIO_READY_OUT)); /* armed now: writable at once */
	wait_for(&w.calls, 1);
	CHECK_EQ(w.last_ready, SCTPIO_READY_OUT);

	send1(cli[0]);
	wait_for(&s.entered, 1); /* the callback now blocks on its gate */
	struct remover r = { .pool = p, .fd = srv[0], .efd = eventfd(0, 0), .s = &s };
	CHECK(pthread_create(&t, NULL, remove_thread, &r) == 0);
	struct pollfd pf = { .fd = r.efd, .events = POLLIN };
	CHECK_EQ(poll(&pf, 1, 300), 0); /* remove has not returned while the callback runs */
	CHECK_EQ(write(s.gate_fd, &one, sizeof(one)), sizeof(one));
	CHECK_EQ(poll(&pf, 1, 10000), 1);
	pthread_join(t, NULL);
	CHECK_EQ(r.rc, 0);
	CHECK_EQ(r.cb_left_first, 1); /* the callback had returned when remove did */
	OK(sctpio_pool_free(p));
	close(s.gate_fd);
	close(r.efd);
	for (int i = 0; i < 2; i++) {
		close(cli[i]);
		close(srv[i]);
	}
	printf("remove: waited for the blocked callback, returned after it\n");
}

static int add_other_and_free(struct sock *s, int eof)
{
	(void)eof;
	if (s->added) /* one socket's callbacks never overlap, so this needs no lock */
		return 0;
	s->added = 1;
	CHECK_EQ(sctpio_pool_free(s->pool), -EDEADLK);
	return sctpio_pool_add(s->pool, s->other->fd, SCTPIO_READY_IN, on_ready, s->other);
}

static void callback_adds(void)
{
	struct sctpio_pool *p;
	int cli[2], srv[2];

	pairs(2, cli, srv);
	OK(sctpio_pool_new(&p, 2));
	struct sock b = { .pool = p, .fd = srv[1], .gate_fd = -1 };
	struct sock a = { .pool = p, .fd = srv[0], .gate_fd = -1, .action = add_other_and_free, .other = &b };
	OK(sctpio_pool_add(p, srv[0], SCTPIO_READY_IN, on_ready, &a));
	send1(cli[0]);
	wait_for(&a.calls, 1);
	CHECK_EQ(a.rc, 0);
	send1(cli[1]);
	wait_for(&b.reads, 1);
	OK(sctpio_pool_free(p));
	for (int i = 0; i < 2; i++) {
		close(cli[i]);
		close(srv[i]);
	}
	printf("callbacks: added a socket that was then served; free from a callback refused\n");
}

/* Both callbacks run at once, then each removes the other's socket. */
static int remove_other(struct sock *s, int eof)
{
	(void)eof;
	pthread_mutex_lock(&mu);
	while (s->other->entered < 1)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return sctpio_pool_remove(s->pool, s->other->fd);
}

static void mutual_remove(void)
{
	struct sctpio_pool *p;
	int cli[2], srv[2];

	pairs(2, cli, srv);
	OK(sctpio_pool_new(&p, 2));
	struct sock a = { .pool = p, .fd = srv[0], .gate_fd = -1, .action = remove_other };
	struct sock b = { .pool = p, .fd = srv[1], .gate_fd = -1, .action = remove_other, .other = &a };
	a.other = &b;
	OK(sctpio_pool_add(p, srv[0], SCTPIO_READY_IN, on_ready, &a));
	OK(sctpio_pool_add(p, srv[1], SCTPIO_READY_IN, on_ready, &b));
	send1(cli[0]);
	send1(cli[1]);
	wait_for(&a.left, 1);
	wait_for(&b.left, 1);
	/* One waited for the other and removed it (0); the other would have waited for the first: -EDEADLK. */
	CHECK((a.rc == 0 && b.rc == -EDEADLK) || (a.rc == -EDEADLK && b.rc == 0));
	int survivor = a.rc == -EDEADLK ? srv[1] : srv[0];
	OK(sctpio_pool_remove(p, survivor));
	OK(sctpio_pool_free(p));
	for (int i = 0; i < 2; i++) {
		close(cli[i]);
		close(srv[i]);
	}
	printf("mutual remove: one 0, one -EDEADLK\n");
}

int main(void)
{
	args();
	two_pools();
	writable();
	hangup_self_remove();
	remove_waits();
	callback_adds();
	mutual_remove();
	return 0;
}
