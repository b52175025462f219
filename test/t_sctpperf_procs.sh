#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctpperf_procs.sh - sctpperf server and client as two processes: the client's messages all reach
# the server, which verifies every (association, stream) sequence and, with --once, exits when the
# client's associations have ended. Styles, dispatch models, batches and request-response vary.
# Needs kernel SCTP (run through scripts/sctp-run); finds the build in $B.
. "$(dirname "$0")/sctpperf.sh"

# The server says where it listens on stderr ("sctpperf: listening on ADDR:PORT (...)"): read that
# line through a FIFO (no guessing how long it takes to start), then run the client against it.
# serve_and_send WHAT SERVER-ADDRS SERVER-ARGS... -- CLIENT-ARGS... (the port is added to the client's)
serve_and_send() {
	local what=$1 saddr=$2 sargs=() cargs=() line port rc src
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do sargs+=("$1"); shift; done
	shift
	cargs=("$@")
	rm -f "$tmp/srv.fifo"
	mkfifo "$tmp/srv.fifo"
	"$P" server -a "$saddr" -p 0 --once --json "${sargs[@]}" >"$tmp/srv.json" 2>"$tmp/srv.fifo" &
	local spid=$!
	pids+=("$spid")
	exec 7<"$tmp/srv.fifo"
	if ! read -r -t 60 line <&7 || [[ $line != *"listening on"* ]]; then
		fail "$what: the server did not say where it listens: ${line:-nothing}"
		exec 7<&-
		return
	fi
	port=${line%% (*}
	port=${port##*:}
	"$P" client "${cargs[@]}" -p "$port" --json >"$tmp/cli.json" 2>"$tmp/cli.err"
	rc=$?
	wait "$spid"
	src=$?
	cat <&7 >"$tmp/srv.err"
	exec 7<&-
	if [ $rc -ne 0 ] || [ $src -ne 0 ]; then
		fail "$what: client exit $rc, server exit $src"
		sed 's/^/    /' "$tmp/cli.err" "$tmp/srv.err" | head -8
		return
	fi
	local sent recv
	sent=$(jget "$tmp/cli.json" sent)
	recv=$(jget "$tmp/srv.json" received)
	if [ "$sent" != "$recv" ] || [ "$(jget "$tmp/srv.json" lost)" != 0 ] || [ "$(jget "$tmp/srv.json" reordered)" != 0 ] ||
		[ "$(jget "$tmp/srv.json" verified)" != "$recv" ] || [ "$(jget "$tmp/cli.json" ok)" != true ]; then
		fail "$what: client $(cat "$tmp/cli.json") server $(cat "$tmp/srv.json")"
		return
	fi
	echo "ok: $what: client sent $sent, server received and verified $recv, lost 0, reordered 0"
}

serve_and_send "one-to-many, pool" 127.0.0.1 --model pool -- -a 127.0.0.1 --count 1000 --assocs 3
serve_and_send "one-to-one, poller, batch 16" 127.0.0.1 --style one-to-one --model poller --batch 16 -- \
	-a 127.0.0.1 --style one-to-one --count 1000 --batch 16
serve_and_send "request-response, IPv6 client (address as argument) to a dual-stack server" :: -- ::1 --rr --count 200
serve_and_send "multi-homed on both sides (--addr and --local)" 127.0.0.1,127.0.0.2 --style one-to-one -- \
	-a 127.0.0.1,127.0.0.2 --local 127.0.0.3,127.0.0.4 --style one-to-one --count 500 --assocs 2

finish
