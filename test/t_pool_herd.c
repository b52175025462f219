// SPDX-License-Identifier: MIT
/*
 * Thundering herd: one readable socket must wake one pool thread, not all of them.
 * A pool of 4 threads serves one socket; 200 messages are sent one at a time, each after the last was
 * read. Asserted: the threads' epoll_wait returned once per message in all (pool counters), and the
 * kernel woke them about once per message too — the threads' voluntary context switches, read from
 * /proc/self/task/TID/status, stay below 1.3 per message (0.4 to 1.0 measured).
 * As a control, the same measure is taken on the design that has a herd (4 threads, each with its own
 * epoll instance holding the same socket, edge-triggered): it must show at least 1.5 context
 * switches per message (2 to 4 measured: fewer when the host is so loaded that a woken thread has not
 * gone back to sleep before the next message), or the measure would prove nothing. Its epoll_wait
 * returns do not show the herd: a woken thread whose socket was already drained goes back to sleep
 * inside the kernel.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>

#include "test.h"

#define THREADS 4
#define MESSAGES 200
#define CONTROL_MESSAGES 100

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int got;          /* messages read */
static long wakeups;     /* control threads' epoll_wait returns */

static void pair(int *cli, int *srv)
{
	sctpio_addr addr;
	char buf[512];
	int l = test_server(SCTPIO_ONE_TO_ONE, &addr);
	*cli = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &addr, 1, NULL, 0, SCTPIO_NO_EVENTS, NULL));
	wait_fd(l, POLLIN, 10000);
	*srv = OK(sctpio_sock_accept(l, NULL, 0));
	wait_fd(*cli, POLLOUT, 10000);
	while (sctpio_recv(*srv, buf, sizeof(buf), NULL) > 0) /* the association-up notification */
		;
	close(l);
}

/* Wait until `got` reaches want and (if also) *also reaches also_want; -ETIMEDOUT after ms. */
static int wait_got(int want, long *also, long also_want, int ms)
{
	struct timespec dl;
	int rc = 0;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += ms / 1000;
	dl.tv_nsec += (ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&mu);
	while (got < want || (also && *also < also_want))
		if (pthread_cond_timedwait(&cv, &mu, &dl) == ETIMEDOUT) {
			rc = -ETIMEDOUT;
			break;
		}
	pthread_mutex_unlock(&mu);
	return rc;
}

/* The voluntary context switches of the given threads of this process, summed. */
static long csw(const int *tids, int n)
{
	long sum = 0;
	for (int i = 0; i < n; i++) {
		char path[64], line[256];
		snprintf(path, sizeof(path), "/proc/self/task/%d/status", tids[i]);
		FILE *f = fopen(path, "r");
		CHECK(f);
		long v;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1)
				sum += v;
		fclose(f);
	}
	return sum;
}

/* The ids of this process's threads, into out (at most max); returns the count. */
static int task_ids(int *out, int max)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;
	CHECK(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && n < max)
			out[n++] = atoi(e->d_name);
	closedir(d);
	return n;
}

/* The threads that appeared since `before` was taken. */
static int new_tasks(const int *before, int nb, int *out, int max)
{
	int all[64], na = task_ids(all, 64), n = 0;
	for (int i = 0; i < na; i++) {
		int old = 0;
		for (int j = 0; j < nb; j++)
			old |= all[i] == before[j];
		if (!old && n < max)
			out[n++] = all[i];
	}
	return n;
}

static void on_ready(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	char buf[64];
	int n = 0;
	(void)pool;
	(void)ready;
	(void)data;
	while (sctpio_recv(fd, buf, sizeof(buf), NULL) > 0)
		n++;
	pthread_mutex_lock(&mu);
	got += n;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

/* The pool's context switches per message, which the control run must exceed by half. */
static double pool_csw_per_msg;

static void pool_case(int cli, int srv)
{
	struct sctpio_pool *pool;
	struct sctpio_pool_stats st;
	int before[64], nb = task_ids(before, 64), tids[THREADS];
	uint64_t wk = 0, cb = 0, stale = 0;

	got = 0; /* before the threads start, which touch it under mu */
	OK(sctpio_pool_new(&pool, THREADS));
	CHECK_EQ(new_tasks(before, nb, tids, THREADS), THREADS);
	OK(sctpio_pool_add(pool, srv, SCTPIO_READY_IN, on_ready, NULL));
	long c0 = csw(tids, THREADS);
	for (int i = 1; i <= MESSAGES; i++) {
		send_all(cli, "m", 1, NULL);
		CHECK_EQ(wait_got(i, NULL, 0, 10000), 0);
	}
	long c1 = csw(tids, THREADS);
	OK(sctpio_pool_remove(pool, srv));
	for (unsigned t = 0; t < THREADS; t++) {
		OK(sctpio_pool_stats(pool, t, &st));
		wk += st.wakeups;
		cb += st.callbacks;
		stale += st.stale;
	}
	OK(sctpio_pool_free(pool));
	printf("pool: %d messages, %d threads: %llu epoll_wait returns, %llu callbacks, %llu stale, "
	       "%ld context switches (%.2f per message)\n",
	       MESSAGES, THREADS, (unsigned long long)wk, (unsigned long long)cb, (unsigned long long)stale,
	       c1 - c0, (double)(c1 - c0) / MESSAGES);
	CHECK_EQ(wk, MESSAGES);
	CHECK_EQ(cb, MESSAGES);
	pool_csw_per_msg = (double)(c1 - c0) / MESSAGES;
}

struct ctl {
	int epfd, fd;
};

/* The herd design: this thread's own epoll instance holds the shared socket. */
static void *control_thread(void *arg)
{
	struct ctl *c = arg;
	struct epoll_event ev;
	char buf[64];
	for (;;) {
		int n = epoll_wait(c->epfd, &ev, 1, -1);
		if (n < 0 && errno == EINTR)
			continue;
		CHECK(n == 1);
		if (ev.data.fd != c->fd)
			return NULL; /* the stop eventfd */
		int r = 0;
		while (sctpio_recv(c->fd, buf, sizeof(buf), NULL) > 0)
			r++;
		pthread_mutex_lock(&mu);
		wakeups++;
		got += r;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
}

static void control_case(int cli, int srv)
{
	struct ctl c[THREADS];
	pthread_t t[THREADS];
	int before[64], nb = task_ids(before, 64), tids[THREADS];
	int stop = eventfd(0, 0);

	/* Reset before the threads start: they touch both, under mu (TSan saw the reset racing). */
	got = 0;
	wakeups = 0;

	for (int i = 0; i < THREADS; i++) {
		c[i].fd = srv;
		c[i].epfd = epoll_create1(0);
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.fd = srv };
		OK(epoll_ctl(c[i].epfd, EPOLL_CTL_ADD, srv, &ev) == 0 ? 0 : -errno);
		struct epoll_event sv = { .events = EPOLLIN, .data.fd = stop };
		OK(epoll_ctl(c[i].epfd, EPOLL_CTL_ADD, stop, &sv) == 0 ? 0 : -errno);
		CHECK(pthread_create(&t[i], NULL, control_thread, &c[i]) == 0);
	}
	CHECK_EQ(new_tasks(before, nb, tids, THREADS), THREADS);
	long c0 = csw(tids, THREADS);
	for (int i = 1; i <= CONTROL_MESSAGES; i++) {
		send_all(cli, "m", 1, NULL);
		CHECK_EQ(wait_got(i, NULL, 0, 10000), 0);
	}
	long c1 = csw(tids, THREADS);
	pthread_mutex_lock(&mu);
	long w = wakeups;
	pthread_mutex_unlock(&mu);
	uint64_t one = 1;
	CHECK_EQ(write(stop, &one, sizeof(one)), sizeof(one));
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		close(c[i].epfd);
	}
	close(stop);
	printf("control (epoll per thread, same socket in each): %d messages: %ld epoll_wait returns, "
	       "%ld context switches (%.2f per message)\n",
	       CONTROL_MESSAGES, w, c1 - c0, (double)(c1 - c0) / CONTROL_MESSAGES);
	/* Each thread re-checks the socket before epoll_wait returns, so the herd shows in the
	 * context switches, not in the returns. */
	CHECK((c1 - c0) * 10 >= CONTROL_MESSAGES * 15);
	/* Relative, not absolute: a tool that serialises threads (valgrind) adds switches to both runs,
	 * and the pool made 1.34 per message there against 1.00 natively. */
	double control = (double)(c1 - c0) / CONTROL_MESSAGES;
	printf("pool / control context switches per message: %.2f / %.2f\n", pool_csw_per_msg, control);
	CHECK(pool_csw_per_msg * 3 <= control * 2);
}

int main(void)
{
	int cli, srv;
	pair(&cli, &srv);
	pool_case(cli, srv);
	control_case(cli, srv);
	close(cli);
	close(srv);
	return 0;
}
