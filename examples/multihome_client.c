// SPDX-License-Identifier: MIT
/*
 * multihome_client - a one-to-one client connected to a server at several addresses at once (if one
 * path fails, SCTP goes on over another). It sends COUNT messages spread over its streams, reads each
 * echo back, checks stream, PPID and contents, then shuts down gracefully and reads to the end.
 *
 *   multihome_client ADDRS PORT COUNT
 *
 * Exit 0 when every echo came back intact. Build: cc multihome_client.c $(pkg-config --cflags --libs sctpio)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sctpio.h>

#define MAX_ADDRS 8
#define PPID_EXAMPLE 46 /* any number: the PPID names the protocol above SCTP (46 is Diameter) */

static int die(const char *what, int err)
{
	fprintf(stderr, "multihome_client: %s: %s\n", what, strerror(-err));
	return 1;
}

/* Wait for fd (POLLIN or POLLOUT) up to 10 s. */
static int wait_for(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int rc = poll(&p, 1, 10000);
	return rc > 0 ? 0 : rc == 0 ? -ETIMEDOUT : -errno;
}

/* Read one data message (skipping notifications) into buf; returns its length or -errno. */
static ssize_t read_message(int fd, char *buf, size_t cap, struct sctpio_rcvinfo *ri)
{
	size_t len = 0;
	for (;;) {
		int rc = sctpio_recv_append(fd, buf, cap, &len, ri);
		if (rc == -EAGAIN) {
			if ((rc = wait_for(fd, POLLIN)) < 0)
				return rc;
			continue;
		}
		if (rc < 0)
			return rc;
		if (rc == 1 && len == 0 && !(ri->flags & SCTPIO_MSG_NOTIFICATION))
			return 0; /* the peer shut down */
		if (rc == 1 && !(ri->flags & SCTPIO_MSG_NOTIFICATION))
			return (ssize_t)len;
		if (rc == 1) {
			/* A notification. After our own shutdown the end is the SHUTDOWN_COMP association
			 * change: nothing more arrives, and poll reports nothing either. */
			struct sctpio_notification nt;
			if (sctpio_notification_decode(buf, len, &nt) > 0 && nt.type == SCTP_ASSOC_CHANGE &&
			    (nt.u.assoc_change.state == SCTP_SHUTDOWN_COMP || nt.u.assoc_change.state == SCTP_COMM_LOST))
				return 0;
			len = 0;
		}
	}
}

int main(int argc, char **argv)
{
	sctpio_addr peers[MAX_ADDRS];
	char msg[128], buf[4096];
	struct sctpio_rcvinfo ri;

	if (argc < 4) {
		fprintf(stderr, "usage: multihome_client ADDRS PORT COUNT\n");
		return 2;
	}
	long count = atol(argv[3]);
	int n = sctpio_addr_parse_list(peers, MAX_ADDRS, argv[1], (uint16_t)atoi(argv[2]));
	if (n < 0)
		return die(argv[1], n);
	int fd = sctpio_sock_client(SCTPIO_ONE_TO_ONE, peers, (size_t)n, NULL, 0, 0, NULL);
	if (fd < 0)
		return die("connect", fd);
	/* Non-blocking: the association is set up once the socket is writable without an error. */
	int rc = wait_for(fd, POLLOUT);
	if (rc == 0)
		rc = sctpio_sock_error(fd);
	if (rc < 0)
		return die("connect", rc);
	struct sctpio_status st;
	if ((rc = sctpio_opt_get_status(fd, 0, &st)) < 0)
		return die("status", rc);
	int npaths = sctpio_sock_peer_addrs(fd, 0, NULL, 0);
	printf("connected: %u outbound streams, %d peer addresses\n", st.out_streams, npaths);

	for (long i = 0; i < count; i++) {
		struct sctpio_sndinfo si = { .stream = (uint16_t)(i % st.out_streams), .ppid = PPID_EXAMPLE };
		int mlen = snprintf(msg, sizeof msg, "message %ld", i);
		ssize_t sent;
		while ((sent = sctpio_send(fd, msg, (size_t)mlen, &si)) == -EAGAIN)
			if ((rc = wait_for(fd, POLLOUT)) < 0)
				return die("send", rc);
		if (sent < 0)
			return die("send", (int)sent);
		ssize_t got = read_message(fd, buf, sizeof buf, &ri);
		if (got < 0)
			return die("receive", (int)got);
		if (got != mlen || memcmp(buf, msg, (size_t)mlen) != 0 || ri.stream != si.stream || ri.ppid != PPID_EXAMPLE) {
			fprintf(stderr, "multihome_client: echo %ld wrong: %zd bytes on stream %u, PPID %u\n", i, got,
				ri.stream, ri.ppid);
			return 1;
		}
	}
	/* Graceful end: our side first, then read until the peer's end of stream. */
	if ((rc = sctpio_sock_shutdown(fd, 0)) < 0)
		return die("shutdown", rc);
	ssize_t last = read_message(fd, buf, sizeof buf, &ri);
	if (last < 0 && last != -ENOTCONN && last != -ECONNRESET)
		return die("read to the end", (int)last);
	printf("%ld messages echoed intact\n", count);
	sctpio_sock_close(fd);
	return 0;
}
