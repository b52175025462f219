// SPDX-License-Identifier: MIT

// Command peercmp compares the receive side of sctpio's Go package with github.com/ishidawataru/sctp,
// the Go SCTP package Kubernetes vendors, on one loopback association each:
//
//   - rate and allocations: an sctpio client sends K messages of S bytes (WriteBatch, which
//     allocates nothing) while the package under test reads them one Read at a time, or with
//     ReadBatch; reported are messages per second and heap allocations and bytes per message;
//   - behaviour: whether SetReadDeadline works, whether Close unblocks a pending Read and a listener's
//     Close a pending Accept, and how many OS threads N idle connections with a pending Read hold.
//
// The host kernel has no SCTP: run it in the guest (from the repository root):
//
//	(cd bench/go && go build -o ../../build-go/peercmp ./peercmp)
//	scripts/sctp-run build-go/peercmp
//
// In the guest (software emulation) rates are far below hardware and dominated by the kernel; compare
// allocations and behaviour there, and rates only on real hardware.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	isctp "github.com/ishidawataru/sctp"
	"github.com/sctpio/sctpio/sctp"
)

var (
	count = flag.Int("k", 20000, "messages per measurement")
	size  = flag.Int("s", 100, "message size in bytes")
	idle  = flag.Int("idle", 64, "idle connections with a pending Read, for the thread count")
)

// reader is the receive side of one association under test.
type reader struct {
	read     func(b []byte) (int, error) // one message; notifications are counted as 0
	batch    func() (int, error)         // or many: the number of data messages
	deadline func(time.Time) error
	close    func() error
}

// openIshida accepts an sctpio client on an ishidawataru listener.
func openIshida() (reader, *sctp.SCTPConn, error) {
	ln, err := isctp.ListenSCTP("sctp", &isctp.SCTPAddr{IPAddrs: []net.IPAddr{{IP: net.IPv4(127, 0, 0, 1)}}})
	if err != nil {
		return reader{}, nil, err
	}
	defer ln.Close()
	port := ln.Addr().(*isctp.SCTPAddr).Port
	acc := make(chan *isctp.SCTPConn, 1)
	go func() { c, _ := ln.AcceptSCTP(); acc <- c }()
	cli, err := sctp.Dial("sctp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return reader{}, nil, err
	}
	c := <-acc
	if c == nil {
		return reader{}, nil, errors.New("accept failed")
	}
	return reader{read: c.Read, deadline: c.SetReadDeadline, close: c.Close}, cli, nil
}

// openSctpio accepts an sctpio client on an sctpio listener; with slots > 0 it reads by batches.
func openSctpio(slots int) (reader, *sctp.SCTPConn, error) {
	l, err := sctp.Listen("sctp", "127.0.0.1:0")
	if err != nil {
		return reader{}, nil, err
	}
	defer l.Close()
	acc := make(chan *sctp.SCTPConn, 1)
	go func() { c, _ := l.AcceptSCTP(); acc <- c }()
	cli, err := sctp.Dial("sctp", l.Addr().String())
	if err != nil {
		return reader{}, nil, err
	}
	c := <-acc
	if c == nil {
		return reader{}, nil, errors.New("accept failed")
	}
	r := reader{deadline: c.SetReadDeadline, close: c.Close}
	var info sctp.RcvInfo
	r.read = func(b []byte) (int, error) {
		n, err := c.ReadMsg(b, &info)
		if info.IsNotification() {
			return 0, err
		}
		return n, err
	}
	if slots > 0 {
		b, err := sctp.NewBatch(slots, 2048)
		if err != nil {
			return reader{}, nil, err
		}
		r.batch = func() (int, error) {
			n, err := c.ReadBatch(b)
			data := 0
			for i := 0; i < n; i++ {
				if !b.Info(i).IsNotification() {
					data++
				}
			}
			return data, err
		}
	}
	return r, cli, nil
}

// send writes k messages of n bytes on c with WriteBatch, which allocates nothing, so that the
// allocation counts measure the reader alone.
func send(c *sctp.SCTPConn, k, n int) error {
	b, err := sctp.NewBatch(64, n)
	if err != nil {
		return err
	}
	defer b.Close()
	msg := make([]byte, n)
	for i := 0; i < k; {
		for b.Pending() < b.Slots() && i < k {
			if err := b.Queue(msg, nil); err != nil {
				return err
			}
			i++
		}
		if _, err := c.WriteBatch(b); err != nil {
			return err
		}
	}
	return nil
}

type result struct {
	name                    string
	rate                    float64
	allocs, bytes           float64
	deadline, close, accept string
	threads                 int
}

// acceptUnblocks reports whether closing a listener ends its pending Accept.
func acceptUnblocks(listen func() (accept func() error, close func() error, err error)) string {
	accept, closeL, err := listen()
	if err != nil {
		return "error: " + err.Error()
	}
	done := make(chan error, 1)
	go func() { done <- accept() }()
	time.Sleep(100 * time.Millisecond) // let Accept block: measuring, not synchronising
	closeL()
	select {
	case err := <-done:
		return "yes (" + shortErr(err) + ")"
	case <-time.After(2 * time.Second):
		return "no: still blocked 2 s later"
	}
}

func ishidaListen() (func() error, func() error, error) {
	ln, err := isctp.ListenSCTP("sctp", &isctp.SCTPAddr{IPAddrs: []net.IPAddr{{IP: net.IPv4(127, 0, 0, 1)}}})
	if err != nil {
		return nil, nil, err
	}
	return func() error { _, err := ln.Accept(); return err }, ln.Close, nil
}

func sctpioListen() (func() error, func() error, error) {
	l, err := sctp.Listen("sctp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	return func() error { _, err := l.Accept(); return err }, l.Close, nil
}

func measure(name string, open func() (reader, *sctp.SCTPConn, error)) result {
	res := result{name: name}
	r, cli, err := open()
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	defer cli.Close()
	sent := make(chan error, 1)
	go func() { sent <- send(cli, *count, *size) }()
	buf := make([]byte, 2048)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	for got := 0; got < *count; {
		var n int
		var err error
		if r.batch != nil {
			n, err = r.batch()
		} else if n, err = r.read(buf); n > 0 {
			n = 1
		}
		if err != nil {
			log.Fatalf("%s: after %d messages: %v", name, got, err)
		}
		got += n
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if err := <-sent; err != nil {
		log.Fatalf("%s: send: %v", name, err)
	}
	res.rate = float64(*count) / elapsed.Seconds()
	res.allocs = float64(after.Mallocs-before.Mallocs) / float64(*count)
	res.bytes = float64(after.TotalAlloc-before.TotalAlloc) / float64(*count)

	// Deadline: a read with nothing coming must end by itself.
	if err := r.deadline(time.Now().Add(50 * time.Millisecond)); err != nil {
		res.deadline = "no (" + err.Error() + ")"
	} else if _, err := r.read(buf); errors.Is(err, os.ErrDeadlineExceeded) {
		res.deadline = "yes"
		r.deadline(time.Time{})
	} else {
		res.deadline = fmt.Sprintf("no (%v)", err)
	}
	// Close must unblock a pending Read.
	done := make(chan error, 1)
	go func() {
		for {
			if _, err := r.read(buf); err != nil {
				done <- err
				return
			}
		}
	}()
	time.Sleep(100 * time.Millisecond) // let the read block: measuring, not synchronising
	r.close()
	select {
	case err := <-done:
		res.close = "yes (" + shortErr(err) + ")"
	case <-time.After(2 * time.Second):
		res.close = "no: still blocked 2 s later"
	}

	// Threads held by idle connections with a pending Read.
	base := threads()
	var clis []*sctp.SCTPConn
	for i := 0; i < *idle; i++ {
		r, cli, err := open()
		if err != nil {
			log.Fatalf("%s: idle connection %d: %v", name, i, err)
		}
		clis = append(clis, cli)
		go r.read(make([]byte, 64)) // never returns while the peer stays silent
	}
	time.Sleep(500 * time.Millisecond) // let every read block
	res.threads = threads() - base
	for _, c := range clis {
		c.Close()
	}
	return res
}

func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// threads returns the process's OS thread count.
func threads() int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Threads:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return -1
}

func main() {
	flag.Parse()
	results := []result{
		measure("ishidawataru/sctp Read", openIshida),
		measure("sctpio ReadMsg", func() (reader, *sctp.SCTPConn, error) { return openSctpio(0) }),
		measure("sctpio ReadBatch(64)", func() (reader, *sctp.SCTPConn, error) { return openSctpio(64) }),
	}
	results[0].accept = acceptUnblocks(ishidaListen)
	results[1].accept = acceptUnblocks(sctpioListen)
	results[2].accept = results[1].accept
	fmt.Printf("%d messages of %d bytes over loopback; %d idle connections for the thread count\n", *count, *size, *idle)
	fmt.Printf("%-24s %9s %10s %9s  %-22s %-38s %-38s %s\n", "receiver", "msgs/s", "allocs/msg", "bytes/msg",
		"SetReadDeadline works", "Close unblocks Read", "Listener.Close unblocks Accept", "threads held")
	for _, r := range results {
		fmt.Printf("%-24s %9.0f %10.2f %9.1f  %-22s %-38s %-38s %d\n", r.name, r.rate, r.allocs, r.bytes, r.deadline,
			r.close, r.accept, r.threads)
	}
}
