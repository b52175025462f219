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
//     rounds, in both socket styles: its sctpio_recv and sctpio_send loops and its 64-slot batch
//     drain and send. Each Go row is compared with the C row of its own socket style (SCTPConn with
//     one-to-one, Endpoint with one-to-many), so that a ratio measures the binding, not the style.
//     (No C round trip: nothing in C measures one in this shape; sctpperf --rr differs in threads
//     and polling.)
//   - Send: the same shape the other way round (bench/drain's send rounds): the package under test
//     writes K messages, timed, into an association whose far end is an sctpio connection that
//     is idle while the clock runs; then the program waits until all K are in the far end's
//     queue and empties it, untimed. Every sender writes with SCTP_NODELAY on (sctpio's and
//     go-sctp's default; set for ishidawataru/sctp, which leaves Nagle on), so that the rows
//     compare write paths, not bundling. On loopback a send does the receiver's kernel work too,
//     so send rates sit far below receive rates and batching gains little (bench/drain shows the
//     same for C).
//   - Counters per message beside the clocks: cgo calls (runtime/metrics) and the measured
//     thread's context switches (/proc/thread-self/status), which show how many system calls and
//     netpoller waits a batch costs without a tracer.
//
// github.com/georgeyanev/go-sctp is built in only with the build tag gosctp, which mk/gobench.mk
// sets when the snapshot in ../shared/peers/go-sctp exists (the module proxy does not serve it);
// without it its rows say why they are missing.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/sctpio/sctpio/sctp"
)

var (
	count     = flag.Int("k", 10000, "messages per drain or send (K)")
	size      = flag.Int("s", 100, "message size in bytes (S)")
	rounds    = flag.Int("r", 3, "rounds; each drains K messages with every receiver and sends K with every sender")
	rttN      = flag.Int("rtt", 1000, "round trips per receiver")
	warm      = flag.Int("warm", 2000, "messages drained, and round trips made, untimed before measuring")
	drainBin  = flag.String("drain", "", "bench/drain binary, for the C drain figures (empty: skip)")
	drainFill = flag.String("drainfill", "per-message", "how bench/drain fills the queues it drains (its --fill): per-message, or batch as the Go rows' are")
	limit     = flag.Duration("limit", 5*time.Minute, "give up (exit 1) after this long")
	only      = flag.String("only", "", "measure only the receivers and senders whose names contain one of these comma-separated words")
	noSend    = flag.Bool("nosend", false, "skip the send side")
	cpuProf   = flag.String("cpuprofile", "", "write a CPU profile of the timed drains and sends to this file (go tool pprof)")
)

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "gobench: "+format+"\n", args...) }

func fatalf(format string, args ...any) {
	logf(format, args...)
	os.Exit(1)
}

// wanted reports whether -only lets the row called name be measured.
func wanted(name string) bool {
	if *only == "" {
		return true
	}
	for _, w := range strings.Split(*only, ",") {
		if w != "" && strings.Contains(name, w) {
			return true
		}
	}
	return false
}

func main() {
	flag.Parse()
	if *count < 1 || *size < 1 || *size > 2048 || *rounds < 1 || *rttN < 1 || *warm < 0 {
		fatalf("need -k >= 1, 1 <= -s <= 2048, -r >= 1, -rtt >= 1, -warm >= 0")
	}
	start := time.Now()
	time.AfterFunc(*limit, func() { fatalf("still running after %v: giving up", *limit) })
	if *drainBin != "" {
		logf("C: %s, once per round", *drainBin)
	}
	rep := &report{Tool: "bench/go/gobench", K: *count, Size: *size, Rounds: *rounds, RTTCount: *rttN,
		Go: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Method: "K messages of S bytes pre-filled into one loopback association's receive queue by an idle sctpio " +
			"sender, then drained by the receiver, timed: wall clock, CPU of the process and of the reading thread, " +
			"heap allocations, cgo calls and context switches per message; median of the rounds. Send: K messages " +
			"written by the sender, timed, into an idle sctpio far end, emptied afterwards; SCTP_NODELAY on. Round " +
			"trip: one message in flight, written with the package's own write, echoed by sctpio, SCTP_NODELAY on. " +
			"C: bench/drain -c 1 (both socket styles) in the same run."}

	var rs []*receiver
	for _, open := range append([]func() (*receiver, error){
		func() (*receiver, error) { return sctpioConn(0) },
		func() (*receiver, error) { return sctpioConn(64) },
		func() (*receiver, error) { return sctpioEndpoint(64) },
		ishida,
	}, moreReceivers...) {
		r, err := open()
		if err != nil {
			fatalf("setting up: %v", err)
		}
		if !wanted(r.name) {
			r.close()
			continue
		}
		withFD(r.raw, func(fd int) error {
			rb, _ := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF)
			logf("%s: SO_RCVBUF %d", r.name, rb)
			return nil
		})
		rs = append(rs, r)
	}
	var ss []*sender
	if !*noSend {
		for _, open := range append([]func() (*sender, error){
			func() (*sender, error) { return sctpioConnSender(0) },
			func() (*sender, error) { return sctpioConnSender(64) },
			func() (*sender, error) { return sctpioEndpointSender(64) },
			ishidaSender,
		}, moreSenders...) {
			s, err := open()
			if err != nil {
				fatalf("setting up a sender: %v", err)
			}
			if !wanted(s.name) {
				s.close()
				continue
			}
			ss = append(ss, s)
		}
	}
	if len(rs) > 0 {
		withFD(rs[0].raw, func(fd int) error {
			rep.Rcvbuf, _ = syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF)
			return nil
		})
	}
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
		for _, s := range ss {
			if err := warmSend(s, *warm); err != nil {
				fatalf("%s: warm-up: %v", s.name, err)
			}
		}
	}
	stopProfile := func() {}
	if *cpuProf != "" {
		if stopProfile, err = startProfile(*cpuProf); err != nil {
			fatalf("%v", err)
		}
	}
	var cs cSamples
	var cgoNs, sysNs []float64
	for round := 1; round <= *rounds; round++ {
		// The C limit and the price of a call first in every round, so that they drift with
		// the Go rows.
		if *drainBin != "" {
			if err := cRound(rep, &cs); err != nil {
				fatalf("C drain, round %d: %v", round, err)
			}
		}
		cn, sn := callCosts(100000)
		cgoNs, sysNs = append(cgoNs, cn), append(sysNs, sn)
		logf("round %d: one empty cgo call %.0f ns, one getppid %.0f ns (thread CPU)", round, cn, sn)
		for _, r := range rs {
			if err := measure(r, sendBatch); err != nil {
				fatalf("%s, round %d: %v", r.name, round, err)
			}
			rep.Runs = append(rep.Runs, logRound("recv", r.name, round, &r.samples))
		}
		for _, s := range ss {
			if err := measureSend(s); err != nil {
				fatalf("%s, round %d: %v", s.name, round, err)
			}
			rep.Runs = append(rep.Runs, logRound("send", s.name, round, &s.samples))
		}
	}
	stopProfile()
	logf("drains and sends done at %.0f s", time.Since(start).Seconds())
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
	for _, s := range ss {
		s.close()
	}
	sendBatch.Close()

	rep.C.CgoCallNs, rep.C.SyscallNs = ptr(median(cgoNs)), ptr(median(sysNs))
	summarise(rep, rs, ss, cs.rows())
	rep.ElapsedS = math.Round(time.Since(start).Seconds()*10) / 10
	out, err := json.Marshal(rep)
	if err != nil {
		fatalf("%v", err)
	}
	os.Stdout.Write(append(out, '\n'))
}

// logRound logs one round of a row and returns it for the report's runs.
func logRound(dir, name string, round int, s *samples) roundRun {
	i := len(s.rates) - 1
	logf("round %d: %s %-32s %7.0f msgs/s, CPU ns/msg %6.0f process %6.0f thread, %5.2f allocs/msg %6.1f B/msg, "+
		"%.3f cgo calls/msg, %.3f switches/msg", round, dir, name, s.rates[i], s.cpu[i], s.tcpu[i], s.allocs[i],
		s.bytes[i], s.cgo[i], s.ctxsw[i])
	return roundRun{Dir: dir, Name: name, Round: round, MsgsPerS: math.Round(s.rates[i]), CPUNs: math.Round(s.cpu[i]),
		ThreadNs: math.Round(s.tcpu[i]), Allocs: math.Round(s.allocs[i]*1000) / 1000,
		Bytes: math.Round(s.bytes[i]*10) / 10, Cgo: math.Round(s.cgo[i]*1000) / 1000, CtxSw: round3(s.ctxsw[i])}
}

// warmSend sends k messages with s and empties the far end, untimed.
func warmSend(s *sender, k int) error {
	before, err := delivered(s.raw, s.assoc)
	if err != nil {
		return err
	}
	if err := s.send(k); err != nil {
		return err
	}
	if err := waitQueued(s.raw, s.assoc, before, k); err != nil {
		return err
	}
	return s.drain(k)
}

// startProfile starts the CPU profile and returns what stops it and writes the file.
func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
