// SPDX-License-Identifier: MIT

package sctp_test

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/sctpio/sctpio/compat/ishidawataru/sctp"
)

// These need no SCTP: addresses are parsed and encoded in Go on every platform.

func TestResolveSCTPAddr(t *testing.T) {
	a, err := sctp.ResolveSCTPAddr("sctp", "127.0.0.1/127.0.0.2:3868")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.IPAddrs) != 2 || !a.IPAddrs[0].IP.Equal(net.IPv4(127, 0, 0, 1)) ||
		!a.IPAddrs[1].IP.Equal(net.IPv4(127, 0, 0, 2)) || a.Port != 3868 {
		t.Fatalf("ResolveSCTPAddr = %+v", a)
	}
	if s := a.String(); s != "127.0.0.1/127.0.0.2:3868" {
		t.Errorf("String() = %q", s)
	}
	if a.Network() != "sctp" {
		t.Errorf("Network() = %q", a.Network())
	}
	w, err := sctp.ResolveSCTPAddr("", ":5000")
	if err != nil || len(w.IPAddrs) != 0 || w.Port != 5000 || w.String() != ":5000" {
		t.Errorf("ResolveSCTPAddr(:5000) = %+v, %v", w, err)
	}
	v6, err := sctp.ResolveSCTPAddr("sctp6", "[::1]:7")
	if err != nil || v6.String() != "[::1]:7" {
		t.Errorf("ResolveSCTPAddr([::1]:7) = %v, %v", v6, err)
	}
	if _, err := sctp.ResolveSCTPAddr("udp", "1.2.3.4:5"); err == nil {
		t.Error("ResolveSCTPAddr(udp) gave no error")
	}
	if _, err := sctp.ResolveSCTPAddr("sctp", "1.2.3.4"); err == nil {
		t.Error("ResolveSCTPAddr without a port gave no error")
	}
}

func TestToRawSockAddrBuf(t *testing.T) {
	a := &sctp.SCTPAddr{IPAddrs: []net.IPAddr{{IP: net.IPv4(10, 1, 2, 3)}, {IP: net.ParseIP("fe80::1")}}, Port: 3868}
	b := a.ToRawSockAddrBuf()
	if len(b) != 16+28 {
		t.Fatalf("%d bytes, want 44 (sockaddr_in + sockaddr_in6)", len(b))
	}
	if f := binary.NativeEndian.Uint16(b[0:]); f != 2 {
		t.Errorf("first family %d, want AF_INET", f)
	}
	if p := binary.BigEndian.Uint16(b[2:]); p != 3868 {
		t.Errorf("first port %d", p)
	}
	if !net.IP(b[4:8]).Equal(net.IPv4(10, 1, 2, 3)) {
		t.Errorf("first address %v", net.IP(b[4:8]))
	}
	if f := binary.NativeEndian.Uint16(b[16:]); f != 10 {
		t.Errorf("second family %d, want AF_INET6", f)
	}
	if p := binary.BigEndian.Uint16(b[18:]); p != 3868 {
		t.Errorf("second port %d", p)
	}
	if !net.IP(b[24:40]).Equal(net.ParseIP("fe80::1")) {
		t.Errorf("second address %v", net.IP(b[24:40]))
	}
	if w := (&sctp.SCTPAddr{Port: 9}).ToRawSockAddrBuf(); len(w) != 16 || binary.BigEndian.Uint16(w[2:]) != 9 {
		t.Errorf("wildcard: % x", w)
	}
}
