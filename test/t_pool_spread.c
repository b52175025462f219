// SPDX-License-Identifier: MIT
/*
 * Starvation: work must spread over the pool's threads. 64 sockets, 4 threads.
 * 1. Ready work never waits beside an idle thread: one message on each of the 64 sockets, and each
 *    callback waits (condition variable, 10 s deadline) until 4 callbacks run at once. A pool that
 *    served the ready sockets with fewer threads than it has would never get there and fail.
 * 2. Share: 100 rounds of one message on each socket (6,400 messages), each round after the last was
 *    read. Each callback also does 1 ms of blocking work (a poll that nothing wakes, standing for a
 *    disk or database call — work, not synchronisation), so a thread that is inside a callback
 *    cannot take more: the sockets that become ready meanwhile must go to the other threads. Every
 *    thread must run at least 15% of the callbacks (a fair share is 25%); the spread is printed.
 *    (Without the blocking work the shares mostly measure the emulator's CPU scheduling: with 2
 *    vCPUs for 4 threads, runnable-but-not-running threads cannot take their turn.)
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "test.h"

#define SOCKETS 64
#define THREADS 4
#define ROUNDS 100

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int rendezvous = 1;  /* phase 1: callbacks wait for each other */
static int blocking_work;   /* phase 2: 1 ms of blocking work per callback */
static int active, max_active, got;

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

static struct timespec deadline(int s)
{
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += s;
	return dl;
}

static void on_ready(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	char buf[64];
	int n = 0;
	(void)pool;
	(void)ready;
	(void)data;
	pthread_mutex_lock(&mu);
	if (rendezvous) {
		struct timespec dl = deadline(10);
		if (++active > max_active)
			max_active = active;
		if (active == THREADS) {
			rendezvous = 0;
			pthread_cond_broadcast(&cv);
		}
		while (rendezvous)
			if (pthread_cond_timedwait(&cv, &mu, &dl) == ETIMEDOUT)
				FAIL("only %d callbacks ran at once with %d ready sockets", max_active, SOCKETS);
		active--;
	}
	pthread_mutex_unlock(&mu);
	while (sctpio_recv(fd, buf, sizeof(buf), NULL) > 0)
		n++;
	if (__atomic_load_n(&blocking_work, __ATOMIC_RELAXED))
		poll(NULL, 0, 1);
	pthread_mutex_lock(&mu);
	got += n;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void wait_got(int want)
{
	struct timespec dl = deadline(20);
	pthread_mutex_lock(&mu);
	while (got < want)
		if (pthread_cond_timedwait(&cv, &mu, &dl) == ETIMEDOUT)
			FAIL("got %d of %d messages", got, want);
	pthread_mutex_unlock(&mu);
}

int main(void)
{
	static int cli[SOCKETS], srv[SOCKETS];
	struct sctpio_pool *pool;
	struct sctpio_pool_stats st[THREADS];
	uint64_t base[THREADS], total = 0, least = UINT64_MAX;

	pairs(SOCKETS, cli, srv);
	OK(sctpio_pool_new(&pool, THREADS));
	for (int i = 0; i < SOCKETS; i++)
		OK(sctpio_pool_add(pool, srv[i], SCTPIO_READY_IN, on_ready, NULL));

	for (int i = 0; i < SOCKETS; i++)
		send_all(cli[i], "r", 1, NULL);
	wait_got(SOCKETS);
	CHECK_EQ(max_active, THREADS);
	printf("phase 1: %d callbacks ran at once with %d sockets ready\n", max_active, SOCKETS);

	for (unsigned t = 0; t < THREADS; t++) {
		OK(sctpio_pool_stats(pool, t, &st[t]));
		base[t] = st[t].callbacks;
	}
	__atomic_store_n(&blocking_work, 1, __ATOMIC_RELAXED);
	for (int r = 1; r <= ROUNDS; r++) {
		for (int i = 0; i < SOCKETS; i++)
			send_all(cli[i], "m", 1, NULL);
		wait_got(SOCKETS * (r + 1));
	}
	printf("phase 2: %d messages on %d sockets; callbacks per thread:", ROUNDS * SOCKETS, SOCKETS);
	for (unsigned t = 0; t < THREADS; t++) {
		OK(sctpio_pool_stats(pool, t, &st[t]));
		st[t].callbacks -= base[t];
		total += st[t].callbacks;
		if (st[t].callbacks < least)
			least = st[t].callbacks;
		printf(" %llu", (unsigned long long)st[t].callbacks);
	}
	printf(" (least %.1f%%)\n", 100.0 * (double)least / (double)total);
	CHECK(least * 100 >= total * 15);
	OK(sctpio_pool_free(pool));
	for (int i = 0; i < SOCKETS; i++) {
		close(cli[i]);
		close(srv[i]);
	}
	return 0;
}
