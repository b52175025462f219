// SPDX-License-Identifier: MIT
/*
 * drain - how much a batch container saves over one system call per message.
 *
 * Receive: several clients fill the server's receive buffers with exactly K small messages; then
 * they are drained, timed, either by a sctpio_recv loop or by sctpio_batch_recv with a container of
 * 1, 8, 32 or 64 slots. Send: one client sends K messages, timed, either by a sctpio_send loop or by
 * sctpio_batch_add + sctpio_batch_send at the same batch sizes; the server drains them (untimed)
 * between rounds. Every round checks that exactly K messages went through.
 *
 * Both socket styles are measured, each with a rig of its own: one-to-many (the server is one
 * socket, every association's messages in its one queue) and one-to-one (the server accepts one
 * socket per client, and a drain empties each accepted socket's queue in turn). The Go benchmark
 * compares its one-to-one SCTPConn with the one-to-one rows and its Endpoint with the one-to-many
 * ones, so that the socket style is held equal in every Go/C ratio.
 *
 * Reported per style and mode: messages per second (wall clock), CPU time per message of the calling
 * thread (CLOCK_THREAD_CPUTIME_ID: user + system), and both as ratios against that style's
 * per-message loop; each is the median of the rounds, and the best round's rate is shown beside it.
 * Needs kernel SCTP (run it through scripts/sctp-run).
 *
 * Usage: drain [-k MESSAGES] [-s SIZE] [-c CLIENTS] [-r ROUNDS] [--style one-to-many|one-to-one|both]
 *              [--fill per-message|batch] [--json]
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sctpio.h"
#include "bench.h"

#define MAX_CLIENTS 16
#define NMODES 5
static const int batch_sizes[NMODES] = { 0, 1, 8, 32, 64 }; /* 0: the per-message loop */

struct opts {
	int k, size, clients, rounds, json;
	bool fill_batch; /* --fill batch: the queues are filled by 64-message sctpio_batch_send, as gobench's */
	bool style[3]; /* indexed by SCTPIO_ONE_TO_ONE and SCTPIO_ONE_TO_MANY: measure that style */
};

static const char *style_name(int style)
{
	return style == SCTPIO_ONE_TO_ONE ? "one-to-one" : "one-to-many";
}

struct result {
	double rate[NMODES][64], cpu[NMODES][64]; /* per round: messages/s, CPU ns per message */
};

static double clock_s(clockid_t id) { return (double)clock_ns(id) / 1e9; }

/* A bigger socket buffer than net.core.*mem_max allows needs CAP_NET_ADMIN; fall back quietly. */
static void set_buf(int fd, int name_force, int name, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, name_force, &bytes, sizeof(bytes)) < 0)
		TRY(setsockopt(fd, SOL_SOCKET, name, &bytes, sizeof(bytes)) < 0 ? -errno : 0);
}

/* Ordered DATA chunks the server has taken in on association a: queued for reading in the same step. */
static long long delivered(int srv, sctp_assoc_t a)
{
	struct sctp_assoc_stats st = { .sas_assoc_id = a };
	socklen_t l = sizeof(st);
	TRY(getsockopt(srv, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &st, &l) < 0 ? -errno : 0);
	return (long long)st.sas_iodchunks;
}

/*
 * One style's server and clients. Client c's messages are read from rfd[c]: the one server socket
 * (one-to-many, association srv_assoc[c] on it) or the socket accepted for c (one-to-one, where the
 * association needs no id).
 */
struct rig {
	int style, srv, cli[MAX_CLIENTS], rfd[MAX_CLIENTS], nclients;
	sctp_assoc_t cli_assoc[MAX_CLIENTS], srv_assoc[MAX_CLIENTS];
	long long seen; /* chunks counted by `delivered` so far, all associations */
	char *buf;
};

static long long delivered_all(struct rig *r)
{
	long long n = 0;
	for (int c = 0; c < r->nclients; c++)
		n += delivered(r->rfd[c], r->srv_assoc[c]);
	return n;
}

/* Wait up to 10 s for events on fd. */
static void wait_fd(int fd, short events, const char *what)
{
	struct pollfd p = { .fd = fd, .events = events };
	if (poll(&p, 1, 10000) <= 0)
		die(what, -ETIMEDOUT);
}

/* Wait until k more messages than before are in the server's receive queue. */
static void wait_queued(struct rig *r, int k)
{
	for (double end = clock_s(CLOCK_MONOTONIC) + 20; clock_s(CLOCK_MONOTONIC) < end; poll(NULL, 0, 1)) {
		long long n = delivered_all(r);
		if (n - r->seen >= k) {
			if (n - r->seen > k)
				die("more messages queued than sent", -EPROTO);
			r->seen = n;
			return;
		}
	}
	die("messages not delivered within 20 s (receive buffer too small?)", -ETIMEDOUT);
}

static void send_one(int fd, const void *buf, size_t len, const struct sctpio_sndinfo *si)
{
	for (;;) {
		ssize_t n = sctpio_send(fd, buf, len, si);
		if (n == (ssize_t)len)
			return;
		if (n != -EAGAIN)
			die("sctpio_send", n);
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		if (poll(&p, 1, 10000) == 0)
			die("send blocked for 10 s (receive buffer too small?)", -ETIMEDOUT);
	}
}

/* The COMM_UP that every new association first queues on the socket it is read from. */
static sctp_assoc_t comm_up(struct sctpio_batch *b, int fd)
{
	TRY(sctpio_batch_recv(b, fd, 1, 10000));
	const union sctp_notification *sn = sctpio_batch_data(b, 0, NULL);
	if (!(sctpio_batch_info(b, 0)->flags & SCTPIO_MSG_NOTIFICATION) ||
	    sn->sn_header.sn_type != SCTP_ASSOC_CHANGE || sn->sn_assoc_change.sac_state != SCTP_COMM_UP)
		die("expected a COMM_UP", -EPROTO);
	return sn->sn_assoc_change.sac_assoc_id;
}

static void setup(struct rig *r, const struct opts *o, int style)
{
	sctpio_addr addr;
	struct sctpio_batch *b;

	r->style = style;
	r->nclients = o->clients;
	r->buf = calloc(1, (size_t)o->size);
	TRY(sctpio_addr_parse(&addr, "127.0.0.1", 0));
	r->srv = TRY(sctpio_sock_server(style, &addr, 1, MAX_CLIENTS, 0));
	TRY(sctpio_sock_local_addrs(r->srv, 0, &addr, 1));
	/* Before any association exists, so that each advertises the whole window (an accepted
	 * one-to-one socket inherits the listener's buffer). */
	set_buf(r->srv, SO_RCVBUFFORCE, SO_RCVBUF, 8 << 20);
	TRY(sctpio_batch_new(&b, 1, 1024));
	for (int c = 0; c < r->nclients; c++) {
		r->cli[c] = TRY(sctpio_sock_client(style, &addr, 1, NULL, 0, 0, &r->cli_assoc[c]));
		set_buf(r->cli[c], SO_SNDBUFFORCE, SO_SNDBUF, 8 << 20);
		if (style == SCTPIO_ONE_TO_MANY) {
			/* The server's COMM_UPs, in connection order, give its ids for the associations. */
			r->rfd[c] = r->srv;
			r->srv_assoc[c] = comm_up(b, r->srv);
			continue;
		}
		/* One-to-one: the connection completes in the background; accept it, then take the
		 * COMM_UP off both ends' queues so that only data is left to drain. */
		wait_fd(r->srv, POLLIN, "accept: no association within 10 s");
		r->rfd[c] = TRY(sctpio_sock_accept(r->srv, NULL, 0));
		r->srv_assoc[c] = 0;
		r->cli_assoc[c] = 0;
		wait_fd(r->cli[c], POLLOUT, "connect: not connected within 10 s");
		TRY(sctpio_sock_error(r->cli[c]));
		comm_up(b, r->rfd[c]);
		comm_up(b, r->cli[c]);
	}
	sctpio_batch_free(b);
	r->seen = delivered_all(r);
}

static void teardown(struct rig *r)
{
	for (int c = 0; c < r->nclients; c++) {
		if (r->rfd[c] != r->srv)
			sctpio_sock_close(r->rfd[c]);
		sctpio_sock_close(r->cli[c]);
	}
	sctpio_sock_close(r->srv);
	free(r->buf);
}

/* Send everything queued in b on fd, waiting for writability as often as needed. */
static void flush(struct sctpio_batch *b, int fd)
{
	while (sctpio_batch_pending(b)) {
		int n = sctpio_batch_send(b, fd);
		if (n == -EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			if (poll(&p, 1, 10000) == 0)
				die("batch send blocked for 10 s", -ETIMEDOUT);
		} else if (n < 0) {
			die("sctpio_batch_send", n);
		}
	}
}

/*
 * Queue exactly k messages at the server, client i % nclients sending message i; one sctpio_send each,
 * or with --fill batch through a 64-slot batch per client (the queue gobench's receivers drain is
 * filled that way: a faster sender bundles more chunks per packet).
 */
static void fill(struct rig *r, const struct opts *o, int nclients)
{
	struct sctpio_batch *b[MAX_CLIENTS] = { 0 };

	for (int c = 0; o->fill_batch && c < nclients; c++)
		TRY(sctpio_batch_new(&b[c], 64, (size_t)o->size));
	for (int i = 0; i < o->k; i++) {
		int c = i % nclients;
		struct sctpio_sndinfo si = { .stream = (uint16_t)(i % 8), .ppid = (uint32_t)c, .assoc_id = r->cli_assoc[c] };
		memcpy(r->buf, &i, sizeof(i) < (size_t)o->size ? sizeof(i) : (size_t)o->size);
		if (!b[c]) {
			send_one(r->cli[c], r->buf, (size_t)o->size, &si);
			continue;
		}
		TRY(sctpio_batch_add(b[c], r->buf, (size_t)o->size, &si));
		if (sctpio_batch_pending(b[c]) == 64)
			flush(b[c], r->cli[c]);
	}
	for (int c = 0; c < nclients; c++) {
		if (b[c])
			flush(b[c], r->cli[c]);
		sctpio_batch_free(b[c]);
	}
	wait_queued(r, o->k);
}

/* Drain exactly k messages from fd's full queue with b (NULL: the sctpio_recv loop); returns k. */
static int drain_fd(int fd, struct sctpio_batch *b, const struct opts *o, int k)
{
	struct sctpio_rcvinfo ri;
	char buf[2048];
	int got = 0;

	if (!b) {
		while (got < k) {
			ssize_t n = sctpio_recv(fd, buf, sizeof(buf), &ri);
			if (n != o->size || (ri.flags & (SCTPIO_MSG_NOTIFICATION | SCTPIO_MSG_MORE)))
				die("per-message drain: not a whole data message (queue ran dry?)", n < 0 ? n : -EPROTO);
			got++;
		}
		return got;
	}
	while (got < k) {
		/* Never more than this socket's share: on a one-to-one rig the next socket's turn
		 * comes after. */
		int n = sctpio_batch_recv(b, fd, 1, 0);
		if (n < 0)
			die("batch drain (queue ran dry?)", n);
		for (int i = 0; i < n; i++) {
			size_t len;
			sctpio_batch_data(b, (size_t)i, &len);
			if ((int)len != o->size ||
			    (sctpio_batch_info(b, (size_t)i)->flags & (SCTPIO_MSG_NOTIFICATION | SCTPIO_MSG_MORE)))
				die("batch drain: not a whole data message", -EPROTO);
		}
		got += n;
	}
	return got;
}

/* mode_name writes mode m's name for direction dir ("recv" or "send"): "1:N recv batch 64". */
static void mode_name(char *out, size_t n, int style, const char *dir, int m)
{
	const char *st = style == SCTPIO_ONE_TO_ONE ? "1:1" : "1:N";

	if (batch_sizes[m])
		snprintf(out, n, "%s %s batch %d", st, dir, batch_sizes[m]);
	else
		snprintf(out, n, "%s %s per-message", st, dir);
}

/*
 * Drain exactly k messages from the full queues with mode m: the one server socket, or each accepted
 * socket's share in turn (client c sent messages c, c + nclients, ...); then every queue must be
 * empty.
 */
static void drain(struct rig *r, const struct opts *o, int m, double *rate, double *cpu)
{
	struct sctpio_batch *b = NULL;
	struct sctpio_rcvinfo ri;
	char buf[2048];
	int got = 0, nfd = r->style == SCTPIO_ONE_TO_ONE ? r->nclients : 1;

	char label[48];

	mode_name(label, sizeof(label), r->style, "recv", m);
	if (batch_sizes[m])
		TRY(sctpio_batch_new(&b, (size_t)batch_sizes[m], 2048));
	perf_window(1, label);
	double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	for (int c = 0; c < nfd; c++)
		got += drain_fd(r->rfd[c], b, o, nfd == 1 ? o->k : o->k / nfd + (c < o->k % nfd));
	double w1 = clock_s(CLOCK_MONOTONIC), c1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	perf_window(0, label);
	if (got != o->k)
		die("drained a different number of messages than were queued", -EPROTO);
	for (int c = 0; c < nfd; c++)
		if (sctpio_recv(r->rfd[c], buf, sizeof(buf), &ri) != -EAGAIN)
			die("messages left after draining k", -EPROTO);
	sctpio_batch_free(b);
	*rate = o->k / (w1 - w0);
	*cpu = (c1 - c0) * 1e9 / o->k;
}

/* Send k messages from client 0 with mode m (timed), then drain them (untimed) and count them. */
static void send_round(struct rig *r, const struct opts *o, int m, double *rate, double *cpu)
{
	struct sctpio_batch *b = NULL;
	int fd = r->cli[0];
	struct sctpio_sndinfo si = { .ppid = 7, .assoc_id = r->cli_assoc[0] };

	char label[48];

	mode_name(label, sizeof(label), r->style, "send", m);
	if (batch_sizes[m])
		TRY(sctpio_batch_new(&b, (size_t)batch_sizes[m], (size_t)o->size));
	perf_window(1, label);
	double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	for (int i = 0; i < o->k;) {
		si.stream = (uint16_t)(i % 8);
		if (!b) {
			send_one(fd, r->buf, (size_t)o->size, &si);
			i++;
			continue;
		}
		if (sctpio_batch_add(b, r->buf, (size_t)o->size, &si) >= 0) {
			i++;
			if (sctpio_batch_pending(b) < (size_t)batch_sizes[m] && i < o->k)
				continue;
		}
		flush(b, fd); /* full, or the last message is in */
	}
	double w1 = clock_s(CLOCK_MONOTONIC), c1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	perf_window(0, label);
	sctpio_batch_free(b);
	*rate = o->k / (w1 - w0);
	*cpu = (c1 - c0) * 1e9 / o->k;

	/* Count what arrived: exactly k, and nothing else. */
	wait_queued(r, o->k);
	struct sctpio_batch *rb;
	int got = 0;
	TRY(sctpio_batch_new(&rb, 64, 2048));
	for (int n; (n = sctpio_batch_recv(rb, r->rfd[0], 1, 0)) > 0;)
		got += n;
	sctpio_batch_free(rb);
	if (got != o->k)
		die("send round: a different number of messages arrived than were sent", -EPROTO);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * The median of the rounds, and the best round: on a shared machine other load only ever slows a
 * round down, so the best is the steadier estimate when the medians wander. JSON: one object per
 * mode, each saying its style, comma-separated; first says whether one came before in the array.
 */
static void report(const char *dir, int style, struct result *res, const struct opts *o, int json, int first)
{
	double rate[NMODES], cpu[NMODES], best[NMODES];

	for (int m = 0; m < NMODES; m++) {
		rate[m] = median(res->rate[m], o->rounds);
		cpu[m] = median(res->cpu[m], o->rounds);
		best[m] = res->rate[m][o->rounds - 1]; /* median() sorted them */
	}
	for (int m = 0; m < NMODES; m++) {
		if (json) {
			printf("%s{\"style\":\"%s\",\"mode\":\"%s\",\"batch\":%d,\"msgs_per_s\":%.0f,\"cpu_ns_per_msg\":%.0f,"
			       "\"rate_ratio\":%.3f,\"cpu_ratio\":%.3f,\"best_msgs_per_s\":%.0f,\"best_rate_ratio\":%.3f}",
			       first && !m ? "" : ",", style_name(style), batch_sizes[m] ? "batch" : "per-message",
			       batch_sizes[m], rate[m], cpu[m], rate[m] / rate[0], cpu[0] / cpu[m], best[m], best[m] / best[0]);
			continue;
		}
		char mode[48];
		mode_name(mode, sizeof(mode), style, dir, m);
		printf("%-22s %10.0f %11.0f %10.2fx %10.2fx %10.0f %10.2fx\n", mode, rate[m], cpu[m], rate[m] / rate[0],
		       cpu[0] / cpu[m], best[m], best[m] / best[0]);
	}
}

static const char usage[] =
	"usage: drain [-k MESSAGES] [-s SIZE] [-c CLIENTS] [-r ROUNDS] [--style one-to-many|one-to-one|both]\n"
	"             [--fill per-message|batch] [--json]\n";

int main(int argc, char **argv)
{
	struct opts o = { .k = 20000, .size = 100, .clients = 4, .rounds = 3 };
	static struct result recv_res[3], send_res[3];
	static struct rig rigs[3];
	const int styles[2] = { SCTPIO_ONE_TO_MANY, SCTPIO_ONE_TO_ONE };
	const char *style = "both", *fill_mode = "per-message";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			o.json = 1;
		else if (i + 1 < argc && !strcmp(argv[i], "-k"))
			o.k = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "-s"))
			o.size = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "-c"))
			o.clients = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "-r"))
			o.rounds = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--style"))
			style = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--fill"))
			fill_mode = argv[++i];
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	o.style[SCTPIO_ONE_TO_MANY] = !strcmp(style, "one-to-many") || !strcmp(style, "both");
	o.style[SCTPIO_ONE_TO_ONE] = !strcmp(style, "one-to-one") || !strcmp(style, "both");
	o.fill_batch = !strcmp(fill_mode, "batch");
	if (!o.fill_batch && strcmp(fill_mode, "per-message")) {
		fprintf(stderr, "drain: --fill per-message or batch\n");
		return 2;
	}
	if (o.k < 1 || o.size < 1 || o.size > 2048 || o.clients < 1 || o.clients > MAX_CLIENTS || o.rounds < 1 ||
	    o.rounds > 64 || !(o.style[SCTPIO_ONE_TO_MANY] || o.style[SCTPIO_ONE_TO_ONE])) {
		fprintf(stderr, "drain: need k >= 1, 1 <= size <= 2048, 1 <= clients <= %d, 1 <= rounds <= 64, "
				"--style one-to-many, one-to-one or both\n",
			MAX_CLIENTS);
		return 2;
	}
	for (int s = 0; s < 2; s++)
		if (o.style[styles[s]])
			setup(&rigs[styles[s]], &o, styles[s]);
	/* Rounds go through every style and mode in turn, so slow drift in the machine hits all alike. */
	for (int round = 0; round < o.rounds; round++) {
		for (int s = 0; s < 2; s++) {
			int st = styles[s];
			if (!o.style[st])
				continue;
			for (int m = 0; m < NMODES; m++) {
				fill(&rigs[st], &o, o.clients);
				drain(&rigs[st], &o, m, &recv_res[st].rate[m][round], &recv_res[st].cpu[m][round]);
			}
			for (int m = 0; m < NMODES; m++)
				send_round(&rigs[st], &o, m, &send_res[st].rate[m][round], &send_res[st].cpu[m][round]);
		}
	}
	int rcvbuf = 0;
	socklen_t l = sizeof(rcvbuf);
	int some = o.style[SCTPIO_ONE_TO_MANY] ? rigs[SCTPIO_ONE_TO_MANY].rfd[0] : rigs[SCTPIO_ONE_TO_ONE].rfd[0];
	getsockopt(some, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &l);
	if (o.json) {
		printf("{\"k\":%d,\"size\":%d,\"clients\":%d,\"rounds\":%d,\"rcvbuf\":%d,\"styles\":\"%s\",", o.k, o.size,
		       o.clients, o.rounds, rcvbuf, style);
	} else {
		printf("K=%d messages of %d bytes, drain fed by %d clients, send from 1, SO_RCVBUF %d; %d rounds\n",
		       o.k, o.size, o.clients, rcvbuf, o.rounds);
		printf("%-22s %10s %11s %11s %11s %10s %11s\n", "mode", "msgs/s", "cpu ns/msg", "rate ratio", "cpu ratio",
		       "best/s", "best ratio");
	}
	for (int d = 0; d < 2; d++) {
		int first = 1;
		if (o.json)
			printf("\"%s\":[", d ? "send" : "recv");
		for (int s = 0; s < 2; s++) {
			if (!o.style[styles[s]])
				continue;
			report(d ? "send" : "recv", styles[s], d ? &send_res[styles[s]] : &recv_res[styles[s]], &o, o.json,
			       first);
			first = 0;
		}
		if (o.json)
			printf("]%s", d ? "}\n" : ",");
	}
	for (int s = 0; s < 2; s++)
		if (o.style[styles[s]])
			teardown(&rigs[styles[s]]);
	return 0;
}
