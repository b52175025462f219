// SPDX-License-Identifier: MIT
/*
 * cli.c - sctpperf's command line: the options, their checks, and --help, which is written as a
 * manual page. Every mistake in the command line is found here, before a socket is opened, and
 * exits with status 2; the one check that needs the kernel (a message larger than the send buffer
 * it grants) opens a probe socket first.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sctpperf.h"

/* Small enough that `make run` prints its table within seconds even in the software-emulated guest. */
#define LOOPBACK_COUNT 10000
#define CLIENT_COUNT 100000

static const char help_text[] =
	"NAME\n"
	"    sctpperf - SCTP benchmark and echo tool built on sctpio\n"
	"\n"
	"SYNOPSIS\n"
	"    sctpperf loopback [OPTIONS]\n"
	"    sctpperf server [-a ADDR[,ADDR...]] [-p PORT] [OPTIONS]\n"
	"    sctpperf client -a ADDR[,ADDR...] [-p PORT] [OPTIONS]\n"
	"    sctpperf client HOST[,HOST...] [OPTIONS]\n"
	"    sctpperf --help | --version\n"
	"\n"
	"DESCRIPTION\n"
	"    sctpperf measures the message rate, throughput and latency of SCTP through the sctpio\n"
	"    library, and shows on every run that nothing was lost or reordered: each message carries its\n"
	"    association, its stream and a sequence number per (association, stream), which the receiver\n"
	"    checks; the last message of an association says how many came before it.\n"
	"\n"
	"    loopback  A server and a client in one process over the loopback interface; one table with\n"
	"              both sides' figures. `make run` runs it.\n"
	"    server    Accepts associations, receives, verifies and (when asked) echoes messages until\n"
	"              --count messages arrived, --duration seconds after the first, --once, or SIGINT\n"
	"              or SIGTERM; then prints its table. It says on stderr where it listens:\n"
	"              \"sctpperf: listening on ADDR:PORT ...\".\n"
	"    client    Opens --assocs associations to a server and sends --count messages (or for\n"
	"              --duration seconds) round-robin over associations and streams; with --rr, one\n"
	"              request at a time per association, echoed back and timed.\n"
	"\n"
	"    The server serves any SCTP peer: messages without sctpperf's header are counted (and echoed\n"
	"    with --echo) but not verified. The client works against any server that takes messages, and\n"
	"    with --rr against any echo server (socat SCTP-LISTEN:PORT,fork EXEC:cat): an echo is\n"
	"    gathered by its length, so a peer that echoes through a byte stream is fine.\n"
	"\n"
	"    Latency is one-way in streaming runs (the send time travels in the message, CLOCK_REALTIME:\n"
	"    exact on one host, as good as clock synchronisation between two); a streaming sender outruns\n"
	"    its receiver, so it includes the time messages wait in the receive buffer. With --rr it is\n"
	"    the round trip of one request at a time. CPU per message is the process's user + system time divided by the messages; on\n"
	"    loopback it includes the kernel's work for both sides. A progress line is shown once a\n"
	"    second when stdout is a terminal.\n"
	"\n"
	"OPTIONS\n"
	"  Associations and sockets\n"
	"    -s, --style one-to-one|one-to-many\n"
	"           Socket style, SOCK_STREAM or SOCK_SEQPACKET (default one-to-many).\n"
	"    -A, --assocs N\n"
	"           Client associations, 1..10000 (default 4); each is a socket of its own.\n"
	"    -S, --streams N\n"
	"           Outbound streams per association, 1..65535 (default 8), asked for in INIT\n"
	"           (SCTP_INITMSG) and used in turn. A peer may grant fewer; sctpperf says so.\n"
	"    -a, --addr ADDR[,ADDR...]\n"
	"           server: the local addresses to bind (default the wildcard ::, dual-stack, or\n"
	"           0.0.0.0 with -4). client: the server's addresses; several make a multi-homed\n"
	"           association (SCTP_SOCKOPT_CONNECTX). loopback: the addresses the server binds and\n"
	"           the client connects to (default 127.0.0.1, or ::1 with -6).\n"
	"    -L, --local ADDR[,ADDR...]\n"
	"           client: local addresses to bind, for multi-homing on this side.\n"
	"    -p, --port PORT\n"
	"           The server's port (default 5001; a server given 0 lets the kernel choose).\n"
	"    -4, -6 IPv4 only, or IPv6 only (the socket refuses IPv4). Default: as the addresses say.\n"
	"    --nagle, --nodelay\n"
	"           Leave Nagle's algorithm on (SCTP_NODELAY off), or not (the default).\n"
	"    --rcvbuf BYTES, --sndbuf BYTES\n"
	"           SO_RCVBUF (default 8M) and SO_SNDBUF (default 2M) to ask for; Linux doubles them.\n"
	"           Above net.core.rmem_max/wmem_max they need CAP_NET_ADMIN, and are capped without\n"
	"           it. A receive buffer that fills drops packets, which then wait for a retransmission\n"
	"           timeout (a second or more): keep it large when the reader may fall behind.\n"
	"\n"
	"  Workload\n"
	"    -l, --size BYTES\n"
	"           Message size (default 100): at least 32 (the header), at most the send buffer.\n"
	"    -n, --count N\n"
	"           Messages. client: to send (default 100000); loopback: to send (default 10000);\n"
	"           server: stop once N arrived (default: no limit). Suffixes k, M, G.\n"
	"    -d, --duration SECONDS\n"
	"           Run this long instead of counting messages.\n"
	"    -r, --rr\n"
	"           Request-response: one request in flight per association, echoed by the server\n"
	"           and timed. Without it the client streams.\n"
	"    -b, --batch N\n"
	"           0 (default): one system call per message. 1..1024: batch containers of N slots\n"
	"           (sctpio/batch.h) on both sides: recvmmsg and sendmmsg move up to N messages a call.\n"
	"\n"
	"  Server (server, loopback)\n"
	"    -m, --model loop|pool|poller\n"
	"           How the server's sockets are served (sctpio/dispatch.h). loop: one thread and an\n"
	"           epoll loop. pool: sctpio_pool, N threads on one epoll instance. poller:\n"
	"           sctpio_poller, one epoll thread handing ready sockets to N worker threads.\n"
	"           Default loop. A one-to-many server is one socket, served by one thread at a time.\n"
	"    -w, --workers N\n"
	"           Threads of the pool, or workers of the poller, 1..1024 (default 4).\n"
	"    -e, --echo\n"
	"           Echo every message, also those of other programs (sctpperf's own requests ask\n"
	"           for their echo themselves).\n"
	"    -1, --once\n"
	"           Stop once every association that came has ended.\n"
	"\n"
	"  Output\n"
	"    -j, --json\n"
	"           One JSON object on stdout instead of the table.\n"
	"    -q, --quiet\n"
	"           No progress line.\n"
	"    -t, --timeout SECONDS\n"
	"           Give up connecting, or on a run that makes no progress, after this long\n"
	"           (default 10).\n"
	"    -h, --help\n"
	"           This text.\n"
	"    -V, --version\n"
	"           The version.\n"
	"\n"
	"EXAMPLES\n"
	"    sctpperf loopback\n"
	"    sctpperf loopback --style one-to-one --assocs 8 --batch 32 --model poller\n"
	"    sctpperf loopback --rr --count 5000 --model pool --json\n"
	"    sctpperf loopback -6 --addr ::1 --streams 100 --size 1400\n"
	"    sctpperf server --port 5001 --model pool --batch 32\n"
	"    sctpperf client -a 10.0.0.1,10.0.1.1 --local 10.0.0.2,10.0.1.2 --duration 30\n"
	"    sctpperf server --port 5001 --echo --once & socat - SCTP-CONNECT:127.0.0.1:5001\n"
	"    socat SCTP-LISTEN:5001,reuseaddr,fork EXEC:cat & sctpperf client 127.0.0.1 --rr\n"
	"\n"
	"EXIT STATUS\n"
	"    0   The run completed: nothing lost, reordered or corrupted.\n"
	"    1   A runtime failure: no SCTP in this kernel, a server that is not there (refused, or\n"
	"        silent for --timeout seconds), an association that failed, or any message lost,\n"
	"        reordered or corrupted.\n"
	"    2   A usage error: an unknown option or mode, a bad value, or an impossible combination\n"
	"        (--batch above 1024 slots, --streams above 65535, --size above the send buffer,\n"
	"        --count with --duration, an option the mode does not take).\n";

void usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("sctpperf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'sctpperf --help' for more information.\n", stderr);
	exit(2);
}

enum { O_NAGLE = 256, O_NODELAY, O_RCVBUF, O_SNDBUF };
#define ALL (MODE_SERVER | MODE_CLIENT | MODE_LOOPBACK)
#define CLI (MODE_CLIENT | MODE_LOOPBACK)
#define SRV (MODE_SERVER | MODE_LOOPBACK)

static const struct option opts[] = {
	{ "style", required_argument, 0, 's' }, { "assocs", required_argument, 0, 'A' },
	{ "streams", required_argument, 0, 'S' }, { "addr", required_argument, 0, 'a' },
	{ "local", required_argument, 0, 'L' }, { "port", required_argument, 0, 'p' },
	{ "nagle", no_argument, 0, O_NAGLE }, { "nodelay", no_argument, 0, O_NODELAY },
	{ "rcvbuf", required_argument, 0, O_RCVBUF }, { "sndbuf", required_argument, 0, O_SNDBUF },
	{ "size", required_argument, 0, 'l' }, { "count", required_argument, 0, 'n' },
	{ "duration", required_argument, 0, 'd' }, { "rr", no_argument, 0, 'r' },
	{ "batch", required_argument, 0, 'b' }, { "model", required_argument, 0, 'm' },
	{ "workers", required_argument, 0, 'w' }, { "echo", no_argument, 0, 'e' },
	{ "once", no_argument, 0, '1' }, { "json", no_argument, 0, 'j' },
	{ "quiet", no_argument, 0, 'q' }, { "timeout", required_argument, 0, 't' },
	{ "help", no_argument, 0, 'h' }, { "version", no_argument, 0, 'V' }, { 0, 0, 0, 0 },
};
static const char shortopts[] = "s:A:S:a:L:p:46l:n:d:rb:m:w:e1jqt:hV";

/* Which modes take an option; everything else takes every mode. */
static int option_modes(int o)
{
	switch (o) {
	case 'A': case 'r':
		return CLI;
	case 'L':
		return MODE_CLIENT;
	case 'p':
		return MODE_SERVER | MODE_CLIENT;
	case 'm': case 'w':
		return SRV;
	case 'e': case '1':
		return MODE_SERVER;
	default:
		return ALL;
	}
}

static const char *option_name(int o)
{
	for (const struct option *p = opts; p->name; p++)
		if (p->val == o)
			return p->name;
	return "?";
}

/* An unsigned number with an optional suffix (k, M, G: times unit, unit^2, unit^3) in [min, max]. */
static uint64_t number(int o, const char *s, uint64_t min, uint64_t max, uint64_t unit)
{
	char *end;
	errno = 0;
	if (*s == '-' || *s == '+')
		usage_error("--%s: '%s' is not a number", option_name(o), s);
	unsigned long long v = strtoull(s, &end, 10);
	uint64_t mul = 1;
	if (end != s && *end && !end[1]) {
		switch (*end) {
		case 'k': case 'K': mul = unit; end++; break;
		case 'm': case 'M': mul = unit * unit; end++; break;
		case 'g': case 'G': mul = unit * unit * unit; end++; break;
		}
	}
	if (end == s || *end || errno)
		usage_error("--%s: '%s' is not a number", option_name(o), s);
	if (v > max / mul || v * mul < min || v * mul > max)
		usage_error("--%s %s is out of range (%llu..%llu)", option_name(o), s, (unsigned long long)min,
			    (unsigned long long)max);
	return v * mul;
}

static double seconds(int o, const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end != s && *end == 's')
		end++;
	if (end == s || *end || !isfinite(v) || v <= 0 || v > 1e6)
		usage_error("--%s: '%s' is not a number of seconds", option_name(o), s);
	return v;
}

static void parse(struct perf_cfg *c, int argc, char **argv)
{
	int seen4 = 0, seen6 = 0, got_count = 0;
	for (int o; (o = getopt_long(argc, argv, shortopts, opts, NULL)) != -1;) {
		if (o == '?')
			usage_error("unknown option or missing value (see above)");
		if (o == 'h') {
			fputs(help_text, stdout);
			exit(0);
		}
		if (o == 'V') {
			printf("sctpperf %s (sctpio %d.%d.%d)\n", SCTPPERF_VERSION, SCTPIO_VERSION_MAJOR,
			       SCTPIO_VERSION_MINOR, SCTPIO_VERSION_PATCH);
			exit(0);
		}
		if (!(option_modes(o) & (int)c->mode) && o != '4' && o != '6')
			usage_error("--%s does not apply to %s mode", option_name(o), argv[1]);
		switch (o) {
		case 's':
			if (!strcmp(optarg, "one-to-one"))
				c->style = SCTPIO_ONE_TO_ONE;
			else if (!strcmp(optarg, "one-to-many"))
				c->style = SCTPIO_ONE_TO_MANY;
			else
				usage_error("--style: '%s' is neither one-to-one nor one-to-many", optarg);
			break;
		case 'A': c->assocs = (unsigned)number(o, optarg, 1, 10000, 1000); break;
		case 'S': c->streams = (unsigned)number(o, optarg, 1, 65535, 1000); break;
		case 'a': c->addrs = optarg; break;
		case 'L': c->local = optarg; break;
		case 'p': c->port = (unsigned)number(o, optarg, 0, 65535, 1000); break;
		case '4': seen4 = 1; c->family = AF_INET; break;
		case '6': seen6 = 1; c->family = AF_INET6; break;
		case O_NAGLE: c->nagle = 1; break;
		case O_NODELAY: c->nagle = 0; break;
		case O_RCVBUF: c->rcvbuf = (int)number(o, optarg, 1024, 1u << 30, 1024); break;
		case O_SNDBUF: c->sndbuf = (int)number(o, optarg, 1024, 1u << 30, 1024); break;
		case 'l': c->size = (size_t)number(o, optarg, 1, 1u << 30, 1024); break;
		case 'n': c->count = number(o, optarg, 1, UINT64_MAX / 2, 1000); got_count = 1; break;
		case 'd': c->duration = seconds(o, optarg); break;
		case 'r': c->rr = 1; break;
		case 'b': c->batch = (unsigned)number(o, optarg, 0, 1u << 30, 1024); break;
		case 'm':
			if (!strcmp(optarg, "loop"))
				c->model = MODEL_LOOP;
			else if (!strcmp(optarg, "pool"))
				c->model = MODEL_POOL;
			else if (!strcmp(optarg, "poller"))
				c->model = MODEL_POLLER;
			else
				usage_error("--model: '%s' is not loop, pool or poller", optarg);
			break;
		case 'w': c->workers = (unsigned)number(o, optarg, 1, 1024, 1000); break;
		case 'e': c->echo = 1; break;
		case '1': c->once = 1; break;
		case 'j': c->json = 1; break;
		case 'q': c->quiet = 1; break;
		case 't': c->timeout_s = (unsigned)number(o, optarg, 1, 3600, 1000); break;
		}
	}
	if (optind < argc && c->mode == MODE_CLIENT && !c->addrs)
		c->addrs = argv[optind++];
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (seen4 && seen6)
		usage_error("-4 and -6 exclude each other");
	if (got_count && c->duration > 0)
		usage_error("--count and --duration exclude each other");
}

/* Combinations that cannot work, and the checks that need numbers from the kernel. */
static void check(struct perf_cfg *c)
{
	if (c->mode == MODE_CLIENT && !c->addrs)
		usage_error("client: which server? give --addr ADDR[,ADDR...] (or the address after 'client')");
	if (c->mode == MODE_CLIENT && !c->port)
		usage_error("client: --port must not be 0");
	if (c->batch > SCTPIO_BATCH_MAX_SLOTS)
		usage_error("--batch %u is more than the %d slots a batch container may have (the kernel moves at most "
			    "UIO_MAXIOV messages in one call)",
			    c->batch, SCTPIO_BATCH_MAX_SLOTS);
	if (c->mode == MODE_SERVER)
		return;
	if (c->size < PERF_HDR_LEN)
		usage_error("--size %zu is smaller than the %d-byte header every sctpperf message carries", c->size,
			    PERF_HDR_LEN);
	if (c->batch && (uint64_t)c->batch * c->size > SCTPIO_BATCH_MAX_BYTES)
		usage_error("--batch %u x --size %zu is more than the 1 GiB a batch container may hold", c->batch, c->size);

	sctpio_addr a[PERF_MAX_ADDRS];
	size_t n = perf_addrs(c, c->addrs, c->family == AF_INET6 ? "::1" : "127.0.0.1", 1, a);
	int limit = perf_sndbuf_limit(c, a, n);
	if (limit == -EPROTONOSUPPORT || limit == -ESOCKTNOSUPPORT || limit == -EAFNOSUPPORT)
		fatal("this kernel cannot open SCTP sockets (%s): run through scripts/sctp-run", strerror(-limit));
	if (limit < 0)
		fatal("cannot open an SCTP socket: %s", strerror(-limit));
	c->sndbuf_actual = limit;
	if (c->size > (size_t)limit)
		usage_error("--size %zu is more than the socket can ever send: its send buffer (SO_SNDBUF) is %d bytes; "
			    "raise --sndbuf",
			    c->size, limit);
}

int main(int argc, char **argv)
{
	struct perf_cfg c = {
		.style = SCTPIO_ONE_TO_MANY, .assocs = 4, .streams = 8, .size = 100, .model = MODEL_LOOP, .workers = 4,
		.port = PERF_DEFAULT_PORT, .timeout_s = 10, .rcvbuf = 8 << 20, .sndbuf = 2 << 20,
	};
	if (argc < 2)
		usage_error("which mode? loopback, server or client");
	if (!strcmp(argv[1], "loopback"))
		c.mode = MODE_LOOPBACK;
	else if (!strcmp(argv[1], "server"))
		c.mode = MODE_SERVER;
	else if (!strcmp(argv[1], "client"))
		c.mode = MODE_CLIENT;
	else if (!strcmp(argv[1], "help")) {
		fputs(help_text, stdout);
		return 0;
	} else if (argv[1][0] == '-') {
		c.mode = MODE_LOOPBACK; /* only --help and --version are meant here; the rest is an error */
		optind = 1;
		parse(&c, argc, argv);
		usage_error("which mode? loopback, server or client");
	} else {
		usage_error("unknown mode '%s': loopback, server or client", argv[1]);
	}
	optind = 2;
	parse(&c, argc, argv);
	if (!c.count && c.duration <= 0)
		c.count = c.mode == MODE_LOOPBACK ? LOOPBACK_COUNT : c.mode == MODE_CLIENT ? CLIENT_COUNT : 0;
	check(&c);
	c.progress = isatty(STDOUT_FILENO) && !c.json && !c.quiet;
	return perf_run(&c);
}
