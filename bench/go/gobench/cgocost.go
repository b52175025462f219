// SPDX-License-Identifier: MIT

// What one cgo call and one system call cost on this machine, measured in the same run as the
// rows: the per-call price that sctpio's Go binding pays on top of its C library (one cgo call per
// ReadMsg, one per ReadBatch), so that a Go/C gap can be told apart from noise.

package main

/*
static int gobench_nothing(int x) { return x + 1; }
*/
import "C"

import (
	"runtime"
	"syscall"
)

// callCosts returns the thread CPU nanoseconds of one empty cgo call and of one getppid(2), each
// the mean over n calls on a locked thread.
func callCosts(n int) (cgoNs, sysNs float64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := cpuNow(rusageThread)
	x := C.int(0)
	for i := 0; i < n; i++ {
		x = C.gobench_nothing(x)
	}
	t1 := cpuNow(rusageThread)
	for i := 0; i < n; i++ {
		syscall.Syscall(syscall.SYS_GETPPID, 0, 0, 0)
	}
	t2 := cpuNow(rusageThread)
	return float64(t1-t0) / float64(n), float64(t2-t1) / float64(n)
}
