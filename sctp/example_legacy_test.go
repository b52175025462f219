// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/netip"
	"time"

	"github.com/sctpio/sctpio/sctp"
)

// The receiver example of the wrapper this package grew from, done this package's way. There a
// server socket (NewSctpServer) was handed by its descriptor to two receivers, each a thread with
// an epoll timeout, which then had to be Run. Here the socket itself is added (Receiver.Add takes
// the *Endpoint; there is no descriptor to pass), serving starts at Add (there is no Run), and
// nothing times out: the receiver parks in Go's netpoller until the socket is readable.
//
// "Two receivers" becomes one Receiver with two workers. Two Receivers registered for one socket
// would each read it and could take its messages out of order, which a Receiver exists to prevent:
// while a socket is registered, its receiver owns its reading side, and serves it with one handler
// at a time. The second worker is for the other sockets such a receiver serves (accepted or
// peeled-off connections), which it handles at the same time as this one.
func Example_legacyReceiver() {
	srv, err := sctp.ListenEndpoint("sctp", "127.0.0.1:0") // NewSctpServer(host, port)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	r, err := sctp.NewReceiver(2, func(src sctp.Source, b *sctp.Batch) error {
		ep := src.(*sctp.Endpoint)
		for i := 0; i < b.Len(); i++ {
			info := b.Info(i)
			if info.IsNotification() {
				continue
			}
			// Answer on the association and stream the message came on. WriteMsgTo copies the
			// bytes before the handler returns, which is as long as b lends them.
			reply := append([]byte("served: "), b.Bytes(i)...)
			if _, err := ep.WriteMsgTo(reply, &sctp.SndInfo{AssocID: info.AssocID, Stream: info.Stream, PPID: info.PPID}, netip.AddrPort{}); err != nil {
				return err // ends the endpoint's registration; the error handler hears why
			}
		}
		return nil
	}, sctp.WithErrorHandler(func(src sctp.Source, err error) {
		log.Print("receiver: ", err)
	}))
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close() // waits for a handler still running; the endpoint stays open
	if err := r.Add(srv); err != nil {
		log.Fatal(err)
	}

	for i, name := range []string{"alice", "bob"} {
		c, err := sctp.Dial("sctp", srv.LocalAddr().String()) // NewSctpClient(host, port)
		if err != nil {
			log.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.WriteMsg([]byte(name), &sctp.SndInfo{Stream: uint16(i + 1), PPID: 60 + uint32(i)}); err != nil {
			log.Fatal(err)
		}
		buf := make([]byte, 256)
		var info sctp.RcvInfo
		n, err := c.ReadMsg(buf, &info)
		for err == nil && info.IsNotification() {
			n, err = c.ReadMsg(buf, &info)
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s got %q on stream %d, PPID %d\n", name, buf[:n], info.Stream, info.PPID)
	}
	// Output:
	// alice got "served: alice" on stream 1, PPID 60
	// bob got "served: bob" on stream 2, PPID 61
}

// The poller example of the wrapper this package grew from, done this package's way. There a poller
// thread (NewPoller with an epoll timeout, then Run) pushed ready descriptors onto a global queue,
// and a worker called PollerQueue.Pop, which returned a negative descriptor when the queue was
// empty, so the worker slept 100 ms and tried again. Here the worker calls Poller.Next, which parks
// until a socket is ready (or the context ends, or the poller is closed): no sleeping, no retrying,
// and no latency added. The multi-message container (CreateMultiMsg, DestroyMultiMsg) is a Batch,
// made by NewBatch and freed by Close.
func Example_legacyPoller() {
	srv, err := sctp.ListenEndpoint("sctp", "127.0.0.1:0") // NewSctpServer(host, port)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	p, err := sctp.NewPoller(0) // NewPoller(timeoutMs); watching starts at Add, there is no Run
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	if err := p.Add(srv, "server"); err != nil { // poller.Add(server.FD())
		log.Fatal(err)
	}

	lines := make(chan string)
	go func() {
		m, err := sctp.NewBatch(8, 2048) // CreateMultiMsg(8, 2048)
		if err != nil {
			log.Fatal(err)
		}
		defer m.Close() // DestroyMultiMsg(&m)
		for {
			ready, err := p.Next(context.Background()) // PollerQueue.Pop(), but it waits
			if err != nil {
				lines <- fmt.Sprint("worker: poller closed: ", errors.Is(err, net.ErrClosed))
				return
			}
			serveReady(ready, m, lines)
		}
	}()

	cli, err := sctp.NewEndpoint("sctp4", nil) // NewSctpClient(host, port), one-to-many
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	sa := srv.LocalAddr().(*sctp.Addr)
	to := netip.AddrPortFrom(sa.IPs[0], uint16(sa.Port))
	out, err := sctp.NewBatch(6, 64)
	if err != nil {
		log.Fatal(err)
	}
	defer out.Close()
	for i := 0; i < 6; i++ {
		if err := out.QueueTo([]byte(fmt.Sprintf("job %d", i+1)), &sctp.SndInfo{Stream: uint16(i % 2), PPID: 500 + uint32(i)}, to); err != nil {
			log.Fatal(err)
		}
	}
	cli.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := cli.WriteBatch(out); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		fmt.Println(<-lines)
	}
	p.Close() // wakes the worker's Next
	fmt.Println(<-lines)
	// Output:
	// server: "job 1" on stream 0, PPID 500
	// server: "job 2" on stream 1, PPID 501
	// server: "job 3" on stream 0, PPID 502
	// server: "job 4" on stream 1, PPID 503
	// server: "job 5" on stream 0, PPID 504
	// server: "job 6" on stream 1, PPID 505
	// worker: poller closed: true
}

// serveReady reads the socket that ready holds into m, once, as many messages as m has slots for,
// and processes them before giving the socket back. It need not loop until the socket is empty, as
// a worker on the old queue had to: the poller is level-triggered, and produces a socket that still
// holds messages again as soon as Done gives it back.
func serveReady(ready sctp.Ready, m *sctp.Batch, lines chan<- string) {
	defer ready.Done()
	if ready.Err != nil {
		return // the socket was closed, or its read deadline passed; its registration has ended
	}
	n, err := ready.Source.ReadBatch(m)
	if err != nil {
		return
	}
	for i := 0; i < n; i++ {
		if info := m.Info(i); !info.IsNotification() {
			lines <- fmt.Sprintf("%s: %q on stream %d, PPID %d", ready.Data, m.Bytes(i), info.Stream, info.PPID)
		}
	}
}
