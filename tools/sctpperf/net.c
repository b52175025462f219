// SPDX-License-Identifier: MIT
/*
 * net.c - what both sides of sctpperf set up the same way: addresses, sockets with their stream
 * counts and buffers, the message header's wire format, clocks, and error reporting.
 */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sctpperf.h"

uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec / 1e6;
}

int poll_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int rc;
	do
		rc = poll(&p, 1, ms);
	while (rc < 0 && errno == EINTR && !perf_stop);
	return rc < 0 ? -errno : rc;
}

extern int perf_progress_active; /* stats.c: a progress line is on the terminal */

void fatal(const char *fmt, ...)
{
	va_list ap;
	if (perf_progress_active)
		fputs("\r\033[K", stdout);
	fflush(stdout);
	fputs("sctpperf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void perf_warn(const char *fmt, ...)
{
	va_list ap;
	fputs("sctpperf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The header goes on the wire in network byte order so that peers of any architecture agree. */
void hdr_put(void *buf, const struct perf_hdr *h)
{
	struct perf_hdr w = {
		.magic = htobe32(h->magic), .flags = htobe16(h->flags), .stream = htobe16(h->stream),
		.assoc = htobe32(h->assoc), .client = htobe32(h->client), .seq = htobe64(h->seq),
		.sent_ns = htobe64(h->sent_ns),
	};
	memcpy(buf, &w, PERF_HDR_LEN);
}

int hdr_get(const void *buf, size_t len, struct perf_hdr *h)
{
	struct perf_hdr w;
	if (len < PERF_HDR_LEN)
		return 0;
	memcpy(&w, buf, PERF_HDR_LEN);
	if (be32toh(w.magic) != PERF_MAGIC)
		return 0;
	*h = (struct perf_hdr){
		.magic = PERF_MAGIC, .flags = be16toh(w.flags), .stream = be16toh(w.stream),
		.assoc = be32toh(w.assoc), .client = be32toh(w.client), .seq = be64toh(w.seq),
		.sent_ns = be64toh(w.sent_ns),
	};
	return 1;
}

size_t perf_addrs(const struct perf_cfg *c, const char *list, const char *deflt, uint16_t port, sctpio_addr *out)
{
	const char *l = list ? list : deflt;
	int n = sctpio_addr_parse_list(out, PERF_MAX_ADDRS, l, port);
	if (n == -ENOBUFS)
		usage_error("--addr/--local: at most %d addresses", PERF_MAX_ADDRS);
	if (n < 0)
		usage_error("bad address list '%s': %s", l, n == -ENOENT ? "a name does not resolve" : strerror(-n));
	for (int i = 0; i < n; i++) {
		int f = out[i].sa.sa_family;
		if (c->family && f != c->family)
			usage_error("address list '%s' has an %s address, but %s was given", l,
				    f == AF_INET ? "IPv4" : "IPv6", c->family == AF_INET ? "-4" : "-6");
	}
	return (size_t)n;
}

void perf_addrs_text(const sctpio_addr *a, size_t n, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n && off + SCTPIO_ADDR_TEXT_MAX + 1 < len; i++) {
		if (i)
			buf[off++] = ',';
		int w = sctpio_addr_format(&a[i], buf + off, len - off);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* How a report names the addresses' family: the wildcard :: without -6 also takes IPv4. */
const char *perf_addrs_family(const struct perf_cfg *c, const sctpio_addr *a, size_t n)
{
	int v4 = 0, v6 = 0, any6 = 0;
	for (size_t i = 0; i < n; i++) {
		if (a[i].sa.sa_family == AF_INET) {
			v4 = 1;
		} else {
			v6 = 1;
			any6 |= !memcmp(&a[i].sin6.sin6_addr, &in6addr_any, sizeof(in6addr_any));
		}
	}
	if (v4 && v6)
		return "ipv4+ipv6";
	if (v6 && any6 && c->family != AF_INET6)
		return "dual-stack";
	return v6 ? "ipv6" : "ipv4";
}

/* A buffer beyond net.core.[rw]mem_max needs CAP_NET_ADMIN (the guest has it); fall back quietly. */
static void set_buf(int fd, int force, int name, int bytes)
{
	if (bytes > 0 && sctpio_opt_set(fd, SOL_SOCKET, force, &bytes, sizeof(bytes)) < 0)
		sctpio_opt_set(fd, SOL_SOCKET, name, &bytes, sizeof(bytes));
}

int sock_buf(int fd, int name)
{
	int v = 0;
	return sctpio_opt_get(fd, SOL_SOCKET, name, &v, sizeof(v)) < 0 ? 0 : v;
}

/*
 * Stream counts and buffers must be in place before an association exists: INIT carries the stream
 * counts, and the receive window a peer may fill is derived from SO_RCVBUF when the association is
 * made. The server offers at least 256 outbound streams so that it can echo on the stream a request
 * came on, and accepts up to 65535 inbound (the kernel allocates only what the peer asks for).
 */
int perf_socket(const struct perf_cfg *c, const sctpio_addr *a, size_t n, int server)
{
	int family = AF_INET;
	for (size_t i = 0; i < n; i++)
		if (a[i].sa.sa_family == AF_INET6)
			family = AF_INET6;
	unsigned flags = (c->nagle ? SCTPIO_NAGLE : 0) | (c->family == AF_INET6 ? SCTPIO_V6_ONLY : 0);
	int fd = sctpio_sock_open(family, c->style, flags);
	if (fd < 0)
		return fd;
	struct sctp_initmsg im = { 0 };
	if (server) {
		im.sinit_num_ostreams = (uint16_t)(c->streams > 256 ? c->streams : 256);
		im.sinit_max_instreams = 65535;
	} else {
		im.sinit_num_ostreams = (uint16_t)c->streams;
		im.sinit_max_instreams = (uint16_t)c->streams;
	}
	int rc = sctpio_opt_set_initmsg(fd, &im);
	if (rc < 0) {
		sctpio_sock_close(fd);
		return rc;
	}
	set_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, c->rcvbuf);
	set_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, c->sndbuf);
	return fd;
}

/* The largest message a client socket will take: Linux refuses (or never finds room for) one above
 * SO_SNDBUF, so a size beyond it is a usage error found before any association starts. */
int perf_sndbuf_limit(const struct perf_cfg *c, const sctpio_addr *a, size_t n)
{
	int fd = perf_socket(c, a, n, 0);
	if (fd < 0)
		return fd;
	int v = sock_buf(fd, SO_SNDBUF);
	sctpio_sock_close(fd);
	return v;
}

ssize_t send_wait(int fd, const void *buf, size_t len, const struct sctpio_sndinfo *si, int ms)
{
	for (;;) {
		ssize_t n = sctpio_send(fd, buf, len, si);
		if (n != -EAGAIN)
			return n;
		int rc = poll_fd(fd, POLLOUT, ms);
		if (rc <= 0)
			return rc ? rc : -ETIMEDOUT;
	}
}
