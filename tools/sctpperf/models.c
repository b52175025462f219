// SPDX-License-Identifier: MIT
/*
 * models.c - the three ways sctpperf runs its server (sctpio/dispatch.h):
 *
 *   loop    one thread, one epoll instance, every ready socket served in turn: the baseline.
 *   pool    sctpio_pool with N threads; the callback serves the socket.
 *   poller  sctpio_poller with one epoll thread and N worker threads that pop a ready socket, serve
 *           it, and give it back with sctpio_poller_done.
 *
 * Each hands a ready socket to conn_ready (server.c) on one thread at a time; when conn_ready says
 * the socket is finished, the model unregisters it before it is closed, as dispatch.h requires.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "sctpperf.h"

struct model {
	enum perf_model kind;
	unsigned workers;
	int epfd, stopfd;     /* loop */
	pthread_t loop_thr;
	struct sctpio_pool *pool;
	struct sctpio_poller *poller;
	pthread_t *thr;       /* poller workers */
};

static uint32_t ready_bits(uint32_t ev)
{
	return (ev & EPOLLIN ? SCTPIO_READY_IN : 0) | (ev & EPOLLOUT ? SCTPIO_READY_OUT : 0) |
	       (ev & EPOLLERR ? SCTPIO_READY_ERR : 0) | (ev & (EPOLLHUP | EPOLLRDHUP) ? SCTPIO_READY_HUP : 0);
}

/*
 * The loop: level-triggered epoll, as a single-threaded server would be written. A socket left with
 * data (conn_ready stops after a budget) is reported again by the next epoll_wait. The stop eventfd
 * is registered with a NULL pointer.
 */
static void *loop_main(void *arg)
{
	struct model *m = arg;
	struct epoll_event ev[64];
	for (;;) {
		int n = epoll_wait(m->epfd, ev, 64, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fatal("epoll_wait: %s", strerror(errno));
		for (int i = 0; i < n; i++) {
			struct conn *c = ev[i].data.ptr;
			if (!c)
				return NULL;
			if (conn_ready(c, ready_bits(ev[i].events))) {
				epoll_ctl(m->epfd, EPOLL_CTL_DEL, conn_fd(c), NULL);
				conn_close(c);
			}
		}
	}
}

/* The pool callback: a finished socket removes itself (allowed from its own callback) and closes. */
static void pool_cb(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	struct conn *c = data;
	if (conn_ready(c, ready)) {
		sctpio_pool_remove(pool, fd);
		conn_close(c);
	}
}

/* A poller worker: pop, serve, give back. Removing a socket one holds returns at once. */
static void *worker_main(void *arg)
{
	struct model *m = arg;
	struct sctpio_poller_event ev;
	int rc;
	while ((rc = sctpio_poller_pop(m->poller, &ev, -1)) == 0) {
		struct conn *c = ev.data;
		int finished = conn_ready(c, ev.ready);
		if (finished)
			sctpio_poller_remove(m->poller, ev.fd);
		sctpio_poller_done(m->poller, &ev);
		if (finished)
			conn_close(c);
	}
	if (rc != -ECANCELED)
		fatal("sctpio_poller_pop: %s", strerror(-rc));
	return NULL;
}

struct model *model_start(struct server *s, enum perf_model kind, unsigned workers)
{
	struct model *m = calloc(1, sizeof(*m));
	int rc = 0;
	(void)s;
	if (!m)
		fatal("out of memory");
	m->kind = kind;
	m->workers = workers;
	switch (kind) {
	case MODEL_LOOP: {
		m->epfd = epoll_create1(EPOLL_CLOEXEC);
		m->stopfd = eventfd(0, EFD_CLOEXEC);
		if (m->epfd < 0 || m->stopfd < 0)
			fatal("epoll/eventfd: %s", strerror(errno));
		struct epoll_event e = { .events = EPOLLIN, .data.ptr = NULL };
		if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, m->stopfd, &e) < 0)
			fatal("epoll_ctl: %s", strerror(errno));
		rc = -pthread_create(&m->loop_thr, NULL, loop_main, m);
		break;
	}
	case MODEL_POOL:
		rc = sctpio_pool_new(&m->pool, workers);
		break;
	case MODEL_POLLER:
		/* One epoll thread is enough: it only moves ready sockets to the workers. */
		rc = sctpio_poller_new(&m->poller, 1, 0);
		if (rc < 0)
			break;
		if (!(m->thr = calloc(workers, sizeof(*m->thr))))
			fatal("out of memory");
		for (unsigned i = 0; i < workers && rc == 0; i++)
			rc = -pthread_create(&m->thr[i], NULL, worker_main, m);
		break;
	}
	if (rc < 0)
		fatal("cannot start the %s model: %s", model_name(kind), strerror(-rc));
	return m;
}

int model_watch(struct model *m, struct conn *c)
{
	switch (m->kind) {
	case MODEL_LOOP: {
		struct epoll_event e = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
		return epoll_ctl(m->epfd, EPOLL_CTL_ADD, conn_fd(c), &e) < 0 ? -errno : 0;
	}
	case MODEL_POOL:
		return sctpio_pool_add(m->pool, conn_fd(c), SCTPIO_READY_IN, pool_cb, c);
	case MODEL_POLLER:
		return sctpio_poller_add(m->poller, conn_fd(c), SCTPIO_READY_IN, c);
	}
	return -EINVAL;
}

void model_stop(struct model *m)
{
	uint64_t one = 1;
	switch (m->kind) {
	case MODEL_LOOP:
		if (write(m->stopfd, &one, sizeof(one)) != sizeof(one))
			fatal("eventfd write: %s", strerror(errno));
		pthread_join(m->loop_thr, NULL);
		close(m->epfd);
		close(m->stopfd);
		break;
	case MODEL_POOL:
		sctpio_pool_free(m->pool);
		break;
	case MODEL_POLLER:
		sctpio_poller_shutdown(m->poller);
		for (unsigned i = 0; i < m->workers; i++)
			pthread_join(m->thr[i], NULL);
		sctpio_poller_free(m->poller);
		free(m->thr);
		break;
	}
	free(m);
}
