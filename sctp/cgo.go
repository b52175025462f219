// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#cgo CFLAGS: -std=gnu11 -D_GNU_SOURCE -O2 -fvisibility=hidden
#cgo LDFLAGS: -pthread
#include <stdlib.h>
#include "sctpio.h"
*/
import "C"

import (
	"errors"
	"os"
	"syscall"
	"time"
	"unsafe"
)

var (
	errMissingAddress = errors.New("missing address")
	// aLongTimeAgo is a deadline in the past: setting it wakes a parked call at once.
	aLongTimeAgo = time.Unix(1, 0)
)

// wrapErrno turns a C -errno result into an *os.SyscallError naming call.
func wrapErrno(call string, r C.long) error {
	if r >= 0 {
		return nil
	}
	return os.NewSyscallError(call, syscall.Errno(-r))
}

func unsafePointer(p *byte) unsafe.Pointer { return unsafe.Pointer(p) }

// errno turns a C -errno result into a syscall.Errno (nil for r >= 0).
func errno(r C.long) error {
	if r >= 0 {
		return nil
	}
	return syscall.Errno(-r)
}
