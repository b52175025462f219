/* SPDX-License-Identifier: MIT */
/*
 * internal.h - declarations shared by sctpio's sources and not part of the public API.
 * Non-static internal functions are named sctpio__* and hidden by -fvisibility=hidden.
 */
#ifndef SCTPIO_INTERNAL_H
#define SCTPIO_INTERNAL_H

#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>
#include "sctpio.h"

/* The -errno of the last failed libc call, for the `return -errno` convention. */
static inline int sctpio__err(void)
{
	return errno ? -errno : -EIO;
}

/*
 * Pack n addresses back to back as SCTP's bindx/connectx expect. Returns the packed length, or
 * -EINVAL for an address of unknown family, or -ENOMEM.
 * The caller frees *out with free().
 */
int sctpio__pack_addrs(const sctpio_addr *addrs, size_t n, void **out);

/* One host text by addr.h's grammar, without resolving names: 0 for an address literal (*out filled,
 * port 0), 1 for a host name (to be resolved), -EINVAL for anything else ("" included). */
int sctpio__host_parse(const char *host, sctpio_addr *out);

/* Turn an IPv4-mapped IPv6 address (::ffff:a.b.c.d) into plain AF_INET, in place. */
void sctpio__unmap_v4(sctpio_addr *a);

/* Unpack a kernel address list (sctp_getaddrs layout) into out[0..max); returns the count seen. */
int sctpio__unpack_addrs(const void *buf, size_t len, size_t count, sctpio_addr *out, size_t max);

/* ---- options: what options.c shares with the other option files (paths, tunables, auth, stats) ---- */

/* get/set an option carried in struct sctp_assoc_value for assoc. Return 0 or -errno. */
int sctpio__av_get(int fd, int name, sctp_assoc_t assoc, uint32_t *value);
int sctpio__av_set(int fd, int name, sctp_assoc_t assoc, uint32_t value);

/* A kernel sockaddr_storage (possibly an unaligned field of a packed struct) into *out, with an
 * IPv4-mapped IPv6 address turned back into AF_INET. */
void sctpio__addr_from_kernel(sctpio_addr *out, const void *kaddr);

/* A caller's address (NULL or family 0: none, all zero) into a kernel sockaddr_storage at ss, which
 * is zeroed first. Returns 0, or -EINVAL for an unknown family. */
int sctpio__addr_to_kernel(void *ss, const sctpio_addr *a);

/* Room for the ancillary data of one send (SNDINFO + PRINFO + AUTHINFO + INIT, without the DSTADDR
 * list, which sctpio_sendv adds on the heap) and one receive (RCVINFO + NXTINFO). */
#define SCTPIO__SND_CMSG_SPACE (CMSG_SPACE(sizeof(struct sctp_sndinfo)) + CMSG_SPACE(sizeof(struct sctp_prinfo)) + \
	CMSG_SPACE(sizeof(struct sctp_authinfo)) + CMSG_SPACE(sizeof(struct sctp_initmsg)))
#define SCTPIO__RCV_CMSG_SPACE (CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + CMSG_SPACE(sizeof(struct sctp_nxtinfo)))

/*
 * Control buffers: CMSG_FIRSTHDR and CMSG_NXTHDR cast them to struct cmsghdr *, so each must be
 * aligned for it; a plain char array need not be, and reading a cmsghdr through a misaligned pointer
 * is undefined (a bus error where alignment is strict). Placed after every such buffer's declaration,
 * this fails the build when the buffer loses its alignment. (__alignof__ of a declared object
 * counts its _Alignas; a char array without one reads 1.)
 */
#define SCTPIO__ASSERT_CMSG_ALIGNED(buf) \
	_Static_assert(__alignof__(buf) >= __alignof__(struct cmsghdr), #buf " must be aligned for struct cmsghdr")

/* 0 when si may be sent with a message of len bytes, else -EINVAL. si may be NULL. */
int sctpio__sndinfo_valid(const struct sctpio_sndinfo *si, size_t len);

/* Write the SNDINFO (and PRINFO, AUTHINFO, INIT where si asks) cmsgs for si (NULL: defaults) into
 * cbuf, which has SCTPIO__SND_CMSG_SPACE bytes; returns the msg_controllen to use. */
size_t sctpio__sndinfo_cmsg(const struct sctpio_sndinfo *si, void *cbuf);

/* Fill *ri (all but `from`) from a received msghdr's flags and cmsgs. */
void sctpio__rcvinfo_parse(const struct msghdr *mh, struct sctpio_rcvinfo *ri);

/* Apply sctpio's defaults (non-blocking, cloexec, nodelay, rcvinfo, events) to a new descriptor. */
int sctpio__apply_defaults(int fd, unsigned flags, int events);

/* ---- dispatch: what the pool (pool.c) and the poller (poller.c) share, in dispatch.c ---- */

/* The stop eventfd's epoll key. A socket's key is gen << 32 | fd, and fds are below 2^31. */
#define SCTPIO__WAKE_KEY UINT64_MAX
static inline int sctpio__key_fd(uint64_t key) { return (int)(uint32_t)key; }
static inline uint32_t sctpio__key_gen(uint64_t key) { return (uint32_t)(key >> 32); }

/* A new epoll instance (*epfd) holding a never-read eventfd (*wakefd) under SCTPIO__WAKE_KEY, which
 * once written wakes every thread in epoll_wait for good. Returns 0 or -errno; on failure either
 * descriptor may be open already (or -1), for the caller's cleanup to close. */
int sctpio__epoll_open(int *epfd, int *wakefd);

/* Add or modify (op) fd's one-shot registration for want (SCTPIO_READY_IN/OUT; hang-ups always)
 * under the key of fd and gen. Returns 0 or -errno. */
int sctpio__epoll_arm(int epfd, int op, int fd, uint32_t gen, uint32_t want);

/* epoll's event bits as SCTPIO_READY_* bits. */
uint32_t sctpio__ready_bits(uint32_t epoll_events);

/* 1 when events asks only for what a registration may wait for (SCTPIO_READY_IN and OUT). */
static inline int sctpio__events_valid(uint32_t events)
{
	return !(events & ~(uint32_t)(SCTPIO_READY_IN | SCTPIO_READY_OUT));
}

/* Registrations indexed by fd, and the generation counter that makes a reused fd's old events
 * stale. slots[fd] is fd's registration (malloc'd, owned by the table). busy[fd] is a registration
 * of fd that was removed while its callback ran or a worker held it, until that ends: a newer
 * registration of the same fd is not served meanwhile (it is "parked", and re-armed when the old
 * one ends), so remove-and-add from a callback never lets two threads hold one fd. busy entries
 * are not owned by the table. The owner's lock guards both. */
struct sctpio__fdtab {
	void **slots;
	void **busy;
	size_t n;
	uint32_t next_gen;
};
static inline void *sctpio__fdtab_get(const struct sctpio__fdtab *t, int fd)
{
	return fd >= 0 && (size_t)fd < t->n ? t->slots[fd] : NULL;
}
static inline void *sctpio__fdtab_busy(const struct sctpio__fdtab *t, int fd)
{
	return fd >= 0 && (size_t)fd < t->n ? t->busy[fd] : NULL;
}
/* Make slots[fd] and busy[fd] exist (fd >= 0): 0 or -ENOMEM. */
int sctpio__fdtab_grow(struct sctpio__fdtab *t, int fd);
/* free() every entry of slots, then the table; it is left empty. */
void sctpio__fdtab_free(struct sctpio__fdtab *t);

#endif
