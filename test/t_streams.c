// SPDX-License-Identifier: MIT
/*
 * Streams: schedulers (PRIO with per-stream priorities, which must reorder queued data), RFC 6525
 * stream reconfiguration (add outbound streams, reset streams so sequence numbers restart, reset the
 * association) and RFC 6951 UDP encapsulation (port round trip in host order, and a real association
 * over UDP on loopback). The sysctls this needs (net.sctp.reconf_enable, net.sctp.udp_port) are
 * written and put back; without write access the parts that need them are skipped with a reason.
 */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>

#include "test.h"

/* Wait for a condition the kernel reaches on its own (an ack, a window), re-checking every 2 ms. */
#define WAIT_FOR(cond, ms) do { long _end = now_ms() + (ms); \
	while (!(cond)) { if (now_ms() > _end) FAIL("timed out waiting for %s", #cond); poll(NULL, 0, 2); } \
	} while (0)

static void subscribe(int fd, uint16_t type)
{
	OK(sctpio_sock_subscribe(fd, SCTP_ALL_ASSOC, type, 1));
}

/* Read a sysctl as text; write one and report whether it took. */
static int sysctl_get(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ok ? 0 : -1;
}

static int sysctl_set(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -errno;
	int ok = fputs(val, f) >= 0;
	if (fclose(f) != 0 || !ok)
		return -EIO;
	return 0;
}

/* Sysctls changed by this test, put back at exit even when a check fails (exit runs atexit handlers),
 * so the tests that run after this one in the same guest see the stock settings. */
static char saved_reconf[32], saved_udp_port[32];

static void restore_sysctls(void)
{
	if (saved_reconf[0])
		sysctl_set("/proc/sys/net/sctp/reconf_enable", saved_reconf);
	if (saved_udp_port[0])
		sysctl_set("/proc/sys/net/sctp/udp_port", saved_udp_port);
}

static void send_on(int fd, uint16_t stream, const char *text)
{
	struct sctpio_sndinfo si = { .stream = stream, .ppid = stream };
	send_all(fd, text, strlen(text), &si);
}

/* Receive the next data message and check its stream and sequence number. */
static void expect(int fd, uint16_t stream, uint16_t ssn)
{
	char buf[256];
	struct sctpio_rcvinfo ri;
	recv_data(fd, buf, sizeof(buf), &ri);
	CHECK_EQ(ri.stream, stream);
	CHECK_EQ(ri.ssn, ssn);
}

static void wait_all_acked(int fd)
{
	struct sctpio_status st;
	WAIT_FOR(sctpio_opt_get_status(fd, 0, &st) == 0 && st.unacked == 0, 5000);
}

/*
 * With the receiver's window closed, N low-priority messages wait in the sender's queue; one
 * high-priority message sent after them must overtake them under PRIO (and cannot under FCFS).
 * Returns the high-priority message's position among the N + 1 received.
 */
static int overtake_position(int sched)
{
	enum { N = 24, SIZE = 1000 };
	sctpio_addr addr;
	char buf[2048], msg[SIZE];
	struct sctpio_rcvinfo ri;
	struct sctpio_status st;
	int srv = test_server(SCTPIO_ONE_TO_ONE, &addr);
	OK(sctpio_opt_set_rcvbuf(srv, 4096)); /* inherited by the accepted association: a small window */
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	OK(sctpio_opt_set_stream_scheduler(cli, 0, sched));
	int acc = test_connect_accept(srv, cli, &addr);
	CHECK_EQ(sctpio_opt_get_stream_scheduler(cli, 0), sched);
	OK(sctpio_opt_set_stream_scheduler_value(cli, 0, 1, 10)); /* low priority */
	OK(sctpio_opt_set_stream_scheduler_value(cli, 0, 2, 1));  /* high priority */

	memset(msg, 'l', sizeof(msg));
	struct sctpio_sndinfo lo = { .stream = 1 }, hi = { .stream = 2 };
	for (int i = 0; i < N; i++)
		send_all(cli, msg, sizeof(msg), &lo);
	/* Wait until the peer's window has closed, with most messages still queued here (a zero-window
	 * probe may keep one in flight, so unacked does not reach 0). */
	WAIT_FOR(sctpio_opt_get_status(cli, 0, &st) == 0 && st.rwnd < SIZE, 5000);
	send_all(cli, "HIGH", 4, &hi);
	int pos = -1;
	for (int i = 0; i <= N; i++) {
		ssize_t n = recv_data(acc, buf, sizeof(buf), &ri);
		if (ri.stream == 2) {
			CHECK_EQ(n, 4);
			pos = i;
		}
	}
	CHECK(pos >= 0);
	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
	return pos;
}

static void test_scheduler(void)
{
	sctpio_addr addr;
	int srv = test_server(SCTPIO_ONE_TO_ONE, &addr);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));

	CHECK_EQ(sctpio_opt_get_stream_scheduler(cli, 0), SCTPIO_SCHED_FCFS);
	OK(sctpio_opt_set_stream_scheduler(cli, 0, SCTPIO_SCHED_PRIO));
	CHECK_EQ(sctpio_opt_get_stream_scheduler(cli, 0), SCTPIO_SCHED_PRIO);
	int acc = test_connect_accept(srv, cli, &addr);
	/* The endpoint's default became the association's scheduler. */
	CHECK_EQ(sctpio_opt_get_stream_scheduler(cli, 0), SCTPIO_SCHED_PRIO);
	CHECK_EQ(sctpio_opt_get_stream_scheduler(acc, 0), SCTPIO_SCHED_FCFS);
	for (uint16_t s = 0; s < 5; s++)
		OK(sctpio_opt_set_stream_scheduler_value(cli, 0, s, (uint16_t)(100 - s * 7)));
	for (uint16_t s = 0; s < 5; s++)
		CHECK_EQ(sctpio_opt_get_stream_scheduler_value(cli, 0, s), 100 - s * 7);
	struct sctpio_status st;
	OK(sctpio_opt_get_status(cli, 0, &st));
	CHECK_EQ(sctpio_opt_set_stream_scheduler_value(cli, 0, st.out_streams, 1), -EINVAL);

	OK(sctpio_opt_set_stream_scheduler(cli, 0, SCTPIO_SCHED_RR));
	CHECK_EQ(sctpio_opt_get_stream_scheduler(cli, 0), SCTPIO_SCHED_RR);
	/* FC and WFQ came with Linux 6.2: older kernels refuse them, newer ones take them. */
	int rc = sctpio_opt_set_stream_scheduler(cli, 0, SCTPIO_SCHED_WFQ);
	CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0)
		CHECK_EQ(sctpio_opt_get_stream_scheduler(cli, 0), SCTPIO_SCHED_WFQ);
	else
		CHECK_EQ(sctpio_opt_get_stream_scheduler(cli, 0), SCTPIO_SCHED_RR);
	printf("scheduler: WFQ %s by this kernel\n", rc == 0 ? "accepted" : "refused");
	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));

	int fcfs = overtake_position(SCTPIO_SCHED_FCFS), prio = overtake_position(SCTPIO_SCHED_PRIO);
	printf("scheduler: high-priority message received at position %d under FCFS, %d under PRIO\n", fcfs, prio);
	CHECK_EQ(fcfs, 24);
	CHECK(prio < fcfs);
}

static void test_reconfig(void)
{
	const char *knob = "/proc/sys/net/sctp/reconf_enable";
	sctpio_addr addr;
	union sctp_notification sn;
	struct sctpio_status st, sst;

	if (sysctl_get(knob, saved_reconf, sizeof(saved_reconf)) < 0)
		SKIP("reconfig: cannot read %s (%s)", knob, strerror(errno));
	int w = sysctl_set(knob, "1");
	if (w < 0) {
		saved_reconf[0] = '\0';
		SKIP("reconfig: cannot write 1 to %s (%s)", knob, strerror(-w));
	}
	const unsigned all = SCTPIO_ENABLE_RESET_STREAMS | SCTPIO_ENABLE_RESET_ASSOC | SCTPIO_ENABLE_CHANGE_ASSOC;
	int srv = test_server(SCTPIO_ONE_TO_ONE, &addr);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	CHECK_EQ(sctpio_opt_get_reconfig_supported(cli, 0), 1);
	OK(sctpio_opt_set_reconfig_supported(cli, 0, 0));
	CHECK_EQ(sctpio_opt_get_reconfig_supported(cli, 0), 0);
	OK(sctpio_opt_set_reconfig_supported(cli, 0, 1));
	CHECK_EQ(sctpio_opt_get_enable_stream_reset(cli, 0), 0);
	OK(sctpio_opt_set_enable_stream_reset(cli, 0, all));
	CHECK_EQ(sctpio_opt_get_enable_stream_reset(cli, 0), (int)all);
	OK(sctpio_opt_set_enable_stream_reset(srv, 0, all));
	int acc = test_connect_accept(srv, cli, &addr);
	CHECK_EQ(sctpio_opt_get_reconfig_supported(cli, 0), 1); /* the peer offered it */
	CHECK_EQ(sctpio_opt_get_enable_stream_reset(acc, 0), (int)all);
	subscribe(cli, SCTP_STREAM_RESET_EVENT);
	subscribe(cli, SCTP_STREAM_CHANGE_EVENT);
	subscribe(cli, SCTP_ASSOC_RESET_EVENT);

	/* Add 5 outbound streams: both sides see the new count, and the last new stream carries data. */
	OK(sctpio_opt_get_status(cli, 0, &st));
	uint16_t out0 = st.out_streams;
	OK(sctpio_stream_add(cli, 0, 0, 5));
	wait_notification(cli, SCTP_STREAM_CHANGE_EVENT, &sn);
	CHECK_EQ(sn.sn_strchange_event.strchange_flags & (SCTP_STREAM_CHANGE_DENIED | SCTP_STREAM_CHANGE_FAILED), 0);
	/* RFC 6525 6.1.3 describes the new totals; Linux (6.1) reports the number added. Accept either. */
	uint16_t reported = sn.sn_strchange_event.strchange_outstrms;
	CHECK(reported == 5 || reported == out0 + 5);
	OK(sctpio_opt_get_status(cli, 0, &st));
	CHECK_EQ(st.out_streams, out0 + 5);
	OK(sctpio_opt_get_status(acc, 0, &sst));
	CHECK_EQ(sst.in_streams, out0 + 5);
	send_on(cli, (uint16_t)(out0 + 4), "new stream");
	expect(acc, (uint16_t)(out0 + 4), 0);

	/* Reset outgoing stream 1: its sequence numbers restart at 0; stream 2's go on. */
	send_on(cli, 1, "a");
	send_on(cli, 1, "b");
	send_on(cli, 1, "c");
	send_on(cli, 2, "x");
	expect(acc, 1, 0);
	expect(acc, 1, 1);
	expect(acc, 1, 2);
	expect(acc, 2, 0);
	wait_all_acked(cli); /* the kernel refuses (EAGAIN) to reset a stream with data in flight */
	const uint16_t one[] = { 1 };
	OK(sctpio_stream_reset(cli, 0, SCTPIO_STREAM_RESET_OUT, one, 1));
	wait_notification(cli, SCTP_STREAM_RESET_EVENT, &sn);
	CHECK(sn.sn_strreset_event.strreset_flags & SCTP_STREAM_RESET_OUTGOING_SSN);
	CHECK_EQ(sn.sn_strreset_event.strreset_flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED), 0);
	send_on(cli, 1, "after reset");
	send_on(cli, 2, "y");
	expect(acc, 1, 0);
	expect(acc, 2, 1);

	/* Ask the peer to reset its outgoing streams (all of them): its stream 3 restarts too. */
	send_on(acc, 3, "p");
	send_on(acc, 3, "q");
	expect(cli, 3, 0);
	expect(cli, 3, 1);
	wait_all_acked(acc);
	OK(sctpio_stream_reset(cli, 0, SCTPIO_STREAM_RESET_IN, NULL, 0));
	wait_notification(cli, SCTP_STREAM_RESET_EVENT, &sn);
	CHECK(sn.sn_strreset_event.strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN);
	CHECK_EQ(sn.sn_strreset_event.strreset_flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED), 0);
	send_on(acc, 3, "r");
	expect(cli, 3, 0);

	/* Reset the whole association: every stream, stream 2 included, starts again at 0. */
	wait_all_acked(cli);
	wait_all_acked(acc);
	OK(sctpio_assoc_reset(cli, 0));
	wait_notification(cli, SCTP_ASSOC_RESET_EVENT, &sn);
	CHECK_EQ(sn.sn_assocreset_event.assocreset_flags & (SCTP_ASSOC_RESET_DENIED | SCTP_ASSOC_RESET_FAILED), 0);
	send_on(cli, 2, "z");
	expect(acc, 2, 0);

	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
	printf("reconfig: add 5 streams (%u -> %u, event said %u), stream reset in/out, association reset ok\n", out0,
	       out0 + 5, reported);
}

/* UDP datagrams received so far, from the "Udp:" lines of /proc/net/snmp. */
static long udp_in_datagrams(void)
{
	char hdr[1024], val[1024];
	FILE *f = fopen("/proc/net/snmp", "r");
	long v = -1;
	if (!f)
		return -1;
	while (fgets(hdr, sizeof(hdr), f) && fgets(val, sizeof(val), f)) {
		if (strncmp(hdr, "Udp:", 4) == 0 && strncmp(val, "Udp:", 4) == 0) {
			sscanf(val, "Udp: %ld", &v);
			break;
		}
	}
	fclose(f);
	return v;
}

static void test_udp_encaps(void)
{
	const char *knob = "/proc/sys/net/sctp/udp_port";
	const uint16_t port = 9899;
	char buf[64];
	sctpio_addr addr;
	struct sctpio_rcvinfo ri;

	/* Round trip without the sysctl: the option is stored whether or not UDP is in use. The kernel
	 * keeps it in network order; sctpio shows host order. */
	int fd = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0));
	CHECK_EQ(sctpio_opt_get_udp_encaps_port(fd, 0, NULL), 0);
	OK(sctpio_opt_set_udp_encaps_port(fd, 0, NULL, 4321));
	CHECK_EQ(sctpio_opt_get_udp_encaps_port(fd, 0, NULL), 4321);
	struct sctp_udpencaps raw = { .sue_assoc_id = 0 };
	OK(sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &raw, sizeof(raw)));
	CHECK_EQ(raw.sue_port, htons(4321));
	OK(sctpio_sock_close(fd));

	if (sysctl_get(knob, saved_udp_port, sizeof(saved_udp_port)) < 0) {
		printf("skip udp data path: cannot read %s (%s)\n", knob, strerror(errno));
		return;
	}
	int w = sysctl_set(knob, "9899");
	if (w < 0) {
		saved_udp_port[0] = '\0';
		printf("skip udp data path: cannot write %u to %s (%s)\n", port, knob, strerror(-w));
		return;
	}
	/* Sockets take net.sctp.udp_port when created, so both ends are opened after setting it; only the
	 * client is told the peer's UDP port, the server learns it from the INIT that arrives over UDP. */
	int srv = test_server(SCTPIO_ONE_TO_ONE, &addr);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	OK(sctpio_opt_set_udp_encaps_port(cli, 0, NULL, port));
	long before = udp_in_datagrams();
	int acc = test_connect_accept(srv, cli, &addr);
	struct sctpio_sndinfo si = { .stream = 1, .ppid = 6951 };
	send_all(cli, "over udp", 8, &si);
	CHECK_EQ(recv_data(acc, buf, sizeof(buf), &ri), 8);
	CHECK(memcmp(buf, "over udp", 8) == 0);
	CHECK_EQ(ri.ppid, 6951);
	send_all(acc, "back", 4, &si);
	CHECK_EQ(recv_data(cli, buf, sizeof(buf), &ri), 4);
	long after = udp_in_datagrams();
	/* INIT, INIT-ACK, COOKIE-ECHO, COOKIE-ACK and the two DATA chunks at least, all as UDP. */
	printf("udp encaps: %ld UDP datagrams received during the association\n", after - before);
	CHECK(before >= 0 && after - before >= 6);
	CHECK_EQ(sctpio_opt_get_udp_encaps_port(cli, 0, NULL), port);
	CHECK_EQ(sctpio_opt_get_udp_encaps_port(cli, 0, &addr), port);
	sctpio_addr peer;
	CHECK_EQ(OK(sctpio_sock_peer_addrs(acc, 0, &peer, 1)), 1);
	CHECK_EQ(sctpio_opt_get_udp_encaps_port(acc, 0, &peer), port);
	OK(sctpio_sock_close(acc));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(srv));
	sysctl_set(knob, saved_udp_port);
}

int main(void)
{
	atexit(restore_sysctls);
	test_scheduler();
	test_udp_encaps();
	test_reconfig(); /* last: exits 77 when the kernel's reconf_enable cannot be turned on */
	printf("streams: ok\n");
	return 0;
}
