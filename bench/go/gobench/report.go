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
	Dir       string   `json:"dir"` // recv or send
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
	BestTh    *float64 `json:"best_thread_cpu_ns_per_msg"` // the least of the rounds
	Allocs    *float64 `json:"allocs_per_msg"`
	Bytes     *float64 `json:"bytes_per_msg"`
	Cgo       *float64 `json:"cgo_calls_per_msg"`
	CtxSw     *float64 `json:"ctx_switches_per_msg"`
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
	Dir      string   `json:"dir"`
	Name     string   `json:"name"`
	Round    int      `json:"round"`
	MsgsPerS float64  `json:"msgs_per_s"`
	CPUNs    float64  `json:"cpu_ns_per_msg"`
	ThreadNs float64  `json:"thread_cpu_ns_per_msg"`
	Allocs   float64  `json:"allocs_per_msg"`
	Bytes    float64  `json:"bytes_per_msg"`
	Cgo      float64  `json:"cgo_calls_per_msg"`
	CtxSw    *float64 `json:"ctx_switches_per_msg"`
}

// target is one of issue 15's goals, as a ratio measured in this run: met when Value is at least
// Goal (Want "min") or at most Goal (Want "max"); Met is null when a figure is missing.
type target struct {
	Name  string   `json:"name"`
	Value *float64 `json:"value"`
	// Best is the same ratio from each row's best round (highest rate, least CPU): other load on
	// a shared machine only ever slows a round down, so it is the steadier reading when the
	// medians wander. Met goes by Value.
	Best *float64 `json:"best"`
	Want string   `json:"want"`
	Goal float64  `json:"goal"`
	Met  *bool    `json:"met"`
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
	Senders    []row      `json:"senders"`
	Ratios     ratios     `json:"ratios"`
	Targets    []target   `json:"targets"`
	Runs       []roundRun `json:"runs"`
	C          cRef       `json:"c"`
	Method     string     `json:"method"`
	ElapsedS   float64    `json:"elapsed_s"`
}

// cRef holds bench/drain's arguments and its own JSON output, as it printed it.
type cRef struct {
	DrainArgs string            `json:"drain_args"`
	Drain     []json.RawMessage `json:"drain"`       // its JSON, one per round
	CgoCallNs *float64          `json:"cgo_call_ns"` // one empty cgo call, thread CPU, median of the rounds
	SyscallNs *float64          `json:"syscall_ns"`  // one getppid(2), likewise
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

func minOf(v []float64) float64 {
	m := v[0]
	for _, x := range v {
		m = math.Min(m, x)
	}
	return m
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

func round3(v float64) *float64 { return ptr(v) }

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

// cRows are bench/drain's rows: per direction, style, and batch (0: the per-message loop).
type cRows map[string]*row

func cKey(dir, style string, batch int) string { return dir + " " + style + " " + strconv.Itoa(batch) }

// cSamples gathers bench/drain's figures over the rounds: drain runs once in every round, before
// the Go rows (-r 1), so that the C limit sees the same drift of a shared machine as they do.
type cSamples struct {
	proto     map[string]row
	rate, cpu map[string][]float64
}

// cRound runs bench/drain once with one association in both socket styles and this run's K and S,
// and adds its per-message and 64-slot rows, receive and send, to cs.
func cRound(rep *report, cs *cSamples) error {
	args := []string{"--json", "-c", "1", "--style", "both", "-k", strconv.Itoa(*count), "-s", strconv.Itoa(*size), "-r", "1", "--fill", *drainFill}
	rep.C.DrainArgs = strings.Join(args, " ") + ", once per round"
	raw, err := runC(*drainBin, args...)
	if err != nil {
		return err
	}
	rep.C.Drain = append(rep.C.Drain, raw)
	type cRow struct {
		Style string  `json:"style"`
		Batch int     `json:"batch"`
		Rate  float64 `json:"msgs_per_s"`
		CPU   float64 `json:"cpu_ns_per_msg"`
	}
	var d struct{ Recv, Send []cRow }
	if err := json.Unmarshal(raw, &d); err != nil {
		return err
	}
	if cs.proto == nil {
		cs.proto, cs.rate, cs.cpu = map[string]row{}, map[string][]float64{}, map[string][]float64{}
	}
	for dir, rows := range map[string][]cRow{"recv": d.Recv, "send": d.Send} {
		for _, m := range rows {
			if m.Batch != 0 && m.Batch != 64 {
				continue
			}
			k := cKey(dir, m.Style, m.Batch)
			cs.rate[k] = append(cs.rate[k], m.Rate)
			cs.cpu[k] = append(cs.cpu[k], m.CPU)
			if _, ok := cs.proto[k]; ok {
				continue
			}
			r := row{Dir: dir, Lang: "c", Package: "sctpio C library", Version: "this checkout", Style: m.Style,
				Batch: m.Batch, Available: true, Note: "bench/drain -c 1 -r 1 in every round; CPU of the calling thread"}
			st := map[string]string{"one-to-one": "1:1", "one-to-many": "1:N"}[m.Style]
			switch {
			case dir == "recv" && m.Batch == 0:
				r.Name, r.API = "C "+st+" sctpio_recv loop", "sctpio_recv"
			case dir == "recv":
				r.Name, r.API = "C "+st+" sctpio_batch_recv(64)", "sctpio_batch_recv"
			case m.Batch == 0:
				r.Name, r.API = "C "+st+" sctpio_send loop", "sctpio_send"
			default:
				r.Name, r.API = "C "+st+" sctpio_batch_send(64)", "sctpio_batch_send"
			}
			cs.proto[k] = r
		}
	}
	return nil
}

// rows are the C rows with the medians (and best rate) of the rounds.
func (cs *cSamples) rows() cRows {
	out := cRows{}
	for k, r := range cs.proto {
		r := r
		r.MsgsPerS, r.Best, r.ThreadNs = ptr(median(cs.rate[k])), ptr(maxOf(cs.rate[k])), ptr(median(cs.cpu[k]))
		r.BestTh = ptr(minOf(cs.cpu[k]))
		out[k] = &r
	}
	return out
}

// goRow is the report's row for one receiver's or sender's samples.
func goRow(dir, name, pkg, api, style string, batch int, s *samples) row {
	out := row{Dir: dir, Name: name, Lang: "go", Package: pkg, Version: version(pkg), API: api, Style: style,
		Batch: batch, Available: true, MsgsPerS: ptr(median(s.rates)), Best: ptr(maxOf(s.rates)),
		CPUNs: ptr(median(s.cpu)), ThreadNs: ptr(median(s.tcpu)), BestTh: ptr(minOf(s.tcpu)), Allocs: ptr(median(s.allocs)), Bytes: ptr(median(s.bytes)),
		Cgo: ptr(median(s.cgo)), CtxSw: ptr(median(s.ctxsw)), Note: "CPU of the whole process"}
	if batch > 0 && dir == "recv" {
		out.Note += "; zero-copy: bytes borrowed from the batch"
	}
	return out
}

// summarise turns the samples and the C rows into the report's rows, ratios and targets.
func summarise(rep *report, rs []*receiver, ss []*sender, c cRows) {
	for _, r := range rs {
		out := goRow("recv", r.name, r.pkg, r.api, r.style, r.batch, &r.samples)
		out.P50, out.P90, out.P99 = ptr(pct(r.rtt, 50)), ptr(pct(r.rtt, 90)), ptr(pct(r.rtt, 99))
		rep.Receivers = append(rep.Receivers, out)
	}
	for _, s := range ss {
		rep.Senders = append(rep.Senders, goRow("send", s.name, s.pkg, s.api, s.style, s.batch, &s.samples))
	}
	for _, n := range notMeasured {
		n.Lang = "go"
		if n.Dir == "send" {
			rep.Senders = append(rep.Senders, n)
		} else {
			rep.Receivers = append(rep.Receivers, n)
		}
	}
	for _, dir := range []string{"recv", "send"} {
		for _, style := range []string{"one-to-one", "one-to-many"} {
			for _, b := range []int{0, 64} {
				if r := c[cKey(dir, style, b)]; r != nil && dir == "recv" {
					rep.Receivers = append(rep.Receivers, *r)
				} else if r != nil {
					rep.Senders = append(rep.Senders, *r)
				}
			}
		}
	}
	get := func(rows []row, name string) *row {
		for i := range rows {
			if rows[i].Name == name && rows[i].Available {
				return &rows[i]
			}
		}
		return nil
	}
	// The fastest other Go package of a direction, and sctpio's fastest batch path there.
	best := func(rows []row, sctpio bool) *row {
		var b *row
		for i := range rows {
			r := &rows[i]
			own := strings.HasPrefix(r.Package, "github.com/sctpio/")
			if r.Lang != "go" || !r.Available || r.MsgsPerS == nil || own != sctpio || (sctpio && r.Batch == 0) {
				continue
			}
			if b == nil || *r.MsgsPerS > *b.MsgsPerS {
				b = r
			}
		}
		return b
	}
	msgs := func(r *row) *float64 {
		if r == nil {
			return nil
		}
		return r.MsgsPerS
	}
	thread := func(r *row) *float64 {
		if r == nil {
			return nil
		}
		return r.ThreadNs
	}
	name := func(r *row) string {
		if r == nil {
			return "(not measured)"
		}
		return r.Name
	}
	R := rep.Receivers
	batch, readMsg, ep := get(R, "sctpio ReadBatch(64)"), get(R, "sctpio ReadMsg"), get(R, "sctpio Endpoint ReadBatch(64)")
	c11b, c1nb, c11p := c[cKey("recv", "one-to-one", 64)], c[cKey("recv", "one-to-many", 64)], c[cKey("recv", "one-to-one", 0)]
	peer := best(R, false)
	if peer != nil {
		rep.Ratios.FasterPeer = peer.Name
		rep.Ratios.BatchOverFasterPeer = ratio(msgs(batch), peer.MsgsPerS)
		rep.Ratios.ReadMsgOverFasterPeer = ratio(msgs(readMsg), peer.MsgsPerS)
		if batch != nil {
			rep.Ratios.RTTP50BatchOverPeer = ratio(batch.P50, peer.P50)
			rep.Ratios.RTTP99BatchOverPeer = ratio(batch.P99, peer.P99)
		}
	}
	rep.Ratios.BatchOverCBatch = ratio(msgs(batch), msgs(c11b))
	rep.Ratios.EndpointBatchOverCBatch = ratio(msgs(ep), msgs(c1nb))
	rep.Ratios.ReadMsgOverCPerMessage = ratio(msgs(readMsg), msgs(c11p))

	bestRate := func(r *row) *float64 {
		if r == nil {
			return nil
		}
		return r.Best
	}
	bestThread := func(r *row) *float64 {
		if r == nil {
			return nil
		}
		return r.BestTh
	}
	var best1 *float64
	add := func(n string, v *float64, want string, goal float64) {
		t := target{Name: n, Value: v, Want: want, Goal: goal, Best: best1}
		best1 = nil
		if v != nil {
			met := *v >= goal
			if want == "max" {
				met = *v <= goal
			}
			t.Met = &met
		}
		rep.Targets = append(rep.Targets, t)
	}
	best1 = ratio(bestRate(batch), bestRate(c11b))
	add("SCTPConn.ReadBatch(64) / C 1:1 sctpio_batch_recv(64), msgs/s", ratio(msgs(batch), msgs(c11b)), "min", 0.9)
	best1 = ratio(bestRate(ep), bestRate(c1nb))
	add("Endpoint.ReadBatch(64) / C 1:N sctpio_batch_recv(64), msgs/s", ratio(msgs(ep), msgs(c1nb)), "min", 0.9)
	best1 = ratio(bestThread(batch), bestThread(c11b))
	add("SCTPConn.ReadBatch(64) / C 1:1 sctpio_batch_recv(64), thread CPU per message", ratio(thread(batch), thread(c11b)), "max", 1.15)
	best1 = ratio(bestThread(ep), bestThread(c1nb))
	add("Endpoint.ReadBatch(64) / C 1:N sctpio_batch_recv(64), thread CPU per message", ratio(thread(ep), thread(c1nb)), "max", 1.15)
	best1 = ratio(bestRate(readMsg), bestRate(c11p))
	add("SCTPConn.ReadMsg / C 1:1 sctpio_recv loop, msgs/s (within 1.2x)", ratio(msgs(readMsg), msgs(c11p)), "min", 1/1.2)
	best1 = ratio(bestThread(readMsg), bestThread(c11p))
	add("SCTPConn.ReadMsg / C 1:1 sctpio_recv loop, thread CPU per message (within 1.2x)", ratio(thread(readMsg), thread(c11p)), "max", 1.2)
	// The goal is the sctp package's: the compat package keeps ishidawataru's API, whose SCTPRead
	// returns a new *SndRcvInfo per message as the original does, so its rows are shown apart.
	mostAllocs := func(pkg string) *float64 {
		var allocs *float64
		for _, r := range append(append([]row{}, rep.Receivers...), rep.Senders...) {
			if r.Package == pkg && r.Allocs != nil && (allocs == nil || *r.Allocs > *allocs) {
				allocs = r.Allocs
			}
		}
		return allocs
	}
	add("sctp package rows, most allocations per message", mostAllocs("github.com/sctpio/sctpio/sctp"), "max", 0)
	add("compat/ishidawataru rows, most allocations per message (no goal: its API allocates)",
		mostAllocs("github.com/sctpio/sctpio/compat/ishidawataru/sctp"), "min", 0)
	sb, pb := best(R, true), best(R, false)
	best1 = ratio(bestRate(sb), bestRate(pb))
	add("receive: sctpio's best batch path ("+name(sb)+") / best peer ("+name(pb)+"), msgs/s", ratio(msgs(sb), msgs(pb)), "min", 2)
	sb, pb = best(rep.Senders, true), best(rep.Senders, false)
	best1 = ratio(bestRate(sb), bestRate(pb))
	add("send: sctpio's best batch path ("+name(sb)+") / best peer ("+name(pb)+"), msgs/s", ratio(msgs(sb), msgs(pb)), "min", 2)
	S := rep.Senders
	add("SCTPConn.WriteBatch(64) / C 1:1 sctpio_batch_send(64), msgs/s (no goal: for reading)",
		ratio(msgs(get(S, "sctpio WriteBatch(64)")), msgs(c[cKey("send", "one-to-one", 64)])), "min", 0)
	add("Endpoint.WriteBatch(64) / C 1:N sctpio_batch_send(64), msgs/s (no goal: for reading)",
		ratio(msgs(get(S, "sctpio Endpoint WriteBatch(64)")), msgs(c[cKey("send", "one-to-many", 64)])), "min", 0)
}
