// SPDX-License-Identifier: MIT
/*
 * batch_drain - receive many messages per system call. A one-to-many server drains its socket with
 * sctpio_batch_recv (one recvmmsg fills up to 64 slots) and reads each message in place, without a
 * copy; a client in the same program sends COUNT messages over 8 streams to it. Each stream's
 * messages must arrive in order and complete: the program checks the sequence numbers it wrote.
 *
 *   batch_drain [COUNT]        (default 10000)
 *
 * Build: cc batch_drain.c $(pkg-config --cflags --libs sctpio)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sctpio.h>

#define STREAMS 8
#define SLOTS 64
#define WINDOW 512

static int die(const char *what, int err)
{
	fprintf(stderr, "batch_drain: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 10000, sent = 0, got = 0, calls = 0;
	long next[STREAMS] = { 0 };
	sctpio_addr a, bound;
	struct sctpio_batch *b;
	int rc;

	if ((rc = sctpio_addr_parse(&a, "127.0.0.1", 0)) < 0)
		return die("address", rc);
	int srv = sctpio_sock_server(SCTPIO_ONE_TO_MANY, &a, 1, 0, 0);
	if (srv < 0)
		return die("server", srv);
	if ((rc = sctpio_sock_local_addrs(srv, 0, &bound, 1)) < 0)
		return die("local address", rc);
	struct sctp_initmsg init = { .sinit_num_ostreams = STREAMS, .sinit_max_instreams = STREAMS };
	int cli = sctpio_sock_open(AF_INET, SCTPIO_ONE_TO_MANY, 0);
	if (cli < 0 || (rc = sctpio_opt_set_initmsg(cli, &init)) < 0)
		return die("client", cli < 0 ? cli : rc);
	/* One container, reused for every receive: 64 slots of 2 KiB, allocated once. */
	if ((rc = sctpio_batch_new(&b, SLOTS, 2048)) < 0)
		return die("batch", rc);

	while (got < count) {
		/* Send what the socket takes (a one-to-many send to a new address sets up the association),
		 * keeping at most WINDOW messages in flight: the receiver's buffer, not the sender's, then
		 * bounds how far ahead the sender runs. */
		while (sent < count && sent - got < WINDOW) {
			long seq = sent / STREAMS;
			struct sctpio_sndinfo si = { .stream = (uint16_t)(sent % STREAMS), .ppid = 7, .to = &bound };
			char msg[64];
			int len = snprintf(msg, sizeof msg, "%u:%ld", si.stream, seq);
			ssize_t n = sctpio_send(cli, msg, (size_t)len, &si);
			if (n == -EAGAIN)
				break;
			if (n < 0)
				return die("send", (int)n);
			sent++;
		}
		/* Take what is there: at least one message, waiting up to 10 s. */
		int filled = sctpio_batch_recv(b, srv, 1, 10000);
		if (filled < 0)
			return die("batch receive", filled);
		calls++;
		for (int i = 0; i < filled; i++) {
			size_t len;
			const char *data = sctpio_batch_data(b, (size_t)i, &len); /* borrowed until the next recv */
			const struct sctpio_rcvinfo *ri = sctpio_batch_info(b, (size_t)i);
			if (ri->flags & SCTPIO_MSG_NOTIFICATION)
				continue;
			unsigned stream;
			long seq;
			char text[64];
			snprintf(text, sizeof text, "%.*s", (int)len, data);
			if (sscanf(text, "%u:%ld", &stream, &seq) != 2 || stream != ri->stream || stream >= STREAMS ||
			    seq != next[stream] || ri->ppid != 7 || (ri->flags & SCTPIO_MSG_MORE)) {
				fprintf(stderr, "batch_drain: unexpected message \"%s\" on stream %u\n", text, ri->stream);
				return 1;
			}
			next[stream]++;
			got++;
		}
	}
	printf("%ld messages in %ld batch receives (%.1f per call), every stream in order\n", got, calls,
	       (double)got / (double)calls);
	sctpio_batch_free(b);
	sctpio_sock_close(cli);
	sctpio_sock_close(srv);
	return 0;
}
