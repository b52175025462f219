// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"errors"
	"slices"
	"syscall"
	"testing"
)

// TestEndpointAuthOptions round-trips the SCTP-AUTH options of an endpoint through the kernel:
// refused with EACCES until AUTH is on, then keys added, made active, deactivated and deleted with
// the kernel's refusals (the active key cannot go), chunk types listed, HMAC algorithms reordered.
func TestEndpointAuthOptions(t *testing.T) {
	needSCTP(t)
	e, err := ListenEndpoint("sctp", "127.0.0.1:0")
	check(t, "ListenEndpoint", err)
	defer e.Close()
	check(t, "AUTH off", e.SetExtension(0, ExtAuth, false))
	if err := e.SetAuthKey(0, 1, []byte("secret")); !errors.Is(err, syscall.EACCES) {
		t.Fatalf("SetAuthKey with AUTH off: %v, want EACCES", err)
	}
	check(t, "AUTH on", e.SetExtension(0, ExtAuth, true))
	on, err := e.Extension(0, ExtAuth)
	eq(t, "Extension(Auth)", on, err, true)

	check(t, "SetAuthKey 1", e.SetAuthKey(0, 1, []byte("secret one")))
	check(t, "SetAuthKey 2", e.SetAuthKey(0, 2, []byte("secret two")))
	ak, err := e.AuthActiveKey(0)
	eq(t, "AuthActiveKey at first", ak, err, 0)
	check(t, "SetAuthActiveKey", e.SetAuthActiveKey(0, 1))
	ak, err = e.AuthActiveKey(0)
	eq(t, "AuthActiveKey", ak, err, 1)
	if err := e.SetAuthActiveKey(0, 9); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("SetAuthActiveKey of a missing key: %v, want EINVAL", err)
	}
	if err := e.DeleteAuthKey(0, 1); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("DeleteAuthKey of the active key: %v, want EINVAL", err)
	}
	check(t, "DeactivateAuthKey 2", e.DeactivateAuthKey(0, 2))
	check(t, "DeleteAuthKey 2", e.DeleteAuthKey(0, 2))
	if err := e.DeleteAuthKey(0, 2); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("DeleteAuthKey of a deleted key: %v, want EINVAL", err)
	}

	check(t, "SetAuthChunk DATA", e.SetAuthChunk(0))
	ch, err := e.LocalAuthChunks(0)
	check(t, "LocalAuthChunks", err)
	if !slices.Contains(ch, 0) {
		t.Fatalf("LocalAuthChunks %v, want DATA (0) among them", ch)
	}

	ids, err := e.HMACIdents()
	check(t, "HMACIdents", err)
	if !slices.Equal(ids, []uint16{HMACSHA1}) {
		t.Fatalf("HMACIdents at first %v, want [SHA-1]", ids)
	}
	check(t, "SetHMACIdents", e.SetHMACIdents(HMACSHA256, HMACSHA1))
	ids, err = e.HMACIdents()
	check(t, "HMACIdents", err)
	if !slices.Equal(ids, []uint16{HMACSHA256, HMACSHA1}) {
		t.Fatalf("HMACIdents %v, want [SHA-256 SHA-1]", ids)
	}
	if err := e.SetHMACIdents(HMACSHA256); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("SetHMACIdents without SHA-1: %v, want EINVAL", err)
	}

	// Bound to 127.0.0.1, not the wildcard: the kernel refuses auto ASCONF.
	aa, err := e.AutoASCONF()
	eq(t, "AutoASCONF", aa, err, false)
	if err := e.SetAutoASCONF(true); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("SetAutoASCONF on a socket bound to 127.0.0.1: %v, want EINVAL", err)
	}
}
