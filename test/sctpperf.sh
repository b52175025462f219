# SPDX-License-Identifier: MIT
#
# test/sctpperf.sh - what the t_sctpperf_*.sh tests share; sourced, never run (the runner takes
# t_*.sh only). After sourcing: P is the sctpperf binary of build directory $B (default build), tmp
# a scratch folder, pids the background processes to kill; both are cleaned up on exit.
#   fail MSG / pass MSG   count a failure / report a check that held
#   jget FILE KEY         a top-level value of sctpperf's one-line JSON (flat, so grep is enough)
#   verify WHAT FILE      FILE's JSON shows a clean run: ok, as many received as sent (not 0), and
#                         none lost, reordered or corrupt
#   loop WHAT ARGS...     `sctpperf loopback --json ARGS...` must exit 0 and verify
#   finish                exit 1 if any check failed, else 0
set -u
B=${B:-build}
P=$B/sctpperf
[ -x "$P" ] || { echo "no $P: build it first (make B=$B tools)"; exit 1; }
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }

jget() { grep -o "\"$2\":[^,}]*" "$1" | head -n 1 | cut -d: -f2- | tr -d '"'; }

verify() {
	local what=$1 f=$2 sent recv
	sent=$(jget "$f" sent)
	recv=$(jget "$f" received)
	if [ "$(jget "$f" ok)" != true ] || [ "$(jget "$f" lost)" != 0 ] || [ "$(jget "$f" reordered)" != 0 ] ||
		[ "$(jget "$f" corrupt)" != 0 ] || [ -z "$sent" ] || [ "$sent" = 0 ] || [ "$sent" != "$recv" ]; then
		fail "$what: $(cat "$f")"
		return 1
	fi
	pass "$what: $sent sent, $recv received, lost 0, reordered 0, $(jget "$f" msgs_per_s) msgs/s"
}

loop() {
	local what=$1 rc
	shift
	"$P" loopback --json "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$what: exit $rc"
		sed 's/^/    /' "$tmp/err" "$tmp/out" | head -8
		return 1
	fi
	verify "$what" "$tmp/out"
}

finish() {
	[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
	exit 0
}
