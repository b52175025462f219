#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctprun_status.sh - exit status and signals through the harness, as when the command runs here:
#   1. a command killed by a signal (SIGUSR1): the status a shell reports for it natively (128+10);
#      its stdout and stderr come back, each on its own stream
#   2. Ctrl-C: SIGINT sent to the harness reaches the command, whose trap runs and sets the status
#   3. SIGTERM to the harness, not trapped by the command: the command dies of it, and so does the
#      harness (as timeout(1) does natively), so that a calling shell sees the signal
# Through the guest, and natively too where the host has SCTP.
. "$(dirname "$0")/lib.sh"

usr1='echo out; echo err >&2; kill -USR1 $$'
# The sleep holds no output open: natively, a signal for the group does not end it (an asynchronous
# command ignores SIGINT) and it would keep the reader of stdout waiting.
trapped='sleep 1000 >/dev/null 2>&1 & trap "kill $!; echo got INT; exit 3" INT; echo ready; wait $!'
untrapped='sleep 1000 >/dev/null 2>&1 & echo ready; wait $!'

# The status a shell reports for case 1 natively.
native=$(sh -c "$usr1" >/dev/null 2>&1; echo $?) 2>/dev/null

check() {
	local how=$1 rc
	shift
	"$SR" "$@" -- sh -c "$usr1" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	perl -0777 -pe 's/^sctp-run: (preparing|installing) [^\n]*\n//mg' -i "$tmp/err"
	if [ $rc -eq "$native" ] && [ "$(cat "$tmp/out")" = out ] && [ "$(cat "$tmp/err")" = err ]; then
		pass "$how: killed by SIGUSR1: status $rc as natively, stdout 'out' and stderr 'err' apart"
	else
		fail "$how: killed by SIGUSR1: status $rc (natively $native), stdout '$(cat "$tmp/out")', stderr '$(cat "$tmp/err")'"
	fi
	got=$(sigrun INT "$SR" "$@" -- sh -c "$trapped" 2>"$tmp/err")
	want=$(printf 'ready\ngot INT\nexit 3')
	[ "$got" = "$want" ] && pass "$how: Ctrl-C reached the command's trap (exit 3)" ||
		fail "$how: Ctrl-C: got '$got', want '$want': $(head -c 400 "$tmp/err")"
	got=$(sigrun TERM "$SR" "$@" -- sh -c "$untrapped" 2>"$tmp/err")
	want=$(printf 'ready\nsignal 15')
	[ "$got" = "$want" ] && pass "$how: SIGTERM killed the command and the harness died of it" ||
		fail "$how: SIGTERM: got '$got', want '$want': $(head -c 400 "$tmp/err")"
}

[ -z "$VM" ] || check guest --vm
! host_has_sctp || check native --native
finish
