// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"bufio"
	"net/netip"
	"os"
	"strings"
	"testing"
)

// TestAddrCases holds ResolveAddr and its per-host parser to test/addr_cases.txt, the table that
// test/t_addr_grammar.c holds the C sctpio_addr_parse to, so that both languages read host text
// alike. No name is looked up: a "name" case checks the classification only, and every other case
// is refused or parsed before any lookup could happen.
func TestAddrCases(t *testing.T) {
	f, err := os.Open("../test/addr_cases.txt") // go test runs in the package directory
	if err != nil {
		f, err = os.Open("test/addr_cases.txt") // a test binary run from the repository root
	}
	if err != nil {
		t.Fatalf("the shared table: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	cases := 0
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || text[0] == '#' {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 3 {
			t.Fatalf("line %d: want KIND EXPECT INPUT", line)
		}
		kind, expect, input := fields[0], fields[1], unescapeCase(fields[2])
		cases++
		switch kind {
		case "host":
			hostCase(t, line, expect, input)
		case "list":
			listCase(t, line, expect, input)
		default:
			t.Fatalf("line %d: unknown kind %q", line, kind)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cases < 100 {
		t.Fatalf("only %d cases read", cases)
	}
	t.Logf("%d cases", cases)

	// Beyond the table: what only the Go address text has (ports, brackets, lists).
	for _, s := range []string{
		"::1:80", "[1.2.3.4]:80", "127.0.0.1/:80", "/:80", "[fe80::1%nosuchif]:80", "127.1:80",
		"[]:80", "[::1]", "[::1]:", "[::1]:65536", "[::1]:+80", "[::1]:-1", "1.2.3.4:0x50", "1.2.3.4:123456",
	} {
		if a, err := ResolveAddr("sctp", s); err == nil {
			t.Errorf("ResolveAddr(%q) = %v, want an error", s, a)
		}
	}
	a, err := ResolveAddr("sctp", ":80")
	if err != nil || len(a.IPs) != 0 || a.Port != 80 {
		t.Errorf("ResolveAddr(\":80\") = %v, %v; want the wildcard", a, err)
	}
	a, err = ResolveAddr("sctp", "[fe80::1%lo]/127.0.0.1:65535")
	if err != nil || len(a.IPs) != 2 || a.Port != 65535 {
		t.Fatalf("ResolveAddr = %v, %v", a, err)
	}
}

// unescapeCase undoes the table's escapes: "" is empty, \s a space, \t a tab, \\ a backslash.
func unescapeCase(s string) string {
	if s == `""` {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 's':
				b.WriteByte(' ')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// caseAddrText is a host as ResolveAddr's address text has it: IPv6 (a colon) in brackets.
func caseAddrText(host string) string {
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		return "[" + host + "]"
	}
	return host
}

// expectedIP reads an expected address of the table; a zone name stands for its interface index.
func expectedIP(t *testing.T, line int, text string) (netip.Addr, uint32) {
	ip, err := netip.ParseAddr(text)
	if err != nil {
		t.Fatalf("line %d: expected address %q: %v", line, text, err)
	}
	var zone uint32
	if z := ip.Zone(); z != "" {
		var ok bool
		if zone, ok = zoneIndex(z); !ok {
			t.Fatalf("line %d: expected zone %q is not an interface or number", line, z)
		}
	}
	return ip.WithZone(""), zone
}

// sameIP compares an address as the C library would hold it: family, bytes, and zone index.
func sameIP(got netip.Addr, want netip.Addr, wantZone uint32) bool {
	gz := uint32(0)
	if z := got.Zone(); z != "" {
		gz, _ = zoneIndex(z)
	}
	return got.WithZone("") == want && gz == wantZone
}

func hostCase(t *testing.T, line int, expect, input string) {
	ip, name, err := parseHost(input)
	// The whole-address path too, for text that is one host in Go's syntax (no list separator).
	viaResolve := !strings.Contains(input, "/") && expect != "name"
	switch expect {
	case "name":
		if err != nil || !name {
			t.Errorf("line %d: host %q: want a name, got ip %v name %v err %v", line, input, ip, name, err)
		}
	case "any":
		if input != "" {
			t.Fatalf("line %d: only the empty host is the wildcard", line)
		}
		a, err := ResolveAddr("sctp", ":0")
		if err != nil || len(a.IPs) != 0 {
			t.Errorf("line %d: ResolveAddr(\":0\") = %v, %v; want the wildcard", line, a, err)
		}
	case "invalid":
		if err == nil {
			t.Errorf("line %d: host %q: want invalid, got ip %v name %v", line, input, ip, name)
		}
		if viaResolve {
			s := caseAddrText(input) + ":0"
			if a, err := ResolveAddr("sctp", s); err == nil {
				t.Errorf("line %d: ResolveAddr(%q) = %v, want an error", line, s, a)
			}
		}
	default:
		want, zone := expectedIP(t, line, expect)
		if err != nil || name || !sameIP(ip, want, zone) {
			t.Errorf("line %d: host %q: want %s, got ip %v name %v err %v", line, input, expect, ip, name, err)
		}
		if viaResolve {
			s := caseAddrText(input) + ":7"
			a, err := ResolveAddr("sctp", s)
			if err != nil || len(a.IPs) != 1 || a.Port != 7 || !sameIP(a.IPs[0], want, zone) {
				t.Errorf("line %d: ResolveAddr(%q) = %v, %v; want %s port 7", line, s, a, err, expect)
			}
		}
	}
}

func listCase(t *testing.T, line int, expect, input string) {
	entries := strings.Split(input, ",")
	for i := range entries {
		entries[i] = caseAddrText(entries[i])
	}
	s := strings.Join(entries, "/") + ":0"
	a, err := ResolveAddr("sctp", s)
	if expect == "invalid" {
		if err == nil {
			t.Errorf("line %d: list %q (ResolveAddr(%q)) = %v, want an error", line, input, s, a)
		}
		return
	}
	wants := strings.Split(expect, ",")
	if err != nil || len(a.IPs) != len(wants) {
		t.Errorf("line %d: ResolveAddr(%q) = %v, %v; want %s", line, s, a, err, expect)
		return
	}
	for i, w := range wants {
		want, zone := expectedIP(t, line, w)
		if !sameIP(a.IPs[i], want, zone) {
			t.Errorf("line %d: ResolveAddr(%q) address %d = %v, want %s", line, s, i, a.IPs[i], w)
		}
	}
}
