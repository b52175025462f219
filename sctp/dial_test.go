// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestDialAnAssociationThatCameUpAndWentReadsItsData dials, again and again, a server that accepts,
// writes one message and closes at once: the association often comes up and is gone again before
// the dialer looks, leaving neither SCTP_STATUS nor SO_ERROR behind. Every dial must succeed, and
// read the server's message, then io.EOF. SCTPIO_DIAL_PROBE sets the number of dials (default 50;
// the probe is 1000).
func TestDialAnAssociationThatCameUpAndWentReadsItsData(t *testing.T) {
	needSCTP(t)
	dials := 50
	if s := os.Getenv("SCTPIO_DIAL_PROBE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("SCTPIO_DIAL_PROBE=%q: want a count", s)
		}
		dials = n
	}
	l := loopbackListener(t)
	var acceptErrs []error
	served := make(chan struct{})
	go func() {
		defer close(served)
		for {
			c, err := l.AcceptSCTP()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				acceptErrs = append(acceptErrs, err)
				continue
			}
			c.Write([]byte("hello"))
			c.Close()
		}
	}()
	defer func() {
		l.Close()
		<-served
		if len(acceptErrs) > 0 {
			t.Errorf("%d accepts failed; the first: %v", len(acceptErrs), acceptErrs[0])
		}
	}()
	d := &Dialer{Timeout: 10 * time.Second}
	failed := 0
	var first error
	start := time.Now()
	for i := 0; i < dials; i++ {
		if i > 0 && i%100 == 0 && dials > 100 {
			fmt.Fprintf(os.Stderr, "%d dials in %v, %d failed\n", i, time.Since(start).Round(time.Millisecond), failed)
		}
		if err := dialAndRead(d, l.Addr().String(), "hello"); err != nil {
			failed++
			if first == nil {
				first = fmt.Errorf("dial %d: %w", i, err)
			}
		}
	}
	t.Logf("%d dials in %v, %d failed", dials, time.Since(start).Round(time.Millisecond), failed)
	if failed > 0 {
		t.Fatalf("%d of %d dials failed; the first: %v", failed, dials, first)
	}
}

func dialAndRead(d *Dialer, addr, want string) error {
	c, err := d.Dial("sctp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != want {
		return fmt.Errorf("read %q, %v; want %q", buf[:n], err, want)
	}
	if n, err = c.Read(buf); err != io.EOF {
		return fmt.Errorf("after the message: read %q, %v; want io.EOF", buf[:n], err)
	}
	return nil
}
