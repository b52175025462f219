// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"flag"
	"fmt"
	"os"
	"syscall"
	"testing"
)

// TestMain skips the Example functions where the kernel has no SCTP: an example cannot skip itself,
// and its output would not match. The tests skip one by one (needSCTP). Run everything through
// scripts/sctp-run, which boots a guest with SCTP when the host lacks it.
func TestMain(m *testing.M) {
	flag.Parse()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_SEQPACKET, syscall.IPPROTO_SCTP)
	if err != nil {
		if skip := flag.Lookup("test.skip"); skip != nil && skip.Value.String() == "" {
			skip.Value.Set("^Example")
			fmt.Fprintf(os.Stderr, "sctp: kernel SCTP unavailable (%v): examples skipped; run through scripts/sctp-run\n", err)
		}
	} else {
		syscall.Close(fd)
	}
	os.Exit(m.Run())
}
