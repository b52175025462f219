#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctpperf_modes.sh - sctpperf loopback streaming end to end: both socket styles, the three
# dispatch models, per-message and batched I/O, IPv6, a multi-homed association, and a run bound by
# time instead of a count. Every run must report exactly as many messages received as sent and none
# lost or reordered (the receiver checks every (association, stream) sequence). Runs are few and
# small: the emulated guest on a busy host can be many times slower than on an idle one.
# Needs kernel SCTP; finds the build in $B.
set -u
B=${B:-build}
P=$B/sctpperf
[ -x "$P" ] || { echo "no $P: build it first (make B=$B tools)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# jget FILE KEY: a top-level value of sctpperf's one-line JSON (flat, so grep is enough).
jget() { grep -o "\"$2\":[^,}]*" "$1" | head -n 1 | cut -d: -f2- | tr -d '"'; }

# verify WHAT FILE [RR]: the JSON in FILE shows a clean run (RR: also as many echoes as requests).
verify() {
	local what=$1 f=$2 sent recv
	sent=$(jget "$f" sent)
	recv=$(jget "$f" received)
	if [ "$(jget "$f" ok)" != true ] || [ "$(jget "$f" lost)" != 0 ] || [ "$(jget "$f" reordered)" != 0 ] ||
		[ "$(jget "$f" corrupt)" != 0 ] || [ -z "$sent" ] || [ "$sent" = 0 ] || [ "$sent" != "$recv" ]; then
		fail "$what: $(cat "$f")"
		return 1
	fi
	echo "ok: $what: $sent sent, $recv received, lost 0, reordered 0, $(jget "$f" msgs_per_s) msgs/s"
}

# loop WHAT ARGS...: a loopback run with --json that must exit 0 and verify.
loop() {
	local what=$1 rc
	shift
	"$P" loopback --json "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$what: exit $rc"
		sed 's/^/    /' "$tmp/err" "$tmp/out" | head -8
		return
	fi
	verify "$what" "$tmp/out"
}

loop "one-to-many, loop, per-message" --count 800
loop "one-to-one, pool, batch 32" --style one-to-one --model pool --batch 32 --count 800
loop "one-to-many, poller 2 workers, batch 1" --model poller --workers 2 --batch 1 --count 800
loop "one-to-one, poller, batch 64, 8 associations" --style one-to-one --model poller --batch 64 --assocs 8 --count 1200
loop "IPv6" -6 --count 500
loop "multi-homed (127.0.0.1 and 127.0.0.2)" --addr 127.0.0.1,127.0.0.2 --style one-to-one --count 500
loop "duration 0.5 s" --duration 0.5 --assocs 2

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
exit 0
