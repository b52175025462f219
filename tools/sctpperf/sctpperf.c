// SPDX-License-Identifier: MIT
/*
 * sctpperf - SCTP benchmark and echo tool built on sctpio.
 *
 * Every message carries a header (association index, stream, per-stream sequence number, send time),
 * so the receiver verifies that nothing is lost or reordered per stream and measures one-way latency
 * (loopback shares a clock) or, in request-response mode, the round trip.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sctpio.h"

struct hdr {
	uint32_t assoc;
	uint32_t stream;
	uint64_t seq;
	uint64_t sent_ns;
};

struct cfg {
	int style;
	int assocs;
	int streams;
	size_t size;
	uint64_t count;
	int rr;
	int nagle;
	int json;
	int ipv6;
	int timeout_s;
	const char *host;
	uint16_t port;
};

struct result {
	uint64_t received, lost, reordered, bytes;
	double secs, cpu_secs;
	double *lat_us;
	size_t nlat;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double cpu_now(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what, long rc)
{
	fprintf(stderr, "sctpperf: %s: %s\n", what, strerror((int)-rc));
	exit(1);
}

static int wait_ready(int fd, short ev, int ms)
{
	struct pollfd p = { .fd = fd, .events = ev };
	return poll(&p, 1, ms);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(const struct result *r, double p)
{
	if (!r->nlat)
		return 0;
	size_t i = (size_t)ceil(p / 100.0 * (double)r->nlat);
	return r->lat_us[i ? i - 1 : 0];
}

/* The receiving side: counts messages and checks per-(association, stream) sequence numbers. */
struct server {
	const struct cfg *c;
	int fd;
	struct result res;
	uint64_t *next_seq; /* [assoc * streams + stream] */
};

static void account(struct server *s, const char *buf, ssize_t n, uint64_t now)
{
	struct hdr h;
	if ((size_t)n < sizeof(h))
		return;
	memcpy(&h, buf, sizeof(h));
	if (h.assoc >= (uint32_t)s->c->assocs || h.stream >= (uint32_t)s->c->streams)
		return;
	uint64_t *want = &s->next_seq[h.assoc * (uint32_t)s->c->streams + h.stream];
	if (h.seq != *want) {
		if (h.seq > *want)
			s->res.lost += h.seq - *want;
		else
			s->res.reordered++;
	}
	*want = h.seq + 1;
	s->res.received++;
	s->res.bytes += (uint64_t)n;
	if (s->res.nlat < s->c->count)
		s->res.lat_us[s->res.nlat++] = (double)(now - h.sent_ns) / 1000.0;
}

static void *server_run(void *arg)
{
	struct server *s = arg;
	size_t cap = s->c->size > 65536 ? s->c->size : 65536;
	char *buf = malloc(cap);
	int conns[1024], nconn = 0;
	struct sctpio_rcvinfo ri;
	uint64_t deadline = now_ns() + (uint64_t)s->c->timeout_s * 1000000000u;

	while (s->res.received < s->c->count && now_ns() < deadline) {
		struct pollfd p[1025];
		int np = 0;
		p[np++] = (struct pollfd){ .fd = s->fd, .events = POLLIN };
		for (int i = 0; i < nconn; i++)
			p[np++] = (struct pollfd){ .fd = conns[i], .events = POLLIN };
		if (poll(p, (nfds_t)np, 200) <= 0)
			continue;
		for (int i = 0; i < np; i++) {
			if (!(p[i].revents & (POLLIN | POLLERR | POLLHUP)))
				continue;
			if (i == 0 && s->c->style == SCTPIO_ONE_TO_ONE) {
				int a = sctpio_sock_accept(s->fd, NULL, 0);
				if (a >= 0 && nconn < 1024)
					conns[nconn++] = a;
				continue;
			}
			for (;;) {
				ssize_t n = sctpio_recv(p[i].fd, buf, cap, &ri);
				if (n <= 0)
					break;
				if (ri.flags & SCTPIO_MSG_NOTIFICATION)
					continue;
				account(s, buf, n, now_ns());
				if (s->c->rr) {
					struct sctpio_sndinfo si = { .stream = ri.stream, .ppid = ri.ppid, .assoc_id = ri.assoc_id };
					while (sctpio_send(p[i].fd, buf, (size_t)n, &si) == -EAGAIN)
						wait_ready(p[i].fd, POLLOUT, 1000);
				}
			}
		}
	}
	for (int i = 0; i < nconn; i++)
		sctpio_sock_close(conns[i]);
	free(buf);
	return NULL;
}

/*
 * Wait for association setup on a client socket: COMM_UP, or a clear error when the server is not
 * there (CANT_STR_ASSOC after the INIT retries, or an ABORT). Sending before this works too (the
 * kernel queues), but a failure would then surface as a confusing EPIPE on some later send.
 */
static void wait_established(int fd, int timeout_s)
{
	char buf[512];
	struct sctpio_rcvinfo ri;
	struct sctpio_notification n;
	uint64_t deadline = now_ns() + (uint64_t)timeout_s * 1000000000u;

	for (;;) {
		int left = (int)(((int64_t)(deadline - now_ns())) / 1000000);
		if (left <= 0 || wait_ready(fd, POLLIN, left) <= 0)
			die("connect", -ETIMEDOUT);
		ssize_t r = sctpio_recv(fd, buf, sizeof(buf), &ri);
		if (r == -EAGAIN)
			continue;
		if (r <= 0)
			die("connect", r ? r : -ECONNRESET);
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION) || sctpio_notification_decode(buf, (size_t)r, &n) < 0 ||
		    n.type != SCTP_ASSOC_CHANGE)
			continue;
		if (n.u.assoc_change.state == SCTP_COMM_UP)
			return;
		die("connect", n.u.assoc_change.state == SCTP_CANT_STR_ASSOC ? -ECONNREFUSED : -ECONNRESET);
	}
}

/* The sending side: assocs sockets, messages spread round-robin over associations and streams. */
static int *client_run(const struct cfg *c, const sctpio_addr *srv, struct result *rr_res)
{
	int *fds = calloc((size_t)c->assocs, sizeof(int));
	uint64_t *seq = calloc((size_t)c->assocs * (size_t)c->streams, sizeof(uint64_t));
	char *buf = calloc(1, c->size < 65536 ? 65536 : c->size);
	struct sctpio_rcvinfo ri;
	unsigned flags = c->nagle ? SCTPIO_NAGLE : 0;

	for (int a = 0; a < c->assocs; a++) {
		/* The kernel offers 10 outbound streams unless asked for more before connecting. */
		struct sctp_initmsg im = { .sinit_num_ostreams = (uint16_t)c->streams, .sinit_max_instreams = (uint16_t)c->streams };
		fds[a] = sctpio_sock_open(srv->sa.sa_family, c->style, flags);
		if (fds[a] < 0)
			die("socket", fds[a]);
		if (setsockopt(fds[a], IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im)) < 0)
			die("SCTP_INITMSG", -errno);
		int rc = sctpio_sock_connect(fds[a], srv, 1, NULL);
		if (rc < 0 && rc != -EINPROGRESS)
			die("connect", rc);
	}
	for (int a = 0; a < c->assocs; a++)
		wait_established(fds[a], c->timeout_s);
	for (uint64_t i = 0; i < c->count; i++) {
		int a = (int)(i % (uint64_t)c->assocs);
		uint32_t st = (uint32_t)((i / (uint64_t)c->assocs) % (uint64_t)c->streams);
		struct hdr h = { .assoc = (uint32_t)a, .stream = st, .seq = seq[a * c->streams + (int)st]++, .sent_ns = now_ns() };
		memcpy(buf, &h, sizeof(h));
		struct sctpio_sndinfo si = { .stream = (uint16_t)st, .ppid = 0x73637470, .to = c->style == SCTPIO_ONE_TO_MANY ? srv : NULL };
		for (;;) {
			ssize_t n = sctpio_send(fds[a], buf, c->size, &si);
			if (n >= 0)
				break;
			if (n != -EAGAIN && n != -ENOTCONN) {
				fprintf(stderr, "sctpperf: association %d failed after %" PRIu64 " messages (SO_ERROR: %s)\n", a, i,
					strerror(-sctpio_sock_error(fds[a])));
				die("send", n);
			}
			if (wait_ready(fds[a], POLLOUT, c->timeout_s * 1000) <= 0)
				die("send", -ETIMEDOUT);
		}
		if (c->rr) {
			for (;;) {
				if (wait_ready(fds[a], POLLIN, c->timeout_s * 1000) <= 0)
					die("waiting for the echo", -ETIMEDOUT);
				ssize_t n = sctpio_recv(fds[a], buf, 65536, &ri);
				if (n == -EAGAIN || (n > 0 && (ri.flags & SCTPIO_MSG_NOTIFICATION)))
					continue;
				if (n < 0)
					die("recv", n);
				memcpy(&h, buf, sizeof(h));
				rr_res->lat_us[rr_res->nlat++] = (double)(now_ns() - h.sent_ns) / 1000.0;
				break;
			}
		}
	}
	/* Graceful shutdown lets queued messages drain before the sockets go. */
	for (int a = 0; a < c->assocs; a++) {
		if (c->style == SCTPIO_ONE_TO_ONE)
			sctpio_sock_shutdown(fds[a], 0);
	}
	free(buf);
	free(seq);
	return fds; /* closed by the caller once the server has counted everything */
}

static void report(const struct cfg *c, struct result *r)
{
	qsort(r->lat_us, r->nlat, sizeof(double), cmp_double);
	double mps = (double)r->received / r->secs;
	if (c->json) {
		printf("{\"style\":\"%s\",\"assocs\":%d,\"streams\":%d,\"size\":%zu,\"mode\":\"%s\",\"sent\":%" PRIu64
		       ",\"received\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"reordered\":%" PRIu64
		       ",\"secs\":%.4f,\"msgs_per_s\":%.0f,\"mb_per_s\":%.3f,\"p50_us\":%.1f,\"p90_us\":%.1f,"
		       "\"p99_us\":%.1f,\"p999_us\":%.1f,\"cpu_us_per_msg\":%.3f,\"nodelay\":%s}\n",
		       c->style == SCTPIO_ONE_TO_ONE ? "one-to-one" : "one-to-many", c->assocs, c->streams, c->size,
		       c->rr ? "request-response" : "stream", c->count, r->received, r->lost, r->reordered, r->secs, mps,
		       (double)r->bytes / r->secs / 1e6, pct(r, 50), pct(r, 90), pct(r, 99), pct(r, 99.9),
		       r->cpu_secs * 1e6 / (double)(r->received ? r->received : 1), c->nagle ? "false" : "true");
		return;
	}
	printf("sctpperf loopback: %s, %d associations x %d streams, %zu-byte messages, %s%s\n",
	       c->style == SCTPIO_ONE_TO_ONE ? "one-to-one" : "one-to-many", c->assocs, c->streams, c->size,
	       c->rr ? "request-response" : "streaming", c->nagle ? ", Nagle on" : "");
	printf("  %-22s %14s\n", "metric", "value");
	printf("  %-22s %14" PRIu64 "\n", "messages sent", c->count);
	printf("  %-22s %14" PRIu64 "\n", "messages received", r->received);
	printf("  %-22s %14" PRIu64 "\n", "lost", r->lost + (c->count - r->received));
	printf("  %-22s %14" PRIu64 "\n", "reordered", r->reordered);
	printf("  %-22s %14.0f\n", "msgs/s", mps);
	printf("  %-22s %14.3f\n", "MB/s", (double)r->bytes / r->secs / 1e6);
	printf("  %-22s %14.1f\n", c->rr ? "p50 round trip (us)" : "p50 latency (us)", pct(r, 50));
	printf("  %-22s %14.1f\n", c->rr ? "p90 round trip (us)" : "p90 latency (us)", pct(r, 90));
	printf("  %-22s %14.1f\n", c->rr ? "p99 round trip (us)" : "p99 latency (us)", pct(r, 99));
	printf("  %-22s %14.1f\n", c->rr ? "p99.9 round trip (us)" : "p99.9 latency (us)", pct(r, 99.9));
	printf("  %-22s %14.3f\n", "CPU us per message", r->cpu_secs * 1e6 / (double)(r->received ? r->received : 1));
}

static void usage(FILE *f)
{
	fputs("usage: sctpperf loopback [options]\n"
	      "  Runs a server and a client in one process over loopback and prints msgs/s, MB/s,\n"
	      "  latency percentiles, CPU per message, lost and reordered (checked per stream).\n"
	      "options:\n"
	      "  --style one-to-one|one-to-many  socket style (default one-to-many)\n"
	      "  --assocs N        client associations (default 4)\n"
	      "  --streams N       streams per association, 1..65535 (default 8)\n"
	      "  --size BYTES      message size, >= 24 (default 100)\n"
	      "  --count N         messages to send (default 50000)\n"
	      "  --rr              request-response: one message in flight, round-trip latency\n"
	      "  --nagle           leave Nagle's algorithm on (SCTP_NODELAY off)\n"
	      "  --ipv6            use ::1 instead of 127.0.0.1\n"
	      "  --timeout S       give up after S seconds (default 60)\n"
	      "  --json            one JSON object instead of the table\n",
	      f);
}

int main(int argc, char **argv)
{
	struct cfg c = { .style = SCTPIO_ONE_TO_MANY, .assocs = 4, .streams = 8, .size = 100, .count = 50000, .timeout_s = 60 };
	static const struct option opts[] = {
		{ "style", required_argument, 0, 's' }, { "assocs", required_argument, 0, 'a' },
		{ "streams", required_argument, 0, 'S' }, { "size", required_argument, 0, 'z' },
		{ "count", required_argument, 0, 'n' }, { "rr", no_argument, 0, 'r' },
		{ "nagle", no_argument, 0, 'N' }, { "json", no_argument, 0, 'j' },
		{ "ipv6", no_argument, 0, '6' }, { "timeout", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2 || strcmp(argv[1], "loopback") != 0) {
		usage(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	optind = 2;
	for (int o; (o = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
		switch (o) {
		case 's':
			if (!strcmp(optarg, "one-to-one"))
				c.style = SCTPIO_ONE_TO_ONE;
			else if (!strcmp(optarg, "one-to-many"))
				c.style = SCTPIO_ONE_TO_MANY;
			else {
				fprintf(stderr, "sctpperf: unknown style %s\n", optarg);
				return 2;
			}
			break;
		case 'a': c.assocs = atoi(optarg); break;
		case 'S': c.streams = atoi(optarg); break;
		case 'z': c.size = (size_t)strtoul(optarg, NULL, 10); break;
		case 'n': c.count = strtoull(optarg, NULL, 10); break;
		case 'r': c.rr = 1; break;
		case 'N': c.nagle = 1; break;
		case 'j': c.json = 1; break;
		case '6': c.ipv6 = 1; break;
		case 't': c.timeout_s = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (c.assocs < 1 || c.assocs > 1000 || c.streams < 1 || c.streams > 65535 || c.size < sizeof(struct hdr) ||
	    c.size > 1 << 20 || c.count < 1 || c.timeout_s < 1) {
		fprintf(stderr, "sctpperf: impossible combination: assocs 1..1000, streams 1..65535, size %zu..1048576, count >= 1\n",
			sizeof(struct hdr));
		return 2;
	}

	sctpio_addr srv_addr;
	sctpio_addr_parse(&srv_addr, c.ipv6 ? "::1" : "127.0.0.1", 0);
	int srv = sctpio_sock_server(c.style, &srv_addr, 1, 0, 0);
	if (srv < 0)
		die("server", srv);
	sctpio_sock_local_addrs(srv, 0, &srv_addr, 1);

	struct server s = { .c = &c, .fd = srv };
	s.next_seq = calloc((size_t)c.assocs * (size_t)c.streams, sizeof(uint64_t));
	s.res.lat_us = calloc(c.count, sizeof(double));
	struct result rr = { .lat_us = c.rr ? calloc(c.count, sizeof(double)) : NULL };

	double cpu0 = cpu_now();
	uint64_t t0 = now_ns();
	pthread_t th;
	pthread_create(&th, NULL, server_run, &s);
	int *fds = client_run(&c, &srv_addr, &rr);
	pthread_join(th, NULL);
	for (int a = 0; a < c.assocs; a++)
		sctpio_sock_close(fds[a]);
	free(fds);
	s.res.secs = (double)(now_ns() - t0) / 1e9;
	s.res.cpu_secs = cpu_now() - cpu0;
	if (c.rr) {
		free(s.res.lat_us);
		s.res.lat_us = rr.lat_us;
		s.res.nlat = rr.nlat;
	}
	report(&c, &s.res);
	int ok = s.res.received == c.count && s.res.lost == 0 && s.res.reordered == 0;
	if (!ok)
		fprintf(stderr, "sctpperf: FAILED: %" PRIu64 " of %" PRIu64 " received, %" PRIu64 " lost, %" PRIu64 " reordered\n",
			s.res.received, c.count, s.res.lost, s.res.reordered);
	return ok ? 0 : 1;
}
