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

// An echo server on a Receiver: four workers serve every accepted connection, and the handler sends
// each message back on the stream it came on. The handler's batch lends its bytes only until the
// handler returns, which is enough here: WriteMsg has copied them before that.
func ExampleReceiver() {
	l, err := sctp.Listen("sctp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	r, err := sctp.NewReceiver(4, func(src sctp.Source, b *sctp.Batch) error {
		c := src.(*sctp.SCTPConn)
		for i := 0; i < b.Len(); i++ {
			if info := b.Info(i); !info.IsNotification() {
				if _, err := c.WriteMsg(b.Bytes(i), &sctp.SndInfo{Stream: info.Stream, PPID: info.PPID}); err != nil {
					return err // ends this connection's registration
				}
			}
		}
		return nil
	}, sctp.WithErrorHandler(func(src sctp.Source, err error) {
		src.(*sctp.SCTPConn).Close() // io.EOF: the client is done
	}))
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	for i, name := range []string{"alice", "bob", "carol"} {
		c, err := sctp.Dial("sctp", l.Addr().String())
		if err != nil {
			log.Fatal(err)
		}
		srv, err := l.AcceptSCTP()
		if err != nil {
			log.Fatal(err)
		}
		if err := r.Add(srv); err != nil {
			log.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.WriteMsg([]byte("hello from "+name), &sctp.SndInfo{Stream: uint16(i), PPID: 7}); err != nil {
			log.Fatal(err)
		}
		buf := make([]byte, 1024)
		var info sctp.RcvInfo
		n, err := c.ReadMsg(buf, &info)
		for err == nil && info.IsNotification() {
			n, err = c.ReadMsg(buf, &info)
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%q on stream %d, PPID %d\n", buf[:n], info.Stream, info.PPID)
		c.Close()
	}
	// Output:
	// "hello from alice" on stream 0, PPID 7
	// "hello from bob" on stream 1, PPID 7
	// "hello from carol" on stream 2, PPID 7
}

// A Poller hands a ready socket to one worker at a time: the worker reads it once, processes what
// it read, and only then gives it back with Done (deferred here), so that messages are processed in
// the order they came even with several workers.
func ExamplePoller() {
	srv, err := sctp.ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	p, err := sctp.NewPoller(0)
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close() // wakes the workers' Next with net.ErrClosed
	if err := p.Add(srv, "server"); err != nil {
		log.Fatal(err)
	}
	lines := make(chan string)
	for w := 0; w < 3; w++ {
		go func() {
			b, err := sctp.NewBatch(16, 2048)
			if err != nil {
				log.Fatal(err)
			}
			defer b.Close()
			for {
				ready, err := p.Next(context.Background())
				if err != nil {
					return // the poller was closed
				}
				drain(ready, b, lines)
			}
		}()
	}

	cli, err := sctp.NewEndpoint("sctp4", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	sa := srv.LocalAddr().(*sctp.Addr)
	to := netip.AddrPortFrom(sa.IPs[0], uint16(sa.Port))
	for _, m := range []string{"one", "two", "three", "four"} {
		if _, err := cli.WriteMsgTo([]byte(m), nil, to); err != nil {
			log.Fatal(err)
		}
	}
	for i := 0; i < 4; i++ {
		fmt.Println(<-lines)
	}
	// Output:
	// server: "one"
	// server: "two"
	// server: "three"
	// server: "four"
}

// drain reads the socket that ready holds, once, and processes each data message before giving the
// socket back.
func drain(ready sctp.Ready, b *sctp.Batch, lines chan<- string) {
	defer ready.Done()
	if ready.Err != nil {
		return // the socket was closed, or its read deadline passed
	}
	n, err := ready.Source.ReadBatch(b)
	if err != nil {
		return
	}
	for i := 0; i < n; i++ {
		if !b.Info(i).IsNotification() {
			lines <- fmt.Sprintf("%s: %q", ready.Data, b.Bytes(i))
		}
	}
}
