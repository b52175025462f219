#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_man.sh - the manual: every function the shared library exports has a page in man/man3 (its own, or
# a .so link to the page it shares), the pages are current with the headers they are made from
# (scripts/mkman --check), and every page, sctpio(7) included, renders with groff without a warning.
# Skips (77) without groff or perl. Finds the build in $B.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
command -v groff >/dev/null || { echo "skip: no groff"; exit 77; }
command -v perl >/dev/null || { echo "skip: no perl"; exit 77; }
[ -f "$B/libsctpio.so" ] || { echo "no $B/libsctpio.so: build it first"; exit 1; }
fails=0
scripts/mkman --check || fails=$((fails + 1))
n=0
for s in $(nm -D --defined-only "$B/libsctpio.so" | awk '{ sub(/@.*/, "", $3); print $3 }' | grep '^sctpio_' | sort -u); do
	n=$((n + 1))
	[ -f "man/man3/$s.3" ] || { echo "FAIL: $s is exported but has no man/man3/$s.3"; fails=$((fails + 1)); }
done
[ "$n" -gt 50 ] || { echo "FAIL: only $n exported functions found in $B/libsctpio.so"; fails=$((fails + 1)); }
pages=0
for f in man/man3/*.3 man/man7/*.7; do
	pages=$((pages + 1))
	w=$(cd man && groff -man -ww -z -Tutf8 "${f#man/}" 2>&1)
	[ -z "$w" ] || { echo "FAIL: $f renders with warnings:"; echo "$w" | head -3; fails=$((fails + 1)); }
done
echo "$n exported functions, $pages pages checked, $fails problems"
[ $fails -eq 0 ]
