// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"errors"
	"io"
	"os"
	"syscall"
	"testing"
	"time"
)

// peeledPair returns a client connection and, on the server's side, the connection its association
// was peeled off onto from a one-to-many endpoint (whose COMM_UP gave the id). Both have 20 s
// deadlines.
func peeledPair(t *testing.T) (cli, peeled *SCTPConn) {
	t.Helper()
	srv, err := ListenEndpoint("sctp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if cli, err = Dial("sctp", srv.LocalAddr().String()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	srv.SetReadDeadline(time.Now().Add(20 * time.Second))
	buf := make([]byte, 1024)
	var info RcvInfo
	var id AssocID
	for id == 0 {
		n, err := srv.ReadMsgFrom(buf, &info)
		if err != nil {
			t.Fatal(err)
		}
		if note, err := ParseNotification(buf[:n]); err == nil && info.IsNotification() {
			if ac, ok := note.(*AssocChange); ok && ac.State == CommUp {
				id = ac.AssocID
			}
		}
	}
	if peeled, err = srv.PeelOff(id); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peeled.Close() })
	if ids, err := srv.AssocIDs(); err != nil || len(ids) != 0 {
		t.Fatalf("the endpoint's associations after the peeloff: %v, %v; want none", ids, err)
	}
	for _, c := range []*SCTPConn{cli, peeled} {
		c.SetDeadline(time.Now().Add(20 * time.Second))
	}
	return cli, peeled
}

// readData reads c's next data message, skipping notifications.
func readData(c *SCTPConn, buf []byte, info *RcvInfo) (int, error) {
	for {
		n, err := c.ReadMsg(buf, info)
		if err != nil || !info.IsNotification() {
			return n, err
		}
	}
}

// A connection peeled off an endpoint keeps SCTPConn's promises: messages both ways with their
// stream and PPID, io.EOF after either side's graceful shutdown, ECONNRESET after either side's
// abort, on every read from then on. Linux makes the peeled socket a third kind (SOCK_SEQPACKET
// holding one association, for which shutdown(2) sends no SHUTDOWN), so none of this follows from
// the accepted connections' tests.
func TestPeeledConnKeepsTheConnPromises(t *testing.T) {
	needSCTP(t)
	buf := make([]byte, 256)
	var info RcvInfo
	exchange := func(t *testing.T, cli, peeled *SCTPConn) {
		t.Helper()
		if _, err := cli.WriteMsg([]byte("ping"), &SndInfo{Stream: 3, PPID: 46}); err != nil {
			t.Fatal(err)
		}
		n, err := readData(peeled, buf, &info)
		if err != nil || string(buf[:n]) != "ping" || info.Stream != 3 || info.PPID != 46 {
			t.Fatalf("peeled side read %q on stream %d PPID %d, %v; want \"ping\" on 3, 46", buf[:n], info.Stream, info.PPID, err)
		}
		if _, err := peeled.WriteMsg([]byte("pong"), &SndInfo{Stream: 4, PPID: 47}); err != nil {
			t.Fatal(err)
		}
		n, err = readData(cli, buf, &info)
		if err != nil || string(buf[:n]) != "pong" || info.Stream != 4 || info.PPID != 47 {
			t.Fatalf("client read %q on stream %d PPID %d, %v; want \"pong\" on 4, 47", buf[:n], info.Stream, info.PPID, err)
		}
	}
	// ends reads c twice: the rest of the data (want, in order), then err on both reads.
	ends := func(t *testing.T, who string, c *SCTPConn, want []string, end error) {
		t.Helper()
		for _, w := range want {
			n, err := c.Read(buf)
			if err != nil || string(buf[:n]) != w {
				t.Fatalf("%s read %q, %v; want %q", who, buf[:n], err, w)
			}
		}
		for i := 0; i < 2; i++ {
			_, err := c.Read(buf)
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("%s: Read %d blocked until its deadline instead of ending", who, i+1)
			}
			if !errors.Is(err, end) {
				t.Fatalf("%s: Read %d = %v; want %v", who, i+1, err, end)
			}
		}
	}
	// Each side in turn ends the association, gracefully (a last message, then CloseWrite: the other
	// side reads it, then io.EOF, and so does the closing side) or by aborting it (the other side
	// reads ECONNRESET).
	for _, closer := range []string{"Client", "Peeled"} {
		sides := func(cli, peeled *SCTPConn) (closing, other *SCTPConn, cname, oname string) {
			if closer == "Client" {
				return cli, peeled, "client", "peeled side"
			}
			return peeled, cli, "peeled side", "client"
		}
		t.Run(closer+"CloseWrite", func(t *testing.T) {
			cli, peeled := peeledPair(t)
			exchange(t, cli, peeled)
			c, o, cname, oname := sides(cli, peeled)
			if _, err := c.Write([]byte("last")); err != nil {
				t.Fatal(err)
			}
			if err := c.CloseWrite(); err != nil {
				t.Fatal(err)
			}
			ends(t, oname, o, []string{"last"}, io.EOF)
			ends(t, cname, c, nil, io.EOF)
		})
		t.Run(closer+"Abort", func(t *testing.T) {
			cli, peeled := peeledPair(t)
			exchange(t, cli, peeled)
			c, o, _, oname := sides(cli, peeled)
			if err := c.Abort(); err != nil {
				t.Fatal(err)
			}
			ends(t, oname, o, nil, syscall.ECONNRESET)
		})
	}
	t.Run("PeeledWithoutEventsWriteTakesTheAbort", func(t *testing.T) {
		cli, peeled := peeledPair(t)
		exchange(t, cli, peeled)
		if err := peeled.Subscribe(NoEvents); err != nil {
			t.Fatal(err)
		}
		if err := cli.Abort(); err != nil {
			t.Fatal(err)
		}
		var werr error
		for werr == nil {
			_, werr = peeled.Write([]byte("x"))
		}
		if !errors.Is(werr, syscall.ECONNRESET) {
			t.Fatalf("the Write that saw the abort: %v, want ECONNRESET", werr)
		}
		ends(t, "peeled side", peeled, nil, syscall.ECONNRESET)
	})
}
