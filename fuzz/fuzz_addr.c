// SPDX-License-Identifier: MIT
/*
 * fuzz_addr.c - libFuzzer target for sctpio_addr_parse, sctpio_addr_parse_list and
 * sctpio_addr_format.
 *
 * Offline by construction. sctpio_addr_parse hands whatever inet_pton does not take to
 * getaddrinfo(3), which would resolve a host name through DNS - slow, flaky, and traffic a fuzzer
 * must not make (the build machines may have no resolver at all). Rejecting inputs with letters is
 * not enough ("cafe" and "dead" are valid host names made of hex digits), so this program defines
 * getaddrinfo itself: its definition takes precedence over libc's (and over the sanitizer's weak
 * interceptor) for the statically linked library code, and it calls the real one with AI_NUMERICHOST
 * added. Numeric IPv4 in every inet_aton form, numeric IPv6 and numeric or named scopes
 * (if_nametoindex, a local ioctl) are still parsed for real; a name gets EAI_NONAME, which sctpio
 * reports as -ENOENT, exactly as for a name that does not resolve.
 *
 * Half the inputs are taken as text as they are; in the other half each byte picks a token (digits,
 * hex letters, dots, colons, brackets, scopes, commas, "::ffff:", ...), so that plausible addresses
 * are common without a dictionary or seed corpus.
 *
 * Properties checked beyond the sanitizers: the documented return values only; a parsed address
 * has a known family and the requested port; it formats within SCTPIO_ADDR_TEXT_MAX, and the host
 * part of that text parses back to an equal address; formatting into every smaller buffer says
 * -ENOSPC and leaves a terminated prefix; a list parses to as many addresses as it has entries;
 * and arbitrary bytes in an sctpio_addr of either family format within SCTPIO_ADDR_TEXT_MAX.
 */
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sctpio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res);

static int numeric_lookups, name_refusals;

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
	static int (*real)(const char *, const char *, const struct addrinfo *, struct addrinfo **);
	struct addrinfo h = { 0 };

	if (!real) {
		real = (int (*)(const char *, const char *, const struct addrinfo *, struct addrinfo **))dlsym(
			RTLD_NEXT, "getaddrinfo");
		if (!real)
			__builtin_trap();
	}
	if (hints)
		h = *hints;
	h.ai_flags |= AI_NUMERICHOST;
	int rc = real(node, service, &h, res);
	if (rc == EAI_NONAME)
		name_refusals++;
	else
		numeric_lookups++;
	return rc;
}

/* How many lookups went to libc, and how many of them were names it refused to resolve. */
__attribute__((destructor)) static void lookup_stats(void)
{
	if (numeric_lookups + name_refusals)
		fprintf(stderr, "fuzz_addr: %d getaddrinfo calls, %d of them names refused offline (EAI_NONAME)\n",
			numeric_lookups + name_refusals, name_refusals);
}

/* Format a into every buffer size up to the full one and check each answer. Returns the length. */
static size_t check_format(const sctpio_addr *a)
{
	char text[SCTPIO_ADDR_TEXT_MAX + 8], small[SCTPIO_ADDR_TEXT_MAX];
	int n = sctpio_addr_format(a, text, sizeof(text));

	if (n <= 0 || (size_t)n >= SCTPIO_ADDR_TEXT_MAX || (size_t)n != strlen(text))
		__builtin_trap();
	for (size_t len = 0; len <= (size_t)n; len++) {
		memset(small, 'Z', sizeof(small));
		if (sctpio_addr_format(a, small, len) != -ENOSPC)
			__builtin_trap();
		/* len 0: nothing may be written; otherwise a terminated prefix of the full text. */
		if (len == 0 ? small[0] != 'Z' : (strlen(small) != len - 1 || memcmp(small, text, len - 1) != 0))
			__builtin_trap();
	}
	if (sctpio_addr_format(a, small, (size_t)n + 1) != n || strcmp(small, text) != 0)
		__builtin_trap();
	return (size_t)n;
}

/* A parsed address: sane, formats, and its text parses back to the same address. */
static void check_parsed(const sctpio_addr *a, uint16_t port)
{
	char text[SCTPIO_ADDR_TEXT_MAX + 8];
	sctpio_addr back;

	if (a->sa.sa_family != AF_INET && a->sa.sa_family != AF_INET6)
		__builtin_trap();
	if (sctpio_addr_port(a) != port || sctpio_addr_len(a) == 0 || !sctpio_addr_equal(a, a))
		__builtin_trap();
	size_t n = check_format(a);
	if (sctpio_addr_format(a, text, sizeof(text)) != (int)n)
		__builtin_trap();
	char *colon = strrchr(text, ':');
	if (!colon || (unsigned long)strtoul(colon + 1, NULL, 10) != port)
		__builtin_trap();
	*colon = '\0'; /* "1.2.3.4" or "[v6%scope]": both are accepted by the parser */
	if (sctpio_addr_parse(&back, text, port) != 0 || !sctpio_addr_equal(a, &back))
		__builtin_trap();
}

static void fuzz_parse(const char *text, uint16_t port)
{
	sctpio_addr a;
	int rc = sctpio_addr_parse(&a, text, port);

	if (rc == 0)
		check_parsed(&a, port);
	else if (rc != -EINVAL && rc != -ENOENT)
		__builtin_trap();
}

static void fuzz_list(const char *text, uint16_t port, size_t max)
{
	sctpio_addr out[9];
	size_t entries = 1;
	int rc = sctpio_addr_parse_list(out, max, text, port);

	for (const char *p = text; *p; p++)
		entries += *p == ',';
	if (rc > 0) {
		if ((size_t)rc > max || (size_t)rc != entries)
			__builtin_trap();
		for (int i = 0; i < rc; i++)
			check_parsed(&out[i], port);
	} else if (rc != -EINVAL && rc != -ENOENT && rc != -ENOBUFS) {
		__builtin_trap();
	} else if (rc == -ENOBUFS && entries <= max) {
		__builtin_trap();
	}
}

/* Raw bytes as an address of either family (or another): format must stay within bounds. */
static void fuzz_raw(const uint8_t *data, size_t size)
{
	sctpio_addr a;
	char text[SCTPIO_ADDR_TEXT_MAX];

	memset(&a, 0, sizeof(a));
	memcpy(&a, data, size < sizeof(a) ? size : sizeof(a));
	uint8_t pick = size ? data[0] : 0;
	a.sa.sa_family = (pick & 3) == 0 ? AF_INET : (pick & 3) == 1 ? AF_INET6 : (sa_family_t)(pick >> 2);
	if (a.sa.sa_family == AF_INET || a.sa.sa_family == AF_INET6) {
		check_format(&a);
		if (!sctpio_addr_equal(&a, &a) || sctpio_addr_len(&a) == 0)
			__builtin_trap();
	} else if (sctpio_addr_format(&a, text, sizeof(text)) != -EINVAL || sctpio_addr_len(&a) != 0 ||
		   sctpio_addr_port(&a) != 0) {
		__builtin_trap();
	}
}

/* Tokens that addresses are made of, so that a random byte string becomes a plausible address. */
static const char *const tokens[] = {
	"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f", ".", ".", ".", ":",
	":", "::", "[", "]", "%", ",", ",", "255", "256", "0x", "ffff", "fe80", "::ffff:", "127.0.0.1", "::1",
	"lo", "1%lo", "%4294967295", "4294967296", "00000", " ", "-", "+", "\t", "[::]", "ff02::1",
};

/* The text: data as it is (first byte even), or each byte picking a token. */
static size_t make_text(const uint8_t *in, size_t n, int tokenized, char *out, size_t cap)
{
	size_t len = 0;

	if (!tokenized) {
		len = n < cap - 1 ? n : cap - 1;
		memcpy(out, in, len);
		out[len] = '\0'; /* an embedded NUL simply ends the text early */
		return len;
	}
	for (size_t i = 0; i < n; i++) {
		const char *t = tokens[in[i] % (sizeof(tokens) / sizeof(tokens[0]))];
		size_t tl = strlen(t);
		if (len + tl >= cap)
			break;
		memcpy(out + len, t, tl);
		len += tl;
	}
	out[len] = '\0';
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	char text[512];

	if (!once) {
		once = 1;
		if (sctpio_addr_parse(NULL, "1.2.3.4", 1) != -EINVAL || sctpio_addr_format(NULL, text, 8) != -EINVAL ||
		    sctpio_addr_parse_list(NULL, 1, "1.2.3.4", 1) != -EINVAL)
			__builtin_trap();
	}
	fuzz_raw(data, size);
	if (size < 3)
		return 0;
	uint16_t port = (uint16_t)(data[0] | data[1] << 8);
	size_t max = (data[2] & 0x7f) % 10;
	make_text(data + 3, size - 3, data[2] & 0x80, text, sizeof(text));
	fuzz_parse(text, port);
	fuzz_list(text, port, max > 9 ? 9 : max);
	return 0;
}
