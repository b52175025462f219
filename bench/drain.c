// SPDX-License-Identifier: MIT
/*
 * drain - how much a batch container saves over one system call per message.
 *
 * Receive: several clients fill a one-to-many server's receive buffer with exactly K small messages;
 * then the buffer is drained, timed, either by a sctpio_recv loop or by sctpio_batch_recv with a
 * container of 1, 8, 32 or 64 slots. Send: one client sends K messages, timed, either by a
 * sctpio_send loop or by sctpio_batch_add + sctpio_batch_send at the same batch sizes; the server
 * drains them (untimed) between rounds. Every round checks that exactly K messages went through.
 * Reported per mode: messages per second (wall clock), CPU time per message of the calling thread
 * (CLOCK_THREAD_CPUTIME_ID: user + system), and both as ratios against the per-message loop; each is
 * the median of the rounds, and the best round's rate is shown beside it. Needs kernel SCTP (run it
 * through scripts/sctp-run).
 *
 * Usage: drain [-k MESSAGES] [-s SIZE] [-c CLIENTS] [-r ROUNDS] [--json]
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sctpio.h"

#define MAX_CLIENTS 16
#define NMODES 5
static const int batch_sizes[NMODES] = { 0, 1, 8, 32, 64 }; /* 0: the per-message loop */

struct opts {
	int k, size, clients, rounds, json;
};

struct result {
	double rate[NMODES][64], cpu[NMODES][64]; /* per round: messages/s, CPU ns per message */
};

static void die(const char *what, long rc)
{
	fprintf(stderr, "drain: %s: %s\n", what, rc < 0 ? strerror((int)-rc) : "failed");
	exit(1);
}

#define TRY(call) ({ long _r = (long)(call); if (_r < 0) die(#call, _r); _r; })

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

struct rig {
	int srv, cli[MAX_CLIENTS], nclients;
	sctp_assoc_t cli_assoc[MAX_CLIENTS], srv_assoc[MAX_CLIENTS];
	long long seen; /* chunks counted by `delivered` so far, all associations */
	char *buf;
};

static long long delivered_all(struct rig *r)
{
	long long n = 0;
	for (int c = 0; c < r->nclients; c++)
		n += delivered(r->srv, r->srv_assoc[c]);
	return n;
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

static void setup(struct rig *r, const struct opts *o)
{
	sctpio_addr addr;
	struct sctpio_batch *b;

	r->nclients = o->clients;
	r->buf = calloc(1, (size_t)o->size);
	TRY(sctpio_addr_parse(&addr, "127.0.0.1", 0));
	r->srv = TRY(sctpio_sock_server(SCTPIO_ONE_TO_MANY, &addr, 1, 0, 0));
	TRY(sctpio_sock_local_addrs(r->srv, 0, &addr, 1));
	set_buf(r->srv, SO_RCVBUFFORCE, SO_RCVBUF, 8 << 20);
	for (int c = 0; c < r->nclients; c++) {
		r->cli[c] = TRY(sctpio_sock_client(SCTPIO_ONE_TO_MANY, &addr, 1, NULL, 0, 0, &r->cli_assoc[c]));
		set_buf(r->cli[c], SO_SNDBUFFORCE, SO_SNDBUF, 8 << 20);
	}
	/* The server's COMM_UPs, in connection order, give its ids for the associations. */
	TRY(sctpio_batch_new(&b, 1, 1024));
	for (int c = 0; c < r->nclients; c++) {
		TRY(sctpio_batch_recv(b, r->srv, 1, 10000));
		const union sctp_notification *sn = sctpio_batch_data(b, 0, NULL);
		if (!(sctpio_batch_info(b, 0)->flags & SCTPIO_MSG_NOTIFICATION) ||
		    sn->sn_header.sn_type != SCTP_ASSOC_CHANGE || sn->sn_assoc_change.sac_state != SCTP_COMM_UP)
			die("expected a COMM_UP", -EPROTO);
		r->srv_assoc[c] = sn->sn_assoc_change.sac_assoc_id;
	}
	sctpio_batch_free(b);
	r->seen = delivered_all(r);
}

/* Clients take turns sending k messages in all; returns when all k sit in the server's queue. */
static void fill(struct rig *r, const struct opts *o, int nclients)
{
	for (int i = 0; i < o->k; i++) {
		int c = i % nclients;
		struct sctpio_sndinfo si = { .stream = (uint16_t)(i % 8), .ppid = (uint32_t)c, .assoc_id = r->cli_assoc[c] };
		memcpy(r->buf, &i, sizeof(i) < (size_t)o->size ? sizeof(i) : (size_t)o->size);
		send_one(r->cli[c], r->buf, (size_t)o->size, &si);
	}
	wait_queued(r, o->k);
}

/* Drain exactly k messages from a full queue with mode m; then the queue must be empty. */
static void drain(struct rig *r, const struct opts *o, int m, double *rate, double *cpu)
{
	struct sctpio_batch *b = NULL;
	struct sctpio_rcvinfo ri;
	char buf[2048];
	int got = 0;

	if (batch_sizes[m])
		TRY(sctpio_batch_new(&b, (size_t)batch_sizes[m], 2048));
	double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	if (!b) {
		while (got < o->k) {
			ssize_t n = sctpio_recv(r->srv, buf, sizeof(buf), &ri);
			if (n != o->size || (ri.flags & (SCTPIO_MSG_NOTIFICATION | SCTPIO_MSG_MORE)))
				die("per-message drain: not a whole data message (queue ran dry?)", n < 0 ? n : -EPROTO);
			got++;
		}
	} else {
		while (got < o->k) {
			int n = sctpio_batch_recv(b, r->srv, 1, 0);
			if (n < 0)
				die("batch drain (queue ran dry?)", n);
			for (int i = 0; i < n; i++) {
				size_t len;
				sctpio_batch_data(b, (size_t)i, &len);
				if ((int)len != o->size || (sctpio_batch_info(b, (size_t)i)->flags &
							    (SCTPIO_MSG_NOTIFICATION | SCTPIO_MSG_MORE)))
					die("batch drain: not a whole data message", -EPROTO);
			}
			got += n;
		}
	}
	double w1 = clock_s(CLOCK_MONOTONIC), c1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	if (got != o->k)
		die("drained a different number of messages than were queued", -EPROTO);
	if (sctpio_recv(r->srv, buf, sizeof(buf), &ri) != -EAGAIN)
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

	if (batch_sizes[m])
		TRY(sctpio_batch_new(&b, (size_t)batch_sizes[m], (size_t)o->size));
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
		/* Full (or the last message is in): send until the queue is empty. */
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
	double w1 = clock_s(CLOCK_MONOTONIC), c1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	sctpio_batch_free(b);
	*rate = o->k / (w1 - w0);
	*cpu = (c1 - c0) * 1e9 / o->k;

	/* Count what arrived: exactly k, and nothing else. */
	wait_queued(r, o->k);
	struct sctpio_batch *rb;
	int got = 0;
	TRY(sctpio_batch_new(&rb, 64, 2048));
	for (int n; (n = sctpio_batch_recv(rb, r->srv, 1, 0)) > 0;)
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
 * round down, so the best is the steadier estimate when the medians wander.
 */
static void report(const char *dir, struct result *res, const struct opts *o, int json, int last)
{
	double rate[NMODES], cpu[NMODES], best[NMODES];

	for (int m = 0; m < NMODES; m++) {
		rate[m] = median(res->rate[m], o->rounds);
		cpu[m] = median(res->cpu[m], o->rounds);
		best[m] = res->rate[m][o->rounds - 1]; /* median() sorted them */
	}
	if (json) {
		printf("\"%s\":[", dir);
		for (int m = 0; m < NMODES; m++)
			printf("%s{\"mode\":\"%s\",\"batch\":%d,\"msgs_per_s\":%.0f,\"cpu_ns_per_msg\":%.0f,"
			       "\"rate_ratio\":%.3f,\"cpu_ratio\":%.3f,\"best_msgs_per_s\":%.0f,\"best_rate_ratio\":%.3f}",
			       m ? "," : "", batch_sizes[m] ? "batch" : "per-message", batch_sizes[m], rate[m], cpu[m],
			       rate[m] / rate[0], cpu[0] / cpu[m], best[m], best[m] / best[0]);
		printf("]%s", last ? "}\n" : ",");
		return;
	}
	for (int m = 0; m < NMODES; m++) {
		char mode[32];
		if (batch_sizes[m])
			snprintf(mode, sizeof(mode), "%s batch %d", dir, batch_sizes[m]);
		else
			snprintf(mode, sizeof(mode), "%s per-message", dir);
		printf("%-18s %10.0f %11.0f %10.2fx %10.2fx %10.0f %10.2fx\n", mode, rate[m], cpu[m], rate[m] / rate[0],
		       cpu[0] / cpu[m], best[m], best[m] / best[0]);
	}
}

int main(int argc, char **argv)
{
	struct opts o = { .k = 20000, .size = 100, .clients = 4, .rounds = 3 };
	static struct result recv_res, send_res;
	struct rig r;

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
		else {
			fprintf(stderr, "usage: drain [-k MESSAGES] [-s SIZE] [-c CLIENTS] [-r ROUNDS] [--json]\n");
			return 2;
		}
	}
	if (o.k < 1 || o.size < 1 || o.size > 2048 || o.clients < 1 || o.clients > MAX_CLIENTS || o.rounds < 1 ||
	    o.rounds > 64) {
		fprintf(stderr, "drain: need k >= 1, 1 <= size <= 2048, 1 <= clients <= %d, 1 <= rounds <= 64\n",
			MAX_CLIENTS);
		return 2;
	}
	setup(&r, &o);
	/* Rounds go through every mode in turn, so slow drift in the machine hits all modes alike. */
	for (int round = 0; round < o.rounds; round++) {
		for (int m = 0; m < NMODES; m++) {
			fill(&r, &o, o.clients);
			drain(&r, &o, m, &recv_res.rate[m][round], &recv_res.cpu[m][round]);
		}
		for (int m = 0; m < NMODES; m++)
			send_round(&r, &o, m, &send_res.rate[m][round], &send_res.cpu[m][round]);
	}
	int rcvbuf = 0;
	socklen_t l = sizeof(rcvbuf);
	getsockopt(r.srv, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &l);
	if (o.json) {
		printf("{\"k\":%d,\"size\":%d,\"clients\":%d,\"rounds\":%d,\"rcvbuf\":%d,", o.k, o.size, o.clients,
		       o.rounds, rcvbuf);
	} else {
		printf("K=%d messages of %d bytes, drain fed by %d clients, send from 1, SO_RCVBUF %d; %d rounds\n",
		       o.k, o.size, o.clients, rcvbuf, o.rounds);
		printf("%-18s %10s %11s %11s %11s %10s %11s\n", "mode", "msgs/s", "cpu ns/msg", "rate ratio", "cpu ratio",
		       "best/s", "best ratio");
	}
	report("recv", &recv_res, &o, o.json, 0);
	report("send", &send_res, &o, o.json, 1);
	for (int c = 0; c < r.nclients; c++)
		sctpio_sock_close(r.cli[c]);
	sctpio_sock_close(r.srv);
	free(r.buf);
	return 0;
}
