// SPDX-License-Identifier: MIT
/*
 * echo_server - a one-to-many SCTP echo server: every message comes back on the stream, with the
 * PPID, it arrived with; notifications are logged, never echoed.
 *
 *   echo_server ADDRS PORT [COUNT]
 *
 * ADDRS is a comma-separated list (multi-homed: "127.0.0.1,127.0.0.2"); PORT 0 lets the kernel choose
 * (the port is printed). With COUNT the server exits after echoing that many messages.
 * Build: cc echo_server.c $(pkg-config --cflags --libs sctpio)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sctpio.h>

#define MAX_ADDRS 8
#define MAX_MESSAGE (1 << 20)

static int die(const char *what, int err)
{
	fprintf(stderr, "echo_server: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(int argc, char **argv)
{
	sctpio_addr addrs[MAX_ADDRS];
	long count = argc > 3 ? atol(argv[3]) : 0, echoed = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: echo_server ADDRS PORT [COUNT]\n");
		return 2;
	}
	int n = sctpio_addr_parse_list(addrs, MAX_ADDRS, argv[1], (uint16_t)atoi(argv[2]));
	if (n < 0)
		return die(argv[1], n);
	int srv = sctpio_sock_server(SCTPIO_ONE_TO_MANY, addrs, (size_t)n, 0, 0);
	if (srv < 0)
		return die("listen", srv);
	sctpio_addr bound;
	if (sctpio_sock_local_addrs(srv, 0, &bound, 1) > 0)
		printf("listening on port %u\n", sctpio_addr_port(&bound));
	fflush(stdout);

	size_t cap = 64 * 1024, len = 0;
	char *buf = malloc(cap);
	struct sctpio_rcvinfo ri;
	while (buf && (count == 0 || echoed < count)) {
		/* The socket is non-blocking: wait for it, then read until -EAGAIN. */
		struct pollfd p = { .fd = srv, .events = POLLIN };
		if (poll(&p, 1, -1) < 0)
			break;
		for (;;) {
			int rc = sctpio_recv_append(srv, buf, cap, &len, &ri);
			if (rc == -EAGAIN)
				break;
			if (rc == -EMSGSIZE && cap < MAX_MESSAGE) { /* a large message: grow, keep what we have */
				char *bigger = realloc(buf, cap * 2);
				if (!bigger)
					return die("realloc", -ENOMEM);
				buf = bigger;
				cap *= 2;
				continue;
			}
			if (rc < 0)
				return die("receive", rc);
			if (rc == 0)
				continue; /* a piece; the rest follows */
			if (ri.flags & SCTPIO_MSG_NOTIFICATION) {
				struct sctpio_notification nt;
				char line[256];
				if (sctpio_notification_decode(buf, len, &nt) > 0 &&
				    sctpio_notification_format(&nt, line, sizeof line) >= 0)
					printf("%s\n", line);
			} else {
				/* Echo on the same association, stream and PPID (host byte order). */
				struct sctpio_sndinfo si = { .stream = ri.stream, .ppid = ri.ppid, .assoc_id = ri.assoc_id };
				ssize_t sent = sctpio_send(srv, buf, len, &si);
				if (sent < 0)
					fprintf(stderr, "echo_server: send to association %d: %s\n", (int)ri.assoc_id,
						strerror((int)-sent));
				else
					echoed++;
			}
			len = 0; /* the next message starts at the front of buf */
			if (count && echoed >= count)
				break;
		}
		fflush(stdout);
	}
	printf("echoed %ld messages\n", echoed);
	free(buf);
	sctpio_sock_close(srv);
	return 0;
}
