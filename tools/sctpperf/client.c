// SPDX-License-Identifier: MIT
/*
 * client.c - the sending side: one thread, one poll loop over every association.
 *
 * Each association is a socket of its own (one-to-many sockets too: a socket has one association
 * per peer, so N associations to one server need N sockets). An association is set up before anything
 * is sent: the loop waits for COMM_UP, because a non-blocking one-to-one send before the association
 * is up failed now and then with EPIPE under load on the 6.1 kernel, and because a server that is not
 * there must give a clear error, not a failed send later.
 *
 * Streaming: messages go round-robin over the streams, each carrying the next sequence number of its
 * (association, stream); the receiver checks them. Request-response: one request in flight per
 * association, marked HDR_ECHO; the round trip is timed here, and the echo is checked against the
 * request. Echoes are gathered by byte count, not by message, so a peer that echoes through a byte
 * stream (socat ... EXEC:cat) works too.
 *
 * The end: the last message of an association (HDR_END) says how many data messages it carried, so
 * the receiver also notices messages missing at the end of a stream; then a graceful shutdown, which
 * completes only once the peer has acknowledged every message. The time measured runs from the
 * moment all associations are up until all have shut down.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sctpperf.h"

enum { CA_CONNECTING, CA_RUN, CA_CLOSING, CA_DONE };

struct cassoc {
	int fd;
	unsigned idx;
	sctp_assoc_t id;
	int state;
	uint16_t nstreams;           /* outbound streams granted, at most --streams */
	uint64_t quota, sent;
	uint64_t *seq;               /* next sequence number per stream */
	uint16_t stream;             /* the next message's stream */
	int blocked;                 /* the last send found the socket full: wait for POLLOUT */
	int end_sent, in_notification;
	struct sctpio_batch *sb;
	int waiting;                 /* request-response: a request is out */
	uint64_t req_seq, req_ns;
	uint16_t req_stream;
	size_t echo_len;
	char *echo;
};

struct client {
	const struct perf_cfg *cfg;
	struct cassoc *as;
	unsigned n, done, stopping;
	const sctpio_addr *peers;
	size_t npeers;
	char peer_text[PERF_MAX_ADDRS * (SCTPIO_ADDR_TEXT_MAX + 1)];
	char *msg, *rbuf;
	size_t rcap;
	struct sctpio_batch *rb;
	uint32_t id;
	uint64_t sent, bytes, last_move;
	struct client_result *res;
};

static __attribute__((noreturn)) void connect_failed(struct client *cl, long rc)
{
	if (rc == -ECONNREFUSED)
		fatal("cannot connect to %s: connection refused (is an SCTP server listening there?)", cl->peer_text);
	if (rc == -ETIMEDOUT)
		fatal("cannot connect to %s: no answer within %u s (--timeout)", cl->peer_text, cl->cfg->timeout_s);
	fatal("cannot connect to %s: %s", cl->peer_text, strerror((int)-rc));
}

static void finished(struct client *cl, struct cassoc *a)
{
	if (a->state != CA_DONE) {
		a->state = CA_DONE;
		cl->done++;
	}
}

static void failed(struct client *cl, struct cassoc *a, const char *what, long rc)
{
	if (a->state == CA_DONE)
		return;
	perf_warn("association %u: %s%s%s", a->idx, what, rc ? ": " : "", rc ? strerror((int)-rc) : "");
	cl->res->failed++;
	finished(cl, a);
}

static void open_all(struct client *cl, const sctpio_addr *local, size_t nlocal)
{
	for (unsigned i = 0; i < cl->n; i++) {
		struct cassoc *a = &cl->as[i];
		a->idx = i;
		a->fd = perf_socket(cl->cfg, cl->peers, cl->npeers, 0);
		if (a->fd < 0)
			fatal("cannot open an SCTP socket: %s", strerror(-a->fd));
		if (nlocal) {
			int rc = sctpio_sock_bind(a->fd, local, nlocal);
			if (rc < 0)
				fatal("cannot bind to --local %s: %s", cl->cfg->local, strerror(-rc));
		}
		int rc = sctpio_sock_connect(a->fd, cl->peers, cl->npeers, &a->id);
		if (rc < 0 && rc != -EINPROGRESS)
			connect_failed(cl, rc);
	}
}

/* Read what a connecting socket has: its COMM_UP, or why it failed. Returns 1 once it is up. */
static int connect_read(struct client *cl, struct cassoc *a, short revents)
{
	struct sctpio_rcvinfo ri;
	struct sctpio_notification n;
	for (;;) {
		ssize_t r = sctpio_recv(a->fd, cl->rbuf, cl->rcap, &ri);
		if (r == -EAGAIN)
			break;
		if (r <= 0) {
			int e = sctpio_sock_error(a->fd);
			connect_failed(cl, r < 0 ? r : e ? e : -ECONNREFUSED);
		}
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION) || sctpio_notification_decode(cl->rbuf, (size_t)r, &n) < 0 ||
		    n.type != SCTP_ASSOC_CHANGE)
			continue;
		if (n.u.assoc_change.state == SCTP_COMM_UP) {
			unsigned got = n.u.assoc_change.outbound_streams;
			a->nstreams = (uint16_t)(got && got < cl->cfg->streams ? got : cl->cfg->streams);
			if (cl->cfg->style == SCTPIO_ONE_TO_MANY)
				a->id = n.assoc_id;
			if (got && got < cl->cfg->streams)
				perf_warn("association %u: the peer granted %u of %u streams", a->idx, got, cl->cfg->streams);
			return 1;
		}
		connect_failed(cl, n.u.assoc_change.state == SCTP_CANT_STR_ASSOC ? -ECONNREFUSED : -ECONNRESET);
	}
	if (revents & (POLLERR | POLLHUP)) {
		int e = sctpio_sock_error(a->fd);
		connect_failed(cl, e ? e : -ECONNREFUSED);
	}
	return 0;
}

static void connect_all(struct client *cl)
{
	struct pollfd *pf = calloc(cl->n, sizeof(*pf));
	unsigned *map = calloc(cl->n, sizeof(*map));
	uint64_t deadline = mono_ns() + (uint64_t)cl->cfg->timeout_s * 1000000000u;
	unsigned up = 0;
	if (!pf || !map)
		fatal("out of memory");
	while (up < cl->n) {
		unsigned np = 0;
		for (unsigned i = 0; i < cl->n; i++)
			if (cl->as[i].state == CA_CONNECTING) {
				pf[np] = (struct pollfd){ .fd = cl->as[i].fd, .events = POLLIN };
				map[np++] = i;
			}
		uint64_t now = mono_ns();
		if (now >= deadline)
			connect_failed(cl, -ETIMEDOUT);
		if (perf_stop)
			fatal("interrupted while connecting");
		uint64_t left = (deadline - now) / 1000000 + 1;
		if (poll(pf, np, left > 1000 ? 1000 : (int)left) < 0 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		for (unsigned k = 0; k < np; k++) {
			struct cassoc *a = &cl->as[map[k]];
			if (pf[k].revents && connect_read(cl, a, pf[k].revents)) {
				a->state = CA_RUN;
				up++;
			}
		}
	}
	free(pf);
	free(map);
}

static int flush_batch(struct client *cl, struct cassoc *a)
{
	while (sctpio_batch_pending(a->sb)) {
		int n = sctpio_batch_send(a->sb, a->fd);
		if (n > 0) {
			cl->last_move = mono_ns();
			continue;
		}
		if (n == -EAGAIN)
			a->blocked = 1;
		else
			failed(cl, a, "send", n);
		return 0;
	}
	return 1;
}

/* Send (or queue, with --batch) the association's next message. Returns 1 when it went. */
static int send_next(struct client *cl, struct cassoc *a, uint16_t flags)
{
	const struct perf_cfg *c = cl->cfg;
	struct perf_hdr h = { .magic = PERF_MAGIC, .flags = flags, .stream = a->stream, .assoc = a->idx,
			      .client = cl->id, .seq = a->seq[a->stream], .sent_ns = real_ns() };
	struct sctpio_sndinfo si = { .stream = a->stream, .ppid = 0x73637470,
				     .assoc_id = c->style == SCTPIO_ONE_TO_MANY ? a->id : 0 };
	hdr_put(cl->msg, &h);
	if (a->sb) {
		int rc = sctpio_batch_add(a->sb, cl->msg, c->size, &si);
		if (rc == -ENOBUFS) {
			if (!flush_batch(cl, a))
				return 0;
			rc = sctpio_batch_add(a->sb, cl->msg, c->size, &si);
		}
		if (rc < 0) {
			failed(cl, a, "queueing a message", rc);
			return 0;
		}
	} else {
		ssize_t n = sctpio_send(a->fd, cl->msg, c->size, &si);
		if (n == -EAGAIN) {
			a->blocked = 1;
			return 0;
		}
		if (n < 0) {
			failed(cl, a, "send", n);
			return 0;
		}
		cl->last_move = mono_ns();
	}
	a->req_seq = a->seq[a->stream]++;
	a->req_stream = a->stream;
	a->req_ns = mono_ns();
	a->sent++;
	cl->sent++;
	cl->bytes += c->size;
	a->stream = (uint16_t)((a->stream + 1u) % a->nstreams);
	return 1;
}

/* Everything is sent: say how much in an END message, then shut the association down gracefully. */
static void finish(struct client *cl, struct cassoc *a)
{
	if (!a->end_sent) {
		struct perf_hdr h = { .magic = PERF_MAGIC, .flags = HDR_END, .assoc = a->idx, .client = cl->id,
				      .seq = a->sent, .sent_ns = real_ns() };
		struct sctpio_sndinfo si = { .assoc_id = cl->cfg->style == SCTPIO_ONE_TO_MANY ? a->id : 0 };
		char buf[PERF_HDR_LEN];
		hdr_put(buf, &h);
		ssize_t n = sctpio_send(a->fd, buf, sizeof(buf), &si);
		if (n == -EAGAIN) {
			a->blocked = 1;
			return;
		}
		if (n < 0) {
			failed(cl, a, "sending the end message", n);
			return;
		}
		a->end_sent = 1;
	}
	int rc = sctpio_sock_shutdown(a->fd, cl->cfg->style == SCTPIO_ONE_TO_MANY ? a->id : 0);
	if (rc < 0)
		failed(cl, a, "shutdown", rc);
	else
		a->state = CA_CLOSING;
}

/* Send what the association may send now. Returns 1 when it could go on at once (no waiting). */
static int pump(struct client *cl, struct cassoc *a)
{
	const struct perf_cfg *c = cl->cfg;
	if (a->state != CA_RUN || a->blocked)
		return 0;
	if (a->sb && sctpio_batch_pending(a->sb) && !flush_batch(cl, a))
		return 0;
	if (c->rr) {
		if (a->waiting)
			return 0;
		if (a->sent >= a->quota) {
			finish(cl, a);
			return 0;
		}
		if (send_next(cl, a, HDR_ECHO)) {
			a->waiting = 1;
			a->echo_len = 0;
			if (a->sb)
				flush_batch(cl, a);
		}
		return 0;
	}
	for (unsigned budget = c->batch ? c->batch * 4 : 64; budget && a->sent < a->quota; budget--)
		if (!send_next(cl, a, 0))
			return 0;
	if (a->sb && !flush_batch(cl, a))
		return 0;
	if (a->sent >= a->quota) {
		finish(cl, a);
		return 0;
	}
	return 1;
}

/* Bytes of an echo; a whole one is checked against the request and timed. */
static void on_data(struct client *cl, struct cassoc *a, const char *d, size_t len)
{
	const struct perf_cfg *c = cl->cfg;
	if (!c->rr || !a->waiting || a->state != CA_RUN)
		return; /* not asked for (a peer that echoes everything): read and dropped */
	size_t take = len < c->size - a->echo_len ? len : c->size - a->echo_len;
	memcpy(a->echo + a->echo_len, d, take);
	a->echo_len += take;
	if (take < len)
		cl->res->corrupt++;
	if (a->echo_len < c->size)
		return;
	struct perf_hdr h;
	if (!hdr_get(a->echo, c->size, &h) || h.client != cl->id || h.assoc != a->idx || h.stream != a->req_stream)
		cl->res->corrupt++;
	else if (h.seq < a->req_seq)
		cl->res->reordered++;
	else if (h.seq > a->req_seq)
		cl->res->lost += h.seq - a->req_seq;
	uint64_t now = mono_ns();
	hist_add(&cl->res->rtt, now - a->req_ns);
	cl->res->last_echo_ns = now;
	cl->res->echoes++;
	a->waiting = 0;
}

static void on_notification(struct client *cl, struct cassoc *a, const void *buf, size_t len)
{
	struct sctpio_notification n;
	if (sctpio_notification_decode(buf, len, &n) < 0)
		return;
	if (n.type == SCTP_SHUTDOWN_EVENT && a->state == CA_RUN)
		failed(cl, a, "the peer shut the association down", 0);
	if (n.type != SCTP_ASSOC_CHANGE)
		return;
	if (n.u.assoc_change.state == SCTP_SHUTDOWN_COMP && a->state == CA_CLOSING)
		finished(cl, a);
	else if (n.u.assoc_change.state != SCTP_COMM_UP)
		failed(cl, a, n.u.assoc_change.state == SCTP_COMM_LOST ? "association lost (aborted?)" : "association ended", 0);
}

static void on_piece(struct client *cl, struct cassoc *a, const char *d, size_t len, const struct sctpio_rcvinfo *ri)
{
	cl->last_move = mono_ns();
	if (ri->flags & SCTPIO_MSG_NOTIFICATION) {
		/* Only small notifications matter here; a long one (send-failed data) is skipped whole. */
		if (!a->in_notification && !(ri->flags & SCTPIO_MSG_MORE))
			on_notification(cl, a, d, len);
		a->in_notification = (ri->flags & SCTPIO_MSG_MORE) != 0;
		return;
	}
	on_data(cl, a, d, len);
}

/* The end of a one-to-one association (0) or an error: expected once we have shut down. */
static void on_end(struct client *cl, struct cassoc *a, long rc)
{
	if (a->state == CA_CLOSING && (rc == 0 || rc == -ENOTCONN || rc == -EPIPE))
		finished(cl, a);
	else
		failed(cl, a, rc ? "receive" : "the peer closed the association", rc);
}

static void read_assoc(struct client *cl, struct cassoc *a)
{
	struct sctpio_rcvinfo ri;
	while (a->state != CA_DONE) {
		if (cl->rb) {
			int n = sctpio_batch_recv(cl->rb, a->fd, 1, 0);
			if (n == -EAGAIN)
				return;
			if (n < 0) {
				on_end(cl, a, n);
				return;
			}
			for (int i = 0; i < n && a->state != CA_DONE; i++) {
				size_t len;
				const char *d = sctpio_batch_data(cl->rb, (size_t)i, &len);
				const struct sctpio_rcvinfo *inf = sctpio_batch_info(cl->rb, (size_t)i);
				if (!len && !(inf->flags & SCTPIO_MSG_NOTIFICATION))
					on_end(cl, a, 0);
				else
					on_piece(cl, a, d, len, inf);
			}
		} else {
			ssize_t n = sctpio_recv(a->fd, cl->rbuf, cl->rcap, &ri);
			if (n == -EAGAIN)
				return;
			if (n <= 0) {
				on_end(cl, a, n);
				return;
			}
			on_piece(cl, a, cl->rbuf, (size_t)n, &ri);
		}
	}
}

/* Duration over, or a stop asked for: send nothing new; what is in flight completes. */
static void stop_sending(struct client *cl)
{
	cl->stopping = 1;
	for (unsigned i = 0; i < cl->n; i++)
		cl->as[i].quota = cl->as[i].sent;
}

static void run_loop(struct client *cl, client_tick_fn tick, void *arg, uint64_t t0)
{
	const struct perf_cfg *c = cl->cfg;
	struct pollfd *pf = calloc(cl->n, sizeof(*pf));
	unsigned *map = calloc(cl->n, sizeof(*map));
	uint64_t next_tick = t0 + 1000000000u, stall_ns = (uint64_t)c->timeout_s * 1000000000u;
	if (!pf || !map)
		fatal("out of memory");
	cl->last_move = t0;
	while (cl->done < cl->n) {
		uint64_t now = mono_ns();
		if (!cl->stopping && (perf_stop || (c->duration > 0 && now - t0 >= (uint64_t)(c->duration * 1e9))))
			stop_sending(cl);
		if (tick && now >= next_tick) {
			tick(arg, (double)(now - t0) / 1e9, cl->sent, cl->bytes);
			next_tick += 1000000000u;
		}
		if (now - cl->last_move > stall_ns)
			for (unsigned i = 0; i < cl->n; i++)
				failed(cl, &cl->as[i], "no progress within --timeout", -ETIMEDOUT);
		int more = 0;
		unsigned np = 0;
		for (unsigned i = 0; i < cl->n; i++)
			more |= pump(cl, &cl->as[i]);
		for (unsigned i = 0; i < cl->n; i++) {
			struct cassoc *a = &cl->as[i];
			if (a->state == CA_DONE)
				continue;
			pf[np] = (struct pollfd){ .fd = a->fd, .events = (short)(POLLIN | (a->blocked ? POLLOUT : 0)) };
			map[np++] = i;
		}
		if (!np)
			break;
		if (poll(pf, np, more ? 0 : 100) < 0 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		for (unsigned k = 0; k < np; k++) {
			struct cassoc *a = &cl->as[map[k]];
			if (pf[k].revents & POLLOUT)
				a->blocked = 0;
			if (pf[k].revents & (POLLIN | POLLERR | POLLHUP))
				read_assoc(cl, a);
		}
	}
	free(pf);
	free(map);
}

void client_run(const struct perf_cfg *c, const sctpio_addr *peers, size_t npeers, client_tick_fn tick, void *arg,
		struct client_result *out)
{
	struct client cl = { .cfg = c, .n = c->assocs, .peers = peers, .npeers = npeers, .res = out };
	sctpio_addr local[PERF_MAX_ADDRS];
	size_t nlocal = c->local ? perf_addrs(c, c->local, NULL, 0, local) : 0;
	size_t slot = c->size < 2048 ? 2048 : c->size > 65536 ? 65536 : c->size;

	memset(out, 0, sizeof(*out));
	perf_addrs_text(peers, npeers, cl.peer_text, sizeof(cl.peer_text));
	cl.id = (uint32_t)(real_ns() ^ ((uint64_t)getpid() << 16));
	cl.rcap = 65536;
	cl.as = calloc(cl.n, sizeof(*cl.as));
	cl.msg = calloc(1, c->size);
	cl.rbuf = malloc(cl.rcap);
	if (!cl.as || !cl.msg || !cl.rbuf)
		fatal("out of memory");
	memset(cl.msg, 'x', c->size);
	if (c->batch) {
		int rc = sctpio_batch_new(&cl.rb, c->batch, slot);
		if (rc < 0)
			fatal("batch container of %u x %zu bytes: %s", c->batch, slot, strerror(-rc));
	}
	/* With --count, the messages are shared out; with --duration, the clock stops the sending. */
	for (unsigned i = 0; i < cl.n; i++) {
		struct cassoc *a = &cl.as[i];
		a->quota = c->count ? c->count / cl.n + (i < c->count % cl.n) : UINT64_MAX;
		a->seq = calloc(c->streams, sizeof(*a->seq));
		a->echo = c->rr ? malloc(c->size) : NULL;
		if (!a->seq || (c->rr && !a->echo))
			fatal("out of memory");
		if (c->batch) {
			int rc = sctpio_batch_new(&a->sb, c->batch, c->size);
			if (rc < 0)
				fatal("batch container of %u x %zu bytes: %s", c->batch, c->size, strerror(-rc));
		}
	}
	open_all(&cl, local, nlocal);
	connect_all(&cl);

	out->streams = c->streams;
	for (unsigned i = 0; i < cl.n; i++)
		if (cl.as[i].nstreams < out->streams)
			out->streams = cl.as[i].nstreams;
	out->sndbuf = sock_buf(cl.as[0].fd, SO_SNDBUF);
	out->rcvbuf = sock_buf(cl.as[0].fd, SO_RCVBUF);
	double cpu0 = cpu_seconds();
	uint64_t t0 = mono_ns();
	out->t0_ns = t0;
	run_loop(&cl, tick, arg, t0);
	out->secs = (double)(mono_ns() - t0) / 1e9;
	out->cpu_s = cpu_seconds() - cpu0;
	out->sent = cl.sent;
	out->bytes = cl.bytes;

	for (unsigned i = 0; i < cl.n; i++) {
		sctpio_sock_close(cl.as[i].fd);
		sctpio_batch_free(cl.as[i].sb);
		free(cl.as[i].seq);
		free(cl.as[i].echo);
	}
	sctpio_batch_free(cl.rb);
	free(cl.as);
	free(cl.msg);
	free(cl.rbuf);
}
