// SPDX-License-Identifier: MIT

// The declarations that do not depend on the platform: constants, the C-shaped structs, and the
// small types. Their names, types and values are those of github.com/ishidawataru/sctp; the API
// check (bench/go/apicheck) holds them to it.

package sctp

// Socket option level, bindx flags and the receive flag of a notification. The values are Linux's.
const (
	SOL_SCTP = 132

	SCTP_BINDX_ADD_ADDR = 0x01
	SCTP_BINDX_REM_ADDR = 0x02

	MSG_NOTIFICATION = 0x8000
)

// Socket option names at level SOL_SCTP (Linux's numbering), for Getsockopt and Setsockopt.
const (
	SCTP_RTOINFO               = 0
	SCTP_ASSOCINFO             = 1
	SCTP_INITMSG               = 2
	SCTP_NODELAY               = 3
	SCTP_AUTOCLOSE             = 4
	SCTP_SET_PEER_PRIMARY_ADDR = 5
	SCTP_PRIMARY_ADDR          = 6
	SCTP_ADAPTATION_LAYER      = 7
	SCTP_DISABLE_FRAGMENTS     = 8
	SCTP_PEER_ADDR_PARAMS      = 9
	SCTP_DEFAULT_SENT_PARAM    = 10
	SCTP_EVENTS                = 11
	SCTP_I_WANT_MAPPED_V4_ADDR = 12
	SCTP_MAXSEG                = 13
	SCTP_STATUS                = 14
	SCTP_GET_PEER_ADDR_INFO    = 15
	SCTP_DELAYED_ACK_TIME      = 16
	SCTP_DELAYED_ACK           = SCTP_DELAYED_ACK_TIME
	SCTP_DELAYED_SACK          = SCTP_DELAYED_ACK_TIME

	SCTP_SOCKOPT_BINDX_ADD = 100
	SCTP_SOCKOPT_BINDX_REM = 101
	SCTP_SOCKOPT_PEELOFF   = 102
	SCTP_GET_PEER_ADDRS    = 108
	SCTP_GET_LOCAL_ADDRS   = 109
	SCTP_SOCKOPT_CONNECTX  = 110
	SCTP_SOCKOPT_CONNECTX3 = 111
)

// Event flags for SubscribeEvents and SubscribedEvents, one bit per field of EventSubscribe.
const (
	SCTP_EVENT_DATA_IO = 1 << iota
	SCTP_EVENT_ASSOCIATION
	SCTP_EVENT_ADDRESS
	SCTP_EVENT_SEND_FAILURE
	SCTP_EVENT_PEER_ERROR
	SCTP_EVENT_SHUTDOWN
	SCTP_EVENT_PARTIAL_DELIVERY
	SCTP_EVENT_ADAPTATION_LAYER
	SCTP_EVENT_AUTHENTICATION
	SCTP_EVENT_SENDER_DRY

	SCTP_EVENT_ALL = SCTP_EVENT_DATA_IO | SCTP_EVENT_ASSOCIATION | SCTP_EVENT_ADDRESS |
		SCTP_EVENT_SEND_FAILURE | SCTP_EVENT_PEER_ERROR | SCTP_EVENT_SHUTDOWN |
		SCTP_EVENT_PARTIAL_DELIVERY | SCTP_EVENT_ADAPTATION_LAYER | SCTP_EVENT_AUTHENTICATION |
		SCTP_EVENT_SENDER_DRY
)

// SCTPNotificationType is the type field of a notification's header (NotificationHeader.Type).
type SCTPNotificationType int

// SCTPAssocID identifies an association.
type SCTPAssocID int32

// Notification types, as they appear in NotificationHeader.Type (Linux's values, from 0x8000).
const (
	SCTP_SN_TYPE_BASE SCTPNotificationType = 0x8000 + iota
	SCTP_ASSOC_CHANGE
	SCTP_PEER_ADDR_CHANGE
	SCTP_SEND_FAILED
	SCTP_REMOTE_ERROR
	SCTP_SHUTDOWN_EVENT
	SCTP_PARTIAL_DELIVERY_EVENT
	SCTP_ADAPTATION_INDICATION
	SCTP_AUTHENTICATION_INDICATION
	SCTP_SENDER_DRY_EVENT
)

// NotificationHandler is called by SCTPRead (and so Read) with the bytes of each notification
// received, on the reading goroutine, when it was given to NewSCTPConn, SocketConfig or a
// listener; a non-nil error ends that read with the error. Without a handler, notifications are
// returned by SCTPRead as if they were data (with a nil *SndRcvInfo).
type NotificationHandler func([]byte) error

// EventSubscribe is Linux's struct sctp_event_subscribe, as far as the fields it names: the layout
// of SCTP_EVENTS for Getsockopt and Setsockopt. 1 subscribes, 0 does not.
type EventSubscribe struct {
	DataIO          uint8
	Association     uint8
	Address         uint8
	SendFailure     uint8
	PeerError       uint8
	Shutdown        uint8
	PartialDelivery uint8
	AdaptationLayer uint8
	Authentication  uint8
	SenderDry       uint8
}

// Control message types at level IPPROTO_SCTP (Linux's numbering).
const (
	SCTP_CMSG_INIT = iota
	SCTP_CMSG_SNDRCV
	SCTP_CMSG_SNDINFO
	SCTP_CMSG_RCVINFO
	SCTP_CMSG_NXTINFO
)

// Flags of SndRcvInfo.Flags. SCTPWrite honours SCTP_UNORDERED, SCTP_ADDR_OVER, SCTP_ABORT and
// SCTP_EOF by name (see the package documentation); SCTP_SACK_IMMEDIATELY is not passed on.
const (
	SCTP_UNORDERED = 1 << iota
	SCTP_ADDR_OVER
	SCTP_ABORT
	SCTP_SACK_IMMEDIATELY
	SCTP_EOF
)

// SCTP_MAX_STREAM is the number of outbound streams ListenSCTP and DialSCTP ask for.
const (
	SCTP_MAX_STREAM = 0xffff
)

// InitMsg is what an association is set up with (SCTP_INITMSG): outbound streams asked for,
// inbound streams accepted, INIT retransmissions and the retransmission timeout's cap in
// milliseconds. Zero fields keep the kernel's defaults.
type InitMsg struct {
	NumOstreams    uint16
	MaxInstreams   uint16
	MaxAttempts    uint16
	MaxInitTimeout uint16
}

// SackTimer is the delayed-SACK setting (RFC 6458 8.1.19, SCTP_DELAYED_SACK): SackDelay in
// milliseconds (at most 500), SackFrequency in packets. Zero fields are left as they are.
type SackTimer struct {
	AssocID       SCTPAssocID
	SackDelay     uint32
	SackFrequency uint32
}

// PeerState is the state of one path to the peer (PeerAddrinfo.State).
type PeerState int32

// Path states. GetStatus maps Linux's own numbering onto these names.
const (
	SCTP_UNCONFIRMED PeerState = iota
	SCTP_ACTIVE
	SCTP_INACTIVE
)

// PeerAddrinfo describes one path (RFC 6458 8.2.2). Address holds the peer address as a raw
// struct sockaddr_in or sockaddr_in6 in the host's layout; SRTT is as Linux reports it (kernel
// ticks), RTO in milliseconds.
type PeerAddrinfo struct {
	AssocID SCTPAssocID
	Address [128]byte
	State   PeerState
	CWND    uint32
	SRTT    uint32
	RTO     uint32
	MTU     uint32
}

// StatusState is the state of an association (Status.State).
type StatusState int32

// Association states. GetStatus maps Linux's own numbering onto these names, so that
// Status.State == SCTP_ESTABLISHED holds for an established association.
const (
	SCTP_CLOSED StatusState = iota
	SCTP_BOUND
	SCTP_LISTEN
	SCTP_COOKIE_WAIT
	SCTP_COOKIE_ECHOED
	SCTP_ESTABLISHED
	SCTP_SHUTDOWN_PENDING
	SCTP_SHUTDOWN_SENT
	SCTP_SHUTDOWN_RECEIVED
	SCTP_SHUTDOWN_ACK_SENT
)

// Status is an association's status (RFC 6458 8.2.1, SCTP_STATUS).
type Status struct {
	AssocID            SCTPAssocID
	State              StatusState
	RWND               uint32
	Unackdata          uint16
	Penddata           uint16
	Instreams          uint16
	Ostreams           uint16
	FragmentationPoint uint32
	PrimaryPeerAddr    PeerAddrinfo
}

// SndRcvInfo is the send and receive information of a message, laid out as Linux's struct
// sctp_sndrcvinfo. PPID is in host byte order everywhere in this package: SCTPWrite,
// SetDefaultSentParam and the wrapped connection convert it for the wire, SCTPRead and
// GetDefaultSentParam convert it back. TTL is in milliseconds.
type SndRcvInfo struct {
	Stream  uint16
	SSN     uint16
	Flags   uint16
	_       uint16
	PPID    uint32
	Context uint32
	TTL     uint32
	TSN     uint32
	CumTSN  uint32
	AssocID int32
}

// SndInfo is laid out as Linux's struct sctp_sndinfo (RFC 6458 5.3.4).
type SndInfo struct {
	SID     uint16
	Flags   uint16
	PPID    uint32
	Context uint32
	AssocID int32
}

// GetAddrsOld is laid out as Linux's struct sctp_getaddrs_old: the argument of
// SCTP_SOCKOPT_CONNECTX3.
type GetAddrsOld struct {
	AssocID int32
	AddrNum int32
	Addrs   uintptr
}

// NotificationHeader is the start of every notification (struct sctp_tlv in Linux): decode it
// from the bytes a NotificationHandler gets, in host byte order.
type NotificationHeader struct {
	Type   uint16
	Flags  uint16
	Length uint32
}

// SCTPState is the state field of an association change notification.
type SCTPState uint16

// Association change states (sac_state).
const (
	SCTP_COMM_UP = SCTPState(iota)
	SCTP_COMM_LOST
	SCTP_RESTART
	SCTP_SHUTDOWN_COMP
	SCTP_CANT_STR_ASSOC
)
