// SPDX-License-Identifier: MIT
/*
 * addr.c - parsing, formatting and packing of SCTP endpoint addresses.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

socklen_t sctpio_addr_len(const sctpio_addr *a)
{
	if (!a)
		return 0;
	if (a->sa.sa_family == AF_INET)
		return sizeof(a->sin);
	if (a->sa.sa_family == AF_INET6)
		return sizeof(a->sin6);
	return 0;
}

uint16_t sctpio_addr_port(const sctpio_addr *a)
{
	if (!a)
		return 0;
	if (a->sa.sa_family == AF_INET)
		return ntohs(a->sin.sin_port);
	if (a->sa.sa_family == AF_INET6)
		return ntohs(a->sin6.sin6_port);
	return 0;
}

int sctpio_addr_equal(const sctpio_addr *a, const sctpio_addr *b)
{
	if (!a || !b || a->sa.sa_family != b->sa.sa_family)
		return 0;
	if (a->sa.sa_family == AF_INET)
		return a->sin.sin_port == b->sin.sin_port && a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr;
	if (a->sa.sa_family == AF_INET6)
		return a->sin6.sin6_port == b->sin6.sin6_port &&
		       memcmp(&a->sin6.sin6_addr, &b->sin6.sin6_addr, sizeof(struct in6_addr)) == 0 &&
		       a->sin6.sin6_scope_id == b->sin6.sin6_scope_id;
	return 0;
}

int sctpio_addr_parse(sctpio_addr *out, const char *host, uint16_t port)
{
	char buf[256];
	size_t n;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!host || !*host) {
		out->sin6.sin6_family = AF_INET6;
		out->sin6.sin6_addr = in6addr_any;
		out->sin6.sin6_port = htons(port);
		return 0;
	}
	n = strlen(host);
	if (n >= sizeof(buf))
		return -EINVAL;
	/* "[v6]" brackets are accepted because users copy addresses from URLs and logs. */
	if (host[0] == '[') {
		if (n < 3 || host[n - 1] != ']')
			return -EINVAL;
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
	} else {
		memcpy(buf, host, n + 1);
	}
	if (inet_pton(AF_INET, buf, &out->sin.sin_addr) == 1) {
		out->sin.sin_family = AF_INET;
		out->sin.sin_port = htons(port);
		return 0;
	}

	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_SEQPACKET, .ai_protocol = IPPROTO_SCTP };
	struct addrinfo *res = NULL;
	/* Numeric IPv6 (with %scope) goes through getaddrinfo too, which resolves the scope name. */
	int rc = getaddrinfo(buf, NULL, &hints, &res);
	if (rc == EAI_SOCKTYPE || rc == EAI_SERVICE || rc == EAI_BADFLAGS) {
		hints.ai_socktype = 0;
		hints.ai_protocol = 0;
		rc = getaddrinfo(buf, NULL, &hints, &res);
	}
	if (rc != 0)
		return (rc == EAI_NONAME || rc == EAI_NODATA || rc == EAI_FAIL || rc == EAI_AGAIN) ? -ENOENT : -EINVAL;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6) {
			memcpy(out, ai->ai_addr, ai->ai_addrlen);
			if (ai->ai_family == AF_INET)
				out->sin.sin_port = htons(port);
			else
				out->sin6.sin6_port = htons(port);
			freeaddrinfo(res);
			return 0;
		}
	}
	freeaddrinfo(res);
	return -ENOENT;
}

int sctpio_addr_parse_list(sctpio_addr *out, size_t max, const char *hosts, uint16_t port)
{
	char item[256];
	size_t count = 0;
	const char *p = hosts;

	if (!out || !hosts || !*hosts)
		return -EINVAL;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || n >= sizeof(item))
			return -EINVAL;
		if (count == max)
			return -ENOBUFS;
		memcpy(item, p, n);
		item[n] = '\0';
		int rc = sctpio_addr_parse(&out[count], item, port);
		if (rc < 0)
			return rc;
		count++;
		if (!end)
			break;
		p = end + 1;
	}
	return (int)count;
}

int sctpio_addr_format(const sctpio_addr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	int n;

	if (!a || !buf)
		return -EINVAL;
	if (a->sa.sa_family == AF_INET) {
		inet_ntop(AF_INET, &a->sin.sin_addr, host, sizeof(host));
		n = snprintf(buf, len, "%s:%u", host, ntohs(a->sin.sin_port));
	} else if (a->sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &a->sin6.sin6_addr, host, sizeof(host));
		if (a->sin6.sin6_scope_id)
			n = snprintf(buf, len, "[%s%%%u]:%u", host, a->sin6.sin6_scope_id, ntohs(a->sin6.sin6_port));
		else
			n = snprintf(buf, len, "[%s]:%u", host, ntohs(a->sin6.sin6_port));
	} else {
		return -EINVAL;
	}
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}

void sctpio__unmap_v4(sctpio_addr *a)
{
	if (a->sa.sa_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&a->sin6.sin6_addr))
		return;
	struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_port = a->sin6.sin6_port };
	memcpy(&v4.sin_addr, &a->sin6.sin6_addr.s6_addr[12], 4);
	memset(a, 0, sizeof(*a));
	a->sin = v4;
}

int sctpio__pack_addrs(const sctpio_addr *addrs, size_t n, void **out)
{
	size_t total = 0;

	if (!addrs || n == 0 || !out)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		socklen_t l = sctpio_addr_len(&addrs[i]);
		if (!l)
			return -EINVAL;
		total += l;
	}
	/* The packed list lives on the heap: a long list on the stack is how sctp_sendv smashed it. */
	char *buf = malloc(total);
	if (!buf)
		return -ENOMEM;
	char *p = buf;
	for (size_t i = 0; i < n; i++) {
		socklen_t l = sctpio_addr_len(&addrs[i]);
		memcpy(p, &addrs[i], l);
		p += l;
	}
	*out = buf;
	return (int)total;
}

int sctpio__unpack_addrs(const void *buf, size_t len, size_t count, sctpio_addr *out, size_t max)
{
	const char *p = buf;
	size_t off = 0, i;

	for (i = 0; i < count; i++) {
		struct sockaddr sa;
		size_t l;
		if (len - off < sizeof(sa.sa_family))
			return -EPROTO;
		memcpy(&sa.sa_family, p + off, sizeof(sa.sa_family));
		if (sa.sa_family == AF_INET)
			l = sizeof(struct sockaddr_in);
		else if (sa.sa_family == AF_INET6)
			l = sizeof(struct sockaddr_in6);
		else
			return -EPROTO;
		if (len - off < l)
			return -EPROTO;
		if (i < max) {
			memset(&out[i], 0, sizeof(out[i]));
			memcpy(&out[i], p + off, l);
			sctpio__unmap_v4(&out[i]);
		}
		off += l;
	}
	return (int)count;
}
