// SPDX-License-Identifier: MIT
/*
 * Soak: 1,000 associations on one one-to-many socket plus 100 one-to-one sockets, carrying traffic
 * for a bounded time through one poller (1 epoll thread, 4 workers). Nothing may be lost, duplicated,
 * reordered or damaged, and the process's memory must stay flat.
 *
 * Server: ONE one-to-many socket that 1,000 clients connect to, and a one-to-one listener whose 100
 * accepted sockets join it in the poller (101 registered sockets). Each worker drains the socket it
 * popped with a batch container (recvmmsg), checks every message, and only then gives the socket back.
 * Clients: 1,100 one-to-one sockets (an endpoint has at most one association with a given peer
 * endpoint, so 1,000 associations to one server address and port need 1,000 client sockets), shared
 * among 4 sender threads that send in rounds with sctpio_batch_send, on 4 streams, for a bounded time.
 *
 * Every message carries its association key, stream, sequence number, length and a checksum of the
 * whole message. The receiver checks the checksum, that the key belongs to the socket (one-to-one) or
 * to the association id the kernel reported (one-to-many; ids are matched to keys by peer port before
 * sending starts), that the stream and PPID agree with the metadata, and the per (association, stream)
 * sequence: a gap counts as lost until the skipped message turns up late (then it counts as
 * reordered), an old sequence number with no gap open counts as a duplicate.
 *
 * Pacing. A message is in flight from the moment it is sent until a worker has processed it; the
 * senders keep at most WINDOW in flight per association and IN_FLIGHT in all. Without the second
 * bound the test stalls on timers, not on lost data (runs in the emulator, 5 to 10 s each):
 *  - Loopback hands every packet to a per-CPU input queue of net.core.netdev_max_backlog (1,000)
 *    packets, drained by softirq processing; when the guest is busy that processing is deferred to
 *    ksoftirqd while the senders go on queueing, and the queue overflows. Bounding only the
 *    one-to-many associations (1,024 messages, so up to 1,824 in all) still lost 5,791 packets there
 *    in one run: 600 T3 retransmission timeouts, and the senders took 14 s to stop after the
 *    deadline. Every packet queued is a DATA packet in flight or a SACK for one, so IN_FLIGHT (plus
 *    the overshoot of senders deciding at once, below SENDERS * WINDOW) keeps the queue well short.
 *  - One worker at a time serves the one-to-many socket, and packets that arrive meanwhile wait in
 *    the socket's backlog until it lets go, so a message waits about (messages in flight) /
 *    (throughput) before it is acknowledged (Little's law). With every window full (8,800 messages)
 *    that came to a second, the minimum retransmission timeout: 571, 345 and 53 T3 timeouts in
 *    three runs, most of them spurious (the retransmitted chunks discarded as duplicates). At about
 *    10,000 messages/s IN_FLIGHT is a few tens of milliseconds. With it, no run had a timeout.
 * The 1,000 associations also share the one-to-many socket's receive buffer, while Linux lets each
 * advertise a window of half of it, so SO_RCVBUF is raised above anything IN_FLIGHT can fill
 * (SO_RCVBUFFORCE: root, which the guest has; elsewhere the test is skipped). EAGAIN on a send is
 * waited out with poll(POLLOUT); nothing is ever dropped (sequence numbers advance only when the
 * kernel took a message).
 *
 * The end: senders stop, every sent message must arrive (a deadline, waiting on a condition
 * variable), then received == sent per association and in total, lost == reordered == duplicates
 * == damaged == 0, all 1,100 associations seen, one COMM_UP per association and no other
 * notification. Memory: VmRSS, VmHWM and the exact Rss are read after set-up (every association
 * connected and at least one message through each, so that every code path has touched its memory)
 * and at the end; none may grow by more than its slack (see RSS_SLACK_KB). Then everything is
 * closed.
 *
 * Usage: t_soak [-d SECONDS] [-n MESSAGES] [-c IN_FLIGHT]: send for SECONDS (default 20; 0: no time
 * limit) or until MESSAGES have been sent (default: no limit), whichever comes first; -c replaces
 * IN_FLIGHT (-c 8800: no bound beyond the windows) to see the pacing's effect.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#include "test.h"

#define ASSOCS_MANY 1000 /* associations on the one-to-many server socket */
#define ASSOCS_ONE 100   /* one-to-one server sockets */
#define ASSOCS (ASSOCS_MANY + ASSOCS_ONE)
#define STREAMS 4
#define WORKERS 4
#define SENDERS 4
#define WINDOW 8         /* messages per association sent and not yet processed */
#define REFILL 4         /* an association is sent to once this many messages of its window are free */
#define IN_FLIGHT 320    /* messages sent and not yet processed on all associations together */
#define DRAIN 64         /* slots of a worker's batch */
#define DRAIN_ROUNDS 4   /* batches a worker takes from one socket before giving it back (fairness) */
#define SLOT 512         /* bytes per slot: more than the longest message, so none arrives in pieces */
#define RCVBUF (8 << 20) /* the one-to-many server's SO_RCVBUF request; the kernel doubles it */
#define STALL_MS 30000   /* no progress at all for this long fails the test */
#define DRAIN_MS 60000   /* the longest wait for the last messages after the senders stopped */

/*
 * Memory may grow by at most this much between the two samples. The sustained phase allocates
 * nothing: batches and per-association state are made during set-up, and the library's receive,
 * send, pop and done paths do not allocate. What may still grow is pages touched for the first time
 * after the first sample (a stack going a little deeper, stdio): 4 to 32 KiB of exact Rss in the
 * guest. The exact Rss (/proc/self/smaps_rollup, a page-table walk) gets EXACT_SLACK_KB: a default
 * run in the emulator processes 170,000 to 400,000 messages, so a leak of 3 to 6 bytes per message
 * fails it (the growth per message is printed). VmRSS and VmHWM, the figures usually quoted, get
 * RSS_SLACK_KB: before Linux 6.2 each thread batches its count over up to 64 page faults, so for our
 * 10 threads they may lag by up to 2.5 MiB (they grew by 52 to 80 KiB in the guest).
 * Transparent huge pages are turned off for the process (main says why).
 */
#if defined(__SANITIZE_ADDRESS__)
#define SOAK_CHECK_MEMORY 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOAK_CHECK_MEMORY 0
#endif
#endif
#ifndef SOAK_CHECK_MEMORY
#define SOAK_CHECK_MEMORY 1
#endif
#define EXACT_SLACK_KB 1024
#define RSS_SLACK_KB 4096

#define MAGIC 0x50a4c0deu
#define HDR 20 /* magic, key, stream, seq, length, zero, checksum */
#define MSG_MAX (HDR + 255)

/* One association: its client, what was sent on it and what arrived. */
struct assoc {
	/* Client side: set up by main, then touched only by the sender thread that owns the key. */
	int fd;
	uint32_t tx_next[STREAMS];
	uint64_t tx_sent;
	/* Messages of this association that a worker has processed (the sender's credit). */
	_Atomic uint64_t processed;
	/* The server's association id (one-to-many), set before sending starts. */
	_Atomic sctp_assoc_t id;
	/* Server side: touched only by the worker holding the association's server socket (the poller's
	 * one-at-a-time hold orders the workers' accesses). */
	uint32_t rx_next[STREAMS], rx_skipped[STREAMS];
	uint64_t rx_received;
};

/* A server socket in the poller. */
struct srv {
	int fd;
	int key; /* the association key of a one-to-one socket; -1 for the one-to-many socket */
};

struct sender {
	int id;
	pthread_t thread;
	uint64_t sent, eagain, sends;
};

static struct assoc as[ASSOCS];
static struct srv srvs[1 + ASSOCS_ONE];
static int16_t key_of_port[65536];

static struct {
	_Atomic uint64_t received, bytes, reordered, duplicates, damaged, misrouted;
	_Atomic uint64_t seen, comm_up, other_notes, batches;
} st;

/* Progress: workers bump gen after each socket they served; senders and main wait for it to move. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;      /* progress: broadcast after every socket a worker served */
static pthread_cond_t done_cv; /* a sender finished (main waits on it while the senders run) */
static _Atomic uint64_t gen;
static _Atomic int stop;
static int senders_done;          /* under mu */
static _Atomic int64_t budget;    /* messages left to send with -n; -1: no limit */
static _Atomic int64_t inflight; /* sent and not yet processed, all associations */
static int64_t inflight_cap = IN_FLIGHT;

/* Wait on c until deadline (CLOCK_MONOTONIC, ms); returns 0 when the time is up. Caller holds mu. */
static int wait_until(pthread_cond_t *c, long long deadline)
{
	struct timespec ts = { .tv_sec = deadline / 1000, .tv_nsec = deadline % 1000 * 1000000 };
	return pthread_cond_timedwait(c, &mu, &ts) != ETIMEDOUT || now_ms() < deadline;
}

/* ---- messages ------------------------------------------------------------------------------------- */

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Write message seq of (key, stream) into buf; returns its length, HDR .. MSG_MAX. */
static size_t msg_make(uint8_t *buf, uint16_t key, uint16_t stream, uint32_t seq)
{
	uint32_t x = (seq * 2654435761u) ^ (key * 40503u) ^ (stream * 2246822519u), magic = MAGIC, zero = 0;
	uint16_t len = (uint16_t)(HDR + (x >> 8) % 256);

	memcpy(buf, &magic, 4);
	memcpy(buf + 4, &key, 2);
	memcpy(buf + 6, &stream, 2);
	memcpy(buf + 8, &seq, 4);
	memcpy(buf + 12, &len, 2);
	memcpy(buf + 14, &zero, 2);
	memcpy(buf + 16, &zero, 4);
	x |= 1;
	for (size_t i = HDR; i < len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	uint32_t sum = fnv(buf, len);
	memcpy(buf + 16, &sum, 4);
	return len;
}

/* Check a received message; 0 with key, stream and seq set, or -1 when it is damaged. */
static int msg_check(const void *data, size_t len, uint16_t *key, uint16_t *stream, uint32_t *seq)
{
	uint8_t copy[MSG_MAX];
	uint32_t magic, sum;
	uint16_t l16;

	if (len < HDR || len > MSG_MAX)
		return -1;
	memcpy(copy, data, len);
	memcpy(&magic, copy, 4);
	memcpy(key, copy + 4, 2);
	memcpy(stream, copy + 6, 2);
	memcpy(seq, copy + 8, 4);
	memcpy(&l16, copy + 12, 2);
	memcpy(&sum, copy + 16, 4);
	memset(copy + 16, 0, 4);
	if (magic != MAGIC || l16 != len || *key >= ASSOCS || *stream >= STREAMS || fnv(copy, len) != sum)
		return -1;
	return 0;
}

/* ---- server side: the workers ------------------------------------------------------------------- */

/* Account one data message that arrived on s; returns 1 when it was counted as received. */
static int account(const struct srv *s, const struct sctpio_rcvinfo *ri, const void *data, size_t len)
{
	uint16_t key, stream;
	uint32_t seq;

	if (msg_check(data, len, &key, &stream, &seq) < 0) {
		st.damaged++;
		return 0;
	}
	int routed = s->key >= 0 ? key == s->key : key < ASSOCS_MANY && ri->assoc_id == as[key].id;
	if (!routed || !(ri->flags & SCTPIO_MSG_HAS_INFO) || ri->stream != stream || ri->ppid != key) {
		if (!st.misrouted++)
			fprintf(stderr, "misrouted: key %u stream %u seq %u on socket %d (key %d), rcvinfo assoc %d "
				"stream %u ppid %u\n", key, stream, seq, s->fd, s->key, (int)ri->assoc_id, ri->stream,
				ri->ppid);
		return 0;
	}
	struct assoc *a = &as[key];
	uint32_t *next = &a->rx_next[stream], *skipped = &a->rx_skipped[stream];
	if (seq == *next) {
		++*next;
	} else if (seq > *next) { /* ahead: the ones in between are missing for now */
		*skipped += seq - *next;
		*next = seq + 1;
	} else if (*skipped) { /* one of the missing ones, late */
		--*skipped;
		st.reordered++;
	} else {
		st.duplicates++;
	}
	if (a->rx_received++ == 0)
		st.seen++;
	a->processed++;
	return 1;
}

static void note(const struct srv *s, const void *data, size_t len)
{
	struct sctpio_notification n;
	char text[160];

	int rc = sctpio_notification_decode(data, len, &n);
	if (rc > 0 && n.type == SCTP_ASSOC_CHANGE && n.u.assoc_change.state == SCTP_COMM_UP) {
		st.comm_up++;
		return;
	}
	/* Anything else (an association lost or shutting down) is a failure, reported at the end. */
	if (rc > 0 && sctpio_notification_format(&n, text, sizeof(text)) > 0)
		fprintf(stderr, "unexpected notification on socket %d: %s\n", s->fd, text);
	else
		fprintf(stderr, "unexpected notification on socket %d: %s\n", s->fd, strerror(-rc));
	st.other_notes++;
}

/* Drain what s holds (a few batches at most), check it, and report progress. */
static void serve(const struct srv *s, struct sctpio_batch *b)
{
	uint64_t got = 0, bytes = 0;

	for (int round = 0; round < DRAIN_ROUNDS; round++) {
		int n = sctpio_batch_recv(b, s->fd, 1, 0);
		if (n == -EAGAIN)
			break;
		if (n < 0)
			FAIL("sctpio_batch_recv on server socket %d (key %d): %s", s->fd, s->key, strerror(-n));
		st.batches++;
		for (int i = 0; i < n; i++) {
			const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, (size_t)i);
			size_t len;
			const void *data = sctpio_batch_data(b, (size_t)i, &len);
			if (ri->flags & SCTPIO_MSG_MORE)
				FAIL("a message arrived in pieces on socket %d (slot %d, %zu bytes)", s->fd, i, len);
			if (ri->flags & SCTPIO_MSG_NOTIFICATION)
				note(s, data, len);
			else if (len == 0)
				FAIL("server socket %d (key %d): the peer shut down during the run", s->fd, s->key);
			else if (account(s, ri, data, len))
				got++, bytes += len;
		}
		if (n < DRAIN)
			break;
	}
	if (got) {
		st.received += got;
		st.bytes += bytes;
		inflight -= (int64_t)got;
		pthread_mutex_lock(&mu);
		gen++;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
}

struct worker {
	pthread_t thread;
	struct sctpio_poller *p;
	struct sctpio_batch *b; /* made by main: the sustained phase allocates nothing */
	uint64_t pops;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct sctpio_poller_event ev;
	int rc;

	while ((rc = sctpio_poller_pop(w->p, &ev, -1)) == 0) {
		const struct srv *s = ev.data;
		if (ev.ready & SCTPIO_READY_ERR)
			FAIL("server socket %d (key %d): error %s", s->fd, s->key, strerror(-sctpio_sock_error(s->fd)));
		serve(s, w->b);
		w->pops++;
		OK(sctpio_poller_done(w->p, &ev));
	}
	CHECK_EQ(rc, -ECANCELED);
	return NULL;
}

/* ---- client side: the senders --------------------------------------------------------------------- */

/* Up to want messages from the -n budget. */
static uint64_t take(uint64_t want)
{
	int64_t left = budget;
	if (left < 0)
		return want;
	while (left > 0) {
		int64_t t = left < (int64_t)want ? left : (int64_t)want;
		if (atomic_compare_exchange_weak(&budget, &left, left - t))
			return (uint64_t)t;
	}
	return 0;
}

/* Send everything queued in b on fd; a full socket is waited out, never dropped. */
static void flush(struct sender *s, struct sctpio_batch *b, int fd, int key)
{
	while (sctpio_batch_pending(b)) {
		int n = sctpio_batch_send(b, fd);
		s->sends++;
		if (n == -EAGAIN) {
			s->eagain++;
			wait_fd(fd, POLLOUT, STALL_MS);
		} else if (n < 0) {
			FAIL("sender %d, association %d: sctpio_batch_send: %s", s->id, key, strerror(-n));
		}
	}
}

static void *sender_main(void *arg)
{
	struct sender *s = arg;
	struct sctpio_batch *b;
	uint8_t buf[MSG_MAX];
	int spent = 0;

	/* This sender's keys are id, id + SENDERS, ...; it goes round them, skipping those whose window
	 * is full. When IN_FLIGHT is reached it waits and then goes on with the same key, so that every
	 * association gets its turn (starting each round from one place would starve the last keys). */
	int nkeys = (ASSOCS - s->id + SENDERS - 1) / SENDERS, pos = 0;

	OK(sctpio_batch_new(&b, WINDOW, MSG_MAX));
	while (!stop && !spent) {
		uint64_t seen_gen = gen; /* before the credits are read: progress after this wakes us */
		int sent_any = 0;
		for (int c = 0; c < nkeys && !stop; c++) {
			int k = s->id + pos * SENDERS;
			struct assoc *a = &as[k];
			/* Read once: workers lower it meanwhile. Senders deciding at once may overshoot
			 * IN_FLIGHT together, by less than SENDERS * WINDOW. */
			int64_t room = inflight_cap - inflight;
			if (room < REFILL)
				break;
			uint64_t done = a->processed;
			int64_t credit = WINDOW - (int64_t)(a->tx_sent > done ? a->tx_sent - done : 0);
			if (credit > room)
				credit = room;
			pos = (pos + 1) % nkeys;
			if (credit < REFILL)
				continue;
			uint64_t n = take((uint64_t)credit);
			if (!n) {
				spent = 1;
				break;
			}
			inflight += (int64_t)n;
			for (uint64_t i = 0; i < n; i++) {
				uint16_t stream = (uint16_t)(a->tx_sent % STREAMS);
				size_t len = msg_make(buf, (uint16_t)k, stream, a->tx_next[stream]);
				struct sctpio_sndinfo si = { .stream = stream, .ppid = (uint32_t)k };
				OK(sctpio_batch_add(b, buf, len, &si));
				a->tx_next[stream]++;
				a->tx_sent++;
			}
			flush(s, b, a->fd, k);
			s->sent += n;
			sent_any = 1;
		}
		if (sent_any || stop || spent)
			continue;
		/* Every window of ours is full, or IN_FLIGHT is reached: wait for a worker to process some. */
		long long deadline = now_ms() + STALL_MS;
		pthread_mutex_lock(&mu);
		while (gen == seen_gen && !stop)
			if (!wait_until(&cv, deadline))
				FAIL("sender %d: no message processed for %d ms (received %llu, damaged %llu, "
				     "misrouted %llu)", s->id, STALL_MS, (unsigned long long)st.received,
				     (unsigned long long)st.damaged, (unsigned long long)st.misrouted);
		pthread_mutex_unlock(&mu);
	}
	sctpio_batch_free(b);
	pthread_mutex_lock(&mu);
	senders_done++;
	pthread_cond_broadcast(&done_cv);
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	return NULL;
}

/* ---- set-up and measurement ------------------------------------------------------------------------ */

struct mem {
	long rss_kb, hwm_kb, exact_kb; /* VmRSS, VmHWM, smaps_rollup's Rss */
};

static struct mem mem_now(void)
{
	struct mem m = { -1, -1, -1 };
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		FAIL("/proc/self/status: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "VmRSS: %ld", &m.rss_kb);
		sscanf(line, "VmHWM: %ld", &m.hwm_kb);
	}
	fclose(f);
	f = fopen("/proc/self/smaps_rollup", "r"); /* Linux 4.14 and later */
	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "Rss: %ld", &m.exact_kb);
	if (f)
		fclose(f);
	CHECK(m.rss_kb > 0 && m.hwm_kb > 0 && m.exact_kb > 0);
	return m;
}

/* A counter of /proc/net/sctp/snmp, or -1 when there is none. */
static long long snmp(const char *name)
{
	char key[64];
	long long v, found = -1;
	FILE *f = fopen("/proc/net/sctp/snmp", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

/* Packets dropped by the per-CPU input queues (all CPUs, the whole system), or -1. */
static long long softnet_drops(void)
{
	char line[512];
	unsigned processed, dropped;
	long long sum = -1;
	FILE *f = fopen("/proc/net/softnet_stat", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %x", &processed, &dropped) == 2)
			sum = (sum < 0 ? 0 : sum) + dropped;
	if (f)
		fclose(f);
	return sum;
}

static void raise_fd_limit(rlim_t need)
{
	struct rlimit r;

	CHECK(getrlimit(RLIMIT_NOFILE, &r) == 0);
	if (r.rlim_cur >= need)
		return;
	if (r.rlim_max < need)
		r.rlim_max = need; /* root may raise the hard limit too */
	r.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &r) < 0)
		SKIP("needs %lu descriptors (RLIMIT_NOFILE): %s", (unsigned long)need, strerror(errno));
}

static uint16_t local_port(int fd)
{
	sctpio_addr a;
	CHECK_EQ(OK(sctpio_sock_local_addrs(fd, 0, &a, 1)), 1);
	return sctpio_addr_port(&a);
}

/* Wait until every client in [0, ASSOCS) is connected: writable with no pending error. */
static void wait_connected(long long deadline)
{
	static struct pollfd pf[ASSOCS];
	static int keyof[ASSOCS];
	int n = 0;

	for (int k = 0; k < ASSOCS; k++) {
		pf[n] = (struct pollfd){ .fd = as[k].fd, .events = POLLOUT };
		keyof[n++] = k;
	}
	while (n > 0) {
		long long left = deadline - now_ms();
		if (left <= 0)
			FAIL("%d of %d clients still not connected", n, ASSOCS);
		int rc = poll(pf, (nfds_t)n, (int)left);
		if (rc < 0 && errno != EINTR)
			FAIL("poll: %s", strerror(errno));
		for (int i = 0; rc > 0 && i < n; i++) {
			if (!pf[i].revents)
				continue;
			int err = sctpio_sock_error(pf[i].fd);
			if (err || !(pf[i].revents & POLLOUT))
				FAIL("client %d did not connect: %s (revents 0x%x)", keyof[i], strerror(-err), pf[i].revents);
			pf[i] = pf[--n];
			keyof[i] = keyof[n];
			i--;
		}
	}
}

static void summary(const char *when, uint64_t sent, uint64_t lost)
{
	printf("%s: sent %llu, received %llu (%llu bytes), lost %llu, reordered %llu, duplicates %llu, damaged %llu, "
	       "misrouted %llu, associations seen %llu of %d, COMM_UP %llu, other notifications %llu\n",
	       when, (unsigned long long)sent, (unsigned long long)st.received, (unsigned long long)st.bytes,
	       (unsigned long long)lost, (unsigned long long)st.reordered, (unsigned long long)st.duplicates,
	       (unsigned long long)st.damaged, (unsigned long long)st.misrouted, (unsigned long long)st.seen, ASSOCS,
	       (unsigned long long)st.comm_up, (unsigned long long)st.other_notes);
}

/* Messages sent and never received: the open gaps and what is missing at the end of each stream. */
static uint64_t count_lost(void)
{
	uint64_t lost = 0;
	for (int k = 0; k < ASSOCS; k++)
		for (int s = 0; s < STREAMS; s++)
			lost += as[k].rx_skipped[s] +
				(as[k].tx_next[s] > as[k].rx_next[s] ? as[k].tx_next[s] - as[k].rx_next[s] : 0);
	return lost;
}

int main(int argc, char **argv)
{
	long long duration_s = 20, limit = -1;
	int opt;

	while ((opt = getopt(argc, argv, "c:d:n:")) != -1) {
		if (opt == 'c')
			inflight_cap = atoll(optarg);
		else if (opt == 'd')
			duration_s = atoll(optarg);
		else if (opt == 'n')
			limit = atoll(optarg);
		else
			FAIL("usage: %s [-d SECONDS] [-n MESSAGES] [-c IN_FLIGHT]", argv[0]);
	}
	CHECK(duration_s >= 0 && (duration_s > 0 || limit > 0) && inflight_cap >= REFILL);
	CHECK(limit == -1 || limit >= ASSOCS * WINDOW); /* at least a window per association */
	budget = limit;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* With transparent huge pages on ("always", as in the guest), an anonymous mapping that covers a
	 * whole aligned 2 MiB block (here an 8 MiB one, a thread stack's size) may get a huge page at its
	 * first touch, which the kernel splits and frees later: in about one run in five the first sample
	 * read 2 MiB more than the end (AnonHugePages 2048 kB, then thp_split_pmd in /proc/vmstat). That
	 * is the kernel's doing, not the process's use; without huge pages the two samples compare. */
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);

	int probe = sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0);
	if (probe < 0)
		SKIP("no SCTP here: %s (run under scripts/sctp-run)", strerror(-probe));
	close(probe);
	raise_fd_limit(ASSOCS * 2 + 256);

	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cv, &ca);
	pthread_cond_init(&done_cv, &ca);
	pthread_condattr_destroy(&ca);

	long long t0 = now_ms(), rtx0 = snmp("SctpT3RtxExpireds"), drops0 = softnet_drops();

	/* The servers. */
	sctpio_addr many_addr, one_addr;
	int many = test_server(SCTPIO_ONE_TO_MANY, &many_addr);
	int rcvbuf = RCVBUF;
	if (setsockopt(many, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		SKIP("needs SO_RCVBUFFORCE (root) for a %d MiB receive buffer: %s", RCVBUF >> 20, strerror(errno));
	/* What may sit in the buffer: every message in flight, each charged its data and about 250
	 * bytes of kernel bookkeeping (see t_batch_eagain.c), plus the COMM_UP notifications. */
	long worst = (long)(inflight_cap + SENDERS * WINDOW) * (MSG_MAX + 256) + ASSOCS_MANY * 512L;
	int got_rcvbuf = OK(sctpio_opt_get_rcvbuf(many));
	CHECK(got_rcvbuf >= 2 * worst);
	int lst = test_server(SCTPIO_ONE_TO_ONE, &one_addr);

	struct sctpio_poller *p;
	struct worker w[WORKERS];
	OK(sctpio_poller_new(&p, 1, 0));
	for (int i = 0; i < WORKERS; i++) {
		w[i] = (struct worker){ .p = p };
		OK(sctpio_batch_new(&w[i].b, DRAIN, SLOT));
		CHECK(pthread_create(&w[i].thread, NULL, worker_main, &w[i]) == 0);
	}
	srvs[0] = (struct srv){ .fd = many, .key = -1 };
	OK(sctpio_poller_add(p, many, SCTPIO_READY_IN, &srvs[0]));

	/* The clients, all connecting at once (non-blocking); each is known by its local port. */
	memset(key_of_port, -1, sizeof(key_of_port));
	for (int k = 0; k < ASSOCS; k++) {
		as[k].fd = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, k < ASSOCS_MANY ? &many_addr : &one_addr, 1, NULL, 0,
						 SCTPIO_NO_EVENTS, NULL));
		uint16_t port = local_port(as[k].fd);
		CHECK_EQ(key_of_port[port], -1);
		key_of_port[port] = (int16_t)k;
	}
	/* Accept the one-to-one associations and register each under its client's key. */
	long long deadline = now_ms() + 60000;
	for (int i = 0; i < ASSOCS_ONE;) {
		sctpio_addr peer;
		int fd = sctpio_sock_accept(lst, &peer, 0);
		if (fd == -EAGAIN) {
			wait_fd(lst, POLLIN, (int)(deadline - now_ms() > 0 ? deadline - now_ms() : 1));
			continue;
		}
		CHECK(fd >= 0);
		int key = key_of_port[sctpio_addr_port(&peer)];
		CHECK(key >= ASSOCS_MANY && key < ASSOCS);
		srvs[1 + i] = (struct srv){ .fd = fd, .key = key };
		OK(sctpio_poller_add(p, fd, SCTPIO_READY_IN, &srvs[1 + i]));
		i++;
	}
	close(lst);
	wait_connected(deadline);
	/* Match the one-to-many server's association ids to keys by the peer's port. */
	static sctp_assoc_t ids[ASSOCS_MANY + 1];
	CHECK_EQ(OK(sctpio_opt_get_assoc_ids(many, ids, ASSOCS_MANY + 1)), ASSOCS_MANY);
	for (int i = 0; i < ASSOCS_MANY; i++) {
		sctpio_addr peer;
		CHECK(OK(sctpio_sock_peer_addrs(many, ids[i], &peer, 1)) >= 1);
		int key = key_of_port[sctpio_addr_port(&peer)];
		CHECK(key >= 0 && key < ASSOCS_MANY);
		CHECK_EQ(as[key].id, 0);
		as[key].id = ids[i];
	}
	long long t_conn = now_ms();

	/* Traffic. */
	struct sender s[SENDERS];
	long long t_send = now_ms();
	for (int i = 0; i < SENDERS; i++) {
		s[i] = (struct sender){ .id = i };
		CHECK(pthread_create(&s[i].thread, NULL, sender_main, &s[i]) == 0);
	}
	/* The first sample, once every association has carried messages (or the -n budget is spent:
	 * too small a budget fails the checks at the end). */
	pthread_mutex_lock(&mu);
	deadline = now_ms() + STALL_MS;
	while (st.seen < ASSOCS && senders_done < SENDERS)
		if (!wait_until(&cv, deadline))
			FAIL("only %llu of %d associations delivered a message within %d ms",
			     (unsigned long long)st.seen, ASSOCS, STALL_MS);
	pthread_mutex_unlock(&mu);
	uint64_t at_m0 = st.received;
	long long t_warm = now_ms();
	struct mem m0 = mem_now();

	/* Sustain until the time is up or the -n budget is spent. */
	pthread_mutex_lock(&mu);
	deadline = duration_s ? t_send + duration_s * 1000 : INT64_MAX / 2;
	while (senders_done < SENDERS && wait_until(&done_cv, deadline))
		;
	stop = 1;
	pthread_cond_broadcast(&cv); /* senders waiting for credit */
	pthread_mutex_unlock(&mu);
	uint64_t sent = 0, eagain = 0, sends = 0;
	for (int i = 0; i < SENDERS; i++) {
		pthread_join(s[i].thread, NULL);
		sent += s[i].sent;
		eagain += s[i].eagain;
		sends += s[i].sends;
	}
	long long t_stop = now_ms();

	/* Everything sent must arrive. */
	pthread_mutex_lock(&mu);
	deadline = now_ms() + DRAIN_MS;
	while (st.received < sent)
		if (!wait_until(&cv, deadline)) {
			pthread_mutex_unlock(&mu);
			summary("FAILED", sent, count_lost());
			FAIL("received %llu of %llu within %d ms of the senders stopping", (unsigned long long)st.received,
			     (unsigned long long)sent, DRAIN_MS);
		}
	pthread_mutex_unlock(&mu);
	long long t_end = now_ms();
	struct mem m1 = mem_now();

	OK(sctpio_poller_shutdown(p));
	uint64_t pops = 0;
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(w[i].thread, NULL);
		pops += w[i].pops;
	}
	OK(sctpio_poller_free(p));
	/* Nothing more may be waiting on a server socket: a late data message would be a duplicate. */
	for (int i = 0; i < 1 + ASSOCS_ONE; i++) {
		int n;
		while ((n = sctpio_batch_recv(w[0].b, srvs[i].fd, 1, 0)) > 0) {
			for (int j = 0; j < n; j++) {
				size_t len;
				const void *data = sctpio_batch_data(w[0].b, (size_t)j, &len);
				if (sctpio_batch_info(w[0].b, (size_t)j)->flags & SCTPIO_MSG_NOTIFICATION)
					note(&srvs[i], data, len);
				else
					st.duplicates++;
			}
		}
		CHECK_EQ(n, -EAGAIN);
	}

	uint64_t lost = count_lost();
	long long rtx = rtx0 >= 0 ? snmp("SctpT3RtxExpireds") - rtx0 : -1;
	long long drops = drops0 >= 0 ? softnet_drops() - drops0 : -1;
	summary("soak", sent, lost);
	printf("soak: %d associations (%d on one one-to-many socket, %d one-to-one), %d streams, poller with %d workers: "
	       "connected in %.1f s, sent for %.1f s, drained in %.1f s; %.0f msg/s; %llu sendmmsg (%llu EAGAIN), "
	       "%llu pops, %llu batches; T3 retransmission timeouts %lld, input queue drops %lld; receive buffer %d bytes\n",
	       ASSOCS, ASSOCS_MANY, ASSOCS_ONE, STREAMS, WORKERS, (t_conn - t0) / 1e3, (t_stop - t_send) / 1e3,
	       (t_end - t_stop) / 1e3, (double)sent * 1e3 / (double)(t_end - t_send + 1), (unsigned long long)sends,
	       (unsigned long long)eagain, (unsigned long long)pops, (unsigned long long)st.batches, rtx, drops,
	       got_rcvbuf);
	printf("soak: memory after set-up (%.1f s, %llu messages): VmRSS %ld KiB, VmHWM %ld KiB (exact Rss %ld KiB); "
	       "at the end (%llu messages later): VmRSS %ld KiB, VmHWM %ld KiB (exact Rss %ld KiB); growth %ld KiB "
	       "(limit %d KiB; exact %ld KiB, limit %d KiB), %.2f bytes/message\n",
	       (t_warm - t0) / 1e3, (unsigned long long)at_m0, m0.rss_kb, m0.hwm_kb, m0.exact_kb,
	       (unsigned long long)(st.received - at_m0), m1.rss_kb, m1.hwm_kb, m1.exact_kb, m1.rss_kb - m0.rss_kb,
	       RSS_SLACK_KB, m1.exact_kb - m0.exact_kb, EXACT_SLACK_KB,
	       (double)(m1.exact_kb - m0.exact_kb) * 1024.0 / (double)(st.received - at_m0 + 1));

	/* Exactly once, in order, per association and in total. */
	CHECK_EQ(st.received, sent);
	CHECK_EQ(lost, 0);
	CHECK_EQ(st.reordered, 0);
	CHECK_EQ(st.duplicates, 0);
	CHECK_EQ(st.damaged, 0);
	CHECK_EQ(st.misrouted, 0);
	CHECK_EQ(st.seen, ASSOCS);
	CHECK_EQ(st.comm_up, ASSOCS);
	CHECK_EQ(st.other_notes, 0);
	for (int k = 0; k < ASSOCS; k++) {
		if (as[k].rx_received != as[k].tx_sent)
			FAIL("association %d: sent %llu, received %llu", k, (unsigned long long)as[k].tx_sent,
			     (unsigned long long)as[k].rx_received);
		CHECK(as[k].tx_sent > 0);
	}
	/* Memory flat. Not under AddressSanitizer: its quarantine keeps freed memory (up to 256 MiB)
	 * and grew the process by 11 MiB in this run; its LeakSanitizer checks for leaks at exit. */
#if SOAK_CHECK_MEMORY
	CHECK(m1.rss_kb <= m0.rss_kb + RSS_SLACK_KB);
	CHECK(m1.hwm_kb <= m0.hwm_kb + RSS_SLACK_KB);
	CHECK(m1.exact_kb <= m0.exact_kb + EXACT_SLACK_KB);
#else
	printf("soak: memory growth not checked under AddressSanitizer\n");
#endif

	for (int k = 0; k < ASSOCS; k++)
		OK(sctpio_sock_close(as[k].fd));
	for (int i = 0; i < 1 + ASSOCS_ONE; i++)
		OK(sctpio_sock_close(srvs[i].fd));
	for (int i = 0; i < WORKERS; i++)
		sctpio_batch_free(w[i].b);
	pthread_cond_destroy(&cv);
	pthread_cond_destroy(&done_cv);
	return 0;
}
