// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"
	"time"

	"github.com/sctpio/sctpio/sctp"
)

// An echo server on a one-to-one socket: every message goes back on the stream it came on, with its
// PPID. Message boundaries hold: one WriteMsg is one ReadMsg on the other side.
func ExampleListen() {
	l, err := sctp.Listen("sctp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.AcceptSCTP()
			if err != nil {
				return // the listener was closed
			}
			go echo(c)
		}
	}()

	c, err := sctp.Dial("sctp", l.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	for i, m := range []string{"hello", "stream-aware world"} {
		if _, err := c.WriteMsg([]byte(m), &sctp.SndInfo{Stream: uint16(i + 1), PPID: 42}); err != nil {
			log.Fatal(err)
		}
	}
	buf := make([]byte, 1024)
	var info sctp.RcvInfo
	for got := 0; got < 2; {
		n, err := c.ReadMsg(buf, &info)
		if err != nil {
			log.Fatal(err)
		}
		if info.IsNotification() {
			continue // the association's COMM_UP
		}
		fmt.Printf("%q on stream %d, PPID %d\n", buf[:n], info.Stream, info.PPID)
		got++
	}
	// Output:
	// "hello" on stream 1, PPID 42
	// "stream-aware world" on stream 2, PPID 42
}

func echo(c *sctp.SCTPConn) {
	defer c.Close()
	buf := make([]byte, 64<<10)
	var info sctp.RcvInfo
	for {
		n, err := c.ReadMsg(buf, &info)
		if err != nil {
			return // io.EOF after the peer's shutdown, or an error
		}
		if info.IsNotification() || info.More() {
			continue // a real server would join the pieces of long messages
		}
		if _, err := c.WriteMsg(buf[:n], &sctp.SndInfo{Stream: info.Stream, PPID: info.PPID}); err != nil {
			return
		}
	}
}

// A one-to-many server: one socket serves every client, each message tagged with its association.
// The server answers each client on the association the message came from; a client endpoint needs
// no Connect: its first WriteMsgTo sets the association up.
func ExampleListenEndpoint() {
	srv, err := sctp.ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	go func() {
		buf := make([]byte, 1024)
		var info sctp.RcvInfo
		for {
			n, err := srv.ReadMsgFrom(buf, &info)
			if err != nil {
				return
			}
			if info.IsNotification() {
				continue
			}
			reply := fmt.Sprintf("hello %s", buf[:n])
			srv.WriteMsgTo([]byte(reply), &sctp.SndInfo{AssocID: info.AssocID, Stream: info.Stream}, netip.AddrPort{})
		}
	}()

	sa := srv.LocalAddr().(*sctp.Addr)
	to := netip.AddrPortFrom(sa.IPs[0], uint16(sa.Port))
	for _, name := range []string{"alice", "bob"} {
		cli, err := sctp.NewEndpoint("sctp4", nil)
		if err != nil {
			log.Fatal(err)
		}
		defer cli.Close()
		cli.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := cli.WriteMsgTo([]byte(name), nil, to); err != nil {
			log.Fatal(err)
		}
		buf := make([]byte, 1024)
		var info sctp.RcvInfo
		for {
			n, err := cli.ReadMsgFrom(buf, &info)
			if err != nil {
				log.Fatal(err)
			}
			if info.IsNotification() {
				continue
			}
			fmt.Printf("%s got %q\n", name, buf[:n])
			break
		}
	}
	// Output:
	// alice got "hello alice"
	// bob got "hello bob"
}

// Batched reading: one ReadBatch takes every message waiting (up to the batch's slots) with one
// recvmmsg. The bytes are read in place, without a copy, and are valid until the next ReadBatch.
func ExampleEndpoint_ReadBatch() {
	srv, err := sctp.ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	cli, err := sctp.NewEndpoint("sctp4", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	sa := srv.LocalAddr().(*sctp.Addr)
	to := netip.AddrPortFrom(sa.IPs[0], uint16(sa.Port))

	// Five messages leave in one sendmmsg.
	out, err := sctp.NewBatch(8, 256)
	if err != nil {
		log.Fatal(err)
	}
	defer out.Close()
	for i := 1; i <= 5; i++ {
		out.QueueTo([]byte(fmt.Sprintf("message %d", i)), &sctp.SndInfo{PPID: uint32(i)}, to)
	}
	if _, err := cli.WriteBatch(out); err != nil {
		log.Fatal(err)
	}

	in, err := sctp.NewBatch(16, 2048)
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	for got := 0; got < 5; {
		n, err := srv.ReadBatch(in)
		if err != nil {
			log.Fatal(err)
		}
		for i := 0; i < n; i++ {
			info := in.Info(i)
			if info.IsNotification() {
				note, err := sctp.ParseNotification(in.Bytes(i)) // copies what it keeps
				if err == nil {
					if ac, ok := note.(*sctp.AssocChange); ok {
						fmt.Println("association", ac.State)
					}
				}
				continue
			}
			fmt.Printf("%s (PPID %d)\n", in.Bytes(i), info.PPID) // in.Bytes(i) dies at the next ReadBatch
			got++
		}
	}
	// Output:
	// association COMM_UP
	// message 1 (PPID 1)
	// message 2 (PPID 2)
	// message 3 (PPID 3)
	// message 4 (PPID 4)
	// message 5 (PPID 5)
}

// Options that must be in place before the association is set up go in the Dialer (or a
// ListenConfig); Status shows what was negotiated.
func ExampleDialer() {
	l, err := (&sctp.ListenConfig{InitMsg: sctp.InitMsg{MaxInStreams: 64}}).Listen(context.Background(), "sctp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	d := &sctp.Dialer{Timeout: 10 * time.Second, InitMsg: sctp.InitMsg{OutStreams: 32}}
	c, err := d.Dial("sctp", l.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	st, err := c.Status()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.State, "with", st.OutStreams, "outbound streams")
	// Output:
	// ESTABLISHED with 32 outbound streams
}
