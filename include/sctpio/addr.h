/* SPDX-License-Identifier: MIT */
/*
 * sctpio/addr.h - socket addresses for SCTP endpoints.
 *
 * SCTP calls such as bindx and connectx take several addresses at once, packed back to back with each
 * entry only as long as its family needs. sctpio lets callers keep a plain array of sctpio_addr and
 * packs it internally, so no caller ever computes a packed length by hand.
 */
#ifndef SCTPIO_ADDR_H
#define SCTPIO_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SCTPIO_API
#define SCTPIO_API __attribute__((visibility("default")))
#endif

/* One IPv4 or IPv6 address with port; the family field tells which member is valid. */
typedef union sctpio_addr {
	struct sockaddr sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
} sctpio_addr;

/* The longest text sctpio_addr_format writes, terminator included: "[v6%scope]:65535". */
#define SCTPIO_ADDR_TEXT_MAX 64

/*
 * The host grammar, one for sctpio_addr_parse, sctpio_addr_parse_list and the Go package's
 * ResolveAddr (test/addr_cases.txt holds both languages to it, case by case). A host is one of:
 *  - an IPv4 address: exactly four decimal parts of 0 to 255, no leading zeros ("10.0.0.1"), what
 *    inet_pton and Go's net/netip read. The other forms inet_aton takes ("127.1", "1.2.3" for
 *    1.2.0.3, "0x7f.1", "010.0.0.1") are refused, not guessed at.
 *  - an IPv6 address, optionally in brackets ("::1", "[::1]"): any RFC 4291 text inet_pton reads
 *    (a dotted-quad tail included), with an optional zone after '%' that names an existing
 *    interface ("fe80::1%eth0") or is a decimal interface index ("fe80::1%2"), at most 15 bytes; it
 *    becomes sin6_scope_id. Brackets hold IPv6 only: "[1.2.3.4]" is refused.
 *  - a host name: labels of 1 to 63 letters, digits, '-' and '_', not beginning or ending with
 *    '-', joined by '.', at most 253 bytes (one final '.' allowed beyond), whose last label is not
 *    a number (all digits, or "0x" and hex digits). Only a name is resolved (getaddrinfo, the first
 *    IPv4 or IPv6 result).
 * Anything else is -EINVAL, without any lookup: text that looks numeric (only digits and dots, a
 * number as its last label, or a colon anywhere) never goes to DNS. NULL or "" as a whole host is
 * the wildcard; an empty entry in a list is refused.
 */

/*
 * sctpio_addr_parse - fill *out from a host (grammar above) and a port.
 * NULL or "" is the IPv6 wildcard "::", which on Linux also accepts IPv4.
 * Returns 0, -EINVAL for NULL out or a host outside the grammar, -ENOENT when a name does not
 * resolve. Thread-safe; blocks for name resolution only when host is a name.
 */
SCTPIO_API int sctpio_addr_parse(sctpio_addr *out, const char *host, uint16_t port);

/*
 * sctpio_addr_parse_list - parse a comma-separated list of hosts ("10.0.0.1,10.0.1.1,::1"), all
 * with the same port, into out[0..max). Returns the number of addresses (>= 1), -EINVAL for an
 * empty list, an empty entry ("10.0.0.1,", "a,,b") or a bad one, -ENOBUFS when the list has more
 * than max entries, -ENOENT as above.
 */
SCTPIO_API int sctpio_addr_parse_list(sctpio_addr *out, size_t max, const char *hosts, uint16_t port);

/*
 * sctpio_addr_format - write "1.2.3.4:5" or "[::1]:5" into buf (at most len bytes, terminated).
 * Returns the text length, -EINVAL for an unknown family or NULL pointers, -ENOSPC if len is too small.
 */
SCTPIO_API int sctpio_addr_format(const sctpio_addr *a, char *buf, size_t len);

/* sctpio_addr_len - the sockaddr length for a's family (0 for an unknown family). */
SCTPIO_API socklen_t sctpio_addr_len(const sctpio_addr *a);

/* sctpio_addr_port - a's port in host order (0 for an unknown family). */
SCTPIO_API uint16_t sctpio_addr_port(const sctpio_addr *a);

/* sctpio_addr_equal - 1 when a and b have the same family, address and port, else 0. */
SCTPIO_API int sctpio_addr_equal(const sctpio_addr *a, const sctpio_addr *b);

#ifdef __cplusplus
}
#endif
#endif
