// SPDX-License-Identifier: MIT
/*
 * uring - an experiment: io_uring multishot receive against epoll + recvmmsg, on SCTP (issue 15,
 * item 4). It measures; it ships nothing. The library keeps one receive path (sctpio/batch.h).
 *
 * Receivers compared, on the same sockets in the same process:
 *
 *   epoll       what sctpio's batch layer does under its one-thread model (bench/curve's `many`):
 *               level-triggered epoll_wait (64 events), then sctpio_batch_recv(64) on each ready
 *               socket until a receive returns fewer than 64 slots
 *   pool        (one-to-one trickle only) the dispatch layer itself: an sctpio_pool of 1 thread whose
 *               callback drains with sctpio_batch_recv(64); EPOLLONESHOT, so one epoll_ctl per wakeup
 *   uring       IORING_OP_RECVMSG with IORING_RECV_MULTISHOT on every socket, buffers from one
 *               provided buffer ring (IORING_REGISTER_PBUF_RING), ring set up with
 *               IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN (completion work runs only
 *               inside io_uring_enter); the SCTP_RCVINFO cmsg and the flags are decoded per message
 *               as sctpio_batch_recv decodes them
 *   uring-plain the same with no setup flags (completion work runs as task work on any return to
 *               user space)
 *
 * Two shapes:
 *
 *   drain       K 100-byte messages queued on one socket (one association), then drained, timed, by
 *               the calling thread; one-to-many and one-to-one
 *   trickle     N associations (one-to-one client sockets) each send one 100-byte message every
 *               100 ms (stretched so that all together send at most -R messages/s), to one
 *               one-to-many socket or to N accepted one-to-one sockets; one receiving thread
 *
 * Reported per message: receiving CPU (drain: the thread's CLOCK_THREAD_CPUTIME_ID; trickle: the
 * process's CPU less the sending thread's, which also catches pool threads and io_uring workers, and
 * the receiving thread's own), system calls of the receiving side (counted where they are made:
 * epoll_wait, recvmmsg, epoll_ctl, io_uring_enter), and voluntary context switches of the receiving
 * side (getrusage: each is a sleep and a wakeup). Rounds interleave the modes (their order rotates
 * each round); every figure is the median of the rounds, and each io_uring figure is also given as
 * a ratio to epoll's of the same round, median with the smallest and largest.
 *
 * Before measuring, a probe reports what multishot receive does with SCTP: notifications
 * (MSG_NOTIFICATION), SCTP_RCVINFO cmsgs, MSG_EOR and messages larger than a buffer, the one-to-one
 * end of stream, and what plain IORING_OP_RECV multishot (no msghdr) loses.
 *
 * Built with raw io_uring system calls and <linux/io_uring.h>, so nothing beyond the kernel headers
 * is needed; headers older than Linux 6.0 (no IORING_RECV_MULTISHOT) build a stub that says so and
 * exits 77. At run time a kernel without the features exits 77 too.
 *
 * Usage: uring [-k MESSAGES] [-r ROUNDS] [-n LIST] [-t SECONDS] [-R RATE] [-b BUFFERS]
 *              [--shape drain,trickle] [--style one-to-many,one-to-one] [--no-probe]
 * Build and run (needs kernel SCTP, so through the guest):
 *     make B=build lib build/bench/uring
 *     scripts/sctp-run -t 600 -- build/bench/uring -r 5
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__has_include)
#if __has_include(<linux/io_uring.h>)
#include <linux/io_uring.h>
#endif
#endif

#ifndef IORING_RECV_MULTISHOT
int main(void)
{
	fprintf(stderr, "uring: skipped: built against kernel headers without IORING_RECV_MULTISHOT (Linux 6.0)\n");
	return 77;
}
#else

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "sctpio.h"
#include "bench.h"

#define MSG 100
#define SLOTS 64
#define SLOT_CAP 2048
#define MAX_ROUNDS 32
#define BGID 1
#define NAMELEN ((unsigned)sizeof(struct sockaddr_in6))
#define CTRLLEN 64u /* CMSG_SPACE(sizeof(struct sctp_rcvinfo)) is 48 */
#define STOP_TAG UINT64_MAX
#define CANCEL_TAG (UINT64_MAX - 1)

enum { M_EPOLL, M_POOL, M_URING, M_PLAIN, NMODES };
static const char *mode_names[NMODES] = { "epoll", "pool", "uring", "uring-plain" };

#define SYS(call) ({ long _r = (long)(call); if (_r < 0) die(#call, -errno); _r; })

static long csw(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return ru.ru_nvcsw;
}

/* ---- a minimal io_uring: the rings, one provided buffer ring, and the calls the modes make -------- */

struct ring {
	int fd;
	unsigned sq_entries, *sq_head, *sq_tail, *sq_mask, *sq_array, sq_local, sq_pending;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	void *sq_ptr, *cq_ptr;
	size_t sq_len, cq_len, sqes_len;
	struct io_uring_buf_ring *br;
	unsigned br_entries;
	uint16_t br_tail;
	size_t br_len, buf_size;
	char *bufs;
	uint64_t enters; /* io_uring_enter calls */
};

static struct msghdr recv_template = { .msg_namelen = NAMELEN, .msg_controllen = CTRLLEN };

/* Returns 0, or -errno when the kernel lacks what this needs (the caller skips). */
static int ring_init(struct ring *r, unsigned sq, unsigned cq, unsigned flags, unsigned nbufs, size_t buf_size)
{
	struct io_uring_params p;
	memset(r, 0, sizeof(*r));
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE | flags;
	p.cq_entries = cq;
	r->fd = (int)syscall(__NR_io_uring_setup, sq, &p);
	if (r->fd < 0)
		return -errno;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP) || !(p.features & IORING_FEAT_FAST_POLL))
		return -EOPNOTSUPP;
	r->sq_entries = p.sq_entries;
	r->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	r->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (r->cq_len > r->sq_len)
		r->sq_len = r->cq_len;
	r->sq_ptr = mmap(NULL, r->sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (r->sq_ptr == MAP_FAILED)
		return -errno;
	r->cq_ptr = r->sq_ptr;
	r->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;
	char *s = r->sq_ptr, *c = r->cq_ptr;
	r->sq_head = (unsigned *)(s + p.sq_off.head);
	r->sq_tail = (unsigned *)(s + p.sq_off.tail);
	r->sq_mask = (unsigned *)(s + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(s + p.sq_off.array);
	r->cq_head = (unsigned *)(c + p.cq_off.head);
	r->cq_tail = (unsigned *)(c + p.cq_off.tail);
	r->cq_mask = (unsigned *)(c + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(c + p.cq_off.cqes);
	for (unsigned i = 0; i < r->sq_entries; i++)
		r->sq_array[i] = i;
	r->sq_local = *r->sq_tail;

	/* The provided buffer ring: the kernel takes a buffer per message from its head, we give
	 * buffers back at its tail. */
	r->br_entries = nbufs;
	r->buf_size = buf_size;
	r->br_len = nbufs * sizeof(struct io_uring_buf);
	r->br = mmap(NULL, r->br_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->br == MAP_FAILED)
		return -errno;
	struct io_uring_buf_reg reg = { .ring_addr = (uintptr_t)r->br, .ring_entries = nbufs, .bgid = BGID };
	if (syscall(__NR_io_uring_register, r->fd, IORING_REGISTER_PBUF_RING, &reg, 1) < 0)
		return -errno;
	r->bufs = aligned_alloc(64, nbufs * buf_size);
	if (!r->bufs)
		return -ENOMEM;
	memset(r->bufs, 0, nbufs * buf_size);
	for (unsigned i = 0; i < nbufs; i++) {
		struct io_uring_buf *b = &r->br->bufs[r->br_tail++ & (nbufs - 1)];
		b->addr = (uintptr_t)(r->bufs + i * buf_size);
		b->len = (unsigned)buf_size;
		b->bid = (uint16_t)i;
	}
	__atomic_store_n(&r->br->tail, r->br_tail, __ATOMIC_RELEASE);
	return 0;
}

static void ring_free(struct ring *r)
{
	if (r->fd > 0)
		close(r->fd);
	if (r->sq_ptr && r->sq_ptr != MAP_FAILED)
		munmap(r->sq_ptr, r->sq_len);
	if (r->sqes && r->sqes != MAP_FAILED)
		munmap(r->sqes, r->sqes_len);
	if (r->br && r->br != MAP_FAILED)
		munmap(r->br, r->br_len);
	free(r->bufs);
	memset(r, 0, sizeof(*r));
}

/* Submit what is queued and wait for at least `wait` completions. */
static void ring_enter(struct ring *r, unsigned wait)
{
	__atomic_store_n(r->sq_tail, r->sq_local, __ATOMIC_RELEASE);
	unsigned n = r->sq_pending;
	for (;;) {
		r->enters++;
		long rc = syscall(__NR_io_uring_enter, r->fd, n, wait, wait ? IORING_ENTER_GETEVENTS : 0, NULL, 0);
		if (rc >= 0)
			break;
		if (errno != EINTR)
			die("io_uring_enter", -errno);
	}
	r->sq_pending = 0;
}

static struct io_uring_sqe *ring_sqe(struct ring *r)
{
	if (r->sq_pending == r->sq_entries)
		ring_enter(r, 0);
	struct io_uring_sqe *sqe = &r->sqes[r->sq_local++ & *r->sq_mask];
	r->sq_pending++;
	memset(sqe, 0, sizeof(*sqe));
	return sqe;
}

static void prep_recvmsg_multishot(struct ring *r, int fd, uint64_t tag)
{
	struct io_uring_sqe *sqe = ring_sqe(r);
	sqe->opcode = IORING_OP_RECVMSG;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)&recv_template;
	sqe->len = 1;
	sqe->ioprio = IORING_RECV_MULTISHOT;
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	sqe->user_data = tag;
}

static void prep_recv_multishot(struct ring *r, int fd, uint64_t tag)
{
	struct io_uring_sqe *sqe = ring_sqe(r);
	sqe->opcode = IORING_OP_RECV;
	sqe->fd = fd;
	sqe->ioprio = IORING_RECV_MULTISHOT;
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	sqe->user_data = tag;
}

static void prep_read(struct ring *r, int fd, void *buf, unsigned len, uint64_t tag)
{
	struct io_uring_sqe *sqe = ring_sqe(r);
	sqe->opcode = IORING_OP_READ;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)buf;
	sqe->len = len;
	sqe->off = (uint64_t)-1;
	sqe->user_data = tag;
}

static void prep_cancel_all(struct ring *r)
{
	struct io_uring_sqe *sqe = ring_sqe(r);
	sqe->opcode = IORING_OP_ASYNC_CANCEL;
	sqe->fd = -1;
	sqe->cancel_flags = IORING_ASYNC_CANCEL_ANY;
	sqe->user_data = CANCEL_TAG;
}

static char *cqe_buf(struct ring *r, const struct io_uring_cqe *cqe)
{
	return r->bufs + (size_t)(cqe->flags >> IORING_CQE_BUFFER_SHIFT) * r->buf_size;
}

/* Give a buffer back; published to the kernel by ring_publish. */
static void buf_return(struct ring *r, const struct io_uring_cqe *cqe)
{
	unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
	struct io_uring_buf *b = &r->br->bufs[r->br_tail++ & (r->br_entries - 1)];
	b->addr = (uintptr_t)(r->bufs + bid * r->buf_size);
	b->len = (unsigned)r->buf_size;
	b->bid = (uint16_t)bid;
}

static void ring_publish(struct ring *r)
{
	__atomic_store_n(&r->br->tail, r->br_tail, __ATOMIC_RELEASE);
}

/* What one received buffer holds, decoded as sctpio_batch_recv decodes a slot. */
struct got {
	uint32_t flags;       /* MSG_* from the kernel */
	unsigned payloadlen, namelen, controllen;
	int family, has_info;
	struct sctp_rcvinfo info;
	const char *payload;
};

static void decode(const char *buf, unsigned res, struct got *g)
{
	const struct io_uring_recvmsg_out *o = (const void *)buf;
	memset(g, 0, sizeof(*g));
	g->flags = o->flags;
	g->payloadlen = o->payloadlen;
	g->namelen = o->namelen;
	g->controllen = o->controllen;
	const char *name = buf + sizeof(*o), *ctrl = name + NAMELEN;
	g->payload = ctrl + CTRLLEN;
	(void)res;
	if (o->namelen >= sizeof(sa_family_t)) {
		sa_family_t f;
		memcpy(&f, name, sizeof(f));
		g->family = f;
	}
	struct msghdr mh = { .msg_control = (void *)ctrl, .msg_controllen = o->controllen };
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_len < sizeof(*c) || c->cmsg_len > (size_t)(ctrl + o->controllen - (const char *)c))
			break;
		if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_RCVINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct sctp_rcvinfo))) {
			memcpy(&g->info, CMSG_DATA(c), sizeof(g->info));
			g->has_info = 1;
		}
	}
}

/* ---- statistics ------------------------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double t[MAX_ROUNDS];
	memcpy(t, v, (size_t)n * sizeof(double));
	qsort(t, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static double vmin(const double *v, int n)
{
	double m = v[0];
	for (int i = 1; i < n; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

static double vmax(const double *v, int n)
{
	double m = v[0];
	for (int i = 1; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

/* Per mode, per round: receiving CPU ns/msg, receiving thread's CPU ns/msg, syscalls/msg,
 * context switches/msg, wakeups/msg, multishot re-arms/msg. */
enum { F_CPU, F_TCPU, F_SYS, F_CSW, F_WAKE, F_REARM, NFIG };
static const char *fig_names[NFIG] = { "cpu", "thread_cpu", "syscalls", "ctx_switches", "wakeups", "rearms" };

struct series {
	const char *shape, *style;
	int n;       /* associations */
	double interval_ms;
	bool used[NMODES];
	double v[NMODES][NFIG][MAX_ROUNDS];
};

static void report(const struct series *s, int rounds)
{
	printf("\n%s, %s, %d association%s%s", s->shape, s->style, s->n, s->n == 1 ? "" : "s",
	       s->interval_ms > 0 ? "" : "\n");
	if (s->interval_ms > 0)
		printf(", one message each every %.0f ms\n", s->interval_ms);
	printf("  %-12s %10s %10s %9s %9s %9s %9s\n", "mode", "cpu ns/msg", "thread ns", "sys/msg", "csw/msg",
	       "wake/msg", "rearm/msg");
	for (int m = 0; m < NMODES; m++) {
		if (!s->used[m])
			continue;
		printf("  %-12s %10.0f %10.0f %9.3f %9.3f %9.3f %9.4f\n", mode_names[m], median(s->v[m][F_CPU], rounds),
		       median(s->v[m][F_TCPU], rounds), median(s->v[m][F_SYS], rounds), median(s->v[m][F_CSW], rounds),
		       median(s->v[m][F_WAKE], rounds), median(s->v[m][F_REARM], rounds));
	}
	for (int m = M_POOL; m < NMODES; m++) {
		if (!s->used[m])
			continue;
		for (int f = F_CPU; f <= F_CSW; f++) {
			double r[MAX_ROUNDS];
			for (int i = 0; i < rounds; i++)
				r[i] = s->v[M_EPOLL][f][i] > 0 ? s->v[m][f][i] / s->v[M_EPOLL][f][i] : 0;
			printf("  ratio %s / epoll, %-12s median %.3f (rounds %.3f to %.3f)\n", mode_names[m], fig_names[f],
			       median(r, rounds), vmin(r, rounds), vmax(r, rounds));
		}
	}
	if (s->used[M_POOL])
		for (int m = M_URING; m < NMODES; m++) {
			double r[MAX_ROUNDS];
			for (int i = 0; i < rounds; i++)
				r[i] = s->v[M_POOL][F_CPU][i] > 0 ? s->v[m][F_CPU][i] / s->v[M_POOL][F_CPU][i] : 0;
			printf("  ratio %s / pool,  cpu          median %.3f (rounds %.3f to %.3f)\n", mode_names[m],
			       median(r, rounds), vmin(r, rounds), vmax(r, rounds));
		}
	fflush(stdout);
}

/* ---- sockets ------------------------------------------------------------------------------------- */

static void wait_fd(int fd, short events, const char *what)
{
	struct pollfd p = { .fd = fd, .events = events };
	if (poll(&p, 1, 30000) != 1)
		die(what, -ETIMEDOUT);
}

/* A server (one-to-many, or a one-to-one listener) and n connected one-to-one clients; srv[i] is
 * where client i's messages are read (the server itself, or the socket accepted for it). */
struct rig {
	int style, lfd, n, *cli, *srv;
	sctp_assoc_t first; /* one-to-many: the server's id for the first association */
};

static void rig_open(struct rig *g, int style, int n, unsigned flags)
{
	sctpio_addr a, bound;
	struct sctpio_sock_setup big = { .rcvbuf = 8 << 20 };
	g->style = style;
	g->n = n;
	TRY(sctpio_addr_parse(&a, "127.0.0.1", 0));
	g->lfd = TRY(sctpio_sock_server_setup(style, &a, 1, 4096, flags, &big));
	TRY(sctpio_sock_local_addrs(g->lfd, 0, &bound, 1));
	int force = 16 << 20;
	(void)setsockopt(g->lfd, SOL_SOCKET, SO_RCVBUFFORCE, &force, sizeof(force));
	g->cli = calloc((size_t)n, sizeof(int));
	g->srv = calloc((size_t)n, sizeof(int));
	int accepted = 0;
	for (int i = 0; i < n; i++) {
		g->cli[i] = TRY(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &bound, 1, NULL, 0, flags, NULL));
		(void)setsockopt(g->cli[i], SOL_SOCKET, SO_SNDBUFFORCE, &force, sizeof(force));
		if ((i + 1) % 256 && i + 1 != n)
			continue;
		for (int j = i - (i % 256); j <= i; j++) {
			wait_fd(g->cli[j], POLLOUT, "connect");
			TRY(sctpio_sock_error(g->cli[j]));
		}
		while (accepted <= i) {
			if (style == SCTPIO_ONE_TO_MANY) {
				g->srv[accepted++] = g->lfd;
				continue;
			}
			int fd = sctpio_sock_accept(g->lfd, NULL, 0);
			if (fd == -EAGAIN) {
				wait_fd(g->lfd, POLLIN, "accept");
				continue;
			}
			g->srv[accepted++] = TRY(fd);
		}
	}
	if (style == SCTPIO_ONE_TO_MANY) {
		/* The server's id for an association comes from SCTP_GET_ASSOC_ID_LIST (1:1: 0 will do). */
		uint32_t list[1 + 1024];
		socklen_t ll = sizeof(list);
		SYS(getsockopt(g->lfd, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, list, &ll));
		g->first = (sctp_assoc_t)list[1];
	}
}

static void rig_close(struct rig *g)
{
	for (int i = 0; i < g->n; i++) {
		close(g->cli[i]);
		if (g->srv[i] != g->lfd)
			close(g->srv[i]);
	}
	close(g->lfd);
	free(g->cli);
	free(g->srv);
}

/* The distinct sockets to read: the one-to-many socket once, or every accepted one. */
static int rig_fds(const struct rig *g, const int **fds)
{
	*fds = g->style == SCTPIO_ONE_TO_MANY ? &g->lfd : g->srv;
	return g->style == SCTPIO_ONE_TO_MANY ? 1 : g->n;
}

static void send_one(int fd, const void *buf)
{
	for (;;) {
		ssize_t n = sctpio_send(fd, buf, MSG, NULL);
		if (n == MSG)
			return;
		if (n != -EAGAIN)
			die("sctpio_send", n);
		wait_fd(fd, POLLOUT, "send blocked");
	}
}

static long long delivered(const struct rig *g)
{
	struct sctp_assoc_stats st = { .sas_assoc_id = g->first };
	socklen_t l = sizeof(st);
	SYS(getsockopt(g->srv[0], IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &st, &l));
	return (long long)st.sas_iodchunks;
}

/* ---- the probe: what multishot receive does with SCTP --------------------------------------------- */

/* Waits for one completion of tag's request and copies it; returns 0, or -ETIMEDOUT after ~2 s. */
static int probe_next(struct ring *r, struct io_uring_cqe *out)
{
	for (int tries = 0; tries < 2000; tries++) {
		unsigned head = *r->cq_head;
		if (head != __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) {
			*out = r->cqes[head & *r->cq_mask];
			__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
			return 0;
		}
		/* Not waiting in the kernel: wait for one with a short sleep so a missing completion
		 * reads as a timeout rather than a hang (plain ring: task work runs on the enter). */
		r->enters++;
		syscall(__NR_io_uring_enter, r->fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0);
		usleep(1000);
	}
	return -ETIMEDOUT;
}

/* Cancels everything on r and waits for the cancel's completion and the end of request `tag`. */
static void probe_cancel(struct ring *r, uint64_t tag)
{
	struct io_uring_cqe c;
	bool cancelled = false, ended = false;
	prep_cancel_all(r);
	ring_enter(r, 0);
	while ((!cancelled || !ended) && probe_next(r, &c) == 0) {
		if (c.user_data == CANCEL_TAG)
			cancelled = true;
		else if (c.user_data == tag && !(c.flags & IORING_CQE_F_MORE))
			ended = true;
		if (c.user_data != CANCEL_TAG && (c.flags & IORING_CQE_F_BUFFER)) {
			buf_return(r, &c);
			ring_publish(r);
		}
	}
}

static void probe_show(struct ring *r, const char *what, const struct io_uring_cqe *c)
{
	printf("  %-28s res %d more %d", what, c->res, !!(c->flags & IORING_CQE_F_MORE));
	if (c->res >= 0 && (c->flags & IORING_CQE_F_BUFFER)) {
		struct got g;
		decode(cqe_buf(r, c), (unsigned)c->res, &g);
		printf(" payload %u notification %d eor %d trunc %d ctrunc %d name %u family %d rcvinfo %d", g.payloadlen,
		       !!(g.flags & MSG_NOTIFICATION), !!(g.flags & MSG_EOR), !!(g.flags & MSG_TRUNC),
		       !!(g.flags & MSG_CTRUNC), g.namelen, g.family, g.has_info);
		if (g.has_info)
			printf(" (sid %u ppid %u assoc %d)", g.info.rcv_sid, ntohl(g.info.rcv_ppid), (int)g.info.rcv_assoc_id);
		if (g.flags & MSG_NOTIFICATION) {
			const struct sctp_assoc_change *ac = (const void *)g.payload;
			printf(" (type 0x%x state %d)", ac->sac_type, ac->sac_type == SCTP_ASSOC_CHANGE ? ac->sac_state : -1);
		}
		buf_return(r, c);
		ring_publish(r);
	} else if (c->res > 0)
		printf(" (plain recv: bytes only, no flags)");
	printf("\n");
}

static void probe(void)
{
	struct ring r;
	struct io_uring_cqe c;
	int rc = ring_init(&r, 8, 64, 0, 8, 2048);
	if (rc < 0) {
		fprintf(stderr, "uring: skipped: io_uring with provided buffer rings unavailable: %s\n", strerror(-rc));
		exit(77);
	}
	printf("probe: multishot receive on SCTP (2048-byte buffers: %u bytes of payload room each)\n",
	       2048u - (unsigned)sizeof(struct io_uring_recvmsg_out) - NAMELEN - CTRLLEN);
	/* One-to-many with association events subscribed (sctpio's default). */
	struct rig g;
	rig_open(&g, SCTPIO_ONE_TO_MANY, 1, 0);
	prep_recvmsg_multishot(&r, g.lfd, 1);
	ring_enter(&r, 0);
	if (probe_next(&r, &c) == 0)
		probe_show(&r, "1:N COMM_UP", &c);
	else
		printf("  1:N COMM_UP                  none within 2 s\n");
	static char big[5000];
	struct sctpio_sndinfo si = { .stream = 3, .ppid = 4242 };
	TRY(sctpio_send(g.cli[0], big, MSG, &si));
	if (probe_next(&r, &c) == 0)
		probe_show(&r, "1:N data (sid 3 ppid 4242)", &c);
	TRY(sctpio_send(g.cli[0], big, sizeof(big), &si));
	for (int i = 0; i < 4 && probe_next(&r, &c) == 0; i++) {
		probe_show(&r, "1:N 5000-byte message, piece", &c);
		if (!(c.flags & IORING_CQE_F_MORE))
			break;
		struct got gg;
		decode(cqe_buf(&r, &c), 0, &gg);
		if (gg.flags & MSG_EOR)
			break;
	}
	/* Plain IORING_OP_RECV multishot: no msghdr, so no flags, no address, no cmsg. */
	probe_cancel(&r, 1);
	prep_recv_multishot(&r, g.lfd, 2);
	ring_enter(&r, 0);
	TRY(sctpio_send(g.cli[0], big, MSG, &si));
	if (probe_next(&r, &c) == 0)
		printf("  %-28s res %d more %d (bytes only: no MSG_EOR, no MSG_NOTIFICATION, no sender, no rcvinfo)\n",
		       "1:N IORING_OP_RECV data", c.res, !!(c.flags & IORING_CQE_F_MORE));
	if (c.flags & IORING_CQE_F_BUFFER) {
		buf_return(&r, &c);
		ring_publish(&r);
	}
	probe_cancel(&r, 2);
	rig_close(&g);

	/* One-to-one: data, then the peer closes. */
	rig_open(&g, SCTPIO_ONE_TO_ONE, 1, 0);
	prep_recvmsg_multishot(&r, g.srv[0], 3);
	ring_enter(&r, 0);
	if (probe_next(&r, &c) == 0)
		probe_show(&r, "1:1 first (COMM_UP?)", &c);
	TRY(sctpio_send(g.cli[0], big, MSG, &si));
	if (probe_next(&r, &c) == 0)
		probe_show(&r, "1:1 data", &c);
	close(g.cli[0]);
	g.cli[0] = -1;
	for (int i = 0; i < 6 && probe_next(&r, &c) == 0; i++) {
		probe_show(&r, "1:1 after the peer closed", &c);
		if (!(c.flags & IORING_CQE_F_MORE))
			break;
	}
	rig_close(&g);
	ring_free(&r);
	fflush(stdout);
}

/* ---- the receivers ----------------------------------------------------------------------------- */

/* What one measurement shares between the sending thread and the receiving one. */
struct recv_run {
	int mode, nfds, efd;
	const int *fds;
	unsigned nbufs;
	atomic_uint_fast64_t received; /* data messages */
	uint64_t syscalls, wakeups, rearms, others;
	uint64_t target;               /* drain: stop after this many */
	uint64_t tcpu0, tcpu1;         /* the receiving thread's CPU from ready to stop */
	atomic_int ready;
	struct sctpio_pool *pool;
	uint64_t pool_recvs;
};

/* Drains fd with b until a receive fills fewer than every slot; counts data messages. */
static void batch_drain(struct recv_run *x, struct sctpio_batch *b, int fd, uint64_t *recvs)
{
	for (;;) {
		int k = sctpio_batch_recv(b, fd, 1, 0);
		(*recvs)++;
		if (k <= 0)
			return;
		atomic_fetch_add_explicit(&x->received, data_count(b, k), memory_order_relaxed);
		if (k < SLOTS)
			return;
	}
}

static void run_epoll(struct recv_run *x)
{
	struct sctpio_batch *b;
	struct epoll_event evs[64];
	TRY(sctpio_batch_new(&b, SLOTS, SLOT_CAP));
	int ep = SYS(epoll_create1(EPOLL_CLOEXEC));
	for (int i = 0; i < x->nfds; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = x->fds[i] };
		SYS(epoll_ctl(ep, EPOLL_CTL_ADD, x->fds[i], &ev));
	}
	if (x->efd >= 0) {
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = x->efd };
		SYS(epoll_ctl(ep, EPOLL_CTL_ADD, x->efd, &ev));
	}
	uint64_t recvs = 0;
	x->tcpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	atomic_store(&x->ready, 1);
	for (bool stop = false; !stop;) {
		int n = epoll_wait(ep, evs, 64, -1);
		x->syscalls++;
		if (n < 0 && errno == EINTR)
			continue;
		SYS(n);
		x->wakeups++;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == x->efd) {
				stop = true;
				continue;
			}
			batch_drain(x, b, evs[i].data.fd, &recvs);
		}
		if (x->target && atomic_load(&x->received) >= x->target)
			stop = true;
	}
	x->tcpu1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	x->syscalls += recvs;
	close(ep);
	sctpio_batch_free(b);
}

static void run_uring(struct recv_run *x)
{
	struct ring r;
	unsigned flags = x->mode == M_URING ? IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN : 0;
	unsigned cq = 2 * x->nbufs > 4096 ? 2 * x->nbufs : 4096;
	int rc = ring_init(&r, 256, cq, flags, x->nbufs, SLOT_CAP);
	if (rc < 0)
		die("io_uring setup (this mode needs Linux 6.1)", rc);
	uint64_t ev = 0;
	for (int i = 0; i < x->nfds; i++)
		prep_recvmsg_multishot(&r, x->fds[i], (uint64_t)i);
	if (x->efd >= 0)
		prep_read(&r, x->efd, &ev, sizeof(ev), STOP_TAG);
	int live = x->nfds; /* multishot requests still armed */
	if (!x->target)
		ring_enter(&r, 0); /* trickle: arming is setup; drain: arming is part of the receive */
	uint64_t enters0 = r.enters;
	x->tcpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	atomic_store(&x->ready, 1);
	for (bool stop = false; !stop;) {
		ring_enter(&r, 1);
		x->wakeups++;
		unsigned head = *r.cq_head, tail = __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE);
		uint64_t data = 0;
		for (; head != tail; head++) {
			const struct io_uring_cqe *c = &r.cqes[head & *r.cq_mask];
			if (c->user_data == STOP_TAG) {
				stop = true;
				continue;
			}
			if (c->flags & IORING_CQE_F_BUFFER) {
				struct got g;
				decode(cqe_buf(&r, c), (unsigned)c->res, &g);
				if (!(g.flags & MSG_NOTIFICATION) && g.payloadlen > 0)
					data++;
				else
					x->others++;
				buf_return(&r, c);
			} else if (c->res < 0 && c->res != -ENOBUFS)
				die("multishot recvmsg", c->res);
			if (!(c->flags & IORING_CQE_F_MORE)) {
				/* Ended (buffers ran out, or the CQ was full): arm it again. The re-arm is
				 * submitted with the next enter, before the cancel when the run ends. */
				x->rearms++;
				prep_recvmsg_multishot(&r, x->fds[c->user_data], c->user_data);
			}
		}
		__atomic_store_n(r.cq_head, head, __ATOMIC_RELEASE);
		ring_publish(&r);
		atomic_fetch_add_explicit(&x->received, data, memory_order_relaxed);
		if (x->target && atomic_load(&x->received) >= x->target)
			stop = true;
	}
	x->tcpu1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	x->syscalls = r.enters - enters0;
	/* Untimed: cancel everything armed and wait until each request has ended, so that nothing of
	 * this ring is left on the sockets to take the next measurement's messages. */
	prep_cancel_all(&r);
	for (bool cancelled = false; live > 0 || !cancelled;) {
		ring_enter(&r, 1);
		unsigned head = *r.cq_head, tail = __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE);
		for (; head != tail; head++) {
			const struct io_uring_cqe *c = &r.cqes[head & *r.cq_mask];
			if (c->user_data == CANCEL_TAG)
				cancelled = true;
			else if (c->user_data != STOP_TAG && !(c->flags & IORING_CQE_F_MORE))
				live--;
			if (c->user_data != CANCEL_TAG && c->user_data != STOP_TAG && (c->flags & IORING_CQE_F_BUFFER))
				die("a message arrived after the measurement", -EPROTO);
		}
		__atomic_store_n(r.cq_head, head, __ATOMIC_RELEASE);
	}
	ring_free(&r);
}

static void *recv_thread(void *arg)
{
	struct recv_run *x = arg;
	if (x->mode == M_EPOLL)
		run_epoll(x);
	else
		run_uring(x);
	return NULL;
}

/* Each pool thread's batch; the pool has no hook at thread end, so each measurement's one is left
 * behind (a few hundred KiB over a whole run). */
static _Thread_local struct sctpio_batch *pool_batch;

static void pool_cb(struct sctpio_pool *pool, int fd, uint32_t ready, void *data)
{
	(void)pool, (void)ready;
	struct recv_run *x = data;
	if (!pool_batch)
		TRY(sctpio_batch_new(&pool_batch, SLOTS, SLOT_CAP));
	uint64_t recvs = 0;
	batch_drain(x, pool_batch, fd, &recvs);
	__atomic_fetch_add(&x->pool_recvs, recvs, __ATOMIC_RELAXED);
}

/* ---- the shapes ------------------------------------------------------------------------------- */

static void drain_once(struct rig *g, int mode, int k, unsigned nbufs, struct series *s, int round)
{
	static const char msg[MSG];
	long long seen = delivered(g);
	for (int i = 0; i < k; i++)
		send_one(g->cli[0], msg);
	for (uint64_t end = clock_ns(CLOCK_MONOTONIC) + 30000000000u; delivered(g) - seen < k; poll(NULL, 0, 1))
		if (clock_ns(CLOCK_MONOTONIC) > end)
			die("messages not queued within 30 s", -ETIMEDOUT);
	const int *fds;
	struct recv_run x = { .mode = mode, .efd = -1, .nbufs = nbufs, .target = (uint64_t)k };
	x.nfds = rig_fds(g, &fds);
	x.fds = fds;
	long c0 = csw(RUSAGE_THREAD);
	recv_thread(&x); /* on this thread: nothing else runs while it drains */
	long c1 = csw(RUSAGE_THREAD);
	if (atomic_load(&x.received) != (uint64_t)k)
		die("drained a different number of messages than were queued", -EPROTO);
	double n = k;
	s->used[mode] = true;
	s->v[mode][F_CPU][round] = s->v[mode][F_TCPU][round] = (double)(x.tcpu1 - x.tcpu0) / n;
	s->v[mode][F_SYS][round] = (double)x.syscalls / n;
	s->v[mode][F_CSW][round] = (double)(c1 - c0) / n;
	s->v[mode][F_WAKE][round] = (double)x.wakeups / n;
	s->v[mode][F_REARM][round] = (double)x.rearms / n;
}

static void trickle_once(struct rig *g, int mode, double seconds, uint64_t interval_ns, unsigned nbufs,
			 struct series *s, int round)
{
	static const char msg[MSG];
	const int *fds;
	struct recv_run x = { .mode = mode, .nbufs = nbufs };
	x.nfds = rig_fds(g, &fds);
	x.fds = fds;
	x.efd = SYS(eventfd(0, EFD_CLOEXEC));
	pthread_t th;
	if (mode == M_POOL) {
		TRY(sctpio_pool_new(&x.pool, 1));
		for (int i = 0; i < x.nfds; i++)
			TRY(sctpio_pool_add(x.pool, fds[i], SCTPIO_READY_IN, pool_cb, &x));
	} else {
		TRY(-pthread_create(&th, NULL, recv_thread, &x));
		while (!atomic_load(&x.ready))
			poll(NULL, 0, 1);
	}
	uint64_t pcpu0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID), scpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	long pc0 = csw(RUSAGE_SELF), sc0 = csw(RUSAGE_THREAD);
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC), end = t0 + (uint64_t)(seconds * 1e9), step = interval_ns / (uint64_t)g->n;
	uint64_t sent = 0;
	for (uint64_t j = 0;; j++) {
		uint64_t t = clock_ns(CLOCK_MONOTONIC);
		if (t >= end)
			break;
		uint64_t due = t0 + j * step;
		if (due > t + 1000000) {
			struct timespec ts = { .tv_sec = (time_t)((due - t) / 1000000000u), .tv_nsec = (long)((due - t) % 1000000000u) };
			nanosleep(&ts, NULL);
		}
		send_one(g->cli[j % (uint64_t)g->n], msg);
		sent++;
	}
	for (uint64_t deadline = clock_ns(CLOCK_MONOTONIC) + 30000000000u; atomic_load(&x.received) < sent;) {
		if (clock_ns(CLOCK_MONOTONIC) > deadline)
			die("the receiver did not get every message within 30 s", -ETIMEDOUT);
		poll(NULL, 0, 1);
	}
	uint64_t pcpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - pcpu0, scpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - scpu0;
	long pcs = csw(RUSAGE_SELF) - pc0, scs = csw(RUSAGE_THREAD) - sc0;
	uint64_t wake = 0, callbacks = 0;
	if (mode == M_POOL) {
		struct sctpio_pool_stats st;
		TRY(sctpio_pool_stats(x.pool, 0, &st));
		wake = st.wakeups;
		callbacks = st.callbacks;
		TRY(sctpio_pool_free(x.pool));
		/* One epoll_wait per wakeup, one epoll_ctl re-arm per callback, and the receives. */
		x.syscalls = wake + callbacks + x.pool_recvs;
		x.wakeups = wake;
	} else {
		uint64_t one = 1;
		SYS(write(x.efd, &one, sizeof(one)));
		pthread_join(th, NULL);
	}
	close(x.efd);
	if (atomic_load(&x.received) != sent)
		die("received a different number of messages than were sent", -EPROTO);
	double n = sent ? (double)sent : 1;
	s->used[mode] = true;
	s->v[mode][F_CPU][round] = (double)(pcpu > scpu ? pcpu - scpu : 0) / n;
	s->v[mode][F_TCPU][round] = mode == M_POOL ? s->v[mode][F_CPU][round] : (double)(x.tcpu1 - x.tcpu0) / n;
	s->v[mode][F_SYS][round] = (double)x.syscalls / n;
	s->v[mode][F_CSW][round] = (double)(pcs - scs) / n;
	s->v[mode][F_WAKE][round] = (double)x.wakeups / n;
	s->v[mode][F_REARM][round] = (double)x.rearms / n;
}

int main(int argc, char **argv)
{
	int k = 10000, rounds = 5, ns[8] = { 100, 1000 }, nn = 2, do_probe = 1;
	bool shape[2] = { true, true }, style[3] = { false, false, false };
	double seconds = 3, cap = 2000;
	unsigned nbufs = 1024;
	style[SCTPIO_ONE_TO_MANY] = style[SCTPIO_ONE_TO_ONE] = true;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-k") && v)
			k = atoi(argv[++i]);
		else if (!strcmp(a, "-r") && v)
			rounds = atoi(argv[++i]);
		else if (!strcmp(a, "-n") && v)
			nn = parse_list(argv[++i], ns, 8);
		else if (!strcmp(a, "-t") && v)
			seconds = atof(argv[++i]);
		else if (!strcmp(a, "-R") && v)
			cap = atof(argv[++i]);
		else if (!strcmp(a, "-b") && v)
			nbufs = (unsigned)atoi(argv[++i]);
		else if (!strcmp(a, "--shape") && v) {
			shape[0] = strstr(v, "drain") != NULL;
			shape[1] = strstr(v, "trickle") != NULL;
			i++;
		} else if (!strcmp(a, "--style") && v) {
			style[SCTPIO_ONE_TO_MANY] = strstr(v, "one-to-many") != NULL;
			style[SCTPIO_ONE_TO_ONE] = strstr(v, "one-to-one") != NULL;
			i++;
		} else if (!strcmp(a, "--no-probe"))
			do_probe = 0;
		else {
			fprintf(stderr, "usage: uring [-k MESSAGES] [-r ROUNDS] [-n LIST] [-t SECONDS] [-R RATE] [-b BUFFERS]\n"
					"             [--shape drain,trickle] [--style one-to-many,one-to-one] [--no-probe]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > MAX_ROUNDS || k < 1 || nbufs < 2 || nbufs > 32768 || (nbufs & (nbufs - 1)))
		die("-r is 1..32, -k at least 1, -b a power of two 2..32768", -EINVAL);
	struct rlimit rl = { .rlim_cur = 65536, .rlim_max = 65536 };
	(void)setrlimit(RLIMIT_NOFILE, &rl);
	struct utsname u;
	uname(&u);
	printf("uring: kernel %s, %ld CPUs, %d rounds, K %d, buffer ring %u x %d bytes, batch %d x %d bytes\n",
	       u.release, sysconf(_SC_NPROCESSORS_ONLN), rounds, k, nbufs, SLOT_CAP, SLOTS, SLOT_CAP);
	if (do_probe)
		probe();
	else { /* still skip cleanly where io_uring cannot do this */
		struct ring r;
		int rc = ring_init(&r, 8, 64, 0, 8, 2048);
		ring_free(&r);
		if (rc < 0) {
			fprintf(stderr, "uring: skipped: io_uring with provided buffer rings unavailable: %s\n", strerror(-rc));
			return 77;
		}
	}
	const int drain_modes[] = { M_EPOLL, M_URING, M_PLAIN };
	for (int st = SCTPIO_ONE_TO_ONE; shape[0] && st <= SCTPIO_ONE_TO_MANY; st++) {
		if (!style[st])
			continue;
		struct series s = { .shape = "drain", .style = st == SCTPIO_ONE_TO_ONE ? "one-to-one" : "one-to-many", .n = 1 };
		struct rig g;
		rig_open(&g, st, 1, SCTPIO_NO_EVENTS);
		for (int round = 0; round < rounds; round++)
			for (int i = 0; i < 3; i++)
				drain_once(&g, drain_modes[(i + round) % 3], k, nbufs, &s, round);
		rig_close(&g);
		report(&s, rounds);
	}
	for (int st = SCTPIO_ONE_TO_ONE; shape[1] && st <= SCTPIO_ONE_TO_MANY; st++) {
		if (!style[st])
			continue;
		for (int ni = 0; ni < nn; ni++) {
			uint64_t interval = 100000000u;
			if ((double)ns[ni] / 0.1 > cap)
				interval = (uint64_t)((double)ns[ni] / cap * 1e9);
			double secs = seconds < 3 * (double)interval / 1e9 ? 3 * (double)interval / 1e9 : seconds;
			struct series s = { .shape = "trickle", .style = st == SCTPIO_ONE_TO_ONE ? "one-to-one" : "one-to-many",
					    .n = ns[ni], .interval_ms = (double)interval / 1e6 };
			struct rig g;
			rig_open(&g, st, ns[ni], SCTPIO_NO_EVENTS);
			int modes[NMODES], nm = 0;
			modes[nm++] = M_EPOLL;
			if (st == SCTPIO_ONE_TO_ONE)
				modes[nm++] = M_POOL;
			modes[nm++] = M_URING;
			modes[nm++] = M_PLAIN;
			for (int round = 0; round < rounds; round++)
				for (int i = 0; i < nm; i++)
					trickle_once(&g, modes[(i + round) % nm], secs, interval, nbufs, &s, round);
			rig_close(&g);
			report(&s, rounds);
		}
	}
	return 0;
}
#endif
