// SPDX-License-Identifier: MIT
/*
 * socket.c - SCTP endpoints: open with safe defaults, multi-homed bind and connect, accept, peeloff,
 * shutdown, abort and address lists.
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

static int setopt(int fd, int level, int name, const void *val, socklen_t len)
{
	return setsockopt(fd, level, name, val, len) < 0 ? sctpio__err() : 0;
}

int sctpio__apply_defaults(int fd, unsigned flags, int events)
{
	int on = 1, rc;

	if (!(flags & SCTPIO_NAGLE) && (rc = setopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on))) < 0)
		return rc;
	if ((rc = setopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on))) < 0)
		return rc;
	/* IPv4 peers of a dual-stack socket are reported as AF_INET, not ::ffff:a.b.c.d, so that an
	 * address compares equal to the one the user parsed, whatever the socket's family. */
	int off = 0;
	if ((rc = setopt(fd, IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, &off, sizeof(off))) < 0)
		return rc;
	if (events && !(flags & SCTPIO_NO_EVENTS)) {
		static const uint16_t types[] = { SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_EVENT };
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			if ((rc = sctpio_sock_subscribe(fd, SCTP_FUTURE_ASSOC, types[i], 1)) < 0)
				return rc;
		}
	}
	return 0;
}

int sctpio_sock_open(int family, int style, unsigned flags)
{
	const unsigned known = SCTPIO_BLOCKING | SCTPIO_NAGLE | SCTPIO_NO_EVENTS | SCTPIO_IPV4_ONLY | SCTPIO_V6_ONLY;
	int type, fd, rc;

	if ((family != AF_INET && family != AF_INET6) || (flags & ~known))
		return -EINVAL;
	if (style == SCTPIO_ONE_TO_ONE)
		type = SOCK_STREAM;
	else if (style == SCTPIO_ONE_TO_MANY)
		type = SOCK_SEQPACKET;
	else
		return -EINVAL;
	type |= SOCK_CLOEXEC;
	if (!(flags & SCTPIO_BLOCKING))
		type |= SOCK_NONBLOCK;
	fd = socket(family, type, IPPROTO_SCTP);
	if (fd < 0)
		return sctpio__err();
	if (family == AF_INET6) {
		int v6only = (flags & SCTPIO_V6_ONLY) ? 1 : 0;
		if ((rc = setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only))) < 0)
			goto fail;
	}
	if ((rc = sctpio__apply_defaults(fd, flags, 1)) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return rc;
}

static int bindx(int fd, const sctpio_addr *addrs, size_t n, int op)
{
	void *packed;
	int len, rc;

	if (fd < 0)
		return -EBADF;
	if ((len = sctpio__pack_addrs(addrs, n, &packed)) < 0)
		return len;
	rc = setopt(fd, IPPROTO_SCTP, op, packed, (socklen_t)len);
	free(packed);
	return rc;
}

int sctpio_sock_bind(int fd, const sctpio_addr *addrs, size_t n)
{
	if (fd < 0)
		return -EBADF;
	if (!addrs || n == 0)
		return -EINVAL;
	if (n == 1) {
		socklen_t l = sctpio_addr_len(addrs);
		if (!l)
			return -EINVAL;
		return bind(fd, &addrs->sa, l) < 0 ? sctpio__err() : 0;
	}
	return bindx(fd, addrs, n, SCTP_SOCKOPT_BINDX_ADD);
}

int sctpio_sock_bind_add(int fd, const sctpio_addr *addrs, size_t n)
{
	return bindx(fd, addrs, n, SCTP_SOCKOPT_BINDX_ADD);
}

int sctpio_sock_bind_remove(int fd, const sctpio_addr *addrs, size_t n)
{
	return bindx(fd, addrs, n, SCTP_SOCKOPT_BINDX_REM);
}

int sctpio_sock_listen(int fd, int backlog)
{
	if (backlog < 0)
		return -EINVAL;
	return listen(fd, backlog ? backlog : SOMAXCONN) < 0 ? sctpio__err() : 0;
}

int sctpio_sock_style(int fd)
{
	int type = 0, proto = 0;
	socklen_t l = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l) < 0)
		return sctpio__err();
	l = sizeof(proto);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l) < 0)
		return sctpio__err();
	if (proto != IPPROTO_SCTP)
		return -EPROTONOSUPPORT;
	return type == SOCK_STREAM ? SCTPIO_ONE_TO_ONE : SCTPIO_ONE_TO_MANY;
}

int sctpio_sock_connect(int fd, const sctpio_addr *peers, size_t n, sctp_assoc_t *assoc_id)
{
	void *packed;
	int len, rc, style;

	if (fd < 0)
		return -EBADF;
	if ((style = sctpio_sock_style(fd)) < 0)
		return style;
	if ((len = sctpio__pack_addrs(peers, n, &packed)) < 0)
		return len;
	/* CONNECTX3 reports the association id even when the setup is still in progress. */
	/* Despite its name, addr_num is the packed length in bytes. */
	struct sctp_getaddrs_old param = { .assoc_id = 0, .addr_num = len, .addrs = packed };
	socklen_t l = sizeof(param);
	rc = getsockopt(fd, IPPROTO_SCTP, SCTP_SOCKOPT_CONNECTX3, &param, &l) < 0 ? sctpio__err() : 0;
	free(packed);
	if (rc == 0 || rc == -EINPROGRESS) {
		if (assoc_id)
			*assoc_id = param.assoc_id;
		if (rc == -EINPROGRESS && style == SCTPIO_ONE_TO_MANY)
			rc = 0;
	}
	return rc;
}

int sctpio_sock_error(int fd)
{
	int err = 0;
	socklen_t l = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
		return sctpio__err();
	return -err;
}

int sctpio_sock_accept(int fd, sctpio_addr *peer, unsigned flags)
{
	sctpio_addr a = { 0 }; /* the kernel writes only its family's length: the rest stays zero */
	socklen_t l = sizeof(a);
	int nfd, rc;

	nfd = accept4(fd, &a.sa, &l, SOCK_CLOEXEC | ((flags & SCTPIO_BLOCKING) ? 0 : SOCK_NONBLOCK));
	if (nfd < 0)
		return sctpio__err();
	sctpio__unmap_v4(&a); /* an IPv4 peer of a dual-stack listener is AF_INET, as everywhere */
	if (peer)
		*peer = a;
	/* Event subscriptions migrate with the association; NODELAY and RCVINFO are set anew. */
	if ((rc = sctpio__apply_defaults(nfd, flags, 0)) < 0) {
		close(nfd);
		return rc;
	}
	return nfd;
}

/* AF_INET6 when any address is IPv6 (a wildcard included), so mixed lists get a dual-stack socket. */
static int family_of(const sctpio_addr *addrs, size_t n, unsigned flags)
{
	if (flags & SCTPIO_IPV4_ONLY)
		return AF_INET;
	for (size_t i = 0; i < n; i++)
		if (addrs[i].sa.sa_family == AF_INET6)
			return AF_INET6;
	return n ? AF_INET : AF_INET6;
}

/* What must be set between socket(2) and bind/connect: stream counts and buffer sizes fix what the
 * INIT and INIT-ACK announce. */
static int apply_setup(int fd, const struct sctpio_sock_setup *su)
{
	int rc = 0;

	if (!su)
		return 0;
	if (su->rcvbuf < 0 || su->sndbuf < 0)
		return -EINVAL;
	if (su->init && (rc = sctpio_opt_set_initmsg(fd, su->init)) < 0)
		return rc;
	if (su->rcvbuf && (rc = sctpio_opt_set_rcvbuf(fd, su->rcvbuf)) < 0)
		return rc;
	if (su->sndbuf && (rc = sctpio_opt_set_sndbuf(fd, su->sndbuf)) < 0)
		return rc;
	return 0;
}

int sctpio_sock_server(int style, const sctpio_addr *addrs, size_t n, int backlog, unsigned flags)
{
	return sctpio_sock_server_setup(style, addrs, n, backlog, flags, NULL);
}

int sctpio_sock_server_setup(int style, const sctpio_addr *addrs, size_t n, int backlog, unsigned flags,
			     const struct sctpio_sock_setup *setup)
{
	int fd, rc;

	if (!addrs || n == 0)
		return -EINVAL;
	if ((fd = sctpio_sock_open(family_of(addrs, n, flags), style, flags)) < 0)
		return fd;
	if ((rc = apply_setup(fd, setup)) < 0 || (rc = sctpio_sock_bind(fd, addrs, n)) < 0 ||
	    (rc = sctpio_sock_listen(fd, backlog)) < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int sctpio_sock_client(int style, const sctpio_addr *peers, size_t npeers, const sctpio_addr *local, size_t nlocal,
		       unsigned flags, sctp_assoc_t *assoc_id)
{
	return sctpio_sock_client_setup(style, peers, npeers, local, nlocal, flags, NULL, assoc_id);
}

int sctpio_sock_client_setup(int style, const sctpio_addr *peers, size_t npeers, const sctpio_addr *local,
			     size_t nlocal, unsigned flags, const struct sctpio_sock_setup *setup,
			     sctp_assoc_t *assoc_id)
{
	int fd, rc, family;

	if (!peers || npeers == 0 || (nlocal && !local))
		return -EINVAL;
	family = family_of(peers, npeers, flags);
	if (family == AF_INET && nlocal && family_of(local, nlocal, flags) == AF_INET6)
		family = AF_INET6;
	if ((fd = sctpio_sock_open(family, style, flags)) < 0)
		return fd;
	if ((rc = apply_setup(fd, setup)) < 0)
		goto fail;
	if (nlocal && (rc = sctpio_sock_bind(fd, local, nlocal)) < 0)
		goto fail;
	rc = sctpio_sock_connect(fd, peers, npeers, assoc_id);
	if (rc < 0 && rc != -EINPROGRESS)
		goto fail;
	return fd;
fail:
	close(fd);
	return rc;
}

int sctpio_sock_peeloff(int fd, sctp_assoc_t assoc_id, unsigned flags)
{
	sctp_peeloff_flags_arg_t arg = { .p_arg = { .associd = assoc_id },
					 .flags = O_CLOEXEC | ((flags & SCTPIO_BLOCKING) ? 0 : O_NONBLOCK) };
	socklen_t l = sizeof(arg);

	if (fd < 0)
		return -EBADF;
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_SOCKOPT_PEELOFF_FLAGS, &arg, &l) < 0)
		return sctpio__err();
	return arg.p_arg.sd;
}

int sctpio_sock_shutdown(int fd, sctp_assoc_t assoc_id)
{
	int style = sctpio_sock_style(fd);

	if (style < 0)
		return style;
	if (style == SCTPIO_ONE_TO_ONE)
		return shutdown(fd, SHUT_WR) < 0 ? sctpio__err() : 0;
	struct sctpio_sndinfo si = { .flags = SCTPIO_EOF, .assoc_id = assoc_id };
	ssize_t rc = sctpio_send(fd, NULL, 0, &si);
	return rc < 0 ? (int)rc : 0;
}

int sctpio_sock_abort(int fd, sctp_assoc_t assoc_id, const void *reason, size_t len)
{
	struct sctpio_sndinfo si = { .flags = SCTPIO_ABORT, .assoc_id = assoc_id };
	int style = sctpio_sock_style(fd);

	if (style < 0)
		return style;
	/* Linux refuses SCTP_ABORT (and SCTP_EOF) in sendmsg on one-to-one sockets; say so plainly
	 * rather than pass the kernel's -EINVAL on, which reads like a bad argument. */
	if (style == SCTPIO_ONE_TO_ONE)
		return -EOPNOTSUPP;
	if (len && !reason)
		return -EINVAL;
	if (len > SCTPIO_ABORT_REASON_MAX)
		return -EMSGSIZE;
	ssize_t rc = sctpio_send(fd, len ? reason : NULL, len, &si);
	return rc < 0 ? (int)rc : 0;
}

int sctpio_sock_close(int fd)
{
	if (fd < 0)
		return -EBADF;
	return close(fd) < 0 ? sctpio__err() : 0;
}

static int getaddrs(int fd, int opt, sctp_assoc_t assoc_id, sctpio_addr *out, size_t max)
{
	/* Grow until the kernel's list fits: it refuses (ENOMEM) rather than truncating. */
	/* Start with room for what the caller wants (and a few more, to learn the total); a caller who
	 * asks for more than 65,532 gets a first try of that size too, not -ENOMEM untried. */
	size_t limit = (max + 4) * 16 > (size_t)1 << 16 ? (max + 4) * 16 : (size_t)1 << 16;
	for (size_t room = (max ? max : 1) + 4; room <= limit; room *= 4) {
		size_t len = sizeof(struct sctp_getaddrs) + room * sizeof(struct sockaddr_in6);
		struct sctp_getaddrs *ga = calloc(1, len);
		if (!ga)
			return -ENOMEM;
		ga->assoc_id = assoc_id;
		socklen_t l = (socklen_t)len;
		if (getsockopt(fd, IPPROTO_SCTP, opt, ga, &l) < 0) {
			int rc = sctpio__err();
			free(ga);
			if (rc == -ENOMEM || rc == -EFAULT)
				continue;
			return rc;
		}
		/* The kernel reports in optlen the bytes of addresses alone (without the header), for
		 * compatibility; parse within the buffer we own rather than trust either reading. */
		int rc = sctpio__unpack_addrs(ga->addrs, len - sizeof(*ga), ga->addr_num, out, max);
		free(ga);
		return rc;
	}
	return -ENOMEM;
}

int sctpio_sock_local_addrs(int fd, sctp_assoc_t assoc_id, sctpio_addr *out, size_t max)
{
	if (max && !out)
		return -EINVAL;
	return getaddrs(fd, SCTP_GET_LOCAL_ADDRS, assoc_id, out, max);
}

int sctpio_sock_peer_addrs(int fd, sctp_assoc_t assoc_id, sctpio_addr *out, size_t max)
{
	if (max && !out)
		return -EINVAL;
	return getaddrs(fd, SCTP_GET_PEER_ADDRS, assoc_id, out, max);
}

int sctpio_sock_set_primary(int fd, sctp_assoc_t assoc_id, const sctpio_addr *addr)
{
	struct sctp_prim p = { .ssp_assoc_id = assoc_id };
	socklen_t l = sctpio_addr_len(addr);

	if (!l)
		return -EINVAL;
	memcpy(&p.ssp_addr, addr, l);
	return setopt(fd, IPPROTO_SCTP, SCTP_PRIMARY_ADDR, &p, sizeof(p));
}
