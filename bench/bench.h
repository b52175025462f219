/* SPDX-License-Identifier: MIT */
/*
 * bench.h - what the C benchmarks in bench/ share: failing loudly on a -errno, clocks in
 * nanoseconds, comma-separated number lists on the command line, and counting a batch's data.
 * Header-only: each benchmark is one program built from one file.
 */
#ifndef SCTPIO_BENCH_H
#define SCTPIO_BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sctpio.h"

/* die reports what failed (rc a -errno, or not negative for a failure without one) and exits 1. */
static inline void die(const char *what, long rc)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		rc < 0 ? strerror((int)-rc) : "failed");
	exit(1);
}

/* TRY(call): the call's result, or die when it is a -errno. */
#define TRY(call) ({ long _r = (long)(call); if (_r < 0) die(#call, _r); _r; })

static inline uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
static inline uint64_t thread_cpu_ns(void) { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }
static inline uint64_t process_cpu_ns(void) { return clock_ns(CLOCK_PROCESS_CPUTIME_ID); }

/*
 * perf_window(on, label) opens (1) or closes (0) the window that
 * `perf record --control fifo:CTL,ACK -D -1` samples, when SCTPIO_BENCH_PERF is "CTL,ACK" or
 * "CTL,ACK,WORD" (the two FIFOs, and a word the timed part's label must contain): it writes perf's
 * "enable" or "disable" command and waits for its "ack", so that the profile holds the timed parts
 * and nothing else. Without the variable it does nothing. Call it outside the clock reads.
 */
static inline void perf_window(int on, const char *label)
{
	static int ctl = -2, ack = -1;
	static char word[128];
	char a[8];

	if (ctl == -2) {
		const char *v = getenv("SCTPIO_BENCH_PERF");
		char spec[1024], *ap, *wp;
		ctl = -1;
		if (!v || strlen(v) >= sizeof(spec) || !(ap = strchr(strcpy(spec, v), ',')))
			return;
		*ap++ = '\0';
		if ((wp = strchr(ap, ','))) {
			*wp++ = '\0';
			snprintf(word, sizeof(word), "%s", wp);
		}
		ctl = open(spec, O_WRONLY | O_CLOEXEC);
		ack = open(ap, O_RDONLY | O_CLOEXEC);
		if (ctl < 0 || ack < 0)
			die("SCTPIO_BENCH_PERF: open perf's control FIFOs", -errno);
	}
	if (ctl < 0 || !strstr(label, word))
		return;
	const char *cmd = on ? "enable\n" : "disable\n";
	if (write(ctl, cmd, strlen(cmd)) < 0 || read(ack, a, sizeof(a)) <= 0)
		die("SCTPIO_BENCH_PERF: perf's control FIFO", -errno);
}

/* parse_list reads "1,10,100" into out (at most max numbers; strtok changes arg) and returns how many. */
static inline int parse_list(char *arg, int *out, int max)
{
	int k = 0;
	for (char *t = strtok(arg, ","); t && k < max; t = strtok(NULL, ","))
		out[k++] = atoi(t);
	return k;
}

/* data_count: how many of the k messages a receive put in b are data, not notifications. */
static inline uint64_t data_count(const struct sctpio_batch *b, int k)
{
	uint64_t n = 0;
	for (int i = 0; i < k; i++)
		if (!(sctpio_batch_info(b, (size_t)i)->flags & SCTPIO_MSG_NOTIFICATION))
			n++;
	return n;
}

#endif
