// SPDX-License-Identifier: MIT
/*
 * msg.c - one message with its RFC 6458 ancillary data: SCTP_SNDINFO/PRINFO/AUTHINFO/INIT/DSTADDRV4/V6 out,
 * SCTP_RCVINFO/SCTP_NXTINFO in. The cmsg builders and parsers here are shared with the batch layer.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

int sctpio__sndinfo_valid(const struct sctpio_sndinfo *si, size_t len)
{
	const unsigned known = SCTPIO_UNORDERED | SCTPIO_EOF | SCTPIO_ABORT | SCTPIO_SENDALL | SCTPIO_ADDR_OVER |
			       SCTPIO_AUTH_KEY;

	if (!si)
		return len ? 0 : -EINVAL;
	if ((si->flags & ~known) || si->pr_policy > SCTPIO_PR_PRIO)
		return -EINVAL;
	/* A shutdown and an abort at once mean nothing the kernel could do. */
	if ((si->flags & SCTPIO_EOF) && (si->flags & SCTPIO_ABORT))
		return -EINVAL;
	/* An empty message is meaningful only as a shutdown or an abort without a reason. */
	if (len == 0 && !(si->flags & (SCTPIO_EOF | SCTPIO_ABORT)))
		return -EINVAL;
	if (si->to && !sctpio_addr_len(si->to))
		return -EINVAL;
	if ((si->flags & SCTPIO_ADDR_OVER) && !si->to)
		return -EINVAL;
	/* Further peer addresses go with the port of `to`, and only IPv4 and IPv6 ones exist. */
	if (si->n_also_to && (!si->also_to || !si->to || si->n_also_to > SCTPIO_ALSO_TO_MAX))
		return -EINVAL;
	for (size_t i = 0; i < si->n_also_to; i++)
		if (si->also_to[i].sa.sa_family != AF_INET && si->also_to[i].sa.sa_family != AF_INET6)
			return -EINVAL;
	/* A longer reason than one IP packet carries: Linux takes up to 65,524 bytes (then -ENOMEM),
	 * but an ABORT that does not fit in one packet is dropped on the way, and the peer never
	 * learns of the abort. */
	if ((si->flags & SCTPIO_ABORT) && len > SCTPIO_ABORT_REASON_MAX)
		return -EMSGSIZE;
	return 0;
}

size_t sctpio__sndinfo_cmsg(const struct sctpio_sndinfo *si, void *cbuf)
{
	struct cmsghdr *c = cbuf;
	struct sctp_sndinfo snd = { 0 };
	size_t used;

	/* No info means no SNDINFO at all, so that the socket's SCTP_DEFAULT_SNDINFO applies. */
	if (!si)
		return 0;
	snd.snd_sid = si->stream;
	snd.snd_ppid = htonl(si->ppid);
	snd.snd_context = si->context;
	snd.snd_assoc_id = si->assoc_id;
	if (si->flags & SCTPIO_UNORDERED)
		snd.snd_flags |= SCTP_UNORDERED;
	if (si->flags & SCTPIO_EOF)
		snd.snd_flags |= SCTP_EOF;
	if (si->flags & SCTPIO_ABORT)
		snd.snd_flags |= SCTP_ABORT;
	if (si->flags & SCTPIO_SENDALL)
		snd.snd_flags |= SCTP_SENDALL;
	if (si->flags & SCTPIO_ADDR_OVER)
		snd.snd_flags |= SCTP_ADDR_OVER;
	memset(cbuf, 0, SCTPIO__SND_CMSG_SPACE);
	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_SNDINFO;
	c->cmsg_len = CMSG_LEN(sizeof(snd));
	memcpy(CMSG_DATA(c), &snd, sizeof(snd));
	used = CMSG_SPACE(sizeof(snd));
	if (si->pr_policy != SCTPIO_PR_NONE) {
		/* The kernel numbers policies SCTP_PR_SCTP_TTL (0x10) and up: sctpio's 1..3 shifted by 4. */
		struct sctp_prinfo pr = { .pr_policy = (uint16_t)(si->pr_policy << 4), .pr_value = si->pr_value };
		c = (struct cmsghdr *)((char *)cbuf + used);
		c->cmsg_level = IPPROTO_SCTP;
		c->cmsg_type = SCTP_PRINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pr));
		memcpy(CMSG_DATA(c), &pr, sizeof(pr));
		used += CMSG_SPACE(sizeof(pr));
	}
	if (si->flags & SCTPIO_AUTH_KEY) {
		struct sctp_authinfo au = { .auth_keynumber = si->auth_key };
		c = (struct cmsghdr *)((char *)cbuf + used);
		c->cmsg_level = IPPROTO_SCTP;
		c->cmsg_type = SCTP_AUTHINFO;
		c->cmsg_len = CMSG_LEN(sizeof(au));
		memcpy(CMSG_DATA(c), &au, sizeof(au));
		used += CMSG_SPACE(sizeof(au));
	}
	if (si->init) {
		struct sctp_initmsg im = *si->init;
		c = (struct cmsghdr *)((char *)cbuf + used);
		c->cmsg_level = IPPROTO_SCTP;
		c->cmsg_type = SCTP_INIT;
		c->cmsg_len = CMSG_LEN(sizeof(im));
		memcpy(CMSG_DATA(c), &im, sizeof(im));
		used += CMSG_SPACE(sizeof(im));
	}
	return used;
}

/* Room for si's DSTADDRV4/V6 cmsgs (0 without also_to). */
static size_t dstaddr_space(const struct sctpio_sndinfo *si)
{
	size_t n = 0;
	for (size_t i = 0; si && i < si->n_also_to; i++)
		n += si->also_to[i].sa.sa_family == AF_INET ? CMSG_SPACE(sizeof(struct in_addr))
							     : CMSG_SPACE(sizeof(struct in6_addr));
	return n;
}

/* Append si's DSTADDRV4/V6 cmsgs at cbuf + used; returns the new length. */
static size_t dstaddr_cmsg(const struct sctpio_sndinfo *si, char *cbuf, size_t used)
{
	for (size_t i = 0; i < si->n_also_to; i++) {
		const sctpio_addr *a = &si->also_to[i];
		struct cmsghdr *c = (struct cmsghdr *)(cbuf + used);
		int v4 = a->sa.sa_family == AF_INET;
		size_t len = v4 ? sizeof(struct in_addr) : sizeof(struct in6_addr);
		c->cmsg_level = IPPROTO_SCTP;
		c->cmsg_type = v4 ? SCTP_DSTADDRV4 : SCTP_DSTADDRV6;
		c->cmsg_len = CMSG_LEN(len);
		memcpy(CMSG_DATA(c), v4 ? (const void *)&a->sin.sin_addr : (const void *)&a->sin6.sin6_addr, len);
		used += CMSG_SPACE(len);
	}
	return used;
}

void sctpio__rcvinfo_parse(const struct msghdr *mh, struct sctpio_rcvinfo *ri)
{
	memset(ri, 0, offsetof(struct sctpio_rcvinfo, from));
	memset(&ri->next_stream, 0, sizeof(*ri) - offsetof(struct sctpio_rcvinfo, next_stream));
	if (mh->msg_flags & MSG_NOTIFICATION)
		ri->flags |= SCTPIO_MSG_NOTIFICATION;
	if (!(mh->msg_flags & MSG_EOR))
		ri->flags |= SCTPIO_MSG_MORE;
	if (mh->msg_flags & MSG_CTRUNC)
		ri->flags |= SCTPIO_MSG_CTRUNC;
	if (!mh->msg_control)
		return;
	const char *end = (const char *)mh->msg_control + mh->msg_controllen;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR((struct msghdr *)mh, c)) {
		/* Neither CMSG macro checks the length a header claims: a header claiming more than
		 * remains would make CMSG_DATA reads run past the buffer (found by fuzz_rcvinfo). */
		if (c->cmsg_len < sizeof(*c) || c->cmsg_len > (size_t)(end - (const char *)c))
			break;
		if (c->cmsg_level != IPPROTO_SCTP)
			continue;
		if (c->cmsg_type == SCTP_RCVINFO && c->cmsg_len >= CMSG_LEN(sizeof(struct sctp_rcvinfo))) {
			struct sctp_rcvinfo r;
			memcpy(&r, CMSG_DATA(c), sizeof(r));
			ri->flags |= SCTPIO_MSG_HAS_INFO;
			if (r.rcv_flags & SCTP_UNORDERED)
				ri->flags |= SCTPIO_MSG_UNORDERED;
			ri->stream = r.rcv_sid;
			ri->ssn = r.rcv_ssn;
			ri->ppid = ntohl(r.rcv_ppid);
			ri->tsn = r.rcv_tsn;
			ri->cumtsn = r.rcv_cumtsn;
			ri->context = r.rcv_context;
			ri->assoc_id = r.rcv_assoc_id;
		} else if (c->cmsg_type == SCTP_NXTINFO && c->cmsg_len >= CMSG_LEN(sizeof(struct sctp_nxtinfo))) {
			struct sctp_nxtinfo n;
			memcpy(&n, CMSG_DATA(c), sizeof(n));
			ri->flags |= SCTPIO_MSG_HAS_NEXT;
			ri->next_stream = n.nxt_sid;
			ri->next_flags = n.nxt_flags;
			ri->next_ppid = ntohl(n.nxt_ppid);
			ri->next_length = n.nxt_length;
			ri->next_assoc_id = n.nxt_assoc_id;
		}
	}
}

static ssize_t sendv_raw(int fd, const struct iovec *iov, int iovcnt, const struct sctpio_sndinfo *info)
{
	_Alignas(struct cmsghdr) char fixed[SCTPIO__SND_CMSG_SPACE]; /* CMSG_FIRSTHDR casts it */
	SCTPIO__ASSERT_CMSG_ALIGNED(fixed);
	size_t extra = dstaddr_space(info);
	/* The address list can be long: on the heap (a stack array is how sctp_sendv smashed it);
	 * calloc's memory is aligned for any type, cmsghdr included. */
	char *cbuf = extra ? calloc(1, SCTPIO__SND_CMSG_SPACE + extra) : fixed;
	if (!cbuf)
		return -ENOMEM;
	struct msghdr mh = {
		.msg_name = info && info->to ? (void *)info->to : NULL,
		.msg_namelen = info && info->to ? sctpio_addr_len(info->to) : 0,
		.msg_iov = (struct iovec *)iov,
		.msg_iovlen = (size_t)iovcnt,
		.msg_control = cbuf,
		.msg_controllen = sctpio__sndinfo_cmsg(info, cbuf),
	};
	if (extra)
		mh.msg_controllen = dstaddr_cmsg(info, cbuf, mh.msg_controllen);
	if (!mh.msg_controllen)
		mh.msg_control = NULL;
	ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);
	int err = n < 0 ? sctpio__err() : 0;
	if (cbuf != fixed)
		free(cbuf);
	return n < 0 ? err : n;
}

/* 0 when the association a message with info goes to is established, else -EINVAL (none, or not up
 * yet) or the -errno of the query. One-to-one: the socket's association. */
static int assoc_established(int fd, int style, const struct sctpio_sndinfo *info)
{
	struct sctp_status st = { .sstat_assoc_id = info->assoc_id };
	socklen_t l;

	if (style == SCTPIO_ONE_TO_ONE) {
		st.sstat_assoc_id = 0;
	} else if (info->to) {
		/* The kernel picks the association by address when one is given: ask it the same way. */
		struct sctp_paddrinfo pi = { .spinfo_assoc_id = info->assoc_id };
		memcpy(&pi.spinfo_address, info->to, sctpio_addr_len(info->to));
		l = sizeof(pi);
		if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l) < 0)
			return errno == EINVAL || errno == ENOENT ? -EINVAL : sctpio__err();
		st.sstat_assoc_id = pi.spinfo_assoc_id;
	}
	l = sizeof(st);
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &l) < 0)
		return errno == EINVAL || errno == ENOTCONN ? -EINVAL : sctpio__err();
	return st.sstat_state == SCTP_ESTABLISHED ? 0 : -EINVAL;
}

/*
 * The flags Linux handles differently by style or not at all, made to do what msg.h says. Linux
 * ignores SCTP_SENDALL on one-to-one sockets (one ordinary message goes), refuses SCTP_ABORT and
 * SCTP_EOF there, and takes SCTP_EOF only on an empty message. Each costs a system call or two, paid
 * only by the messages that carry these flags.
 */
static ssize_t sendv_special(int fd, const struct iovec *iov, int iovcnt, size_t len,
			     const struct sctpio_sndinfo *info)
{
	int style = sctpio_sock_style(fd), rc;

	if (style < 0)
		return style;
	if (style == SCTPIO_ONE_TO_ONE) {
		if (info->flags & SCTPIO_SENDALL)
			return -EINVAL;
		if (info->flags & SCTPIO_ABORT)
			return -EOPNOTSUPP;
	}
	if (!(info->flags & SCTPIO_EOF) || (style == SCTPIO_ONE_TO_MANY && len == 0))
		return sendv_raw(fd, iov, iovcnt, info);
	/* SCTPIO_EOF with data (or on one-to-one): the message, then the shutdown. A shutdown of an
	 * association that is not up yet deletes it with the message, so that case is refused before
	 * anything goes (SENDALL reaches only established associations anyway). */
	if (len && !(info->flags & SCTPIO_SENDALL) && (rc = assoc_established(fd, style, info)) < 0)
		return rc;
	ssize_t n = 0;
	if (len) {
		struct sctpio_sndinfo data = *info;
		data.flags &= (uint16_t)~SCTPIO_EOF;
		if ((n = sendv_raw(fd, iov, iovcnt, &data)) < 0)
			return n;
	}
	if (style == SCTPIO_ONE_TO_ONE) {
		rc = shutdown(fd, SHUT_WR) < 0 ? sctpio__err() : 0;
	} else {
		struct sctpio_sndinfo eof = *info;
		eof.pr_policy = SCTPIO_PR_NONE;
		rc = (int)sendv_raw(fd, NULL, 0, &eof);
	}
	/* Once the message went, its length is the answer: it must not be sent again. The shutdown
	 * fails only when the association is gone already, which its notifications tell. */
	return len ? n : rc;
}

ssize_t sctpio_sendv(int fd, const struct iovec *iov, int iovcnt, const struct sctpio_sndinfo *info)
{
	size_t len = 0;
	int rc;

	if (fd < 0)
		return -EBADF;
	if (iovcnt < 0 || (iovcnt > 0 && !iov))
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len && !iov[i].iov_base)
			return -EINVAL;
		len += iov[i].iov_len;
	}
	if ((rc = sctpio__sndinfo_valid(info, len)) < 0)
		return rc;
	if (info && (info->flags & (SCTPIO_EOF | SCTPIO_ABORT | SCTPIO_SENDALL)))
		return sendv_special(fd, iov, iovcnt, len, info);
	return sendv_raw(fd, iov, iovcnt, info);
}

ssize_t sctpio_send(int fd, const void *buf, size_t len, const struct sctpio_sndinfo *info)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	if (len && !buf)
		return -EINVAL;
	return sctpio_sendv(fd, &iov, len ? 1 : 0, info);
}

ssize_t sctpio_recv(int fd, void *buf, size_t cap, struct sctpio_rcvinfo *info)
{
	struct iovec iov = { .iov_base = buf, .iov_len = cap };

	if (fd < 0)
		return -EBADF;
	if (!buf || cap == 0)
		return -EINVAL;
	return sctpio_recvv(fd, &iov, 1, info);
}

ssize_t sctpio_recvv(int fd, const struct iovec *iov, int iovcnt, struct sctpio_rcvinfo *info)
{
	_Alignas(struct cmsghdr) char cbuf[SCTPIO__RCV_CMSG_SPACE]; /* CMSG_FIRSTHDR casts it */
	SCTPIO__ASSERT_CMSG_ALIGNED(cbuf);
	struct sctpio_rcvinfo scratch;
	size_t cap = 0;

	if (fd < 0)
		return -EBADF;
	if (!iov || iovcnt <= 0 || iovcnt > IOV_MAX)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len && !iov[i].iov_base)
			return -EINVAL;
		cap += iov[i].iov_len;
	}
	if (cap == 0)
		return -EINVAL;
	if (!info)
		info = &scratch;
	memset(&info->from, 0, sizeof(info->from));
	struct msghdr mh = {
		.msg_name = &info->from,
		.msg_namelen = sizeof(info->from),
		.msg_iov = (struct iovec *)iov,
		.msg_iovlen = (size_t)iovcnt,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	ssize_t n = recvmsg(fd, &mh, 0);
	if (n < 0)
		return sctpio__err();
	sctpio__rcvinfo_parse(&mh, info);
	sctpio__unmap_v4(&info->from);
	/* End of stream on a one-to-one socket is not a partial message. */
	if (n == 0)
		info->flags &= ~(uint32_t)SCTPIO_MSG_MORE;
	return n;
}

/*
 * 1 when the next item on fd may go on the message described by msg: a piece of the same kind
 * (notification or data) and, for data with RCVINFO, of the same association, stream and sequence
 * number. 0 when it cannot: the message was cut (an abort, an aborted partial delivery, the end of
 * the stream) and what comes next must not be appended. Or -errno. The look is a MSG_PEEK of one
 * byte, so nothing is taken from the socket.
 */
static int continues(int fd, const struct sctpio_rcvinfo *msg)
{
	_Alignas(struct cmsghdr) char cbuf[SCTPIO__RCV_CMSG_SPACE]; /* CMSG_FIRSTHDR casts it */
	SCTPIO__ASSERT_CMSG_ALIGNED(cbuf);
	struct sctpio_rcvinfo next;
	char dummy;
	struct iovec iov = { .iov_base = &dummy, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };

	ssize_t n = recvmsg(fd, &mh, MSG_PEEK);
	if (n < 0)
		return sctpio__err();
	/* Nothing at all is the end of the stream (SCTP has no empty messages): nothing more of this
	 * one will come. */
	if (n == 0)
		return 0;
	sctpio__rcvinfo_parse(&mh, &next);
	if ((next.flags ^ msg->flags) & SCTPIO_MSG_NOTIFICATION)
		return 0;
	if ((next.flags & msg->flags & SCTPIO_MSG_HAS_INFO) &&
	    (next.assoc_id != msg->assoc_id || next.stream != msg->stream || next.ssn != msg->ssn ||
	     ((next.flags ^ msg->flags) & SCTPIO_MSG_UNORDERED)))
		return 0;
	return 1;
}

int sctpio_recv_append(int fd, void *buf, size_t cap, size_t *len, struct sctpio_rcvinfo *info)
{
	struct sctpio_rcvinfo piece;
	int rc;

	if (!buf || !len || !info || *len > cap)
		return -EINVAL;
	if (fd < 0)
		return -EBADF;
	if (*len == cap)
		return -EMSGSIZE;
	/* Inside a message, look before reading: a notification or another message must never be
	 * glued onto this one's bytes (the kernel ends a cut message with no MSG_EOR, then delivers
	 * the COMM_LOST or PARTIAL_DELIVERY_EVENT that says why). */
	if (*len && (rc = continues(fd, info)) <= 0)
		return rc < 0 ? rc : -EPIPE;
	ssize_t n = sctpio_recv(fd, (char *)buf + *len, cap - *len, &piece);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		/* End of stream between messages: complete, with length 0. (Inside one, continues()
		 * said -EPIPE already.) */
		*info = piece;
		return 1;
	}
	/* The first piece's metadata describes the message; keep it and update only the flags. */
	if (*len == 0)
		*info = piece;
	else
		info->flags = (info->flags & ~(uint32_t)SCTPIO_MSG_MORE) | (piece.flags & SCTPIO_MSG_MORE);
	*len += (size_t)n;
	if (!(piece.flags & SCTPIO_MSG_MORE))
		return 1;
	return *len == cap ? -EMSGSIZE : 0;
}
