// SPDX-License-Identifier: MIT
/*
 * server.c - the receiving side: accept associations, read messages (one call each, or a batch
 * container's recvmmsg), check every (association, stream) sequence, measure one-way latency, and
 * echo what asks for it.
 *
 * A dispatch model (models.c) decides which thread serves a ready socket; every model hands a socket
 * to one thread at a time and re-arms it only after conn_ready returned, so the state of a
 * connection (struct conn) is touched by one thread at a time and needs no lock, and messages are
 * checked in the order SCTP delivered them. What outlives one call and is shared by connections -
 * counters, the latency histogram, batch containers and buffers - belongs to the thread (struct
 * tstate, made on a thread's first call), so no two threads ever write the same counter; they are
 * added up once the model's threads have stopped. The progress line reads two of them while the
 * threads run, through relaxed atomics.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "sctpperf.h"

#define SERVE_BUDGET 256 /* messages per call before the socket goes back to the model: fairness */

struct conn {
	struct server *srv;
	int fd;
	int listener;          /* one-to-one listening socket: a ready call accepts */
	struct passoc one;     /* one-to-one: its association */
	struct atable tab;     /* one-to-many: associations by id (tab.tab NULL for one-to-one) */
	char *part;            /* a message arriving in pieces (SCTPIO_MSG_MORE) */
	size_t part_len, part_cap;
	struct conn *next, *prev;
};

struct tstate {
	struct tstate *next;
	struct server *srv;
	struct tally t;
	uint64_t live_msgs, live_bytes; /* copies of t.msgs/t.bytes for the progress line (atomic) */
	struct sctpio_batch *rb, *sb;   /* --batch: receiving, and echoing */
	size_t slot_cap;
	char *buf;                      /* no batch: one message at a time */
	size_t cap;
};

struct server {
	const struct perf_cfg *cfg;
	int fd;
	sctpio_addr addrs[PERF_MAX_ADDRS];
	size_t naddrs;
	struct model *model;
	pthread_mutex_t mu; /* guards conns and threads */
	struct conn *conns;
	struct tstate *threads;
	int evfd;
	uint64_t up, ended; /* associations seen and finished (atomic) */
};

static __thread struct tstate *tls;

static struct tstate *tstate_self(struct server *s)
{
	if (tls && tls->srv == s)
		return tls;
	struct tstate *ts = calloc(1, sizeof(*ts));
	if (!ts)
		fatal("out of memory");
	ts->srv = s;
	if (s->cfg->batch) {
		/* Small messages fit a slot whole; big ones arrive in pieces and are joined. */
		size_t sc = s->cfg->size < 2048 ? 2048 : s->cfg->size > 65536 ? 65536 : s->cfg->size;
		int rc = sctpio_batch_new(&ts->rb, s->cfg->batch, sc);
		if (rc == 0)
			rc = sctpio_batch_new(&ts->sb, s->cfg->batch, sc);
		if (rc < 0)
			fatal("batch container of %u x %zu bytes: %s", s->cfg->batch, sc, strerror(-rc));
		ts->slot_cap = sc;
	} else {
		ts->cap = 65536;
		if (!(ts->buf = malloc(ts->cap)))
			fatal("out of memory");
	}
	pthread_mutex_lock(&s->mu);
	ts->next = s->threads;
	s->threads = ts;
	pthread_mutex_unlock(&s->mu);
	return tls = ts;
}

static struct conn *conn_new(struct server *s, int fd, int listener)
{
	struct conn *c = calloc(1, sizeof(*c));
	if (!c)
		fatal("out of memory");
	c->srv = s;
	c->fd = fd;
	c->listener = listener;
	if (!listener && s->cfg->style == SCTPIO_ONE_TO_MANY)
		atable_init(&c->tab);
	pthread_mutex_lock(&s->mu);
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	pthread_mutex_unlock(&s->mu);
	return c;
}

static void conn_free(struct conn *c)
{
	sctpio_sock_close(c->fd);
	passoc_free(&c->one);
	atable_free(&c->tab);
	free(c->part);
	free(c);
}

void conn_close(struct conn *c)
{
	struct server *s = c->srv;
	pthread_mutex_lock(&s->mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&s->mu);
	conn_free(c);
}

int conn_fd(const struct conn *c)
{
	return c->fd;
}

static void count_up(struct server *s)
{
	__atomic_add_fetch(&s->up, 1, __ATOMIC_RELAXED);
}

/* The association with this id; one-to-one sockets have exactly one. create: add it when missing. */
static struct passoc *assoc_get(struct conn *c, sctp_assoc_t id, int create)
{
	if (!c->tab.tab)
		return &c->one;
	size_t before = c->tab.count;
	struct passoc *a = atable_get(&c->tab, id, create);
	if (c->tab.count > before)
		count_up(c->srv);
	return a;
}

/*
 * An association is over (shut down, aborted, or its peer closed). Its END message said how many
 * data messages it carried: whatever did not arrive at the end of a stream is lost too.
 */
static void assoc_end(struct conn *c, struct tstate *ts, struct passoc *a)
{
	if (a->ended)
		return;
	a->ended = 1;
	ts->t.lost += passoc_missing(a);
	if (c->tab.tab)
		atable_del(&c->tab, a);
	else
		passoc_free(a);
	__atomic_add_fetch(&c->srv->ended, 1, __ATOMIC_RELAXED);
	uint64_t one = 1;
	if (write(c->srv->evfd, &one, sizeof(one)) < 0) {
		/* The counter is what matters; a missed wake-up is caught by the controller's tick. */
	}
}

/* Queued echoes go out before anything else is sent on the socket, so echoes keep their order. */
static void flush(struct conn *c, struct tstate *ts)
{
	int ms = (int)c->srv->cfg->timeout_s * 1000;
	while (ts->sb && sctpio_batch_pending(ts->sb)) {
		int n = sctpio_batch_send(ts->sb, c->fd);
		if (n > 0)
			continue;
		if (n == -EAGAIN && poll_fd(c->fd, POLLOUT, ms) > 0)
			continue;
		/* Refused (the association is gone) or no room for too long: drop that echo. */
		sctpio_batch_drop(ts->sb);
		ts->t.echoed--;
		ts->t.echo_failed++;
	}
}

/*
 * Echo a message back on the stream it came on. Waiting for room here holds this thread, which is
 * what the dispatch models allow; the peer is reading its echoes, so the wait ends.
 */
static void echo(struct conn *c, struct tstate *ts, struct passoc *a, const void *data, size_t len,
		 const struct sctpio_rcvinfo *ri)
{
	struct sctpio_sndinfo si = { .stream = ri->stream, .ppid = ri->ppid };
	if (a && a->out_streams && si.stream >= a->out_streams)
		si.stream = (uint16_t)(si.stream % a->out_streams);
	if (c->tab.tab)
		si.assoc_id = ri->assoc_id;
	if (ts->sb && len <= ts->slot_cap) {
		int rc = sctpio_batch_add(ts->sb, data, len, &si);
		if (rc == -ENOBUFS) {
			flush(c, ts);
			rc = sctpio_batch_add(ts->sb, data, len, &si);
		}
		if (rc >= 0) {
			ts->t.echoed++;
			return;
		}
	}
	flush(c, ts);
	if (send_wait(c->fd, data, len, &si, (int)c->srv->cfg->timeout_s * 1000) < 0)
		ts->t.echo_failed++;
	else
		ts->t.echoed++;
}

static void on_data(struct conn *c, struct tstate *ts, const char *data, size_t len, const struct sctpio_rcvinfo *ri)
{
	struct passoc *a = assoc_get(c, ri->assoc_id, 1);
	struct perf_hdr h;
	int ours = hdr_get(data, len, &h);
	uint64_t now = mono_ns();

	if (ours && (h.flags & HDR_END)) {
		a->end_total = h.seq;
		a->has_end = 1;
		return;
	}
	ts->t.msgs++;
	ts->t.bytes += len;
	if (!ts->t.first_ns)
		ts->t.first_ns = now;
	ts->t.last_ns = now;
	if (ours) {
		ts->t.verified++;
		uint16_t stream = (ri->flags & SCTPIO_MSG_HAS_INFO) ? ri->stream : h.stream;
		if (stream != h.stream)
			ts->t.corrupt++;
		int64_t gap = passoc_seq(a, h.stream, h.seq);
		if (gap < 0)
			ts->t.reordered++;
		else
			ts->t.lost += (uint64_t)gap;
		uint64_t t = real_ns();
		if (t >= h.sent_ns && t - h.sent_ns < 3600ull * 1000000000u)
			hist_add(&ts->t.lat, t - h.sent_ns);
	}
	if ((ours && (h.flags & HDR_ECHO)) || c->srv->cfg->echo)
		echo(c, ts, a, data, len, ri);
}

static void on_notification(struct conn *c, struct tstate *ts, const void *buf, size_t len)
{
	struct sctpio_notification n;
	struct passoc *a;
	if (sctpio_notification_decode(buf, len, &n) < 0)
		return;
	if (n.type == SCTP_ASSOC_CHANGE) {
		switch (n.u.assoc_change.state) {
		case SCTP_COMM_UP:
		case SCTP_RESTART:
			a = assoc_get(c, n.assoc_id, 1);
			a->out_streams = n.u.assoc_change.outbound_streams;
			if (n.u.assoc_change.state == SCTP_RESTART && a->next_seq)
				memset(a->next_seq, 0, a->nseq * sizeof(*a->next_seq));
			break;
		case SCTP_COMM_LOST:
		case SCTP_SHUTDOWN_COMP:
		case SCTP_CANT_STR_ASSOC:
			if ((a = assoc_get(c, n.assoc_id, 0)))
				assoc_end(c, ts, a);
			break;
		}
	} else if (n.type == SCTP_SHUTDOWN_EVENT) {
		/* The peer shuts down only after all its data was acknowledged: every message is here. */
		if ((a = assoc_get(c, n.assoc_id, 0)))
			assoc_end(c, ts, a);
	}
}

/* One received piece: a whole message, or part of one to be joined with the pieces that follow. */
static void on_piece(struct conn *c, struct tstate *ts, const char *data, size_t len, const struct sctpio_rcvinfo *ri)
{
	int more = (ri->flags & SCTPIO_MSG_MORE) != 0;
	if (!c->part_len && !more) {
		if (ri->flags & SCTPIO_MSG_NOTIFICATION)
			on_notification(c, ts, data, len);
		else
			on_data(c, ts, data, len, ri);
		return;
	}
	if (c->part_len + len > c->part_cap) {
		size_t cap = c->part_cap ? c->part_cap : 65536;
		while (cap < c->part_len + len)
			cap *= 2;
		char *p = realloc(c->part, cap);
		if (!p)
			fatal("out of memory joining a message of %zu bytes", c->part_len + len);
		c->part = p;
		c->part_cap = cap;
	}
	memcpy(c->part + c->part_len, data, len);
	c->part_len += len;
	if (more)
		return;
	size_t n = c->part_len;
	c->part_len = 0;
	if (ri->flags & SCTPIO_MSG_NOTIFICATION)
		on_notification(c, ts, c->part, n);
	else
		on_data(c, ts, c->part, n, ri);
}

/* A one-to-one peer closed (0) or failed (-errno): the association is over. Returns 1: close it. */
static int conn_end(struct conn *c, struct tstate *ts, long rc)
{
	if (!c->tab.tab) {
		assoc_end(c, ts, &c->one);
		return 1;
	}
	if (rc != -EINTR)
		perf_warn("receive: %s", strerror((int)-rc));
	return 0;
}

static void accept_all(struct conn *l)
{
	struct server *s = l->srv;
	for (;;) {
		int fd = sctpio_sock_accept(l->fd, NULL, 0);
		if (fd == -EAGAIN)
			return;
		if (fd == -EINTR || fd == -ECONNABORTED)
			continue;
		if (fd < 0) {
			perf_warn("accept: %s", strerror(-fd));
			return;
		}
		struct conn *c = conn_new(s, fd, 0);
		c->one.used = 1;
		count_up(s);
		int rc = model_watch(s->model, c);
		if (rc < 0) {
			perf_warn("cannot serve a new association: %s", strerror(-rc));
			conn_close(c);
		}
	}
}

int conn_ready(struct conn *c, uint32_t ready)
{
	(void)ready; /* reading tells everything: data, end of stream, or the error */
	if (c->listener) {
		accept_all(c);
		return 0;
	}
	struct tstate *ts = tstate_self(c->srv);
	struct sctpio_rcvinfo ri;
	int done = 0;
	for (unsigned got = 0; got < SERVE_BUDGET && !done;) {
		if (ts->rb) {
			int n = sctpio_batch_recv(ts->rb, c->fd, 1, 0);
			if (n == -EAGAIN)
				break;
			if (n < 0) {
				done = conn_end(c, ts, n);
				break;
			}
			for (int i = 0; i < n; i++) {
				size_t len;
				const char *d = sctpio_batch_data(ts->rb, (size_t)i, &len);
				const struct sctpio_rcvinfo *inf = sctpio_batch_info(ts->rb, (size_t)i);
				if (!len && !(inf->flags & SCTPIO_MSG_NOTIFICATION)) {
					done = conn_end(c, ts, 0);
					break;
				}
				on_piece(c, ts, d, len, inf);
			}
			got += (unsigned)n;
		} else {
			ssize_t n = sctpio_recv(c->fd, ts->buf, ts->cap, &ri);
			if (n == -EAGAIN)
				break;
			if (n <= 0) {
				done = conn_end(c, ts, n);
				break;
			}
			on_piece(c, ts, ts->buf, (size_t)n, &ri);
			got++;
		}
		flush(c, ts);
	}
	flush(c, ts);
	__atomic_store_n(&ts->live_msgs, ts->t.msgs, __ATOMIC_RELAXED);
	__atomic_store_n(&ts->live_bytes, ts->t.bytes, __ATOMIC_RELAXED);
	return done;
}

struct server *server_new(const struct perf_cfg *c, const sctpio_addr *addrs, size_t n)
{
	struct server *s = calloc(1, sizeof(*s));
	char text[PERF_MAX_ADDRS * (SCTPIO_ADDR_TEXT_MAX + 1)];
	if (!s)
		fatal("out of memory");
	s->cfg = c;
	pthread_mutex_init(&s->mu, NULL);
	perf_addrs_text(addrs, n, text, sizeof(text));
	s->fd = perf_socket(c, addrs, n, 1);
	if (s->fd < 0)
		fatal("cannot open an SCTP socket: %s%s", strerror(-s->fd),
		      s->fd == -EPROTONOSUPPORT || s->fd == -ESOCKTNOSUPPORT ?
			      " (this kernel has no SCTP: run through scripts/sctp-run)" : "");
	int rc = sctpio_sock_bind(s->fd, addrs, n);
	if (rc == 0)
		rc = sctpio_sock_listen(s->fd, 0);
	if (rc < 0)
		fatal("cannot listen on %s: %s", text, strerror(-rc));
	/* With port 0 the kernel chose one: learn it, and keep the addresses as given. */
	sctpio_addr bound;
	if (sctpio_sock_local_addrs(s->fd, 0, &bound, 1) < 1)
		fatal("cannot read the bound address");
	for (size_t i = 0; i < n; i++) {
		s->addrs[i] = addrs[i];
		if (s->addrs[i].sa.sa_family == AF_INET)
			s->addrs[i].sin.sin_port = htons(sctpio_addr_port(&bound));
		else
			s->addrs[i].sin6.sin6_port = htons(sctpio_addr_port(&bound));
	}
	s->naddrs = n;
	s->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->evfd < 0)
		fatal("eventfd: %s", strerror(errno));
	return s;
}

uint16_t server_port(const struct server *s)
{
	return sctpio_addr_port(&s->addrs[0]);
}

const sctpio_addr *server_addrs(const struct server *s, size_t *n)
{
	*n = s->naddrs;
	return s->addrs;
}

int server_rcvbuf(const struct server *s)
{
	return sock_buf(s->fd, SO_RCVBUF);
}

void server_start(struct server *s)
{
	s->model = model_start(s, s->cfg->model, s->cfg->workers);
	struct conn *c = conn_new(s, s->fd, s->cfg->style == SCTPIO_ONE_TO_ONE);
	int rc = model_watch(s->model, c);
	if (rc < 0)
		fatal("cannot serve the listening socket: %s", strerror(-rc));
}

/* Stop the model, close every socket, and add up what the threads counted. */
void server_stop(struct server *s, struct tally *out)
{
	model_stop(s->model);
	while (s->conns) {
		struct conn *c = s->conns;
		s->conns = c->next;
		conn_free(c); /* the listening socket (s->fd) is one of them */
	}
	memset(out, 0, sizeof(*out));
	while (s->threads) {
		struct tstate *ts = s->threads;
		s->threads = ts->next;
		tally_merge(out, &ts->t);
		sctpio_batch_free(ts->rb);
		sctpio_batch_free(ts->sb);
		free(ts->buf);
		free(ts);
	}
	close(s->evfd);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

void server_live(struct server *s, uint64_t *msgs, uint64_t *bytes)
{
	*msgs = *bytes = 0;
	pthread_mutex_lock(&s->mu);
	for (struct tstate *ts = s->threads; ts; ts = ts->next) {
		*msgs += __atomic_load_n(&ts->live_msgs, __ATOMIC_RELAXED);
		*bytes += __atomic_load_n(&ts->live_bytes, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&s->mu);
}

int server_eventfd(const struct server *s)
{
	return s->evfd;
}

void server_assocs(struct server *s, uint64_t *up, uint64_t *ended)
{
	*up = __atomic_load_n(&s->up, __ATOMIC_RELAXED);
	*ended = __atomic_load_n(&s->ended, __ATOMIC_RELAXED);
}

/* A one-to-one client whose association is up but not accepted yet: --once must wait for it. */
int server_accept_pending(const struct server *s)
{
	return s->cfg->style == SCTPIO_ONE_TO_ONE && poll_fd(s->fd, POLLIN, 0) > 0;
}
