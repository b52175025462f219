#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctpperf_interop.sh - sctpperf against SCTP peers that are not sctpio, in both directions:
#
#   1. sctpperf client -> lksctp-tools' sctp_test server: every message arrives (sctp_test prints
#      one line per message; they are counted until both associations report SHUTDOWN_COMPLETE).
#   2. sctp_test client -> sctpperf server: the server counts sctp_test's messages (unverified: they
#      carry no sctpperf header) and, with --once, exits when the association ends.
#   3. sctpperf client --rr -> socat echo server (SCTP-LISTEN ... EXEC:cat), one-to-one and
#      one-to-many, per-message and batched: every echo comes back intact.
#   4. socat client -> sctpperf server --echo: socat gets its line back.
#
# Readiness is read, never guessed: each peer's output goes through a FIFO and the test waits for
# the line that says it listens. Skips (77) when sctp_test or socat is missing (test/need-peers,
# which make test runs first, installs them as root on Debian).
for t in sctp_test socat; do
	command -v $t >/dev/null || { echo "skip: $t is not installed (packages lksctp-tools, socat: make test installs them when run as root on Debian)"; exit 77; }
done
. "$(dirname "$0")/sctpperf.sh"

# A port for a peer that cannot choose one itself and print it.
port=$((20000 + RANDOM % 20000))

# wait_line FD PATTERN [SECONDS]: read lines from FD until one matches; the line is left in $line.
wait_line() {
	while read -r -t "${3:-30}" line <&"$1"; do
		[[ $line == *$2* ]] && return 0
	done
	return 1
}

# stop PID: end a peer this test started, and reap it quietly.
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

# --- 1. sctpperf client -> sctp_test server --------------------------------------------------------
mkfifo "$tmp/st.fifo"
sctp_test -H 127.0.0.1 -P "$port" -l -d 1 >"$tmp/st.fifo" 2>&1 &
st=$!
pids+=("$st")
exec 3<"$tmp/st.fifo"
if wait_line 3 "Server: Receiving packets"; then
	if "$P" client -a 127.0.0.1 -p "$port" --count 300 --assocs 2 --json >"$tmp/c1.json" 2>"$tmp/c1.err"; then
		data=0 done=0
		while [ $done -lt 2 ] && read -r -t 30 line <&3; do
			case $line in
			*"Data 100 bytes"*) data=$((data + 1)) ;;
			*SHUTDOWN_COMPLETE*) done=$((done + 1)) ;;
			esac
		done
		if [ $data -eq 300 ] && [ $done -eq 2 ]; then
			echo "ok: sctpperf client -> sctp_test server: 300 messages of 100 bytes arrived, 2 associations shut down"
		else
			fail "sctpperf client -> sctp_test: sctp_test saw $data of 300 messages, $done of 2 shutdowns"
		fi
	else
		fail "sctpperf client -> sctp_test: client failed: $(cat "$tmp/c1.err")"
	fi
else
	fail "sctp_test did not start listening on port $port"
fi
stop "$st"
exec 3<&-

# --- 2. sctp_test client -> sctpperf server ----------------------------------------------------------
# start_server ARGS...: an sctpperf server on a port the kernel picks; sets $spid and $sport.
start_server() {
	rm -f "$tmp/srv.fifo"
	mkfifo "$tmp/srv.fifo"
	"$P" server -a 127.0.0.1 -p 0 --once --json "$@" >"$tmp/srv.json" 2>"$tmp/srv.fifo" &
	spid=$!
	pids+=("$spid")
	exec 4<"$tmp/srv.fifo"
	wait_line 4 "listening on" || return 1
	sport=${line##*127.0.0.1:}
	sport=${sport%% *}
}

# finish_server: wait for the --once server to exit; its status is left in $src.
finish_server() {
	wait "$spid"
	src=$?
	cat <&4 >"$tmp/srv.err"
	exec 4<&-
}

if start_server; then
	# 10 rounds of 10 messages of 100 bytes, then sctp_test closes its one-to-many socket.
	if sctp_test -H 127.0.0.1 -P 0 -h 127.0.0.1 -p "$sport" -s -c -100 -x 10 -d 0 >"$tmp/stc.out" 2>&1; then
		finish_server
		if [ $src -eq 0 ] && [ "$(jget "$tmp/srv.json" received)" = 100 ] && [ "$(jget "$tmp/srv.json" verified)" = 0 ] &&
			[ "$(jget "$tmp/srv.json" bytes)" = 10000 ]; then
			echo "ok: sctp_test client -> sctpperf server: 100 messages, 10000 bytes received (not sctpperf's: counted, not verified)"
		else
			fail "sctp_test -> sctpperf server: exit $src, $(cat "$tmp/srv.json" "$tmp/srv.err")"
		fi
	else
		fail "sctp_test client failed: $(tail -3 "$tmp/stc.out")"
		finish_server
	fi
else
	fail "the sctpperf server did not start"
fi

# --- 3. sctpperf client --rr -> socat echo server -------------------------------------------------------
port=$((port + 1))
mkfifo "$tmp/so.fifo"
socat -d -d "SCTP-LISTEN:$port,reuseaddr,fork" EXEC:cat 2>"$tmp/so.fifo" &
so=$!
pids+=("$so")
exec 5<"$tmp/so.fifo"
if wait_line 5 "listening on"; then
	# socat keeps logging on stderr; let it go to a file from now on so it never blocks.
	cat <&5 >"$tmp/socat.log" &
	pids+=($!)
	for args in "--style one-to-one" "--style one-to-many" "--style one-to-one --batch 8" "--size 3000 --assocs 3"; do
		# shellcheck disable=SC2086 # the arguments are meant to split
		if "$P" client -a 127.0.0.1 -p "$port" --rr --count 100 --assocs 2 --json $args >"$tmp/c3.json" 2>"$tmp/c3.err" &&
			[ "$(jget "$tmp/c3.json" received)" = 100 ] && [ "$(jget "$tmp/c3.json" lost)" = 0 ] &&
			[ "$(jget "$tmp/c3.json" corrupt)" = 0 ]; then
			echo "ok: sctpperf client --rr $args -> socat echo: 100 echoes intact, p50 $(jget "$tmp/c3.json" p50_us) us"
		else
			fail "sctpperf client --rr $args -> socat: $(cat "$tmp/c3.err" "$tmp/c3.json")"
		fi
	done
else
	fail "socat did not start listening on port $port"
fi
stop "$so"
exec 5<&-

# --- 4. socat client -> sctpperf server --echo ----------------------------------------------------------
if start_server --echo --style one-to-one; then
	mkfifo "$tmp/in" "$tmp/out"
	socat - "SCTP-CONNECT:127.0.0.1:$sport" <"$tmp/in" >"$tmp/out" 2>"$tmp/sc.err" &
	sc=$!
	pids+=("$sc")
	exec 6>"$tmp/in" 8<"$tmp/out"
	printf 'hello from socat\n' >&6
	read -r -t 30 echoed <&8
	# Closing socat's input ends the association (after the echo came back: SCTP has no half-close).
	exec 6>&-
	wait "$sc"
	scrc=$?
	exec 8<&-
	finish_server
	if [ "${echoed:-}" = "hello from socat" ] && [ $scrc -eq 0 ] && [ $src -eq 0 ] &&
		[ "$(jget "$tmp/srv.json" echoed)" = 1 ]; then
		echo "ok: socat client -> sctpperf server --echo: the line came back"
	else
		fail "socat -> sctpperf --echo: got '${echoed:-}', socat exit $scrc, server exit $src: $(cat "$tmp/srv.json" "$tmp/sc.err")"
	fi
else
	fail "the sctpperf echo server did not start"
fi

finish
