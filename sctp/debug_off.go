// SPDX-License-Identifier: MIT

//go:build linux && cgo && !sctpiodebug

package sctp

// debugBuild is false: build with -tags sctpiodebug to poison batch bytes after their loan ends.
const debugBuild = false
