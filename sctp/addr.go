// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include "sctpio.h"
*/
import "C"

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"unsafe"
)

// Addr is an SCTP endpoint address: one port and one or more IP addresses. More than one address
// makes a multi-homed endpoint: a server binds all of them, a client reaches the peer at any of them.
type Addr struct {
	IPs  []netip.Addr
	Port int
}

// Network returns "sctp".
func (a *Addr) Network() string { return "sctp" }

// String formats the address as "ip:port", "ip1/ip2:port" for several addresses, with IPv6 in
// brackets: "[::1]:5000".
func (a *Addr) String() string {
	if a == nil {
		return "<nil>"
	}
	var b strings.Builder
	for i, ip := range a.IPs {
		if i > 0 {
			b.WriteByte('/')
		}
		if ip.Is6() && !ip.Is4In6() {
			b.WriteByte('[')
			b.WriteString(ip.String())
			b.WriteByte(']')
		} else {
			b.WriteString(ip.Unmap().String())
		}
	}
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(a.Port))
	return b.String()
}

// ResolveAddr parses "host:port" or "host1/host2/...:port" (hosts are IP literals or names, IPv6
// in brackets) for network "sctp", "sctp4" or "sctp6". An empty host means every local address.
func ResolveAddr(network, address string) (*Addr, error) {
	return resolveAddr(context.Background(), network, address)
}

func resolveAddr(ctx context.Context, network, address string) (*Addr, error) {
	if _, err := familyFlags(network); err != nil {
		return nil, err
	}
	hosts, port, err := splitHostsPort(address)
	if err != nil {
		return nil, &net.AddrError{Err: err.Error(), Addr: address}
	}
	a := &Addr{Port: port}
	for _, h := range hosts {
		if h == "" {
			continue
		}
		if ip, err := netip.ParseAddr(h); err == nil {
			a.IPs = append(a.IPs, ip)
			continue
		}
		ips, err := net.DefaultResolver.LookupNetIP(ctx, ipNetwork(network), h)
		if err != nil {
			return nil, err
		}
		if len(ips) == 0 {
			return nil, &net.AddrError{Err: "no addresses", Addr: h}
		}
		a.IPs = append(a.IPs, ips[0])
	}
	return a, nil
}

func ipNetwork(network string) string {
	switch network {
	case "sctp4":
		return "ip4"
	case "sctp6":
		return "ip6"
	}
	return "ip"
}

// splitHostsPort splits "h1/h2:port"; brackets protect IPv6 colons.
func splitHostsPort(s string) ([]string, int, error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return nil, 0, errors.New("missing port")
	}
	port, err := strconv.Atoi(s[i+1:])
	if err != nil || port < 0 || port > 65535 {
		return nil, 0, errors.New("invalid port")
	}
	var hosts []string
	for _, h := range strings.Split(s[:i], "/") {
		if strings.HasPrefix(h, "[") {
			if !strings.HasSuffix(h, "]") {
				return nil, 0, errors.New("missing ']'")
			}
			h = h[1 : len(h)-1]
		}
		hosts = append(hosts, h)
	}
	return hosts, port, nil
}

// familyFlags maps a network name to sctpio_sock_open flags.
func familyFlags(network string) (C.uint, error) {
	switch network {
	case "sctp":
		return 0, nil
	case "sctp4":
		return C.SCTPIO_IPV4_ONLY, nil
	case "sctp6":
		return C.SCTPIO_V6_ONLY, nil
	}
	return 0, net.UnknownNetworkError(network)
}

// cAddrs converts a to C addresses; an Addr with no IPs is the wildcard of the network's family.
func (a *Addr) cAddrs(network string) []C.sctpio_addr {
	port := 0
	var ips []netip.Addr
	if a != nil {
		port, ips = a.Port, a.IPs
	}
	if len(ips) == 0 {
		if network == "sctp4" {
			ips = []netip.Addr{netip.IPv4Unspecified()}
		} else {
			ips = []netip.Addr{netip.IPv6Unspecified()}
		}
	}
	out := make([]C.sctpio_addr, len(ips))
	for i, ip := range ips {
		putAddr(&out[i], netip.AddrPortFrom(ip, uint16(port)))
	}
	return out
}

// putAddr writes ap into a C sockaddr union (sockaddr_in or sockaddr_in6), port in network order.
func putAddr(dst *C.sctpio_addr, ap netip.AddrPort) {
	b := (*[C.sizeof_sctpio_addr]byte)(unsafe.Pointer(dst))
	*b = [C.sizeof_sctpio_addr]byte{}
	ip := ap.Addr()
	if ip.Is4() {
		binary.NativeEndian.PutUint16(b[0:], C.AF_INET)
		binary.BigEndian.PutUint16(b[2:], ap.Port())
		v4 := ip.As4()
		copy(b[4:8], v4[:])
		return
	}
	binary.NativeEndian.PutUint16(b[0:], C.AF_INET6)
	binary.BigEndian.PutUint16(b[2:], ap.Port())
	v6 := ip.As16()
	copy(b[8:24], v6[:])
	if z := ip.Zone(); z != "" {
		if ifi, err := net.InterfaceByName(z); err == nil {
			binary.NativeEndian.PutUint32(b[24:], uint32(ifi.Index))
		}
	}
}

// getAddr reads a C sockaddr union; the zero AddrPort for an unknown family.
func getAddr(src *C.sctpio_addr) netip.AddrPort {
	b := (*[C.sizeof_sctpio_addr]byte)(unsafe.Pointer(src))
	switch binary.NativeEndian.Uint16(b[0:]) {
	case C.AF_INET:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(b[4:8])), binary.BigEndian.Uint16(b[2:]))
	case C.AF_INET6:
		return netip.AddrPortFrom(netip.AddrFrom16([16]byte(b[8:24])), binary.BigEndian.Uint16(b[2:]))
	}
	return netip.AddrPort{}
}

// addrFromList makes an Addr from C addresses sharing one port.
func addrFromList(list []C.sctpio_addr) *Addr {
	a := &Addr{}
	for i := range list {
		ap := getAddr(&list[i])
		if !ap.IsValid() {
			continue
		}
		a.Port = int(ap.Port())
		a.IPs = append(a.IPs, ap.Addr())
	}
	return a
}
