// SPDX-License-Identifier: MIT
/*
 * The send flags and the shutdown and abort calls do what msg.h and socket.h say, on a real kernel:
 *  - SCTPIO_EOF with data, one-to-many and one-to-one: the message arrives, then the shutdown
 *    (Linux takes SCTP_EOF only on an empty message; sctpio sends the two); to an address with no
 *    association: -EINVAL and nothing sent (t_send_eof_setup: an association not up yet);
 *  - a send after this side's own shutdown began (data still unsent, so it stays begun): -ESHUTDOWN,
 *    or -EAGAIN first while the send buffer is full;
 *  - after a shutdown completed, a send returns -EPIPE;
 *  - SCTPIO_SENDALL (with SCTPIO_EOF and data too) reaches every association of a one-to-many
 *    socket, and is refused on a one-to-one socket (-EINVAL, nothing sent); SCTPIO_ABORT through
 *    sctpio_send on one-to-one: -EOPNOTSUPP;
 *  - sctpio_sock_abort with a reason of SCTPIO_ABORT_REASON_MAX bytes reaches the peer whole over
 *    IPv4; one byte more returns -EMSGSIZE and nothing is sent (the association still works);
 *  - SCTPIO_EOF with SCTPIO_ABORT: -EINVAL;
 *  - batches (batch.h): SCTPIO_EOF with data refused at add; a one-to-one send stops before a
 *    SCTPIO_SENDALL message and refuses it at the head (-EINVAL, drop it and the rest go); on
 *    one-to-many a queued SCTPIO_SENDALL message reaches every association.
 */
#include "test.h"

static uint8_t nb[1 << 17];

/* The next message or notification on fd within 10 s, into nb. */
static ssize_t next(int fd, struct sctpio_rcvinfo *ri)
{
	for (;;) {
		wait_fd(fd, POLLIN, 10000);
		ssize_t n = sctpio_recv(fd, nb, sizeof(nb), ri);
		if (n != -EAGAIN)
			return n;
	}
}

/* The next item on fd is a notification of type (and assoc change state, unless -1). */
static void expect_note(int fd, uint16_t type, int state, struct sctpio_notification *n)
{
	struct sctpio_rcvinfo ri;
	ssize_t r = next(fd, &ri);

	CHECK(r > 0);
	if (!(ri.flags & SCTPIO_MSG_NOTIFICATION))
		FAIL("fd %d: %zd bytes of data where a notification of type %u was due", fd, r, type);
	CHECK_EQ(sctpio_notification_decode(nb, (size_t)r, n), r);
	CHECK_EQ(n->type, type);
	if (state >= 0)
		CHECK_EQ(n->u.assoc_change.state, state);
}

/* The next item on fd is the data message text. */
static void expect_data(int fd, const char *text)
{
	struct sctpio_rcvinfo ri;
	ssize_t r = next(fd, &ri);

	if (r < 0)
		FAIL("fd %d: %s where \"%s\" was due", fd, strerror((int)-r), text);
	if (ri.flags & SCTPIO_MSG_NOTIFICATION)
		FAIL("fd %d: a notification where \"%s\" was due", fd, text);
	CHECK_EQ(r, strlen(text));
	CHECK(memcmp(nb, text, (size_t)r) == 0);
}

/* The end of stream comes next on a one-to-one fd, with no data before it (notifications may). */
static void expect_eof(int fd)
{
	struct sctpio_rcvinfo ri;
	ssize_t r;

	while ((r = next(fd, &ri)) > 0)
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION))
			FAIL("fd %d: %zd bytes of data where the end of stream was due", fd, r);
	CHECK_EQ(r, 0);
}

/* A one-to-many server on 127.0.0.1 and a client associated with it, both past COMM_UP. */
struct m2m {
	int srv, cli;
	sctpio_addr addr;
	sctp_assoc_t ca, sa;
};

static void m2m_open(struct m2m *p)
{
	struct sctpio_notification n;

	p->srv = test_server(SCTPIO_ONE_TO_MANY, &p->addr);
	p->cli = OK(sctpio_sock_client(SCTPIO_ONE_TO_MANY, &p->addr, 1, NULL, 0, 0, &p->ca));
	expect_note(p->cli, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	expect_note(p->srv, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	p->sa = n.assoc_id;
}

static void m2m_close(struct m2m *p)
{
	OK(sctpio_sock_close(p->cli));
	OK(sctpio_sock_close(p->srv));
}

/* A one-to-one pair: *cli connected, the accepted socket returned; COMM_UP read on both. */
static int o2o_open(int *srv, int *cli)
{
	sctpio_addr a;
	struct sctpio_notification n;

	*srv = test_server(SCTPIO_ONE_TO_ONE, &a);
	*cli = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, &a, 1, NULL, 0, 0, NULL));
	wait_fd(*srv, POLLIN, 10000);
	int acc = OK(sctpio_sock_accept(*srv, NULL, 0));
	wait_fd(*cli, POLLOUT, 10000);
	OK(sctpio_sock_error(*cli));
	expect_note(*cli, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	expect_note(acc, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	return acc;
}

static void eof_with_data(void)
{
	struct m2m p;
	struct sctpio_notification n;

	printf("SCTPIO_EOF with data, one-to-many\n");
	m2m_open(&p);
	struct sctpio_sndinfo si = { .assoc_id = p.ca, .flags = SCTPIO_EOF, .ppid = 9 };
	CHECK_EQ(sctpio_send(p.cli, "last", 4, &si), 4);
	expect_data(p.srv, "last");
	expect_note(p.srv, SCTP_SHUTDOWN_EVENT, -1, &n);
	expect_note(p.srv, SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_COMP, &n);
	expect_note(p.cli, SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_COMP, &n);
	CHECK_EQ(n.assoc_id, p.ca);
	/* Once the shutdown completed, the association is gone (socket.h). */
	struct sctpio_sndinfo gone = { .assoc_id = p.ca };
	CHECK_EQ(sctpio_send(p.cli, "x", 1, &gone), -EPIPE);
	/* By address instead of id, on a new association once it is up. */
	sctp_assoc_t id2;
	OK(sctpio_sock_connect(p.cli, &p.addr, 1, &id2));
	expect_note(p.cli, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	expect_note(p.srv, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	si = (struct sctpio_sndinfo){ .to = &p.addr, .flags = SCTPIO_EOF };
	CHECK_EQ(sctpio_send(p.cli, "by address", 10, &si), 10);
	expect_data(p.srv, "by address");
	expect_note(p.srv, SCTP_SHUTDOWN_EVENT, -1, &n);
	expect_note(p.srv, SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_COMP, &n);
	expect_note(p.cli, SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_COMP, &n);
	/* No association at that address (it just ended), or one not up yet: refused, nothing sent. */
	CHECK_EQ(sctpio_send(p.cli, "nowhere", 7, &si), -EINVAL);
	m2m_close(&p);

	printf("SCTPIO_EOF with data, one-to-one\n");
	int srv, cli, acc = o2o_open(&srv, &cli);
	si = (struct sctpio_sndinfo){ .flags = SCTPIO_EOF, .ppid = 5 };
	CHECK_EQ(sctpio_send(cli, "bye", 3, &si), 3);
	expect_data(acc, "bye");
	expect_note(acc, SCTP_SHUTDOWN_EVENT, -1, &n);
	expect_eof(acc);
	expect_note(cli, SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_COMP, &n);
	CHECK_EQ(sctpio_send(cli, "x", 1, NULL), -EPIPE);
	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	/* Empty, SCTPIO_EOF alone: the shutdown, like sctpio_sock_shutdown. */
	acc = o2o_open(&srv, &cli);
	OK(sctpio_sock_close(srv));
	si = (struct sctpio_sndinfo){ .flags = SCTPIO_EOF };
	CHECK_EQ(sctpio_send(cli, NULL, 0, &si), 0);
	expect_note(acc, SCTP_SHUTDOWN_EVENT, -1, &n);
	expect_eof(acc);
	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
}

/* Fill fd's send buffer while the peer does not read, until -EAGAIN. */
static void fill(int fd, const struct sctpio_sndinfo *si)
{
	static uint8_t chunk[4096];
	long sent = 0;

	for (;;) {
		ssize_t r = sctpio_send(fd, chunk, sizeof(chunk), si);
		if (r == -EAGAIN)
			break;
		CHECK_EQ(r, sizeof(chunk));
		sent += r;
	}
	CHECK(sent > 0);
}

/* 64 KiB more than the peer's window takes, with room to spare in fd's send buffer: the part beyond
 * the window stays unsent while the peer does not read, so a shutdown stays pending. */
static void overfill_window(int fd, const struct sctpio_sndinfo *si)
{
	static uint8_t chunk[4096];

	for (int i = 0; i < 32; i++)
		CHECK_EQ(sctpio_send(fd, chunk, sizeof(chunk), si), sizeof(chunk));
}

static void small_rcvbuf(int fd)
{
	int v = 4096;
	CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) == 0);
}

static void big_sndbuf(int fd)
{
	int v = 1 << 20;
	CHECK(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) == 0);
}

static void send_after_shutdown(void)
{
	struct sctpio_notification n;

	printf("a send after one's own shutdown\n");
	/* One-to-many, room in the send buffer: -ESHUTDOWN. */
	struct m2m p;
	p.srv = test_server(SCTPIO_ONE_TO_MANY, &p.addr);
	small_rcvbuf(p.srv);
	p.cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	big_sndbuf(p.cli);
	OK(sctpio_sock_connect(p.cli, &p.addr, 1, &p.ca));
	expect_note(p.cli, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	struct sctpio_sndinfo si = { .assoc_id = p.ca };
	overfill_window(p.cli, &si);
	OK(sctpio_sock_shutdown(p.cli, p.ca));
	CHECK_EQ(sctpio_send(p.cli, "x", 1, &si), -ESHUTDOWN);
	m2m_close(&p);

	/* One-to-many, send buffer full: the non-blocking socket says -EAGAIN first. */
	m2m_open(&p);
	si.assoc_id = p.ca;
	fill(p.cli, &si);
	OK(sctpio_sock_shutdown(p.cli, p.ca));
	CHECK_EQ(sctpio_send(p.cli, "x", 1, &si), -EAGAIN);
	m2m_close(&p);

	/* One-to-one, room in the send buffer: -ESHUTDOWN. */
	sctpio_addr a;
	int srv = test_server(SCTPIO_ONE_TO_ONE, &a);
	small_rcvbuf(srv);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	big_sndbuf(cli);
	int rc = sctpio_sock_connect(cli, &a, 1, NULL);
	CHECK(rc == 0 || rc == -EINPROGRESS);
	wait_fd(cli, POLLOUT, 10000);
	OK(sctpio_sock_error(cli));
	overfill_window(cli, NULL);
	OK(sctpio_sock_shutdown(cli, 0));
	CHECK_EQ(sctpio_send(cli, "x", 1, NULL), -ESHUTDOWN);
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
}

static void sendall(void)
{
	struct sctpio_notification n;

	printf("SCTPIO_SENDALL\n");
	/* One-to-many: two clients, one message to both. */
	struct m2m p;
	m2m_open(&p);
	int cli2 = OK(sctpio_sock_client(SCTPIO_ONE_TO_MANY, &p.addr, 1, NULL, 0, 0, NULL));
	expect_note(cli2, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	expect_note(p.srv, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	struct sctpio_sndinfo si = { .flags = SCTPIO_SENDALL };
	CHECK_EQ(sctpio_send(p.srv, "all", 3, &si), 3);
	expect_data(p.cli, "all");
	expect_data(cli2, "all");
	/* With SCTPIO_EOF and data: the message to every association, then every one shuts down. */
	si.flags = SCTPIO_SENDALL | SCTPIO_EOF;
	CHECK_EQ(sctpio_send(p.srv, "bye all", 7, &si), 7);
	expect_data(p.cli, "bye all");
	expect_note(p.cli, SCTP_SHUTDOWN_EVENT, -1, &n);
	expect_data(cli2, "bye all");
	expect_note(cli2, SCTP_SHUTDOWN_EVENT, -1, &n);
	OK(sctpio_sock_close(cli2));
	m2m_close(&p);

	/* One-to-one: refused, and nothing went (the next message is the first to arrive). */
	int srv, cli, acc = o2o_open(&srv, &cli);
	CHECK_EQ(sctpio_send(cli, "all", 3, &si), -EINVAL);
	struct iovec iov = { .iov_base = "all", .iov_len = 3 };
	CHECK_EQ(sctpio_sendv(cli, &iov, 1, &si), -EINVAL);
	struct sctpio_sndinfo ab = { .flags = SCTPIO_ABORT };
	CHECK_EQ(sctpio_send(cli, "why", 3, &ab), -EOPNOTSUPP);
	CHECK_EQ(sctpio_send(cli, "one", 3, NULL), 3);
	expect_data(acc, "one");
	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
}

static void abort_reason(void)
{
	static uint8_t reason[SCTPIO_ABORT_REASON_MAX + 1];
	struct sctpio_notification n;
	const void *got;
	size_t glen;

	printf("abort reasons up to SCTPIO_ABORT_REASON_MAX (%d) bytes\n", SCTPIO_ABORT_REASON_MAX);
	for (size_t i = 0; i < sizeof(reason); i++)
		reason[i] = (uint8_t)(i * 13 + 1);
	struct m2m p;
	m2m_open(&p);
	CHECK_EQ(sctpio_sock_abort(p.cli, p.ca, reason, SCTPIO_ABORT_REASON_MAX + 1), -EMSGSIZE);
	CHECK_EQ(sctpio_sock_abort(p.cli, p.ca, reason, 65536), -EMSGSIZE);
	struct sctpio_sndinfo si = { .assoc_id = p.ca, .flags = SCTPIO_ABORT };
	CHECK_EQ(sctpio_send(p.cli, reason, SCTPIO_ABORT_REASON_MAX + 1, &si), -EMSGSIZE);
	/* Nothing was sent: the association still carries data. */
	si.flags = 0;
	CHECK_EQ(sctpio_send(p.cli, "alive", 5, &si), 5);
	expect_data(p.srv, "alive");
	OK(sctpio_sock_abort(p.cli, p.ca, reason, SCTPIO_ABORT_REASON_MAX));
	expect_note(p.srv, SCTP_ASSOC_CHANGE, SCTP_COMM_LOST, &n);
	CHECK_EQ(n.assoc_id, p.sa);
	CHECK_EQ(sctpio_notification_abort_reason(&n, &got, &glen), 1);
	CHECK_EQ(glen, SCTPIO_ABORT_REASON_MAX);
	CHECK(memcmp(got, reason, glen) == 0);
	m2m_close(&p);
}

static void flag_pairs(void)
{
	sctpio_addr a;
	int fd = test_server(SCTPIO_ONE_TO_MANY, &a);
	struct sctpio_sndinfo si = { .flags = SCTPIO_EOF | SCTPIO_ABORT, .assoc_id = 1 };

	CHECK_EQ(sctpio_send(fd, NULL, 0, &si), -EINVAL);
	CHECK_EQ(sctpio_send(fd, "x", 1, &si), -EINVAL);
	OK(sctpio_sock_close(fd));
}

/* The data messages on fd through b are want[0..n), in order (notifications are passed over). */
static void batch_expect(struct sctpio_batch *b, int fd, const char *const *want, size_t n)
{
	size_t k = 0, len;

	while (k < n) {
		int got = sctpio_batch_recv(b, fd, 1, 10000);
		CHECK(got >= 1);
		for (int i = 0; i < got; i++) {
			const void *d = sctpio_batch_data(b, (size_t)i, &len);
			if (sctpio_batch_info(b, (size_t)i)->flags & SCTPIO_MSG_NOTIFICATION)
				continue;
			CHECK(k < n);
			CHECK_EQ(len, strlen(want[k]));
			CHECK(memcmp(d, want[k], len) == 0);
			k++;
		}
	}
}

static void batch_flags(void)
{
	struct sctpio_batch *b, *rb;
	struct sctpio_notification n;

	printf("batches\n");
	OK(sctpio_batch_new(&b, 8, 64));
	OK(sctpio_batch_new(&rb, 8, 256));
	struct sctpio_sndinfo eof = { .flags = SCTPIO_EOF }, all = { .flags = SCTPIO_SENDALL };
	CHECK_EQ(sctpio_batch_add(b, "x", 1, &eof), -EINVAL);
	CHECK_EQ(sctpio_batch_pending(b), 0);

	/* One-to-one: "one" goes, "all" is refused at the head, dropped, then "three" goes. */
	int srv, cli, acc = o2o_open(&srv, &cli);
	CHECK_EQ(OK(sctpio_batch_add(b, "one", 3, NULL)), 0);
	CHECK_EQ(OK(sctpio_batch_add(b, "all", 3, &all)), 1);
	CHECK_EQ(OK(sctpio_batch_add(b, "three", 5, NULL)), 2);
	CHECK_EQ(sctpio_batch_send(b, cli), 1);
	CHECK_EQ(sctpio_batch_pending(b), 2);
	CHECK_EQ(sctpio_batch_send(b, cli), -EINVAL);
	CHECK_EQ(sctpio_batch_pending(b), 2);
	CHECK_EQ(sctpio_batch_drop(b), 1);
	CHECK_EQ(sctpio_batch_send(b, cli), 1);
	CHECK_EQ(sctpio_batch_pending(b), 0);
	const char *const sent[] = { "one", "three" };
	batch_expect(rb, acc, sent, 2);
	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));

	/* One-to-many: a queued SENDALL message reaches both associations. */
	struct m2m p;
	m2m_open(&p);
	int cli2 = OK(sctpio_sock_client(SCTPIO_ONE_TO_MANY, &p.addr, 1, NULL, 0, 0, NULL));
	expect_note(cli2, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	expect_note(p.srv, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	OK(sctpio_batch_add(b, "to all", 6, &all));
	CHECK_EQ(sctpio_batch_send(b, p.srv), 1);
	expect_data(p.cli, "to all");
	expect_data(cli2, "to all");
	OK(sctpio_sock_close(cli2));
	m2m_close(&p);
	sctpio_batch_free(b);
	sctpio_batch_free(rb);
}

int main(void)
{
	flag_pairs();
	eof_with_data();
	send_after_shutdown();
	sendall();
	abort_reason();
	batch_flags();
	printf("ok\n");
	return 0;
}
