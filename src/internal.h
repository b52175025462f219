/* SPDX-License-Identifier: MIT */
/*
 * internal.h - declarations shared by sctpio's sources and not part of the public API.
 * Non-static internal functions are named sctpio__* and hidden by -fvisibility=hidden.
 */
#ifndef SCTPIO_INTERNAL_H
#define SCTPIO_INTERNAL_H

#include <errno.h>
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

/* Turn an IPv4-mapped IPv6 address (::ffff:a.b.c.d) into plain AF_INET, in place. */
void sctpio__unmap_v4(sctpio_addr *a);

/* Unpack a kernel address list (sctp_getaddrs layout) into out[0..max); returns the count seen. */
int sctpio__unpack_addrs(const void *buf, size_t len, size_t count, sctpio_addr *out, size_t max);

/* Room for the ancillary data of one send (SNDINFO + PRINFO) and one receive (RCVINFO + NXTINFO). */
#define SCTPIO__SND_CMSG_SPACE (CMSG_SPACE(sizeof(struct sctp_sndinfo)) + CMSG_SPACE(sizeof(struct sctp_prinfo)))
#define SCTPIO__RCV_CMSG_SPACE (CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + CMSG_SPACE(sizeof(struct sctp_nxtinfo)))

/* 0 when si may be sent with a message of len bytes, else -EINVAL. si may be NULL. */
int sctpio__sndinfo_valid(const struct sctpio_sndinfo *si, size_t len);

/* Write the SNDINFO (and PRINFO, if a policy is set) cmsgs for si (NULL: defaults) into cbuf, which
 * has SCTPIO__SND_CMSG_SPACE bytes; returns the msg_controllen to use. */
size_t sctpio__sndinfo_cmsg(const struct sctpio_sndinfo *si, void *cbuf);

/* Fill *ri (all but `from`) from a received msghdr's flags and cmsgs. */
void sctpio__rcvinfo_parse(const struct msghdr *mh, struct sctpio_rcvinfo *ri);

/* Apply sctpio's defaults (non-blocking, cloexec, nodelay, rcvinfo, events) to a new descriptor. */
int sctpio__apply_defaults(int fd, unsigned flags, int events);

#endif
