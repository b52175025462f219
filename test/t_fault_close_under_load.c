// SPDX-License-Identifier: MIT
/*
 * Closing sockets while other threads are busy on them, in both directions, on loopback:
 *  A. one-to-one, the client's socket closed (a graceful close, or an abort when data was unread);
 *  B. one-to-one, the server's socket closed with SO_LINGER 0 (always an abort);
 *  C. one-to-many, the server's socket closed under three associations, its receiver using
 *     sctpio_batch_recv and its sender round-robin over the associations.
 * Each socket has a sending and a receiving thread, non-blocking, waiting with poll. Once every
 * thread has moved 300 messages the socket is closed from the main thread. Every thread must then
 * end by itself - on -EBADF, end of stream, -EPIPE, -ECONNRESET and the like, never by a flag - and
 * all must have ended within 20 s (counted on an eventfd; a hang fails the test). Every message
 * received up to the close is checked (checksum, stream, order), no descriptor is left open at the
 * end, and the test runs under valgrind too (`make valgrind`), which reports leaks and bad accesses.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/eventfd.h>

#include "netns.h"

enum { STREAMS = 4, PROGRESS = 300, MAX_ASSOCS = 4, MAX_WORKERS = 2 + 2 * MAX_ASSOCS, END_MS = 20000 };

struct worker {
	pthread_t th;
	const char *name;
	int fd, send, batch;           /* the socket; sending or receiving; receive with a batch */
	sctp_assoc_t to[MAX_ASSOCS];   /* one-to-many sender: the associations, round-robin */
	int nto;
	struct flow_tx tx[MAX_ASSOCS];
	struct flow_rx rx[MAX_ASSOCS];
	sctp_assoc_t rx_id[MAX_ASSOCS]; /* one-to-many receiver: which association each rx is */
	uint64_t moved;
	int progress_efd, done_efd, signalled;
	int end;                       /* why it ended: -errno, or 0 for end of stream */
	int by_note;                   /* ...as told by an SCTP_ASSOC_CHANGE (one-to-one receivers) */
	atomic_int finished;
};

static void signal_efd(int efd)
{
	uint64_t one = 1;
	if (write(efd, &one, sizeof(one)) != sizeof(one))
		FAIL("eventfd: %s", strerror(errno));
}

static void moved(struct worker *w)
{
	if (++w->moved == PROGRESS && !w->signalled) {
		w->signalled = 1;
		signal_efd(w->progress_efd);
	}
}

static struct flow_rx *rx_for(struct worker *w, sctp_assoc_t id)
{
	for (int i = 0; i < MAX_ASSOCS; i++) {
		if (w->rx_id[i] == id || w->rx_id[i] == 0) {
			w->rx_id[i] = id;
			return &w->rx[i];
		}
	}
	FAIL("%s: too many associations", w->name);
}

/* Wait for events on the worker's socket (50 ms at most). Returns -EBADF once it is closed. */
static int wait_on(struct worker *w, short events)
{
	struct pollfd p = { .fd = w->fd, .events = events };
	if (poll(&p, 1, 50) < 0 && errno != EINTR)
		return -errno;
	return (p.revents & POLLNVAL) ? -EBADF : 0;
}

static int send_loop(struct worker *w)
{
	uint8_t msg[FLOW_MAX];
	size_t len = 0;
	int k = 0, rc;

	for (uint64_t i = 0;; i++) {
		k = w->nto ? (int)(i % (uint64_t)w->nto) : 0;
		uint16_t stream = (uint16_t)(w->tx[k].sent % STREAMS);
		len = flow_next(&w->tx[k], stream, msg, 200);
		struct sctpio_sndinfo si = { .stream = stream, .ppid = 9, .assoc_id = w->nto ? w->to[k] : 0 };
		ssize_t n;
		while ((n = sctpio_send(w->fd, msg, len, &si)) == -EAGAIN)
			if ((rc = wait_on(w, POLLOUT)) < 0)
				return rc;
		if (n < 0)
			return (int)n;
		CHECK_EQ(n, (long long)len);
		moved(w);
	}
}

static int recv_loop(struct worker *w)
{
	static __thread uint8_t buf[1 << 16];
	struct sctpio_batch *b = NULL;
	int rc;

	if (w->batch)
		OK(sctpio_batch_new(&b, 16, 4096));
	for (;;) {
		if ((rc = wait_on(w, POLLIN)) < 0)
			break;
		if (b) {
			int n = sctpio_batch_recv(b, w->fd, 1, 0);
			if (n == -EAGAIN)
				continue;
			if ((rc = n) < 0)
				break;
			for (int i = 0; i < n; i++) {
				size_t len;
				const void *d = sctpio_batch_data(b, (size_t)i, &len);
				const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, (size_t)i);
				if (ri->flags & SCTPIO_MSG_NOTIFICATION)
					continue;
				CHECK(!(ri->flags & SCTPIO_MSG_MORE));
				flow_check(rx_for(w, ri->assoc_id), d, len, ri->stream);
				moved(w);
			}
			continue;
		}
		struct sctpio_rcvinfo ri;
		ssize_t n = sctpio_recv(w->fd, buf, sizeof(buf), &ri);
		if (n == -EAGAIN)
			continue;
		if ((rc = (int)n) <= 0)
			break;
		if (ri.flags & SCTPIO_MSG_NOTIFICATION) {
			/* After an abort Linux reports the error (ECONNRESET) once, to whichever call comes
			 * first: when the sending thread took it, recv only ever says -EAGAIN and poll
			 * reports nothing. The COMM_LOST notification is what tells the receiver; a
			 * receiver that skips notifications waits for ever (seen here). */
			struct sctpio_notification note;
			if (sctpio_notification_decode(buf, (size_t)n, &note) > 0 && note.type == SCTP_ASSOC_CHANGE &&
			    (note.u.assoc_change.state == SCTP_COMM_LOST ||
			     note.u.assoc_change.state == SCTP_SHUTDOWN_COMP)) {
				w->by_note = 1;
				rc = note.u.assoc_change.state == SCTP_COMM_LOST ? -ECONNRESET : 0;
				break;
			}
			continue;
		}
		CHECK(!(ri.flags & SCTPIO_MSG_MORE));
		flow_check(rx_for(w, ri.assoc_id), buf, (size_t)n, ri.stream);
		moved(w);
	}
	sctpio_batch_free(b);
	return rc;
}

static void *run(void *arg)
{
	struct worker *w = arg;

	w->end = w->send ? send_loop(w) : recv_loop(w);
	if (!w->signalled) /* it ended before moving PROGRESS messages: let the main thread see that */
		signal_efd(w->progress_efd);
	atomic_store(&w->finished, 1);
	signal_efd(w->done_efd);
	return NULL;
}

struct round;
static void still_running(const struct round *r);

/* Wait until the eventfd has counted n, or fail after ms. */
static void count_to(const struct round *r, int efd, int n, int ms, const char *what)
{
	long long end = now_ms() + ms;
	uint64_t total = 0, v;

	while (total < (uint64_t)n) {
		long long left = end - now_ms();
		if (left <= 0) {
			still_running(r);
			FAIL("%s: only %llu of %d within %d ms", what, (unsigned long long)total, n, ms);
		}
		struct pollfd p = { .fd = efd, .events = POLLIN };
		if (poll(&p, 1, (int)left) == 1 && read(efd, &v, sizeof(v)) == sizeof(v))
			total += v;
	}
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	CHECK(d != NULL);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

struct round {
	const char *name;
	struct worker w[MAX_WORKERS];
	int nw, progress, done;
};

static void still_running(const struct round *r)
{
	for (int i = 0; i < r->nw; i++)
		if (!atomic_load(&r->w[i].finished))
			fprintf(stderr, "%s: %s (fd %d) still running after %llu messages\n", r->name, r->w[i].name,
				r->w[i].fd, (unsigned long long)r->w[i].moved);
}

static struct worker *add(struct round *r, const char *name, int fd, int send, int batch)
{
	struct worker *w = &r->w[r->nw++];
	memset(w, 0, sizeof(*w));
	w->name = name;
	w->fd = fd;
	w->send = send;
	w->batch = batch;
	w->progress_efd = r->progress;
	w->done_efd = r->done;
	return w;
}

/* Start every worker, wait for progress, close `victim` (SO_LINGER 0 first: an abort), wait for all to end. */
static void play(struct round *r, int victim, int linger0)
{
	for (int i = 0; i < r->nw; i++)
		CHECK_EQ(pthread_create(&r->w[i].th, NULL, run, &r->w[i]), 0);
	count_to(r, r->progress, r->nw, 30000, "threads that moved 300 messages");
	for (int i = 0; i < r->nw; i++)
		if (r->w[i].moved < PROGRESS)
			FAIL("%s: %s ended early (%s)", r->name, r->w[i].name, strerror(-r->w[i].end));
	if (linger0)
		OK(sctpio_opt_set_linger(victim, 1, 0));
	long long t = now_ms();
	OK(sctpio_sock_close(victim));
	count_to(r, r->done, r->nw, END_MS, "threads that ended after the close");
	long long took = now_ms() - t;
	printf("%s: every thread ended within %lld ms of the close:", r->name, took);
	for (int i = 0; i < r->nw; i++) {
		struct worker *w = &r->w[i];
		CHECK_EQ(pthread_join(w->th, NULL), 0);
		printf(" %s %llu (%s%s)", w->name, (unsigned long long)w->moved,
		       w->end ? strerror(-w->end) : "end of stream", w->by_note ? ", from ASSOC_CHANGE" : "");
		for (int k = 0; k < MAX_ASSOCS; k++) {
			/* What arrived before the close arrived whole, once and in order. */
			CHECK_EQ(w->rx[k].corrupt + w->rx[k].wrong_stream, 0);
			CHECK_EQ(w->rx[k].duplicated, 0);
			CHECK_EQ(w->rx[k].reordered, 0);
		}
		/* Those on the closed socket see it closed; the others see the association end. */
		if (w->fd == victim)
			CHECK_EQ(w->end, -EBADF);
		else
			CHECK(w->end == 0 || w->end == -EPIPE || w->end == -ECONNRESET || w->end == -ENOTCONN ||
			      w->end == -ESHUTDOWN || w->end == -EINVAL);
	}
	printf("\n");
}

static void pair(int *cli, int *acc)
{
	sctpio_addr a;
	int lst = test_server(SCTPIO_ONE_TO_ONE, &a);
	*cli = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &a, 1, NULL, 0, 0, NULL));
	wait_fd(*cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(*cli), 0);
	wait_fd(lst, POLLIN, 10000);
	*acc = OK(sctpio_sock_accept(lst, NULL, 0));
	OK(sctpio_sock_close(lst));
}

static void one_to_one(struct round *r, int close_server)
{
	int cli, acc;
	pair(&cli, &acc);
	add(r, "client-send", cli, 1, 0);
	add(r, "client-recv", cli, 0, 0);
	add(r, "server-send", acc, 1, 0);
	add(r, "server-recv", acc, 0, 0);
	play(r, close_server ? acc : cli, close_server);
	OK(sctpio_sock_close(close_server ? cli : acc));
}

static void one_to_many(struct round *r)
{
	sctpio_addr a;
	int srv = test_server(SCTPIO_ONE_TO_MANY, &a), cli[3];
	struct worker *ws = add(r, "server-send", srv, 1, 0);
	add(r, "server-recv", srv, 0, 1);

	for (int i = 0; i < 3; i++) {
		cli[i] = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &a, 1, NULL, 0, 0, NULL));
		wait_fd(cli[i], POLLOUT, 10000);
		CHECK_EQ(sctpio_sock_error(cli[i]), 0);
		add(r, "client-send", cli[i], 1, 0);
		add(r, "client-recv", cli[i], 0, 0);
	}
	/* The associations' ids on the server, from its list (COMM_UP is left for the receiver): each
	 * client is writable once the server has answered its COOKIE ECHO, so all three are there. */
	ws->nto = (int)OK(sctpio_opt_get_assoc_ids(srv, ws->to, MAX_ASSOCS));
	CHECK_EQ(ws->nto, 3);
	play(r, srv, 0);
	for (int i = 0; i < 3; i++)
		OK(sctpio_sock_close(cli[i]));
}

int main(void)
{
	struct round r[3] = { { .name = "A one-to-one, client closed" }, { .name = "B one-to-one, server aborted" },
			      { .name = "C one-to-many, server closed" } };
	int before = open_fds();

	for (int i = 0; i < 3; i++) {
		r[i].progress = eventfd(0, EFD_CLOEXEC);
		r[i].done = eventfd(0, EFD_CLOEXEC);
		CHECK(r[i].progress >= 0 && r[i].done >= 0);
	}
	one_to_one(&r[0], 0);
	one_to_one(&r[1], 1);
	one_to_many(&r[2]);
	for (int i = 0; i < 3; i++) {
		close(r[i].progress);
		close(r[i].done);
	}
	CHECK_EQ(open_fds(), before);
	printf("close under load: 3 rounds, %d threads, no hang, no descriptor left open\n", r[0].nw + r[1].nw + r[2].nw);
	return 0;
}
