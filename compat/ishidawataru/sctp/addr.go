// SPDX-License-Identifier: MIT

// SCTPAddr and its encodings: the text form, resolution, and the raw sockaddr list that the
// SCTP_SOCKOPT_* options take. Pure Go, the same on every platform.

package sctp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// SCTPAddr is an SCTP endpoint address: one port and any number of IP addresses (several make a
// multi-homed endpoint). No address means the wildcard.
type SCTPAddr struct {
	IPAddrs []net.IPAddr
	Port    int
}

// Sizes of Linux's struct sockaddr_in and sockaddr_in6.
const (
	sockaddrInet4Len = 16
	sockaddrInet6Len = 28
)

// Address families as Linux numbers them (the raw sockaddrs are Linux's on every platform).
const (
	afInet  = 2
	afInet6 = 10
)

// ToRawSockAddrBuf returns the addresses as consecutive raw sockaddrs (struct sockaddr_in for an
// IPv4 address, sockaddr_in6 otherwise, the port in network byte order, an IPv6 zone as its
// interface index), the form that SCTP_SOCKOPT_BINDX_ADD and SCTP_SOCKOPT_CONNECTX take. With no
// address it holds one: the IPv4 wildcard with the port. The layout is Linux's on every platform.
func (a *SCTPAddr) ToRawSockAddrBuf() []byte {
	if len(a.IPAddrs) == 0 {
		return appendSockaddr(nil, net.IPv4zero, "", a.Port)
	}
	var buf []byte
	for _, ip := range a.IPAddrs {
		addr := ip.IP
		if len(addr) == 0 {
			addr = net.IPv4zero
		}
		buf = appendSockaddr(buf, addr, ip.Zone, a.Port)
	}
	return buf
}

// appendSockaddr appends one raw sockaddr for ip to buf.
func appendSockaddr(buf []byte, ip net.IP, zone string, port int) []byte {
	if ip4 := ip.To4(); ip4 != nil {
		var sa [sockaddrInet4Len]byte
		binary.NativeEndian.PutUint16(sa[0:], afInet)
		binary.BigEndian.PutUint16(sa[2:], uint16(port))
		copy(sa[4:8], ip4)
		return append(buf, sa[:]...)
	}
	var sa [sockaddrInet6Len]byte
	binary.NativeEndian.PutUint16(sa[0:], afInet6)
	binary.BigEndian.PutUint16(sa[2:], uint16(port))
	copy(sa[8:24], ip.To16())
	if zone != "" {
		if ifi, err := net.InterfaceByName(zone); err == nil {
			binary.NativeEndian.PutUint32(sa[24:], uint32(ifi.Index))
		} else if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
			binary.NativeEndian.PutUint32(sa[24:], uint32(n))
		}
	}
	return append(buf, sa[:]...)
}

// String formats the address as "ip:port", "ip1/ip2:port" when multi-homed, with IPv6 addresses
// in brackets ("[::1]:5000") and only the port (":5000") when there is no address. An empty IP in
// the list prints as nothing.
func (a *SCTPAddr) String() string {
	var b strings.Builder
	for i, ip := range a.IPAddrs {
		if i > 0 {
			b.WriteByte('/')
		}
		switch {
		case ip.IP.To4() != nil:
			b.WriteString(ip.String())
		case len(ip.IP) == net.IPv6len:
			b.WriteByte('[')
			b.WriteString(ip.String())
			b.WriteByte(']')
		}
	}
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(a.Port))
	return b.String()
}

// Network returns "sctp".
func (a *SCTPAddr) Network() string { return "sctp" }

// ResolveSCTPAddr parses "host:port" or "host1/host2/...:port" for network "sctp" (or ""), "sctp4"
// or "sctp6". Each host is resolved as net.ResolveTCPAddr resolves one (names are looked up); a
// last host that is empty (":5000") gives an address with no IPs, the wildcard.
func ResolveSCTPAddr(network, addrs string) (*SCTPAddr, error) {
	var tcpNet string
	switch network {
	case "", "sctp":
		tcpNet = "tcp"
	case "sctp4":
		tcpNet = "tcp4"
	case "sctp6":
		tcpNet = "tcp6"
	default:
		return nil, fmt.Errorf("invalid net: %s", network)
	}
	// The port follows the last host, so every host but the last is resolved on its own, with an
	// empty port; the last with the port.
	hosts := strings.Split(addrs, "/")
	last := len(hosts) - 1
	ips := make([]net.IPAddr, 0, len(hosts))
	for i, h := range hosts {
		if i < last {
			h += ":"
		}
		ta, err := net.ResolveTCPAddr(tcpNet, h)
		if err != nil {
			return nil, err
		}
		if ta.IP == nil && i == last {
			// An empty last host is the wildcard, whatever came before (as ishidawataru/sctp).
			return &SCTPAddr{Port: ta.Port}, nil
		}
		ips = append(ips, net.IPAddr{IP: ta.IP, Zone: ta.Zone})
		if i == last {
			return &SCTPAddr{IPAddrs: ips, Port: ta.Port}, nil
		}
	}
	return nil, errors.New("invalid input: " + addrs) // unreachable: Split returns one element at least
}
