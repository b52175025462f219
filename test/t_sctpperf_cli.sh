#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctpperf_cli.sh - sctpperf's command line: --help reads like a manual page, bad input exits 2
# with a message naming the problem, a server that is not there exits 1 with a clear message within
# the connect timeout, and a small loopback run exits 0 with --json output that parses and shows
# nothing lost or reordered. Needs kernel SCTP (run through scripts/sctp-run); finds the build in $B.
. "$(dirname "$0")/sctpperf.sh"

# expect STATUS WHAT CMD...: run CMD (stdout to $tmp/out, stderr to $tmp/err) and check its status.
expect() {
	local want=$1 what=$2 rc
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass "$what (exit $rc)"
		return 0
	fi
	fail "$what: exit $rc, expected $want: $*"
	sed 's/^/    /' "$tmp/err" | head -5
	return 1
}

# says PATTERN: the last command's stderr matches PATTERN (grep -E).
says() {
	grep -Eq -- "$1" "$tmp/err" || { fail "stderr lacks /$1/:"; sed 's/^/    /' "$tmp/err" | head -5; }
}

# --- --help ---------------------------------------------------------------------------------------
if expect 0 "--help" "$P" --help; then
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES "EXIT STATUS"; do
		grep -q "^$s\$" "$tmp/out" || fail "--help has no $s section"
	done
	[ -s "$tmp/err" ] && fail "--help wrote to stderr"
fi
expect 0 "loopback --help" "$P" loopback --help && { grep -q "^SYNOPSIS" "$tmp/out" || fail "loopback --help text"; }
expect 0 "--version" "$P" --version && { grep -q "^sctpperf [0-9]" "$tmp/out" || fail "--version text"; }

# --- usage errors: exit 2, and the message names what is wrong -----------------------------------
expect 2 "no mode" "$P" && says "which mode"
expect 2 "unknown mode" "$P" sideways && says "unknown mode 'sideways'"
expect 2 "unknown flag" "$P" loopback --no-such-flag && says "no-such-flag"
expect 2 "streams 70000" "$P" loopback --streams 70000 && says "--streams 70000 is out of range"
expect 2 "batch above the slots a container may have" "$P" loopback --batch 2000 && says "--batch 2000 .*1024 slots"
expect 2 "size over the socket limit" "$P" loopback --size 100000000 && says "--size 100000000 .*SO_SNDBUF"
expect 2 "size below the header" "$P" loopback --size 8 && says "header"
expect 2 "count with duration" "$P" loopback --count 10 --duration 1 && says "exclude"
expect 2 "-4 with -6" "$P" loopback -4 -6 && says "exclude"
expect 2 "a client option to the server" "$P" server --rr && says "--rr does not apply to server"
expect 2 "client without a server address" "$P" client && says "which server"
expect 2 "bad style" "$P" loopback --style sideways && says "--style"
expect 2 "bad model" "$P" loopback --model threads && says "--model"
expect 2 "not a number" "$P" loopback --count many && says "not a number"
expect 2 "an IPv6 address with -4" "$P" loopback -4 --addr ::1 && says "IPv6"

# --- a server that is not there -------------------------------------------------------------------
# Nothing listens on port 1: the kernel answers the INIT with an ABORT at once.
start=$(date +%s)
if expect 1 "client to a port with no server" timeout 30 "$P" client -a 127.0.0.1 -p 1 --timeout 5; then
	says "cannot connect to 127\.0\.0\.1:1: connection refused"
	# The kernel refuses at once; the slack is for an emulated guest on a busy host.
	[ $(($(date +%s) - start)) -le 20 ] || fail "the refusal took $(($(date +%s) - start)) s"
fi
# A peer that never answers: in a network namespace of its own whose loopback drops every packet,
# the INIT goes unanswered and the client must give up after --timeout.
if command -v unshare >/dev/null && command -v tc >/dev/null && command -v ip >/dev/null && [ "$(id -u)" = 0 ] &&
	unshare -n true 2>/dev/null; then
	start=$(date +%s)
	if expect 1 "client to a server that never answers" unshare -n sh -c \
		'ip link set lo up && tc qdisc add dev lo root netem loss 100% && exec timeout 30 "$0" client -a 127.0.0.1 -p 5001 --timeout 3' "$P"; then
		says "cannot connect to 127\.0\.0\.1:5001: no answer within 3 s"
		elapsed=$(($(date +%s) - start))
		# At 3 s, give or take the slowness of an emulated guest on a busy host.
		[ "$elapsed" -ge 2 ] && [ "$elapsed" -le 20 ] || fail "gave up after ${elapsed}s, not after the 3 s timeout"
	fi
else
	echo "skip: no unshare/ip/tc or not root: the silent-server case is not run"
fi

# --- a small loopback run, --json ----------------------------------------------------------------
if expect 0 "loopback --count 500 --json" "$P" loopback --count 500 --json; then
	if command -v python3 >/dev/null; then
		python3 -c '
import json, sys
d = json.load(sys.stdin)
bad = [k for k, v in (("lost", 0), ("reordered", 0), ("corrupt", 0), ("sent", 500), ("received", 500), ("ok", True)) if d.get(k) != v]
if d.get("msgs_per_s", 0) <= 0 or d.get("p99_us") is None:
	bad.append("msgs_per_s/p99_us")
if bad:
	sys.exit("unexpected: " + ", ".join("%s=%r" % (k, d.get(k)) for k in bad))
' <"$tmp/out" && pass "the JSON parses: 500 sent and received, lost 0, reordered 0" || fail "JSON check: $(cat "$tmp/out")"
	else
		grep -q '"lost":0,"reordered":0' "$tmp/out" && grep -q '"received":500' "$tmp/out" ||
			fail "JSON check (no python3): $(cat "$tmp/out")"
	fi
	[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "--json printed more than one line"
fi
# The table: the numbers a reader looks for are there, and nothing was lost.
if expect 0 "loopback table" "$P" loopback --count 300 --quiet; then
	for row in "messages sent" "messages received" "lost  " "reordered" "msgs/s" "MB/s" "p50 " "p90 " "p99 " "p99.9 " \
		"CPU per message"; do
		grep -q "$row" "$tmp/out" || fail "the table has no '$row' row"
	done
	grep -Eq "^  lost +0$" "$tmp/out" && grep -Eq "^  reordered +0$" "$tmp/out" || fail "table: lost/reordered not 0"
	grep -q $'\r' "$tmp/out" && fail "a progress line went to a file (stdout is not a terminal)"
fi

# On a terminal the progress line comes once a second (script(1) gives the run a pseudo-terminal).
if command -v script >/dev/null; then
	if script -qec "$P loopback --duration 2.5 --assocs 2" /dev/null >"$tmp/tty" 2>&1; then
		grep -q "msgs received .* msgs/s" "$tmp/tty" && grep -q $'\r' "$tmp/tty" && grep -q "^  lost  *0" "$tmp/tty" &&
			echo "ok: on a terminal, a progress line, then the table" || fail "no progress line on a terminal: $(tr '\r' '|' <"$tmp/tty" | head -3)"
	else
		fail "loopback under script(1) failed: $(head -3 "$tmp/tty")"
	fi
else
	echo "skip: no script(1): the progress line on a terminal is not checked"
fi

finish
