// SPDX-License-Identifier: MIT
/*
 * dispatch benchmark: request-response through each dispatch model against a single thread looping
 * on its sockets, all in one process, on loopback.
 *
 *   plain   one thread: epoll_wait, read every ready socket, reply (the baseline)
 *   pool    sctpio_pool with 4 threads; the callback reads and replies
 *   poller  sctpio_poller with 1 epoll thread and 4 workers; a worker pops, reads, replies, done
 *
 * For 1 and 8 associations (one-to-one sockets): latency — each client thread sends one 16-byte
 * request at a time and waits for its echo (p50 and p99 round trip); throughput — each client keeps
 * 32 requests in flight (messages/s counts answered requests). Ratios are against plain.
 * The models run in turn, `rounds` times over, and each figure is the median of its rounds: machines
 * shared with other work (an emulator, above all) drift, and interleaving spreads the drift evenly.
 * Usage: dispatch [-l REQUESTS] [-k REQUESTS] [-r ROUNDS]
 *   -l  requests per client, one at a time, for the latencies (1000)
 *   -k  requests in all, WINDOW in flight per client, for the rate (20000)
 *   -r  rounds (3); each figure is the median over the rounds
 * Build and run: make B=build benches && scripts/sctp-run -c 4 build/bench/dispatch -r 3
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "sctpio.h"
#include "bench.h"

#define MAXA 8
#define THREADS 4
#define WINDOW 32

static void wait_fd(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };
	if (poll(&p, 1, 30000) != 1)
		die("poll: no progress in 30 s", -ETIMEDOUT);
}

static void send_one(int fd, const void *buf, size_t len)
{
	ssize_t n;
	while ((n = sctpio_send(fd, buf, len, NULL)) == -EAGAIN)
		wait_fd(fd, POLLOUT);
	if (n != (ssize_t)len)
		die("sctpio_send", n);
}

/* The server's work, the same in every model: read up to 64 requests, echo each. */
static void serve(int fd)
{
	char buf[256];
	struct sctpio_rcvinfo ri;
	ssize_t n;
	for (int i = 0; i < 64 && (n = sctpio_recv(fd, buf, sizeof(buf), &ri)) > 0; i++)
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION))
			send_one(fd, buf, (size_t)n);
}

/* ---- the three servers ---- */

struct server {
	int model; /* 0 plain, 1 pool, 2 poller */
	int fds[MAXA], n;
	int stopfd, epfd;
	pthread_t thr[THREADS];
	struct sctpio_pool *pool;
	struct sctpio_poller *poller;
};

static void *plain_main(void *arg)
{
	struct server *s = arg;
	struct epoll_event ev[MAXA + 1];
	for (;;) {
		int n = epoll_wait(s->epfd, ev, MAXA + 1, -1);
		for (int i = 0; i < n; i++) {
			if (ev[i].data.fd == s->stopfd)
				return NULL;
			serve(ev[i].data.fd);
		}
	}
}

static void on_ready(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	(void)pool;
	(void)ready;
	(void)data;
	serve(fd);
}

static void *worker_main(void *arg)
{
	struct server *s = arg;
	struct sctpio_poller_event ev;
	while (sctpio_poller_pop(s->poller, &ev, -1) == 0) {
		serve(ev.fd);
		TRY(sctpio_poller_done(s->poller, &ev));
	}
	return NULL;
}

static void server_start(struct server *s)
{
	if (s->model == 0) {
		s->epfd = epoll_create1(0);
		s->stopfd = eventfd(0, 0);
		struct epoll_event e = { .events = EPOLLIN, .data.fd = s->stopfd };
		epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->stopfd, &e);
		for (int i = 0; i < s->n; i++) {
			e.data.fd = s->fds[i];
			epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->fds[i], &e);
		}
		pthread_create(&s->thr[0], NULL, plain_main, s);
	} else if (s->model == 1) {
		TRY(sctpio_pool_new(&s->pool, THREADS));
		for (int i = 0; i < s->n; i++)
			TRY(sctpio_pool_add(s->pool, s->fds[i], SCTPIO_READY_IN, on_ready, NULL));
	} else {
		TRY(sctpio_poller_new(&s->poller, 1, 0));
		for (int i = 0; i < THREADS; i++)
			pthread_create(&s->thr[i], NULL, worker_main, s);
		for (int i = 0; i < s->n; i++)
			TRY(sctpio_poller_add(s->poller, s->fds[i], SCTPIO_READY_IN, NULL));
	}
}

static void server_stop(struct server *s)
{
	uint64_t one = 1;
	if (s->model == 0) {
		if (write(s->stopfd, &one, sizeof(one)) != sizeof(one))
			die("write", -errno);
		pthread_join(s->thr[0], NULL);
		close(s->epfd);
		close(s->stopfd);
	} else if (s->model == 1) {
		TRY(sctpio_pool_free(s->pool));
	} else {
		TRY(sctpio_poller_shutdown(s->poller));
		for (int i = 0; i < THREADS; i++)
			pthread_join(s->thr[i], NULL);
		TRY(sctpio_poller_free(s->poller));
	}
}

/* ---- clients ---- */

struct client {
	int fd;
	long count;
	int window;     /* 1: latency (one at a time); >1: throughput */
	uint64_t *rtt;  /* latency: count round trips, in ns */
};

static void *client_main(void *arg)
{
	struct client *c = arg;
	char buf[256];
	struct sctpio_rcvinfo ri;
	long sent = 0, got = 0;
	while (got < c->count) {
		while (sent < c->count && sent - got < c->window) {
			uint64_t msg[2] = { (uint64_t)sent, now_ns() };
			send_one(c->fd, msg, sizeof(msg));
			sent++;
		}
		ssize_t n = sctpio_recv(c->fd, buf, sizeof(buf), &ri);
		if (n == -EAGAIN) {
			wait_fd(c->fd, POLLIN);
			continue;
		}
		if (n <= 0)
			die("client recv", n);
		if (ri.flags & SCTPIO_MSG_NOTIFICATION)
			continue;
		uint64_t msg[2];
		memcpy(msg, buf, sizeof(msg));
		if (msg[0] != (uint64_t)got)
			die("echo out of order", -EPROTO);
		if (c->rtt)
			c->rtt[got] = now_ns() - msg[1];
		got++;
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct result {
	double p50_us, p99_us, msgs;
};

static struct result measure(int model, int *srv, int *cli, int n, long lat_count, long tput_count)
{
	struct server s = { .model = model, .n = n };
	struct client c[MAXA];
	pthread_t t[MAXA];
	struct result r;
	uint64_t *rtt = calloc((size_t)(lat_count * n), sizeof(uint64_t));

	memcpy(s.fds, srv, sizeof(int) * (size_t)n);
	server_start(&s);
	for (int i = 0; i < n; i++) {
		c[i] = (struct client){ .fd = cli[i], .count = lat_count, .window = 1, .rtt = rtt + i * lat_count };
		pthread_create(&t[i], NULL, client_main, &c[i]);
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	qsort(rtt, (size_t)(lat_count * n), sizeof(uint64_t), cmp_u64);
	r.p50_us = (double)rtt[lat_count * n / 2] / 1e3;
	r.p99_us = (double)rtt[lat_count * n * 99 / 100] / 1e3;
	free(rtt);

	uint64_t t0 = now_ns();
	for (int i = 0; i < n; i++) {
		c[i] = (struct client){ .fd = cli[i], .count = tput_count / n, .window = WINDOW };
		pthread_create(&t[i], NULL, client_main, &c[i]);
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	r.msgs = (double)(tput_count / n * n) / ((double)(now_ns() - t0) / 1e9);
	server_stop(&s);
	return r;
}

static void pairs(int n, int *cli, int *srv)
{
	sctpio_addr addr;
	char buf[512];
	TRY(sctpio_addr_parse(&addr, "127.0.0.1", 0));
	int l = (int)TRY(sctpio_sock_server(SCTPIO_ONE_TO_ONE, &addr, 1, 0, 0));
	TRY(sctpio_sock_local_addrs(l, 0, &addr, 1));
	for (int i = 0; i < n; i++) {
		cli[i] = (int)TRY(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &addr, 1, NULL, 0, SCTPIO_NO_EVENTS, NULL));
		wait_fd(l, POLLIN);
		srv[i] = (int)TRY(sctpio_sock_accept(l, NULL, SCTPIO_NO_EVENTS));
		wait_fd(cli[i], POLLOUT);
		while (sctpio_recv(srv[i], buf, sizeof(buf), NULL) > 0)
			;
	}
	close(l);
}

int main(int argc, char **argv)
{
	long lat = 1000, tput = 20000;
	int rounds = 3, bad = 0;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "-l"))
			lat = atol(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "-k"))
			tput = atol(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "-r"))
			rounds = atoi(argv[++i]);
		else
			bad = 1;
	}
	static const char *names[] = { "plain", "pool", "poller" };
	int cli[MAXA], srv[MAXA];

	if (bad || lat < 100 || tput < MAXA * WINDOW || rounds < 1 || rounds > 99) {
		fprintf(stderr, "usage: dispatch [-l REQUESTS >= 100] [-k REQUESTS >= %d] [-r ROUNDS 1..99]\n",
			MAXA * WINDOW);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0); /* the harness streams lines as they come */
	pairs(MAXA, cli, srv);
	printf("%d round(s) of %ld requests per client one at a time and %ld with %d in flight; medians\n", rounds,
	       lat, tput, WINDOW);
	printf("%-7s %6s %12s %9s %9s %9s %9s %9s\n", "model", "assocs", "msgs/s", "p50 us", "p99 us", "x msgs/s",
	       "x p50", "x p99");
	for (int n = 1; n <= MAXA; n *= MAXA) {
		double v[3][3][99]; /* model, metric, round */
		struct result med[3];
		for (int k = 0; k < rounds; k++)
			for (int m = 0; m < 3; m++) {
				struct result r = measure(m, srv, cli, n, lat, tput);
				fprintf(stderr, "  round %d %-6s %d: %.0f msgs/s p50 %.1f us p99 %.1f us\n", k + 1, names[m], n,
					r.msgs, r.p50_us, r.p99_us);
				v[m][0][k] = r.msgs;
				v[m][1][k] = r.p50_us;
				v[m][2][k] = r.p99_us;
			}
		for (int m = 0; m < 3; m++) {
			med[m] = (struct result){ .msgs = median(v[m][0], rounds), .p50_us = median(v[m][1], rounds),
						  .p99_us = median(v[m][2], rounds) };
		}
		for (int m = 0; m < 3; m++) {
			struct result r = med[m], b = med[0];
			printf("%-7s %6d %12.0f %9.1f %9.1f %9.2f %9.2f %9.2f\n", names[m], n, r.msgs, r.p50_us, r.p99_us,
			       r.msgs / b.msgs, r.p50_us / b.p50_us, r.p99_us / b.p99_us);
		}
		fflush(stdout);
	}
	for (int i = 0; i < MAXA; i++) {
		close(cli[i]);
		close(srv[i]);
	}
	return 0;
}
