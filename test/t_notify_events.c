// SPDX-License-Identifier: MIT
/*
 * Notifications from a real kernel on loopback, decoded and checked field by field: association up
 * (stream counts, adaptation layer, peer without AUTH), graceful shutdown, abort with a reason, a
 * refused association, sender dry, RFC 6525 stream reset / add streams / assoc reset, send failures
 * carrying the unsent data, partial delivery aborted, a remote ERROR chunk forged through a raw
 * socket, and a peer address confirmed by heartbeat. Every wait is for the notification itself, with
 * a poll deadline; a part the kernel cannot be made to produce prints why and is skipped.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/ip.h>
#include <time.h>

#include "test.h"

static uint8_t nbuf[1 << 18]; /* notifications borrow from here until the next receive */
static int skipped, quiet;

/* The next notification on fd within ms, decoded into *n (data messages are skipped and counted in
 * *data when not NULL). Returns 1, or 0 when the deadline passed. */
static int next_note(int fd, struct sctpio_notification *n, int ms, size_t *data)
{
	long long end = now_ms() + ms;
	char text[256];

	for (;;) {
		struct sctpio_rcvinfo ri;
		ssize_t r = sctpio_recv(fd, nbuf, sizeof(nbuf), &ri);
		if (r == -EAGAIN) {
			long long left = end - now_ms();
			if (left <= 0)
				return 0;
			struct pollfd p = { .fd = fd, .events = POLLIN };
			poll(&p, 1, (int)left);
			continue;
		}
		if (r < 0)
			FAIL("sctpio_recv: %s", strerror((int)-r));
		if (!(ri.flags & SCTPIO_MSG_NOTIFICATION)) {
			if (data)
				*data += (size_t)r;
			continue;
		}
		CHECK(!(ri.flags & SCTPIO_MSG_MORE));
		CHECK_EQ(sctpio_notification_decode(nbuf, (size_t)r, n), r);
		OK(sctpio_notification_format(n, text, sizeof(text)));
		if (!quiet)
			printf("  fd %d: %s\n", fd, text);
		return 1;
	}
}

/* Wait up to 10 s for a notification of `type` (for SCTP_ASSOC_CHANGE with state `state`, unless
 * -1), passing over others. */
static void expect(int fd, uint16_t type, int state, struct sctpio_notification *n)
{
	long long end = now_ms() + 10000, left;

	while ((left = end - now_ms()) > 0 && next_note(fd, n, (int)left, NULL))
		if (n->type == type && (state < 0 || n->u.assoc_change.state == state))
			return;
	FAIL("fd %d: no %s (state %d) within 10 s", fd, sctpio_notification_name(type), state);
}

static void sopt(int fd, int name, const void *val, socklen_t len)
{
	if (setsockopt(fd, IPPROTO_SCTP, name, val, len) < 0)
		FAIL("setsockopt(%d): %s", name, strerror(errno));
}

struct pair {
	int srv, cli;
	sctpio_addr addr;   /* the server's */
	sctp_assoc_t ca, sa; /* the association's id on the client and on the server */
};

/* A one-to-many server and client subscribed to mask; prep(fd, is_client) runs on each before the
 * association starts. Returns once both sides have seen COMM_UP, unless !wait_up. */
static void pair_start(struct pair *p, uint32_t mask, void (*prep)(int fd, int is_client), int wait_up)
{
	struct sctpio_notification n;

	p->srv = test_server(SCTPIO_ONE_TO_MANY, &p->addr);
	p->cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	OK(sctpio_sock_subscribe_mask(p->srv, SCTP_FUTURE_ASSOC, mask | SCTPIO_EV_ASSOC_CHANGE));
	OK(sctpio_sock_subscribe_mask(p->cli, SCTP_FUTURE_ASSOC, mask | SCTPIO_EV_ASSOC_CHANGE));
	if (prep) {
		prep(p->srv, 0);
		prep(p->cli, 1);
	}
	OK(sctpio_sock_connect(p->cli, &p->addr, 1, &p->ca));
	CHECK(p->ca != 0);
	if (!wait_up)
		return;
	expect(p->cli, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	CHECK_EQ(n.assoc_id, p->ca);
	expect(p->srv, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	p->sa = n.assoc_id;
}

static void pair_close(struct pair *p)
{
	OK(sctpio_sock_close(p->cli));
	OK(sctpio_sock_close(p->srv));
}

/* A part of the test that this kernel cannot run: say why (err: -errno or 0) and go on. */
static void skip_part(struct pair *p, const char *why, int err)
{
	printf("  SKIPPED: %s%s%s\n", why, err ? ": " : "", err ? strerror(-err) : "");
	skipped++;
	if (p)
		pair_close(p);
}

/* ---- association up: stream counts, adaptation, no AUTH, peer address; then graceful shutdown ---- */

static void prep_setup(int fd, int is_client)
{
	struct sctp_initmsg im = { .sinit_num_ostreams = 7, .sinit_max_instreams = 5 };
	struct sctp_setadaptation ad = { .ssb_adaptation_ind = is_client ? 0xa1b2c3d4 : 0x12345678 };

	if (is_client)
		sopt(fd, SCTP_INITMSG, &im, sizeof(im));
	sopt(fd, SCTP_ADAPTATION_LAYER, &ad, sizeof(ad));
}

static void test_setup_and_shutdown(void)
{
	struct pair p;
	struct sctpio_notification n;
	struct sctpio_rcvinfo ri;
	char buf[64];
	const uint32_t mask = SCTPIO_EV_ASSOC_CHANGE | SCTPIO_EV_SHUTDOWN | SCTPIO_EV_ADAPTATION |
			      SCTPIO_EV_AUTHENTICATION | SCTPIO_EV_PEER_ADDR_CHANGE;

	printf("setup and graceful shutdown\n");
	pair_start(&p, mask, prep_setup, 0);
	/* The kernel reports, in this order, the association, the peer's adaptation layer and that the
	 * peer does without AUTH (auth_enable is off by default). Linux reports no peer address change
	 * for a single-homed setup: see test_peer_addr. */
	for (int is_client = 1; is_client >= 0; is_client--) {
		int fd = is_client ? p.cli : p.srv;
		expect(fd, SCTP_ASSOC_CHANGE, -1, &n);
		CHECK_EQ(n.u.assoc_change.state, SCTP_COMM_UP);
		if (is_client)
			CHECK_EQ(n.assoc_id, p.ca);
		else
			p.sa = n.assoc_id;
		CHECK_EQ(n.u.assoc_change.error, 0);
		/* The client offered 7 out / at most 5 in; the server 10 out / 65535 in (defaults). */
		CHECK_EQ(n.u.assoc_change.outbound_streams, is_client ? 7 : 5);
		CHECK_EQ(n.u.assoc_change.inbound_streams, is_client ? 5 : 7);
		CHECK_EQ(n.u.assoc_change.info_len, 0);
		CHECK(n.u.assoc_change.info == NULL);
		expect(fd, SCTP_ADAPTATION_INDICATION, -1, &n);
		CHECK_EQ(n.assoc_id, is_client ? p.ca : p.sa);
		CHECK_EQ(n.u.adaptation.indication, is_client ? 0x12345678u : 0xa1b2c3d4u);
		expect(fd, SCTP_AUTHENTICATION_EVENT, -1, &n);
		CHECK_EQ(n.assoc_id, is_client ? p.ca : p.sa);
		CHECK_EQ(n.u.authentication.indication, SCTP_AUTH_NO_AUTH);
	}

	/* The server's id for the association is the one its messages arrive with. */
	struct sctpio_sndinfo si = { .stream = 6, .ppid = 9, .assoc_id = p.ca };
	send_all(p.cli, "up", 2, &si);
	CHECK_EQ(recv_data(p.srv, buf, sizeof(buf), &ri), 2);
	CHECK_EQ(ri.assoc_id, p.sa);
	CHECK_EQ(ri.stream, 6);

	/* Graceful shutdown from the client: the server hears SHUTDOWN, then both complete. */
	OK(sctpio_sock_shutdown(p.cli, p.ca));
	expect(p.srv, SCTP_SHUTDOWN_EVENT, -1, &n);
	CHECK_EQ(n.assoc_id, p.sa);
	CHECK_EQ(n.length, sizeof(struct sctp_shutdown_event));
	CHECK(next_note(p.srv, &n, 10000, NULL));
	CHECK_EQ(n.type, SCTP_ASSOC_CHANGE);
	CHECK_EQ(n.u.assoc_change.state, SCTP_SHUTDOWN_COMP);
	CHECK_EQ(n.assoc_id, p.sa);
	expect(p.cli, SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_COMP, &n);
	CHECK_EQ(n.assoc_id, p.ca);
	CHECK_EQ(n.u.assoc_change.error, 0);
	pair_close(&p);
}

/* ---- peer address change: a second server address is confirmed by heartbeat ---- */

static void test_peer_addr(void)
{
	struct sctpio_notification n;
	sctpio_addr addrs[2], peers[4];

	printf("peer address change\n");
	OK(sctpio_addr_parse(&addrs[0], "127.0.0.1", 0));
	int srv = OK(sctpio_sock_server(SCTPIO_ONE_TO_MANY, addrs, 1, 0, 0));
	CHECK_EQ(OK(sctpio_sock_local_addrs(srv, 0, addrs, 1)), 1);
	/* Everything in 127/8 is local, so a second address needs no set-up. */
	OK(sctpio_addr_parse(&addrs[1], "127.0.0.2", sctpio_addr_port(&addrs[0])));
	OK(sctpio_sock_bind_add(srv, &addrs[1], 1));
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	OK(sctpio_sock_subscribe_mask(cli, SCTP_FUTURE_ASSOC, SCTPIO_EV_ASSOC_CHANGE | SCTPIO_EV_PEER_ADDR_CHANGE));
	sctp_assoc_t ca;
	OK(sctpio_sock_connect(cli, &addrs[0], 1, &ca));
	expect(cli, SCTP_ASSOC_CHANGE, SCTP_COMM_UP, &n);
	CHECK_EQ(OK(sctpio_sock_peer_addrs(cli, ca, peers, 4)), 2);

	/* The address the INIT went to is confirmed by the handshake; the other one by a heartbeat
	 * (after about one RTO, 3 s initially), which the kernel reports as ADDR_CONFIRMED. */
	expect(cli, SCTP_PEER_ADDR_CHANGE, -1, &n);
	CHECK_EQ(n.assoc_id, ca);
	CHECK_EQ(n.u.peer_addr_change.state, SCTP_ADDR_CONFIRMED);
	CHECK_EQ(n.u.peer_addr_change.error, SCTP_HEARTBEAT_SUCCESS);
	CHECK(sctpio_addr_equal(&n.u.peer_addr_change.addr, &addrs[1]));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
}

/* ---- abort with a reason; association refused ---- */

static void test_abort_and_refused(void)
{
	struct pair p;
	struct sctpio_notification n;
	const void *reason;
	size_t rlen;

	printf("abort with a reason\n");
	pair_start(&p, 0, NULL, 1);
	OK(sctpio_sock_abort(p.cli, p.ca, "bye", 3));
	expect(p.srv, SCTP_ASSOC_CHANGE, SCTP_COMM_LOST, &n);
	CHECK_EQ(n.assoc_id, p.sa);
	CHECK_EQ(n.u.assoc_change.error, 12); /* user-initiated abort */
	CHECK_EQ(n.u.assoc_change.outbound_streams, 0);
	CHECK_EQ(n.u.assoc_change.inbound_streams, 0);
	CHECK_EQ(sctpio_notification_abort_reason(&n, &reason, &rlen), 1);
	CHECK_EQ(rlen, 3);
	CHECK(memcmp(reason, "bye", 3) == 0);
	/* The side that aborted is told too, with the same cause and no chunk. */
	expect(p.cli, SCTP_ASSOC_CHANGE, SCTP_COMM_LOST, &n);
	CHECK_EQ(n.assoc_id, p.ca);
	CHECK_EQ(n.u.assoc_change.error, 12);
	CHECK_EQ(n.u.assoc_change.info_len, 0);
	CHECK_EQ(sctpio_notification_abort_reason(&n, &reason, &rlen), 0);
	pair_close(&p);

	printf("association refused\n");
	sctpio_addr closed;
	int gone = test_server(SCTPIO_ONE_TO_MANY, &closed);
	OK(sctpio_sock_close(gone)); /* nothing listens on that port now: the INIT meets an ABORT */
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	sctp_assoc_t ca;
	OK(sctpio_sock_connect(cli, &closed, 1, &ca));
	expect(cli, SCTP_ASSOC_CHANGE, SCTP_CANT_STR_ASSOC, &n);
	CHECK_EQ(n.assoc_id, ca);
	OK(sctpio_sock_close(cli));
}

/* ---- sender dry ---- */

static void test_sender_dry(void)
{
	struct pair p;
	struct sctpio_notification n;
	char msg[1000];

	printf("sender dry\n");
	pair_start(&p, 0, NULL, 1);
	/* Subscribing with nothing queued reports dry at once. */
	OK(sctpio_sock_subscribe(p.cli, p.ca, SCTP_SENDER_DRY_EVENT, 1));
	expect(p.cli, SCTP_SENDER_DRY_EVENT, -1, &n);
	CHECK_EQ(n.assoc_id, p.ca);
	memset(msg, 'd', sizeof(msg));
	struct sctpio_sndinfo si = { .assoc_id = p.ca };
	for (int i = 0; i < 32; i++)
		send_all(p.cli, msg, sizeof(msg), &si);
	/* Dry again only once all 32 KB are acknowledged; the server need not read them. */
	expect(p.cli, SCTP_SENDER_DRY_EVENT, -1, &n);
	CHECK_EQ(n.assoc_id, p.ca);
	CHECK_EQ(n.length, sizeof(struct sctp_sender_dry_event));
	struct sctpio_rcvinfo ri;
	for (int i = 0; i < 32; i++)
		CHECK_EQ(recv_data(p.srv, msg, sizeof(msg), &ri), sizeof(msg));
	pair_close(&p);
}

/* ---- RFC 6525: stream reset, add streams, assoc reset ---- */

static void prep_reconf(int fd, int is_client)
{
	struct sctp_assoc_value av = { .assoc_id = SCTP_FUTURE_ASSOC, .assoc_value = SCTP_ENABLE_STRRESET_MASK };
	(void)is_client;
	sopt(fd, SCTP_ENABLE_STREAM_RESET, &av, sizeof(av));
}

static int write_sysctl(const char *path, const char *val, char *old, size_t oldlen)
{
	int fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	ssize_t r = old ? read(fd, old, oldlen - 1) : 0;
	if (old)
		old[r > 0 ? r : 0] = '\0';
	int rc = pwrite(fd, val, strlen(val), 0) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

static void test_reconf(void)
{
	const char *sysctl = "/proc/sys/net/sctp/reconf_enable";
	struct pair p;
	struct sctpio_notification n;
	char old[16];

	printf("stream reset, add streams, assoc reset\n");
	int rc = write_sysctl(sysctl, "1", old, sizeof(old));
	if (rc < 0) {
		skip_part(NULL, "cannot enable reconf_enable", rc);
		return;
	}
	/* The endpoint copies reconf_enable when it is created, so the sockets open after this. */
	pair_start(&p, SCTPIO_EV_STREAM_RESET | SCTPIO_EV_STREAM_CHANGE | SCTPIO_EV_ASSOC_RESET, prep_reconf, 1);

	union {
		struct sctp_reset_streams rs;
		uint8_t raw[sizeof(struct sctp_reset_streams) + 2 * sizeof(uint16_t)];
	} req = { .rs = { .srs_assoc_id = p.ca, .srs_flags = SCTP_STREAM_RESET_OUTGOING, .srs_number_streams = 2 } };
	uint16_t list[2] = { 1, 4 };
	memcpy(req.raw + sizeof(req.rs), list, sizeof(list));
	sopt(p.cli, SCTP_RESET_STREAMS, req.raw, sizeof(req.raw));
	/* The peer resets its incoming side; the requester hears so once the peer has answered. */
	for (int side = 0; side < 2; side++) {
		expect(side ? p.cli : p.srv, SCTP_STREAM_RESET_EVENT, -1, &n);
		CHECK_EQ(n.assoc_id, side ? p.ca : p.sa);
		CHECK_EQ(n.flags, side ? SCTP_STREAM_RESET_OUTGOING_SSN : SCTP_STREAM_RESET_INCOMING_SSN);
		CHECK_EQ(n.u.stream_reset.count, 2);
		CHECK_EQ(sctpio_notification_stream_at(&n, 0), 1);
		CHECK_EQ(sctpio_notification_stream_at(&n, 1), 4);
	}

	struct sctp_add_streams as = { .sas_assoc_id = p.ca, .sas_outstrms = 3 };
	sopt(p.cli, SCTP_ADD_STREAMS, &as, sizeof(as));
	expect(p.srv, SCTP_STREAM_CHANGE_EVENT, -1, &n);
	CHECK_EQ(n.assoc_id, p.sa);
	CHECK_EQ(n.flags & (SCTP_STREAM_CHANGE_DENIED | SCTP_STREAM_CHANGE_FAILED), 0);
	/* Linux reports the streams added, not the new totals. */
	CHECK_EQ(n.u.stream_change.inbound_streams, 3);
	CHECK_EQ(n.u.stream_change.outbound_streams, 0);
	expect(p.cli, SCTP_STREAM_CHANGE_EVENT, -1, &n);
	CHECK_EQ(n.assoc_id, p.ca);
	CHECK_EQ(n.flags & (SCTP_STREAM_CHANGE_DENIED | SCTP_STREAM_CHANGE_FAILED), 0);
	CHECK_EQ(n.u.stream_change.inbound_streams, 0);
	CHECK_EQ(n.u.stream_change.outbound_streams, 3);

	sopt(p.cli, SCTP_RESET_ASSOC, &p.ca, sizeof(p.ca));
	expect(p.srv, SCTP_ASSOC_RESET_EVENT, -1, &n);
	CHECK_EQ(n.assoc_id, p.sa);
	CHECK_EQ(n.flags & (SCTP_ASSOC_RESET_DENIED | SCTP_ASSOC_RESET_FAILED), 0);
	uint32_t s_local = n.u.assoc_reset.local_tsn, s_remote = n.u.assoc_reset.remote_tsn;
	expect(p.cli, SCTP_ASSOC_RESET_EVENT, -1, &n);
	CHECK_EQ(n.assoc_id, p.ca);
	CHECK_EQ(n.flags & (SCTP_ASSOC_RESET_DENIED | SCTP_ASSOC_RESET_FAILED), 0);
	/* Each side's next outgoing TSN is the other's next expected one. */
	CHECK_EQ(n.u.assoc_reset.local_tsn, s_remote);
	CHECK_EQ(n.u.assoc_reset.remote_tsn, s_local);
	pair_close(&p);
	write_sysctl(sysctl, old, NULL, 0);
}

/* ---- send failed: queued messages die with their association ---- */

static void prep_send_failed(int fd, int is_client)
{
	/* The server's window is kept tiny and never read, so most messages stay queued. */
	int small = 1024;
	if (!is_client && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) < 0)
		FAIL("SO_RCVBUF: %s", strerror(errno));
	if (is_client)
		OK(sctpio_sock_subscribe(fd, SCTP_FUTURE_ASSOC, SCTP_SEND_FAILED, 1));
}

static void fill(uint8_t *b, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(seed * 31 + i * 7);
}

static void test_send_failed(void)
{
	enum { N = 64, LEN = 1000 };
	struct pair p;
	struct sctpio_notification n;
	uint8_t msg[LEN], seen[2][N] = { { 0 } };
	int sent = 0, nev = 0, nold = 0, unsent = 0;

	printf("send failed\n");
	pair_start(&p, SCTPIO_EV_SEND_FAILED_EVENT, prep_send_failed, 1);
	for (; sent < N; sent++) {
		struct sctpio_sndinfo si = { .stream = 1, .ppid = 77, .context = (uint32_t)sent, .assoc_id = p.ca };
		fill(msg, LEN, (uint32_t)sent);
		ssize_t r = sctpio_send(p.cli, msg, LEN, &si);
		if (r == -EAGAIN)
			break;
		CHECK_EQ(OK(r), LEN);
	}
	OK(sctpio_sock_abort(p.cli, p.ca, NULL, 0));
	/* The abort queues every report before it returns, so once one is in the rest are too. */
	for (int ms = 10000; next_note(p.cli, &n, ms, NULL); ms = 0, quiet = 1) {
		if (n.type == SCTP_ASSOC_CHANGE) {
			CHECK_EQ(n.u.assoc_change.state, SCTP_COMM_LOST);
			continue;
		}
		if (n.type != SCTP_SEND_FAILED_EVENT && n.type != SCTP_SEND_FAILED)
			FAIL("unexpected %s", sctpio_notification_name(n.type));
		const struct sctpio_notification_send_failed *sf = &n.u.send_failed;
		CHECK_EQ(n.assoc_id, p.ca);
		CHECK(n.flags == SCTP_DATA_SENT || n.flags == SCTP_DATA_UNSENT);
		CHECK_EQ(sf->stream, 1);
		CHECK_EQ(sf->ppid, 77);
		CHECK_EQ(sf->error, 12); /* the association's end: user-initiated abort */
		CHECK(sf->context < (uint32_t)sent);
		/* One chunk per message (1000 bytes fit the loopback MTU): first and last fragment. */
		CHECK_EQ(sf->chunk_flags & (SCTPIO_CHUNK_FIRST_FRAG | SCTPIO_CHUNK_LAST_FRAG),
			 SCTPIO_CHUNK_FIRST_FRAG | SCTPIO_CHUNK_LAST_FRAG);
		CHECK_EQ(sf->data_len, LEN);
		fill(msg, LEN, sf->context);
		CHECK(memcmp(sf->data, msg, LEN) == 0);
		int old = n.type == SCTP_SEND_FAILED;
		CHECK(seen[old][sf->context]++ == 0); /* once per message in each form */
		nold += old;
		nev += !old;
		unsent += !old && n.flags == SCTP_DATA_UNSENT;
	}
	quiet = 0;
	printf("  %d messages sent, %d reported failed (%d unsent), %d in the old form\n", sent, nev, unsent, nold);
	CHECK(nev > 0);
	/* Whatever the peer had not acknowledged fails, and acknowledgement is cumulative: the failed
	 * messages are exactly the last ones sent, reported in both forms. */
	for (int i = 0; i < sent; i++) {
		CHECK_EQ(seen[0][i], i >= sent - nev);
		CHECK_EQ(seen[1][i], i >= sent - nev);
	}
	pair_close(&p);
}

/* ---- partial delivery aborted ---- */

static void prep_pd(int fd, int is_client)
{
	int rcv = 32768, snd = 1 << 20, point = 4096;
	if (is_client) {
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof(snd)) < 0)
			FAIL("SO_SNDBUF: %s", strerror(errno));
		return;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)) < 0)
		FAIL("SO_RCVBUF: %s", strerror(errno));
	sopt(fd, SCTP_PARTIAL_DELIVERY_POINT, &point, sizeof(point));
}

static void test_partial_delivery(void)
{
	enum { LEN = 150000 };
	struct pair p;
	struct sctpio_notification n;
	static uint8_t big[LEN];
	size_t got = 0;

	printf("partial delivery\n");
	pair_start(&p, SCTPIO_EV_PARTIAL_DELIVERY, prep_pd, 1);
	struct sctpio_sndinfo si = { .assoc_id = p.ca };
	send_all(p.cli, big, LEN, &si);
	/* The server's window is smaller than the message: once the first fragments are in, the
	 * kernel hands them up partially. POLLIN on the server says that happened. */
	struct pollfd pf = { .fd = p.srv, .events = POLLIN };
	if (poll(&pf, 1, 5000) != 1) {
		skip_part(&p, "the kernel did not start a partial delivery within 5 s", 0);
		return;
	}
	OK(sctpio_sock_abort(p.cli, p.ca, NULL, 0));
	for (;;) {
		if (!next_note(p.srv, &n, 10000, &got))
			FAIL("no notification after the abort");
		if (n.type == SCTP_PARTIAL_DELIVERY_EVENT)
			break;
		if (n.type == SCTP_ASSOC_CHANGE && n.u.assoc_change.state == SCTP_COMM_LOST) {
			skip_part(&p, "association lost with no partial delivery in progress", 0);
			return;
		}
	}
	printf("  %zu of %d bytes delivered before the abort\n", got, LEN);
	CHECK(got > 0 && got < LEN);
	CHECK_EQ(n.assoc_id, p.sa);
	CHECK_EQ(n.u.partial_delivery.indication, SCTP_PARTIAL_DELIVERY_ABORTED);
	/* The ABORT carried a user-initiated-abort cause with no reason. */
	const void *reason;
	size_t rlen;
	expect(p.srv, SCTP_ASSOC_CHANGE, SCTP_COMM_LOST, &n);
	CHECK_EQ(n.assoc_id, p.sa);
	CHECK_EQ(sctpio_notification_abort_reason(&n, &reason, &rlen), 1);
	CHECK_EQ(rlen, 0);
	pair_close(&p);
}

/* ---- remote error: an ERROR chunk forged through a raw socket ---- */

static uint32_t crc32c(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffff;
	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78 & -(c & 1));
	}
	return ~c;
}

static void test_remote_error(void)
{
	struct pair p;
	struct sctpio_notification n;
	uint8_t pkt[2048];
	sctpio_addr cli_addr;

	printf("remote error\n");
	int raw = socket(AF_INET, SOCK_RAW, IPPROTO_SCTP);
	if (raw < 0) {
		skip_part(NULL, "no raw socket to forge an ERROR chunk with", -errno);
		return;
	}
	pair_start(&p, SCTPIO_EV_REMOTE_ERROR, NULL, 1);
	CHECK_EQ(OK(sctpio_sock_local_addrs(p.cli, p.ca, &cli_addr, 1)), 1);
	uint16_t sport = htons(sctpio_addr_port(&p.addr)), dport = htons(sctpio_addr_port(&cli_addr));

	/* Learn the client's verification tag from the SACK the server sends back for a message. */
	struct sctpio_sndinfo si = { .assoc_id = p.ca };
	send_all(p.cli, "tag?", 4, &si);
	uint32_t vtag = 0;
	int found = 0;
	long long end = now_ms() + 10000;
	while (!found && now_ms() < end) {
		struct pollfd pf = { .fd = raw, .events = POLLIN };
		if (poll(&pf, 1, (int)(end - now_ms())) != 1)
			break;
		ssize_t r = recv(raw, pkt, sizeof(pkt), 0);
		if (r < 20)
			continue;
		size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
		if ((size_t)r < ihl + 12 || memcmp(pkt + ihl, &sport, 2) || memcmp(pkt + ihl + 2, &dport, 2))
			continue;
		memcpy(&vtag, pkt + ihl + 4, 4);
		found = 1;
	}
	CHECK(found);

	/* Common header, then an ERROR chunk with one Protocol Violation cause (13) of 12 bytes. */
	static const uint8_t chunk[20] = { 9, 0, 0, 20, 0, 13, 0, 16,
					   's', 'c', 't', 'p', 'i', 'o', '-', 't', 'e', 's', 't', '!' };
	memcpy(pkt, &sport, 2);
	memcpy(pkt + 2, &dport, 2);
	memcpy(pkt + 4, &vtag, 4);
	memset(pkt + 8, 0, 4);
	memcpy(pkt + 12, chunk, sizeof(chunk));
	uint32_t crc = crc32c(pkt, 32); /* stored least significant byte first (RFC 9260 appendix A) */
	for (int i = 0; i < 4; i++)
		pkt[8 + i] = (uint8_t)(crc >> (8 * i));
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	CHECK_EQ(sendto(raw, pkt, 32, 0, (struct sockaddr *)&to, sizeof(to)), 32);

	expect(p.cli, SCTP_REMOTE_ERROR, -1, &n);
	CHECK_EQ(n.assoc_id, p.ca);
	CHECK_EQ(n.u.remote_error.error, 13);
	CHECK_EQ(n.u.remote_error.data_len, 12);
	CHECK(memcmp(n.u.remote_error.data, chunk + 8, 12) == 0);
	close(raw);
	pair_close(&p);
}

int main(void)
{
	int probe = sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0);
	if (probe < 0)
		SKIP("no SCTP here: %s (run under scripts/sctp-run)", strerror(-probe));
	close(probe);
	setvbuf(stdout, NULL, _IOLBF, 0);

	test_setup_and_shutdown();
	test_abort_and_refused();
	test_sender_dry();
	test_reconf();
	test_send_failed();
	test_partial_delivery();
	test_remote_error();
	test_peer_addr();
	printf("notify events: all kinds checked, %d part(s) skipped\n", skipped);
	return 0;
}
