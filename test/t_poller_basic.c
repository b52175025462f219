// SPDX-License-Identifier: MIT
/*
 * The poller's contract, one case each: argument errors and timeouts (-EAGAIN, -ETIMEDOUT after the
 * deadline); a popped socket carries fd, user pointer and READY_IN, is not produced again while held
 * (even though still readable), and comes back at once after done (level-triggered); a second done is
 * -EINVAL; READY_OUT is one-shot; end of stream reads READY_HUP; two pollers are independent;
 * add/send/remove races never hand out a removed socket (50 rounds); remove by another thread waits
 * for done, remove by the holder does not; a queue of 1 slot with 8 ready sockets loses none;
 * shutdown wakes 4 blocked pops with -ECANCELED and done still works after it; free from a holder is
 * -EDEADLK and free from elsewhere waits for done; two workers removing each other's held sockets:
 * one waits, one gets -EDEADLK.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <time.h>

#include "test.h"

static void pairs(int n, int *cli, int *srv)
{
	sctpio_addr addr;
	char buf[512];
	int l = test_server(SCTPIO_ONE_TO_ONE, &addr);
	for (int i = 0; i < n; i++) {
		cli[i] = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &addr, 1, NULL, 0, 0, NULL));
		wait_fd(l, POLLIN, 10000);
		srv[i] = OK(sctpio_sock_accept(l, NULL, 0));
		wait_fd(cli[i], POLLOUT, 10000);
		while (sctpio_recv(srv[i], buf, sizeof(buf), NULL) > 0) /* association-up notifications */
			;
		while (sctpio_recv(cli[i], buf, sizeof(buf), NULL) > 0)
			;
	}
	close(l);
}

static void closeall(int n, int *cli, int *srv)
{
	for (int i = 0; i < n; i++) {
		close(cli[i]);
		close(srv[i]);
	}
}

static int drain(int fd)
{
	char buf[2048];
	int n = 0;
	ssize_t r;
	while ((r = sctpio_recv(fd, buf, sizeof(buf), NULL)) > 0)
		n++;
	return r == 0 ? -1 : n; /* -1: end of stream */
}

/* 1 when efd fires within ms (a deadline: returns at once when it does). */
static int fired(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	int rc = poll(&p, 1, ms);
	CHECK(rc >= 0);
	return rc == 1;
}

static void args_and_hold(void)
{
	struct sctpio_poller *p;
	struct sctpio_poller_event ev = { 0 };
	int cli, srv, tag;

	CHECK_EQ(sctpio_poller_new(NULL, 1, 0), -EINVAL);
	CHECK_EQ(sctpio_poller_new(&p, 0, 0), -EINVAL);
	OK(sctpio_poller_new(&p, 1, 0));
	CHECK_EQ(sctpio_poller_pop(p, NULL, 0), -EINVAL);
	CHECK_EQ(sctpio_poller_pop(p, &ev, 0), -EAGAIN);
	long long t0 = now_ms();
	CHECK_EQ(sctpio_poller_pop(p, &ev, 120), -ETIMEDOUT);
	long long waited = now_ms() - t0;
	CHECK(waited >= 120 && waited < 5000);
	CHECK_EQ(sctpio_poller_done(p, &ev), -EINVAL);
	pairs(1, &cli, &srv);
	CHECK_EQ(sctpio_poller_add(p, srv, SCTPIO_READY_ERR, NULL), -EINVAL);
	OK(sctpio_poller_add(p, srv, SCTPIO_READY_IN, &tag));
	CHECK_EQ(sctpio_poller_add(p, srv, SCTPIO_READY_IN, &tag), -EEXIST);
	CHECK_EQ(sctpio_poller_remove(p, cli), -ENOENT);
	CHECK_EQ(sctpio_poller_modify(p, cli, SCTPIO_READY_IN), -ENOENT);

	send_all(cli, "a", 1, NULL);
	OK(sctpio_poller_pop(p, &ev, 10000));
	CHECK_EQ(ev.fd, srv);
	CHECK(ev.data == &tag);
	CHECK_EQ(ev.ready, SCTPIO_READY_IN);
	/* Held and not read: still readable, but nobody else may get it. */
	send_all(cli, "b", 1, NULL);
	struct sctpio_poller_event ev2;
	CHECK_EQ(sctpio_poller_pop(p, &ev2, 200), -ETIMEDOUT);
	OK(sctpio_poller_done(p, &ev));
	CHECK_EQ(sctpio_poller_done(p, &ev), -EINVAL); /* a second done */
	OK(sctpio_poller_pop(p, &ev, 10000)); /* re-armed, still readable: back at once */
	CHECK_EQ(drain(srv), 2);
	OK(sctpio_poller_done(p, &ev));
	CHECK_EQ(sctpio_poller_pop(p, &ev, 100), -ETIMEDOUT);

	/* OUT is one-shot. */
	OK(sctpio_poller_modify(p, srv, SCTPIO_READY_OUT));
	OK(sctpio_poller_pop(p, &ev, 10000));
	CHECK_EQ(ev.ready, SCTPIO_READY_OUT);
	OK(sctpio_poller_done(p, &ev));
	CHECK_EQ(sctpio_poller_pop(p, &ev, 150), -ETIMEDOUT);
	/* End of stream. */
	OK(sctpio_poller_modify(p, srv, SCTPIO_READY_IN));
	OK(sctpio_sock_shutdown(cli, 0));
	uint32_t seen = 0;
	int eof = 0;
	/* The SHUTDOWN_EVENT notification can be reported (IN alone) a moment before the kernel marks
	 * the receive side shut, and then read together with the end: the socket stays readable and
	 * shut, so being level-triggered it is reported again, with HUP. */
	while (!eof || !(seen & SCTPIO_READY_HUP)) {
		OK(sctpio_poller_pop(p, &ev, 10000));
		seen |= ev.ready;
		eof |= drain(srv) < 0;
		OK(sctpio_poller_done(p, &ev));
	}
	CHECK(seen & SCTPIO_READY_HUP);
	OK(sctpio_poller_remove(p, srv));
	OK(sctpio_poller_free(p));
	OK(sctpio_poller_free(NULL));
	close(cli);
	close(srv);
	printf("hold: pop timed out after %lld ms; held socket not produced twice; OUT once; HUP 0x%x\n", waited,
	       seen);
}

static void two_pollers_and_remove_races(void)
{
	struct sctpio_poller *p[2];
	struct sctpio_poller_event ev;
	int cli[2], srv[2];

	pairs(2, cli, srv);
	for (int i = 0; i < 2; i++) {
		OK(sctpio_poller_new(&p[i], 2, 4));
		OK(sctpio_poller_add(p[i], srv[i], SCTPIO_READY_IN, NULL));
	}
	send_all(cli[1], "x", 1, NULL);
	OK(sctpio_poller_pop(p[1], &ev, 10000));
	CHECK_EQ(ev.fd, srv[1]);
	CHECK_EQ(sctpio_poller_pop(p[0], &(struct sctpio_poller_event){ 0 }, 100), -ETIMEDOUT);
	OK(sctpio_poller_done(p[1], &ev));
	OK(sctpio_poller_free(p[1]));
	OK(sctpio_poller_remove(p[0], srv[0]));
	/* Remove right after the socket became ready: it may be armed, queued, or just produced. */
	for (int round = 0; round < 50; round++) {
		OK(sctpio_poller_add(p[0], srv[0], SCTPIO_READY_IN, NULL));
		send_all(cli[0], "y", 1, NULL);
		if (round % 2)
			wait_fd(srv[0], POLLIN, 10000);
		OK(sctpio_poller_remove(p[0], srv[0]));
		CHECK_EQ(sctpio_poller_pop(p[0], &ev, 0), -EAGAIN);
		drain(srv[0]);
	}
	OK(sctpio_poller_free(p[0]));
	closeall(2, cli, srv);
	printf("two pollers independent; 50 add/send/remove rounds handed out no removed socket\n");
}

struct helper {
	struct sctpio_poller *p;
	int fd, efd, rc, do_free;
};

static void *helper_main(void *arg)
{
	struct helper *h = arg;
	uint64_t one = 1;
	h->rc = h->do_free ? sctpio_poller_free(h->p) : sctpio_poller_remove(h->p, h->fd);
	CHECK_EQ(write(h->efd, &one, sizeof(one)), sizeof(one));
	return NULL;
}

/* A helper thread removes (or frees) while this thread holds the socket: it waits for done. */
static void waits_for_done(int do_free)
{
	struct sctpio_poller *p;
	struct sctpio_poller_event ev;
	int cli, srv;
	pthread_t t;

	pairs(1, &cli, &srv);
	OK(sctpio_poller_new(&p, 1, 0));
	OK(sctpio_poller_add(p, srv, SCTPIO_READY_IN, NULL));
	send_all(cli, "h", 1, NULL);
	OK(sctpio_poller_pop(p, &ev, 10000));
	if (do_free)
		CHECK_EQ(sctpio_poller_free(p), -EDEADLK); /* we hold a socket of p */
	struct helper h = { .p = p, .fd = srv, .efd = eventfd(0, 0), .do_free = do_free };
	CHECK(pthread_create(&t, NULL, helper_main, &h) == 0);
	CHECK(!fired(h.efd, 300));
	OK(sctpio_poller_done(p, &ev));
	CHECK(fired(h.efd, 10000));
	pthread_join(t, NULL);
	CHECK_EQ(h.rc, 0);
	if (!do_free) {
		CHECK_EQ(sctpio_poller_pop(p, &ev, 100), -ETIMEDOUT); /* removed: never produced again */
		/* Removed by its own holder: returns at once; done then releases without re-arming. */
		OK(sctpio_poller_add(p, srv, SCTPIO_READY_IN, NULL));
		OK(sctpio_poller_pop(p, &ev, 10000)); /* the message is still unread */
		OK(sctpio_poller_remove(p, srv));
		OK(sctpio_poller_done(p, &ev));
		CHECK_EQ(sctpio_poller_pop(p, &ev, 100), -ETIMEDOUT);
		OK(sctpio_poller_free(p));
	}
	close(h.efd);
	close(cli);
	close(srv);
	printf("%s from another thread waited for done\n", do_free ? "free" : "remove");
}

/* A queue of one slot and 8 ready sockets: the epoll thread blocks, nothing is lost. */
static void full_queue(void)
{
	struct sctpio_poller *p;
	struct sctpio_poller_event ev[8];
	int cli[8], srv[8], seen[8] = { 0 };

	pairs(8, cli, srv);
	OK(sctpio_poller_new(&p, 1, 1));
	for (int i = 0; i < 8; i++) {
		OK(sctpio_poller_add(p, srv[i], SCTPIO_READY_IN, &seen[i]));
		send_all(cli[i], "q", 1, NULL);
	}
	for (int i = 0; i < 8; i++) { /* hold them all: each pop makes room for the next */
		OK(sctpio_poller_pop(p, &ev[i], 10000));
		(*(int *)ev[i].data)++;
	}
	CHECK_EQ(sctpio_poller_pop(p, &ev[0], 0), -EAGAIN);
	for (int i = 0; i < 8; i++) {
		CHECK_EQ(seen[i], 1);
		CHECK_EQ(drain(ev[i].fd), 1);
		OK(sctpio_poller_done(p, &ev[i]));
	}
	OK(sctpio_poller_free(p));
	closeall(8, cli, srv);
	printf("queue of 1: 8 ready sockets popped once each\n");
}

struct popper {
	struct sctpio_poller *p;
	int efd, rc;
};

static void *pop_main(void *arg)
{
	struct popper *w = arg;
	struct sctpio_poller_event ev;
	uint64_t one = 1;
	w->rc = sctpio_poller_pop(w->p, &ev, -1);
	CHECK_EQ(write(w->efd, &one, sizeof(one)), sizeof(one));
	return NULL;
}

static void shutdown_wakes(void)
{
	struct sctpio_poller *p;
	struct sctpio_poller_event held;
	struct popper w[4];
	pthread_t t[4];
	int cli, srv;

	pairs(1, &cli, &srv);
	OK(sctpio_poller_new(&p, 2, 0));
	OK(sctpio_poller_add(p, srv, SCTPIO_READY_IN, NULL));
	send_all(cli, "s", 1, NULL);
	OK(sctpio_poller_pop(p, &held, 10000));
	for (int i = 0; i < 4; i++) {
		w[i] = (struct popper){ .p = p, .efd = eventfd(0, 0) };
		CHECK(pthread_create(&t[i], NULL, pop_main, &w[i]) == 0);
	}
	CHECK(!fired(w[0].efd, 200));
	long long t0 = now_ms();
	OK(sctpio_poller_shutdown(p));
	for (int i = 0; i < 4; i++) {
		CHECK(fired(w[i].efd, 10000));
		pthread_join(t[i], NULL);
		CHECK_EQ(w[i].rc, -ECANCELED);
		close(w[i].efd);
	}
	long long woke = now_ms() - t0;
	struct sctpio_poller_event late;
	CHECK_EQ(sctpio_poller_pop(p, &late, -1), -ECANCELED);
	CHECK_EQ(sctpio_poller_add(p, cli, SCTPIO_READY_IN, NULL), -ECANCELED);
	OK(sctpio_poller_done(p, &held));
	OK(sctpio_poller_free(p));
	close(cli);
	close(srv);
	printf("shutdown: 4 blocked pops returned -ECANCELED in %lld ms\n", woke);
}

/* Two workers hold one socket each and remove each other's. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int holding;

struct mutual {
	struct sctpio_poller *p;
	int fds[2], rc;
};

static void *mutual_main(void *arg)
{
	struct mutual *m = arg;
	struct sctpio_poller_event ev;
	OK(sctpio_poller_pop(m->p, &ev, 10000));
	pthread_mutex_lock(&mu);
	holding++;
	pthread_cond_broadcast(&cv);
	while (holding < 2)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	/* Each holds a different socket (one-shot): remove the one this worker does not hold. */
	m->rc = sctpio_poller_remove(m->p, ev.fd == m->fds[0] ? m->fds[1] : m->fds[0]);
	OK(sctpio_poller_done(m->p, &ev));
	return NULL;
}

static void mutual_remove(void)
{
	struct sctpio_poller *p;
	int cli[2], srv[2];
	pthread_t t[2];
	struct mutual m[2];

	pairs(2, cli, srv);
	OK(sctpio_poller_new(&p, 1, 0));
	OK(sctpio_poller_add(p, srv[0], SCTPIO_READY_IN, NULL));
	OK(sctpio_poller_add(p, srv[1], SCTPIO_READY_IN, NULL));
	send_all(cli[0], "m", 1, NULL);
	send_all(cli[1], "m", 1, NULL);
	for (int i = 0; i < 2; i++) {
		m[i] = (struct mutual){ .p = p, .fds = { srv[0], srv[1] } };
		CHECK(pthread_create(&t[i], NULL, mutual_main, &m[i]) == 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	/* One waited for the other's done and removed its socket; the other would have waited for it. */
	CHECK((m[0].rc == 0 && m[1].rc == -EDEADLK) || (m[0].rc == -EDEADLK && m[1].rc == 0));
	OK(sctpio_poller_free(p));
	closeall(2, cli, srv);
	printf("mutual remove: one 0, one -EDEADLK\n");
}

int main(void)
{
	args_and_hold();
	two_pollers_and_remove_races();
	waits_for_done(0);
	waits_for_done(1);
	full_queue();
	shutdown_wakes();
	mutual_remove();
	return 0;
}
