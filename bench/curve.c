// SPDX-License-Identifier: MIT
/*
 * curve benchmark: how the cost of receiving grows with the number of associations, 1 to 10,000, in
 * one process on loopback. N one-to-one client sockets, each with its own association, send 100-byte
 * messages to one server, which receives them one of three ways:
 *
 *   many    all N associations on one one-to-many socket; one thread: epoll_wait, then
 *           sctpio_batch_recv(64) until EAGAIN
 *   pool    N accepted one-to-one sockets in an sctpio_pool of 2 threads; the callback drains its
 *           socket with sctpio_batch_recv(64)
 *   poller  N accepted one-to-one sockets in an sctpio_poller (1 epoll thread, queue 1024) and 2
 *           workers that pop, drain with sctpio_batch_recv(64), done
 *
 * Two traffic shapes: saturate (one sender thread sends round-robin over the clients as fast as the
 * sockets take it) and trickle (each association sends one message every INTERVAL, spread evenly:
 * the signalling pattern, where what matters is CPU and system calls per message, not the rate).
 * The trickle interval is 100 ms, stretched so that N associations send at most -R messages/s in
 * all (an emulator cannot carry 10,000 x 10/s): the JSON says which interval each point used.
 *
 * Reported per model, N and shape: messages/s received; server CPU per message (the process's CPU
 * less the sender thread's: on loopback a send runs the receiver's protocol work in the sender's
 * softirq, so that share is the sender's); receive calls (recvmmsg) and wakeups (epoll_wait returns,
 * or poller pops) per message; user-space memory per association (the process's resident set after
 * setup less before, both ends' sockets in this one process) and kernel slab per association (both
 * ends, from /proc/meminfo's Slab).
 *
 * Usage: curve [-n 1,10,100,1000,10000] [-m many,pool,poller] [-s saturate,trickle] [-t SECONDS]
 *              [-R RATE] [--json]
 * Build and run: make B=build benches && scripts/sctp-run -t 1800 build/bench/curve --json
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sctpio.h"
#include "bench.h"

#define SLOTS 64
#define MSG 100
#define WORKERS 2

/* The resident set in bytes (/proc/self/statm's second field). */
static long rss_bytes(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * sysconf(_SC_PAGESIZE);
}

/* /proc/meminfo's Slab in bytes: where the kernel's associations and sockets live. */
static long slab_bytes(void)
{
	char line[128];
	long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "Slab: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * 1024;
}

/* What one measurement shares between the sender, the server's threads and main. */
struct run {
	int model;                /* 0 many, 1 pool, 2 poller */
	int lfd;                  /* the server's socket (many: the one-to-many socket; else the listener) */
	int *cli, *srv;           /* N client sockets; N accepted ones (pool, poller) */
	int n;
	struct sctpio_pool *pool;
	struct sctpio_poller *poller;
	atomic_uint_fast64_t received, recvs, wakeups;
	atomic_int stop;
	pthread_t threads[WORKERS];
	int nthreads;
};

static const char *model_names[] = { "many", "pool", "poller" };

/* Drain fd with b until EAGAIN; count what came. */
static void drain(struct run *r, struct sctpio_batch *b, int fd)
{
	for (;;) {
		int k = sctpio_batch_recv(b, fd, 1, 0);
		atomic_fetch_add_explicit(&r->recvs, 1, memory_order_relaxed);
		if (k <= 0)
			return;
		atomic_fetch_add_explicit(&r->received, data_count(b, k), memory_order_relaxed);
		if (k < SLOTS)
			return; /* took all there was: the next readiness brings more */
	}
}

/* The one-to-many model's thread. */
static void *many_thread(void *arg)
{
	struct run *r = arg;
	struct sctpio_batch *b;
	TRY(sctpio_batch_new(&b, SLOTS, 2048));
	int ep = TRY(epoll_create1(EPOLL_CLOEXEC));
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = r->lfd };
	TRY(epoll_ctl(ep, EPOLL_CTL_ADD, r->lfd, &ev));
	while (!atomic_load(&r->stop)) {
		if (epoll_wait(ep, &ev, 1, 500) == 1) {
			atomic_fetch_add_explicit(&r->wakeups, 1, memory_order_relaxed);
			drain(r, b, r->lfd);
		}
	}
	close(ep);
	sctpio_batch_free(b);
	return NULL;
}

/* The pool model's callback: each pool thread keeps a batch of its own (thread-local; left to the
 * process's exit, as the pool gives no hook at thread end). */
static _Thread_local struct sctpio_batch *pool_batch;

static void pool_cb(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	(void)pool, (void)ready;
	if (!pool_batch)
		TRY(sctpio_batch_new(&pool_batch, SLOTS, 2048));
	drain(data, pool_batch, fd);
}

/* The poller model's workers. */
static void *poller_worker(void *arg)
{
	struct run *r = arg;
	struct sctpio_batch *b;
	TRY(sctpio_batch_new(&b, SLOTS, 2048));
	struct sctpio_poller_event ev;
	while (!atomic_load(&r->stop)) {
		if (sctpio_poller_pop(r->poller, &ev, 500) < 0)
			continue;
		atomic_fetch_add_explicit(&r->wakeups, 1, memory_order_relaxed);
		drain(r, b, ev.fd);
		sctpio_poller_done(r->poller, &ev);
	}
	sctpio_batch_free(b);
	return NULL;
}

/* Opens the server and N connected clients (and, one-to-one, accepts N), then starts the model. */
static void setup(struct run *r)
{
	sctpio_addr a, bound;
	TRY(sctpio_addr_parse(&a, "127.0.0.1", 0));
	struct sctpio_sock_setup big = { .rcvbuf = 4 << 20 };
	int style = r->model == 0 ? SCTPIO_ONE_TO_MANY : SCTPIO_ONE_TO_ONE;
	r->lfd = TRY(sctpio_sock_server_setup(style, &a, 1, 4096, SCTPIO_NO_EVENTS, &big));
	TRY(sctpio_sock_local_addrs(r->lfd, 0, &bound, 1));
	r->cli = calloc((size_t)r->n, sizeof(int));
	r->srv = calloc((size_t)r->n, sizeof(int));
	int accepted = 0;
	for (int i = 0; i < r->n; i++) {
		r->cli[i] = TRY(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &bound, 1, NULL, 0, SCTPIO_NO_EVENTS, NULL));
		/* Wait for the handshake in chunks, accepting as we go, so the backlog never fills. */
		if ((i + 1) % 256 == 0 || i + 1 == r->n) {
			for (int j = i - (i % 256); j <= i; j++) {
				struct pollfd p = { .fd = r->cli[j], .events = POLLOUT };
				if (poll(&p, 1, 30000) != 1 || sctpio_sock_error(r->cli[j]) < 0)
					die("connect", -ETIMEDOUT);
			}
			while (style == SCTPIO_ONE_TO_ONE && accepted <= i) {
				int fd = sctpio_sock_accept(r->lfd, NULL, 0);
				if (fd == -EAGAIN) {
					struct pollfd p = { .fd = r->lfd, .events = POLLIN };
					if (poll(&p, 1, 30000) != 1)
						die("accept", -ETIMEDOUT);
					continue;
				}
				r->srv[accepted++] = TRY(fd);
			}
		}
	}
	if (r->model == 0) {
		r->nthreads = 1;
		TRY(-pthread_create(&r->threads[0], NULL, many_thread, r));
	} else if (r->model == 1) {
		TRY(sctpio_pool_new(&r->pool, WORKERS));
		for (int i = 0; i < r->n; i++)
			TRY(sctpio_pool_add(r->pool, r->srv[i], SCTPIO_READY_IN, pool_cb, r));
	} else {
		TRY(sctpio_poller_new(&r->poller, 1, 1024));
		for (int i = 0; i < r->n; i++)
			TRY(sctpio_poller_add(r->poller, r->srv[i], SCTPIO_READY_IN, NULL));
		r->nthreads = WORKERS;
		for (int i = 0; i < WORKERS; i++)
			TRY(-pthread_create(&r->threads[i], NULL, poller_worker, r));
	}
}

static void teardown(struct run *r)
{
	atomic_store(&r->stop, 1);
	for (int i = 0; i < r->nthreads; i++)
		pthread_join(r->threads[i], NULL);
	if (r->pool)
		TRY(sctpio_pool_free(r->pool));
	if (r->poller) {
		TRY(sctpio_poller_shutdown(r->poller));
		TRY(sctpio_poller_free(r->poller));
	}
	for (int i = 0; i < r->n; i++) {
		close(r->cli[i]);
		if (r->model)
			close(r->srv[i]);
	}
	close(r->lfd);
	free(r->cli);
	free(r->srv);
}

struct point {
	double rate, cpu_us, recvs, wakeups, interval_ms;
	uint64_t sent, received;
};

/* The wakeups so far: the pool counts its own (per thread, cumulative), the other models count here. */
static uint64_t wakeups(struct run *r)
{
	if (r->model != 1)
		return atomic_load(&r->wakeups);
	uint64_t w = 0;
	struct sctpio_pool_stats st;
	for (unsigned i = 0; i < WORKERS; i++)
		if (sctpio_pool_stats(r->pool, i, &st) == 0)
			w += st.wakeups;
	return w;
}

/* Sends for `seconds`: saturate (interval 0) or one message per client every interval_ns, spread
 * evenly; then waits until the server has everything sent. Measures from the first send to the last
 * receipt. */
static struct point measure(struct run *r, double seconds, uint64_t interval_ns)
{
	static const char msg[MSG];
	struct point p = { .interval_ms = (double)interval_ns / 1e6 };
	uint64_t r0 = atomic_load(&r->received), c0 = atomic_load(&r->recvs), w0 = wakeups(r);
	uint64_t pcpu0 = process_cpu_ns(), scpu0 = thread_cpu_ns(), t0 = now_ns();
	uint64_t end = t0 + (uint64_t)(seconds * 1e9), step = interval_ns / (uint64_t)r->n;
	for (uint64_t j = 0;; j++) {
		uint64_t t = now_ns();
		if (t >= end)
			break;
		if (interval_ns) {
			uint64_t due = t0 + j * step;
			if (due > t + 1000000) { /* more than 1 ms ahead: sleep, else send at once */
				struct timespec ts = { .tv_sec = (time_t)((due - t) / 1000000000u),
						       .tv_nsec = (long)((due - t) % 1000000000u) };
				nanosleep(&ts, NULL);
			}
		}
		if (sctpio_send(r->cli[j % (uint64_t)r->n], msg, MSG, NULL) == MSG)
			p.sent++;
	}
	for (uint64_t deadline = now_ns() + 30000000000u; atomic_load(&r->received) - r0 < p.sent;) {
		if (now_ns() > deadline)
			die("the server did not get every message in 30 s", -ETIMEDOUT);
		struct timespec ts = { 0, 200000 };
		nanosleep(&ts, NULL);
	}
	/* The wait above is this thread's too: its CPU counts as the sender's, not the server's. */
	uint64_t t1 = now_ns(), pcpu = process_cpu_ns() - pcpu0, scpu = thread_cpu_ns() - scpu0;
	p.received = atomic_load(&r->received) - r0;
	double n = p.received ? (double)p.received : 1;
	p.rate = (double)p.received / ((double)(t1 - t0) / 1e9);
	p.cpu_us = (double)(pcpu > scpu ? pcpu - scpu : 0) / 1e3 / n;
	p.recvs = (double)(atomic_load(&r->recvs) - c0) / n;
	p.wakeups = (double)(wakeups(r) - w0) / n;
	return p;
}

int main(int argc, char **argv)
{
	int ns[16] = { 1, 10, 100, 1000, 10000 }, nn = 5, models[3] = { 0, 1, 2 }, nm = 3, json = 0;
	int shapes[2] = { 0, 1 }, nsh = 2;
	double seconds = 3, cap_rate = 2000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			nn = parse_list(argv[++i], ns, 16);
		else if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			nm = 0;
			for (char *t = strtok(argv[++i], ","); t && nm < 3; t = strtok(NULL, ","))
				for (int m = 0; m < 3; m++)
					if (!strcmp(t, model_names[m]))
						models[nm++] = m;
		} else if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			nsh = 0;
			for (char *t = strtok(argv[++i], ","); t && nsh < 2; t = strtok(NULL, ","))
				shapes[nsh++] = !strcmp(t, "trickle");
		} else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "-R") && i + 1 < argc)
			cap_rate = atof(argv[++i]);
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else {
			fprintf(stderr, "usage: curve [-n LIST] [-m many,pool,poller] [-s saturate,trickle] [-t S] [-R RATE] [--json]\n");
			return 2;
		}
	}
	/* Two sockets per association and one more each side: raise the descriptor limit. */
	struct rlimit rl = { .rlim_cur = 65536, .rlim_max = 65536 };
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		fprintf(stderr, "curve: setrlimit: %s (large N may fail)\n", strerror(errno));
	if (json)
		printf("{\"tool\":\"bench/curve\",\"size\":%d,\"slots\":%d,\"workers\":%d,\"seconds\":%g,\"trickle_cap\":%g,\"points\":[",
		       MSG, SLOTS, WORKERS, seconds, cap_rate);
	else
		printf("%-7s %6s %-9s %11s %9s %8s %8s %9s %8s %8s\n", "model", "assocs", "shape", "msgs/s",
		       "cpu/msg", "recv/msg", "wake/msg", "user/asc", "kern/asc", "interval");
	int first = 1;
	for (int mi = 0; mi < nm; mi++)
		for (int ni = 0; ni < nn; ni++) {
			struct run r = { .model = models[mi], .n = ns[ni] };
			long rss0 = rss_bytes(), slab0 = slab_bytes();
			setup(&r);
			long user = (rss_bytes() - rss0) / r.n, kern = (slab_bytes() - slab0) / r.n;
			for (int si = 0; si < nsh; si++) {
				uint64_t interval = 0;
				double secs = seconds;
				if (shapes[si]) {
					interval = 100000000u; /* 100 ms, stretched to keep the total under cap_rate */
					if ((double)r.n / 0.1 > cap_rate)
						interval = (uint64_t)((double)r.n / cap_rate * 1e9);
					if (secs < 3 * (double)interval / 1e9)
						secs = 3 * (double)interval / 1e9;
				}
				struct point p = measure(&r, secs, interval);
				const char *shape = shapes[si] ? "trickle" : "saturate";
				if (json)
					printf("%s{\"model\":\"%s\",\"assocs\":%d,\"shape\":\"%s\",\"msgs_per_s\":%.1f,"
					       "\"cpu_us_per_msg\":%.3f,\"recvs_per_msg\":%.4f,\"wakeups_per_msg\":%.4f,"
					       "\"user_bytes_per_assoc\":%ld,\"kernel_slab_bytes_per_assoc\":%ld,"
					       "\"interval_ms\":%.1f,\"sent\":%llu,\"received\":%llu}",
					       first ? "" : ",", model_names[r.model], r.n, shape, p.rate, p.cpu_us, p.recvs,
					       p.wakeups, user, kern, p.interval_ms, (unsigned long long)p.sent,
					       (unsigned long long)p.received);
				else
					printf("%-7s %6d %-9s %11.0f %7.2fus %8.3f %8.3f %8ldB %7ldB %6.0fms\n",
					       model_names[r.model], r.n, shape, p.rate, p.cpu_us, p.recvs, p.wakeups, user,
					       kern, p.interval_ms);
				fflush(stdout);
				first = 0;
			}
			teardown(&r);
		}
	if (json)
		printf("]}\n");
	return 0;
}
