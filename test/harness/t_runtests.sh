#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_runtests.sh - test/run-tests: a skipped test is listed in the closing output with the reason it
# printed ("skip: ..."), a failed one by name, and results recorded by a first step (--record, as the
# harness tests are) are counted in the one closing line of the second (--include); a missing record
# counts as a failure. No guest: fake tests only.
. "$(dirname "$0")/lib.sh"

printf '#!/bin/sh\necho fine\n' >"$tmp/t_pass"
printf '#!/bin/sh\necho "skip: no frobnicator here (install frob)"\nexit 77\n' >"$tmp/t_skip"
printf '#!/bin/sh\nexit 3\n' >"$tmp/t_fail"
chmod +x "$tmp"/t_*

"$ROOT/test/run-tests" --record "$tmp/rec" "$tmp/t_pass" "$tmp/t_skip" >"$tmp/out1"
rc=$?
[ $rc -eq 0 ] && ! grep -q 'passed,' "$tmp/out1" && pass "--record: exit 0, no closing line" ||
	fail "--record: exit $rc, output $(cat "$tmp/out1")"

"$ROOT/test/run-tests" --include "$tmp/rec" "$tmp/t_pass" "$tmp/t_fail" >"$tmp/out2"
rc=$?
cat >"$tmp/want" <<'W'
skipped: t_skip: no frobnicator here (install frob)
failed: t_fail
2 passed, 1 failed, 1 skipped
W
tail -n 3 "$tmp/out2" >"$tmp/got"
same "--include: the closing lines count both steps and give the skip's reason" "$tmp/got" "$tmp/want"
[ $rc -eq 1 ] && pass "--include: exit 1 with a failure" || fail "--include: exit $rc"
grep -q -x 'SKIP t_skip: no frobnicator here (install frob)' "$tmp/out1" && pass "the SKIP line gives the reason" ||
	fail "no SKIP line with the reason: $(cat "$tmp/out1")"

"$ROOT/test/run-tests" --include "$tmp/missing" "$tmp/t_pass" >"$tmp/out3"
rc=$?
[ $rc -eq 1 ] && [ "$(tail -n 1 "$tmp/out3")" = "1 passed, 1 failed, 0 skipped" ] &&
	pass "a missing record counts as a failure" || fail "missing record: exit $rc, $(tail -n 2 "$tmp/out3")"
finish
