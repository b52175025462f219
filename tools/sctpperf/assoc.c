// SPDX-License-Identifier: MIT
/*
 * assoc.c - what the server remembers of each association: the next sequence number it expects on
 * every stream, and how many messages the client said it sent (its END message). A one-to-one
 * socket has one association; a one-to-many socket keeps them in a table by association id (open
 * addressing with linear probing, so a lookup per message costs a multiply and usually one probe).
 * A table belongs to one socket, which one thread serves at a time: no locks.
 */
#include <stdlib.h>
#include <string.h>

#include "sctpperf.h"

void passoc_free(struct passoc *a)
{
	free(a->next_seq);
	a->next_seq = NULL;
	a->nseq = 0;
}

int64_t passoc_seq(struct passoc *a, uint16_t stream, uint64_t seq)
{
	if (stream >= a->nseq) {
		uint32_t n = a->nseq ? a->nseq : 16;
		while (n <= stream)
			n *= 2;
		if (n > 65536)
			n = 65536;
		uint64_t *p = realloc(a->next_seq, n * sizeof(*p));
		if (!p)
			fatal("out of memory");
		memset(p + a->nseq, 0, (n - a->nseq) * sizeof(*p));
		a->next_seq = p;
		a->nseq = n;
	}
	uint64_t *want = &a->next_seq[stream];
	if (seq < *want)
		return -1;
	int64_t gap = (int64_t)(seq - *want);
	*want = seq + 1;
	return gap;
}

uint64_t passoc_missing(const struct passoc *a)
{
	uint64_t got = 0;
	if (!a->has_end)
		return 0;
	for (uint32_t i = 0; i < a->nseq; i++)
		got += a->next_seq[i];
	return a->end_total > got ? a->end_total - got : 0;
}

void atable_init(struct atable *t)
{
	t->cap = 64;
	t->count = 0;
	if (!(t->tab = calloc(t->cap, sizeof(*t->tab))))
		fatal("out of memory");
}

void atable_free(struct atable *t)
{
	for (size_t i = 0; t->tab && i < t->cap; i++)
		if (t->tab[i].used)
			passoc_free(&t->tab[i]);
	free(t->tab);
	t->tab = NULL;
}

static size_t home(sctp_assoc_t id, size_t cap)
{
	return ((uint32_t)id * 2654435761u) & (cap - 1);
}

static void grow(struct atable *t)
{
	struct passoc *old = t->tab;
	size_t ocap = t->cap;
	t->cap *= 2;
	if (!(t->tab = calloc(t->cap, sizeof(*t->tab))))
		fatal("out of memory");
	for (size_t j = 0; j < ocap; j++) {
		if (!old[j].used)
			continue;
		size_t k = home(old[j].id, t->cap);
		while (t->tab[k].used)
			k = (k + 1) & (t->cap - 1);
		t->tab[k] = old[j];
	}
	free(old);
}

struct passoc *atable_get(struct atable *t, sctp_assoc_t id, int create)
{
	size_t mask = t->cap - 1, i = home(id, t->cap);
	for (; t->tab[i].used; i = (i + 1) & mask)
		if (t->tab[i].id == id)
			return &t->tab[i];
	if (!create)
		return NULL;
	if ((t->count + 1) * 2 > t->cap) {
		grow(t);
		mask = t->cap - 1;
		for (i = home(id, t->cap); t->tab[i].used; i = (i + 1) & mask)
			;
	}
	t->tab[i] = (struct passoc){ .id = id, .used = 1 };
	t->count++;
	return &t->tab[i];
}

/* Backward-shift deletion: entries after the hole move back unless they already sit in the part of
 * the probe run that starts at their home, so every remaining entry stays reachable. */
void atable_del(struct atable *t, struct passoc *a)
{
	size_t mask = t->cap - 1, i = (size_t)(a - t->tab);
	passoc_free(a);
	t->tab[i].used = 0;
	t->count--;
	for (size_t j = (i + 1) & mask; t->tab[j].used; j = (j + 1) & mask) {
		size_t h = home(t->tab[j].id, t->cap);
		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			t->tab[i] = t->tab[j];
			t->tab[j].used = 0;
			i = j;
		}
	}
}
