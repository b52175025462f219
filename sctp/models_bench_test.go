// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/sctpio/sctpio/sctp/internal/cgobench"
)

// The models benchmarks read 64-byte messages that feeder goroutines send as fast as they can over
// loopback associations (benchPair), with a plain ReadBatch loop (one goroutine per socket), a
// Receiver and a Poller of 4 workers, each reading into batches of 2048-byte slots. One op is
// one message; allocs/op is per message. The Cgo benchmarks measure one crossing between Go and C
// each way, the per-event cost of a design in which C threads call Go, and the readiness probe.
// Run them through the harness, without the race detector; on a loaded emulator, rounds interleaved
// in time compare better than -test.count:
//
//	go test -c -o build-gomodels/sctp-norace.test ./sctp/
//	scripts/sctp-run sh -c 'for r in 1 2 3 4 5; do build-gomodels/sctp-norace.test -test.run - \
//		-test.bench "Models|Cgo" -test.benchmem -test.benchtime 1s; done'

// counter counts messages and closes done once b.N have come.
type counter struct {
	n    atomic.Int64
	want int64
	once sync.Once
	done chan struct{}
}

func (c *counter) add(n int) {
	if c.n.Add(int64(n)) >= c.want {
		c.once.Do(func() { close(c.done) })
	}
}

// BenchmarkModels runs each model on 1 and 4 sockets, with batches of 64 slots (the sender is the
// bottleneck) and of 1 slot (one message per event: the reading side is, so that the per-event cost
// of each model shows).
func BenchmarkModels(b *testing.B) {
	models := []struct {
		name string
		m    model
	}{{"plain", benchPlain}, {"receiver", benchReceiver}, {"poller", benchPoller}}
	for _, slots := range []int{64, 1} {
		for _, socks := range []int{1, 4} {
			for _, m := range models {
				m, slots, socks := m, slots, socks
				b.Run(fmt.Sprintf("%s/slots=%d/sockets=%d", m.name, slots, socks), func(b *testing.B) {
					benchModel(b, socks, slots, m.m)
				})
			}
		}
	}
}

// A model serves srcs with batches of slots slots until c is done, counting messages and batches,
// and returns a function that stops it and waits.
type model func(b *testing.B, srcs []Source, slots int, c *counter, batches *atomic.Int64) (stop func())

func benchModel(b *testing.B, socks, slots int, m model) {
	srcs := make([]Source, socks)
	for i := range srcs {
		c, stop := benchPair(b, true)
		defer stop()
		srcs[i] = c
	}
	c := &counter{want: int64(b.N), done: make(chan struct{})}
	var batches atomic.Int64
	b.SetBytes(benchMsg)
	b.ReportAllocs()
	b.ResetTimer()
	stop := m(b, srcs, slots, c, &batches)
	<-c.done
	b.StopTimer()
	stop()
	report(b, int(c.n.Load()))
	b.ReportMetric(float64(c.n.Load())/float64(batches.Load()), "msgs/batch")
}

// benchPlain is the baseline: one goroutine per socket in a ReadBatch loop.
func benchPlain(b *testing.B, srcs []Source, slots int, c *counter, batches *atomic.Int64) func() {
	var wg sync.WaitGroup
	for _, src := range srcs {
		batch := newBatch(b, slots, 2048)
		wg.Add(1)
		go func(src Source) {
			defer wg.Done()
			for {
				select {
				case <-c.done:
					return
				default:
				}
				n, err := src.ReadBatch(batch)
				if err != nil {
					b.Error(err)
					return
				}
				batches.Add(1)
				c.add(n)
			}
		}(src)
	}
	return wg.Wait
}

func benchReceiver(b *testing.B, srcs []Source, slots int, c *counter, batches *atomic.Int64) func() {
	r, err := NewReceiver(4, func(_ Source, batch *Batch) error {
		batches.Add(1)
		c.add(batch.Len())
		return nil
	}, WithBatchSize(slots, 2048))
	if err != nil {
		b.Fatal(err)
	}
	for _, src := range srcs {
		if err := r.Add(src); err != nil {
			b.Fatal(err)
		}
	}
	return func() { r.Close() }
}

func benchPoller(b *testing.B, srcs []Source, slots int, c *counter, batches *atomic.Int64) func() {
	p, err := NewPoller(0)
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		batch := newBatch(b, slots, 2048)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				r, err := p.Next(context.Background())
				if err != nil {
					if !errors.Is(err, net.ErrClosed) {
						b.Error(err)
					}
					return
				}
				n, err := r.Source.ReadBatch(batch)
				if err != nil {
					r.Done()
					b.Error(err)
					return
				}
				batches.Add(1)
				c.add(n)
				r.Done()
			}
		}()
	}
	for _, src := range srcs {
		if err := p.Add(src, nil); err != nil {
			b.Fatal(err)
		}
	}
	return func() { p.Close(); wg.Wait() }
}

// BenchmarkCgo: one op is one call of an empty function across the boundary: Go calling C (what
// the Receiver and the Poller do per event: the readiness probe, the read), C calling Go on a thread
// that Go made, and C calling Go on a thread that C made (what a pool of C threads calling a Go
// callback per event pays).
func BenchmarkCgo(b *testing.B) {
	b.Run("GoToC", func(b *testing.B) { cgobench.CallC(b.N) })
	b.Run("CToGo/GoThread", func(b *testing.B) {
		if err := cgobench.CallGo(b.N, false); err != nil {
			b.Fatal(err)
		}
	})
	b.Run("CToGo/CThread", func(b *testing.B) {
		if err := cgobench.CallGo(b.N, true); err != nil {
			b.Fatal(err)
		}
	})
	// The readiness probe of a wait, on an idle socket: a raw ppoll (what the models use) and poll
	// through cgo.
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer syscall.Close(fds[0])
	defer syscall.Close(fds[1])
	for _, p := range []struct {
		name  string
		probe func(uintptr) bool
	}{{"Probe/RawSyscall", readable}, {"Probe/Cgo", cgobench.Readable}} {
		probe := p.probe
		b.Run(p.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if probe(uintptr(fds[0])) {
					b.Fatal("an idle socket reads as ready")
				}
			}
		})
	}
}
