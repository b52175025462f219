// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/netip"
	"os"
	"slices"
	"syscall"
	"time"

	"github.com/sctpio/sctpio/sctp"
)

// Notifications arrive among the messages; ParseNotification gives each its own type, so a type
// switch reads its fields. Here a server endpoint watches one client's association from COMM_UP,
// through the client's data and its graceful close (the SHUTDOWN_EVENT that the peer's SHUTDOWN
// raises), to the SHUTDOWN_COMP association change that ends it. Every kind shown is in
// DefaultEvents, so no Subscribe is needed.
func ExampleParseNotification() {
	srv, err := sctp.ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := sctp.Dial("sctp", srv.LocalAddr().String())
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.WriteMsg([]byte("hi"), &sctp.SndInfo{Stream: 3, PPID: 51}); err != nil {
		log.Fatal(err)
	}
	c.Close() // a graceful shutdown: the message above is delivered first

	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	// A notification must fit the buffer whole to parse; 1 KiB holds every kind these events bring.
	buf := make([]byte, 1024)
	var info sctp.RcvInfo
	var assoc sctp.AssocID
	for done := false; !done; {
		n, err := srv.ReadMsgFrom(buf, &info)
		if err != nil {
			log.Fatal(err)
		}
		if !info.IsNotification() {
			fmt.Printf("data %q on stream %d, PPID %d, same association: %t\n", buf[:n], info.Stream, info.PPID, info.AssocID == assoc)
			continue
		}
		note, err := sctp.ParseNotification(buf[:n])
		if err != nil {
			log.Fatal(err)
		}
		switch note := note.(type) {
		case *sctp.AssocChange:
			switch note.State {
			case sctp.CommUp:
				assoc = note.AssocID // the id every later message and notification carries
				fmt.Printf("%s: %d streams out, %d in\n", note.State, note.OutboundStreams, note.InboundStreams)
			case sctp.ShutdownComp:
				fmt.Printf("%s, same association: %t\n", note.State, note.AssocID == assoc)
				done = true
			default:
				fmt.Println("unexpected", note)
			}
		case *sctp.Shutdown:
			fmt.Printf("%s, same association: %t\n", note.Type, note.AssocID == assoc)
		default:
			fmt.Println("unexpected", note)
		}
	}
	// The association is gone from the endpoint once its SHUTDOWN_COMP has been read.
	ids, err := srv.AssocIDs()
	fmt.Println("associations left:", len(ids), err)
	// Output:
	// COMM_UP: 10 streams out, 10 in
	// data "hi" on stream 3, PPID 51, same association: true
	// SCTP_SHUTDOWN_EVENT, same association: true
	// SHUTDOWN_COMP, same association: true
	// associations left: 0 <nil>
}

// PeelOff moves one association of a one-to-many endpoint onto a one-to-one connection of its own,
// so that it can be served on its own (by its own goroutine or Receiver worker) while the endpoint
// goes on with the others. The association's COMM_UP on the endpoint gives its id.
func ExampleEndpoint_PeelOff() {
	srv, err := sctp.ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	cli, err := sctp.Dial("sctp", srv.LocalAddr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	cli.SetDeadline(time.Now().Add(10 * time.Second))

	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 1024)
	var info sctp.RcvInfo
	var id sctp.AssocID
	for id == 0 {
		n, err := srv.ReadMsgFrom(buf, &info)
		if err != nil {
			log.Fatal(err)
		}
		if info.IsNotification() {
			if note, err := sctp.ParseNotification(buf[:n]); err == nil {
				if ac, ok := note.(*sctp.AssocChange); ok && ac.State == sctp.CommUp {
					id = ac.AssocID
				}
			}
		}
	}
	conn, err := srv.PeelOff(id)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	ids, _ := srv.AssocIDs()
	fmt.Println("associations left on the endpoint:", len(ids))

	// The client does not notice: it goes on talking to the same association.
	if _, err := cli.WriteMsg([]byte("ping"), &sctp.SndInfo{Stream: 2, PPID: 9}); err != nil {
		log.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	n, err := conn.ReadMsg(buf, &info)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("peeled connection got %q on stream %d, PPID %d\n", buf[:n], info.Stream, info.PPID)
	if _, err := conn.WriteMsg([]byte("pong"), &sctp.SndInfo{Stream: info.Stream, PPID: info.PPID + 1}); err != nil {
		log.Fatal(err)
	}
	n, err = cli.ReadMsg(buf, &info)
	for err == nil && info.IsNotification() {
		n, err = cli.ReadMsg(buf, &info) // the client's own COMM_UP comes first
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("client got %q on stream %d, PPID %d\n", buf[:n], info.Stream, info.PPID)
	// Output:
	// associations left on the endpoint: 0
	// peeled connection got "ping" on stream 2, PPID 9
	// client got "pong" on stream 2, PPID 10
}

// Multi-homing: a listener bound to 127.0.0.1 adds 127.0.0.2 with BindAdd, so an association
// accepted afterwards has two paths, and the client, which dialled the first address only, learns
// the second from the INIT-ACK. SetPrimary chooses the path that new data takes: messages go on
// arriving whichever path is primary. (The second path stays unconfirmed until a heartbeat
// confirms it, about one RTO later; the kernel sends on it all the same once it is primary.)
func ExampleSCTPConn_SetPrimary() {
	l, err := sctp.Listen("sctp4", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	first, second := netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("127.0.0.2")
	if err := l.BindAdd(second); err != nil {
		log.Fatal(err)
	}
	port := uint16(l.Addr().(*sctp.Addr).Port)

	c, err := sctp.Dial("sctp4", netip.AddrPortFrom(first, port).String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	srv, err := l.AcceptSCTP()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	srv.SetDeadline(time.Now().Add(10 * time.Second))

	peer, err := c.PeerAddrs()
	if err != nil {
		log.Fatal(err)
	}
	ips := slices.Clone(peer.IPs)
	slices.SortFunc(ips, netip.Addr.Compare) // the kernel's order is not a promise
	fmt.Println("peer addresses:", ips, "same port:", peer.Port == int(port))

	buf := make([]byte, 64)
	var info sctp.RcvInfo
	for i, path := range []netip.Addr{second, first} {
		to := netip.AddrPortFrom(path, port)
		if err := c.SetPrimary(to); err != nil {
			log.Fatal(err)
		}
		st, err := c.Status()
		if err != nil {
			log.Fatal(err)
		}
		msg := fmt.Sprintf("message %d", i+1)
		if _, err := c.WriteMsg([]byte(msg), &sctp.SndInfo{Stream: uint16(i), PPID: 77}); err != nil {
			log.Fatal(err)
		}
		n, err := srv.ReadMsg(buf, &info)
		for err == nil && info.IsNotification() {
			n, err = srv.ReadMsg(buf, &info)
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("primary %v: %q arrived on stream %d, PPID %d\n", st.Primary.Addr.Addr(), buf[:n], info.Stream, info.PPID)
	}
	// Output:
	// peer addresses: [127.0.0.1 127.0.0.2] same port: true
	// primary 127.0.0.2: "message 1" arrived on stream 0, PPID 77
	// primary 127.0.0.1: "message 2" arrived on stream 1, PPID 77
}

// WriteBatch sends every message queued in a Batch with one sendmmsg, each with its own stream and
// PPID. The messages go out in the order they were queued, and on loopback (no loss) arrive in that
// order too, so one ReadBatch loop on the other side sees them as sent.
func ExampleSCTPConn_WriteBatch() {
	l, err := sctp.Listen("sctp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	c, err := sctp.Dial("sctp", l.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	srv, err := l.AcceptSCTP()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	out, err := sctp.NewBatch(4, 64)
	if err != nil {
		log.Fatal(err)
	}
	defer out.Close()
	for i, m := range []string{"alpha", "bravo", "charlie", "delta"} {
		// Queue copies m; streams stay below the 10 that Linux negotiates by default.
		if err := out.Queue([]byte(m), &sctp.SndInfo{Stream: uint16(i * 3), PPID: uint32(100 + i)}); err != nil {
			log.Fatal(err)
		}
	}
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	sent, err := c.WriteBatch(out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sent", sent, "in one WriteBatch; still queued:", out.Pending())

	in, err := sctp.NewBatch(8, 64)
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	for got := 0; got < sent; {
		n, err := srv.ReadBatch(in)
		if err != nil {
			log.Fatal(err)
		}
		for i := 0; i < n; i++ {
			if info := in.Info(i); !info.IsNotification() {
				fmt.Printf("stream %d, PPID %d: %q (%d bytes)\n", info.Stream, info.PPID, in.Bytes(i), len(in.Bytes(i)))
				got++
			}
		}
	}
	// Output:
	// sent 4 in one WriteBatch; still queued: 0
	// stream 0, PPID 100: "alpha" (5 bytes)
	// stream 3, PPID 101: "bravo" (5 bytes)
	// stream 6, PPID 102: "charlie" (7 bytes)
	// stream 9, PPID 103: "delta" (5 bytes)
}

// An abort ends an association at once and can say why: the reason travels in the ABORT chunk and
// reaches the peer as the Reason of its COMM_LOST association change, beside the cause code
// CauseUserAbort. Linux sends a reason only from a one-to-many socket, so the aborting side here is
// an Endpoint (SCTPConn.Abort aborts without one); the peer is an ordinary one-to-one connection,
// whose next read then fails with ECONNRESET.
func ExampleEndpoint_Abort() {
	l, err := sctp.Listen("sctp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	cli, err := sctp.NewEndpoint("sctp4", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	id, err := cli.Connect(context.Background(), l.Addr().(*sctp.Addr))
	if err != nil {
		log.Fatal(err)
	}
	srv, err := l.AcceptSCTP()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 1024)
	var info sctp.RcvInfo
	for {
		n, err := srv.ReadMsg(buf, &info)
		if err != nil {
			fmt.Println("then a read fails with ECONNRESET:", errors.Is(err, syscall.ECONNRESET))
			break
		}
		if !info.IsNotification() {
			continue
		}
		note, err := sctp.ParseNotification(buf[:n])
		if err != nil {
			log.Fatal(err)
		}
		ac, ok := note.(*sctp.AssocChange)
		if !ok {
			continue
		}
		switch ac.State {
		case sctp.CommUp:
			fmt.Println("server:", ac.State)
			// The association is up on both sides: abort it from the client, with a reason.
			if err := cli.Abort(id, []byte("maintenance window")); err != nil {
				log.Fatal(err)
			}
		case sctp.CommLost:
			fmt.Printf("server: %s, cause %d (user abort: %t), reason %q\n", ac.State, ac.Error, ac.Error == sctp.CauseUserAbort, ac.Reason)
		}
	}
	// Output:
	// server: COMM_UP
	// server: COMM_LOST, cause 12 (user abort: true), reason "maintenance window"
	// then a read fails with ECONNRESET: true
}

// FileConn adopts an SCTP socket that this package did not open: one made with syscall.Socket here,
// but it could as well come from another library, or be inherited from a parent process. FileConn
// takes a copy of the descriptor (the *os.File may be closed at once), checks that it is a
// one-to-one SCTP socket, and joins it to Go's netpoller, so that deadlines work on it.
func ExampleFileConn() {
	l, err := sctp.Listen("sctp4", "127.0.0.1:0")
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

	// A plain blocking socket, connected the old way. SOCK_STREAM is SCTP's one-to-one style.
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, syscall.IPPROTO_SCTP)
	if err != nil {
		log.Fatal(err)
	}
	f := os.NewFile(uintptr(fd), "sctp") // f owns fd now
	port := l.Addr().(*sctp.Addr).Port
	if err := syscall.Connect(fd, &syscall.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		log.Fatal(err)
	}
	c, err := sctp.FileConn(f)
	f.Close() // c has its own copy
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Println("remote is the listener:", c.RemoteAddr().(*sctp.Addr).Port == port)

	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.WriteMsg([]byte("adopted"), &sctp.SndInfo{Stream: 4, PPID: 1234}); err != nil {
		log.Fatal(err)
	}
	buf := make([]byte, 64)
	var info sctp.RcvInfo
	n, err := c.ReadMsg(buf, &info)
	for err == nil && info.IsNotification() {
		n, err = c.ReadMsg(buf, &info)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("echo %q on stream %d, PPID %d\n", buf[:n], info.Stream, info.PPID)
	// Output:
	// remote is the listener: true
	// echo "adopted" on stream 4, PPID 1234
}
