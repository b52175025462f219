// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"testing"
	"time"
)

// The benchmarks move 64-byte messages over one loopback association, one message per call
// (ReadMsg, WriteMsg) or many per system call (ReadBatch, WriteBatch), and report msgs/s. Run them
// through the harness: scripts/sctp-run build-go/sctp.test -test.run - -test.bench . -test.benchmem

const benchMsg = 64

// benchPair connects a pair and starts a goroutine that feeds or drains the far side until the
// benchmark ends; side is the connection the benchmark measures.
func benchPair(b *testing.B, feed bool) (side *SCTPConn, stop func()) {
	needSCTP(b)
	l, err := Listen("sctp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	acc := make(chan *SCTPConn, 1)
	go func() { c, _ := l.AcceptSCTP(); acc <- c }()
	cli, err := Dial("sctp", l.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	srv := <-acc
	l.Close()
	if srv == nil {
		b.Fatal("accept failed")
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		batch, _ := NewBatch(64, 2048)
		defer batch.Close()
		if feed { // cli sends until closed; the benchmark reads on srv
			msg := make([]byte, benchMsg)
			for {
				for batch.Pending() < batch.Slots() {
					batch.Queue(msg, nil)
				}
				if _, err := cli.WriteBatch(batch); err != nil {
					return
				}
			}
		}
		for { // cli drains until closed; the benchmark writes on srv
			if _, err := cli.ReadBatch(batch); err != nil {
				return
			}
		}
	}()
	srv.SetDeadline(time.Now().Add(5 * time.Minute))
	return srv, func() {
		srv.Close()
		cli.Close()
		<-done
	}
}

func report(b *testing.B, msgs int) {
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkReadMsg(b *testing.B) {
	c, stop := benchPair(b, true)
	defer stop()
	buf := make([]byte, 2048)
	var info RcvInfo
	b.SetBytes(benchMsg)
	b.ResetTimer()
	for got := 0; got < b.N; {
		if _, err := c.ReadMsg(buf, &info); err != nil {
			b.Fatal(err)
		}
		if !info.IsNotification() {
			got++
		}
	}
	report(b, b.N)
}

func BenchmarkReadBatch(b *testing.B) {
	c, stop := benchPair(b, true)
	defer stop()
	batch := newBatch(b, 64, 2048)
	b.SetBytes(benchMsg)
	b.ResetTimer()
	calls := 0
	for got := 0; got < b.N; calls++ {
		n, err := c.ReadBatch(batch)
		if err != nil {
			b.Fatal(err)
		}
		got += n
	}
	report(b, b.N)
	b.ReportMetric(float64(b.N)/float64(calls), "msgs/call")
}

func BenchmarkWriteMsg(b *testing.B) {
	c, stop := benchPair(b, false)
	defer stop()
	msg := make([]byte, benchMsg)
	b.SetBytes(benchMsg)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.WriteMsg(msg, nil); err != nil {
			b.Fatal(err)
		}
	}
	report(b, b.N)
}

func BenchmarkWriteBatch(b *testing.B) {
	c, stop := benchPair(b, false)
	defer stop()
	batch := newBatch(b, 64, benchMsg)
	msg := make([]byte, benchMsg)
	b.SetBytes(benchMsg)
	b.ResetTimer()
	for i := 0; i < b.N; {
		for batch.Pending() < batch.Slots() && i < b.N {
			batch.Queue(msg, nil)
			i++
		}
		if _, err := c.WriteBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
	report(b, b.N)
}
