#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctprun_tmp.sh - the guest's /tmp follows one rule, wherever the working directory is: /tmp is the
# guest's own tmpfs (a FIFO can be made there, a file the host has in /tmp is not seen), except the
# host's folder /tmp/NAME that holds the working directory and the one that holds the cache, which
# are shared both ways; run from /tmp itself, the guest's /tmp is the host's, and TMPDIR a tmpfs.
#   1. working directory outside /tmp, cache in a folder under /tmp (the job directory lives there)
#   2. working directory in a subfolder of /tmp/NAME: a sibling file in /tmp/NAME is seen
#   3. working directory /tmp
. "$(dirname "$0")/lib.sh"
need_vm

# Host side: a marker in a folder of its own under /tmp (never shared), a cache in another, and the
# working directories of cases 1 and 2.
marker=$(mktemp -d /tmp/sctprun-marker.XXXXXX)
top=$(mktemp -d /tmp/sctprun-top.XXXXXX)
cachetop=$(mktemp -d /tmp/sctprun-cache.XXXXXX)
trap 'rm -rf "$tmp" "$marker" "$marker.here" "$top" "$cachetop"' EXIT
echo host >"$marker/seen"
seed_cache "$cachetop/cache"
mkdir -p "$tmp/out" "$top/sub"
echo sibling >"$top/sibling"
echo here >"$tmp/out/here"
echo here >"$top/sub/here"

# What the command reports from inside the guest, one fact a line.
probe='
	echo "tmp fs: $(stat -f -c %T /tmp)"
	[ -e "$1/seen" ] && echo "marker: seen" || echo "marker: not seen"
	mkfifo /tmp/sctprun-fifo.$$ && echo "fifo in /tmp: ok" && rm -f /tmp/sctprun-fifo.$$
	f=$(mktemp) && mkfifo "$f.fifo" && echo "fifo in TMPDIR: ok" && rm -f "$f" "$f.fifo"
	echo "cwd file: $(cat "$3" 2>&1)"
	[ -z "$2" ] || echo "sibling: $(cat "$2" 2>&1)"
	echo "TMPDIR: ${TMPDIR:-unset}"
	echo from-guest >"$3.back"
'

run_case() {
	local what=$1 dir=$2 sibling=$3 file=$4 want=$5 rc
	shift 5
	(cd "$dir" && env -u TMPDIR "$@" "$SR" --vm -- sh -c "$probe" sh "$marker" "$sibling" "$file" >"$tmp/got" 2>"$tmp/err")
	rc=$?
	printf '%s\n' "$want" >"$tmp/want"
	if [ $rc -ne 0 ]; then
		fail "$what: exit $rc: $(head -c 600 "$tmp/err")"
	else
		same "$what: /tmp in the guest" "$tmp/got" "$tmp/want"
	fi
	[ "$(cat "$dir/$file.back" 2>&1)" = from-guest ] && pass "$what: a file written in the working directory came back" ||
		fail "$what: the guest's file in the working directory did not come back"
	rm -f "$dir/$file.back"
}

private='tmp fs: tmpfs
marker: not seen
fifo in /tmp: ok
fifo in TMPDIR: ok
cwd file: here'
run_case "outside /tmp, cache under /tmp" "$tmp/out" "" here "$private
TMPDIR: unset" SCTPIO_VM_CACHE="$cachetop/cache"
run_case "in $top/sub" "$top/sub" "$top/sibling" here "$private
sibling: sibling
TMPDIR: unset"
echo here >"$marker.here"
# The guest sees the host's /tmp over 9p, which reports the host's filesystem type.
run_case "in /tmp itself" /tmp "" "${marker#/tmp/}.here" "tmp fs: $(stat -f -c %T /tmp)
marker: seen
fifo in TMPDIR: ok
cwd file: here
TMPDIR: /dev/shm"
finish
