#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_headers.sh - every public header compiles on its own, first in a translation unit, in C (c99,
# c11, gnu11, with -pedantic) and C++ (11, 17), with warnings as errors; and the umbrella header's
# declarations link against the static library from C++ (extern "C" is right). Needs cc and c++;
# skips (77) without a C++ compiler.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
CC=${CC:-cc}
CXX=${CXX:-c++}
command -v "$CXX" >/dev/null || { echo "skip: no C++ compiler ($CXX)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 n=0
for h in include/sctpio.h include/sctpio/*.h; do
	inc=${h#include/}
	printf '#include <%s>\nint sctpio_header_check_%d;\n' "$inc" "$n" >"$tmp/c.c"
	cp "$tmp/c.c" "$tmp/c.cc"
	for std in c99 c11 gnu11; do
		if ! "$CC" -std=$std -pedantic -Wall -Wextra -Werror -Iinclude -fsyntax-only "$tmp/c.c" 2>"$tmp/err"; then
			echo "FAIL: $inc alone, C $std:"; head -5 "$tmp/err"; fails=$((fails + 1))
		fi
		n=$((n + 1))
	done
	for std in c++11 c++17; do
		if ! "$CXX" -std=$std -Wall -Wextra -Werror -Iinclude -fsyntax-only "$tmp/c.cc" 2>"$tmp/err"; then
			echo "FAIL: $inc alone, $std:"; head -5 "$tmp/err"; fails=$((fails + 1))
		fi
		n=$((n + 1))
	done
done
# C++ calls into the library link (the declarations are extern "C").
cat >"$tmp/link.cc" <<'CC'
#include <sctpio.h>
int main() { sctpio_addr a; return sctpio_addr_parse(&a, "127.0.0.1", 9) == 0 ? 0 : 1; }
CC
if [ -f "$B/libsctpio.a" ]; then
	if "$CXX" -std=c++11 -Iinclude -o "$tmp/link" "$tmp/link.cc" "$B/libsctpio.a" -pthread 2>"$tmp/err" && "$tmp/link"; then
		echo "ok: a C++ program links and calls sctpio_addr_parse"
	else
		echo "FAIL: C++ link or call"; head -5 "$tmp/err"; fails=$((fails + 1))
	fi
fi
echo "$n header compilations, $fails failed"
[ $fails -eq 0 ]
