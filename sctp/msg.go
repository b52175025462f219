// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

/*
#include "sctpio.h"
*/
import "C"

import "net/netip"

// AssocID identifies an association on a one-to-many endpoint (0 on a one-to-one connection).
type AssocID int32

// SendFlag modifies how one message is sent.
type SendFlag uint16

// Send flags (RFC 6458 SCTP_SNDINFO flags). Abort and SendAll are for one-to-many sockets:
// on a one-to-one socket Abort fails with EOPNOTSUPP (use SCTPConn.Abort) and SendAll with EINVAL,
// nothing sent.
const (
	Unordered SendFlag = C.SCTPIO_UNORDERED // deliver without regard to stream order
	EOF       SendFlag = C.SCTPIO_EOF       // send this message (if any), then start a graceful shutdown (either style)
	Abort     SendFlag = C.SCTPIO_ABORT     // one-to-many: abort the association; the data is the reason
	SendAll   SendFlag = C.SCTPIO_SENDALL   // one-to-many: send to every association
	AddrOver  SendFlag = C.SCTPIO_ADDR_OVER // send to the given address, not the primary path
	AuthKey   SendFlag = C.SCTPIO_AUTH_KEY  // authenticate with shared key SndInfo.AuthKey (SCTP-AUTH)
)

// PRPolicy is a partial-reliability policy (RFC 3758, RFC 7496).
type PRPolicy uint16

// Partial-reliability policies; SndInfo.PRValue gives the limit.
const (
	PRNone PRPolicy = C.SCTPIO_PR_NONE // reliable
	PRTTL  PRPolicy = C.SCTPIO_PR_TTL  // PRValue: lifetime in milliseconds
	PRRtx  PRPolicy = C.SCTPIO_PR_RTX  // PRValue: most retransmissions
	PRPrio PRPolicy = C.SCTPIO_PR_PRIO // PRValue: priority; lower is abandoned first
)

// SndInfo is what a message is sent with. The zero value sends on stream 0 with PPID 0, ordered.
type SndInfo struct {
	Stream   uint16
	PPID     uint32 // host byte order; converted for the wire
	Flags    SendFlag
	Context  uint32 // echoed in send-failed notifications
	AssocID  AssocID
	PRPolicy PRPolicy
	PRValue  uint32

	// KeyNumber, with the flag AuthKey, is the SCTP-AUTH shared key to authenticate the message with
	// instead of the active one (see SetAuthKey and the key calls of the connection or endpoint).
	KeyNumber uint16
	// Setup, for a message that sets up an association (an Endpoint's WriteMsgTo to a new peer),
	// says how; nil: as the socket's settings say. Ignored for a message to an existing association.
	Setup *AssocSetup
}

// AssocSetup is how a message to a new peer sets up its association (SndInfo.Setup).
type AssocSetup struct {
	// Init, when not zero, is the association's stream counts and INIT retries instead of the
	// socket's (SetInitMsg).
	Init InitMsg
	// AlsoTo lists further addresses of the new peer (a multi-homed peer reached at the first one
	// that answers, as sctp_sendv's address list); the port is the destination's. At most 64
	// (EINVAL beyond); not in a Batch (Queue refuses it: EINVAL).
	AlsoTo []netip.AddrPort
}

// RecvFlag describes a received message or piece of one.
type RecvFlag uint32

// Receive flags.
const (
	RecvNotification RecvFlag = C.SCTPIO_MSG_NOTIFICATION // the bytes are a notification (see ParseNotification)
	RecvMore         RecvFlag = C.SCTPIO_MSG_MORE         // more pieces of this message follow
	RecvUnordered    RecvFlag = C.SCTPIO_MSG_UNORDERED    // the message was sent unordered
	RecvHasInfo      RecvFlag = C.SCTPIO_MSG_HAS_INFO     // Stream, SSN, PPID, TSN, Context and AssocID are valid
	RecvHasNext      RecvFlag = C.SCTPIO_MSG_HAS_NEXT     // Next* fields are valid (SetRecvNextInfo)
)

// RcvInfo is what a message arrived with (RFC 6458 SCTP_RCVINFO, and SCTP_NXTINFO when enabled).
type RcvInfo struct {
	Flags   RecvFlag
	Stream  uint16
	SSN     uint16
	PPID    uint32 // host byte order
	TSN     uint32
	CumTSN  uint32
	Context uint32
	AssocID AssocID
	From    netip.AddrPort // the sender's address, when the kernel reports it

	NextStream  uint16
	NextFlags   uint16
	NextPPID    uint32
	NextLength  uint32
	NextAssocID AssocID
}

// More reports whether further pieces of this message follow. A message larger than the buffer comes
// in pieces, but a piece with More set does not always fill the buffer: under partial delivery (a
// message larger than the receiver's window, delivered as it arrives) the kernel hands over shorter
// pieces too, so tell a message's end by More alone, never by a piece's length. ReadMessage joins the
// pieces.
func (i *RcvInfo) More() bool { return i.Flags&RecvMore != 0 }

// IsNotification reports whether the bytes are a notification rather than data.
func (i *RcvInfo) IsNotification() bool { return i.Flags&RecvNotification != 0 }

func (i *RcvInfo) fromC(c *C.struct_sctpio_rcvinfo) {
	*i = RcvInfo{
		Flags:       RecvFlag(c.flags),
		Stream:      uint16(c.stream),
		SSN:         uint16(c.ssn),
		PPID:        uint32(c.ppid),
		TSN:         uint32(c.tsn),
		CumTSN:      uint32(c.cumtsn),
		Context:     uint32(c.context),
		AssocID:     AssocID(c.assoc_id),
		From:        getAddr(&c.from),
		NextStream:  uint16(c.next_stream),
		NextFlags:   uint16(c.next_flags),
		NextPPID:    uint32(c.next_ppid),
		NextLength:  uint32(c.next_length),
		NextAssocID: AssocID(c.next_assoc_id),
	}
}

// toC is fromC's inverse, for a read that goes on with a message whose pieces so far *i describes.
func (i *RcvInfo) toC(c *C.struct_sctpio_rcvinfo) {
	*c = C.struct_sctpio_rcvinfo{flags: C.uint32_t(i.Flags), stream: C.uint16_t(i.Stream), ssn: C.uint16_t(i.SSN),
		ppid: C.uint32_t(i.PPID), tsn: C.uint32_t(i.TSN), cumtsn: C.uint32_t(i.CumTSN), context: C.uint32_t(i.Context),
		assoc_id: C.sctp_assoc_t(i.AssocID), next_stream: C.uint16_t(i.NextStream), next_flags: C.uint16_t(i.NextFlags),
		next_ppid: C.uint32_t(i.NextPPID), next_length: C.uint32_t(i.NextLength),
		next_assoc_id: C.sctp_assoc_t(i.NextAssocID)}
	if i.From.IsValid() {
		putAddr(&c.from, i.From)
	}
}

func (s *SndInfo) toC(c *C.struct_sctpio_sndinfo) {
	*c = C.struct_sctpio_sndinfo{}
	if s == nil {
		return
	}
	c.stream = C.uint16_t(s.Stream)
	c.flags = C.uint16_t(s.Flags)
	c.ppid = C.uint32_t(s.PPID)
	c.context = C.uint32_t(s.Context)
	c.assoc_id = C.sctp_assoc_t(s.AssocID)
	c.pr_policy = C.uint16_t(s.PRPolicy)
	c.pr_value = C.uint32_t(s.PRValue)
	c.auth_key = C.uint16_t(s.KeyNumber)
}

// alsoToMax is the most further addresses one send may name (SndInfo.AlsoTo).
const alsoToMax = C.SCTPIO_ALSO_TO_MAX

// putInit points c.init at info's Setup.Init, written into *dst (C memory), when it is set.
func putInit(c *C.struct_sctpio_sndinfo, info *SndInfo, dst *C.struct_sctp_initmsg) {
	if info != nil && info.Setup != nil && !info.Setup.Init.isZero() {
		info.Setup.Init.toC(dst)
		c.init = dst
	}
}

// alsoTo returns the further addresses of a new association's peer that info names.
func (info *SndInfo) alsoTo() []netip.AddrPort {
	if info == nil || info.Setup == nil {
		return nil
	}
	return info.Setup.AlsoTo
}
