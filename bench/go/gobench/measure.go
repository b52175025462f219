// SPDX-License-Identifier: MIT

// How a receiver is measured: the queue is filled, then drained against the clock; the round trips.

package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
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

	rates, cpu, tcpu, allocs, bytes []float64
	rtt                             []time.Duration
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
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		n, err := delivered(r.raw, r.assoc)
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
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	// The reading goroutine is locked to its thread while the clock runs, so that the thread's CPU
	// time is the read path's (unlocked, a goroutine that a cgo call or a preemption let go of its P
	// may resume on another thread). Every receiver is measured so.
	runtime.LockOSThread()
	tc0, c0 := cpuNow(rusageThread), cpuNow(syscall.RUSAGE_SELF)
	t0 := time.Now()
	err := r.drain(*count)
	wall := time.Since(t0)
	c1, tc1 := cpuNow(syscall.RUSAGE_SELF), cpuNow(rusageThread)
	runtime.UnlockOSThread()
	runtime.ReadMemStats(&m1)
	if err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	if err := queueEmpty(r.raw); err != nil {
		return err
	}
	k := float64(*count)
	r.rates = append(r.rates, k/wall.Seconds())
	r.cpu = append(r.cpu, float64(c1-c0)/k)
	r.tcpu = append(r.tcpu, float64(tc1-tc0)/k)
	r.allocs = append(r.allocs, float64(m1.Mallocs-m0.Mallocs)/k)
	r.bytes = append(r.bytes, float64(m1.TotalAlloc-m0.TotalAlloc)/k)
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
