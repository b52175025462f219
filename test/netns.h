/* SPDX-License-Identifier: MIT */
/*
 * netns.h - what the fault tests share: a two-host topology and exact message accounting.
 *
 * Topology. Two network namespaces, side A (the server) and side B (the client), joined by two veth
 * pairs, one per path:
 *
 *     side A  pa0 10.1.1.1/24  <---- path 0 ---->  pb0 10.1.1.2/24  side B
 *             pa1 10.1.2.1/24  <---- path 1 ---->  pb1 10.1.2.2/24
 *
 * The namespaces are anonymous: they are made with unshare(CLONE_NEWNET) and held only by file
 * descriptors (and by the sockets made in them), never named under /run/netns. That matters here
 * because the test guest shares the host's file system with other guests running at the same time:
 * named namespaces would collide, and a test killed half-way would leave stale names behind. An
 * anonymous namespace (and the veth pairs in it) disappears with the last reference, so even a test
 * killed by SIGKILL leaves nothing; on every ordinary exit, failure included, an atexit handler
 * closes the descriptors, so the namespaces go as soon as the test's sockets do.
 *
 * A socket belongs to the namespace its creator was in when it called socket(2), for ever, whatever
 * thread uses it later. So a test enters a side (topo_enter, which moves only the calling thread),
 * opens its sockets there and comes back (TOPO_HOST). Configuration is done by running iproute2's
 * `ip` and `tc` in a side (fork, setns, exec). Without root, without `ip`, or without veth support
 * the test exits 77 (skipped) and says why.
 *
 * Accounting. Every fault test sends messages whose payload carries its stream, its sequence number
 * on that stream and a checksum of the whole message, and checks on arrival that each one is intact
 * and is exactly the next one expected on its stream. At the end sent == received, lost == 0,
 * duplicated == 0, reordered == 0 and corrupt == 0 are asserted and the counts printed.
 */
#ifndef SCTPIO_TEST_NETNS_H
#define SCTPIO_TEST_NETNS_H

#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "test.h"

/* ---- topology ---------------------------------------------------------------------------------------- */

enum { TOPO_HOST = -1, TOPO_A = 0, TOPO_B = 1 };

struct topo {
	int ns[2];                 /* namespace descriptors of side A and side B */
	int host;                  /* the namespace the test started in */
	char ip[64], tc[64];       /* paths of iproute2's tools */
	char dev[2][2][16];        /* dev[side][path]: pa0, pa1, pb0, pb1 */
};

static struct topo *topo__current; /* what the atexit handler cleans up */

static inline int topo__find(char *out, size_t len, const char *tool)
{
	const char *path = getenv("PATH");
	char dirs[1024];

	snprintf(dirs, sizeof(dirs), "%s:/usr/sbin:/sbin:/usr/bin:/bin", path ? path : "");
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(out, len, "%s/%s", d, tool);
		if (access(out, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

/*
 * Run `tool` with the space-separated arguments of fmt inside side (TOPO_HOST: where the test began).
 * Returns the tool's exit status (0: success), or -errno when it could not be run.
 */
static inline int topo__run(const struct topo *t, const char *tool, int side, const char *fmt, va_list ap)
{
	char line[512], *argv[32];
	int argc = 0;

	argv[argc++] = (char *)tool;
	vsnprintf(line, sizeof(line), fmt, ap);
	for (char *save = NULL, *w = strtok_r(line, " ", &save); w && argc < 31; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (setns(side == TOPO_HOST ? t->host : t->ns[side], CLONE_NEWNET) < 0)
			_exit(126);
		execv(tool, argv);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* `ip -batch -` in side, fed `script` (commands one per line); returns the exit status. One exec
 * for many commands: each exec costs a good fraction of a second in the emulated guest. */
static inline int topo__batch(const struct topo *t, int side, const char *script)
{
	int in[2];

	if (pipe(in) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(in[1]);
		if (setns(side == TOPO_HOST ? t->host : t->ns[side], CLONE_NEWNET) < 0 || dup2(in[0], 0) < 0)
			_exit(126);
		execl(t->ip, t->ip, "-batch", "-", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	size_t len = strlen(script), done = 0;
	while (done < len) {
		ssize_t w = write(in[1], script + done, len - done);
		if (w < 0 && errno != EINTR)
			break;
		done += w > 0 ? (size_t)w : 0;
	}
	close(in[1]);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* `ip ARGS` in side; returns the exit status. */
static inline __attribute__((format(printf, 3, 4))) int topo_ip(const struct topo *t, int side, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = topo__run(t, t->ip, side, fmt, ap);
	va_end(ap);
	return rc;
}

/* `tc ARGS` in side; returns the exit status. */
static inline __attribute__((format(printf, 3, 4))) int topo_tc(const struct topo *t, int side, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = topo__run(t, t->tc, side, fmt, ap);
	va_end(ap);
	return rc;
}

/* Move the calling thread (only it) into side, or back with TOPO_HOST. Sockets it opens there stay there. */
static inline void topo_enter(const struct topo *t, int side)
{
	if (setns(side == TOPO_HOST ? t->host : t->ns[side], CLONE_NEWNET) < 0)
		FAIL("setns(side %d): %s", side, strerror(errno));
}

/* Closing the descriptors lets the namespaces go, and the kernel deletes their veth pairs (and qdiscs)
 * with them - no `ip link del`, which would cost an exec per pair in the emulated guest. Sockets
 * still open in a namespace keep it alive until they are closed, at the latest when the process
 * exits. Runs at exit; a forked child must leave with _exit so that it does not run this too. */
static inline void topo_teardown(struct topo *t)
{
	if (!t || t->host < 0)
		return;
	setns(t->host, CLONE_NEWNET);
	for (int s = 0; s < 2; s++)
		if (t->ns[s] >= 0)
			close(t->ns[s]);
	close(t->host);
	t->ns[0] = t->ns[1] = t->host = -1;
}

static inline void topo__atexit(void)
{
	topo_teardown(topo__current);
}

/*
 * Build the topology (see the top of this file) and register its clean-up; returns it (one per
 * program, in static storage, since the clean-up runs after main returns). Exits 77 when the test
 * cannot run here (not root, no ip/tc, no namespaces or no veth), printing the reason.
 */
static inline struct topo *topo_setup(void)
{
	static struct topo topo;
	struct topo *t = &topo;

	memset(t, 0, sizeof(*t));
	t->ns[0] = t->ns[1] = t->host = -1;
	if (geteuid() != 0)
		SKIP("needs root to make network namespaces (run it through scripts/sctp-run)");
	if (topo__find(t->ip, sizeof(t->ip), "ip") < 0)
		SKIP("iproute2's `ip` is not installed");
	if (topo__find(t->tc, sizeof(t->tc), "tc") < 0)
		SKIP("iproute2's `tc` is not installed");
	t->host = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (t->host < 0)
		SKIP("cannot open /proc/thread-self/ns/net: %s", strerror(errno));
	topo__current = t;
	atexit(topo__atexit);
	for (int s = 0; s < 2; s++) {
		if (unshare(CLONE_NEWNET) < 0)
			SKIP("unshare(CLONE_NEWNET): %s", strerror(errno));
		t->ns[s] = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (t->ns[s] < 0)
			FAIL("open netns: %s", strerror(errno));
		topo_enter(t, TOPO_HOST);
		for (int p = 0; p < 2; p++)
			snprintf(t->dev[s][p], sizeof(t->dev[s][p]), "p%c%d", s ? 'b' : 'a', p);
	}
	/* Three batches: the veth pairs (their failure means no veth: skip), then each side's set-up. */
	char script[2][1024];
	int rc, n = snprintf(script[0], sizeof(script[0]), "link set dev lo up\n");
	for (int p = 0; p < 2; p++) /* the peer end goes straight into side B, named by a path to its descriptor */
		n += snprintf(script[0] + n, sizeof(script[0]) - (size_t)n,
			      "link add %s type veth peer name %s netns /proc/%d/fd/%d\n", t->dev[TOPO_A][p],
			      t->dev[TOPO_B][p], (int)getpid(), t->ns[TOPO_B]);
	if ((rc = topo__batch(t, TOPO_A, script[0])) != 0)
		SKIP("cannot create the veth pairs (ip exit %d): is the veth module loaded?", rc);
	for (int s = 0; s < 2; s++) {
		n = snprintf(script[s], sizeof(script[s]), "%s", s ? "link set dev lo up\n" : "");
		for (int p = 0; p < 2; p++)
			n += snprintf(script[s] + n, sizeof(script[s]) - (size_t)n,
				      "addr add 10.1.%d.%d/24 dev %s\nlink set dev %s up\n", p + 1, s + 1, t->dev[s][p],
				      t->dev[s][p]);
		if ((rc = topo__batch(t, s, script[s])) != 0)
			FAIL("configuring side %d failed (ip exit %d)", s, rc);
	}
	return t;
}

/* The address of side on path (10.1.<path+1>.<side+1>) with port. */
static inline sctpio_addr topo_addr(int side, int path, uint16_t port)
{
	char host[32];
	sctpio_addr a;

	snprintf(host, sizeof(host), "10.1.%d.%d", path + 1, side + 1);
	OK(sctpio_addr_parse(&a, host, port));
	return a;
}

/* Cut path: its link on side goes down (the far end loses carrier too); topo_restore brings it back. */
static inline void topo_cut(const struct topo *t, int side, int path)
{
	if (topo_ip(t, side, "link set dev %s down", t->dev[side][path]) != 0)
		FAIL("cutting path %d failed", path);
}

static inline void topo_restore(const struct topo *t, int side, int path)
{
	if (topo_ip(t, side, "link set dev %s up", t->dev[side][path]) != 0)
		FAIL("restoring path %d failed", path);
}

/*
 * Degrade path in both directions with a netem qdisc on each end, e.g.
 * "loss 5% delay 5ms reorder 25% duplicate 2%". Exits 77 when the kernel has no netem.
 */
static inline void topo_degrade(const struct topo *t, int path, const char *netem)
{
	for (int s = 0; s < 2; s++) {
		int rc = topo_tc(t, s, "qdisc add dev %s root netem %s", t->dev[s][path], netem);
		if (rc != 0)
			SKIP("tc netem failed (exit %d): is sch_netem available?", rc);
	}
}

/* ---- accounting --------------------------------------------------------------------------------------- */

#define FLOW_STREAMS 16
#define FLOW_MAGIC 0x5c7910f1u
#define FLOW_HDR 16   /* magic, stream, length, seq, checksum */
#define FLOW_MAX 1024 /* the longest message flow_make writes */

/* What one direction of one association has sent: the next sequence number of each stream. */
struct flow_tx {
	uint32_t next[FLOW_STREAMS];
	uint64_t sent, bytes;
};

/* What one direction has received: the next sequence number expected on each stream, and faults. */
struct flow_rx {
	uint32_t next[FLOW_STREAMS];
	uint64_t received, bytes, duplicated, reordered, corrupt, wrong_stream;
};

static inline uint32_t flow__fnv(uint32_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* The length of message seq on stream: varies between FLOW_HDR and FLOW_HDR + spread - 1. */
static inline size_t flow_len(uint16_t stream, uint32_t seq, size_t spread)
{
	return FLOW_HDR + (spread ? ((seq * 2654435761u) ^ (stream * 40503u)) % spread : 0);
}

/* Write message seq of stream (len bytes, FLOW_HDR <= len <= FLOW_MAX) into buf. */
static inline size_t flow_fill(uint8_t *buf, size_t len, uint16_t stream, uint32_t seq)
{
	uint32_t magic = FLOW_MAGIC, zero = 0, x = seq * 2246822519u + stream + 1;
	uint16_t l16 = (uint16_t)len;

	memcpy(buf, &magic, 4);
	memcpy(buf + 4, &stream, 2);
	memcpy(buf + 6, &l16, 2);
	memcpy(buf + 8, &seq, 4);
	memcpy(buf + 12, &zero, 4);
	for (size_t i = FLOW_HDR; i < len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	uint32_t sum = flow__fnv(2166136261u, buf, len);
	memcpy(buf + 12, &sum, 4);
	return len;
}

/* The next message of stream for tx into buf; returns its length. spread as for flow_len. */
static inline size_t flow_next(struct flow_tx *tx, uint16_t stream, uint8_t *buf, size_t spread)
{
	uint32_t seq = tx->next[stream]++;
	size_t len = flow_fill(buf, flow_len(stream, seq, spread), stream, seq);
	tx->sent++;
	tx->bytes += len;
	return len;
}

/* Decode and verify a message: 0 with *stream and *seq set, or -1 when it is damaged. */
static inline int flow_decode(const void *data, size_t len, uint16_t *stream, uint32_t *seq)
{
	uint8_t copy[FLOW_MAX];
	uint32_t magic, sum;
	uint16_t l16;

	if (len < FLOW_HDR || len > FLOW_MAX)
		return -1;
	memcpy(copy, data, len);
	memcpy(&magic, copy, 4);
	memcpy(stream, copy + 4, 2);
	memcpy(&l16, copy + 6, 2);
	memcpy(seq, copy + 8, 4);
	memcpy(&sum, copy + 12, 4);
	memset(copy + 12, 0, 4);
	if (magic != FLOW_MAGIC || l16 != len || *stream >= FLOW_STREAMS || flow__fnv(2166136261u, copy, len) != sum)
		return -1;
	return 0;
}

/*
 * Account one received message that came on SCTP stream `on` (what sctpio_rcvinfo said). Returns 0
 * when it was intact and exactly the next one of its stream, -1 otherwise (and counts why).
 */
static inline int flow_check(struct flow_rx *rx, const void *data, size_t len, uint16_t on)
{
	uint16_t stream;
	uint32_t seq;

	if (flow_decode(data, len, &stream, &seq) < 0) {
		rx->corrupt++;
		return -1;
	}
	if (stream != on) {
		rx->wrong_stream++;
		return -1;
	}
	rx->received++;
	rx->bytes += len;
	if (seq == rx->next[stream]) {
		rx->next[stream]++;
		return 0;
	}
	if (seq < rx->next[stream])
		rx->duplicated++;
	else
		rx->reordered++, rx->next[stream] = seq + 1;
	return -1;
}

/* Messages sent on streams and not (yet) received in order. */
static inline uint64_t flow_missing(const struct flow_tx *tx, const struct flow_rx *rx)
{
	uint64_t missing = 0;
	for (int s = 0; s < FLOW_STREAMS; s++)
		missing += tx->next[s] > rx->next[s] ? tx->next[s] - rx->next[s] : 0;
	return missing;
}

/* Everything sent arrived once, intact, in order: print the counts and assert it. */
static inline void flow_verify(const char *what, const struct flow_tx *tx, const struct flow_rx *rx)
{
	uint64_t lost = flow_missing(tx, rx);

	printf("%s: sent %llu, received %llu (%llu bytes), lost %llu, duplicated %llu, reordered %llu, corrupt %llu\n",
	       what, (unsigned long long)tx->sent, (unsigned long long)rx->received, (unsigned long long)rx->bytes,
	       (unsigned long long)lost, (unsigned long long)rx->duplicated, (unsigned long long)rx->reordered,
	       (unsigned long long)(rx->corrupt + rx->wrong_stream));
	CHECK_EQ(rx->received, tx->sent);
	CHECK_EQ(rx->bytes, tx->bytes);
	CHECK_EQ(lost, 0);
	CHECK_EQ(rx->duplicated, 0);
	CHECK_EQ(rx->reordered, 0);
	CHECK_EQ(rx->corrupt, 0);
	CHECK_EQ(rx->wrong_stream, 0);
}

#endif
