// SPDX-License-Identifier: MIT
/*
 * sctpio_recv_append joins the pieces of a message and never glues anything else onto one (msg.h):
 *  - argument errors, -EAGAIN with nothing waiting, and a notification larger than the buffer joined
 *    across -EMSGSIZE and a grown buffer;
 *  - an 8 MiB message read in pieces through a small receive window, checked byte for byte;
 *  - the same message cut by the peer's ABORT after about 1 MiB, on a one-to-one receiver: the call
 *    after the last piece returns -EPIPE with the part that came intact (SCTPIO_MSG_MORE still set,
 *    no notification byte appended), and the next call, started afresh, returns the COMM_LOST;
 *  - the cut on a one-to-many receiver subscribed to SCTP_PARTIAL_DELIVERY_EVENT: -EPIPE, then the
 *    PARTIAL_DELIVERY_ABORTED event, then COMM_LOST;
 *  - the cut read through a batch: the pieces all have SCTPIO_MSG_MORE and the COMM_LOST comes in
 *    the slot after the last one (batch.h).
 */
#include <pthread.h>

#include "test.h"

enum { BIG = 8 << 20, CUT_AT = 1 << 20, CAP = 16 << 20 };

static uint8_t msg[BIG], buf[CAP];

static uint8_t pattern(size_t i)
{
	/* Not periodic at any small length, so a misplaced piece shows. */
	return (uint8_t)(i * 131 + (i >> 9) * 7 + (i >> 17));
}

static void sopt(int fd, int level, int name, int val)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)) < 0)
		FAIL("setsockopt(%d, %d): %s", level, name, strerror(errno));
}

struct sender {
	int fd;
	sctp_assoc_t assoc;
	ssize_t rc;
};

static void *send_big(void *arg)
{
	struct sender *s = arg;
	struct sctpio_sndinfo si = { .assoc_id = s->assoc, .ppid = 77 };

	s->rc = sctpio_send(s->fd, msg, BIG, &si);
	return NULL;
}

/* A blocking one-to-many client whose send buffer takes the whole message at once. */
static int big_client(const sctpio_addr *srv, sctp_assoc_t *assoc)
{
	int fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, SCTPIO_BLOCKING));
	int want = 2 * BIG, got = 0;
	socklen_t l = sizeof(got);

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) < 0)
		sopt(fd, SOL_SOCKET, SO_SNDBUF, want);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &got, &l) == 0);
	if (got < BIG)
		SKIP("send buffer of %d bytes, below the %d-byte message (not root?)", got, BIG);
	OK(sctpio_sock_connect(fd, srv, 1, assoc));
	return fd;
}

/* A small receive window and partial-delivery point: the message must come in many pieces. */
static void small_window(int fd)
{
	sopt(fd, SOL_SOCKET, SO_RCVBUF, 65536);
	sopt(fd, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, 16384);
}

/* One whole message or notification through recv_append, waiting up to 10 s. */
static int next_whole(int fd, size_t *len, struct sctpio_rcvinfo *ri)
{
	*len = 0;
	for (;;) {
		int rc = sctpio_recv_append(fd, buf, CAP, len, ri);
		if (rc == -EAGAIN) {
			wait_fd(fd, POLLIN, 10000);
			continue;
		}
		if (rc != 0)
			return rc;
	}
}

/* The next notification, whole; it must be of `type` (and, for an association change, `state`). */
static void expect_note(int fd, uint16_t type, int state)
{
	struct sctpio_rcvinfo ri;
	struct sctpio_notification n;
	size_t len;

	CHECK_EQ(next_whole(fd, &len, &ri), 1);
	CHECK(ri.flags & SCTPIO_MSG_NOTIFICATION);
	CHECK(!(ri.flags & SCTPIO_MSG_MORE));
	CHECK_EQ(sctpio_notification_decode(buf, len, &n), len);
	CHECK_EQ(n.type, type);
	if (type == SCTP_ASSOC_CHANGE)
		CHECK_EQ(n.u.assoc_change.state, state);
	if (type == SCTP_PARTIAL_DELIVERY_EVENT)
		CHECK_EQ(n.u.partial_delivery.indication, SCTP_PARTIAL_DELIVERY_ABORTED);
}

static void check_bytes(size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != msg[i])
			FAIL("byte %zu of %zu is 0x%02x, sent 0x%02x", i, len, buf[i], msg[i]);
}

/* Bad arguments, -EAGAIN, and a COMM_UP notification taken 8 bytes at a time. */
static void basics(void)
{
	sctpio_addr a;
	struct sctpio_rcvinfo ri;
	size_t len = 0;
	int srv = test_server(SCTPIO_ONE_TO_MANY, &a);
	int cli = OK(sctpio_sock_client(SCTPIO_ONE_TO_MANY, &a, 1, NULL, 0, 0, NULL));

	CHECK_EQ(sctpio_recv_append(srv, NULL, 8, &len, &ri), -EINVAL);
	CHECK_EQ(sctpio_recv_append(srv, buf, 8, NULL, &ri), -EINVAL);
	CHECK_EQ(sctpio_recv_append(srv, buf, 8, &len, NULL), -EINVAL);
	len = 9;
	CHECK_EQ(sctpio_recv_append(srv, buf, 8, &len, &ri), -EINVAL);
	len = 0;
	CHECK_EQ(sctpio_recv_append(-1, buf, 8, &len, &ri), -EBADF);

	/* The server's COMM_UP (at least 20 bytes) in a buffer of 8, then grown to 64. */
	wait_fd(srv, POLLIN, 10000);
	CHECK_EQ(sctpio_recv_append(srv, buf, 8, &len, &ri), -EMSGSIZE);
	CHECK_EQ(len, 8);
	CHECK(ri.flags & SCTPIO_MSG_NOTIFICATION);
	CHECK(ri.flags & SCTPIO_MSG_MORE);
	CHECK_EQ(sctpio_recv_append(srv, buf, 8, &len, &ri), -EMSGSIZE); /* still full: nothing read */
	CHECK_EQ(sctpio_recv_append(srv, buf, 64, &len, &ri), 1);
	CHECK(ri.flags & SCTPIO_MSG_NOTIFICATION);
	CHECK(!(ri.flags & SCTPIO_MSG_MORE));
	struct sctpio_notification n;
	CHECK_EQ(sctpio_notification_decode(buf, len, &n), len);
	CHECK_EQ(n.type, SCTP_ASSOC_CHANGE);
	CHECK_EQ(n.u.assoc_change.state, SCTP_COMM_UP);

	len = 0;
	CHECK_EQ(sctpio_recv_append(srv, buf, 64, &len, &ri), -EAGAIN);
	CHECK_EQ(len, 0);
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
}

/*
 * The 8 MiB message to a receiver of the given style; with cut, the sender aborts once CUT_AT bytes
 * are in. pd: subscribe the receiver to SCTP_PARTIAL_DELIVERY_EVENT.
 */
static void big_message(int style, int cut, int pd)
{
	sctpio_addr a;
	struct sender s;
	struct sctpio_rcvinfo ri;
	pthread_t th;
	size_t len = 0, pieces = 0;
	int rc, aborted = 0;

	printf("%s receiver, %s%s\n", style == SCTPIO_ONE_TO_ONE ? "one-to-one" : "one-to-many",
	       cut ? "cut by an ABORT" : "whole", pd ? ", partial-delivery events on" : "");
	int srv = test_server(style, &a);
	small_window(srv);
	if (pd)
		OK(sctpio_sock_subscribe_mask(srv, SCTP_FUTURE_ASSOC, SCTPIO_EV_ASSOC_CHANGE | SCTPIO_EV_PARTIAL_DELIVERY));
	s.fd = big_client(&a, &s.assoc);
	int fd = srv;
	if (style == SCTPIO_ONE_TO_ONE) {
		wait_fd(srv, POLLIN, 10000);
		fd = OK(sctpio_sock_accept(srv, NULL, 0));
		small_window(fd);
	}
	expect_note(fd, SCTP_ASSOC_CHANGE, SCTP_COMM_UP);
	CHECK_EQ(pthread_create(&th, NULL, send_big, &s), 0);

	for (;;) {
		rc = sctpio_recv_append(fd, buf, CAP, &len, &ri);
		if (rc == -EAGAIN) {
			wait_fd(fd, POLLIN, 10000);
			continue;
		}
		if (rc != 0)
			break;
		pieces++;
		CHECK(ri.flags & SCTPIO_MSG_MORE);
		CHECK(!(ri.flags & SCTPIO_MSG_NOTIFICATION));
		if (cut && !aborted && len >= CUT_AT) {
			OK(sctpio_sock_abort(s.fd, s.assoc, "cut", 3));
			aborted = 1;
		}
	}
	CHECK_EQ(pthread_join(th, NULL), 0);
	printf("  %zu pieces, %zu bytes, then %d; the send returned %zd\n", pieces, len, rc, s.rc);
	CHECK(pieces >= 2);
	check_bytes(len);
	CHECK(ri.flags & SCTPIO_MSG_HAS_INFO);
	CHECK_EQ(ri.ppid, 77);
	if (!cut) {
		CHECK_EQ(rc, 1);
		CHECK_EQ(len, BIG);
		CHECK(!(ri.flags & (SCTPIO_MSG_MORE | SCTPIO_MSG_NOTIFICATION)));
		CHECK_EQ(s.rc, BIG);
	} else {
		/* Cut: reported as cut, the part intact, nothing appended; then what cut it. */
		CHECK_EQ(rc, -EPIPE);
		CHECK(len >= CUT_AT && len < BIG);
		CHECK(ri.flags & SCTPIO_MSG_MORE);
		CHECK(!(ri.flags & SCTPIO_MSG_NOTIFICATION));
		size_t before = len;
		CHECK_EQ(sctpio_recv_append(fd, buf, CAP, &len, &ri), -EPIPE); /* again: still cut, still intact */
		CHECK_EQ(len, before);
		if (pd)
			expect_note(fd, SCTP_PARTIAL_DELIVERY_EVENT, -1);
		expect_note(fd, SCTP_ASSOC_CHANGE, SCTP_COMM_LOST);
	}
	OK(sctpio_sock_close(s.fd));
	if (fd != srv)
		OK(sctpio_sock_close(fd));
	OK(sctpio_sock_close(srv));
}

/*
 * The cut read through a batch (batch.h): every data slot of the message has SCTPIO_MSG_MORE, the
 * bytes are the message's, and the slot after the last piece is the COMM_LOST, never more data.
 */
static void big_message_batch(void)
{
	sctpio_addr a;
	struct sender s;
	struct sctpio_batch *b;
	pthread_t th;
	size_t len = 0;
	int aborted = 0, done = 0;

	printf("one-to-one receiver through a batch, cut by an ABORT\n");
	OK(sctpio_batch_new(&b, 16, 65536));
	int srv = test_server(SCTPIO_ONE_TO_ONE, &a);
	small_window(srv);
	s.fd = big_client(&a, &s.assoc);
	wait_fd(srv, POLLIN, 10000);
	int fd = OK(sctpio_sock_accept(srv, NULL, 0));
	small_window(fd);
	expect_note(fd, SCTP_ASSOC_CHANGE, SCTP_COMM_UP);
	CHECK_EQ(pthread_create(&th, NULL, send_big, &s), 0);
	while (!done) {
		int n = sctpio_batch_recv(b, fd, 1, 10000);
		if (n == -ECONNRESET) /* Linux's recvmmsg reports the error before what is queued */
			continue;
		CHECK(n >= 1);
		for (int i = 0; i < n && !done; i++) {
			size_t l;
			const void *d = sctpio_batch_data(b, (size_t)i, &l);
			const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, (size_t)i);
			if (ri->flags & SCTPIO_MSG_NOTIFICATION) {
				struct sctpio_notification note;
				CHECK_EQ(sctpio_notification_decode(d, l, &note), l);
				CHECK_EQ(note.type, SCTP_ASSOC_CHANGE);
				CHECK_EQ(note.u.assoc_change.state, SCTP_COMM_LOST);
				done = 1;
				break;
			}
			CHECK(l > 0);
			CHECK(ri->flags & SCTPIO_MSG_MORE); /* the message never completes */
			CHECK(len + l < BIG);
			memcpy(buf + len, d, l);
			len += l;
		}
		if (!aborted && len >= CUT_AT) {
			OK(sctpio_sock_abort(s.fd, s.assoc, "cut", 3));
			aborted = 1;
		}
	}
	CHECK_EQ(pthread_join(th, NULL), 0);
	printf("  %zu bytes, then COMM_LOST\n", len);
	CHECK(aborted);
	check_bytes(len);
	sctpio_batch_free(b);
	OK(sctpio_sock_close(s.fd));
	OK(sctpio_sock_close(fd));
	OK(sctpio_sock_close(srv));
}

int main(void)
{
	for (size_t i = 0; i < BIG; i++)
		msg[i] = pattern(i);
	basics();
	big_message(SCTPIO_ONE_TO_ONE, 0, 0);
	big_message(SCTPIO_ONE_TO_ONE, 1, 0);
	big_message(SCTPIO_ONE_TO_MANY, 1, 1);
	big_message(SCTPIO_ONE_TO_MANY, 1, 0);
	big_message_batch();
	printf("ok\n");
	return 0;
}
