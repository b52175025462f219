// SPDX-License-Identifier: MIT

//go:build linux && cgo

package cgobench

// This file's preamble may hold declarations only: a file with //export is compiled twice by cgo.

import "C"

// cgobench_go_nop is the Go function that C calls (see CallGo): it does nothing, so that what is
// measured is the crossing alone. Its C symbol is global, which is why it lives in this package,
// which only benchmarks import, and not in package sctp.
//
//export cgobench_go_nop
func cgobench_go_nop(C.int) {}
