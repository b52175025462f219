// SPDX-License-Identifier: MIT
/*
 * stats.c - latency histogram, counters, and what sctpperf prints: the live progress line (only on
 * a terminal), the final table, and --json.
 *
 * Latencies go into a log-linear histogram (64 sub-buckets per power of two, so any value is within
 * 1.6 % of its bucket) instead of an array of samples: its size does not grow with the run, so a
 * duration-bound run of hours costs the same 32 KiB per thread as a short one.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sctpperf.h"

int perf_progress_active;

static unsigned hist_index(uint64_t v)
{
	if (v < HIST_SUB)
		return (unsigned)v;
	unsigned e = 63u - (unsigned)__builtin_clzll(v); /* >= 6 */
	unsigned shift = e - 6;
	return (shift + 1) * HIST_SUB + (unsigned)((v >> shift) & (HIST_SUB - 1));
}

/* The middle of bucket i, in nanoseconds. */
static double hist_value(unsigned i)
{
	if (i < HIST_SUB)
		return (double)i;
	unsigned shift = i / HIST_SUB - 1, sub = i % HIST_SUB;
	double lo = (double)((uint64_t)(HIST_SUB + sub) << shift);
	return lo + (double)((uint64_t)1 << shift) / 2.0;
}

void hist_add(struct hist *h, uint64_t ns)
{
	h->b[hist_index(ns)]++;
	h->n++;
	h->sum += ns;
	if (ns > h->max)
		h->max = ns;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	for (unsigned i = 0; i < HIST_N; i++)
		dst->b[i] += src->b[i];
	dst->n += src->n;
	dst->sum += src->sum;
	if (src->max > dst->max)
		dst->max = src->max;
}

/* The pct-th percentile (nearest rank) in microseconds; 0 when there are no samples. */
double hist_pct_us(const struct hist *h, double pct)
{
	if (!h || !h->n)
		return 0;
	uint64_t rank = (uint64_t)ceil(pct / 100.0 * (double)h->n);
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (unsigned i = 0; i < HIST_N; i++) {
		seen += h->b[i];
		if (seen >= rank) {
			double v = hist_value(i);
			return (v > (double)h->max ? (double)h->max : v) / 1000.0;
		}
	}
	return (double)h->max / 1000.0;
}

void tally_merge(struct tally *d, const struct tally *s)
{
	d->msgs += s->msgs;
	d->bytes += s->bytes;
	d->verified += s->verified;
	d->lost += s->lost;
	d->reordered += s->reordered;
	d->corrupt += s->corrupt;
	d->echoed += s->echoed;
	d->echo_failed += s->echo_failed;
	if (s->first_ns && (!d->first_ns || s->first_ns < d->first_ns))
		d->first_ns = s->first_ns;
	if (s->last_ns > d->last_ns)
		d->last_ns = s->last_ns;
	hist_merge(&d->lat, &s->lat);
}

const char *model_name(enum perf_model m)
{
	return m == MODEL_POOL ? "pool" : m == MODEL_POLLER ? "poller" : "loop";
}

const char *style_name(int style)
{
	return style == SCTPIO_ONE_TO_ONE ? "one-to-one" : "one-to-many";
}

/* One line, rewritten in place about once a second; only ever on a terminal (cfg->progress). */
void progress_line(const struct perf_cfg *c, const char *what, uint64_t msgs, uint64_t bytes, double secs)
{
	if (!c->progress || secs <= 0)
		return;
	printf("\r\033[K  %6.1f s  %12" PRIu64 " msgs %s  %10.0f msgs/s  %9.3f MB/s", secs, msgs, what,
	       (double)msgs / secs, (double)bytes / secs / 1e6);
	fflush(stdout);
	perf_progress_active = 1;
}

void progress_clear(const struct perf_cfg *c)
{
	if (c->progress && perf_progress_active) {
		fputs("\r\033[K", stdout);
		fflush(stdout);
	}
	perf_progress_active = 0;
}

static double per_s(double v, double secs)
{
	return secs > 0 ? v / secs : 0;
}

static void json_u64_or_null(const char *key, int has, uint64_t v)
{
	if (has)
		printf(",\"%s\":%" PRIu64, key, v);
	else
		printf(",\"%s\":null", key);
}

static void report_json(const struct perf_cfg *c, const struct report *r)
{
	uint64_t msgs = r->has_received ? r->received : r->sent;
	printf("{\"tool\":\"sctpperf\",\"version\":\"%s\",\"mode\":\"%s\",\"style\":\"%s\",\"assocs\":%" PRIu64
	       ",\"streams\":%u,\"size\":%zu,\"batch\":%u,\"model\":\"%s\",\"workers\":%u,\"nodelay\":%s,"
	       "\"family\":\"%s\",\"pattern\":\"%s\",\"count\":%" PRIu64 ",\"duration_s\":%.3f",
	       SCTPPERF_VERSION, r->mode, style_name(c->style), r->assocs, r->streams, c->size, c->batch,
	       model_name(c->model), c->workers, c->nagle ? "false" : "true", r->family ? r->family : "",
	       c->rr ? "request-response" : "stream", c->count, c->duration);
	json_u64_or_null("sent", r->has_sent, r->sent);
	json_u64_or_null("received", r->has_received, r->received);
	json_u64_or_null("verified", r->has_received, r->verified);
	json_u64_or_null("lost", r->has_loss, r->lost);
	json_u64_or_null("reordered", r->has_loss, r->reordered);
	printf(",\"corrupt\":%" PRIu64 ",\"echoed\":%" PRIu64 ",\"failed\":%" PRIu64, r->corrupt, r->echoed, r->failed);
	printf(",\"bytes\":%" PRIu64 ",\"secs\":%.4f,\"msgs_per_s\":%.1f,\"mb_per_s\":%.4f", r->bytes, r->secs,
	       per_s((double)msgs, r->secs), per_s((double)r->bytes, r->secs) / 1e6);
	if (r->lat_kind && r->lat && r->lat->n)
		printf(",\"latency\":\"%s\",\"latency_samples\":%" PRIu64 ",\"p50_us\":%.1f,\"p90_us\":%.1f,"
		       "\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f,\"mean_us\":%.1f",
		       r->lat_kind, r->lat->n, hist_pct_us(r->lat, 50), hist_pct_us(r->lat, 90), hist_pct_us(r->lat, 99),
		       hist_pct_us(r->lat, 99.9), (double)r->lat->max / 1000.0,
		       (double)r->lat->sum / (double)r->lat->n / 1000.0);
	else
		printf(",\"latency\":null,\"latency_samples\":0,\"p50_us\":null,\"p90_us\":null,\"p99_us\":null,"
		       "\"p999_us\":null,\"max_us\":null,\"mean_us\":null");
	printf(",\"cpu_s\":%.4f,\"cpu_us_per_msg\":%.3f,\"rcvbuf\":%d,\"sndbuf\":%d,\"ok\":%s}\n", r->cpu_s,
	       msgs ? r->cpu_s * 1e6 / (double)msgs : 0.0, r->rcvbuf, r->sndbuf, r->ok ? "true" : "false");
}

static void row_u64(const char *name, uint64_t v)
{
	printf("  %-28s %14" PRIu64 "\n", name, v);
}

static void row_f(const char *name, double v, int prec)
{
	printf("  %-28s %14.*f\n", name, prec, v);
}

void report_print(const struct perf_cfg *c, const struct report *r)
{
	progress_clear(c);
	if (c->json) {
		report_json(c, r);
		fflush(stdout);
		return;
	}
	uint64_t msgs = r->has_received ? r->received : r->sent;
	printf("sctpperf %s: %s, %" PRIu64 " association%s x %u stream%s, %zu-byte messages, %s\n", r->mode,
	       style_name(c->style), r->assocs, r->assocs == 1 ? "" : "s", r->streams, r->streams == 1 ? "" : "s",
	       c->size, c->rr ? "request-response" : "streaming");
	printf("  %s, batch %u", r->family ? r->family : "", c->batch);
	if (c->mode != MODE_CLIENT)
		printf(", model %s", model_name(c->model));
	if (c->mode != MODE_CLIENT && c->model != MODEL_LOOP)
		printf(" (%u workers)", c->workers);
	printf(", NODELAY %s", c->nagle ? "off" : "on");
	if (r->rcvbuf)
		printf(", SO_RCVBUF %d", r->rcvbuf);
	if (r->sndbuf)
		printf(", SO_SNDBUF %d", r->sndbuf);
	putchar('\n');
	printf("  %-28s %14s\n", "metric", "value");
	if (r->has_sent)
		row_u64("messages sent", r->sent);
	if (r->has_received) {
		row_u64(c->mode == MODE_CLIENT ? "echoes received" : "messages received", r->received);
		if (r->verified != r->received)
			row_u64("  of which not sctpperf's", r->received - r->verified);
	}
	if (r->has_loss) {
		row_u64("lost", r->lost);
		row_u64("reordered", r->reordered);
	} else {
		printf("  %-28s %14s\n", "lost, reordered", "(receiver)");
	}
	if (r->corrupt)
		row_u64("corrupt", r->corrupt);
	if (r->echoed)
		row_u64("echoed", r->echoed);
	if (r->failed)
		row_u64("associations failed", r->failed);
	row_f("seconds", r->secs, 3);
	row_f("msgs/s", per_s((double)msgs, r->secs), 0);
	row_f("MB/s", per_s((double)r->bytes, r->secs) / 1e6, 3);
	if (r->lat_kind && r->lat && r->lat->n) {
		static const double pcts[] = { 50, 90, 99, 99.9 };
		static const char *names[] = { "p50", "p90", "p99", "p99.9" };
		for (int i = 0; i < 4; i++) {
			char name[64];
			snprintf(name, sizeof(name), "%s %s (us)", names[i], r->lat_kind);
			row_f(name, hist_pct_us(r->lat, pcts[i]), 1);
		}
	}
	row_f("CPU per message (us)", msgs ? r->cpu_s * 1e6 / (double)msgs : 0.0, 2);
	if (!r->ok)
		printf("  FAILED\n");
	fflush(stdout);
}
