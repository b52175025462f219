// SPDX-License-Identifier: MIT
/*
 * t_peeloff - sctpio_sock_peeloff's success case, claim by claim of its comment in sctpio/socket.h.
 * A one-to-many server has two associations, from clients A and B; A's is peeled off by the id its
 * first message carried. The new descriptor is close-on-exec and non-blocking, and a one-to-one SCTP
 * socket connected to A (its peer port is A's local port; see expect_peeled for what one-to-one means
 * for Linux's peeled sockets). A's message still unread on the server when it was peeled, and A's
 * messages sent after, arrive on the new descriptor with their stream, PPID and bytes, and not on the
 * server, while B's still arrive on the server; the server lists only B's association and can no
 * longer send on A's; a reply sent on the new descriptor reaches A and not B, and its shutdown ends
 * A's association. Then B's association is peeled with SCTPIO_BLOCKING: close-on-exec but blocking,
 * it carries B's messages both ways, and an abort with id 0 ends it with a reason. Needs kernel SCTP.
 */
#include <fcntl.h>

#include "test.h"

struct client {
	int fd;
	uint16_t port;      /* the client's local port, which its association's peer port must be */
	sctp_assoc_t id;    /* the association's id on the server, from the rcvinfo of its first message */
	const char *hello;  /* its first message */
};

/* A one-to-one client connected to the server at srv_addr, and its local port. */
static void client_open(struct client *c, const sctpio_addr *srv_addr, const char *hello)
{
	sctpio_addr local[8];

	c->fd = OK(sctpio_sock_client(SCTPIO_ONE_TO_ONE, srv_addr, 1, NULL, 0, 0, NULL));
	wait_fd(c->fd, POLLOUT, 10000);
	CHECK_EQ(sctpio_sock_error(c->fd), 0);
	CHECK(OK(sctpio_sock_local_addrs(c->fd, 0, local, 8)) >= 1);
	c->port = sctpio_addr_port(&local[0]);
	CHECK(c->port != 0);
	c->id = 0;
	c->hello = hello;
}

/* The n bytes of buf are text. */
static int same_text(const char *buf, ssize_t n, const char *text)
{
	return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

/* Send text on stream with ppid to association id (0 on a one-to-one socket, which needs no id). */
static void send_msg(int fd, const char *text, uint16_t stream, uint32_t ppid, sctp_assoc_t id)
{
	struct sctpio_sndinfo si = { .stream = stream, .ppid = ppid, .assoc_id = id };
	send_all(fd, text, strlen(text), &si);
}

/* Receive the next data message on fd and check that it is text on stream with ppid, sent from port
 * from_port and, when id is not 0, of association id. */
static void expect_msg(int fd, const char *text, uint16_t stream, uint32_t ppid, uint16_t from_port,
		       sctp_assoc_t id)
{
	char buf[256];
	struct sctpio_rcvinfo ri;
	ssize_t n = recv_data(fd, buf, sizeof(buf), &ri);

	if (!same_text(buf, n, text))
		FAIL("fd %d got \"%.*s\", expected \"%s\"", fd, (int)n, buf, text);
	CHECK(ri.flags & SCTPIO_MSG_HAS_INFO);
	CHECK(!(ri.flags & SCTPIO_MSG_MORE));
	CHECK_EQ(ri.stream, stream);
	CHECK_EQ(ri.ppid, ppid);
	CHECK_EQ(sctpio_addr_port(&ri.from), from_port);
	if (id)
		CHECK_EQ(ri.assoc_id, id);
}

/* Nothing but notifications waits on the non-blocking fd: no data message went there. */
static void expect_no_data(int fd)
{
	char buf[256];
	struct sctpio_rcvinfo ri;
	ssize_t n;

	while ((n = sctpio_recv(fd, buf, sizeof(buf), &ri)) >= 0)
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION))
			FAIL("fd %d got an unexpected message \"%.*s\"", fd, (int)n, buf);
	CHECK_EQ(n, -EAGAIN);
}

/* The ids sctpio_opt_get_assoc_ids lists on fd: exactly the n in want[], in any order. */
static void expect_assoc_ids(int fd, const sctp_assoc_t *want, int n)
{
	sctp_assoc_t ids[8];
	int got = OK(sctpio_opt_get_assoc_ids(fd, ids, 8));

	CHECK_EQ(got, n);
	for (int i = 0; i < n; i++) {
		int found = 0;
		for (int j = 0; j < got; j++)
			found |= ids[j] == want[i];
		if (!found)
			FAIL("association %d is not listed on fd %d", (int)want[i], fd);
	}
}

/*
 * What the comment promises of a peeled descriptor pfd: a one-to-one SCTP socket, close-on-exec,
 * non-blocking unless blocking was asked for, carrying client c's association and no other.
 *
 * Linux creates a peeled socket as SOCK_SEQPACKET (sctp_do_peeloff), not SOCK_STREAM as an accepted
 * one is; what makes it one-to-one is its association style, which SO_TYPE does not show. So
 * sctpio_sock_style, which reads SO_TYPE, answers SCTPIO_ONE_TO_MANY for it, as the header says;
 * the one-to-one behaviour is: connected to one peer (getpeername works, as it does not on a
 * one-to-many socket), that peer is c (every peer address has c's port), the association list holds
 * c's id alone, and nothing can be peeled off it.
 */
static void expect_peeled(int pfd, int srv, const struct client *c, const sctpio_addr *srv_addr, int blocking)
{
	int type = 0, proto = 0;
	socklen_t len = sizeof(type);
	sctpio_addr name, peers[8], local[8];

	CHECK(pfd >= 0 && pfd != srv);
	CHECK_EQ(getsockopt(pfd, SOL_SOCKET, SO_PROTOCOL, &proto, &len), 0);
	CHECK_EQ(proto, IPPROTO_SCTP);
	len = sizeof(type);
	CHECK_EQ(getsockopt(pfd, SOL_SOCKET, SO_TYPE, &type, &len), 0);
	CHECK_EQ(type, SOCK_SEQPACKET);
	CHECK_EQ(sctpio_sock_style(pfd), SCTPIO_ONE_TO_MANY);

	int fdflags = fcntl(pfd, F_GETFD);
	int flflags = fcntl(pfd, F_GETFL);
	CHECK(fdflags >= 0 && flflags >= 0);
	CHECK(fdflags & FD_CLOEXEC);
	CHECK_EQ(!!(flflags & O_NONBLOCK), !blocking);

	/* getpeername: kernels before the 2022 fix to sctp_do_peeloff set the peer's address on the
	 * old socket instead; the harness's kernel (6.1) has it. */
	len = sizeof(name);
	CHECK_EQ(getpeername(pfd, &name.sa, &len), 0);
	CHECK_EQ(sctpio_addr_port(&name), c->port);
	len = sizeof(name);
	CHECK_EQ(getpeername(srv, &name.sa, &len), -1);
	CHECK_EQ(errno, ENOTCONN);
	int np = OK(sctpio_sock_peer_addrs(pfd, 0, peers, 8));
	CHECK(np >= 1);
	for (int i = 0; i < np && i < 8; i++)
		CHECK_EQ(sctpio_addr_port(&peers[i]), c->port);
	CHECK(OK(sctpio_sock_local_addrs(pfd, 0, local, 8)) >= 1);
	CHECK_EQ(sctpio_addr_port(&local[0]), sctpio_addr_port(srv_addr));
	expect_assoc_ids(pfd, &c->id, 1);
	CHECK_EQ(sctpio_sock_peeloff(pfd, c->id, 0), -EINVAL);
	/* The kernel copies the endpoint's SCTP options to the new socket, so sctpio's defaults hold
	 * there too: SCTP_NODELAY here, RECVRCVINFO in every expect_msg. */
	CHECK_EQ(OK(sctpio_opt_get_nodelay(pfd)), 1);
}

/* The next data-less event on one-to-one fd is COMM_LOST after the peer's abort with reason. */
static void expect_comm_lost(int fd, const char *reason)
{
	char buf[512];
	struct sctpio_rcvinfo ri;
	struct sctpio_notification note;

	for (;;) {
		ssize_t n = recv_next(fd, buf, sizeof(buf), &ri);
		if (n == 0)
			FAIL("fd %d: end of stream where COMM_LOST was due", fd);
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION))
			FAIL("fd %d got \"%.*s\" where COMM_LOST was due", fd, (int)n, buf);
		OK(sctpio_notification_decode(buf, (size_t)n, &note));
		if (note.type != SCTP_ASSOC_CHANGE || note.u.assoc_change.state != SCTP_COMM_LOST)
			continue;
		const void *r;
		size_t len;
		CHECK_EQ(note.u.assoc_change.error, 12); /* user-initiated abort */
		CHECK_EQ(sctpio_notification_abort_reason(&note, &r, &len), 1);
		CHECK(len == strlen(reason) && memcmp(r, reason, len) == 0);
		return;
	}
}

/* The end of stream comes next on the one-to-one fd, with no data before it (notifications may). */
static void expect_eof(int fd)
{
	char buf[256];
	struct sctpio_rcvinfo ri;

	for (;;) {
		ssize_t n = recv_next(fd, buf, sizeof(buf), &ri);
		if (n == 0)
			return;
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION))
			FAIL("fd %d got \"%.*s\" where the end of stream was due", fd, (int)n, buf);
	}
}

int main(void)
{
	sctpio_addr srv_addr;
	struct client a, b;
	char buf[256];
	struct sctpio_rcvinfo ri;

	int srv = test_server(SCTPIO_ONE_TO_MANY, &srv_addr);
	uint16_t srv_port = sctpio_addr_port(&srv_addr);
	client_open(&a, &srv_addr, "hello from A");
	client_open(&b, &srv_addr, "hello from B");
	CHECK(a.port != b.port);

	/* One message on each association; the server tells them apart by their text and sender port
	 * (they may arrive in either order) and learns each association's id from its rcvinfo. */
	send_msg(a.fd, a.hello, 1, 11, 0);
	send_msg(b.fd, b.hello, 2, 22, 0);
	for (int i = 0; i < 2; i++) {
		ssize_t n = recv_data(srv, buf, sizeof(buf), &ri);
		struct client *c = same_text(buf, n, a.hello) ? &a : same_text(buf, n, b.hello) ? &b : NULL;
		if (!c)
			FAIL("server got \"%.*s\"", (int)n, buf);
		CHECK(c->id == 0); /* not twice */
		CHECK(ri.flags & SCTPIO_MSG_HAS_INFO);
		CHECK_EQ(ri.stream, c == &a ? 1 : 2);
		CHECK_EQ(ri.ppid, c == &a ? 11 : 22);
		CHECK_EQ(sctpio_addr_port(&ri.from), c->port);
		CHECK(ri.assoc_id != 0);
		c->id = ri.assoc_id;
	}
	CHECK(a.id != b.id);
	expect_assoc_ids(srv, (sctp_assoc_t[]){ a.id, b.id }, 2);

	/* A message of A's waits unread on the server when the association is peeled off: the kernel
	 * moves it with the association, so it too is read on the new descriptor only. POLLIN on the
	 * server says it is queued there (every notification before it was read with the hellos). */
	send_msg(a.fd, "queued before the peeloff", 3, 33, 0);
	wait_fd(srv, POLLIN, 10000);

	int pa = OK(sctpio_sock_peeloff(srv, a.id, 0));
	expect_peeled(pa, srv, &a, &srv_addr, 0);
	expect_assoc_ids(srv, &b.id, 1);
	/* The id is gone from the server: no second peeloff, no send on it. */
	CHECK_EQ(sctpio_sock_peeloff(srv, a.id, 0), -EINVAL);
	CHECK(sctpio_send(srv, "lost", 4, &(struct sctpio_sndinfo){ .assoc_id = a.id }) < 0);

	/* A sends, then B. B's message is the next on the server, and A's two come on the peeled
	 * descriptor, in order, with the association's id; had A's gone to the server, it would read
	 * there in B's place or be left over for expect_no_data, and the peeled descriptor would wait
	 * in vain. */
	send_msg(a.fd, "after the peeloff", 4, 44, 0);
	send_msg(b.fd, "B stays on the server", 5, 55, 0);
	expect_msg(srv, "B stays on the server", 5, 55, b.port, b.id);
	expect_msg(pa, "queued before the peeloff", 3, 33, a.port, a.id);
	expect_msg(pa, "after the peeloff", 4, 44, a.port, a.id);
	expect_no_data(pa); /* non-blocking: -EAGAIN, not a wait */
	expect_no_data(srv);

	/* Both directions: the peeled descriptor's reply reaches A and not B; the server still sends
	 * to B by id. */
	send_msg(pa, "reply to A", 6, 66, 0);
	expect_msg(a.fd, "reply to A", 6, 66, srv_port, 0);
	send_msg(srv, "reply to B", 7, 77, b.id);
	expect_msg(b.fd, "reply to B", 7, 77, srv_port, 0);
	expect_no_data(a.fd);
	expect_no_data(b.fd);

	/* SCTPIO_BLOCKING: B's association peeled off blocking (still close-on-exec) carries B's
	 * messages both ways, and the server is left with none. */
	int pb = OK(sctpio_sock_peeloff(srv, b.id, SCTPIO_BLOCKING));
	expect_peeled(pb, srv, &b, &srv_addr, 1);
	expect_assoc_ids(srv, NULL, 0);
	send_msg(b.fd, "B peeled blocking", 8, 88, 0);
	expect_msg(pb, "B peeled blocking", 8, 88, b.port, b.id);
	send_msg(pb, "reply on pb", 9, 99, 0);
	expect_msg(b.fd, "reply on pb", 9, 99, srv_port, 0);
	expect_no_data(srv);

	/* A peeled descriptor ends its association as a one-to-one socket does: a shutdown with id 0,
	 * and the client reads end of stream. */
	OK(sctpio_sock_shutdown(pa, 0));
	expect_eof(a.fd);

	/* And sctpio_sock_abort with id 0 aborts it with a reason, which B's COMM_LOST carries. */
	OK(sctpio_sock_abort(pb, 0, "peeled away", 11));
	expect_comm_lost(b.fd, "peeled away");

	OK(sctpio_sock_close(pb));
	OK(sctpio_sock_close(pa));
	OK(sctpio_sock_close(b.fd));
	OK(sctpio_sock_close(a.fd));
	OK(sctpio_sock_close(srv));
	printf("peeloff: association %d peeled off non-blocking and %d blocking, each carrying its own "
	       "messages only\n", (int)a.id, (int)b.id);
	return 0;
}
