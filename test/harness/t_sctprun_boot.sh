#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctprun_boot.sh - the boot watchdog: a guest that has not started the command within
# SCTPIO_VM_BOOT_TIMEOUT seconds is booted once more, and when that boot is too slow as well
# sctp-run exits 125 saying so, the command never having run; a bad value is refused before any
# guest starts; a run within the limit is untouched (no note, the command's status).
. "$(dirname "$0")/lib.sh"
need_vm

# No emulated boot reaches the command in 1 s (one takes about 20), so both boots "hang".
start=$SECONDS
SCTPIO_VM_BOOT_TIMEOUT=1 "$SR" --vm -- sh -c 'echo ran' >"$tmp/got" 2>"$tmp/err"
rc=$?
took=$((SECONDS - start))
notes=$(grep -c 'booting it again' "$tmp/err")
if [ $rc -eq 125 ] && ! [ -s "$tmp/got" ] && [ "$notes" -eq 1 ] && grep -q 'did not start the command within 1s, twice' "$tmp/err" &&
	[ $took -lt 60 ]; then
	pass "a boot slower than SCTPIO_VM_BOOT_TIMEOUT=1: booted again once, then 125 with nothing run, in $took s"
else
	fail "SCTPIO_VM_BOOT_TIMEOUT=1: exit $rc in $took s, $notes notes, stdout '$(head -c 200 "$tmp/got")', stderr '$(head -c 400 "$tmp/err")'"
fi

for bad in 0 abc -5; do
	refused SCTPIO_VM_BOOT_TIMEOUT "$bad"
done

SCTPIO_VM_BOOT_TIMEOUT=300 "$SR" --vm -- sh -c 'echo ran; exit 7' >"$tmp/got" 2>"$tmp/err"
rc=$?
if [ $rc -eq 7 ] && [ "$(cat "$tmp/got")" = ran ] && ! grep -q 'booting it again' "$tmp/err"; then
	pass "a boot within the limit: the command ran once, its status 7 came back, no note"
else
	fail "within the limit: exit $rc, stdout '$(head -c 200 "$tmp/got")', stderr '$(head -c 300 "$tmp/err")'"
fi
finish
