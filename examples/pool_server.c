// SPDX-License-Identifier: MIT
/*
 * pool_server - a one-to-one SCTP echo server on a receiver pool: 4 threads serve every connection's
 * callback, one thread per connection at a time, so each connection's messages are echoed in order
 * however many threads there are. The listening socket is registered too; its callback accepts.
 *
 *   pool_server ADDRS PORT COUNT      (exits after echoing COUNT messages; PORT 0: kernel's choice)
 *
 * Build: cc pool_server.c $(pkg-config --cflags --libs sctpio) -pthread
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sctpio.h>

#define MAX_ADDRS 8

/* One connection: the pool passes this back to its callback; the callback owns it. */
struct conn {
	size_t len;
	struct sctpio_rcvinfo ri;
	char buf[65536];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static long echoed, count;

static void on_conn(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	struct conn *c = data;
	(void)ready;
	for (;;) {
		int rc = sctpio_recv_append(fd, c->buf, sizeof c->buf, &c->len, &c->ri);
		if (rc == -EAGAIN)
			return; /* drained: the pool re-arms fd when this returns */
		if (rc == 0)
			continue;
		int end = rc < 0 || (c->len == 0 && !(c->ri.flags & SCTPIO_MSG_NOTIFICATION));
		if (!end && !(c->ri.flags & SCTPIO_MSG_NOTIFICATION)) {
			struct sctpio_sndinfo si = { .stream = c->ri.stream, .ppid = c->ri.ppid };
			if (sctpio_send(fd, c->buf, c->len, &si) < 0)
				end = 1;
			pthread_mutex_lock(&mu);
			if (++echoed >= count)
				pthread_cond_signal(&done_cv);
			pthread_mutex_unlock(&mu);
		}
		c->len = 0;
		if (end) {
			/* From its own callback, remove returns at once; then the socket may be closed. */
			sctpio_pool_remove(pool, fd);
			sctpio_sock_close(fd);
			free(c);
			return;
		}
	}
}

static void on_listener(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	(void)ready;
	(void)data;
	int c;
	while ((c = sctpio_sock_accept(fd, NULL, 0)) >= 0) {
		struct conn *st = calloc(1, sizeof(*st));
		if (!st || sctpio_pool_add(pool, c, SCTPIO_READY_IN, on_conn, st) < 0) {
			free(st);
			sctpio_sock_close(c);
		}
	}
}

int main(int argc, char **argv)
{
	sctpio_addr addrs[MAX_ADDRS], bound;
	struct sctpio_pool *pool;

	if (argc < 4) {
		fprintf(stderr, "usage: pool_server ADDRS PORT COUNT\n");
		return 2;
	}
	count = atol(argv[3]);
	int n = sctpio_addr_parse_list(addrs, MAX_ADDRS, argv[1], (uint16_t)atoi(argv[2]));
	int lfd = n < 0 ? n : sctpio_sock_server(SCTPIO_ONE_TO_ONE, addrs, (size_t)n, 0, 0);
	if (lfd < 0) {
		fprintf(stderr, "pool_server: %s\n", strerror(-lfd));
		return 1;
	}
	if (sctpio_sock_local_addrs(lfd, 0, &bound, 1) > 0)
		printf("listening on port %u\n", sctpio_addr_port(&bound));
	fflush(stdout);
	int rc = sctpio_pool_new(&pool, 4);
	if (rc == 0)
		rc = sctpio_pool_add(pool, lfd, SCTPIO_READY_IN, on_listener, NULL);
	if (rc < 0) {
		fprintf(stderr, "pool_server: %s\n", strerror(-rc));
		return 1;
	}
	pthread_mutex_lock(&mu);
	while (echoed < count)
		pthread_cond_wait(&done_cv, &mu);
	pthread_mutex_unlock(&mu);
	/* Free stops the threads (waiting for running callbacks); the sockets are ours to close. */
	sctpio_pool_free(pool);
	sctpio_sock_close(lfd);
	printf("echoed %ld messages\n", echoed);
	return 0;
}
