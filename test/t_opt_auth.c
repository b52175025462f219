// SPDX-License-Identifier: MIT
/*
 * SCTP-AUTH (RFC 4895), in a network namespace of the test's own (the sysctls are per namespace, so
 * nothing outside changes; the test still restores the value it set). With net.sctp.auth_enable = 1:
 * the HMAC list and the chunk list round-trip and refuse what RFC 4895 forbids; an association whose
 * two ends share key 1 and demand authenticated DATA carries messages, also after both move to key 2
 * (the old key is deactivated, reported free, and deleted); an association whose client holds a
 * different key 1 comes up but its DATA never arrives - the client retransmits it, unacknowledged.
 * With the sysctl back at 0: every AUTH call gives -EACCES until SCTP_AUTH_SUPPORTED turns AUTH on for
 * one socket, and then an association authenticates DATA as before.
 */
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "test.h"

#define AUTH_ENABLE "/proc/sys/net/sctp/auth_enable"

/* Key 1 = key, active, DATA demanded authenticated: what each end of the test does. */
static void auth_setup(int fd, const char *key)
{
	OK(sctpio_opt_set_auth_chunk(fd, 0 /* DATA */));
	OK(sctpio_opt_set_auth_key(fd, 0, 1, key, strlen(key)));
	OK(sctpio_opt_set_auth_active_key(fd, 0, 1));
}

static void roundtrip(int from, int to, const char *msg)
{
	char buf[256];
	struct sctpio_rcvinfo ri;
	send_all(from, msg, strlen(msg), NULL);
	CHECK_EQ(recv_data(to, buf, sizeof(buf), &ri), (long long)strlen(msg));
	CHECK(memcmp(buf, msg, strlen(msg)) == 0);
}

static int has_chunk(const uint8_t *list, int n, uint8_t type)
{
	for (int i = 0; i < n; i++)
		if (list[i] == type)
			return 1;
	return 0;
}

/* Wait for an SCTP_AUTHENTICATION_EVENT of indication ind for key keyid on fd. */
static void wait_auth_event(int fd, uint32_t ind, uint16_t keyid)
{
	char buf[512];
	struct sctpio_rcvinfo ri;
	double end = now_ms() + 10000;
	while (now_ms() < end) {
		wait_fd(fd, POLLIN, 10000);
		ssize_t n = sctpio_recv(fd, buf, sizeof(buf), &ri);
		if (n == -EAGAIN)
			continue;
		OK(n);
		CHECK(ri.flags & SCTPIO_MSG_NOTIFICATION);
		const union sctp_notification *sn = (const void *)buf;
		if (sn->sn_header.sn_type == SCTP_AUTHENTICATION_EVENT && sn->sn_authkey_event.auth_indication == ind) {
			CHECK_EQ(sn->sn_authkey_event.auth_keynumber, keyid);
			return;
		}
	}
	FAIL("no authentication event %u for key %u", ind, keyid);
}

static void test_with_sysctl(void)
{
	sctpio_addr addr;
	uint16_t ids[8];
	uint8_t chunks[64];
	int lst = test_server(SCTPIO_ONE_TO_ONE, &addr);

	CHECK_EQ(sctpio_opt_get_auth_supported(lst, 0), 1);
	CHECK_EQ(sctpio_opt_get_hmac_ident(lst, ids, 8), 1);
	CHECK_EQ(ids[0], SCTP_AUTH_HMAC_ID_SHA1);
	uint16_t want[] = { SCTP_AUTH_HMAC_ID_SHA256, SCTP_AUTH_HMAC_ID_SHA1 };
	OK(sctpio_opt_set_hmac_ident(lst, want, 2));
	CHECK_EQ(sctpio_opt_get_hmac_ident(lst, ids, 8), 2);
	CHECK_EQ(ids[0], SCTP_AUTH_HMAC_ID_SHA256);
	CHECK_EQ(ids[1], SCTP_AUTH_HMAC_ID_SHA1);
	CHECK_EQ(sctpio_opt_get_hmac_ident(lst, ids, 1), 2); /* the count, one written */
	uint16_t sha256_only = SCTP_AUTH_HMAC_ID_SHA256, unknown[] = { 2, SCTP_AUTH_HMAC_ID_SHA1 };
	CHECK_EQ(sctpio_opt_set_hmac_ident(lst, &sha256_only, 1), -EINVAL); /* SHA-1 is mandatory */
	CHECK_EQ(sctpio_opt_set_hmac_ident(lst, unknown, 2), -EOPNOTSUPP);
	CHECK_EQ(sctpio_opt_set_hmac_ident(lst, want, 0), -EINVAL);

	/* Chunk types RFC 4895 forbids: INIT, INIT-ACK, SHUTDOWN-COMPLETE, AUTH. */
	const uint8_t forbidden[] = { 1, 2, 14, 15 };
	for (size_t i = 0; i < sizeof(forbidden); i++)
		CHECK_EQ(sctpio_opt_set_auth_chunk(lst, forbidden[i]), -EINVAL);
	CHECK_EQ(sctpio_opt_get_local_auth_chunks(lst, 0, chunks, sizeof(chunks)), 0);
	CHECK_EQ(sctpio_opt_get_auth_active_key(lst, 0), 0); /* the empty key 0 */
	auth_setup(lst, "shared secret");
	CHECK_EQ(sctpio_opt_get_local_auth_chunks(lst, 0, chunks, sizeof(chunks)), 1);
	CHECK_EQ(chunks[0], 0);
	CHECK_EQ(sctpio_opt_get_auth_active_key(lst, 0), 1);
	CHECK_EQ(sctpio_opt_get_peer_auth_chunks(lst, 0, chunks, sizeof(chunks)), -EINVAL); /* no peer yet */

	/* Shared key: messages flow both ways. */
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	auth_setup(cli, "shared secret");
	OK(sctpio_sock_subscribe(cli, 0, SCTP_AUTHENTICATION_EVENT, 1));
	int srv = test_connect_accept(lst, cli, &addr);
	CHECK_EQ(sctpio_opt_get_auth_supported(cli, 0), 1);
	int n = OK(sctpio_opt_get_peer_auth_chunks(cli, 0, chunks, sizeof(chunks)));
	CHECK(has_chunk(chunks, n, 0));
	CHECK_EQ(sctpio_opt_get_auth_active_key(srv, 0), 1); /* the endpoint's keys were copied */
	roundtrip(cli, srv, "authenticated hello");
	roundtrip(srv, cli, "authenticated reply");

	/* Rotate to key 2 on the live association; retire key 1 on the client. */
	OK(sctpio_opt_set_auth_key(cli, 0, 2, "next secret", 11));
	OK(sctpio_opt_set_auth_key(srv, 0, 2, "next secret", 11));
	OK(sctpio_opt_set_auth_active_key(cli, 0, 2));
	CHECK_EQ(sctpio_opt_get_auth_active_key(cli, 0), 2);
	roundtrip(cli, srv, "under key 2");
	CHECK_EQ(sctpio_opt_set_auth_deactivate_key(cli, 0, 2), -EINVAL); /* the active one */
	OK(sctpio_opt_set_auth_deactivate_key(cli, 0, 1));
	wait_auth_event(cli, SCTP_AUTH_FREE_KEY, 1);
	OK(sctpio_opt_set_auth_delete_key(cli, 0, 1));
	CHECK_EQ(sctpio_opt_set_auth_delete_key(cli, 0, 1), -EINVAL); /* gone */
	CHECK_EQ(sctpio_opt_set_auth_delete_key(cli, 0, 2), -EINVAL); /* active */
	CHECK_EQ(sctpio_opt_set_auth_active_key(cli, 0, 9), -EINVAL); /* no such key */
	CHECK_EQ(sctpio_opt_set_auth_deactivate_key(cli, 0, 9), -EINVAL);
	roundtrip(cli, srv, "still under key 2");
	CHECK_EQ(sctpio_opt_set_auth_key(cli, 0, 3, NULL, 1), -EINVAL);
	OK(sctpio_sock_close(srv));
	OK(sctpio_sock_close(cli));

	/* Mismatched key: the association comes up, the DATA never arrives. */
	cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));
	auth_setup(cli, "a different secret");
	struct sctp_rtoinfo rto = { .srto_initial = 100, .srto_min = 100, .srto_max = 200 };
	OK(sctpio_opt_set_rtoinfo(cli, 0, &rto));
	srv = test_connect_accept(lst, cli, &addr);
	send_all(cli, "forged?", 7, NULL);
	struct sctpio_assoc_stats st;
	double end = now_ms() + 10000;
	do {
		OK(sctpio_opt_get_assoc_stats(cli, 0, &st));
		if (st.rtx_chunks >= 2)
			break;
		poll(NULL, 0, 20);
	} while (now_ms() < end);
	CHECK(st.rtx_chunks >= 2);
	struct sctpio_status ss;
	OK(sctpio_opt_get_status(cli, 0, &ss));
	CHECK_EQ(ss.unacked, 1);
	char buf[64];
	struct sctpio_rcvinfo ri;
	ssize_t r;
	while ((r = sctpio_recv(srv, buf, sizeof(buf), &ri)) >= 0)
		CHECK(ri.flags & SCTPIO_MSG_NOTIFICATION);
	CHECK_EQ(r, -EAGAIN);
	struct sctpio_assoc_stats sst;
	OK(sctpio_opt_get_assoc_stats(srv, 0, &sst));
	CHECK_EQ(sst.ordered_in, 0);
	printf("auth: shared key delivered; mismatched key: %llu retransmissions, 0 delivered\n",
	       (unsigned long long)st.rtx_chunks);
	OK(sctpio_sock_close(srv));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(lst));
}

static void test_with_option(void)
{
	sctpio_addr addr;
	uint8_t chunks[64];
	uint16_t ids[4];
	int lst = test_server(SCTPIO_ONE_TO_ONE, &addr);
	int cli = OK(sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_ONE, 0));

	CHECK_EQ(sctpio_opt_get_auth_supported(lst, 0), 0);
	CHECK_EQ(sctpio_opt_set_auth_key(lst, 0, 1, "k", 1), -EACCES);
	CHECK_EQ(sctpio_opt_get_hmac_ident(lst, ids, 4), -EACCES);
	CHECK_EQ(sctpio_opt_get_auth_active_key(lst, 0), -EACCES);
	CHECK_EQ(sctpio_opt_set_auth_chunk(lst, 0), -EACCES);
	OK(sctpio_opt_set_auth_supported(lst, 0, 1));
	OK(sctpio_opt_set_auth_supported(cli, 0, 1));
	CHECK_EQ(sctpio_opt_get_auth_supported(lst, 0), 1);
	CHECK_EQ(sctpio_opt_set_auth_supported(cli, 0, 2), -EINVAL);
	auth_setup(lst, "by option");
	auth_setup(cli, "by option");
	int srv = test_connect_accept(lst, cli, &addr);
	CHECK_EQ(sctpio_opt_get_auth_supported(cli, 0), 1);
	int n = OK(sctpio_opt_get_peer_auth_chunks(cli, 0, chunks, sizeof(chunks)));
	CHECK(has_chunk(chunks, n, 0));
	roundtrip(cli, srv, "authenticated by option");
	OK(sctpio_sock_close(srv));
	OK(sctpio_sock_close(cli));
	OK(sctpio_sock_close(lst));
}

int main(void)
{
	test_private_netns();
	int was = test_read_proc_int(AUTH_ENABLE);
	if (was < 0)
		SKIP("no %s", AUTH_ENABLE);
	test_write_proc_int(AUTH_ENABLE, 1);
	test_with_sysctl();
	test_write_proc_int(AUTH_ENABLE, 0);
	test_with_option();
	test_write_proc_int(AUTH_ENABLE, was);
	return 0;
}
