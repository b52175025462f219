// SPDX-License-Identifier: MIT
/*
 * main.c - the three modes, put together from the server (server.c + models.c) and the client
 * (client.c), and what stops them: a count, a duration, --once, or SIGINT/SIGTERM (a first signal
 * ends the run gracefully and still prints the table; a second one exits at once).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "sctpperf.h"

volatile sig_atomic_t perf_stop;
int perf_stopfd = -1;

static void on_signal(int sig)
{
	uint64_t one = 1;
	(void)sig;
	if (perf_stop)
		_exit(130);
	perf_stop = 1;
	if (write(perf_stopfd, &one, sizeof(one)) < 0) {
		/* Nothing to do in a signal handler; the flag alone is seen within 100 ms. */
	}
}

static void signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	perf_stopfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (perf_stopfd < 0)
		fatal("eventfd: %s", strerror(errno));
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void drain_fd(int fd)
{
	uint64_t v;
	while (read(fd, &v, sizeof(v)) == sizeof(v))
		;
}

/* ---- server mode ---------------------------------------------------------------------------- */

static int should_stop(const struct perf_cfg *c, struct server *s)
{
	uint64_t msgs, bytes, up, ended;
	if (perf_stop)
		return 1;
	server_live(s, &msgs, &bytes);
	if (c->count && msgs >= c->count)
		return 1;
	server_assocs(s, &up, &ended);
	return c->once && up > 0 && ended >= up && !server_accept_pending(s);
}

static int run_server(struct perf_cfg *c)
{
	sctpio_addr addrs[PERF_MAX_ADDRS];
	char text[PERF_MAX_ADDRS * (SCTPIO_ADDR_TEXT_MAX + 1)];
	const char *any = c->family == AF_INET ? "0.0.0.0" : "::";
	size_t n = perf_addrs(c, c->addrs, any, (uint16_t)c->port, addrs);
	struct server *s = server_new(c, addrs, n);
	const sctpio_addr *bound = server_addrs(s, &n);
	perf_addrs_text(bound, n, text, sizeof(text));
	/* Scripts wait for this line (on stderr, so stdout holds only the table or the JSON). */
	fprintf(stderr, "sctpperf: listening on %s (%s, model %s, batch %u%s)\n", text, style_name(c->style),
		model_name(c->model), c->batch, c->echo ? ", echoing everything" : "");
	fflush(stderr);
	int rcvbuf = server_rcvbuf(s);
	double cpu0 = cpu_seconds();
	uint64_t t0 = mono_ns(), first = 0, next_tick = t0 + 1000000000u;
	server_start(s);
	struct pollfd p[2] = { { .fd = perf_stopfd, .events = POLLIN }, { .fd = server_eventfd(s), .events = POLLIN } };
	while (!should_stop(c, s)) {
		uint64_t msgs, bytes, now;
		poll(p, 2, c->duration > 0 ? 100 : 1000);
		drain_fd(server_eventfd(s));
		server_live(s, &msgs, &bytes);
		now = mono_ns();
		if (msgs && !first)
			first = now;
		if (c->duration > 0 && first && now - first >= (uint64_t)(c->duration * 1e9))
			break;
		if (now >= next_tick) {
			progress_line(c, "received", msgs, bytes, (double)(now - (first ? first : t0)) / 1e9);
			next_tick = now + 1000000000u;
		}
	}
	struct tally t;
	uint64_t up, ended;
	server_assocs(s, &up, &ended);
	server_stop(s, &t);
	struct report r = {
		.mode = "server", .has_received = 1, .has_loss = 1, .assocs = up, .received = t.msgs, .verified = t.verified,
		.lost = t.lost, .reordered = t.reordered, .corrupt = t.corrupt, .echoed = t.echoed,
		.failed = t.echo_failed, .streams = c->streams, .bytes = t.bytes, .cpu_s = cpu_seconds() - cpu0,
		.secs = t.last_ns > t.first_ns ? (double)(t.last_ns - t.first_ns) / 1e9 : 0,
		.lat_kind = "one-way", .lat = &t.lat, .rcvbuf = rcvbuf, .family = perf_addrs_family(c, addrs, n),
	};
	r.ok = !t.lost && !t.reordered && !t.corrupt && !t.echo_failed;
	report_print(c, &r);
	return r.ok ? 0 : 1;
}

/* ---- client mode ----------------------------------------------------------------------------- */

static void client_tick(void *arg, double secs, uint64_t sent, uint64_t bytes)
{
	progress_line(arg, "sent", sent, bytes, secs);
}

static int run_client(struct perf_cfg *c)
{
	sctpio_addr peers[PERF_MAX_ADDRS];
	size_t n = perf_addrs(c, c->addrs, NULL, (uint16_t)c->port, peers);
	struct client_result *cr = calloc(1, sizeof(*cr));
	if (!cr)
		fatal("out of memory");
	client_run(c, peers, n, client_tick, c, cr);
	struct report r = {
		.mode = "client", .has_sent = 1, .has_received = c->rr, .has_loss = c->rr, .sent = cr->sent,
		.received = cr->echoes, .verified = cr->echoes, .lost = cr->lost, .reordered = cr->reordered,
		.corrupt = cr->corrupt, .failed = cr->failed, .assocs = c->assocs, .streams = cr->streams,
		.secs = cr->secs, .cpu_s = cr->cpu_s, .bytes = cr->bytes, .lat_kind = c->rr ? "round-trip" : NULL,
		.lat = &cr->rtt, .rcvbuf = cr->rcvbuf, .sndbuf = cr->sndbuf, .family = perf_addrs_family(c, peers, n),
	};
	r.ok = !cr->failed && !cr->lost && !cr->reordered && !cr->corrupt && (!c->rr || cr->echoes == cr->sent);
	report_print(c, &r);
	free(cr);
	return r.ok ? 0 : 1;
}

/* ---- loopback mode --------------------------------------------------------------------------- */

struct loop_tick {
	struct perf_cfg *c;
	struct server *s;
};

static void loopback_tick(void *arg, double secs, uint64_t sent, uint64_t bytes)
{
	struct loop_tick *lt = arg;
	uint64_t msgs, rbytes;
	(void)sent;
	(void)bytes;
	server_live(lt->s, &msgs, &rbytes);
	progress_line(lt->c, "received", msgs, rbytes, secs);
}

/* After the client is done, every association must also be finished at the server: wait for it. */
static void wait_server(struct perf_cfg *c, struct server *s)
{
	uint64_t deadline = mono_ns() + (uint64_t)c->timeout_s * 1000000000u, up, ended;
	struct pollfd p = { .fd = server_eventfd(s), .events = POLLIN };
	for (;;) {
		server_assocs(s, &up, &ended);
		if (ended >= c->assocs)
			return;
		uint64_t now = mono_ns();
		if (now >= deadline || perf_stop) {
			perf_warn("the server saw %" PRIu64 " of %u associations end", ended, c->assocs);
			return;
		}
		poll(&p, 1, 100);
		drain_fd(p.fd);
	}
}

static int run_loopback(struct perf_cfg *c)
{
	sctpio_addr addrs[PERF_MAX_ADDRS];
	size_t n = perf_addrs(c, c->addrs, c->family == AF_INET6 ? "::1" : "127.0.0.1", 0, addrs);
	struct server *s = server_new(c, addrs, n);
	const sctpio_addr *peers = server_addrs(s, &n);
	sctpio_addr peer_copy[PERF_MAX_ADDRS];
	memcpy(peer_copy, peers, n * sizeof(*peers));
	int rcvbuf = server_rcvbuf(s);
	struct client_result *cr = calloc(1, sizeof(*cr));
	struct tally *t = calloc(1, sizeof(*t));
	struct loop_tick lt = { c, s };
	if (!cr || !t)
		fatal("out of memory");

	double cpu0 = cpu_seconds();
	server_start(s);
	client_run(c, peer_copy, n, loopback_tick, &lt, cr);
	wait_server(c, s);
	server_stop(s, t);

	/* The rate counts the data phase: from the client's first send to the last message's arrival at
	 * the server (streaming) or the last echo's at the client (--rr). The graceful shutdown after it
	 * is left out: it waits for a delayed SACK (about 0.2 s), which made a 300-request run report a
	 * third of its real rate. */
	uint64_t end = c->rr ? cr->last_echo_ns : t->last_ns;
	double secs = end > cr->t0_ns ? (double)(end - cr->t0_ns) / 1e9 : cr->secs;
	struct report r = {
		.mode = "loopback", .has_sent = 1, .has_received = 1, .has_loss = 1, .sent = cr->sent,
		.received = t->msgs, .verified = t->verified, .lost = t->lost, .reordered = t->reordered + cr->reordered,
		.corrupt = t->corrupt + cr->corrupt, .echoed = t->echoed, .failed = cr->failed + t->echo_failed,
		.assocs = c->assocs, .streams = cr->streams, .secs = secs, .cpu_s = cpu_seconds() - cpu0,
		.bytes = t->bytes, .lat_kind = c->rr ? "round-trip" : "one-way", .lat = c->rr ? &cr->rtt : &t->lat,
		.rcvbuf = rcvbuf, .sndbuf = cr->sndbuf, .family = perf_addrs_family(c, peer_copy, n),
	};
	if (r.sent > r.received && r.sent - r.received > r.lost)
		r.lost = r.sent - r.received;
	r.lost += cr->lost;
	r.ok = !r.lost && !r.reordered && !r.corrupt && !r.failed && r.sent == r.received &&
	       (!c->rr || cr->echoes == cr->sent);
	report_print(c, &r);
	if (!r.ok)
		perf_warn("FAILED: %" PRIu64 " sent, %" PRIu64 " received, %" PRIu64 " lost, %" PRIu64 " reordered, %" PRIu64
			  " corrupt, %" PRIu64 " failed",
			  r.sent, r.received, r.lost, r.reordered, r.corrupt, r.failed);
	free(cr);
	free(t);
	return r.ok ? 0 : 1;
}

int perf_run(struct perf_cfg *c)
{
	signals();
	switch (c->mode) {
	case MODE_SERVER:
		return run_server(c);
	case MODE_CLIENT:
		return run_client(c);
	case MODE_LOOPBACK:
		return run_loopback(c);
	}
	return 2;
}
