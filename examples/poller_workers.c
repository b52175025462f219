// SPDX-License-Identifier: MIT
/*
 * poller_workers - a one-to-many SCTP echo server whose socket is handed to worker threads by a
 * poller: a worker pops the ready socket, drains it, echoes, and gives it back with
 * sctpio_poller_done, which is what re-arms it — so no other worker can read that socket in between,
 * and every stream's messages are echoed in the order they came, with any number of workers.
 *
 *   poller_workers ADDRS PORT COUNT   (exits after echoing COUNT messages; PORT 0: kernel's choice)
 *
 * Build: cc poller_workers.c $(pkg-config --cflags --libs sctpio) -pthread
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sctpio.h>

#define MAX_ADDRS 8
#define WORKERS 4

static struct sctpio_poller *poller;
static atomic_long echoed;
static long count;

static void *worker(void *arg)
{
	static _Thread_local char buf[65536];
	(void)arg;
	for (;;) {
		struct sctpio_poller_event ev;
		if (sctpio_poller_pop(poller, &ev, -1) < 0)
			return NULL; /* -ECANCELED: the poller was shut down */
		struct sctpio_rcvinfo ri;
		size_t len = 0;
		int rc;
		/* Drain what is there; a message cut short by -EAGAIN stays in buf only within this hold,
		 * so read it to its end (the kernel delivers a message's pieces back to back). */
		while ((rc = sctpio_recv_append(ev.fd, buf, sizeof buf, &len, &ri)) != -EAGAIN || len > 0) {
			if (rc == -EAGAIN || rc == 0)
				continue;
			if (rc < 0)
				break;
			if (!(ri.flags & SCTPIO_MSG_NOTIFICATION)) {
				struct sctpio_sndinfo si = { .stream = ri.stream, .ppid = ri.ppid, .assoc_id = ri.assoc_id };
				if (sctpio_send(ev.fd, buf, len, &si) == (ssize_t)len && atomic_fetch_add(&echoed, 1) + 1 == count)
					sctpio_poller_shutdown(poller); /* wakes every worker's pop with -ECANCELED */
			}
			len = 0;
		}
		sctpio_poller_done(poller, &ev); /* re-arms the socket: only now may another worker read it */
	}
}

int main(int argc, char **argv)
{
	sctpio_addr addrs[MAX_ADDRS], bound;
	pthread_t w[WORKERS];

	if (argc < 4) {
		fprintf(stderr, "usage: poller_workers ADDRS PORT COUNT\n");
		return 2;
	}
	count = atol(argv[3]);
	int n = sctpio_addr_parse_list(addrs, MAX_ADDRS, argv[1], (uint16_t)atoi(argv[2]));
	int fd = n < 0 ? n : sctpio_sock_server(SCTPIO_ONE_TO_MANY, addrs, (size_t)n, 0, 0);
	if (fd < 0) {
		fprintf(stderr, "poller_workers: %s\n", strerror(-fd));
		return 1;
	}
	if (sctpio_sock_local_addrs(fd, 0, &bound, 1) > 0)
		printf("listening on port %u\n", sctpio_addr_port(&bound));
	fflush(stdout);
	int rc = sctpio_poller_new(&poller, 1, 0);
	if (rc == 0)
		rc = sctpio_poller_add(poller, fd, SCTPIO_READY_IN, NULL);
	if (rc < 0) {
		fprintf(stderr, "poller_workers: %s\n", strerror(-rc));
		return 1;
	}
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&w[i], NULL, worker, NULL);
	/* The usual end: shutdown (done by the worker that echoed the last message), join, free. */
	for (int i = 0; i < WORKERS; i++)
		pthread_join(w[i], NULL);
	sctpio_poller_free(poller);
	sctpio_sock_close(fd);
	printf("echoed %ld messages\n", (long)atomic_load(&echoed));
	return 0;
}
