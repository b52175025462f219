// SPDX-License-Identifier: MIT

// Command gocurve is bench/curve for the Go package: how the cost of receiving grows with the number
// of associations (1 to 10,000), through the Go Receiver and the Go Poller. N one-to-one client
// sockets, each with its own association, send 100-byte messages to N accepted connections, which
// are registered with the model under test:
//
//	receiver  sctp.NewReceiver with 2 workers; the handler counts the batch's data messages
//	poller    sctp.NewPoller and 2 worker goroutines: Next, ReadBatch until a short batch, Done
//
// Both models keep one goroutine per registered socket (parked in Go's netpoller, holding no OS
// thread), so the memory per association includes one goroutine stack: that is measured here.
// Shapes and figures are bench/curve's (see its comment): saturate and trickle; messages/s, server
// CPU per message (process CPU less the sender's thread), reads (ReadBatch calls) and wakeups
// (handler calls or Next returns) per message, user memory per association (resident set, and Go's
// heap plus stacks, after setup less before) and kernel slab per association (both ends).
//
//	make B=build gobench-build && scripts/sctp-run -t 1800 build/go/gocurve -json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/sctpio/sctpio/sctp"
)

var (
	assocList = flag.String("n", "1,10,100,1000,10000", "association counts")
	modelList = flag.String("m", "receiver,poller", "models")
	shapeList = flag.String("s", "saturate,trickle", "traffic shapes")
	seconds   = flag.Float64("t", 3, "seconds of sending per point (trickle: at least 3 intervals)")
	capRate   = flag.Float64("R", 2000, "most messages/s in all on the trickle shape (stretches the 100 ms interval)")
	asJSON    = flag.Bool("json", false, "one JSON document instead of a table")
)

const (
	msgSize = 100
	slots   = 64
	workers = 2
)

type point struct {
	Model           string  `json:"model"`
	Assocs          int     `json:"assocs"`
	Shape           string  `json:"shape"`
	Rate            float64 `json:"msgs_per_s"`
	CPUus           float64 `json:"cpu_us_per_msg"`
	Reads           float64 `json:"reads_per_msg"`
	Wakeups         float64 `json:"wakeups_per_msg"`
	UserRSS         int64   `json:"user_bytes_per_assoc"`
	GoMem           int64   `json:"go_heap_stack_bytes_per_assoc"`
	Kernel          int64   `json:"kernel_slab_bytes_per_assoc"`
	IntervalMs      float64 `json:"interval_ms"`
	Sent, Received  uint64
	GoroutinesAdded int `json:"goroutines_per_assoc"`
}

// run is one model serving N associations.
type run struct {
	model    string
	cli      []int // the client sockets' descriptors (the sender writes to them directly)
	cliConns []*sctp.SCTPConn
	srv      []*sctp.SCTPConn
	l        *sctp.Listener
	received atomic.Uint64
	reads    atomic.Uint64
	wakeups  atomic.Uint64
	stop     func()
}

func die(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "gocurve: "+format+"\n", a...)
	os.Exit(1)
}

// countData counts the data messages of the batch's last read.
func (r *run) countData(b *sctp.Batch) {
	n := 0
	for i := 0; i < b.Len(); i++ {
		if !b.Info(i).IsNotification() {
			n++
		}
	}
	r.received.Add(uint64(n))
}

func setup(model string, n int) *run {
	r := &run{model: model}
	var err error
	r.l, err = (&sctp.ListenConfig{Backlog: 4096, Events: sctp.NoEvents, ReadBuffer: 4 << 20}).
		Listen(context.Background(), "sctp", "127.0.0.1:0")
	if err != nil {
		die("listen: %v", err)
	}
	accepted := make(chan *sctp.SCTPConn, 256)
	go func() {
		for i := 0; i < n; i++ {
			c, err := r.l.AcceptSCTP()
			if err != nil {
				die("accept: %v", err)
			}
			accepted <- c
		}
	}()
	d := &sctp.Dialer{Events: sctp.NoEvents}
	for i := 0; i < n; i++ {
		c, err := d.Dial("sctp", r.l.Addr().String())
		if err != nil {
			die("dial %d: %v", i, err)
		}
		rc, _ := c.SyscallConn()
		rc.Control(func(fd uintptr) { r.cli = append(r.cli, int(fd)) })
		r.cliConns = append(r.cliConns, c)
		r.srv = append(r.srv, <-accepted)
	}
	switch model {
	case "receiver":
		rcv, err := sctp.NewReceiver(workers, func(src sctp.Source, b *sctp.Batch) error {
			r.wakeups.Add(1)
			r.reads.Add(1)
			r.countData(b)
			return nil
		}, sctp.WithBatchSize(slots, 2048))
		if err != nil {
			die("NewReceiver: %v", err)
		}
		for _, c := range r.srv {
			if err := rcv.Add(c); err != nil {
				die("Receiver.Add: %v", err)
			}
		}
		r.stop = func() { rcv.Close() }
	case "poller":
		p, err := sctp.NewPoller(1024)
		if err != nil {
			die("NewPoller: %v", err)
		}
		for _, c := range r.srv {
			if err := p.Add(c, nil); err != nil {
				die("Poller.Add: %v", err)
			}
		}
		done := make(chan struct{})
		for w := 0; w < workers; w++ {
			go func() {
				b, _ := sctp.NewBatch(slots, 2048)
				defer b.Close()
				for {
					ready, err := p.Next(context.Background())
					if err != nil {
						done <- struct{}{}
						return
					}
					r.wakeups.Add(1)
					for {
						k, err := ready.Source.ReadBatch(b)
						r.reads.Add(1)
						if err != nil {
							break
						}
						r.countData(b)
						if k < slots {
							break
						}
					}
					ready.Done()
				}
			}()
		}
		r.stop = func() {
			p.Close()
			for w := 0; w < workers; w++ {
				<-done
			}
		}
	default:
		die("unknown model %q", model)
	}
	return r
}

func (r *run) teardown() {
	r.stop()
	for i := range r.srv {
		r.srv[i].Close()
		r.cliConns[i].Close()
	}
	r.l.Close()
}

// cpuNs reads a CPU clock (CLOCK_PROCESS_CPUTIME_ID 2, CLOCK_THREAD_CPUTIME_ID 3).
func cpuNs(clock uintptr) uint64 {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clock, uintptr(unsafe.Pointer(&ts)), 0)
	return uint64(ts.Sec)*1e9 + uint64(ts.Nsec)
}

// measure sends on the clients for secs (every interval per client, spread evenly; 0: as fast as the
// sockets take it) from a goroutine locked to its thread, waits until everything sent is received,
// and computes the point.
func (r *run) measure(secs float64, interval time.Duration) point {
	p := point{IntervalMs: float64(interval) / 1e6}
	r0, c0, w0 := r.received.Load(), r.reads.Load(), r.wakeups.Load()
	type res struct{ sent, cpu uint64 }
	out := make(chan res)
	pcpu0 := cpuNs(2)
	t0 := time.Now()
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		scpu0 := cpuNs(3)
		msg := make([]byte, msgSize)
		end := t0.Add(time.Duration(secs * 1e9))
		step := interval / time.Duration(len(r.cli))
		var sent uint64
		for j := 0; ; j++ {
			now := time.Now()
			if now.After(end) {
				break
			}
			if interval > 0 {
				if due := t0.Add(time.Duration(j) * step); due.Sub(now) > time.Millisecond {
					time.Sleep(due.Sub(now))
				}
			}
			if k, err := syscall.Write(r.cli[j%len(r.cli)], msg); err == nil && k == msgSize {
				sent++
			}
		}
		for deadline := time.Now().Add(30 * time.Second); r.received.Load()-r0 < sent; {
			if time.Now().After(deadline) {
				die("the server did not get every message in 30 s")
			}
			time.Sleep(200 * time.Microsecond)
		}
		out <- res{sent, cpuNs(3) - scpu0}
	}()
	s := <-out
	elapsed := time.Since(t0)
	pcpu := cpuNs(2) - pcpu0
	p.Sent, p.Received = s.sent, r.received.Load()-r0
	n := float64(max(p.Received, 1))
	p.Rate = float64(p.Received) / elapsed.Seconds()
	if pcpu > s.cpu {
		p.CPUus = float64(pcpu-s.cpu) / 1e3 / n
	}
	p.Reads = float64(r.reads.Load()-c0) / n
	p.Wakeups = float64(r.wakeups.Load()-w0) / n
	return p
}

func rssBytes() int64 {
	b, _ := os.ReadFile("/proc/self/statm")
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	v, _ := strconv.ParseInt(f[1], 10, 64)
	return v * int64(os.Getpagesize())
}

func slabBytes() int64 {
	b, _ := os.ReadFile("/proc/meminfo")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "Slab:") {
			v, _ := strconv.ParseInt(strings.Fields(l)[1], 10, 64)
			return v * 1024
		}
	}
	return 0
}

func goMem() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}

func main() {
	flag.Parse()
	lim := syscall.Rlimit{Cur: 65536, Max: 65536}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		fmt.Fprintf(os.Stderr, "gocurve: setrlimit: %v (large N may fail)\n", err)
	}
	var pts []point
	if !*asJSON {
		fmt.Printf("%-8s %6s %-9s %9s %9s %8s %8s %9s %9s %9s %5s\n", "model", "assocs", "shape", "msgs/s",
			"cpu/msg", "read/msg", "wake/msg", "rss/asc", "go/asc", "kern/asc", "g/asc")
	}
	for _, model := range strings.Split(*modelList, ",") {
		for _, ns := range strings.Split(*assocList, ",") {
			n, err := strconv.Atoi(ns)
			if err != nil || n < 1 {
				die("bad association count %q", ns)
			}
			rss0, slab0, gm0, g0 := rssBytes(), slabBytes(), goMem(), runtime.NumGoroutine()
			r := setup(model, n)
			rss, slab, gm := (rssBytes()-rss0)/int64(n), (slabBytes()-slab0)/int64(n), (goMem()-gm0)/int64(n)
			g := (runtime.NumGoroutine() - g0) / n
			for _, shape := range strings.Split(*shapeList, ",") {
				var interval time.Duration
				secs := *seconds
				if shape == "trickle" {
					interval = 100 * time.Millisecond
					if float64(n)/0.1 > *capRate {
						interval = time.Duration(float64(n) / *capRate * 1e9)
					}
					secs = max(secs, 3*interval.Seconds())
				}
				p := r.measure(secs, interval)
				p.Model, p.Assocs, p.Shape = model, n, shape
				p.UserRSS, p.GoMem, p.Kernel, p.GoroutinesAdded = rss, gm, slab, g
				pts = append(pts, p)
				if !*asJSON {
					fmt.Printf("%-8s %6d %-9s %9.0f %7.2fus %8.3f %8.3f %8dB %8dB %8dB %5d\n", model, n, shape,
						p.Rate, p.CPUus, p.Reads, p.Wakeups, rss, gm, slab, g)
				}
			}
			r.teardown()
		}
	}
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(map[string]any{"tool": "bench/go/gocurve", "size": msgSize, "slots": slots,
			"workers": workers, "seconds": *seconds, "trickle_cap": *capRate, "go_version": runtime.Version(),
			"points": pts})
	}
}
