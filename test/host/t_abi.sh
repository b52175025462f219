#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_abi.sh - the ABI promise of sctpio/version.h, checked on the built shared library:
#  - src/sctpio.map names exactly the functions the headers declare with SCTPIO_API, and the library
#    exports exactly those, each under a version node (SCTPIO_0.1, ...), nothing else;
#  - sctpio_version() and sctpio_version_string() agree with the headers' SCTPIO_VERSION_* and with
#    the Makefile's VERSION;
#  - the library's ABI against the recorded one of the last release (abi/libsctpio.so.0.abi) differs
#    by added functions at most: any change to a type (size, fields) or an existing function fails
#    (abidiff from Debian's abigail-tools; skipped with a note when it is not installed — CI
#    installs it). After an intended, reviewed change the record is renewed with
#    `abidw --headers-dir include --no-comp-dir-path --short-locs --no-corpus-path
#    build/libsctpio.so > abi/libsctpio.so.0.abi` (and when a release is made).
# Finds the build in $B.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
so=$B/libsctpio.so
[ -f "$so" ] || { echo "no $so: build it first"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

sed -n 's/^SCTPIO_API [^(]*[ *]\(sctpio_[a-z0-9_]*\)(.*/\1/p' include/sctpio/*.h | sort -u >"$tmp/headers"
sed -n 's/^[[:space:]]*\(sctpio_[a-z0-9_]*\);$/\1/p' src/sctpio.map | sort >"$tmp/map"
nm -D --defined-only "$so" | awk '$2 != "A" { print $3 }' >"$tmp/dynsyms"
sed 's/@.*//' "$tmp/dynsyms" | sort -u >"$tmp/exported"
[ "$(wc -l <"$tmp/headers")" -gt 100 ] || fail "only $(wc -l <"$tmp/headers") SCTPIO_API prototypes found in include/"
diff -u "$tmp/headers" "$tmp/map" >"$tmp/d1" || { fail "src/sctpio.map differs from the headers (- headers, + map):"; grep '^[-+]s' "$tmp/d1"; }
diff -u "$tmp/headers" "$tmp/exported" >"$tmp/d2" || { fail "the library exports other names than the headers declare (- headers, + library):"; grep '^[-+][a-zA-Z]' "$tmp/d2"; }
grep -v '@@\?SCTPIO_[0-9]' "$tmp/dynsyms" | grep . >"$tmp/unversioned" && { fail "exported without a version node:"; cat "$tmp/unversioned"; }
dup=$(sort "$tmp/map" | uniq -d)
[ -z "$dup" ] || fail "listed twice in src/sctpio.map: $dup"
[ $fails -eq 0 ] && echo "ok: $(wc -l <"$tmp/headers") functions in headers, map and library, all versioned"

# Run-time version = compile-time version = the Makefile's.
cat >"$tmp/v.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <sctpio.h>
int main(void)
{
	char want[32];
	snprintf(want, sizeof want, "%d.%d.%d", SCTPIO_VERSION_MAJOR, SCTPIO_VERSION_MINOR, SCTPIO_VERSION_PATCH);
	printf("%s\n", sctpio_version_string());
	return sctpio_version() == SCTPIO_VERSION_NUMBER && strcmp(want, sctpio_version_string()) == 0 ? 0 : 1;
}
C
mkver=$(sed -n 's/^VERSION[[:space:]]*:=[[:space:]]*//p' Makefile)
if cc -Iinclude -o "$tmp/v" "$tmp/v.c" "$so" && got=$(LD_LIBRARY_PATH=$B "$tmp/v"); then
	[ "$got" = "$mkver" ] && echo "ok: sctpio_version_string() = $got = the Makefile's VERSION" ||
		fail "the library says $got, the Makefile's VERSION is $mkver"
else
	fail "sctpio_version() disagrees with SCTPIO_VERSION_NUMBER"
fi

if command -v abidiff >/dev/null; then
	# abidiff's status is a bit set: 1 error, 2 usage, 4 an ABI change, 8 an incompatible one. Bit 8
	# means only a removed symbol (abidiff(1), RETURN VALUES): a struct that changed its size or its
	# fields sets bit 4 alone, exactly as an added function does. So the verdict comes from a run with
	# --no-added-syms, which leaves added functions and variables out of the report and the status:
	# whatever still sets bit 4 is a change to a type or to an existing function, and fails. A change
	# within sctpio/version.h's rules (a new field taking reserved space, the size unchanged) fails
	# too: a person reads the report and, when it keeps the rules, renews the record with the change.
	abidiff --no-added-syms --headers-dir2 include abi/libsctpio.so.0.abi "$so" >"$tmp/abidiff"
	rc=$?
	abidiff --headers-dir2 include abi/libsctpio.so.0.abi "$so" >"$tmp/abidiff-all"
	rc_all=$?
	if [ $rc -ne 0 ]; then
		fail "abidiff against abi/libsctpio.so.0.abi (status $rc): $( [ $((rc & 3)) -ne 0 ] && echo "an error" ||
			echo "a change other than added functions (a type's size or fields, a signature, a removal)")"
		head -60 "$tmp/abidiff"
	elif [ $((rc_all & ~4)) -ne 0 ]; then
		fail "abidiff without --no-added-syms disagrees (status $rc_all)"
		head -40 "$tmp/abidiff-all"
	elif [ $((rc_all & 4)) -ne 0 ]; then
		echo "ok: only additions since the recorded release:"; grep "\[A\]" "$tmp/abidiff-all" | head -20
	else
		echo "ok: the ABI is the recorded one (abidiff)"
	fi
else
	echo "note: abidiff not installed (Debian: abigail-tools), the ABI comparison was skipped"
fi
[ $fails -eq 0 ]
