// SPDX-License-Identifier: MIT

// The report: its JSON rows, the statistics over rounds, bench/drain's figures, and the ratios.

package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"
)

// row is one line of the report: a receiver, the C limit, or a package that could not be measured.
// Rows are flat and their strings hold no brackets, so that scripts/bench's awk can split them.
type row struct {
	Name      string   `json:"name"`
	Lang      string   `json:"lang"`
	Package   string   `json:"package"`
	Version   string   `json:"version"`
	API       string   `json:"api"`
	Style     string   `json:"style"`
	Batch     int      `json:"batch"`
	Available bool     `json:"available"`
	MsgsPerS  *float64 `json:"msgs_per_s"`
	Best      *float64 `json:"best_msgs_per_s"`
	CPUNs     *float64 `json:"cpu_ns_per_msg"`
	ThreadNs  *float64 `json:"thread_cpu_ns_per_msg"`
	Allocs    *float64 `json:"allocs_per_msg"`
	Bytes     *float64 `json:"bytes_per_msg"`
	P50       *float64 `json:"rtt_p50_us"`
	P90       *float64 `json:"rtt_p90_us"`
	P99       *float64 `json:"rtt_p99_us"`
	Note      string   `json:"note"`
}

// ratios compare sctpio's Go batch read with the faster other Go package and with the C limit.
// Rate ratios above 1 favour the numerator; round-trip ratios below 1 do.
type ratios struct {
	FasterPeer              string   `json:"faster_peer"`
	BatchOverFasterPeer     *float64 `json:"batch_over_faster_peer"`
	ReadMsgOverFasterPeer   *float64 `json:"readmsg_over_faster_peer"`
	BatchOverCBatch         *float64 `json:"batch_over_c_batch"`
	ReadMsgOverCPerMessage  *float64 `json:"readmsg_over_c_per_message"`
	EndpointBatchOverCBatch *float64 `json:"endpoint_batch_over_c_batch"`
	RTTP50BatchOverPeer     *float64 `json:"rtt_p50_batch_over_faster_peer"`
	RTTP99BatchOverPeer     *float64 `json:"rtt_p99_batch_over_faster_peer"`
}

// roundRun is one receiver's figures in one round.
type roundRun struct {
	Name     string  `json:"name"`
	Round    int     `json:"round"`
	MsgsPerS float64 `json:"msgs_per_s"`
	CPUNs    float64 `json:"cpu_ns_per_msg"`
	ThreadNs float64 `json:"thread_cpu_ns_per_msg"`
	Allocs   float64 `json:"allocs_per_msg"`
	Bytes    float64 `json:"bytes_per_msg"`
}

type report struct {
	Tool       string     `json:"tool"`
	K          int        `json:"k"`
	Size       int        `json:"size"`
	Rounds     int        `json:"rounds"`
	RTTCount   int        `json:"rtt_count"`
	Go         string     `json:"go_version"`
	GOMAXPROCS int        `json:"gomaxprocs"`
	Rcvbuf     int        `json:"rcvbuf"`
	Receivers  []row      `json:"receivers"`
	Ratios     ratios     `json:"ratios"`
	Runs       []roundRun `json:"runs"`
	C          cRef       `json:"c"`
	Method     string     `json:"method"`
	ElapsedS   float64    `json:"elapsed_s"`
}

// cRef holds bench/drain's arguments and its own JSON output, as it printed it.
type cRef struct {
	DrainArgs string          `json:"drain_args"`
	Drain     json.RawMessage `json:"drain"`
}

// median of the values that are numbers; NaN when there is none.
func median(v []float64) float64 {
	var s []float64
	for _, x := range v {
		if !math.IsNaN(x) {
			s = append(s, x)
		}
	}
	sort.Float64s(s)
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func maxOf(v []float64) float64 {
	m := v[0]
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}

// pct is the nearest-rank percentile of sorted durations, in microseconds.
func pct(sorted []time.Duration, p float64) float64 {
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return float64(sorted[max(i, 0)]) / 1e3
}

func ptr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	v = math.Round(v*1000) / 1000
	return &v
}

func ratio(a, b *float64) *float64 {
	if a == nil || b == nil || *b == 0 {
		return nil
	}
	return ptr(*a / *b)
}

// version returns the module version of path in this binary, "this checkout" for sctpio.
func version(path string) string {
	if path == "github.com/sctpio/sctpio/sctp" {
		return "this checkout"
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if strings.HasPrefix(path, d.Path) {
				return d.Version
			}
		}
	}
	return ""
}

// runC runs a C benchmark program and returns the last line of its output that is a JSON object.
func runC(bin string, args ...string) (json.RawMessage, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bin, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	last := lines[len(lines)-1]
	if !json.Valid([]byte(last)) {
		return nil, fmt.Errorf("%s: no JSON in its output", bin)
	}
	return json.RawMessage(last), nil
}

// cDrain runs bench/drain with one association and this run's K, S and rounds, and returns its
// per-message and 64-slot receive rows.
func cDrain(rep *report) (perMsg, batch64 *row) {
	args := []string{"--json", "-c", "1", "-k", strconv.Itoa(*count), "-s", strconv.Itoa(*size), "-r", strconv.Itoa(*rounds)}
	rep.C.DrainArgs = strings.Join(args, " ")
	logf("C: %s %s", *drainBin, rep.C.DrainArgs)
	raw, err := runC(*drainBin, args...)
	if err != nil {
		logf("C drain: %v", err)
		return nil, nil
	}
	rep.C.Drain = raw
	var d struct {
		Recv []struct {
			Mode  string  `json:"mode"`
			Batch int     `json:"batch"`
			Rate  float64 `json:"msgs_per_s"`
			CPU   float64 `json:"cpu_ns_per_msg"`
			Best  float64 `json:"best_msgs_per_s"`
		} `json:"recv"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		logf("C drain: %v", err)
		return nil, nil
	}
	for _, m := range d.Recv {
		r := &row{Lang: "c", Package: "sctpio C library", Version: "this checkout", Style: "one-to-many", Batch: m.Batch,
			Available: true, MsgsPerS: ptr(m.Rate), Best: ptr(m.Best), ThreadNs: ptr(m.CPU),
			Note: "bench/drain -c 1; CPU of the draining thread; no round trip measured"}
		switch m.Batch {
		case 0:
			r.Name, r.API = "C sctpio_recv loop", "sctpio_recv"
			perMsg = r
		case 64:
			r.Name, r.API = "C sctpio_batch_recv(64)", "sctpio_batch_recv"
			batch64 = r
		}
	}
	return perMsg, batch64
}

// summarise turns the receivers' samples and the C rows into the report's rows and ratios.
func summarise(rep *report, rs []*receiver, cPer, cBatch *row) {
	for _, r := range rs {
		out := row{Name: r.name, Lang: "go", Package: r.pkg, Version: version(r.pkg), API: r.api, Style: r.style,
			Batch: r.batch, Available: true, MsgsPerS: ptr(median(r.rates)), Best: ptr(maxOf(r.rates)),
			CPUNs: ptr(median(r.cpu)), ThreadNs: ptr(median(r.tcpu)), Allocs: ptr(median(r.allocs)), Bytes: ptr(median(r.bytes)),
			P50: ptr(pct(r.rtt, 50)), P90: ptr(pct(r.rtt, 90)), P99: ptr(pct(r.rtt, 99)),
			Note: "CPU of the whole process"}
		if r.batch > 0 {
			out.Note += "; zero-copy: bytes borrowed from the batch"
		}
		rep.Receivers = append(rep.Receivers, out)
	}
	rep.Receivers = append(rep.Receivers, row{Name: "georgeyanev/go-sctp", Lang: "go", Package: "github.com/georgeyanev/go-sctp",
		API: "SCTPConn.Read", Style: "one-to-one", Note: "the Go module proxy refuses it (HTTP 403) and it is not vendored"})
	for _, c := range []*row{cPer, cBatch} {
		if c != nil {
			rep.Receivers = append(rep.Receivers, *c)
		}
	}
	byName := map[string]*row{}
	for i := range rep.Receivers {
		byName[rep.Receivers[i].Name] = &rep.Receivers[i]
	}

	// The faster of the other Go packages that could be measured.
	var peer *row
	for i := range rep.Receivers {
		r := &rep.Receivers[i]
		if r.Lang == "go" && r.Available && !strings.HasPrefix(r.Package, "github.com/sctpio/") &&
			(peer == nil || *r.MsgsPerS > *peer.MsgsPerS) {
			peer = r
		}
	}
	batch, readMsg, ep := byName["sctpio ReadBatch(64)"], byName["sctpio ReadMsg"], byName["sctpio Endpoint ReadBatch(64)"]
	if peer != nil {
		rep.Ratios.FasterPeer = peer.Name
		rep.Ratios.BatchOverFasterPeer = ratio(batch.MsgsPerS, peer.MsgsPerS)
		rep.Ratios.ReadMsgOverFasterPeer = ratio(readMsg.MsgsPerS, peer.MsgsPerS)
		rep.Ratios.RTTP50BatchOverPeer = ratio(batch.P50, peer.P50)
		rep.Ratios.RTTP99BatchOverPeer = ratio(batch.P99, peer.P99)
	}
	if cBatch != nil {
		c := byName[cBatch.Name]
		rep.Ratios.BatchOverCBatch = ratio(batch.MsgsPerS, c.MsgsPerS)
		rep.Ratios.EndpointBatchOverCBatch = ratio(ep.MsgsPerS, c.MsgsPerS)
	}
	if cPer != nil {
		rep.Ratios.ReadMsgOverCPerMessage = ratio(readMsg.MsgsPerS, byName[cPer.Name].MsgsPerS)
	}
}
