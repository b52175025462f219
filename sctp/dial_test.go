// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"fmt"
	"io"
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
	go func() {
		for i := 0; ; i++ {
			c, err := l.AcceptSCTP()
			if err != nil {
				return // the listener was closed
			}
			c.Write([]byte("hello " + strconv.Itoa(i)))
			c.Close()
		}
	}()
	d := &Dialer{Timeout: 10 * time.Second}
	failed := 0
	var first error
	start := time.Now()
	for i := 0; i < dials; i++ {
		if err := dialAndRead(d, l.Addr().String(), "hello "+strconv.Itoa(i)); err != nil {
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
