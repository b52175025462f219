// SPDX-License-Identifier: MIT

// How a receiver is measured: the queue is filled, then drained against the clock; the round trips.

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/sctpio/sctpio/sctp"
)

// Linux constants the syscall package does not name.
const (
	ipprotoSCTP       = 132
	sctpNoDelay       = 3   // SCTP_NODELAY
	sctpGetAssocStats = 112 // SCTP_GET_ASSOC_STATS
	// struct sctp_assoc_stats: 256 bytes; sas_iodchunks (in-order DATA chunks received) at 232.
	assocStatsSize = 256
	iodChunksOff   = 232
	bufBytes       = 8 << 20 // as bench/drain: SO_RCVBUFFORCE and SO_SNDBUFFORCE, which Linux doubles
)

// receiver is the receiving end of one association, by one package and one read method.
type receiver struct {
	name, pkg, api, style string
	batch                 int
	raw                   syscall.RawConn // the receiving socket
	assoc                 int32           // its association id there (0 on a one-to-one socket)
	peer                  *sctp.SCTPConn  // the far end: sends the messages, echoes the round trips
	drain                 func(k int) error
	write                 func(b []byte) error // one message, with the package's own write
	readOne               func() error         // one whole data message, by the method under test
	close                 func()
	samples
	rtt []time.Duration
}

// samples are a receiver's or sender's figures, one per round, each per message.
type samples struct {
	rates, cpu, tcpu, allocs, bytes []float64
	cgo, ctxsw                      []float64 // cgo calls; the reading thread's context switches
}

// measurement takes the clocks and counters around one timed drain or send. The goroutine is
// locked to its thread while the clock runs, so that the thread's CPU time is the path's own
// (unlocked, a goroutine that a cgo call or a preemption let go of its P may resume on another
// thread). Every receiver and sender is measured so.
type measurement struct {
	m0, m1           runtime.MemStats
	cg               [2]metrics.Sample
	tc0, c0, tc1, c1 time.Duration
	status           *os.File // the locked thread's /proc status, for its context switches
	sw0, sw1         int64
	t0               time.Time
	wall             time.Duration
	label            string // the receiver's or sender's name, for perfWindow
}

// Every counter read between the two ReadMemStats allocates nothing, so that allocs/msg is the
// path's own.
func (m *measurement) start() {
	// The label marks the timed part in a CPU profile (-cpuprofile; pprof -tagfocus timed=yes).
	pprof.SetGoroutineLabels(timedLabels)
	perfOpen()
	runtime.GC()
	m.cg[0].Name, m.cg[1].Name = "/cgo/go-to-c-calls:calls", "/cgo/go-to-c-calls:calls"
	runtime.LockOSThread()
	m.status, _ = os.Open("/proc/thread-self/status")
	m.sw0 = threadSwitches(m.status)
	runtime.ReadMemStats(&m.m0)
	metrics.Read(m.cg[:1])
	perfWindow(true, m.label)
	m.tc0, m.c0 = cpuNow(rusageThread), cpuNow(syscall.RUSAGE_SELF)
	m.t0 = time.Now()
}

func (m *measurement) stop() {
	m.wall = time.Since(m.t0)
	m.c1, m.tc1 = cpuNow(syscall.RUSAGE_SELF), cpuNow(rusageThread)
	perfWindow(false, m.label)
	metrics.Read(m.cg[1:])
	m.sw1 = threadSwitches(m.status)
	runtime.ReadMemStats(&m.m1)
	if perfCtl != nil && strings.Contains(m.label, perfWord) {
		// Which thread the window was on, for scripts/bench-profile (the drain is locked to it).
		fmt.Fprintf(os.Stderr, "gobench: perf window: tid %d: %s\n", syscall.Gettid(), m.label)
	}
	if m.status != nil {
		m.status.Close()
	}
	runtime.UnlockOSThread()
	pprof.SetGoroutineLabels(context.Background())
}

var timedLabels = pprof.WithLabels(context.Background(), pprof.Labels("timed", "yes"))

// perfWindow opens (true) or closes the window that `perf record --control fifo:CTL,ACK -D -1`
// samples, when SCTPIO_BENCH_PERF is "CTL,ACK" or "CTL,ACK,WORD" (the two FIFOs, and a word the
// timed part's label must contain), as bench.h's perf_window does for the C benchmarks: perf's
// "enable" or "disable" command, then its "ack". Without the variable it does nothing.
func perfWindow(on bool, label string) {
	perfOpen()
	if perfCtl == nil || !strings.Contains(label, perfWord) {
		return
	}
	cmd := "disable\n"
	if on {
		cmd = "enable\n"
	}
	var a [8]byte
	if _, err := perfCtl.WriteString(cmd); err != nil {
		fatalf("SCTPIO_BENCH_PERF: %v", err)
	}
	if _, err := perfAck.Read(a[:]); err != nil {
		fatalf("SCTPIO_BENCH_PERF: %v", err)
	}
}

// perfOpen opens the FIFOs that SCTPIO_BENCH_PERF names, once; start calls it before the memory
// statistics are read, so that opening them counts as no allocation of the measured path.
func perfOpen() {
	perfOnce.Do(func() {
		ctl, ack, ok := strings.Cut(os.Getenv("SCTPIO_BENCH_PERF"), ",")
		if !ok {
			return
		}
		ack, perfWord, _ = strings.Cut(ack, ",")
		var err error
		if perfCtl, err = os.OpenFile(ctl, os.O_WRONLY, 0); err == nil {
			perfAck, err = os.Open(ack)
		}
		if err != nil {
			fatalf("SCTPIO_BENCH_PERF: %v", err)
		}
	})
}

var (
	perfOnce         sync.Once
	perfCtl, perfAck *os.File
	perfWord         string
)

// add records m as one more round of s, per message.
func (s *samples) add(m *measurement) {
	k := float64(*count)
	s.rates = append(s.rates, k/m.wall.Seconds())
	s.cpu = append(s.cpu, float64(m.c1-m.c0)/k)
	s.tcpu = append(s.tcpu, float64(m.tc1-m.tc0)/k)
	s.allocs = append(s.allocs, float64(m.m1.Mallocs-m.m0.Mallocs)/k)
	s.bytes = append(s.bytes, float64(m.m1.TotalAlloc-m.m0.TotalAlloc)/k)
	// The two reads themselves are no cgo calls; the counter is the process's, and nothing else
	// calls C while the clock runs (the far end is idle).
	s.cgo = append(s.cgo, float64(m.cg[1].Value.Uint64()-m.cg[0].Value.Uint64())/k)
	if m.sw0 < 0 || m.sw1 < 0 {
		s.ctxsw = append(s.ctxsw, math.NaN())
	} else {
		s.ctxsw = append(s.ctxsw, float64(m.sw1-m.sw0)/k)
	}
}

// statusBuf is threadSwitches' buffer, so that reading the counters allocates nothing.
var (
	statusBuf    [4096]byte
	ctxtSwitches = []byte("ctxt_switches")
)

// threadSwitches returns a thread's context switches so far, voluntary and not, from its open
// /proc status file (a read that parks in the netpoller, or a cgo call whose P was taken, shows as
// switches); -1 when the file cannot say.
func threadSwitches(f *os.File) int64 {
	if f == nil {
		return -1
	}
	n, err := f.ReadAt(statusBuf[:], 0)
	if n == 0 && err != nil {
		return -1
	}
	var total int64
	found := false
	b := statusBuf[:n]
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if c := bytes.IndexByte(line, ':'); c > 0 && bytes.HasSuffix(line[:c], ctxtSwitches) {
			var v int64
			for _, d := range bytes.TrimSpace(line[c+1:]) {
				v = v*10 + int64(d-'0')
			}
			total += v
			found = true
		}
	}
	if !found {
		return -1
	}
	return total
}

// withFD runs f with the descriptor of c.
func withFD(c syscall.RawConn, f func(fd int) error) error {
	var err error
	if cerr := c.Control(func(fd uintptr) { err = f(int(fd)) }); cerr != nil {
		return cerr
	}
	return err
}

// tune gives a new socket 8 MiB buffers, as bench/drain does (the forced options need
// CAP_NET_ADMIN, which the harness has; without it the plain ones are capped by net.core.*mem_max).
func tune(_, _ string, c syscall.RawConn) error {
	return withFD(c, func(fd int) error {
		if syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, bufBytes) != nil {
			if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF, bufBytes); err != nil {
				return err
			}
		}
		if syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_SNDBUFFORCE, bufBytes) != nil {
			return syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_SNDBUF, bufBytes)
		}
		return nil
	})
}

func setNoDelay(c syscall.RawConn) error {
	return withFD(c, func(fd int) error { return syscall.SetsockoptInt(fd, ipprotoSCTP, sctpNoDelay, 1) })
}

// delivered returns how many in-order DATA chunks association assoc of socket c has taken in: the
// kernel queues each for reading in the same step.
func delivered(c syscall.RawConn, assoc int32) (uint64, error) {
	var st [assocStatsSize]byte
	binary.NativeEndian.PutUint32(st[:], uint32(assoc))
	err := withFD(c, func(fd int) error {
		l := uint32(len(st))
		_, _, e := syscall.Syscall6(syscall.SYS_GETSOCKOPT, uintptr(fd), ipprotoSCTP, sctpGetAssocStats,
			uintptr(unsafe.Pointer(&st[0])), uintptr(unsafe.Pointer(&l)), 0)
		if e != 0 {
			return os.NewSyscallError("getsockopt SCTP_GET_ASSOC_STATS", e)
		}
		return nil
	})
	return binary.NativeEndian.Uint64(st[iodChunksOff:]), err
}

// queueEmpty fails when a message is left in the receiving socket.
func queueEmpty(c syscall.RawConn) error {
	return withFD(c, func(fd int) error {
		var b [1]byte
		n, _, err := syscall.Recvfrom(fd, b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		if errors.Is(err, syscall.EAGAIN) {
			return nil
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("a message (%d bytes peeked) is left after draining K", n)
	})
}

// fill sends k messages from r's far end and returns once all k sit in r's receive queue.
func fill(r *receiver, k int, b *sctp.Batch) error {
	before, err := delivered(r.raw, r.assoc)
	if err != nil {
		return err
	}
	msg := make([]byte, *size)
	var info sctp.SndInfo
	for i := 0; i < k; {
		for b.Pending() < b.Slots() && i < k {
			binary.NativeEndian.PutUint32(msg[:min(4, len(msg))], uint32(i))
			info.Stream = uint16(i % 8)
			if err := b.Queue(msg, &info); err != nil {
				return err
			}
			i++
		}
		if _, err := r.peer.WriteBatch(b); err != nil {
			return fmt.Errorf("send: %w", err)
		}
	}
	return waitQueued(r.raw, r.assoc, before, k)
}

// waitQueued returns once association assoc of socket c has taken in k messages since it had
// taken in before.
func waitQueued(c syscall.RawConn, assoc int32, before uint64, k int) error {
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		n, err := delivered(c, assoc)
		if err != nil {
			return err
		}
		if n-before > uint64(k) {
			return fmt.Errorf("%d messages queued, %d sent", n-before, k)
		}
		if n-before == uint64(k) {
			return nil
		}
	}
	return errors.New("messages not all queued within 20 s (receive buffer too small?)")
}

const rusageThread = 1 // RUSAGE_THREAD

// cpuNow returns the CPU time (user and system) of the process, or of the calling thread.
func cpuNow(who int) time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(who, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure drains one full queue of K messages with r, timed.
func measure(r *receiver, b *sctp.Batch) error {
	if err := fill(r, *count, b); err != nil {
		return fmt.Errorf("fill: %w", err)
	}
	m := measurement{label: "recv " + r.name}
	m.start()
	err := r.drain(*count)
	m.stop()
	if err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	if err := queueEmpty(r.raw); err != nil {
		return err
	}
	r.add(&m)
	return nil
}

// roundTrips makes n round trips (after the warm-up ones) from r's side, the far end echoing.
func roundTrips(r *receiver, n int) error {
	if err := setNoDelay(r.raw); err != nil {
		return err
	}
	prc, _ := r.peer.SyscallConn()
	if err := setNoDelay(prc); err != nil {
		return err
	}
	total := n + min(*warm, 200)
	echoed := make(chan error, 1)
	go func() {
		buf := make([]byte, 2048)
		var info sctp.RcvInfo
		for i := 0; i < total; {
			m, err := r.peer.ReadMsg(buf, &info)
			if err != nil {
				echoed <- err
				return
			}
			if info.IsNotification() {
				continue
			}
			if _, err := r.peer.Write(buf[:m]); err != nil {
				echoed <- err
				return
			}
			i++
		}
		echoed <- nil
	}()
	req := make([]byte, *size)
	r.rtt = make([]time.Duration, 0, n)
	for i := 0; i < total; i++ {
		t0 := time.Now()
		if err := r.write(req); err != nil {
			return fmt.Errorf("round trip %d: write: %w", i, err)
		}
		if err := r.readOne(); err != nil {
			return fmt.Errorf("round trip %d: read: %w", i, err)
		}
		if i >= total-n {
			r.rtt = append(r.rtt, time.Since(t0))
		}
	}
	return <-echoed
}
