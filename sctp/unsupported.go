// SPDX-License-Identifier: MIT

//go:build !linux || !cgo

package sctp

// sctpio uses the Linux kernel's SCTP through cgo. Building it elsewhere, or with CGO_ENABLED=0, stops
// here with the error "undefined: sctpio_needs_linux_and_cgo" instead of an obscure link error.
var _ = sctpio_needs_linux_and_cgo
