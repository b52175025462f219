// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include <stddef.h>
#include "sctpio.h"

// go_note is struct sctpio_notification flattened for Go: cgo shows C unions as byte arrays, and
// the decoder's borrowed pointers into the Go buffer must not be written into Go memory by C (the
// garbage collector would not see the writes), so the variable parts come back as offsets.
struct go_note {
	int32_t rc;
	uint16_t type, flags;
	uint32_t length;
	int32_t assoc_id;
	uint32_t v[6];           // the fixed fields, in the order ParseNotification reads them per type
	sctpio_addr addr;        // SCTP_PEER_ADDR_CHANGE
	size_t var_off, var_len; // the variable part: info, data or the stream list
	int32_t reason;          // 1 when an assoc change's info holds a user-abort reason
	size_t reason_off, reason_len;
};

static size_t go_off(const void *base, const void *p)
{
	return p ? (size_t)((const char *)p - (const char *)base) : 0;
}

static void go_note_decode(const void *buf, size_t len, struct go_note *g)
{
	struct sctpio_notification n;
	const void *r = NULL;
	size_t rlen = 0;

	g->rc = sctpio_notification_decode(buf, len, &n);
	g->type = n.type;
	g->flags = n.flags;
	g->length = n.length;
	g->assoc_id = n.assoc_id;
	if (g->rc < 0)
		return;
	switch (n.type) {
	case SCTP_ASSOC_CHANGE:
		g->v[0] = n.u.assoc_change.state;
		g->v[1] = n.u.assoc_change.error;
		g->v[2] = n.u.assoc_change.outbound_streams;
		g->v[3] = n.u.assoc_change.inbound_streams;
		g->var_off = go_off(buf, n.u.assoc_change.info);
		g->var_len = n.u.assoc_change.info_len;
		if (sctpio_notification_abort_reason(&n, &r, &rlen) == 1) {
			g->reason = 1;
			g->reason_off = go_off(buf, r);
			g->reason_len = rlen;
		}
		break;
	case SCTP_PEER_ADDR_CHANGE:
		g->addr = n.u.peer_addr_change.addr;
		g->v[0] = (uint32_t)n.u.peer_addr_change.state;
		g->v[1] = (uint32_t)n.u.peer_addr_change.error;
		break;
	case SCTP_REMOTE_ERROR:
		g->v[0] = n.u.remote_error.error;
		g->var_off = go_off(buf, n.u.remote_error.data);
		g->var_len = n.u.remote_error.data_len;
		break;
	case SCTP_SEND_FAILED:
	case SCTP_SEND_FAILED_EVENT:
		g->v[0] = n.u.send_failed.error;
		g->v[1] = n.u.send_failed.stream;
		g->v[2] = n.u.send_failed.chunk_flags;
		g->v[3] = n.u.send_failed.ppid;
		g->v[4] = n.u.send_failed.context;
		g->v[5] = (uint32_t)n.u.send_failed.info_assoc_id;
		g->var_off = go_off(buf, n.u.send_failed.data);
		g->var_len = n.u.send_failed.data_len;
		break;
	case SCTP_PARTIAL_DELIVERY_EVENT:
		g->v[0] = n.u.partial_delivery.indication;
		g->v[1] = n.u.partial_delivery.stream;
		g->v[2] = n.u.partial_delivery.seq;
		break;
	case SCTP_ADAPTATION_INDICATION:
		g->v[0] = n.u.adaptation.indication;
		break;
	case SCTP_AUTHENTICATION_EVENT:
		g->v[0] = n.u.authentication.keynumber;
		g->v[1] = n.u.authentication.altkeynumber;
		g->v[2] = n.u.authentication.indication;
		break;
	case SCTP_STREAM_RESET_EVENT:
		g->var_off = go_off(buf, n.u.stream_reset.streams);
		g->var_len = n.u.stream_reset.count * sizeof(uint16_t);
		break;
	case SCTP_ASSOC_RESET_EVENT:
		g->v[0] = n.u.assoc_reset.local_tsn;
		g->v[1] = n.u.assoc_reset.remote_tsn;
		break;
	case SCTP_STREAM_CHANGE_EVENT:
		g->v[0] = n.u.stream_change.inbound_streams;
		g->v[1] = n.u.stream_change.outbound_streams;
		break;
	}
}
*/
import "C"

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"syscall"
	"unsafe"
)

// EventMask chooses notification kinds, one bit each, for Subscribe.
type EventMask uint32

// Notification kinds for Subscribe.
const (
	EventAssocChange     EventMask = C.SCTPIO_EV_ASSOC_CHANGE      // AssocChange: up, lost, restart, shut down, failed
	EventPeerAddrChange  EventMask = C.SCTPIO_EV_PEER_ADDR_CHANGE  // PeerAddrChange
	EventRemoteError     EventMask = C.SCTPIO_EV_REMOTE_ERROR      // RemoteError
	EventSendFailed      EventMask = C.SCTPIO_EV_SEND_FAILED_EVENT // SendFailed (RFC 6458 SCTP_SEND_FAILED_EVENT)
	EventShutdown        EventMask = C.SCTPIO_EV_SHUTDOWN          // Shutdown: the peer started a graceful shutdown
	EventPartialDelivery EventMask = C.SCTPIO_EV_PARTIAL_DELIVERY  // PartialDelivery
	EventAdaptation      EventMask = C.SCTPIO_EV_ADAPTATION        // AdaptationIndication
	EventAuthentication  EventMask = C.SCTPIO_EV_AUTHENTICATION    // Authentication
	EventSenderDry       EventMask = C.SCTPIO_EV_SENDER_DRY        // SenderDry: nothing left to send
	EventStreamReset     EventMask = C.SCTPIO_EV_STREAM_RESET      // StreamReset (RFC 6525)
	EventAssocReset      EventMask = C.SCTPIO_EV_ASSOC_RESET       // AssocReset (RFC 6525)
	EventStreamChange    EventMask = C.SCTPIO_EV_STREAM_CHANGE     // StreamChange (RFC 6525)
	// EventAll is every kind above.
	EventAll EventMask = C.SCTPIO_EV_ALL
	// EventSendFailedOld is the deprecated SCTP_SEND_FAILED form, also parsed as SendFailed. It is
	// not in EventAll: with both send-failure kinds on, every failed chunk is reported twice.
	EventSendFailedOld EventMask = C.SCTPIO_EV_SEND_FAILED_OLD
)

// DefaultEvents is what every socket of this package is subscribed to when it opens.
const DefaultEvents = EventAssocChange | EventShutdown

// NotificationType is the kernel's notification type (sn_type).
type NotificationType uint16

// Notification types.
const (
	NotifyAssocChange     NotificationType = C.SCTP_ASSOC_CHANGE
	NotifyPeerAddrChange  NotificationType = C.SCTP_PEER_ADDR_CHANGE
	NotifySendFailedOld   NotificationType = C.SCTP_SEND_FAILED
	NotifyRemoteError     NotificationType = C.SCTP_REMOTE_ERROR
	NotifyShutdown        NotificationType = C.SCTP_SHUTDOWN_EVENT
	NotifyPartialDelivery NotificationType = C.SCTP_PARTIAL_DELIVERY_EVENT
	NotifyAdaptation      NotificationType = C.SCTP_ADAPTATION_INDICATION
	NotifyAuthentication  NotificationType = C.SCTP_AUTHENTICATION_EVENT
	NotifySenderDry       NotificationType = C.SCTP_SENDER_DRY_EVENT
	NotifyStreamReset     NotificationType = C.SCTP_STREAM_RESET_EVENT
	NotifyAssocReset      NotificationType = C.SCTP_ASSOC_RESET_EVENT
	NotifyStreamChange    NotificationType = C.SCTP_STREAM_CHANGE_EVENT
	NotifySendFailed      NotificationType = C.SCTP_SEND_FAILED_EVENT
)

// String returns the kernel's name, "SCTP_ASSOC_CHANGE" and so on.
func (t NotificationType) String() string {
	s := C.GoString(C.sctpio_notification_name(C.uint16_t(t)))
	if s == "unknown" {
		return "SCTP_NOTIFICATION(" + strconv.Itoa(int(t)) + ")"
	}
	return s
}

// NotificationHeader holds what every notification carries. Each notification type embeds it, so
// n.AssocID reads the association of any of them.
type NotificationHeader struct {
	Type    NotificationType
	Flags   uint16 // meaning per type: see the type's constants
	Length  uint32 // the notification's size in bytes
	AssocID AssocID
}

// Header returns h itself, so that every notification type satisfies Notification.
func (h *NotificationHeader) Header() *NotificationHeader { return h }

func (h *NotificationHeader) prefix() string {
	return h.Type.String() + " assoc " + strconv.Itoa(int(h.AssocID))
}

// Notification is a decoded SCTP notification: one of *AssocChange, *PeerAddrChange, *RemoteError,
// *SendFailed, *Shutdown, *PartialDelivery, *AdaptationIndication, *Authentication, *SenderDry,
// *StreamReset, *AssocReset, *StreamChange, or *UnknownNotification. Use a type switch.
type Notification interface {
	Header() *NotificationHeader
	String() string
}

// AssocChangeState is what happened to an association.
type AssocChangeState uint16

// Association changes.
const (
	CommUp         AssocChangeState = C.SCTP_COMM_UP        // the association is up
	CommLost       AssocChangeState = C.SCTP_COMM_LOST      // it failed: aborted by the peer or timed out
	Restart        AssocChangeState = C.SCTP_RESTART        // the peer restarted
	ShutdownComp   AssocChangeState = C.SCTP_SHUTDOWN_COMP  // the graceful shutdown completed
	CantStartAssoc AssocChangeState = C.SCTP_CANT_STR_ASSOC // the association could not be set up
)

var assocChangeNames = [...]string{"COMM_UP", "COMM_LOST", "RESTART", "SHUTDOWN_COMP", "CANT_STR_ASSOC"}

// String returns the state's name, "COMM_UP" and so on.
func (s AssocChangeState) String() string {
	if int(s) < len(assocChangeNames) {
		return assocChangeNames[s]
	}
	return "AssocChangeState(" + strconv.Itoa(int(s)) + ")"
}

// CauseUserAbort is the SCTP error cause of an ABORT that a user asked for (RFC 9260 3.3.10.12):
// AssocChange.Error after the peer's Abort, SendFailed.Error for messages it left unsent.
const CauseUserAbort = 12

// AssocChange (SCTP_ASSOC_CHANGE) reports an association coming up, going down or restarting.
type AssocChange struct {
	NotificationHeader
	State AssocChangeState
	// Error is the SCTP cause code (RFC 9260 3.3.10) in host order, 0 when none; CauseUserAbort after
	// the peer's Abort.
	Error uint16
	// OutboundStreams and InboundStreams are the negotiated stream counts (CommUp and Restart).
	OutboundStreams, InboundStreams uint16
	// Info is a copy of the ABORT's error causes after the peer aborted (CommLost), else nil.
	Info []byte
	// Reason is a copy of the peer's abort reason (the bytes it passed to Abort), nil when none.
	Reason []byte
}

// String formats the notification on one line, for logs.
func (n *AssocChange) String() string {
	s := fmt.Sprintf("%s %v error %d out %d in %d", n.prefix(), n.State, n.Error, n.OutboundStreams, n.InboundStreams)
	if n.Reason != nil {
		s += fmt.Sprintf(" reason %q", n.Reason)
	} else if len(n.Info) > 0 {
		s += fmt.Sprintf(" info %d bytes", len(n.Info))
	}
	return s
}

// PeerAddrState is what happened to a peer address.
type PeerAddrState int32

// Peer address changes.
const (
	AddrAvailable         PeerAddrState = C.SCTP_ADDR_AVAILABLE
	AddrUnreachable       PeerAddrState = C.SCTP_ADDR_UNREACHABLE
	AddrRemoved           PeerAddrState = C.SCTP_ADDR_REMOVED
	AddrAdded             PeerAddrState = C.SCTP_ADDR_ADDED
	AddrMadePrimary       PeerAddrState = C.SCTP_ADDR_MADE_PRIM
	AddrConfirmed         PeerAddrState = C.SCTP_ADDR_CONFIRMED
	AddrPotentiallyFailed PeerAddrState = C.SCTP_ADDR_POTENTIALLY_FAILED
)

var peerAddrNames = [...]string{"ADDR_AVAILABLE", "ADDR_UNREACHABLE", "ADDR_REMOVED", "ADDR_ADDED",
	"ADDR_MADE_PRIM", "ADDR_CONFIRMED", "ADDR_POTENTIALLY_FAILED"}

// String returns the state's name, "ADDR_AVAILABLE" and so on.
func (s PeerAddrState) String() string {
	if s >= 0 && int(s) < len(peerAddrNames) {
		return peerAddrNames[s]
	}
	return "PeerAddrState(" + strconv.Itoa(int(s)) + ")"
}

// AddrChangeReason is why a peer address changed state (the kernel's enum sctp_sn_error).
type AddrChangeReason int32

// Reasons of a PeerAddrChange.
const (
	ReasonFailedThreshold      AddrChangeReason = C.SCTP_FAILED_THRESHOLD // too many retransmissions
	ReasonReceivedSack         AddrChangeReason = C.SCTP_RECEIVED_SACK
	ReasonHeartbeatSuccess     AddrChangeReason = C.SCTP_HEARTBEAT_SUCCESS
	ReasonResponseToUserReq    AddrChangeReason = C.SCTP_RESPONSE_TO_USER_REQ
	ReasonInternalError        AddrChangeReason = C.SCTP_INTERNAL_ERROR
	ReasonShutdownGuardExpires AddrChangeReason = C.SCTP_SHUTDOWN_GUARD_EXPIRES
	ReasonPeerFaulty           AddrChangeReason = C.SCTP_PEER_FAULTY
)

// PeerAddrChange (SCTP_PEER_ADDR_CHANGE) reports a peer address changing state.
type PeerAddrChange struct {
	NotificationHeader
	Addr  netip.AddrPort // an IPv4 peer is a plain IPv4 address even where the kernel wrote it v4-mapped
	State PeerAddrState
	Error AddrChangeReason
}

// String formats the notification on one line, for logs.
func (n *PeerAddrChange) String() string {
	return fmt.Sprintf("%s %v %v error %d", n.prefix(), n.Addr, n.State, n.Error)
}

// RemoteError (SCTP_REMOTE_ERROR) reports one error cause of an ERROR chunk the peer sent.
type RemoteError struct {
	NotificationHeader
	Cause uint16 // the cause code, host order
	Data  []byte // a copy of the cause's value (without its 4-byte header; padding included)
}

// String formats the notification on one line, for logs.
func (n *RemoteError) String() string {
	return fmt.Sprintf("%s cause %d data %d bytes", n.prefix(), n.Cause, len(n.Data))
}

// Flags of a SendFailed notification's header.
const (
	DataUnsent uint16 = C.SCTP_DATA_UNSENT // the message never went on the wire
	DataSent   uint16 = C.SCTP_DATA_SENT   // it went; whether it arrived is unknown
)

// Chunk flags of SendFailed.ChunkFlags, as in the DATA chunk on the wire.
const (
	ChunkLastFragment  uint16 = C.SCTPIO_CHUNK_LAST_FRAG
	ChunkFirstFragment uint16 = C.SCTPIO_CHUNK_FIRST_FRAG
	ChunkUnordered     uint16 = C.SCTPIO_CHUNK_UNORDERED
)

// SendFailed (SCTP_SEND_FAILED_EVENT, or the deprecated SCTP_SEND_FAILED) reports one DATA chunk
// that could not be delivered; a message sent in several chunks fails as several notifications.
// Flags is DataUnsent or DataSent.
type SendFailed struct {
	NotificationHeader
	Error      uint32 // the SCTP cause code that failed it (CauseUserAbort after an abort); 0 when none
	Stream     uint16 // what the message was sent with:
	ChunkFlags uint16 // ChunkFirstFragment, ChunkLastFragment, ChunkUnordered
	PPID       uint32 // host order
	Context    uint32
	InfoAssoc  AssocID
	Data       []byte // a copy of the chunk's user data
}

// String formats the notification on one line, for logs.
func (n *SendFailed) String() string {
	what := "unsent"
	if n.Flags == DataSent {
		what = "sent"
	}
	return fmt.Sprintf("%s %s error %d stream %d ppid %d context %d data %d bytes", n.prefix(), what, n.Error,
		n.Stream, n.PPID, n.Context, len(n.Data))
}

// Shutdown (SCTP_SHUTDOWN_EVENT) reports that the peer started a graceful shutdown: send no more.
type Shutdown struct{ NotificationHeader }

// String formats the notification on one line, for logs.
func (n *Shutdown) String() string { return n.prefix() }

// PartialDeliveryAborted is PartialDelivery.Indication when a partial delivery was cut off.
const PartialDeliveryAborted = C.SCTP_PARTIAL_DELIVERY_ABORTED

// PartialDelivery (SCTP_PARTIAL_DELIVERY_EVENT) reports that a message being delivered in pieces
// was aborted: the pieces already read are all there will be.
type PartialDelivery struct {
	NotificationHeader
	Indication uint32 // PartialDeliveryAborted
	Stream     uint32 // filled by Linux only with stream interleaving (I-DATA) on; otherwise 0
	Seq        uint32
}

// String formats the notification on one line, for logs.
func (n *PartialDelivery) String() string {
	return fmt.Sprintf("%s indication %d stream %d seq %d", n.prefix(), n.Indication, n.Stream, n.Seq)
}

// AdaptationIndication (SCTP_ADAPTATION_INDICATION) gives the peer's adaptation layer indication.
type AdaptationIndication struct {
	NotificationHeader
	Indication uint32 // host order
}

// String formats the notification on one line, for logs.
func (n *AdaptationIndication) String() string {
	return fmt.Sprintf("%s indication 0x%08x", n.prefix(), n.Indication)
}

// Indications of an Authentication notification.
const (
	AuthNewKey  uint32 = C.SCTP_AUTH_NEW_KEY
	AuthFreeKey uint32 = C.SCTP_AUTH_FREE_KEY
	AuthNoAuth  uint32 = C.SCTP_AUTH_NO_AUTH // the peer does not support SCTP-AUTH
)

// Authentication (SCTP_AUTHENTICATION_EVENT) reports key changes, or a peer without AUTH.
type Authentication struct {
	NotificationHeader
	KeyNumber, AltKeyNumber uint16
	Indication              uint32 // AuthNewKey, AuthFreeKey, AuthNoAuth
}

// String formats the notification on one line, for logs.
func (n *Authentication) String() string {
	ind := [...]string{"NEW_KEY", "FREE_KEY", "NO_AUTH"}
	s := "?"
	if n.Indication < uint32(len(ind)) {
		s = ind[n.Indication]
	}
	return fmt.Sprintf("%s %s key %d alt %d", n.prefix(), s, n.KeyNumber, n.AltKeyNumber)
}

// SenderDry (SCTP_SENDER_DRY_EVENT) reports that nothing is left to send or retransmit.
type SenderDry struct{ NotificationHeader }

// String formats the notification on one line, for logs.
func (n *SenderDry) String() string { return n.prefix() }

// Flags of StreamReset, AssocReset and StreamChange headers (RFC 6525).
const (
	ResetIncoming uint16 = C.SCTP_STREAM_RESET_INCOMING_SSN // StreamReset: the incoming side was reset
	ResetOutgoing uint16 = C.SCTP_STREAM_RESET_OUTGOING_SSN // StreamReset: the outgoing side was reset
	ResetDenied   uint16 = C.SCTP_STREAM_RESET_DENIED       // the peer refused the request
	ResetFailed   uint16 = C.SCTP_STREAM_RESET_FAILED       // the request failed
)

// StreamReset (SCTP_STREAM_RESET_EVENT) reports streams whose sequence numbers were reset. Flags
// holds ResetIncoming, ResetOutgoing, ResetDenied, ResetFailed.
type StreamReset struct {
	NotificationHeader
	Streams []uint16 // nil means every stream
}

// String formats the notification on one line, for logs.
func (n *StreamReset) String() string {
	return fmt.Sprintf("%s flags 0x%x streams %v", n.prefix(), n.Flags, n.Streams)
}

// AssocReset (SCTP_ASSOC_RESET_EVENT) reports an association reset; Flags holds ResetDenied,
// ResetFailed. The TSNs are those the association goes on from, as the kernel fills them.
type AssocReset struct {
	NotificationHeader
	LocalTSN, RemoteTSN uint32
}

// String formats the notification on one line, for logs.
func (n *AssocReset) String() string {
	return fmt.Sprintf("%s flags 0x%x local_tsn %d remote_tsn %d", n.prefix(), n.Flags, n.LocalTSN, n.RemoteTSN)
}

// StreamChange (SCTP_STREAM_CHANGE_EVENT) reports streams added; Flags holds ResetDenied,
// ResetFailed. Linux reports the numbers of streams ADDED (RFC 6525 says the new totals).
type StreamChange struct {
	NotificationHeader
	InboundStreams, OutboundStreams uint16
}

// String formats the notification on one line, for logs.
func (n *StreamChange) String() string {
	return fmt.Sprintf("%s flags 0x%x in %d out %d", n.prefix(), n.Flags, n.InboundStreams, n.OutboundStreams)
}

// UnknownNotification is a notification of a type this package does not know; Data is a copy of
// its bytes, header included.
type UnknownNotification struct {
	NotificationHeader
	Data []byte
}

// String formats the notification on one line, for logs.
func (n *UnknownNotification) String() string {
	return fmt.Sprintf("%s length %d", n.prefix(), n.Length)
}

// ErrBadNotification is returned (wrapped) by ParseNotification for bytes that are not a whole
// notification: shorter than its header, shorter than its type's fixed part, or cut off — a
// notification read into a buffer too small for it arrives with RcvInfo.More set and does not parse.
var ErrBadNotification = errors.New("sctp: malformed or truncated notification")

// ParseNotification decodes the notification in b, read by a call that reported RcvInfo.Notification.
// It checks every length. The result holds no reference to b: variable parts are copied, so b may
// be reused at once. A type it does not know gives an *UnknownNotification and no error.
func ParseNotification(b []byte) (Notification, error) {
	var g C.struct_go_note
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	C.go_note_decode(p, C.size_t(len(b)), &g)
	h := NotificationHeader{Type: NotificationType(g._type), Flags: uint16(g.flags), Length: uint32(g.length),
		AssocID: AssocID(g.assoc_id)}
	if g.rc == -C.int32_t(syscall.ENOTSUP) {
		n := &UnknownNotification{NotificationHeader: h}
		if int(h.Length) <= len(b) {
			n.Data = clone(b[:h.Length])
		}
		return n, nil
	}
	if g.rc < 0 {
		return nil, fmt.Errorf("%w (%d bytes): %w", ErrBadNotification, len(b), syscall.Errno(-g.rc))
	}
	v := func(i int) uint32 { return uint32(g.v[i]) }
	vb := func() []byte { return clone(b[g.var_off : g.var_off+g.var_len]) }
	switch h.Type {
	case NotifyAssocChange:
		n := &AssocChange{NotificationHeader: h, State: AssocChangeState(v(0)), Error: uint16(v(1)),
			OutboundStreams: uint16(v(2)), InboundStreams: uint16(v(3)), Info: vb()}
		if g.reason == 1 {
			n.Reason = clone(b[g.reason_off : g.reason_off+g.reason_len])
			if n.Reason == nil {
				n.Reason = []byte{}
			}
		}
		return n, nil
	case NotifyPeerAddrChange:
		return &PeerAddrChange{NotificationHeader: h, Addr: getAddr(&g.addr), State: PeerAddrState(int32(v(0))),
			Error: AddrChangeReason(int32(v(1)))}, nil
	case NotifyRemoteError:
		return &RemoteError{NotificationHeader: h, Cause: uint16(v(0)), Data: vb()}, nil
	case NotifySendFailed, NotifySendFailedOld:
		return &SendFailed{NotificationHeader: h, Error: v(0), Stream: uint16(v(1)), ChunkFlags: uint16(v(2)),
			PPID: v(3), Context: v(4), InfoAssoc: AssocID(int32(v(5))), Data: vb()}, nil
	case NotifyShutdown:
		return &Shutdown{h}, nil
	case NotifyPartialDelivery:
		return &PartialDelivery{NotificationHeader: h, Indication: v(0), Stream: v(1), Seq: v(2)}, nil
	case NotifyAdaptation:
		return &AdaptationIndication{NotificationHeader: h, Indication: v(0)}, nil
	case NotifyAuthentication:
		return &Authentication{NotificationHeader: h, KeyNumber: uint16(v(0)), AltKeyNumber: uint16(v(1)),
			Indication: v(2)}, nil
	case NotifySenderDry:
		return &SenderDry{h}, nil
	case NotifyStreamReset:
		n := &StreamReset{NotificationHeader: h}
		list := b[g.var_off : g.var_off+g.var_len]
		for i := 0; i+1 < len(list); i += 2 {
			n.Streams = append(n.Streams, binary.NativeEndian.Uint16(list[i:]))
		}
		return n, nil
	case NotifyAssocReset:
		return &AssocReset{NotificationHeader: h, LocalTSN: v(0), RemoteTSN: v(1)}, nil
	case NotifyStreamChange:
		return &StreamChange{NotificationHeader: h, InboundStreams: uint16(v(0)), OutboundStreams: uint16(v(1))}, nil
	}
	// The C decoder knows a type this file does not: keep the bytes rather than lose it.
	return &UnknownNotification{NotificationHeader: h, Data: clone(b[:h.Length])}, nil
}

// clone copies b; nil for an empty b.
func clone(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// Subscribe makes the connection's notification subscription exactly events: kinds in events are
// turned on, every other kind off (sockets start with DefaultEvents). Notifications arrive through
// ReadMsg with RcvInfo.Notification set; Read skips them.
func (c *SCTPConn) Subscribe(events EventMask) error { return c.s.subscribe(0, events) }

// Subscribe makes the subscription of the endpoint exactly events, for every association it has
// and every one it will have.
func (e *Endpoint) Subscribe(events EventMask) error { return e.s.subscribe(C.SCTP_ALL_ASSOC, events) }

// SubscribeAssoc makes the subscription of association id alone exactly events.
func (e *Endpoint) SubscribeAssoc(id AssocID, events EventMask) error {
	return e.s.subscribe(id, events)
}

func (s *sock) subscribe(id AssocID, events EventMask) error {
	events &^= NoEvents // a flag of Dialer.Events, not a kind: none there, and none here
	return s.control("setsockopt", func(fd C.int) C.long {
		return C.long(C.sctpio_sock_subscribe_mask(fd, C.sctp_assoc_t(id), C.uint32_t(events)))
	})
}
