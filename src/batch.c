// SPDX-License-Identifier: MIT
/*
 * batch.c - containers of messages moved by one recvmmsg(2) or sendmmsg(2).
 *
 * Everything a container needs is carved out of one allocation: the mmsghdr array the system calls
 * take (it must be contiguous), one iovec per slot, per-slot metadata with its cmsg buffer, and the
 * slot buffers. The headers point at fixed places inside it, so a receive or a send only rewrites the
 * lengths the kernel changes. Sending uses the slots as a ring so a slot frees as soon as its message
 * went, without moving any bytes.
 */
#include <poll.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "internal.h"

/* One cmsg buffer serves both directions, so it has room for the larger. */
#define CTRL_SPACE \
	(SCTPIO__RCV_CMSG_SPACE > SCTPIO__SND_CMSG_SPACE ? SCTPIO__RCV_CMSG_SPACE : SCTPIO__SND_CMSG_SPACE)

struct slot {
	struct sctpio_rcvinfo info; /* received: decoded metadata; recvmmsg writes the sender into info.from */
	sctpio_addr to;             /* queued: the destination, copied so the caller's may change */
	uint16_t sflags;            /* queued: its SCTPIO_* send flags */
	union {
		struct cmsghdr align; /* CMSG_FIRSTHDR needs a cmsghdr-aligned buffer */
		char buf[CTRL_SPACE];
	} ctrl;
};
/* Each slot's ctrl is aligned within the slot, and the slot array starts at an offset aligned for
 * max_align_t (sctpio_batch_new), which must cover the slot's own alignment. */
SCTPIO__ASSERT_CMSG_ALIGNED(((struct slot *)0)->ctrl);
_Static_assert(alignof(struct slot) <= alignof(max_align_t), "the slot array's offset would misalign ctrl");

struct sctpio_batch {
	atomic_int busy;      /* 1 while a changing call runs: catches a second thread */
	size_t nslots, cap;
	size_t count;         /* slots filled by the last receive */
	size_t head, queued;  /* the send queue: slots head, head+1, ... (mod nslots) */
	size_t sendall;       /* how many queued messages carry SCTPIO_SENDALL */
	/* A receive error held back because slots were filled before it, and the socket it belongs
	 * to: its descriptor and, because a number is reused once closed, its inode. */
	int err, err_fd;
	dev_t err_dev;
	ino_t err_ino;
	struct mmsghdr *hdr;
	struct iovec *iov;
	struct slot *slot;
	unsigned char *data;
};

static size_t align_up(size_t n, size_t a)
{
	return (n + a - 1) & ~(a - 1);
}

/* The flag costs one uncontended atomic exchange per call, nothing next to a system call, so it is
 * always on rather than only in debug builds. */
static int enter(struct sctpio_batch *b)
{
	return atomic_exchange_explicit(&b->busy, 1, memory_order_acquire) ? -EBUSY : 0;
}

static void leave(struct sctpio_batch *b)
{
	atomic_store_explicit(&b->busy, 0, memory_order_release);
}

int sctpio_batch_new(struct sctpio_batch **out, size_t slots, size_t slot_cap)
{
	const size_t a = alignof(max_align_t);
	size_t off_hdr, off_iov, off_slot, off_data, total;
	struct sctpio_batch *b;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (slots == 0 || slot_cap == 0)
		return -EINVAL;
	if (slots > SCTPIO_BATCH_MAX_SLOTS || slot_cap > SCTPIO_BATCH_MAX_BYTES / slots)
		return -EMSGSIZE;
	off_hdr = align_up(sizeof(*b), a);
	off_iov = align_up(off_hdr + slots * sizeof(struct mmsghdr), a);
	off_slot = align_up(off_iov + slots * sizeof(struct iovec), a);
	/* Slot buffers start on a cache line so that small slots do not share one with metadata. */
	off_data = align_up(off_slot + slots * sizeof(struct slot), 64);
	total = off_data + slots * slot_cap;
	/* calloc: the bookkeeping must start zeroed, and large buffers come from fresh zero pages anyway. */
	b = calloc(1, total);
	if (!b)
		return -ENOMEM;
	atomic_init(&b->busy, 0);
	b->nslots = slots;
	b->cap = slot_cap;
	b->hdr = (struct mmsghdr *)((char *)b + off_hdr);
	b->iov = (struct iovec *)((char *)b + off_iov);
	b->slot = (struct slot *)((char *)b + off_slot);
	b->data = (unsigned char *)b + off_data;
	for (size_t i = 0; i < slots; i++) {
		b->iov[i].iov_base = b->data + i * slot_cap;
		b->hdr[i].msg_hdr.msg_iov = &b->iov[i];
		b->hdr[i].msg_hdr.msg_iovlen = 1;
		b->hdr[i].msg_hdr.msg_control = b->slot[i].ctrl.buf;
	}
	*out = b;
	return 0;
}

int sctpio_batch_free(struct sctpio_batch *b)
{
	if (!b)
		return 0;
	if (enter(b) < 0)
		return -EBUSY; /* a call runs on it now: freeing would pull the memory from under it */
	free(b);
	return 0;
}

int sctpio_batch_reset(struct sctpio_batch *b)
{
	int rc;

	if (!b)
		return -EINVAL;
	if ((rc = enter(b)) < 0)
		return rc;
	b->count = b->head = b->queued = b->sendall = 0;
	b->err = 0;
	leave(b);
	return 0;
}

/* --- receiving ------------------------------------------------------------------------------------ */

/* 1 when fd is the socket the held error came from (the same open socket, maybe by a dup). */
static int held_for(const struct sctpio_batch *b, int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && st.st_dev == b->err_dev && st.st_ino == b->err_ino;
}

/* Keep err for fd's socket. A descriptor that no longer exists has no one to tell. */
static void hold(struct sctpio_batch *b, int fd, int err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return;
	b->err = err;
	b->err_fd = fd;
	b->err_dev = st.st_dev;
	b->err_ino = st.st_ino;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Make slots from..nslots-1 ready to receive: the kernel rewrites these lengths and flags each time. */
static void recv_prepare(struct sctpio_batch *b, size_t from)
{
	for (size_t i = from; i < b->nslots; i++) {
		struct msghdr *mh = &b->hdr[i].msg_hdr;
		b->iov[i].iov_len = b->cap;
		mh->msg_name = &b->slot[i].info.from;
		mh->msg_namelen = sizeof(b->slot[i].info.from);
		mh->msg_controllen = SCTPIO__RCV_CMSG_SPACE;
		mh->msg_flags = 0;
		b->hdr[i].msg_len = 0;
	}
}

/*
 * Decode slots from..from+n-1 after recvmmsg filled them. Returns the new count: at end of stream a
 * one-to-one socket reads as an endless run of empty messages, so the first one ends the batch.
 */
static size_t recv_decode(struct sctpio_batch *b, size_t from, size_t n, int *eof)
{
	for (size_t i = from; i < from + n; i++) {
		const struct msghdr *mh = &b->hdr[i].msg_hdr;
		struct sctpio_rcvinfo *ri = &b->slot[i].info;

		sctpio__rcvinfo_parse(mh, ri);
		/* A shorter (or no) address leaves old bytes behind: clear them so `from` is exact. */
		if (mh->msg_namelen < sizeof(ri->from))
			memset((char *)&ri->from + mh->msg_namelen, 0, sizeof(ri->from) - mh->msg_namelen);
		sctpio__unmap_v4(&ri->from); /* as sctpio_recv */
		if (b->hdr[i].msg_len == 0 && !(ri->flags & SCTPIO_MSG_NOTIFICATION)) {
			ri->flags &= ~(uint32_t)SCTPIO_MSG_MORE;
			*eof = 1;
			return i + 1;
		}
	}
	return from + n;
}

static int recv_locked(struct sctpio_batch *b, int fd, size_t min, int timeout_ms)
{
	int64_t deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
	size_t got = 0;
	int eof = 0, hangups = 0, rc;

	if (b->queued)
		return -ENOTEMPTY;
	b->count = 0;
	b->head = 0;
	if (b->err) {
		if (held_for(b, fd)) {
			rc = b->err;
			b->err = 0;
			return rc;
		}
		/* Another socket's: it stays for that socket, unless that one is closed. */
		if (!held_for(b, b->err_fd))
			b->err = 0;
	}
	for (;;) {
		recv_prepare(b, got);
		/* MSG_DONTWAIT takes what is there and stops at the first gap (MSG_WAITFORONE's effect once
		 * one has come); waiting is poll's job, which also works on blocking sockets and keeps the
		 * timeout exact where recvmmsg's own timeout is only checked between messages. */
		int r = recvmmsg(fd, b->hdr + got, (unsigned)(b->nslots - got), MSG_DONTWAIT, NULL);
		if (r > 0) {
			got = recv_decode(b, got, (size_t)r, &eof);
			b->count = got;
			/* While another socket's error is held there is no room for a second: read no
			 * more once slots are filled (an error would come only from a read). */
			if (eof || got == b->nslots || got >= min || b->err)
				break;
		} else if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			rc = sctpio__err();
			goto fail;
		}
		if (timeout_ms == 0)
			break;
		int wait = -1;
		if (timeout_ms > 0) {
			int64_t left = deadline - now_ms();
			if (left <= 0)
				break;
			wait = (int)left;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		r = poll(&p, 1, wait);
		if (r < 0) {
			rc = sctpio__err();
			goto fail;
		}
		if (r == 0)
			break;
		if (p.revents & POLLNVAL) {
			rc = -EBADF;
			goto fail;
		}
		/* An error or hang-up without data gets one more read (which reports it); if that finds
		 * nothing, stop rather than spin on a descriptor that stays "ready". */
		if (!(p.revents & POLLIN) && hangups++)
			break;
	}
	return got ? (int)got : -EAGAIN;
fail:
	/* Slots already filled must reach the caller; the error waits for the next call (a signal is
	 * not an error of the socket: nothing to keep). */
	if (got) {
		if (rc != -EINTR)
			hold(b, fd, rc);
		return (int)got;
	}
	return rc;
}

int sctpio_batch_recv(struct sctpio_batch *b, int fd, size_t min, int timeout_ms)
{
	int rc;

	if (!b || min == 0 || min > b->nslots || timeout_ms < -1)
		return -EINVAL;
	if (fd < 0)
		return -EBADF;
	if ((rc = enter(b)) < 0)
		return rc;
	rc = recv_locked(b, fd, min, timeout_ms);
	leave(b);
	return rc;
}

size_t sctpio_batch_count(const struct sctpio_batch *b)
{
	return b ? b->count : 0;
}

const void *sctpio_batch_data(const struct sctpio_batch *b, size_t i, size_t *len)
{
	if (!b || i >= b->count) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = b->hdr[i].msg_len;
	return b->data + i * b->cap;
}

const struct sctpio_rcvinfo *sctpio_batch_info(const struct sctpio_batch *b, size_t i)
{
	return b && i < b->count ? &b->slot[i].info : NULL;
}

/* --- sending -------------------------------------------------------------------------------------- */

int sctpio_batch_add(struct sctpio_batch *b, const void *data, size_t len, const struct sctpio_sndinfo *info)
{
	int rc;

	if (!b || (len && !data))
		return -EINVAL;
	if ((rc = sctpio__sndinfo_valid(info, len)) < 0)
		return rc;
	if (len > b->cap)
		return -EMSGSIZE;
	/* A slot's ancillary space is fixed; a list of further peer addresses does not fit it. */
	if (info && info->n_also_to)
		return -EINVAL;
	/* Linux takes SCTP_EOF only on an empty message, and one slot is one sendmmsg entry. */
	if (info && (info->flags & SCTPIO_EOF) && len)
		return -EINVAL;
	if ((rc = enter(b)) < 0)
		return rc;
	if (b->queued == b->nslots) {
		rc = -ENOBUFS;
		goto out;
	}
	b->count = 0;
	size_t i = (b->head + b->queued) % b->nslots;
	struct msghdr *mh = &b->hdr[i].msg_hdr;
	/* memmove, not memcpy: a caller may pass bytes that still sit in one of the slots. */
	if (len)
		memmove(b->data + i * b->cap, data, len);
	b->iov[i].iov_len = len;
	if (info && info->to) {
		socklen_t alen = sctpio_addr_len(info->to);
		memcpy(&b->slot[i].to, info->to, alen);
		mh->msg_name = &b->slot[i].to;
		mh->msg_namelen = alen;
	} else {
		mh->msg_name = NULL;
		mh->msg_namelen = 0;
	}
	mh->msg_controllen = sctpio__sndinfo_cmsg(info, b->slot[i].ctrl.buf);
	mh->msg_flags = 0;
	b->slot[i].sflags = info ? info->flags : 0;
	if (b->slot[i].sflags & SCTPIO_SENDALL)
		b->sendall++;
	b->queued++;
	rc = (int)i;
out:
	leave(b);
	return rc;
}

/* The first n queued messages leave the queue. */
static void dequeue(struct sctpio_batch *b, size_t n)
{
	for (size_t k = 0; k < n && b->sendall; k++)
		if (b->slot[(b->head + k) % b->nslots].sflags & SCTPIO_SENDALL)
			b->sendall--;
	b->head = (b->head + n) % b->nslots;
	b->queued -= n;
}

/*
 * How many queued messages may go on fd: all, except that a one-to-one socket stops before the
 * first SCTPIO_SENDALL message, which Linux would send as an ordinary one (sctpio_send refuses it
 * there; so does this, at the head of the queue). Or -errno from asking the socket's style, which
 * is asked only while such a message is queued.
 */
static int sendable(const struct sctpio_batch *b, int fd, size_t *n)
{
	*n = b->queued;
	if (!b->sendall)
		return 0;
	int style = sctpio_sock_style(fd);
	if (style < 0)
		return style;
	if (style == SCTPIO_ONE_TO_ONE)
		for (size_t k = 0; k < b->queued; k++)
			if (b->slot[(b->head + k) % b->nslots].sflags & SCTPIO_SENDALL) {
				*n = k;
				break;
			}
	return 0;
}

int sctpio_batch_send(struct sctpio_batch *b, int fd)
{
	int rc, total = 0;
	size_t left;

	if (!b)
		return -EINVAL;
	if (fd < 0)
		return -EBADF;
	if ((rc = enter(b)) < 0)
		return rc;
	if ((rc = sendable(b, fd, &left)) < 0)
		goto out;
	if (b->queued && !left)
		rc = -EINVAL;
	while (left) {
		/* The queue may wrap round the ring: send the part up to the end, then the rest. */
		size_t run = b->nslots - b->head < left ? b->nslots - b->head : left;
		int r = sendmmsg(fd, b->hdr + b->head, (unsigned)run, MSG_NOSIGNAL);
		if (r < 0) {
			/* Nothing of this run went. Report it only when nothing went at all: sendmmsg
			 * drops the reason of an early stop anyway, and the next call meets it again on
			 * the same first queued message. */
			if (!total)
				rc = sctpio__err();
			break;
		}
		/* Exactly r went; the next one to go is the first of the rest. */
		dequeue(b, (size_t)r);
		left -= (size_t)r;
		total += r;
		if ((size_t)r < run)
			break;
	}
	/* An empty queue restarts at slot 0, so slot numbers stay predictable. */
	if (!b->queued)
		b->head = 0;
out:
	leave(b);
	return total ? total : rc;
}

size_t sctpio_batch_pending(const struct sctpio_batch *b)
{
	return b ? b->queued : 0;
}

int sctpio_batch_drop(struct sctpio_batch *b)
{
	int rc;

	if (!b)
		return -EINVAL;
	if ((rc = enter(b)) < 0)
		return rc;
	if (!b->queued) {
		rc = -ENOENT;
	} else {
		rc = (int)b->head;
		dequeue(b, 1);
		if (!b->queued)
			b->head = 0;
	}
	leave(b);
	return rc;
}
