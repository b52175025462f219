#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_examples.sh - the programs in examples/ work as their comments say: the one-to-many echo server
# with the multi-homed client (two server addresses), the pool server and the poller server each with
# two clients at once (every echo checked by the client: stream, PPID, contents), and the batch
# drainer (every stream in order). The README's C snippet is taken from examples/echo_server.c: every
# line of it must appear there, so the README cannot show code that does not build and run.
# Needs kernel SCTP (run through scripts/sctp-run); finds the build in $B.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
E=$B/examples
[ -x "$E/echo_server" ] || { echo "no $E: build with make B=$B examples"; exit 1; }
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# start NAME CMD...: run a server in the background; sets port from its "listening on port N" line.
start() {
	local name=$1; shift
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pids+=($!); spid=$!
	port=
	for _ in $(seq 200); do
		port=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$tmp/$name.out")
		[ -n "$port" ] && return 0
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.05
	done
	fail "$name did not start: $(cat "$tmp/$name.err")"; return 1
}
# finish NAME WANT: the server exits 0 having echoed WANT messages.
finish() {
	wait "$spid"; local rc=$?
	[ $rc -eq 0 ] || fail "$1 exited $rc: $(cat "$tmp/$1.err")"
	grep -qx "echoed $2 messages" "$tmp/$1.out" || fail "$1: $(tail -n 1 "$tmp/$1.out"), expected echoed $2"
	[ $rc -eq 0 ] && echo "ok: $1 echoed $2 messages"
}
client() {
	"$E/multihome_client" "$@" >"$tmp/c.$$.$RANDOM" 2>&1 || { fail "client $*"; return 1; }
}

if start echo_server "$E/echo_server" 127.0.0.1,127.0.0.2 0 50; then
	"$E/multihome_client" 127.0.0.1,127.0.0.2 "$port" 50 >"$tmp/mc.out" 2>&1 || fail "multihome_client: $(cat "$tmp/mc.out")"
	grep -q "2 peer addresses" "$tmp/mc.out" || fail "multihome_client not multi-homed: $(head -n 1 "$tmp/mc.out")"
	grep -q "COMM_UP" "$tmp/echo_server.out" || fail "echo_server logged no COMM_UP notification"
	finish echo_server 50
fi
for s in pool_server poller_workers; do
	if start $s "$E/$s" 127.0.0.1 0 100; then
		client 127.0.0.1 "$port" 50 & c1=$!
		client 127.0.0.1 "$port" 50 & c2=$!
		wait $c1 || fail "$s: first client"
		wait $c2 || fail "$s: second client"
		finish $s 100
	fi
done
if "$E/batch_drain" 5000 >"$tmp/bd.out" 2>&1; then
	echo "ok: batch_drain: $(cat "$tmp/bd.out")"
else
	fail "batch_drain: $(cat "$tmp/bd.out")"
fi

# The README's C snippet, line by line, must be in the example it is taken from.
awk '/^```c$/ { on = 1; next } /^```/ { on = 0 } on' README.md >"$tmp/snippet"
[ -s "$tmp/snippet" ] || fail "README.md has no C snippet"
while IFS= read -r line; do
	l=$(printf '%s' "$line" | sed 's/^[[:space:]]*//')
	[ -z "$l" ] || [ "$l" = "..." ] || grep -qF -- "$l" examples/echo_server.c || fail "README line not in examples/echo_server.c: $l"
done <"$tmp/snippet"
[ $fails -eq 0 ] && echo "ok: every line of the README's C snippet is in examples/echo_server.c"
[ $fails -eq 0 ]
