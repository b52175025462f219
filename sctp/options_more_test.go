// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"errors"
	"net/netip"
	"syscall"
	"testing"
	"time"
)

// check fails the test at once on err, naming what failed.
func check(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eq fails the test when got differs from want.
func eq[T comparable](t *testing.T, what string, got T, err error, want T) {
	t.Helper()
	check(t, what, err)
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

// TestConnOptionsRoundTrip sets each option of options_more.go on a live one-to-one association and
// reads back what the kernel kept, and shows the effect where it is cheap: the context tags received
// messages, DisableFragments refuses a message above the fragmentation point, MaxSeg is the
// fragmentation point, the counters count the message sent, and stream reconfiguration that was
// never negotiated is refused with ENOPROTOOPT.
func TestConnOptionsRoundTrip(t *testing.T) {
	needSCTP(t)
	l := loopbackListener(t)
	cli, srv := dialPair(t, l, nil)
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))

	check(t, "SetAssocParams", cli.SetAssocParams(AssocParams{MaxRetrans: 7, CookieLife: 30 * time.Second}))
	ap, err := cli.AssocParams()
	check(t, "AssocParams", err)
	if ap.MaxRetrans != 7 || ap.CookieLife != 30*time.Second || ap.PeerDestinations != 1 || ap.PeerRWnd == 0 {
		t.Fatalf("AssocParams %+v", ap)
	}

	st, err := cli.Status()
	check(t, "Status", err)
	mseg, err := cli.MaxSeg()
	eq(t, "MaxSeg (the fragmentation point)", mseg, err, int(st.FragPoint))

	check(t, "SetDelayedSack", cli.SetDelayedSack(DelayedSack{Delay: 100 * time.Millisecond, Freq: 3}))
	ds, err := cli.DelayedSack()
	eq(t, "DelayedSack", ds, err, DelayedSack{Delay: 100 * time.Millisecond, Freq: 3})

	check(t, "SetMaxBurst", cli.SetMaxBurst(8))
	mb, err := cli.MaxBurst()
	eq(t, "MaxBurst", mb, err, 8)

	check(t, "SetStreamScheduler", cli.SetStreamScheduler(SchedPrio))
	sc, err := cli.StreamScheduler()
	eq(t, "StreamScheduler", sc, err, SchedPrio)
	check(t, "SetStreamSchedulerValue", cli.SetStreamSchedulerValue(1, 5))
	sv, err := cli.StreamSchedulerValue(1)
	eq(t, "StreamSchedulerValue(1)", sv, err, 5)

	check(t, "SetDefaultSendInfo", cli.SetDefaultSendInfo(SndInfo{Stream: 1, PPID: 46, Context: 9}))
	dsi, err := cli.DefaultSendInfo()
	eq(t, "DefaultSendInfo", dsi, err, SndInfo{Stream: 1, PPID: 46, Context: 9})

	check(t, "SetDefaultPRInfo", cli.SetDefaultPRInfo(PRTTL, 1000))
	pol, val, err := cli.DefaultPRInfo()
	check(t, "DefaultPRInfo", err)
	if pol != PRTTL || val != 1000 {
		t.Fatalf("DefaultPRInfo = %v %d, want TTL 1000", pol, val)
	}
	check(t, "SetDefaultPRInfo none", cli.SetDefaultPRInfo(PRNone, 0))

	ev, err := cli.Events()
	eq(t, "Events", ev, err, DefaultEvents)
	check(t, "Subscribe", cli.Subscribe(DefaultEvents|EventSenderDry|EventPeerAddrChange))
	ev, err = cli.Events()
	eq(t, "Events after Subscribe", ev, err, DefaultEvents|EventSenderDry|EventPeerAddrChange)
	check(t, "Subscribe back", cli.Subscribe(DefaultEvents))

	prim, err := cli.Primary()
	eq(t, "Primary", prim, err, netip.MustParseAddrPort(l.Addr().String()))

	check(t, "SetPathThresholds", cli.SetPathThresholds(PathThresholds{PathMaxRetrans: 4, PFThreshold: 2,
		PSThreshold: 3, HasPS: true}))
	th, err := cli.PathThresholds(prim)
	eq(t, "PathThresholds", th, err, PathThresholds{Addr: prim, PathMaxRetrans: 4, PFThreshold: 2, PSThreshold: 3, HasPS: true})

	check(t, "SetPFExpose", cli.SetPFExpose(PFExposeEnable))
	pf, err := cli.PFExpose()
	eq(t, "PFExpose", pf, err, PFExposeEnable)

	check(t, "SetPLPMTUDProbeInterval", cli.SetPLPMTUDProbeInterval(netip.AddrPort{}, 10*time.Second))
	pi, err := cli.PLPMTUDProbeInterval(prim)
	eq(t, "PLPMTUDProbeInterval", pi, err, 10*time.Second)
	check(t, "PLPMTUD off", cli.SetPLPMTUDProbeInterval(netip.AddrPort{}, 0))

	check(t, "SetUDPEncapsPort", cli.SetUDPEncapsPort(netip.AddrPort{}, 9899))
	up, err := cli.UDPEncapsPort(netip.AddrPort{})
	eq(t, "UDPEncapsPort", up, err, 9899)
	check(t, "UDPEncapsPort off", cli.SetUDPEncapsPort(netip.AddrPort{}, 0))

	// The context tags what srv receives; the counters see the message go.
	check(t, "SetContext", srv.SetContext(0xc0ffee))
	cx, err := srv.Context()
	eq(t, "Context", cx, err, 0xc0ffee)
	if _, err := cli.WriteMsg([]byte("tagged"), &SndInfo{Stream: 0}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	var info RcvInfo
	for {
		n, err := srv.ReadMsg(buf, &info)
		check(t, "ReadMsg", err)
		if !info.IsNotification() {
			if string(buf[:n]) != "tagged" || info.Context != 0xc0ffee {
				t.Fatalf("received %q with context %#x, want \"tagged\" with 0xc0ffee", buf[:n], info.Context)
			}
			break
		}
	}
	stats, err := cli.Stats()
	check(t, "Stats", err)
	if stats.OrderedOut != 1 || stats.PacketsOut == 0 {
		t.Fatalf("Stats: %d ordered chunks out (want 1), %d packets out", stats.OrderedOut, stats.PacketsOut)
	}
	prs, err := cli.PRStatus(PRAll)
	eq(t, "PRStatus", prs, err, PRStatus{})
	sprs, err := cli.StreamPRStatus(0, PRTTL)
	eq(t, "StreamPRStatus", sprs, err, PRStatus{})

	ecn, err := cli.Extension(ExtECN)
	eq(t, "Extension(ECN) on the association", ecn, err, true)

	// Never negotiated: the kernel refuses stream reconfiguration.
	if err := cli.ResetStreams(ResetOut, 0, 1); !errors.Is(err, syscall.ENOPROTOOPT) {
		t.Fatalf("ResetStreams without RE-CONFIG: %v, want ENOPROTOOPT", err)
	}
	if err := cli.AddStreams(0, 1); !errors.Is(err, syscall.ENOPROTOOPT) {
		t.Fatalf("AddStreams without RE-CONFIG: %v, want ENOPROTOOPT", err)
	}

	check(t, "SetAdaptationLayer", cli.SetAdaptationLayer(0x1234))
	al, err := cli.AdaptationLayer()
	eq(t, "AdaptationLayer", al, err, 0x1234)
	check(t, "SetFragmentInterleave", srv.SetFragmentInterleave(1))
	fi, err := srv.FragmentInterleave()
	eq(t, "FragmentInterleave", fi, err, 1)
	check(t, "SetPartialDeliveryPoint", srv.SetPartialDeliveryPoint(4096))
	pd, err := srv.PartialDeliveryPoint()
	eq(t, "PartialDeliveryPoint", pd, err, 4096)

	check(t, "SetDisableFragments", cli.SetDisableFragments(true))
	df, err := cli.DisableFragments()
	eq(t, "DisableFragments", df, err, true)
	if _, err := cli.Write(make([]byte, st.FragPoint+1)); !errors.Is(err, syscall.EMSGSIZE) {
		t.Fatalf("a message of FragPoint+1 = %d bytes with fragments disabled: %v, want EMSGSIZE", st.FragPoint+1, err)
	}
}

// TestEndpointOptionDefaults sets options on an endpoint's defaults for future associations (id 0)
// and reads them back; the extensions and reconfiguration allowances are endpoint-wide there.
func TestEndpointOptionDefaults(t *testing.T) {
	needSCTP(t)
	e, err := ListenEndpoint("sctp", "127.0.0.1:0")
	check(t, "ListenEndpoint", err)
	defer e.Close()
	check(t, "SetMaxSeg", e.SetMaxSeg(0, 1200))
	m, err := e.MaxSeg(0)
	eq(t, "MaxSeg", m, err, 1200)
	check(t, "SetAssocParams", e.SetAssocParams(0, AssocParams{MaxRetrans: 5, CookieLife: 20 * time.Second}))
	ap, err := e.AssocParams(0)
	check(t, "AssocParams", err)
	if ap.MaxRetrans != 5 || ap.CookieLife != 20*time.Second {
		t.Fatalf("AssocParams %+v", ap)
	}
	check(t, "SetDelayedSack", e.SetDelayedSack(0, DelayedSack{Delay: 50 * time.Millisecond, Freq: 4}))
	ds, err := e.DelayedSack(0)
	eq(t, "DelayedSack", ds, err, DelayedSack{Delay: 50 * time.Millisecond, Freq: 4})
	check(t, "SetStreamScheduler", e.SetStreamScheduler(0, SchedRR))
	sc, err := e.StreamScheduler(0)
	eq(t, "StreamScheduler", sc, err, SchedRR)
	for _, x := range []Extension{ExtReconfig, ExtPR, ExtECN} {
		for _, on := range []bool{false, true} {
			check(t, "SetExtension "+x.String(), e.SetExtension(0, x, on))
			got, err := e.Extension(0, x)
			eq(t, "Extension "+x.String(), got, err, on)
		}
	}
	want := EnableResetStreams | EnableChangeAssoc
	check(t, "SetEnableStreamReset", e.SetEnableStreamReset(0, want))
	got, err := e.EnableStreamReset(0)
	eq(t, "EnableStreamReset", got, err, want)
	check(t, "SetContext", e.SetContext(0, 42))
	cx, err := e.Context(0)
	eq(t, "Context", cx, err, 42)
}
