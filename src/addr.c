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

/* --- the host grammar (addr.h); sctp/addr.go implements the same one in Go ------------------------ */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A zone: the name of an existing interface, or a decimal interface index; 1 to 15 bytes. */
static int parse_zone(const char *z, uint32_t *index)
{
	size_t n = strlen(z);

	if (n == 0 || n >= IF_NAMESIZE)
		return -EINVAL;
	unsigned i = if_nametoindex(z);
	if (i) {
		*index = i;
		return 0;
	}
	uint64_t v = 0;
	for (size_t k = 0; k < n; k++) {
		if (!is_digit(z[k]))
			return -EINVAL;
		v = v * 10 + (uint64_t)(z[k] - '0');
		if (v > UINT32_MAX)
			return -EINVAL;
	}
	*index = (uint32_t)v;
	return 0;
}

/* An IPv6 literal with an optional %zone, no brackets. inet_pton's IPv6 grammar (RFC 4291, with a
 * dotted-quad tail) is the one Go's netip.ParseAddr takes; test/addr_cases.txt holds them to it. */
static int parse_v6(const char *s, sctpio_addr *out)
{
	char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];
	const char *pct = strchr(s, '%');
	size_t n = pct ? (size_t)(pct - s) : strlen(s);
	uint32_t scope = 0;

	if (n >= INET6_ADDRSTRLEN)
		return -EINVAL;
	memcpy(text, s, n);
	text[n] = '\0';
	if (inet_pton(AF_INET6, text, &out->sin6.sin6_addr) != 1)
		return -EINVAL;
	if (pct && parse_zone(pct + 1, &scope) < 0)
		return -EINVAL;
	out->sin6.sin6_family = AF_INET6;
	out->sin6.sin6_scope_id = scope;
	return 0;
}

/* A label that reads as a number to inet_aton or a URL parser: decimal digits, or 0x and hex digits. */
static int numeric_label(const char *l, size_t n)
{
	size_t k = 0;

	if (n >= 2 && l[0] == '0' && (l[1] == 'x' || l[1] == 'X')) {
		for (k = 2; k < n && is_hex(l[k]); k++)
			;
		return k == n;
	}
	for (; k < n && is_digit(l[k]); k++)
		;
	return n > 0 && k == n;
}

/* A host name: labels of 1 to 63 letters, digits, '-' and '_', not beginning or ending with '-',
 * joined by '.', at most 253 bytes (one final '.' allowed beyond), the last label not numeric. */
static int valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return 0;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			char c = s[i];
			if (!(is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
				return 0;
			continue;
		}
		size_t len = i - start;
		if (len == 0 || len > 63 || s[start] == '-' || s[i - 1] == '-')
			return 0;
		if (i == n && numeric_label(s + start, len))
			return 0;
		start = i + 1;
	}
	return 1;
}

int sctpio__host_parse(const char *host, sctpio_addr *out)
{
	size_t n = strlen(host);

	memset(out, 0, sizeof(*out));
	if (n == 0 || n > 255)
		return -EINVAL;
	/* "[v6]" brackets are accepted because users copy addresses from URLs and logs; only IPv6. */
	if (host[0] == '[') {
		char inner[256];
		if (n < 3 || host[n - 1] != ']')
			return -EINVAL;
		memcpy(inner, host + 1, n - 2);
		inner[n - 2] = '\0';
		if (!strchr(inner, ':'))
			return -EINVAL;
		return parse_v6(inner, out);
	}
	/* A colon can only be IPv6: never a name. */
	if (strchr(host, ':'))
		return parse_v6(host, out);
	if (inet_pton(AF_INET, host, &out->sin.sin_addr) == 1) {
		out->sin.sin_family = AF_INET;
		return 0;
	}
	return valid_name(host) ? 1 : -EINVAL;
}

int sctpio_addr_parse(sctpio_addr *out, const char *host, uint16_t port)
{
	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!host || !*host) {
		out->sin6.sin6_family = AF_INET6;
		out->sin6.sin6_addr = in6addr_any;
		out->sin6.sin6_port = htons(port);
		return 0;
	}
	int rc = sctpio__host_parse(host, out);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		out->sin.sin_port = htons(port); /* the same place in sockaddr_in and sockaddr_in6 */
		return 0;
	}

	/* A name: the resolver's first IPv4 or IPv6 address. */
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_SEQPACKET, .ai_protocol = IPPROTO_SCTP };
	struct addrinfo *res = NULL;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc == EAI_SOCKTYPE || rc == EAI_SERVICE || rc == EAI_BADFLAGS) {
		hints.ai_socktype = 0;
		hints.ai_protocol = 0;
		rc = getaddrinfo(host, NULL, &hints, &res);
	}
	if (rc != 0)
		return (rc == EAI_NONAME || rc == EAI_NODATA || rc == EAI_FAIL || rc == EAI_AGAIN) ? -ENOENT : -EINVAL;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if ((ai->ai_family == AF_INET || ai->ai_family == AF_INET6) && ai->ai_addrlen <= sizeof(*out)) {
			memcpy(out, ai->ai_addr, ai->ai_addrlen);
			out->sin.sin_port = htons(port);
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
