// SPDX-License-Identifier: MIT

//go:build gosctp

// github.com/georgeyanev/go-sctp, the netpoller-based Go SCTP package: built in with the tag gosctp,
// which mk/gobench.mk sets when the snapshot in ../shared/peers/go-sctp exists, with a replace
// directive in a module file of its own (bench/go/go.mod does not name the package: a user's clone
// has no ../shared, and the module proxy does not serve it).

package main

import (
	"errors"
	"fmt"
	"net"
	"strconv"

	gosctp "github.com/georgeyanev/go-sctp"
)

func init() {
	moreReceivers = append(moreReceivers, goSCTPReceiver)
	moreSenders = append(moreSenders, goSCTPSender)
}

const goSCTPPkg = "github.com/georgeyanev/go-sctp"

// goSCTPBuffers gives go-sctp's sockets the buffers every other row has: it sets its own (512 KiB
// unless told) after the Control function has run, which a full queue of K messages overflows.
var goSCTPBuffers = gosctp.InitOptions{SocketReadBufferSize: bufBytes, SocketWriteBufferSize: bufBytes}

// goSCTPReceiver is an association accepted on a go-sctp listener, read with Read (read(2) through
// the os.File that joins the socket to the netpoller). The package exports no descriptor, and the
// queue counts need one: it is found by its ports.
func goSCTPReceiver() (*receiver, error) {
	ln, err := (&gosctp.ListenConfig{Control: tune, InitOptions: goSCTPBuffers}).ListenSCTP("sctp4", &gosctp.SCTPAddr{
		IPAddrs: []net.IPAddr{{IP: net.IPv4(127, 0, 0, 1)}}})
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	acc := make(chan *gosctp.SCTPConn, 1)
	go func() {
		c, err := ln.AcceptSCTP()
		if err != nil {
			c = nil
		}
		acc <- c
	}()
	lport := ln.Addr().(*gosctp.SCTPAddr).Port
	peer, err := dialPeer("127.0.0.1:" + strconv.Itoa(lport))
	if err != nil {
		return nil, err
	}
	c := <-acc
	if c == nil {
		peer.Close()
		return nil, errors.New("accept failed")
	}
	fd, err := connectedFD(lport, int(peer.LocalSCTPAddr().AddrPort().Port()))
	if err != nil {
		return nil, fmt.Errorf("go-sctp: the accepted socket: %w", err)
	}
	buf := make([]byte, 2048)
	// Read gives no flags: go-sctp subscribes to no notification unless asked, so every message is
	// data, and a whole one has exactly S bytes.
	readOne := func() error {
		n, err := c.Read(buf)
		if err != nil {
			return err
		}
		if n != *size {
			return fmt.Errorf("a %d-byte message where %d bytes were sent", n, *size)
		}
		return nil
	}
	return &receiver{name: "go-sctp Read", pkg: goSCTPPkg, api: "SCTPConn.Read", style: "one-to-one", raw: fd,
		peer: peer,
		drain: func(k int) error {
			for i := 0; i < k; i++ {
				if err := readOne(); err != nil {
					return err
				}
			}
			return nil
		},
		readOne: readOne,
		write:   func(b []byte) error { _, err := c.Write(b); return err },
		close:   func() { c.Close(); peer.Close() }}, nil
}

// goSCTPSender writes with go-sctp's Write (write(2) through the netpoller; SCTP_NODELAY is its
// default) on a connection it dialed.
func goSCTPSender() (*sender, error) {
	var c *gosctp.SCTPConn
	far, drain, closeAll, err := farEnd(func(addr string) (func(), error) {
		conn, err := (&gosctp.Dialer{Control: tune, InitOptions: goSCTPBuffers}).Dial("sctp4", addr)
		if err != nil {
			return nil, err
		}
		c = conn.(*gosctp.SCTPConn)
		return func() { c.Close() }, nil
	})
	if err != nil {
		return nil, err
	}
	raw, _ := far.SyscallConn()
	return &sender{name: "go-sctp Write", pkg: goSCTPPkg, api: "SCTPConn.Write", style: "one-to-one", raw: raw,
		drain: drain, close: closeAll,
		send: perMessage(func(b []byte, _ int) error { _, err := c.Write(b); return err })}, nil
}
