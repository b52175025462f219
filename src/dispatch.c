// SPDX-License-Identifier: MIT
/*
 * dispatch.c - what the receiver pool (pool.c) and the poller (poller.c) share: the epoll instance
 * with its stop eventfd, one-shot arming of a registration under an fd-and-generation key, the
 * translation of epoll's bits to SCTPIO_READY_*, and the table of registrations indexed by fd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "internal.h"

int sctpio__epoll_open(int *epfd, int *wakefd)
{
	*wakefd = -1;
	*epfd = epoll_create1(EPOLL_CLOEXEC);
	if (*epfd < 0)
		return sctpio__err();
	*wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (*wakefd < 0)
		return sctpio__err();
	struct epoll_event wev = { .events = EPOLLIN, .data.u64 = SCTPIO__WAKE_KEY };
	return epoll_ctl(*epfd, EPOLL_CTL_ADD, *wakefd, &wev) < 0 ? sctpio__err() : 0;
}

int sctpio__epoll_arm(int epfd, int op, int fd, uint32_t gen, uint32_t want)
{
	struct epoll_event ev = { .events = EPOLLONESHOT | EPOLLRDHUP, .data.u64 = (uint64_t)gen << 32 | (uint32_t)fd };
	if (want & SCTPIO_READY_IN)
		ev.events |= EPOLLIN;
	if (want & SCTPIO_READY_OUT)
		ev.events |= EPOLLOUT;
	return epoll_ctl(epfd, op, fd, &ev) < 0 ? sctpio__err() : 0;
}

uint32_t sctpio__ready_bits(uint32_t ev)
{
	uint32_t r = 0;
	if (ev & EPOLLIN)
		r |= SCTPIO_READY_IN;
	if (ev & EPOLLOUT)
		r |= SCTPIO_READY_OUT;
	if (ev & EPOLLERR)
		r |= SCTPIO_READY_ERR;
	if (ev & (EPOLLHUP | EPOLLRDHUP))
		r |= SCTPIO_READY_HUP;
	return r;
}

int sctpio__fdtab_grow(struct sctpio__fdtab *t, int fd)
{
	size_t n = t->n ? t->n : 64;
	void **s, **b;

	if ((size_t)fd < t->n)
		return 0;
	while (n <= (size_t)fd)
		n *= 2;
	s = realloc(t->slots, n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	t->slots = s;
	b = realloc(t->busy, n * sizeof(*b));
	if (!b)
		return -ENOMEM; /* slots grew but n did not: the next grow retries both */
	t->busy = b;
	memset(s + t->n, 0, (n - t->n) * sizeof(*s));
	memset(b + t->n, 0, (n - t->n) * sizeof(*b));
	t->n = n;
	return 0;
}

void sctpio__fdtab_free(struct sctpio__fdtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->slots[i]);
	free(t->slots);
	free(t->busy);
	*t = (struct sctpio__fdtab){ 0 };
}
