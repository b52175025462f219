// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include "sctpio.h"
*/
import "C"

import "unsafe"

// SCTP-AUTH (RFC 4895, sctpio/auth.h): chunks that must be authenticated, HMAC algorithms and
// shared keys. AUTH must be on for the socket (SetExtension(ExtAuth, true), or the sysctl
// net.sctp.auth_enable) before its associations start; without it every call here fails with
// EACCES. Keys set on an endpoint's defaults (id 0), or on a one-to-one socket before it connects,
// are copied into each new association. Key 0 is the empty key every endpoint starts with.

// HMAC algorithm identifiers (SetHMACIdents).
const (
	HMACSHA1   uint16 = C.SCTP_AUTH_HMAC_ID_SHA1
	HMACSHA256 uint16 = C.SCTP_AUTH_HMAC_ID_SHA256
)

func (s *sock) setAuthKey(id AssocID, keyID uint16, key []byte) error {
	return s.set(func(fd C.int) C.int {
		return C.sctpio_opt_set_auth_key(fd, assoc(id), C.uint16_t(keyID), unsafe.Pointer(unsafe.SliceData(key)),
			C.size_t(len(key)))
	})
}

func (s *sock) authActiveKey(id AssocID) (uint16, error) {
	v, err := s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_auth_active_key(fd, assoc(id)) })
	return uint16(v), err
}

func (s *sock) setAuthActiveKey(id AssocID, keyID uint16) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_auth_active_key(fd, assoc(id), C.uint16_t(keyID)) })
}

func (s *sock) retireAuthKey(id AssocID, keyID uint16, del bool) error {
	return s.set(func(fd C.int) C.int {
		if del {
			return C.sctpio_opt_set_auth_delete_key(fd, assoc(id), C.uint16_t(keyID))
		}
		return C.sctpio_opt_set_auth_deactivate_key(fd, assoc(id), C.uint16_t(keyID))
	})
}

func (s *sock) setAuthChunk(chunkType uint8) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_auth_chunk(fd, C.uint8_t(chunkType)) })
}

// authChunks reads the chunk types this side (peer false) or the peer of association id demands
// authenticated; it asks twice when the first answer did not fit.
func (s *sock) authChunks(id AssocID, peer bool) ([]uint8, error) {
	out := make([]uint8, 16)
	for {
		n, err := s.getInt(func(fd C.int) C.int {
			p, m := (*C.uint8_t)(unsafe.Pointer(&out[0])), C.size_t(len(out))
			if peer {
				return C.sctpio_opt_get_peer_auth_chunks(fd, assoc(id), p, m)
			}
			return C.sctpio_opt_get_local_auth_chunks(fd, assoc(id), p, m)
		})
		if err != nil {
			return nil, err
		}
		if n <= len(out) {
			return out[:n], nil
		}
		out = make([]uint8, n)
	}
}

func (s *sock) hmacIdents() ([]uint16, error) {
	var out [16]C.uint16_t
	n, err := s.getInt(func(fd C.int) C.int { return C.sctpio_opt_get_hmac_ident(fd, &out[0], C.size_t(len(out))) })
	if err != nil {
		return nil, err
	}
	n = min(n, len(out))
	ids := make([]uint16, n)
	for i := range ids {
		ids[i] = uint16(out[i])
	}
	return ids, nil
}

func (s *sock) setHMACIdents(ids []uint16) error {
	c := make([]C.uint16_t, len(ids))
	for i, v := range ids {
		c[i] = C.uint16_t(v)
	}
	return s.set(func(fd C.int) C.int {
		return C.sctpio_opt_set_hmac_ident(fd, (*C.uint16_t)(unsafe.SliceData(c)), C.size_t(len(c)))
	})
}

func (s *sock) autoASCONF() (bool, error) {
	return s.flag(func(fd C.int) C.int { return C.sctpio_opt_get_auto_asconf(fd) })
}

func (s *sock) setAutoASCONF(on bool) error {
	return s.set(func(fd C.int) C.int { return C.sctpio_opt_set_auto_asconf(fd, cBool(on)) })
}

// SetAuthKey adds (or replaces) shared key number keyID, key bytes long (at most 65535), for the
// association (SCTP_AUTH_KEY); the peer must hold the same bytes under the same number. The bytes are
// copied.
func (c *SCTPConn) SetAuthKey(keyID uint16, key []byte) error { return c.s.setAuthKey(0, keyID, key) }

// AuthActiveKey returns the key number that authenticates what is sent (SCTP_AUTH_ACTIVE_KEY).
func (c *SCTPConn) AuthActiveKey() (uint16, error) { return c.s.authActiveKey(0) }

// SetAuthActiveKey makes key keyID (one that exists, else EINVAL) authenticate what is sent.
func (c *SCTPConn) SetAuthActiveKey(keyID uint16) error { return c.s.setAuthActiveKey(0, keyID) }

// DeactivateAuthKey stops key keyID from being used to send (SCTP_AUTH_DEACTIVATE_KEY); an
// Authentication notification with the free-key indication follows once no queued chunk needs it.
// The active key and unknown numbers: EINVAL.
func (c *SCTPConn) DeactivateAuthKey(keyID uint16) error { return c.s.retireAuthKey(0, keyID, false) }

// DeleteAuthKey removes key keyID (SCTP_AUTH_DELETE_KEY); the active key and unknown numbers: EINVAL.
func (c *SCTPConn) DeleteAuthKey(keyID uint16) error { return c.s.retireAuthKey(0, keyID, true) }

// SetAuthChunk demands that received chunks of chunkType (0 DATA, 64 I-DATA, 0xc1 ASCONF, ...) be
// authenticated, for associations that start after it (SCTP_AUTH_CHUNK). The list only grows.
func (c *SCTPConn) SetAuthChunk(chunkType uint8) error { return c.s.setAuthChunk(chunkType) }

// LocalAuthChunks returns the chunk types this side demands authenticated (SCTP_LOCAL_AUTH_CHUNKS).
func (c *SCTPConn) LocalAuthChunks() ([]uint8, error) { return c.s.authChunks(0, false) }

// PeerAuthChunks returns the chunk types the peer demands authenticated (SCTP_PEER_AUTH_CHUNKS).
func (c *SCTPConn) PeerAuthChunks() ([]uint8, error) { return c.s.authChunks(0, true) }

// HMACIdents returns the HMAC algorithms accepted, most preferred first (SCTP_HMAC_IDENT).
func (c *SCTPConn) HMACIdents() ([]uint16, error) { return c.s.hmacIdents() }

// SetHMACIdents sets the HMAC algorithms accepted, most preferred first (1 to 16 of them; HMACSHA1
// must be among them, else EINVAL; unknown ids: EOPNOTSUPP).
func (c *SCTPConn) SetHMACIdents(ids ...uint16) error { return c.s.setHMACIdents(ids) }

// AutoASCONF reports SCTP_AUTO_ASCONF.
func (c *SCTPConn) AutoASCONF() (bool, error) { return c.s.autoASCONF() }

// SetAutoASCONF with on makes a socket bound to the wildcard address announce the host's address
// changes to its peers by ASCONF (SCTP_AUTO_ASCONF); on a socket not bound to the wildcard: EINVAL.
func (c *SCTPConn) SetAutoASCONF(on bool) error { return c.s.setAutoASCONF(on) }

// SetAuthKey is SCTPConn.SetAuthKey for association id (0: the defaults for future associations).
func (e *Endpoint) SetAuthKey(id AssocID, keyID uint16, key []byte) error {
	return e.s.setAuthKey(id, keyID, key)
}

// AuthActiveKey is SCTPConn.AuthActiveKey for association id (0: the defaults).
func (e *Endpoint) AuthActiveKey(id AssocID) (uint16, error) { return e.s.authActiveKey(id) }

// SetAuthActiveKey is SCTPConn.SetAuthActiveKey for association id (0: the defaults).
func (e *Endpoint) SetAuthActiveKey(id AssocID, keyID uint16) error {
	return e.s.setAuthActiveKey(id, keyID)
}

// DeactivateAuthKey is SCTPConn.DeactivateAuthKey for association id (0: the defaults).
func (e *Endpoint) DeactivateAuthKey(id AssocID, keyID uint16) error {
	return e.s.retireAuthKey(id, keyID, false)
}

// DeleteAuthKey is SCTPConn.DeleteAuthKey for association id (0: the defaults).
func (e *Endpoint) DeleteAuthKey(id AssocID, keyID uint16) error {
	return e.s.retireAuthKey(id, keyID, true)
}

// SetAuthChunk is SCTPConn.SetAuthChunk for the endpoint.
func (e *Endpoint) SetAuthChunk(chunkType uint8) error { return e.s.setAuthChunk(chunkType) }

// LocalAuthChunks is SCTPConn.LocalAuthChunks for association id (0: the endpoint's list).
func (e *Endpoint) LocalAuthChunks(id AssocID) ([]uint8, error) { return e.s.authChunks(id, false) }

// PeerAuthChunks is SCTPConn.PeerAuthChunks for association id (there is none before it: EINVAL).
func (e *Endpoint) PeerAuthChunks(id AssocID) ([]uint8, error) { return e.s.authChunks(id, true) }

// HMACIdents is SCTPConn.HMACIdents for the endpoint.
func (e *Endpoint) HMACIdents() ([]uint16, error) { return e.s.hmacIdents() }

// SetHMACIdents is SCTPConn.SetHMACIdents for the endpoint.
func (e *Endpoint) SetHMACIdents(ids ...uint16) error { return e.s.setHMACIdents(ids) }

// AutoASCONF is SCTPConn.AutoASCONF for the endpoint.
func (e *Endpoint) AutoASCONF() (bool, error) { return e.s.autoASCONF() }

// SetAutoASCONF is SCTPConn.SetAutoASCONF for the endpoint.
func (e *Endpoint) SetAutoASCONF(on bool) error { return e.s.setAutoASCONF(on) }
