// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

// Native Go fuzz targets for the Go side's decoders: the bytes and structures that come from the
// kernel (notifications, socket addresses, the received-message metadata) and the address text that
// comes from users. None opens a socket, so they run on a host without SCTP:
//
//	go test -run '^$' -fuzz '^FuzzParseNotification$' -fuzztime 10s ./sctp/
//
// or `make gofuzz` for every target in turn (mk/gofuzz.mk). Without -fuzz, `go test` runs each target
// once over its seeds and over any crasher kept in testdata/fuzz/<target>/, so a bug found once stays
// a regression test.
//
// Go's fuzzer is guided by the coverage of Go code only: the C decoder under ParseNotification is not
// instrumented. FuzzParseNotification therefore also builds, from every input, a notification with a
// well-formed header of one of the known types (the structured shape of fuzz/fuzz_notify.c), so that
// every type's body is reached without the fuzzer having to guess a type and a consistent length.
// The C decoders themselves are fuzzed under AddressSanitizer by the libFuzzer targets in fuzz/
// (`make fuzz`); the ancillary-data parser of received messages, sctpio__rcvinfo_parse, is C alone
// (fuzz/fuzz_rcvinfo.c): Go only converts the struct it fills, which FuzzRcvInfo covers.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// noteSpec is the layout of one notification type in <linux/sctp.h>: the size of its fixed part
// (what src/notify.c's fixed_len returns) and the offset of its association id.
type noteSpec struct{ fixed, assoc int }

// noteSpecs holds offsetof/sizeof values of the kernel structs, written out independently of the
// C decoder so that the reference below can check it.
var noteSpecs = map[NotificationType]noteSpec{
	NotifyAssocChange:     {20, 16},   // struct sctp_assoc_change up to sac_info
	NotifyPeerAddrChange:  {148, 144}, // sizeof(struct sctp_paddr_change)
	NotifySendFailedOld:   {48, 44},   // struct sctp_send_failed up to ssf_data
	NotifyRemoteError:     {16, 12},   // struct sctp_remote_error up to sre_data
	NotifyShutdown:        {12, 8},
	NotifyPartialDelivery: {16, 12}, // before pdapi_stream: kernels before 4.16 end there
	NotifyAdaptation:      {16, 12},
	NotifyAuthentication:  {20, 16},
	NotifySenderDry:       {12, 8},
	NotifyStreamReset:     {12, 8}, // up to strreset_stream_list
	NotifyAssocReset:      {20, 8},
	NotifyStreamChange:    {16, 8},
	NotifySendFailed:      {32, 28}, // struct sctp_send_failed_event up to ssf_data
}

// ntohs and ntohl read a field the kernel copied in wire order, as the C decoder does.
func ntohs(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func ntohl(b []byte) uint32 { return binary.BigEndian.Uint32(b) }

// refSendFailedCause is send_failed_cause of src/notify.c: a 32-bit field that holds a 16-bit cause
// code in wire order, or something wider passed through.
func refSendFailedCause(b []byte) uint32 {
	raw := binary.NativeEndian.Uint32(b)
	if raw > 0xffff {
		return raw
	}
	var v [2]byte
	binary.NativeEndian.PutUint16(v[:], uint16(raw))
	return uint32(ntohs(v[:]))
}

// refAbortReason finds the user-initiated-abort cause (12) in an ABORT's causes (or in a whole ABORT
// chunk, as RFC 6458 and FreeBSD give it): its value, []byte{} when empty, nil when there is none or
// the causes are malformed.
func refAbortReason(info []byte) []byte {
	p := info
	if len(p) >= 4 && p[0] == 6 && p[1]&^1 == 0 {
		clen := int(ntohs(p[2:]))
		if clen < 4 || clen > len(p) {
			return nil
		}
		p = p[4:clen]
	}
	for len(p) >= 4 {
		code, clen := ntohs(p), int(ntohs(p[2:]))
		if clen < 4 || clen > len(p) {
			return nil
		}
		if code == CauseUserAbort {
			return append([]byte{}, p[4:clen]...)
		}
		step := (clen + 3) &^ 3
		if step >= len(p) {
			break
		}
		p = p[step:]
	}
	return nil
}

// refSockaddr reads a struct sockaddr_in or sockaddr_in6 at b; the zero AddrPort for any other family.
func refSockaddr(b []byte) netip.AddrPort {
	switch binary.NativeEndian.Uint16(b) {
	case syscall.AF_INET:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(b[4:8])), ntohs(b[2:]))
	case syscall.AF_INET6:
		return netip.AddrPortFrom(netip.AddrFrom16([16]byte(b[8:24])), ntohs(b[2:]))
	}
	return netip.AddrPort{}
}

// refSockaddrZoned is refSockaddr keeping an IPv6 scope id as the zone, as getAddr must: the name
// of the interface with that index, else the index in decimal.
func refSockaddrZoned(b []byte) netip.AddrPort {
	ap := refSockaddr(b)
	if ap.Addr().Is6() {
		if scope := binary.NativeEndian.Uint32(b[24:]); scope != 0 {
			zone := fmt.Sprint(scope)
			if ifi, err := net.InterfaceByIndex(int(scope)); err == nil {
				zone = ifi.Name
			}
			ap = netip.AddrPortFrom(ap.Addr().WithZone(zone), ap.Port())
		}
	}
	return ap
}

// refNotification is an independent decoder of a notification, written from the kernel's structs: what
// ParseNotification must return, field for field, with ok false where it must fail.
func refNotification(b []byte) (n Notification, ok bool) {
	if len(b) < 8 {
		return nil, false
	}
	le := binary.NativeEndian
	h := NotificationHeader{Type: NotificationType(le.Uint16(b)), Flags: le.Uint16(b[2:]), Length: le.Uint32(b[4:])}
	spec, known := noteSpecs[h.Type]
	if !known {
		u := &UnknownNotification{NotificationHeader: h}
		if uint64(h.Length) <= uint64(len(b)) {
			u.Data = clone(b[:h.Length])
		}
		return u, true
	}
	if uint64(h.Length) > uint64(len(b)) || int(h.Length) < spec.fixed || h.Length > math.MaxInt32 {
		return nil, false
	}
	end := int(h.Length)
	h.AssocID = AssocID(int32(le.Uint32(b[spec.assoc:])))
	tail := clone(b[spec.fixed:end])
	switch h.Type {
	case NotifyAssocChange:
		ac := &AssocChange{NotificationHeader: h, State: AssocChangeState(le.Uint16(b[8:])), Error: ntohs(b[10:]),
			OutboundStreams: le.Uint16(b[12:]), InboundStreams: le.Uint16(b[14:]), Info: tail}
		ac.Reason = refAbortReason(tail)
		return ac, true
	case NotifyPeerAddrChange:
		// An IPv4 peer written v4-mapped comes out as plain IPv4, as sctpio names it everywhere; an
		// IPv6 scope id is kept as the zone, as on every other address read.
		pa := refSockaddrZoned(b[8:])
		if pa.Addr().Is4In6() {
			pa = netip.AddrPortFrom(pa.Addr().Unmap(), pa.Port())
		}
		return &PeerAddrChange{NotificationHeader: h, Addr: pa, State: PeerAddrState(int32(le.Uint32(b[136:]))),
			Error: AddrChangeReason(int32(le.Uint32(b[140:])))}, true
	case NotifyRemoteError:
		return &RemoteError{NotificationHeader: h, Cause: ntohs(b[8:]), Data: tail}, true
	case NotifySendFailedOld: // struct sctp_sndrcvinfo at 12
		return &SendFailed{NotificationHeader: h, Error: refSendFailedCause(b[8:]), Stream: le.Uint16(b[12:]),
			ChunkFlags: le.Uint16(b[16:]), PPID: ntohl(b[20:]), Context: le.Uint32(b[24:]),
			InfoAssoc: AssocID(int32(le.Uint32(b[40:]))), Data: tail}, true
	case NotifySendFailed: // struct sctp_sndinfo at 12
		return &SendFailed{NotificationHeader: h, Error: refSendFailedCause(b[8:]), Stream: le.Uint16(b[12:]),
			ChunkFlags: le.Uint16(b[14:]), PPID: ntohl(b[16:]), Context: le.Uint32(b[20:]),
			InfoAssoc: AssocID(int32(le.Uint32(b[24:]))), Data: tail}, true
	case NotifyShutdown:
		return &Shutdown{h}, true
	case NotifyPartialDelivery:
		pd := &PartialDelivery{NotificationHeader: h, Indication: le.Uint32(b[8:])}
		if end >= 24 {
			pd.Stream, pd.Seq = le.Uint32(b[16:]), le.Uint32(b[20:])
		}
		return pd, true
	case NotifyAdaptation:
		return &AdaptationIndication{NotificationHeader: h, Indication: le.Uint32(b[8:])}, true
	case NotifyAuthentication:
		return &Authentication{NotificationHeader: h, KeyNumber: le.Uint16(b[8:]), AltKeyNumber: le.Uint16(b[10:]),
			Indication: le.Uint32(b[12:])}, true
	case NotifySenderDry:
		return &SenderDry{h}, true
	case NotifyStreamReset:
		if len(tail)%2 != 0 {
			return nil, false
		}
		sr := &StreamReset{NotificationHeader: h}
		for i := 0; i < len(tail); i += 2 {
			sr.Streams = append(sr.Streams, le.Uint16(tail[i:]))
		}
		return sr, true
	case NotifyAssocReset:
		return &AssocReset{NotificationHeader: h, LocalTSN: le.Uint32(b[12:]), RemoteTSN: le.Uint32(b[16:])}, true
	case NotifyStreamChange:
		return &StreamChange{NotificationHeader: h, InboundStreams: le.Uint16(b[12:]), OutboundStreams: le.Uint16(b[14:])}, true
	}
	panic("noteSpecs has a type refNotification does not decode")
}

// checkNotification decodes b and holds the result to the reference decoder, to the documented error,
// to not borrowing from b, and to agreeing with Read's own test for a lost association (assocLost).
func checkNotification(t *testing.T, b []byte) {
	t.Helper()
	orig := bytes.Clone(b)
	want, wantOK := refNotification(orig)
	got, err := ParseNotification(b)
	if !wantOK {
		if err == nil || got != nil || !errors.Is(err, ErrBadNotification) || !errors.Is(err, syscall.EINVAL) {
			t.Fatalf("% x: got %#v, %v; want a nil result and ErrBadNotification wrapping EINVAL", orig, got, err)
		}
	} else {
		if err != nil {
			t.Fatalf("% x: %v; want %#v", orig, err, want)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("% x:\n got  %#v\n want %#v", orig, got, want)
		}
		h := got.Header()
		if h.Type != want.Header().Type || h.Length != binary.NativeEndian.Uint32(orig[4:]) {
			t.Fatalf("% x: Header() = %+v", orig, h)
		}
		if s := got.String(); !strings.HasPrefix(s, h.Type.String()+" assoc ") {
			t.Fatalf("% x: String() = %q", orig, s)
		}
		// The result must hold no reference to b: overwrite b and compare again.
		for i := range b {
			b[i] ^= 0xa5
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("% x: the result changed when the input buffer was overwritten (it borrows from it): %#v", orig, got)
		}
	}
	// Read ends on a lost association by looking at two fields itself; it must agree with the decoder.
	lost := len(orig) >= 10 && binary.NativeEndian.Uint16(orig) == uint16(NotifyAssocChange) &&
		(binary.NativeEndian.Uint16(orig[8:]) == uint16(CommLost) || binary.NativeEndian.Uint16(orig[8:]) == uint16(CantStartAssoc))
	if assocLost(orig) != lost {
		t.Fatalf("% x: assocLost = %v, want %v", orig, !lost, lost)
	}
	if ac, ok := got.(*AssocChange); ok && (ac.State == CommLost || ac.State == CantStartAssoc) && !assocLost(orig) {
		t.Fatalf("% x: ParseNotification says %v but assocLost says the association lives", orig, ac.State)
	}
}

// noteBytes lays out a notification of type typ with a fixed part of size bytes plus tail, sn_length
// covering all of it; set fills the fields.
func noteBytes(typ NotificationType, flags uint16, size int, tail []byte, set func(b []byte)) []byte {
	b := make([]byte, size, size+len(tail))
	binary.NativeEndian.PutUint16(b, uint16(typ))
	binary.NativeEndian.PutUint16(b[2:], flags)
	b = append(b, tail...)
	binary.NativeEndian.PutUint32(b[4:], uint32(len(b)))
	if set != nil {
		set(b)
	}
	return b
}

// notificationSeeds are notifications as Linux lays them out, one or more of every type, with the
// truncated and malformed shapes that the decoder must refuse.
func notificationSeeds() [][]byte {
	le := binary.NativeEndian
	assoc := func(off int, id uint32) func([]byte) { return func(b []byte) { le.PutUint32(b[off:], id) } }
	sockaddr := func(ap netip.AddrPort) []byte {
		b := make([]byte, 128) // struct sockaddr_storage
		binary.BigEndian.PutUint16(b[2:], ap.Port())
		if ap.Addr().Is4() {
			le.PutUint16(b, syscall.AF_INET)
			v4 := ap.Addr().As4()
			copy(b[4:], v4[:])
		} else {
			le.PutUint16(b, syscall.AF_INET6)
			v6 := ap.Addr().As16()
			copy(b[8:], v6[:])
		}
		return b
	}
	peer := func(ap netip.AddrPort, state, reason, id uint32) []byte {
		b := noteBytes(NotifyPeerAddrChange, 0, 148, nil, nil)
		copy(b[8:136], sockaddr(ap))
		le.PutUint32(b[136:], state)
		le.PutUint32(b[140:], reason)
		le.PutUint32(b[144:], id)
		return b
	}
	userAbort := []byte{0, 12, 0, 7, 'b', 'y', 'e', 0}
	payload := bytes.Repeat([]byte{0x5a}, 100)
	streams := []byte{1, 0, 2, 0, 7, 0}
	seeds := [][]byte{
		assocChange(uint16(CommUp), 0, 10, 10, 1, nil),
		assocChange(uint16(Restart), 0, 8, 8, 2, nil),
		assocChange(uint16(ShutdownComp), 0, 0, 0, 3, nil),
		assocChange(uint16(CommLost), CauseUserAbort, 0, 0, 4, userAbort),
		assocChange(uint16(CommLost), CauseUserAbort, 0, 0, 4, []byte{0, 12, 0, 4}), // empty reason
		// A protocol-violation cause before the user's: the walk must step over the first.
		assocChange(uint16(CommLost), 13, 0, 0, 5, append([]byte{0, 13, 0, 6, 'x', 'y', 0, 0}, userAbort...)),
		// RFC 6458 and FreeBSD hand over the whole ABORT chunk, header included.
		assocChange(uint16(CommLost), CauseUserAbort, 0, 0, 6, append([]byte{6, 0, 0, 12}, userAbort...)),
		assocChange(uint16(CommLost), 0, 0, 0, 7, []byte{0, 12, 0, 200, 'b'}), // cause longer than the rest
		assocChange(uint16(CantStartAssoc), 0, 0, 0, 8, nil),
		peer(netip.MustParseAddrPort("127.0.0.1:5000"), uint32(AddrConfirmed), uint32(ReasonResponseToUserReq), 9),
		peer(netip.MustParseAddrPort("[::1]:5000"), uint32(AddrUnreachable), uint32(ReasonFailedThreshold), 9),
		peer(netip.MustParseAddrPort("[::ffff:10.0.0.1]:36412"), uint32(AddrPotentiallyFailed), 0, 9),
		noteBytes(NotifyRemoteError, 0, 16, []byte{0, 0, 0, 0}, func(b []byte) {
			binary.BigEndian.PutUint16(b[8:], 5) // unresolvable address
			le.PutUint32(b[12:], 10)
		}),
		noteBytes(NotifySendFailed, DataUnsent, 32, payload, func(b []byte) {
			le.PutUint32(b[8:], 0x0c00) // a user abort, as Linux copies it off the wire on x86
			le.PutUint16(b[12:], 3)
			le.PutUint16(b[14:], ChunkFirstFragment|ChunkLastFragment)
			binary.BigEndian.PutUint32(b[16:], 46)
			le.PutUint32(b[20:], 0xc0ffee)
			le.PutUint32(b[24:], 11)
			le.PutUint32(b[28:], 11)
		}),
		noteBytes(NotifySendFailed, DataSent, 32, nil, assoc(28, 11)),
		noteBytes(NotifySendFailedOld, DataUnsent, 48, payload[:17], func(b []byte) {
			le.PutUint32(b[8:], 0x12345678) // wider than a cause code: passed through
			le.PutUint16(b[12:], 1)
			binary.BigEndian.PutUint32(b[20:], 60)
			le.PutUint32(b[44:], 12)
		}),
		noteBytes(NotifyShutdown, 0, 12, nil, assoc(8, 13)),
		noteBytes(NotifyPartialDelivery, 0, 16, nil, func(b []byte) { le.PutUint32(b[8:], PartialDeliveryAborted) }),
		noteBytes(NotifyPartialDelivery, 0, 24, nil, func(b []byte) {
			le.PutUint32(b[8:], PartialDeliveryAborted)
			le.PutUint32(b[12:], 14)
			le.PutUint32(b[16:], 4)
			le.PutUint32(b[20:], 99)
		}),
		noteBytes(NotifyAdaptation, 0, 16, nil, func(b []byte) { le.PutUint32(b[8:], 0x01020304) }),
		noteBytes(NotifyAuthentication, 0, 20, nil, func(b []byte) {
			le.PutUint16(b[8:], 1)
			le.PutUint16(b[10:], 2)
			le.PutUint32(b[12:], AuthNewKey)
		}),
		noteBytes(NotifyAuthentication, 0, 20, nil, func(b []byte) { le.PutUint32(b[12:], AuthNoAuth) }),
		noteBytes(NotifySenderDry, 0, 12, nil, assoc(8, 15)),
		noteBytes(NotifyStreamReset, ResetIncoming, 12, streams, assoc(8, 16)),
		noteBytes(NotifyStreamReset, ResetOutgoing|ResetDenied, 12, nil, assoc(8, 16)),
		noteBytes(NotifyStreamReset, ResetIncoming, 12, streams[:3], nil), // odd list: refused
		noteBytes(NotifyAssocReset, ResetFailed, 20, nil, func(b []byte) {
			le.PutUint32(b[12:], 1000)
			le.PutUint32(b[16:], 2000)
		}),
		noteBytes(NotifyStreamChange, 0, 16, nil, func(b []byte) {
			le.PutUint16(b[12:], 2)
			le.PutUint16(b[14:], 3)
		}),
		noteBytes(NotificationType(0x8fff), 0, 12, nil, nil), // a type from a newer kernel
		noteBytes(NotificationType(0x0001), 0, 8, nil, nil),
		assocChange(uint16(CommUp), 0, 10, 10, 1, nil)[:19], // cut short
		{1, 0x80, 0, 0, 8, 0, 0, 0},
		nil,
	}
	// sn_length past the buffer (a notification read into too small a buffer) and below the header.
	long := assocChange(uint16(CommUp), 0, 1, 1, 1, nil)
	le.PutUint32(long[4:], 4096)
	short := noteBytes(NotifyShutdown, 0, 12, nil, nil)
	le.PutUint32(short[4:], 4)
	huge := noteBytes(NotifyRemoteError, 0, 16, nil, nil)
	le.PutUint32(huge[4:], 0xffffffff)
	return append(seeds, long, short, huge)
}

// FuzzParseNotification decodes each input as it is, and (as fuzz/fuzz_notify.c does) behind a
// well-formed header whose type the first byte picks among the 13 known ones and whose sn_length the
// second byte makes fall short of, or with its top bit run past, the real length.
func FuzzParseNotification(f *testing.F) {
	for _, s := range notificationSeeds() {
		f.Add(s)
	}
	// Inputs for the structured shape: a type selector, a length delta, then a body.
	f.Add([]byte{0, 0, 1, 0, 0, 0, 10, 0, 10, 0, 1, 0, 0, 0})
	f.Add([]byte{9, 0x81, 1, 0, 2, 0})
	f.Add([]byte{1, 0, 0x0a, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkNotification(t, data)
		if len(data) < 2 {
			return
		}
		total := 8 + len(data) - 2
		typ := uint16(NotifyAssocChange) + uint16(data[0]%13)
		flags := uint16(data[0] >> 4)
		delta := uint32(data[1] & 0x7f)
		snLen := uint32(total)
		if data[1]&0x80 != 0 {
			snLen += delta
		} else if delta < snLen {
			snLen -= delta
		}
		b := make([]byte, total)
		binary.NativeEndian.PutUint16(b, typ)
		binary.NativeEndian.PutUint16(b[2:], flags)
		binary.NativeEndian.PutUint32(b[4:], snLen)
		copy(b[8:], data[2:])
		checkNotification(t, b)
	})
}

// addrTokens are what address text is made of (fuzz/fuzz_addr.c's tokens, with this package's
// separators: "/" between addresses, ":" before the port), so that random bytes become plausible text.
var addrTokens = []string{
	"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f", ".", ".", ".", ":",
	":", "::", "[", "]", "%", "/", "/", "255", "256", "0x", "ffff", "fe80", "::ffff:", "127.0.0.1", "::1",
	"lo", "1%lo", "%4294967295", "4294967296", "00000", " ", "-", "+", "\t", "[::]", "ff02::1", ":5000",
	":65535", ":65536", "]:", "[::1]", "%eth0",
}

// addrText is the fuzz input as text: the bytes after the first as they are (first byte even), or
// each picking a token (odd).
func addrText(data []byte) string {
	if len(data) == 0 {
		return ""
	}
	if data[0]%2 == 0 {
		return string(data[1:])
	}
	var b strings.Builder
	for _, c := range data[1:] {
		b.WriteString(addrTokens[int(c)%len(addrTokens)])
	}
	return b.String()
}

// FuzzResolveAddr parses address text ("h1/h2:port") and holds it to its grammar, then formats the
// result with Addr.String and parses that back to the same addresses. Text naming a host (not an IP
// literal) stops after the split: resolving it would go to DNS, which a fuzzer must not do.
func FuzzResolveAddr(f *testing.F) {
	for _, s := range []string{
		"127.0.0.1:5000", "[::1]:5000", "10.0.0.1/10.0.0.2:36412", "[fe80::1%lo]/[fe80::2%lo]:1",
		"::ffff:192.0.2.1:80", "[::ffff:192.0.2.1]:80", ":0", "/:9", "0.0.0.0:65535", "[::]:0",
		"1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:+7", "[::1:5", "::1", "", "[]:1", "[1.2.3.4]:5",
		"fe80::1%eth0:5", "[fe80::1%a]]:5", "192.0.2.1/[2001:db8::1]/198.51.100.7:2905",
	} {
		f.Add(append([]byte{0}, s...))
	}
	f.Add([]byte{1, 33, 46, 26, 33, 26, 34, 48})
	f.Add([]byte{3, 22, 34, 23, 47})
	f.Fuzz(func(t *testing.T, data []byte) {
		s := addrText(data)
		hosts, port, err := splitHostsPort(s)
		if err != nil {
			if _, err := ResolveAddr("sctp", s); err == nil {
				t.Fatalf("%q: splitHostsPort fails (%v) but ResolveAddr succeeds", s, err)
			}
			return
		}
		if s == "" {
			if len(hosts) != 1 || hosts[0] != "" || port != 0 {
				t.Fatalf(`"": split into %q, port %d; want the wildcard, port 0`, hosts, port)
			}
			return
		}
		colon := strings.LastIndexByte(s, ':')
		if port < 0 || port > 65535 || colon < 0 || len(hosts) != strings.Count(s[:colon], "/")+1 {
			t.Fatalf("%q: split into %q, port %d", s, hosts, port)
		}
		named := 0
		literal := 0
		for _, h := range hosts {
			if h == "" {
				continue
			}
			if strings.ContainsAny(h, "/") {
				t.Fatalf("%q: host %q keeps a separator", s, h)
			}
			if _, err := netip.ParseAddr(h); err != nil {
				named++
			} else {
				literal++
			}
		}
		if named > 0 {
			return // stay offline
		}
		a, err := ResolveAddr("sctp", s)
		if err != nil {
			t.Fatalf("%q: literal addresses, but ResolveAddr: %v", s, err)
		}
		if a.Port != port || len(a.IPs) != literal {
			t.Fatalf("%q: ResolveAddr = %v (%d addresses), want port %d and %d addresses", s, a, len(a.IPs), port, literal)
		}
		text := a.String()
		back, err := ResolveAddr("sctp", text)
		if err != nil {
			t.Fatalf("%q: String() = %q does not parse back: %v", s, text, err)
		}
		if back.Port != a.Port || len(back.IPs) != len(a.IPs) {
			t.Fatalf("%q: String() = %q parses back to %v", s, text, back)
		}
		for i, ip := range a.IPs {
			// String writes a v4-mapped address as plain IPv4 (its zone, if any, goes with it).
			want := ip
			if ip.Is4In6() {
				want = ip.Unmap()
			}
			if back.IPs[i] != want {
				t.Fatalf("%q: String() = %q parses back to %v, want %v at %d", s, text, back.IPs[i], want, i)
			}
		}
	})
}

// The C types of sctpio_addr and struct sctpio_rcvinfo cannot be named in a test file (cgo is not
// allowed there), so these helpers take them from the signatures of the functions under test.

// sockaddrFrom makes the C address type T from raw bytes (cut or zero-padded to its size).
func sockaddrFrom[T any](_ func(*T) netip.AddrPort, raw []byte) (*T, []byte) {
	t := new(T)
	mem := unsafe.Slice((*byte)(unsafe.Pointer(t)), unsafe.Sizeof(*t))
	copy(mem, raw)
	return t, mem
}

// listFrom makes up to max C addresses from raw bytes, one per sizeof(T) bytes.
func listFrom[T any](_ func([]T) *Addr, raw []byte, max int) []T {
	var one T
	size := int(unsafe.Sizeof(one))
	n := (len(raw) + size - 1) / size
	if n > max {
		n = max
	}
	list := make([]T, n)
	if n > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&list[0])), n*size), raw)
	}
	return list
}

// rcvinfoFrom makes the C struct sctpio_rcvinfo from raw bytes and converts it as a read does.
func rcvinfoFrom[T any](fromC func(*RcvInfo, *T), raw []byte) (RcvInfo, []byte) {
	t := new(T)
	mem := unsafe.Slice((*byte)(unsafe.Pointer(t)), unsafe.Sizeof(*t))
	copy(mem, raw)
	var info RcvInfo
	fromC(&info, t)
	return info, mem
}

// FuzzSockaddr reads arbitrary bytes as the socket addresses the kernel hands back (getAddr, as for a
// message's sender, a peer address change, accept, getpaddrs) and as an address list (addrFromList),
// and writes every valid one back (putAddr), which must give the same address.
func FuzzSockaddr(f *testing.F) {
	le := binary.NativeEndian
	v4 := make([]byte, 28)
	le.PutUint16(v4, syscall.AF_INET)
	binary.BigEndian.PutUint16(v4[2:], 5000)
	copy(v4[4:], []byte{127, 0, 0, 1})
	v6 := make([]byte, 28)
	le.PutUint16(v6, syscall.AF_INET6)
	binary.BigEndian.PutUint16(v6[2:], 36412)
	le.PutUint32(v6[4:], 0x12345) // flow info
	v6[23] = 1
	le.PutUint32(v6[24:], 2) // scope id
	mapped := bytes.Clone(v6)
	copy(mapped[8:24], netip.MustParseAddr("::ffff:192.0.2.1").AsSlice())
	unix := make([]byte, 28)
	le.PutUint16(unix, syscall.AF_UNIX)
	f.Add(v4)
	f.Add(v6)
	f.Add(mapped)
	f.Add(unix)
	f.Add(append(append(bytes.Clone(v4), v6...), unix...))
	f.Add(append(bytes.Clone(v6), v4[:10]...)) // a list cut short
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		sa, mem := sockaddrFrom(getAddr, raw)
		want := refSockaddrZoned(mem)
		scope := le.Uint32(mem[24:])
		got := getAddr(sa)
		if got != want {
			t.Fatalf("% x: getAddr = %v, want %v", mem, got, want)
		}
		if got.IsValid() {
			if got.Addr().Is4() != (le.Uint16(mem) == syscall.AF_INET) {
				t.Fatalf("% x: getAddr = %v", mem, got)
			}
			// Written back: the family's fields, nothing else (no flow info; the scope that the
			// zone names), then the same address.
			putAddr(sa, got)
			if back := getAddr(sa); back != got {
				t.Fatalf("% x: putAddr(%v) reads back as %v", mem, got, back)
			}
			if fam := le.Uint16(mem); (got.Addr().Is4() && fam != syscall.AF_INET) || (got.Addr().Is6() && fam != syscall.AF_INET6) {
				t.Fatalf("putAddr(%v) wrote family %d", got, fam)
			}
			if got.Addr().Is6() && (le.Uint32(mem[4:]) != 0 || le.Uint32(mem[24:]) != scope) {
				t.Fatalf("putAddr(%v) left flow info or changed the scope (was %d): % x", got, scope, mem)
			}
		}

		list := listFrom(addrFromList, raw, 8)
		a := addrFromList(list)
		var wantIPs []netip.Addr
		wantPort := 0
		for i := range list {
			one := unsafe.Slice((*byte)(unsafe.Pointer(&list[i])), unsafe.Sizeof(list[i]))
			if ap := refSockaddrZoned(one); ap.IsValid() {
				wantIPs = append(wantIPs, ap.Addr())
				wantPort = int(ap.Port())
			}
		}
		if !reflect.DeepEqual(a.IPs, wantIPs) || a.Port != wantPort {
			t.Fatalf("% x: addrFromList = %v, want %v port %d", raw, a, wantIPs, wantPort)
		}
		_ = a.String()
	})
}

// FuzzRcvInfo converts arbitrary contents of the C struct sctpio_rcvinfo, which sctpio__rcvinfo_parse
// fills from a received message's flags and ancillary data (fuzzed in C by fuzz/fuzz_rcvinfo.c), into
// RcvInfo, and checks every field against the struct's layout in include/sctpio/msg.h.
func FuzzRcvInfo(f *testing.F) {
	le := binary.NativeEndian
	data := make([]byte, 88)
	le.PutUint32(data[0:], uint32(RecvHasInfo))
	le.PutUint16(data[4:], 3)
	le.PutUint16(data[6:], 17)
	le.PutUint32(data[8:], 46)
	le.PutUint32(data[12:], 1000)
	le.PutUint32(data[24:], 5)
	le.PutUint16(data[28:], syscall.AF_INET)
	binary.BigEndian.PutUint16(data[30:], 5000)
	copy(data[32:], []byte{127, 0, 0, 1})
	next := bytes.Clone(data)
	le.PutUint32(next[0:], uint32(RecvHasInfo|RecvHasNext|RecvUnordered))
	le.PutUint16(next[56:], 4)
	le.PutUint32(next[64:], 100)
	note := make([]byte, 88)
	le.PutUint32(note[0:], uint32(RecvNotification|RecvMore))
	f.Add(data)
	f.Add(next)
	f.Add(note)
	f.Fuzz(func(t *testing.T, raw []byte) {
		info, mem := rcvinfoFrom((*RcvInfo).fromC, raw)
		if len(mem) != 88 {
			t.Fatalf("struct sctpio_rcvinfo is %d bytes, not 88 (72 of fields, 16 reserved): update the offsets of this test", len(mem))
		}
		want := RcvInfo{
			Flags: RecvFlag(le.Uint32(mem[0:])), Stream: le.Uint16(mem[4:]), SSN: le.Uint16(mem[6:]),
			PPID: le.Uint32(mem[8:]), TSN: le.Uint32(mem[12:]), CumTSN: le.Uint32(mem[16:]),
			Context: le.Uint32(mem[20:]), AssocID: AssocID(int32(le.Uint32(mem[24:]))), From: refSockaddrZoned(mem[28:56]),
			NextStream: le.Uint16(mem[56:]), NextFlags: le.Uint16(mem[58:]), NextPPID: le.Uint32(mem[60:]),
			NextLength: le.Uint32(mem[64:]), NextAssocID: AssocID(int32(le.Uint32(mem[68:]))),
		}
		if info != want {
			t.Fatalf("% x:\n got  %+v\n want %+v", mem, info, want)
		}
		if info.More() != (info.Flags&RecvMore != 0) || info.IsNotification() != (info.Flags&RecvNotification != 0) {
			t.Fatalf("%+v: More or IsNotification disagrees with Flags", info)
		}
	})
}
