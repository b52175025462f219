// SPDX-License-Identifier: MIT
/*
 * auth.c - SCTP-AUTH (RFC 4895): authenticated chunk lists, HMAC algorithms and shared keys. The
 * kernel's structs end in flexible arrays; each request is built in a zeroed buffer of exactly the
 * length the kernel reads, and a key's copy is wiped before it is freed.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

int sctpio_opt_get_auth_supported(int fd, sctp_assoc_t assoc)
{
	uint32_t v;
	int rc = sctpio__av_get(fd, SCTP_AUTH_SUPPORTED, assoc, &v);
	return rc < 0 ? rc : !!v;
}

int sctpio_opt_set_auth_supported(int fd, sctp_assoc_t assoc, int on)
{
	if (on != 0 && on != 1)
		return -EINVAL;
	return sctpio__av_set(fd, SCTP_AUTH_SUPPORTED, assoc, (uint32_t)on);
}

int sctpio_opt_set_auth_chunk(int fd, uint8_t chunk_type)
{
	struct sctp_authchunk c = { .sauth_chunk = chunk_type };
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_AUTH_CHUNK, &c, sizeof(c));
}

/* Chunk types are one byte, so 256 entries hold any list the kernel can have. */
static int get_chunks(int fd, int name, sctp_assoc_t assoc, uint8_t *out, size_t max)
{
	union {
		struct sctp_authchunks h;
		uint8_t raw[sizeof(struct sctp_authchunks) + 256];
	} b;

	if (max && !out)
		return -EINVAL;
	memset(&b, 0, sizeof(b));
	b.h.gauth_assoc_id = assoc;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, name, &b, sizeof(b));
	if (rc < 0)
		return rc;
	uint32_t n = b.h.gauth_number_of_chunks;
	if (n > 256)
		n = 256;
	for (size_t i = 0; i < n && i < max; i++)
		out[i] = b.h.gauth_chunks[i];
	return (int)n;
}

int sctpio_opt_get_local_auth_chunks(int fd, sctp_assoc_t assoc, uint8_t *out, size_t max)
{
	return get_chunks(fd, SCTP_LOCAL_AUTH_CHUNKS, assoc, out, max);
}

int sctpio_opt_get_peer_auth_chunks(int fd, sctp_assoc_t assoc, uint8_t *out, size_t max)
{
	return get_chunks(fd, SCTP_PEER_AUTH_CHUNKS, assoc, out, max);
}

#define HMAC_MAX 16

int sctpio_opt_get_hmac_ident(int fd, uint16_t *out, size_t max)
{
	union {
		struct sctp_hmacalgo h;
		uint8_t raw[sizeof(struct sctp_hmacalgo) + HMAC_MAX * sizeof(uint16_t)];
	} b;

	if (max && !out)
		return -EINVAL;
	memset(&b, 0, sizeof(b));
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_HMAC_IDENT, &b, sizeof(b));
	if (rc < 0)
		return rc;
	uint32_t n = b.h.shmac_num_idents;
	if (n > HMAC_MAX)
		n = HMAC_MAX;
	for (size_t i = 0; i < n && i < max; i++)
		out[i] = b.h.shmac_idents[i];
	return (int)n;
}

int sctpio_opt_set_hmac_ident(int fd, const uint16_t *ids, size_t n)
{
	union {
		struct sctp_hmacalgo h;
		uint8_t raw[sizeof(struct sctp_hmacalgo) + HMAC_MAX * sizeof(uint16_t)];
	} b;

	if (!ids || n == 0 || n > HMAC_MAX)
		return -EINVAL;
	memset(&b, 0, sizeof(b));
	b.h.shmac_num_idents = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		b.h.shmac_idents[i] = ids[i];
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_HMAC_IDENT, &b,
			      sizeof(struct sctp_hmacalgo) + n * sizeof(uint16_t));
}

int sctpio_opt_set_auth_key(int fd, sctp_assoc_t assoc, uint16_t keyid, const void *key, size_t len)
{
	if (len > UINT16_MAX || (len && !key))
		return -EINVAL;
	size_t total = sizeof(struct sctp_authkey) + len;
	struct sctp_authkey *k = calloc(1, total);
	if (!k)
		return -ENOMEM;
	k->sca_assoc_id = assoc;
	k->sca_keynumber = keyid;
	k->sca_keylength = (uint16_t)len;
	if (len)
		memcpy(k->sca_key, key, len);
	int rc = sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_AUTH_KEY, k, total);
	explicit_bzero(k, total);
	free(k);
	return rc;
}

static int keyid_set(int fd, int name, sctp_assoc_t assoc, uint16_t keyid)
{
	struct sctp_authkeyid k;

	memset(&k, 0, sizeof(k)); /* two bytes of padding follow the key number */
	k.scact_assoc_id = assoc;
	k.scact_keynumber = keyid;
	return sctpio_opt_set(fd, IPPROTO_SCTP, name, &k, sizeof(k));
}

int sctpio_opt_get_auth_active_key(int fd, sctp_assoc_t assoc)
{
	struct sctp_authkeyid k;

	memset(&k, 0, sizeof(k));
	k.scact_assoc_id = assoc;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_AUTH_ACTIVE_KEY, &k, sizeof(k));
	return rc < 0 ? rc : (int)k.scact_keynumber;
}

int sctpio_opt_set_auth_active_key(int fd, sctp_assoc_t assoc, uint16_t keyid)
{
	return keyid_set(fd, SCTP_AUTH_ACTIVE_KEY, assoc, keyid);
}

int sctpio_opt_set_auth_deactivate_key(int fd, sctp_assoc_t assoc, uint16_t keyid)
{
	return keyid_set(fd, SCTP_AUTH_DEACTIVATE_KEY, assoc, keyid);
}

int sctpio_opt_set_auth_delete_key(int fd, sctp_assoc_t assoc, uint16_t keyid)
{
	return keyid_set(fd, SCTP_AUTH_DELETE_KEY, assoc, keyid);
}
