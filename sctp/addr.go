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

// AddrPort returns the first address with the port (the primary address of a connection's peer,
// as set up), or the zero AddrPort for a nil or empty Addr.
func (a *Addr) AddrPort() netip.AddrPort {
	if a == nil || len(a.IPs) == 0 {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(a.IPs[0], uint16(a.Port))
}

// AddrPorts returns every address with the port; nil for a nil Addr.
func (a *Addr) AddrPorts() []netip.AddrPort {
	if a == nil {
		return nil
	}
	out := make([]netip.AddrPort, len(a.IPs))
	for i, ip := range a.IPs {
		out[i] = netip.AddrPortFrom(ip, uint16(a.Port))
	}
	return out
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

// ResolveAddr parses "host:port" or "host1/host2/...:port" for network "sctp", "sctp4" or "sctp6".
// The port is 0 to 65535 in decimal digits. An empty host part (":5000") means every local address;
// in a list every entry must be there ("127.0.0.1/:80" is an error). The empty address "" is ":0",
// every local address and a port the kernel chooses, as net.Listen("tcp", "") takes it.
//
// Each host follows one grammar, the same as the C library's sctpio_addr_parse (sctpio/addr.h), and
// test/addr_cases.txt holds both to it:
//   - IPv4: exactly four decimal parts of 0 to 255 with no leading zeros, as net/netip reads them.
//     The other forms inet_aton takes ("127.1", "1.2.3" as 1.2.0.3, "0x7f.1", "010.0.0.1") are errors.
//   - IPv6: in brackets here ("[::1]:5000"), since the colon also ends the host ("::1:5000" is an
//     error, "too many colons in address" as net.SplitHostPort says); any RFC 4291 text
//     net/netip reads, with an optional zone after '%' that must name an existing interface
//     ("[fe80::1%eth0]") or be a decimal interface index ("[fe80::1%2]"), at most 15 bytes.
//     Brackets hold IPv6 only: "[1.2.3.4]" is an error.
//   - A name: labels of 1 to 63 letters, digits, '-' and '_', not beginning or ending with '-',
//     joined by '.', 253 bytes at most (one final '.' allowed), whose last label is not a number
//     (all digits, or "0x" and hex digits). Only a name is looked up, with net.DefaultResolver
//     (the first address found; "sctp4" and "sctp6" ask for that family only).
//
// Anything else is an error without any lookup: in particular, text that looks numeric (only digits
// and dots, or a number as its last label, or a colon) never goes to DNS.
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
			continue // the wildcard: the only host, splitHostsPort saw to it
		}
		ip, name, err := parseHost(h)
		if err != nil {
			return nil, &net.AddrError{Err: err.Error(), Addr: h}
		}
		if !name {
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

// splitHostsPort splits "h1/h2:port" and checks every host against the grammar of ResolveAddr (a
// name is not looked up); brackets protect IPv6 colons and are removed. An empty host part gives
// one empty host, the wildcard.
func splitHostsPort(s string) ([]string, int, error) {
	if s == "" {
		return []string{""}, 0, nil // as net.Listen("tcp", ""): every address, any port
	}
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return nil, 0, errors.New("missing port")
	}
	digits := s[i+1:]
	if digits == "" || len(digits) > 5 || strings.Trim(digits, "0123456789") != "" {
		return nil, 0, errors.New("invalid port")
	}
	port, err := strconv.Atoi(digits)
	if err != nil || port > 65535 {
		return nil, 0, errors.New("invalid port")
	}
	if i == 0 {
		return []string{""}, port, nil
	}
	var hosts []string
	for _, h := range strings.Split(s[:i], "/") {
		switch {
		case h == "":
			return nil, 0, errors.New("empty host in list")
		case strings.HasPrefix(h, "["):
			if len(h) < 3 || !strings.HasSuffix(h, "]") {
				return nil, 0, errors.New("missing ']'")
			}
		case strings.Contains(h, ":"):
			return nil, 0, errors.New("too many colons in address") // net.SplitHostPort's words
		}
		if _, _, err := parseHost(h); err != nil {
			return nil, 0, err
		}
		hosts = append(hosts, strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
	}
	return hosts, port, nil
}

// parseHost reads one host by the grammar of ResolveAddr (brackets allowed, around IPv6 only): an
// address literal, or name true for a host name to look up, or an error. Pure Go, as the C
// sctpio__host_parse that it mirrors rule for rule.
func parseHost(h string) (ip netip.Addr, name bool, err error) {
	if h == "" || len(h) > 255 {
		return netip.Addr{}, false, errors.New("invalid host")
	}
	if h[0] == '[' {
		if len(h) < 3 || h[len(h)-1] != ']' || !strings.Contains(h, ":") {
			return netip.Addr{}, false, errors.New("brackets hold an IPv6 address only")
		}
		ip, err := parseV6(h[1 : len(h)-1])
		return ip, false, err
	}
	if strings.Contains(h, ":") {
		ip, err := parseV6(h)
		return ip, false, err
	}
	if ip, err := netip.ParseAddr(h); err == nil && ip.Is4() {
		return ip, false, nil
	}
	if !validName(h) {
		return netip.Addr{}, false, errors.New("not an IP address or host name")
	}
	return netip.Addr{}, true, nil
}

// parseV6 reads an IPv6 literal with an optional zone, which must name an interface or be a number.
func parseV6(s string) (netip.Addr, error) {
	ip, err := netip.ParseAddr(s)
	if err != nil || !ip.Is6() {
		return netip.Addr{}, errors.New("invalid IPv6 address")
	}
	if z := ip.Zone(); z != "" {
		if _, ok := zoneIndex(z); !ok {
			return netip.Addr{}, errors.New("IPv6 zone is not an interface name or index")
		}
	}
	return ip, nil
}

// zoneIndex is the interface index of zone: the interface of that name, else the zone as a decimal
// number. ok is false for anything else, and for more than 15 bytes.
func zoneIndex(zone string) (uint32, bool) {
	if zone == "" || len(zone) > 15 {
		return 0, false
	}
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return uint32(ifi.Index), true
	}
	if strings.Trim(zone, "0123456789") != "" {
		return 0, false
	}
	v, err := strconv.ParseUint(zone, 10, 32)
	return uint32(v), err == nil
}

// validName reports whether s is a host name by the grammar of ResolveAddr.
func validName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return !numericLabel(labels[len(labels)-1])
}

// numericLabel reports whether a label reads as a number to inet_aton or a URL parser: decimal
// digits, or "0x" and hex digits (none included).
func numericLabel(l string) bool {
	if len(l) >= 2 && l[0] == '0' && (l[1] == 'x' || l[1] == 'X') {
		return strings.Trim(l[2:], "0123456789abcdefABCDEF") == ""
	}
	return l != "" && strings.Trim(l, "0123456789") == ""
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
		// A zone that names no interface now (it did when parsed, or came in an Addr built by
		// hand) leaves the scope 0.
		if index, ok := zoneIndex(z); ok {
			binary.NativeEndian.PutUint32(b[24:], index)
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
		ip := netip.AddrFrom16([16]byte(b[8:24]))
		if scope := binary.NativeEndian.Uint32(b[24:]); scope != 0 {
			ip = ip.WithZone(zoneName(scope))
		}
		return netip.AddrPortFrom(ip, binary.BigEndian.Uint16(b[2:]))
	}
	return netip.AddrPort{}
}

// zoneName is the zone for sin6_scope_id index: the interface's name, or the index in decimal when
// no interface has it (as net does).
func zoneName(index uint32) string {
	if ifi, err := net.InterfaceByIndex(int(index)); err == nil {
		return ifi.Name
	}
	return strconv.FormatUint(uint64(index), 10)
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

// sctpAddr is a socket's LocalAddr or RemoteAddr as the *Addr it always is (nil when unset).
func sctpAddr(a net.Addr) *Addr {
	sa, _ := a.(*Addr)
	return sa
}
