#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctpperf_messages.sh - sctpperf loopback with other message patterns: request-response (every
# echo checked against its request), messages larger than the 64 KiB receive buffer or batch slot
# (they arrive in pieces and are joined), echoes of such messages, and Nagle left on. Every run must
# report as many messages received as sent and none lost or reordered. Runs are few and small: the
# emulated guest on a busy host can be many times slower than on an idle one.
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

loop "request-response, pool, batch 8" --rr --model pool --batch 8 --count 200
loop "request-response, one-to-one, poller" --rr --style one-to-one --model poller --count 200
loop "request-response, 300 streams" --rr --streams 300 --count 150
loop "70000-byte messages, in pieces" --size 70000 --count 20 --assocs 2
loop "70000-byte messages, batch 4" --size 70000 --count 20 --batch 4 --style one-to-one
loop "request-response, 70000-byte echoes" --rr --size 70000 --count 10 --model pool
loop "Nagle on, one association, one stream" --nagle --assocs 1 --streams 1 --count 200

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
exit 0
