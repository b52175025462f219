// SPDX-License-Identifier: MIT

// Command gobench measures how fast a Go program receives small SCTP messages: with sctpio's Go
// package (one message per call, and by batches), with github.com/ishidawataru/sctp, and, as the
// limit, with sctpio's C library (bench/drain, run from here so that every figure comes from the
// same run on the same machine). It prints one JSON document on stdout; bench/go/run starts
// it inside the harness of scripts/bench, which merges the document under "go". Progress goes to
// stderr. The host kernel may have no SCTP: run it through scripts/sctp-run.
//
// Every receiver is measured the same way, and the same way as bench/drain's receive side:
//
//   - One association on loopback (127.0.0.1) per receiver. Its far end is an sctpio connection, the
//     same for every receiver: it writes K messages of S bytes with WriteBatch (sendmmsg of 64), and
//     the program waits until the kernel reports all K in the receiving socket's queue (in-order DATA
//     chunks taken in, SCTP_GET_ASSOC_STATS; bench/drain waits the same way).
//   - Then the receiver drains exactly K whole data messages from the full queue, timed, and the
//     queue must then be empty. Only the receiver runs while the clock does: the sender is idle, so the
//     wall time, the CPU time of the whole process (getrusage: every thread, so the Go runtime's and
//     the garbage collector's work is counted) and of the reading thread alone (what bench/drain
//     reports; the goroutine is locked to its thread for the drain), and the heap allocations
//     (runtime.MemStats) are the receiver's.
//     Why a pre-filled queue rather than a concurrent writer: on loopback the sender's system call
//     does the receiver's kernel work too (the packet is processed in the sender's context), and a
//     sender is an order of magnitude slower than a receiver (bench/drain: some 16 000 against
//     200 000 msgs/s in the emulator), so with both running every receiver would show the sender's
//     rate (bench/go/peercmp measures with a concurrent writer).
//   - Every receiver first drains -warm messages untimed (a fresh emulated guest translates code the
//     first time it runs). Then rounds cycle through every receiver, so slow drift of a shared
//     machine hits them alike; each figure is the median of the rounds, and the best round's rate
//     is kept beside it.
//   - Round trip: on the same association, the receiver's side sends one S-byte message with its
//     package's own per-message write and reads the echo with the method under test; the far end
//     echoes with ReadMsg and WriteMsg. SCTP_NODELAY is on at both ends for this part only (the
//     drains run with the kernel's default, as bench/drain's). p50, p90 and p99 of N round trips.
//   - The C limit: bench/drain --json -c 1 (one association, like here) with the same K, S and
//     rounds: its sctpio_recv loop and its 64-slot sctpio_batch_recv drain. drain's server is a
//     one-to-many socket; the sctpio Endpoint row here is the same style, so the gap between Go and C
//     can be read with the socket style held equal. (No C round trip: nothing in C measures one in
//     this shape; sctpperf --rr differs in threads and polling.)
//
// github.com/georgeyanev/go-sctp is listed as unavailable: the module proxy refuses it, and this
// benchmark does not vendor a copy.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"syscall"
	"time"

	"github.com/sctpio/sctpio/sctp"
)

var (
	count    = flag.Int("k", 10000, "messages per drain (K)")
	size     = flag.Int("s", 100, "message size in bytes (S)")
	rounds   = flag.Int("r", 3, "rounds; each drains K messages with every receiver")
	rttN     = flag.Int("rtt", 1000, "round trips per receiver")
	warm     = flag.Int("warm", 2000, "messages drained, and round trips made, untimed before measuring")
	drainBin = flag.String("drain", "", "bench/drain binary, for the C drain figures (empty: skip)")
	limit    = flag.Duration("limit", 5*time.Minute, "give up (exit 1) after this long")
)

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "gobench: "+format+"\n", args...) }

func fatalf(format string, args ...any) {
	logf(format, args...)
	os.Exit(1)
}

func main() {
	flag.Parse()
	if *count < 1 || *size < 1 || *size > 2048 || *rounds < 1 || *rttN < 1 || *warm < 0 {
		fatalf("need -k >= 1, 1 <= -s <= 2048, -r >= 1, -rtt >= 1, -warm >= 0")
	}
	start := time.Now()
	time.AfterFunc(*limit, func() { fatalf("still running after %v: giving up", *limit) })
	rep := &report{Tool: "bench/go/gobench", K: *count, Size: *size, Rounds: *rounds, RTTCount: *rttN,
		Go: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Method: "K messages of S bytes pre-filled into one loopback association's receive queue by an idle sctpio " +
			"sender, then drained by the receiver, timed: wall clock, CPU of the process and of the reading thread, " +
			"heap allocations per message; median of the rounds. Round trip: one message in flight, written with " +
			"the package's own write, echoed by sctpio, SCTP_NODELAY on. C: bench/drain -c 1 in the same run."}

	// The C limit first, while this process holds no socket.
	var cPer, cBatch *row
	if *drainBin != "" {
		cPer, cBatch = cDrain(rep)
		logf("C drain done at %.0f s", time.Since(start).Seconds())
	}

	var rs []*receiver
	for _, open := range []func() (*receiver, error){
		func() (*receiver, error) { return sctpioConn(0) },
		func() (*receiver, error) { return sctpioConn(64) },
		func() (*receiver, error) { return sctpioEndpoint(64) },
		ishida,
	} {
		r, err := open()
		if err != nil {
			fatalf("setting up: %v", err)
		}
		rs = append(rs, r)
	}
	withFD(rs[0].raw, func(fd int) error {
		rep.Rcvbuf, _ = syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF)
		return nil
	})
	sendBatch, err := sctp.NewBatch(64, *size)
	if err != nil {
		fatalf("%v", err)
	}

	// Warm-up: a fresh emulated guest translates code the first time it runs; run every path once.
	if *warm > 0 {
		for _, r := range rs {
			if err := fill(r, *warm, sendBatch); err != nil {
				fatalf("%s: warm-up: %v", r.name, err)
			}
			if err := r.drain(*warm); err != nil {
				fatalf("%s: warm-up: %v", r.name, err)
			}
		}
	}
	for round := 1; round <= *rounds; round++ {
		for _, r := range rs {
			if err := measure(r, sendBatch); err != nil {
				fatalf("%s, round %d: %v", r.name, round, err)
			}
			i := len(r.rates) - 1
			rep.Runs = append(rep.Runs, roundRun{Name: r.name, Round: round, MsgsPerS: math.Round(r.rates[i]),
				CPUNs: math.Round(r.cpu[i]), ThreadNs: math.Round(r.tcpu[i]), Allocs: math.Round(r.allocs[i]*1000) / 1000,
				Bytes: math.Round(r.bytes[i]*10) / 10})
			logf("round %d: %-30s %7.0f msgs/s, CPU ns/msg %6.0f process %6.0f thread, %5.2f allocs/msg %6.1f B/msg",
				round, r.name, r.rates[i], r.cpu[i], r.tcpu[i], r.allocs[i], r.bytes[i])
		}
	}
	logf("drains done at %.0f s", time.Since(start).Seconds())
	for _, r := range rs {
		if err := roundTrips(r, *rttN); err != nil {
			fatalf("%s: %v", r.name, err)
		}
		sort.Slice(r.rtt, func(i, j int) bool { return r.rtt[i] < r.rtt[j] })
		logf("round trip: %-34s p50 %7.1f us p99 %7.1f us", r.name, pct(r.rtt, 50), pct(r.rtt, 99))
	}
	logf("round trips done at %.0f s", time.Since(start).Seconds())
	for _, r := range rs {
		r.close()
	}
	sendBatch.Close()

	summarise(rep, rs, cPer, cBatch)
	rep.ElapsedS = math.Round(time.Since(start).Seconds()*10) / 10
	out, err := json.Marshal(rep)
	if err != nil {
		fatalf("%v", err)
	}
	os.Stdout.Write(append(out, '\n'))
}
