// SPDX-License-Identifier: MIT

//go:build linux && cgo

// Package cgobench measures what crossing between Go and C costs, for the models benchmarks of
// package sctp (BenchmarkCgo). It is a separate package because it exports a Go function to C,
// which defines a global C symbol: package sctp itself defines none (see scripts/amalgamate), and
// only benchmark binaries link this package.
package cgobench

/*
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>

extern void cgobench_go_nop(int);

static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;
	do
		r = poll(&p, 1, 0);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

static void nop(int x) { (void)x; }

static void call_go(int n)
{
	for (int i = 0; i < n; i++)
		cgobench_go_nop(i);
}

static void *call_go_main(void *arg)
{
	call_go((int)(intptr_t)arg);
	return NULL;
}

static int call_go_on_c_thread(int n)
{
	pthread_t t;
	int r = pthread_create(&t, NULL, call_go_main, (void *)(intptr_t)n);
	if (r != 0)
		return -r;
	return -pthread_join(t, NULL);
}
*/
import "C"

import "syscall"

// Readable asks poll(2), through cgo, whether fd is readable now (the Probe/Cgo benchmark); a
// failing poll counts as readable, as in package sctp's raw-syscall probe.
func Readable(fd uintptr) bool { return C.readable(C.int(fd)) != 0 }

// CallC calls an empty C function n times from Go (the Go→C cost).
func CallC(n int) {
	for i := 0; i < n; i++ {
		C.nop(C.int(i))
	}
}

// CallGo has C call an empty exported Go function n times (the C→Go cost), from the calling thread,
// or from a thread that C creates (onCThread), as a pool of C threads would.
func CallGo(n int, onCThread bool) error {
	if !onCThread {
		C.call_go(C.int(n))
		return nil
	}
	if r := C.call_go_on_c_thread(C.int(n)); r < 0 {
		return syscall.Errno(-r)
	}
	return nil
}
