#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctprun_cmdline.sh - SCTPIO_VM_CMDLINE: its words reach the guest kernel's command line (and
# tsc=reliable, the one scripts/bench uses, gives the guest the TSC clocksource); a value with a
# character the command line cannot carry is refused with exit 125 before any guest starts.
. "$(dirname "$0")/lib.sh"
need_vm

probe='tr " " "\n" </proc/cmdline | grep -x -e tsc=reliable -e sctpio.probe=a,b:c; cat /sys/devices/system/clocksource/clocksource0/current_clocksource'
SCTPIO_VM_CMDLINE="tsc=reliable sctpio.probe=a,b:c" "$SR" --vm -- sh -c "$probe" >"$tmp/got" 2>"$tmp/err"
rc=$?
printf 'tsc=reliable\nsctpio.probe=a,b:c\ntsc\n' >"$tmp/want"
if [ $rc -ne 0 ]; then
	fail "with SCTPIO_VM_CMDLINE: exit $rc: $(head -c 600 "$tmp/err")"
else
	same "the words of SCTPIO_VM_CMDLINE are on the guest's command line, and the clocksource is the TSC" "$tmp/got" "$tmp/want"
fi

for bad in 'a;reboot' 'x="y"' 'a$b' "$(printf 'a\nb')"; do
	refused SCTPIO_VM_CMDLINE "$bad"
done
finish
