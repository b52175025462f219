// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp_test

// This file uses the package the way fiorix/go-diameter's diam/network_sctp.go uses
// ishidawataru/sctp (written afresh here, not copied): a multi-stream net.Conn that embeds
// *sctp.SCTPConn and subscribes it to data-io events, reads with SCTPRead keeping the stream
// (checking n < 0 and a nil SndRcvInfo), writes with SCTPWrite and the Diameter PPID, a dialer
// that resolves with ResolveSCTPAddr and dials with DialSCTPExt and an InitMsg, returning the
// (*SCTPConn, error) pair as (net.Conn, error), and a listener embedding *sctp.SCTPListener
// whose Accept wraps AcceptSCTP. That it compiles is half the test; TestGoDiameterShape runs it.

import (
	"bytes"
	"fmt"
	"net"
	"sync"
	"testing"

	"github.com/sctpio/sctpio/compat/ishidawataru/sctp"
)

const (
	diamStreams   = 16
	invalidStream = ^uint(0)
)

// multiConn is a stream-aware connection: what a Diameter peer reads and writes.
type multiConn struct {
	*sctp.SCTPConn
	mu      sync.Mutex
	pending map[uint][][]byte // messages read for another stream than the one asked for, in order
}

func newMultiConn(c *sctp.SCTPConn) net.Conn {
	if c == nil {
		return nil
	}
	c.SubscribeEvents(sctp.SCTP_EVENT_DATA_IO)
	return &multiConn{SCTPConn: c, pending: map[uint][][]byte{}}
}

// readAny reads from whichever stream has data.
func (m *multiConn) readAny(b []byte) (int, uint, error) {
	m.mu.Lock()
	for s := range m.pending {
		if n, ok := m.takeLocked(b, s); ok {
			m.mu.Unlock()
			return n, s, nil
		}
	}
	m.mu.Unlock()
	var info *sctp.SndRcvInfo
	n, info, err := m.SCTPRead(b)
	if n < 0 {
		n = 0
	}
	stream := invalidStream
	if info != nil {
		stream = uint(info.Stream)
	}
	return n, stream, err
}

// readStream reads from one stream, keeping what arrives for the others.
func (m *multiConn) readStream(b []byte, stream uint) (int, error) {
	for {
		m.mu.Lock()
		if n, ok := m.takeLocked(b, stream); ok {
			m.mu.Unlock()
			return n, nil
		}
		m.mu.Unlock()
		n, info, err := m.SCTPRead(b)
		if n <= 0 {
			return 0, err
		}
		got := invalidStream
		if info != nil {
			got = uint(info.Stream)
		}
		if got == stream {
			return n, err
		}
		m.mu.Lock()
		m.pending[got] = append(m.pending[got], bytes.Clone(b[:n]))
		m.mu.Unlock()
	}
}

// takeLocked copies the oldest message kept for stream into b; called with mu held.
func (m *multiConn) takeLocked(b []byte, stream uint) (int, bool) {
	q := m.pending[stream]
	if len(q) == 0 {
		return 0, false
	}
	n := copy(b, q[0])
	if len(q) == 1 {
		delete(m.pending, stream)
	} else {
		m.pending[stream] = q[1:]
	}
	return n, true
}

// writeStream sends b on stream with the Diameter PPID.
func (m *multiConn) writeStream(b []byte, stream uint) (int, error) {
	info := &sctp.SndRcvInfo{PPID: diameterPPID}
	if stream != invalidStream {
		info.Stream = uint16(stream)
	}
	return m.SCTPWrite(b, info)
}

type diamDialer struct{ LocalAddr *sctp.SCTPAddr }

func (d diamDialer) Dial(network, address string) (net.Conn, error) {
	raddr, err := sctp.ResolveSCTPAddr(network, address)
	if err != nil {
		return nil, err
	}
	c, err := sctp.DialSCTPExt(network, d.LocalAddr, raddr,
		sctp.InitMsg{NumOstreams: diamStreams, MaxInstreams: diamStreams})
	return newMultiConn(c), err
}

// singleStreamDial returns DialSCTPExt's pair as a net.Conn directly, as a stream-unaware
// dialer does.
func singleStreamDial(network, address string) (net.Conn, error) {
	raddr, err := sctp.ResolveSCTPAddr(network, address)
	if err != nil {
		return nil, err
	}
	return sctp.DialSCTPExt(network, nil, raddr, sctp.InitMsg{NumOstreams: diamStreams, MaxInstreams: diamStreams})
}

type diamListener struct{ *sctp.SCTPListener }

func (l diamListener) Accept() (net.Conn, error) {
	c, err := l.AcceptSCTP()
	return newMultiConn(c), err
}

var _ net.Listener = diamListener{}

func TestGoDiameterShape(t *testing.T) {
	needSCTP(t)
	laddr, err := sctp.ResolveSCTPAddr("sctp", "127.0.0.1/127.0.0.2:0")
	if err != nil {
		t.Fatal(err)
	}
	sl, err := sctp.ListenSCTP("sctp", laddr)
	if err != nil {
		t.Fatal(err)
	}
	ln := diamListener{sl}
	defer ln.Close()
	served := make(chan error, 1)
	go func() {
		served <- func() error {
			c, err := ln.Accept()
			if err != nil {
				return err
			}
			defer c.Close()
			m := c.(*multiConn)
			buf := make([]byte, 256)
			// The requests come on streams 1 and 2 interleaved; the server reads stream 2 first,
			// so that stream 1's are kept for it, then answers each on its stream.
			for _, stream := range []uint{2, 2, 1, 1} {
				n, err := m.readStream(buf, stream)
				if err != nil {
					return err
				}
				if _, err := m.writeStream(append([]byte("re:"), buf[:n]...), stream); err != nil {
					return err
				}
			}
			return nil
		}()
	}()
	addr := ln.Addr().String()
	c, err := diamDialer{}.Dial("sctp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m := c.(*multiConn)
	for i, stream := range []uint{1, 2, 1, 2} {
		if _, err := m.writeStream([]byte(fmt.Sprintf("req%d", i)), stream); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]uint{"re:req1": 2, "re:req3": 2, "re:req0": 1, "re:req2": 1}
	buf := make([]byte, 256)
	for len(want) > 0 {
		n, stream, err := m.readAny(buf)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := want[string(buf[:n])]
		if !ok || s != stream {
			t.Fatalf("answer %q on stream %d; want one of %v", buf[:n], stream, want)
		}
		delete(want, string(buf[:n]))
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	// The listener's backlog takes the association though nobody accepts it.
	sc, err := singleStreamDial("sctp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sc.(*sctp.SCTPConn); !ok {
		t.Errorf("single-stream dial gave a %T", sc)
	}
	sc.Close()
}
