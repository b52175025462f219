// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp_test

import (
	"encoding/binary"
	"net"
	"syscall"
	"testing"
	"unsafe"

	"github.com/sctpio/sctpio/compat/ishidawataru/sctp"
)

// needSCTP skips where the kernel has no SCTP; run the tests through scripts/sctp-run.
func needSCTP(t testing.TB) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_SEQPACKET, syscall.IPPROTO_SCTP)
	if err != nil {
		t.Skipf("kernel SCTP unavailable (%v): run through scripts/sctp-run", err)
	}
	syscall.Close(fd)
}

func loopback(port int, last ...byte) *sctp.SCTPAddr {
	a := &sctp.SCTPAddr{Port: port}
	for _, b := range last {
		a.IPAddrs = append(a.IPAddrs, net.IPAddr{IP: net.IPv4(127, 0, 0, b)})
	}
	return a
}

func portOf(t testing.TB, a net.Addr) int {
	t.Helper()
	sa, ok := a.(*sctp.SCTPAddr)
	if !ok || sa == nil || sa.Port == 0 {
		t.Fatalf("address %#v is not an *SCTPAddr with a port", a)
	}
	return sa.Port
}

// accepted runs AcceptSCTP once in a goroutine; the channel gives the connection or fails t.
func accepted(t *testing.T, ln *sctp.SCTPListener) <-chan *sctp.SCTPConn {
	ch := make(chan *sctp.SCTPConn, 1)
	go func() {
		c, err := ln.AcceptSCTP()
		if err != nil {
			t.Errorf("AcceptSCTP: %v", err)
			c = nil
		}
		ch <- c
	}()
	return ch
}

// pair is a connected client and server on loopback, dialled with DialSCTPExt.
func pair(t *testing.T, init sctp.InitMsg) (cli, srv *sctp.SCTPConn) {
	t.Helper()
	ln, err := sctp.ListenSCTPExt("sctp", loopback(0, 1), init)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	acc := accepted(t, ln)
	cli, err = sctp.DialSCTPExt("sctp", nil, loopback(portOf(t, ln.Addr()), 1), init)
	if err != nil {
		t.Fatal(err)
	}
	if srv = <-acc; srv == nil {
		t.FailNow()
	}
	t.Cleanup(func() { cli.Close(); srv.Close() })
	return cli, srv
}

// setInt sets an int option at level SOL_SCTP through the raw Setsockopt, as callers of
// ishidawataru/sctp do.
func setInt(t *testing.T, c *sctp.SCTPConn, opt uintptr, v int32) {
	t.Helper()
	if _, _, err := c.Setsockopt(opt, uintptr(unsafe.Pointer(&v)), unsafe.Sizeof(v)); err != nil {
		t.Fatalf("Setsockopt(%d): %v", opt, err)
	}
}

func getInt(t *testing.T, c *sctp.SCTPConn, opt uintptr) int32 {
	t.Helper()
	var v int32
	l := uintptr(unsafe.Sizeof(v))
	if _, _, err := c.Getsockopt(opt, uintptr(unsafe.Pointer(&v)), uintptr(unsafe.Pointer(&l))); err != nil {
		t.Fatalf("Getsockopt(%d): %v", opt, err)
	}
	return v
}

// header decodes a notification's header as a handler written for ishidawataru/sctp does.
func header(b []byte) sctp.NotificationHeader {
	return sctp.NotificationHeader{Type: binary.NativeEndian.Uint16(b[0:]), Flags: binary.NativeEndian.Uint16(b[2:]),
		Length: binary.NativeEndian.Uint32(b[4:])}
}
