// SPDX-License-Identifier: MIT
/*
 * A receive error that one container holds back belongs to the socket it came from (batch.h): one
 * container shared by several sockets, as sctpperf shares one per thread. The error must come after
 * slots were filled, inside one sctpio_batch_recv, and at a moment the test controls; connected UDP
 * sockets on loopback give exactly that, on the host (the batch layer is the same for any socket): a
 * peer sends two datagrams, the receive of eight takes them and waits; then the peer's port closes
 * and a datagram sent to it brings back ICMP port unreachable, which sets the socket's error
 * (ECONNREFUSED) and wakes the receive: it returns the two, holding the error back. Then:
 *  - a receive on another socket gets that socket's datagram, not the held error;
 *  - the next receive on the socket with the error gets ECONNREFUSED, once;
 *  - while one error is held, another socket's receive returns its slots at once without reading
 *    again, and that socket's own later error comes from the kernel on its next receive;
 *  - a held error whose socket was closed is forgotten, even when a new socket gets the same number;
 *  - sctpio_batch_reset forgets a held error.
 */
#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "test.h"

/* A connected pair of UDP sockets on loopback: *rx (non-blocking) and its peer *tx. */
static void udp_pair(int *rx, int *tx)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in ra, ta;
	socklen_t l = sizeof(ra);

	*rx = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	*tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK(*rx >= 0 && *tx >= 0);
	CHECK(bind(*rx, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(bind(*tx, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(getsockname(*rx, (struct sockaddr *)&ra, &l) == 0);
	l = sizeof(ta);
	CHECK(getsockname(*tx, (struct sockaddr *)&ta, &l) == 0);
	CHECK(connect(*rx, (struct sockaddr *)&ta, sizeof(ta)) == 0);
	CHECK(connect(*tx, (struct sockaddr *)&ra, sizeof(ra)) == 0);
}

static void send_two(int tx, int rx, const char *tag)
{
	char m[32];

	for (int i = 0; i < 2; i++) {
		int n = snprintf(m, sizeof(m), "%s%d", tag, i);
		CHECK_EQ(send(tx, m, (size_t)n, 0), n);
	}
	wait_fd(rx, POLLIN, 10000);
}

/* The peer goes away and rx sends to its port: the ICMP reply sets rx's error. */
static void break_socket(int tx, int rx)
{
	CHECK(close(tx) == 0);
	CHECK_EQ(send(rx, "?", 1, 0), 1);
}

struct breaker {
	int tx, rx;
	pthread_t th;
};

/* Once rx's queue is empty (the batch took both datagrams and waits for more), break rx. */
static void *break_when_read(void *arg)
{
	struct breaker *b = arg;
	int queued = 1;

	for (int ms = 0; ms < 10000 && queued; ms++) {
		CHECK(ioctl(b->rx, SIOCINQ, &queued) == 0);
		if (queued)
			usleep(1000); /* a condition polled against a deadline: no event says it */
	}
	CHECK_EQ(queued, 0);
	break_socket(b->tx, b->rx);
	return NULL;
}

/* Two datagrams, then the error while b's receive of eight waits: the receive returns the two. */
static void two_then_error(struct sctpio_batch *b, int tx, int rx, const char *tag)
{
	struct breaker br = { .tx = tx, .rx = rx };

	send_two(tx, rx, tag);
	CHECK_EQ(pthread_create(&br.th, NULL, break_when_read, &br), 0);
	CHECK_EQ(sctpio_batch_recv(b, rx, 8, 10000), 2);
	CHECK_EQ(pthread_join(br.th, NULL), 0);
}

/* Slots 0 and 1 of b are tag0 and tag1. */
static void check_two(struct sctpio_batch *b, const char *tag)
{
	char want[32];
	size_t len;

	CHECK_EQ(sctpio_batch_count(b), 2);
	for (size_t i = 0; i < 2; i++) {
		int n = snprintf(want, sizeof(want), "%s%zu", tag, i);
		const void *d = sctpio_batch_data(b, i, &len);
		CHECK_EQ(len, n);
		CHECK(memcmp(d, want, len) == 0);
	}
}

/* One datagram from tx arrives on rx through b, whatever b holds for other sockets. */
static void one_message(struct sctpio_batch *b, int tx, int rx, const char *text)
{
	size_t len;

	CHECK_EQ(send(tx, text, strlen(text), 0), (ssize_t)strlen(text));
	CHECK_EQ(sctpio_batch_recv(b, rx, 1, 10000), 1);
	const void *d = sctpio_batch_data(b, 0, &len);
	CHECK_EQ(len, strlen(text));
	CHECK(memcmp(d, text, len) == 0);
}

int main(void)
{
	struct sctpio_batch *b;
	int ra, ta, rb, tb, rc_, tc, rd, td, re, te;

	OK(sctpio_batch_new(&b, 8, 256));
	udp_pair(&ra, &ta);
	udp_pair(&rb, &tb);
	udp_pair(&rc_, &tc);

	/* A: two datagrams, then ECONNREFUSED with two of eight slots filled. */
	two_then_error(b, ta, ra, "a");
	check_two(b, "a");

	/* B's receive is B's: its datagram, not A's error. */
	one_message(b, tb, rb, "b-first");

	/* While A's error is held, C's receive returns its slots at once: no second read, so no error
	 * is taken from C's socket while the container has no room for it. */
	send_two(tc, rc_, "c");
	double t0 = now_ms();
	CHECK_EQ(sctpio_batch_recv(b, rc_, 8, 5000), 2);
	CHECK(now_ms() - t0 < 2500); /* returned without waiting out the timeout */
	check_two(b, "c");
	/* C's own error stays in C's socket: the kernel reports it on C's next receive. */
	break_socket(tc, rc_);
	struct pollfd p = { .fd = rc_, .events = 0 };
	CHECK_EQ(poll(&p, 1, 10000), 1);
	CHECK(p.revents & POLLERR);
	CHECK_EQ(sctpio_batch_recv(b, rc_, 1, 0), -ECONNREFUSED);
	CHECK_EQ(sctpio_batch_count(b), 0);

	/* B again, then A gets its own error, once. */
	one_message(b, tb, rb, "b-second");
	CHECK_EQ(sctpio_batch_recv(b, ra, 1, 0), -ECONNREFUSED);
	CHECK_EQ(sctpio_batch_count(b), 0);
	CHECK_EQ(sctpio_batch_recv(b, ra, 1, 0), -EAGAIN);

	/* A held error whose socket is closed is forgotten, even when its number is reused. */
	CHECK(close(ra) == 0);
	CHECK(close(rc_) == 0);
	udp_pair(&rd, &td);
	two_then_error(b, td, rd, "d");
	check_two(b, "d");
	int old = rd;
	CHECK(close(rd) == 0);
	udp_pair(&re, &te);
	printf("the closed socket's number %d, the new one's %d\n", old, re);
	CHECK_EQ(re, old); /* the lowest free number: the case this checks */
	one_message(b, te, re, "e-first");
	CHECK_EQ(sctpio_batch_recv(b, re, 1, 0), -EAGAIN);

	/* sctpio_batch_reset forgets a held error too. */
	int rf, tf;
	udp_pair(&rf, &tf);
	two_then_error(b, tf, rf, "f");
	OK(sctpio_batch_reset(b));
	CHECK_EQ(sctpio_batch_recv(b, rf, 1, 0), -EAGAIN);

	sctpio_batch_free(b);
	int fds[] = { rb, tb, re, te, rf };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		CHECK(close(fds[i]) == 0);
	printf("ok\n");
	return 0;
}
