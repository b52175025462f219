/* SPDX-License-Identifier: MIT */
/*
 * sctpperf.h - what the parts of sctpperf share.
 *
 *   cli.c     the command line: options, checks, --help, main()
 *   main.c    the three modes (server, client, loopback), signals, the progress line's clock
 *   net.c     sockets set up the same way on both sides: addresses, buffers, streams, time
 *   server.c  the receiving side: accept, read, verify, echo; one thread state per thread
 *   assoc.c   what the server remembers per association: sequence numbers, a table by id
 *   models.c  the dispatch models that run the server: one loop, receiver pool, poller + workers
 *   client.c  the sending side: one event loop over every association
 *   stats.c   latency histogram, the final table, --json, the live progress line
 *
 * Every message sctpperf sends starts with struct perf_hdr, in network byte order, so the receiver
 * checks each (association, stream) sequence for loss and reordering and measures latency; messages
 * of other programs (no magic) are counted but not verified.
 */
#ifndef SCTPPERF_H
#define SCTPPERF_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>

#include "sctpio.h"
#include "sctpio/dispatch.h"

#define SCTPPERF_VERSION "0.2.0"
#define PERF_MAX_ADDRS 16
#define PERF_DEFAULT_PORT 5001

enum perf_mode { MODE_SERVER = 1, MODE_CLIENT = 2, MODE_LOOPBACK = 4 };
enum perf_model { MODEL_LOOP, MODEL_POOL, MODEL_POLLER };

/* Everything the command line decides. Zero means "the mode's default" where a field says so. */
struct perf_cfg {
	enum perf_mode mode;
	int style;               /* SCTPIO_ONE_TO_ONE or SCTPIO_ONE_TO_MANY */
	unsigned assocs;         /* client associations */
	unsigned streams;        /* outbound streams per association the client uses */
	size_t size;             /* message size, bytes */
	unsigned batch;          /* 0: one system call per message; N: recvmmsg/sendmmsg of N */
	enum perf_model model;   /* how the server is run */
	unsigned workers;        /* threads of the pool, or worker threads of the poller */
	int nagle;               /* leave Nagle on (SCTP_NODELAY off) */
	uint64_t count;          /* messages (client: to send; server: to receive, then stop) */
	double duration;         /* seconds; exclusive with count */
	int family;              /* AF_UNSPEC, or AF_INET / AF_INET6 from -4 / -6 */
	const char *addrs;       /* --addr: server binds, client connects to these */
	const char *local;       /* --local: client binds to these */
	unsigned port;
	int rr;                  /* request-response: one request in flight per association */
	int echo;                /* server: echo every message, also those of other programs */
	int once;                /* server: stop when every association that came has gone */
	int json;
	int quiet;
	int progress;            /* derived: stdout is a terminal, no --json, no --quiet */
	unsigned timeout_s;      /* connecting, and the longest time without progress */
	int rcvbuf, sndbuf;      /* bytes asked for (Linux doubles them) */
	int sndbuf_actual;       /* what the kernel granted on a probe socket (client, loopback) */
};

/* The header at the start of every sctpperf message (32 bytes, network byte order on the wire). */
#define PERF_MAGIC 0x53505246u /* "SPRF" */
#define PERF_HDR_LEN 32
enum perf_hdr_flags {
	HDR_ECHO = 1, /* the receiver sends the message back unchanged (request-response) */
	HDR_END = 2,  /* the association's last message: seq holds how many data messages it carried */
};
struct perf_hdr {
	uint32_t magic;
	uint16_t flags;
	uint16_t stream;   /* the stream it was sent on */
	uint32_t assoc;    /* the client's association index */
	uint32_t client;   /* a random id of the client process */
	uint64_t seq;      /* per (association, stream), from 0 */
	uint64_t sent_ns;  /* CLOCK_REALTIME when sent: one-way latency is exact on one host */
};
void hdr_put(void *buf, const struct perf_hdr *h);
int hdr_get(const void *buf, size_t len, struct perf_hdr *h); /* 1: an sctpperf header, 0: not */

/* ---- stats.c ---- */

#define HIST_SUB 64 /* sub-buckets per power of two: values within 1.6 % */
#define HIST_N (64 * HIST_SUB)
struct hist {
	uint64_t n, max, sum;         /* samples, the largest and their total, in nanoseconds */
	uint64_t b[HIST_N];
};
void hist_add(struct hist *h, uint64_t ns);
void hist_merge(struct hist *dst, const struct hist *src);
double hist_pct_us(const struct hist *h, double pct);

/* Counters one thread keeps while receiving; merged once the threads have stopped. */
struct tally {
	uint64_t msgs, bytes;        /* data messages (whole) and their bytes */
	uint64_t verified;           /* of those, with an sctpperf header */
	uint64_t lost, reordered;    /* sequence gaps (plus missing tails), and messages that came back in time */
	uint64_t corrupt;            /* a header that contradicts how the message arrived */
	uint64_t echoed, echo_failed;
	uint64_t first_ns, last_ns;  /* CLOCK_MONOTONIC of the first and last data message */
	struct hist lat;             /* one-way latency */
};
void tally_merge(struct tally *dst, const struct tally *src);

/* What a mode reports: the final table or --json. */
struct report {
	const char *mode;            /* "server", "client", "loopback" */
	int has_sent, has_received, has_loss; /* which columns mean something in this mode */
	uint64_t sent, received, verified, lost, reordered, corrupt, echoed, failed;
	uint64_t assocs;             /* associations used (client) or served (server) */
	unsigned streams;            /* streams the client used (the peer may have granted fewer) */
	double secs, cpu_s;
	uint64_t bytes;
	const char *family;          /* "ipv4", "ipv6", "dual-stack", "ipv4+ipv6" */
	const char *lat_kind;        /* "one-way", "round-trip", or NULL */
	const struct hist *lat;
	int rcvbuf, sndbuf;          /* as granted */
	int ok;
};
void report_print(const struct perf_cfg *c, const struct report *r);
void progress_line(const struct perf_cfg *c, const char *what, uint64_t msgs, uint64_t bytes, double secs);
void progress_clear(const struct perf_cfg *c);
const char *model_name(enum perf_model m);
const char *style_name(int style);

/* ---- net.c ---- */

uint64_t mono_ns(void);
uint64_t real_ns(void);
double cpu_seconds(void);       /* user + system time of the whole process */
int poll_fd(int fd, short events, int ms); /* poll one descriptor: 1 ready, 0 timed out, -errno */
/* The addresses of a list ("a,b") or, for a NULL list, of deflt; exits 2 on a bad list. */
size_t perf_addrs(const struct perf_cfg *c, const char *list, const char *deflt, uint16_t port, sctpio_addr *out);
void perf_addrs_text(const sctpio_addr *a, size_t n, char *buf, size_t len);
const char *perf_addrs_family(const struct perf_cfg *c, const sctpio_addr *a, size_t n);
/* Open a socket for addresses a[0..n) with everything set that must be set before an association
 * exists: stream counts, buffers, NODELAY. Returns the descriptor or -errno. */
int perf_socket(const struct perf_cfg *c, const sctpio_addr *a, size_t n, int server);
int perf_sndbuf_limit(const struct perf_cfg *c, const sctpio_addr *a, size_t n); /* bytes or -errno */
int sock_buf(int fd, int name);  /* SO_RCVBUF / SO_SNDBUF as granted */
/* Send one message, waiting up to ms for room when the socket is full. Returns len or -errno. */
ssize_t send_wait(int fd, const void *buf, size_t len, const struct sctpio_sndinfo *si, int ms);
__attribute__((noreturn, format(printf, 1, 2))) void fatal(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void perf_warn(const char *fmt, ...);
/* A usage error: the message, a pointer to --help, exit status 2 (cli.c). */
__attribute__((noreturn, format(printf, 1, 2))) void usage_error(const char *fmt, ...);

/* ---- main.c: stop requests (SIGINT, SIGTERM) ---- */

extern volatile sig_atomic_t perf_stop;
extern int perf_stopfd; /* an eventfd that becomes readable when a stop was asked for */
int perf_run(struct perf_cfg *c);

/* ---- assoc.c ---- */

/* One association as the server sees it: the next sequence number it expects on each stream. */
struct passoc {
	sctp_assoc_t id;
	int used, ended;
	uint16_t out_streams; /* negotiated outbound streams (for echoes); 0 while unknown */
	uint32_t nseq;
	uint64_t *next_seq;
	uint64_t end_total;   /* from the client's END message: the data messages it sent */
	int has_end;
};
void passoc_free(struct passoc *a);
/* Check seq on stream: 0 in order, > 0 that many skipped (lost), -1 older than expected (reordered). */
int64_t passoc_seq(struct passoc *a, uint16_t stream, uint64_t seq);
/* Messages the END message announced that never arrived (0 without an END message). */
uint64_t passoc_missing(const struct passoc *a);

/* The associations of a one-to-many socket, by id. */
struct atable {
	struct passoc *tab;
	size_t cap, count;
};
void atable_init(struct atable *t);
void atable_free(struct atable *t);
struct passoc *atable_get(struct atable *t, sctp_assoc_t id, int create); /* NULL: absent, create 0 */
void atable_del(struct atable *t, struct passoc *a); /* frees a's state; pointers into t go stale */

/* ---- server.c ---- */

struct server;
struct conn;
struct server *server_new(const struct perf_cfg *c, const sctpio_addr *addrs, size_t n);
uint16_t server_port(const struct server *s);
const sctpio_addr *server_addrs(const struct server *s, size_t *n);
void server_start(struct server *s);
void server_stop(struct server *s, struct tally *out); /* and free s */
void server_live(struct server *s, uint64_t *msgs, uint64_t *bytes);
int server_eventfd(const struct server *s);     /* readable after an association ended */
void server_assocs(struct server *s, uint64_t *up, uint64_t *ended);
int server_accept_pending(const struct server *s);
int server_rcvbuf(const struct server *s);
/* For the dispatch models: serve a ready socket; returns 1 when it is finished (remove, then close). */
int conn_ready(struct conn *c, uint32_t ready);
int conn_fd(const struct conn *c);
void conn_close(struct conn *c);

/* ---- models.c ---- */

struct model;
struct model *model_start(struct server *s, enum perf_model kind, unsigned workers);
int model_watch(struct model *m, struct conn *c); /* any thread, handlers included; 0 or -errno */
void model_stop(struct model *m);                  /* no handler runs after it returns */

/* ---- client.c ---- */

struct client_result {
	uint64_t sent, bytes, echoes, lost, reordered, corrupt, failed;
	unsigned streams;            /* the fewest outbound streams an association got */
	double secs, cpu_s;          /* from the first send to the last association's end */
	uint64_t t0_ns, last_echo_ns; /* CLOCK_MONOTONIC of the first send and of the last echo (--rr) */
	int sndbuf, rcvbuf;
	struct hist rtt;
};
/* A progress hook the client loop calls about once a second (the loopback shows the server's count). */
typedef void (*client_tick_fn)(void *arg, double secs, uint64_t sent, uint64_t bytes);
void client_run(const struct perf_cfg *c, const sctpio_addr *peers, size_t npeers, client_tick_fn tick, void *arg,
		struct client_result *out);

#endif
