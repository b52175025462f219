/* SPDX-License-Identifier: MIT */
/*
 * test.h - assertions and loopback fixtures for sctpio's test programs.
 * A failed check prints file:line and the values, and exits 1; exit 77 means "skipped".
 */
#ifndef SCTPIO_TEST_H
#define SCTPIO_TEST_H

#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sctpio.h"

#define FAIL(...) do { fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); exit(1); } while (0)
#define CHECK(c) do { if (!(c)) FAIL("check failed: %s", #c); } while (0)
#define CHECK_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) FAIL("%s == %lld, expected %s == %lld", #a, _a, #b, _b); } while (0)
/* A call returning >= 0 or -errno must succeed. */
#define OK(call) ({ long long _r = (long long)(call); \
	if (_r < 0) { FAIL("%s failed: %s", #call, strerror((int)-_r)); } \
	_r; })
#define SKIP(...) do { fprintf(stderr, "skip: " __VA_ARGS__); fputc('\n', stderr); exit(77); } while (0)

/* CLOCK_MONOTONIC in milliseconds, with the fraction: for deadlines and measured waits. */
static inline double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Wait until fd has `events` (POLLIN/POLLOUT), failing the test after ms milliseconds. */
static inline void wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int rc;
	do
		rc = poll(&p, 1, ms);
	while (rc < 0 && errno == EINTR);
	if (rc == 0)
		FAIL("fd %d not ready (events 0x%x) within %d ms", fd, events, ms);
	if (rc < 0)
		FAIL("poll: %s", strerror(errno));
}

/* Receive the next message or notification, waiting up to 10 s for it: its length, 0 at the end of
 * stream; an error fails the test. */
static inline ssize_t recv_next(int fd, void *buf, size_t cap, struct sctpio_rcvinfo *ri)
{
	for (;;) {
		wait_fd(fd, POLLIN, 10000);
		ssize_t n = sctpio_recv(fd, buf, cap, ri);
		if (n == -EAGAIN)
			continue;
		if (n < 0)
			FAIL("sctpio_recv: %s", strerror((int)-n));
		return n;
	}
}

/* Receive one whole data message (skipping notifications) with a deadline; returns its length. */
static inline ssize_t recv_data(int fd, void *buf, size_t cap, struct sctpio_rcvinfo *ri)
{
	for (;;) {
		ssize_t n = recv_next(fd, buf, cap, ri);
		if (!(ri->flags & SCTPIO_MSG_NOTIFICATION))
			return n;
	}
}

/* Read until a notification of `type` arrives, copied to *out; data or the end of stream on the way
 * fails the test. */
static inline void wait_notification(int fd, uint16_t type, union sctp_notification *out)
{
	char buf[2048];
	struct sctpio_rcvinfo ri;

	for (;;) {
		ssize_t n = recv_next(fd, buf, sizeof(buf), &ri);
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION))
			FAIL("data (%zd bytes) while waiting for notification %u", n, type);
		const union sctp_notification *sn = (const void *)buf;
		if (sn->sn_header.sn_type == type) {
			memset(out, 0, sizeof(*out));
			memcpy(out, buf, (size_t)n < sizeof(*out) ? (size_t)n : sizeof(*out));
			return;
		}
	}
}

/* Send, waiting for room when the socket is full. */
static inline void send_all(int fd, const void *buf, size_t len, const struct sctpio_sndinfo *si)
{
	for (;;) {
		ssize_t n = sctpio_send(fd, buf, len, si);
		if (n == (ssize_t)len)
			return;
		if (n != -EAGAIN)
			FAIL("sctpio_send: %s", n < 0 ? strerror((int)-n) : "short send");
		wait_fd(fd, POLLOUT, 10000);
	}
}

/*
 * Wait until thread tid (gettid) sleeps in the kernel, its state in /proc is S: the way to know that a
 * thread which announced it is about to make a blocking call is now inside it and waiting (nothing
 * else it does between the announcement and the call can sleep). Fails the test after about 10 s.
 */
static inline void wait_thread_asleep(int tid)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	for (int i = 0; i < 50000; i++) {
		FILE *f = fopen(path, "r");
		if (!f)
			FAIL("open %s: %s", path, strerror(errno));
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		char *p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == 'S')
			return;
		usleep(200);
	}
	FAIL("thread %d never went to sleep", tid);
}

/* Fill a struct that a get call writes with a pattern, so that whatever the call leaves shows. */
#define POISON(x) memset(&(x), 0xa5, sizeof(x))
/* A struct's reserved space reads zero, as every call that fills it must leave it (sctpio/version.h). */
#define CHECK_RESERVED_ZERO(x) do { \
	for (size_t _i = 0; _i < sizeof((x).reserved) / sizeof((x).reserved[0]); _i++) \
		CHECK_EQ((x).reserved[_i], 0); \
	} while (0)

/* A listening server on 127.0.0.1 (kernel-chosen port) and its address. */
static inline int test_server(int style, sctpio_addr *addr)
{
	OK(sctpio_addr_parse(addr, "127.0.0.1", 0));
	int fd = OK(sctpio_sock_server(style, addr, 1, 0, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(fd, 0, addr, 1)), 1);
	return fd;
}

/* Connect the one-to-one socket cli (options already set) to the server srv listening at addr and
 * return the accepted descriptor. */
static inline int test_connect_accept(int srv, int cli, const sctpio_addr *addr)
{
	int rc = sctpio_sock_connect(cli, addr, 1, NULL);
	CHECK(rc == 0 || rc == -EINPROGRESS);
	wait_fd(cli, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(cli), 0);
	wait_fd(srv, POLLIN, 10000);
	return OK(sctpio_sock_accept(srv, NULL, 0));
}

/* An integer sysctl under /proc/sys: read (-1 when unreadable) and write (fails the test). */
static inline int test_read_proc_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;
	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static inline void test_write_proc_int(const char *path, int v)
{
	FILE *f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", v) < 0 || fclose(f) != 0)
		FAIL("cannot write %s", path);
}

/* A network namespace of the test's own with its loopback up: its net.* sysctls, routes and packet
 * captures are the test's alone. Skips (77) without root or namespaces. */
static inline void test_private_netns(void)
{
	if (geteuid() != 0)
		SKIP("needs root for a network namespace (run it through scripts/sctp-run)");
	if (unshare(CLONE_NEWNET) < 0)
		SKIP("unshare(CLONE_NEWNET): %s", strerror(errno));
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	CHECK(s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0);
	ifr.ifr_flags |= IFF_UP;
	CHECK(ioctl(s, SIOCSIFFLAGS, &ifr) == 0);
	close(s);
}

#endif
