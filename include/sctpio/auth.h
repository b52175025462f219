/* SPDX-License-Identifier: MIT */
/*
 * sctpio/auth.h - SCTP-AUTH (RFC 4895): chunks that must be authenticated, HMAC algorithms and shared
 * keys, so that a peer without the key cannot inject or alter them.
 *
 * What the kernel requires: AUTH must be on for the endpoint BEFORE anything here is used (else
 * every call here but the two of SCTP_AUTH_SUPPORTED gives -EACCES) and before the association
 * starts: either the sysctl net.sctp.auth_enable = 1 (per network namespace, default 0) when the
 * socket is created, or sctpio_opt_set_auth_supported(fd, 0, 1) on it. Both sides need it, and both
 * must list the chunk types they want authenticated (sctpio_opt_set_auth_chunk): each side demands
 * authentication of the chunks IT lists when it receives them. DATA chunks listed so and carrying a
 * wrong HMAC (the peer's key differs) are dropped silently: the association comes up (INIT and
 * COOKIE chunks are never authenticated) but such messages never arrive, and the sender retransmits
 * them, unacknowledged. Key 0 is the empty key every endpoint starts with, and it is active. Keys
 * set on the endpoint (assoc SCTP_FUTURE_ASSOC, or a one-to-one socket before it connects) are
 * copied into each new association; afterwards assoc selects one association.
 *
 * Conventions are those of sctpio/options.h: >= 0 on success, -errno on failure, no state kept,
 * the caller owns every buffer (key bytes are copied, and sctpio wipes its copy before freeing it).
 */
#ifndef SCTPIO_AUTH_H
#define SCTPIO_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h> /* linux/sctp.h needs struct sockaddr_storage and sa_family_t first */
#include <linux/sctp.h>
#include "addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * SCTP_AUTH_SUPPORTED: set (0/1) on the endpoint before associations start; it turns AUTH on for
 * this socket whatever net.sctp.auth_enable says. get on an association: whether the PEER supports
 * AUTH too; on the endpoint, whether it is on. Returns 0/1 (get), 0 (set) or -errno.
 */
SCTPIO_API int sctpio_opt_get_auth_supported(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_auth_supported(int fd, sctp_assoc_t assoc, int on);

/*
 * sctpio_opt_set_auth_chunk - SCTP_AUTH_CHUNK: demand that chunks of this type (SCTP chunk type
 * number: 0 DATA, 64 I-DATA, 0xc1 ASCONF, ...) be authenticated when received, for future
 * associations of the endpoint. The list only grows. RFC 4895 forbids INIT, INIT-ACK, SHUTDOWN-
 * COMPLETE and AUTH itself: -EINVAL for those. Returns 0 or -errno.
 */
SCTPIO_API int sctpio_opt_set_auth_chunk(int fd, uint8_t chunk_type);

/*
 * sctpio_opt_get_local_auth_chunks / sctpio_opt_get_peer_auth_chunks - SCTP_LOCAL_AUTH_CHUNKS and
 * SCTP_PEER_AUTH_CHUNKS: the chunk types this endpoint (assoc SCTP_FUTURE_ASSOC) or association
 * demands authenticated, or those the PEER of association assoc demands (there is no peer list
 * before an association: -EINVAL). Writes out[0..max) (out may be NULL when max is 0). Returns the
 * total count, which may exceed max (then only max were written), or -errno.
 */
SCTPIO_API int sctpio_opt_get_local_auth_chunks(int fd, sctp_assoc_t assoc, uint8_t *out, size_t max);
SCTPIO_API int sctpio_opt_get_peer_auth_chunks(int fd, sctp_assoc_t assoc, uint8_t *out, size_t max);

/*
 * SCTP_HMAC_IDENT: the HMAC algorithms (SCTP_AUTH_HMAC_ID_SHA1 = 1, SCTP_AUTH_HMAC_ID_SHA256 = 3) the
 * endpoint accepts, most preferred first. set takes ids[0..n), 1 <= n <= 16; the kernel requires SHA-1
 * among them (RFC 4895: -EINVAL otherwise) and refuses unknown ids (-EOPNOTSUPP). get writes
 * out[0..max) and returns the total count (which may exceed max). The default is {SHA-1}.
 */
SCTPIO_API int sctpio_opt_get_hmac_ident(int fd, uint16_t *out, size_t max);
SCTPIO_API int sctpio_opt_set_hmac_ident(int fd, const uint16_t *ids, size_t n);

/*
 * sctpio_opt_set_auth_key - SCTP_AUTH_KEY: add (or replace) shared key number keyid, len bytes at key
 * (len <= 65535; key may be NULL when len is 0), for assoc or the endpoint. The key is the
 * endpoint-pair shared key of RFC 4895: the peer must hold the same bytes under the same number.
 * Returns 0 or -errno (-EINVAL for len > 65535 or a NULL key with len > 0; -ENOMEM).
 */
SCTPIO_API int sctpio_opt_set_auth_key(int fd, sctp_assoc_t assoc, uint16_t keyid, const void *key, size_t len);

/*
 * SCTP_AUTH_ACTIVE_KEY: the key number used to authenticate what is SENT (the receiver looks up the
 * number each AUTH chunk names). get returns the number; set takes one that exists (else -EINVAL).
 */
SCTPIO_API int sctpio_opt_get_auth_active_key(int fd, sctp_assoc_t assoc);
SCTPIO_API int sctpio_opt_set_auth_active_key(int fd, sctp_assoc_t assoc, uint16_t keyid);

/*
 * sctpio_opt_set_auth_deactivate_key / sctpio_opt_set_auth_delete_key - SCTP_AUTH_DEACTIVATE_KEY
 * (Linux 4.20+) stops key keyid from being used for sending; on an association the kernel then reports
 * SCTP_AUTHENTICATION_EVENT with SCTP_AUTH_FREE_KEY once no queued chunk still needs it.
 * SCTP_AUTH_DELETE_KEY removes it. Both refuse (-EINVAL) the active key and a number that does not
 * exist. Return 0 or -errno.
 */
SCTPIO_API int sctpio_opt_set_auth_deactivate_key(int fd, sctp_assoc_t assoc, uint16_t keyid);
SCTPIO_API int sctpio_opt_set_auth_delete_key(int fd, sctp_assoc_t assoc, uint16_t keyid);

#ifdef __cplusplus
}
#endif
#endif
