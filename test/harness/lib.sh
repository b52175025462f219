# SPDX-License-Identifier: MIT
#
# test/harness/lib.sh - what the tests of scripts/sctp-run share; sourced, never run. These tests run on
# the host (the Makefile's test target runs them before the guest suite): each starts the harness itself.
# After sourcing:
#   SR          the harness under test ($SCTP_RUN if set, else scripts/sctp-run of this checkout)
#   ROOT        the checkout; tmp a scratch folder (not under /tmp), removed on exit
#   VM          the option that selects the guest path: --vm, or empty when the guest cannot run here
#               (the host has SCTP, so make test installed no QEMU) or SCTPRUN_MODES=native asks for
#               the native checks only (test/t_sctprun_native.sh, in the guest); need_vm skips then
#   fail MSG / pass MSG / finish    as in test/sctpperf.sh
#   same WHAT FILE EXPECTED         FILE holds exactly the bytes of EXPECTED (a file), else fail
#                                   with both shown escaped
#   seed_cache DIR                  make DIR a harness cache that shares this checkout's guest image
#                                   (symlinks), so a run with it boots without preparing a new one
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SR=${SCTP_RUN:-$ROOT/scripts/sctp-run}
case $SR in /*) ;; *) SR=$ROOT/$SR ;; esac
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
mkdir -p "$B"
tmp=$(mktemp -d "$B/harness.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }
finish() {
	[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
	exit 0
}

same() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1: expected $(od -An -c "$3" | tr -s ' \n' ' ' | cut -c1-400), got $(od -An -c "$2" | tr -s ' \n' ' ' | cut -c1-400)"
	fi
}

# refused VAR VALUE: sctp-run with VAR=VALUE in its environment must exit 125 naming VAR, before
# anything runs (the command would print "ran").
refused() {
	local start=$SECONDS rc
	env "$1=$2" "$SR" --vm -- sh -c 'echo ran' >"$tmp/got" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 125 ] && ! [ -s "$tmp/got" ] && grep -q "$1" "$tmp/err"; then
		pass "$1 $(printf %q "$2") refused (125, nothing ran, in $((SECONDS - start)) s)"
	else
		fail "$1 $(printf %q "$2"): exit $rc, stdout '$(head -c 200 "$tmp/got")', stderr '$(head -c 300 "$tmp/err")'"
	fi
}

host_has_sctp() {
	modprobe -q sctp 2>/dev/null || true
	perl -MSocket -e 'socket(my $s, AF_INET, SOCK_SEQPACKET, 132) or exit 1' 2>/dev/null
}

VM=--vm
if [ "${SCTPRUN_MODES:-}" = native ] || { host_has_sctp && ! command -v qemu-system-x86_64 >/dev/null; }; then
	VM=
fi
need_vm() {
	[ -n "$VM" ] || { echo "skip: the guest path is not tested here (SCTPRUN_MODES=native, or the host has SCTP and no qemu-system-x86_64)"; exit 77; }
}

# The checkout's cache, with its image prepared (a first run builds it).
seed_cache() {
	local src
	src=${SCTPIO_VM_CACHE:-$("$SR" --cache-dir)}
	if ! [ -f "$src/stamp" ]; then
		"$SR" --vm -- true || { fail "the harness could not prepare its guest image"; finish; }
	fi
	mkdir -p "$1"
	ln -sf "$src/vmlinuz" "$src/initrd.gz" "$src/stamp" "$1/"
}

# sigrun SIG CMD...: run CMD with SIGINT at its default (a shell's background job would ignore it),
# its stdout read line by line; at the first line "ready" send it signal SIG (NONE: no signal). Prints
# CMD's stdout, then "exit N" or "signal N" for how CMD ended.
sigrun() {
	perl -e '
		my $sig = shift;
		$SIG{INT} = "DEFAULT";
		pipe(my $r, my $w) or die "pipe: $!";
		my $pid = fork() // die "fork: $!";
		if (!$pid) { close $r; open(STDOUT, ">&", $w) or die; exec(@ARGV) or exit 127; }
		close $w;
		while (my $l = <$r>) {
			print $l;
			kill($sig, $pid) if $l eq "ready\n" && $sig ne "NONE";
		}
		waitpid($pid, 0);
		print $? & 127 ? "signal " . ($? & 127) : "exit " . ($? >> 8), "\n";
	' "$@"
}
