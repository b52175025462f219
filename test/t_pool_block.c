// SPDX-License-Identifier: MIT
/*
 * Blockage: callbacks that block must not stop the other sockets being served.
 * 16 sockets, 4 threads. The callbacks of sockets 0, 1 and 2 block on eventfds that the test holds
 * (3 of the 4 threads are then stuck). With them blocked, 100 sequence-numbered messages on each of
 * the other 13 sockets (1,300) must all arrive, in order, through the one thread left; 100 more are
 * queued on each blocked socket meanwhile and no second thread may enter a held socket. Then the
 * gates open and every message of the blocked sockets arrives too, in order.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <time.h>

#include "test.h"

#define SOCKETS 16
#define THREADS 4
#define BLOCKED 3
#define PER_SOCKET 100

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

struct sock {
	int fd;
	int gate;      /* eventfd the first callback blocks on; -1: never blocks */
	int inside;    /* callbacks running now (must never exceed 1) */
	int entered;
	uint32_t next; /* the sequence number expected next */
};

static void pairs(int n, int *cli, int *srv)
{
	sctpio_addr addr;
	char buf[512];
	int l = test_server(SCTPIO_ONE_TO_ONE, &addr);
	for (int i = 0; i < n; i++) {
		cli[i] = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &addr, 1, NULL, 0, SCTPIO_NO_EVENTS, NULL));
		wait_fd(l, POLLIN, 10000);
		srv[i] = OK(sctpio_sock_accept(l, NULL, 0));
		wait_fd(cli[i], POLLOUT, 10000);
		while (sctpio_recv(srv[i], buf, sizeof(buf), NULL) > 0) /* association-up notification */
			;
	}
	close(l);
}

static void on_ready(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	struct sock *s = data;
	uint32_t seq;
	int n;
	(void)pool;
	(void)ready;

	pthread_mutex_lock(&mu);
	CHECK_EQ(++s->inside, 1);
	s->entered++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	if (s->gate >= 0) {
		uint64_t v;
		CHECK_EQ(read(s->gate, &v, sizeof(v)), sizeof(v));
		s->gate = -1; /* only this socket's callbacks touch it, one at a time */
	}
	uint32_t next = s->next;
	while ((n = (int)sctpio_recv(fd, &seq, sizeof(seq), NULL)) > 0) {
		CHECK_EQ(n, sizeof(seq));
		CHECK_EQ(seq, next);
		next++;
	}
	pthread_mutex_lock(&mu);
	s->next = next;
	s->inside--;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void send_seq(int fd, uint32_t from, uint32_t count)
{
	for (uint32_t i = from; i < from + count; i++)
		send_all(fd, &i, sizeof(i), NULL);
}

/* Wait until s[lo..hi) have all seen `want` messages (and, for `entered`, entered once). */
static void wait_socks(struct sock *s, int lo, int hi, uint32_t want, int entered)
{
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 30;
	pthread_mutex_lock(&mu);
	for (int i = lo; i < hi; i++)
		while (s[i].next < want || s[i].entered < entered)
			if (pthread_cond_timedwait(&cv, &mu, &dl) == ETIMEDOUT)
				FAIL("socket %d: %u of %u messages, entered %d", i, s[i].next, want, s[i].entered);
	pthread_mutex_unlock(&mu);
}

int main(void)
{
	static int cli[SOCKETS], srv[SOCKETS];
	static struct sock s[SOCKETS];
	struct sctpio_pool *pool;
	int gates[BLOCKED];
	uint64_t one = 1;

	pairs(SOCKETS, cli, srv);
	OK(sctpio_pool_new(&pool, THREADS));
	for (int i = 0; i < SOCKETS; i++) {
		s[i] = (struct sock){ .fd = srv[i], .gate = i < BLOCKED ? (gates[i] = eventfd(0, 0)) : -1 };
		OK(sctpio_pool_add(pool, srv[i], SCTPIO_READY_IN, on_ready, &s[i]));
	}
	/* One message each wakes the blocking callbacks; wait until all three are stuck. */
	for (int i = 0; i < BLOCKED; i++)
		send_seq(cli[i], 0, 1);
	wait_socks(s, 0, BLOCKED, 0, 1);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t k = 0; k < PER_SOCKET; k += 10) {
		for (int i = 0; i < SOCKETS; i++)
			send_seq(cli[i], i < BLOCKED ? k + 1 : k, 10);
	}
	wait_socks(s, BLOCKED, SOCKETS, PER_SOCKET, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_mutex_lock(&mu);
	for (int i = 0; i < BLOCKED; i++) {
		CHECK_EQ(s[i].entered, 1); /* held: no other thread entered it */
		CHECK_EQ(s[i].next, 0);
	}
	pthread_mutex_unlock(&mu);
	printf("with %d of %d threads blocked: %d messages on %d sockets arrived in order in %.2f s\n", BLOCKED,
	       THREADS, PER_SOCKET * (SOCKETS - BLOCKED), SOCKETS - BLOCKED,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);

	for (int i = 0; i < BLOCKED; i++)
		CHECK_EQ(write(gates[i], &one, sizeof(one)), sizeof(one));
	wait_socks(s, 0, BLOCKED, PER_SOCKET + 1, 1);
	printf("gates opened: the %d blocked sockets delivered their %d messages each, in order\n", BLOCKED,
	       PER_SOCKET + 1);
	OK(sctpio_pool_free(pool));
	for (int i = 0; i < SOCKETS; i++) {
		close(cli[i]);
		close(srv[i]);
		if (i < BLOCKED)
			close(gates[i]);
	}
	return 0;
}
