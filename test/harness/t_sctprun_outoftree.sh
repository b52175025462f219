#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctprun_outoftree.sh - sctp-run as another project uses it: `make install` puts it on the PATH as
# sctp-run with its man page; from a folder outside this checkout, a throwaway C program that sends a
# message to itself over a kernel SCTP association builds and runs through it. Out of a checkout the
# cache is $XDG_CACHE_HOME/sctpio, else ~/.cache/sctpio (the run's job directory is seen there).
. "$(dirname "$0")/lib.sh"

dest=$tmp/dest
make -s -C "$ROOT" install DESTDIR="$dest" PREFIX=/usr B="$B" >"$tmp/make.log" 2>&1 ||
	{ fail "make install: $(tail -5 "$tmp/make.log")"; finish; }
[ -x "$dest/usr/bin/sctp-run" ] && pass "make install: /usr/bin/sctp-run" || fail "make install did not install bin/sctp-run"
if [ -f "$dest/usr/share/man/man1/sctp-run.1" ]; then
	pass "make install: /usr/share/man/man1/sctp-run.1"
	if command -v man >/dev/null; then
		warn=$(LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$dest/usr/share/man/man1/sctp-run.1" 2>&1 >"$tmp/man.txt")
		[ -z "$warn" ] && grep -q -- '--cache-dir' "$tmp/man.txt" && pass "the man page formats without warnings" ||
			fail "man page: $warn"
	fi
else
	fail "make install did not install share/man/man1/sctp-run.1"
fi
# Every option of --help is in the man page.
for o in $("$dest/usr/bin/sctp-run" --help | grep -o -E '^  (-[a-z]|--[a-z-]+)' | tr -d ' '); do
	grep -q -F -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$dest/usr/share/man/man1/sctp-run.1" || fail "option $o of --help is not in the man page"
done

# Where the installed copy keeps its cache.
export PATH=$dest/usr/bin:$PATH
unset SCTPIO_VM_CACHE
got=$(cd / && HOME=/nowhere XDG_CACHE_HOME=/xdg sctp-run --cache-dir)
[ "$got" = /xdg/sctpio ] && pass "cache: \$XDG_CACHE_HOME/sctpio" || fail "cache with XDG_CACHE_HOME=/xdg: $got"
got=$(cd / && HOME=/nowhere env -u XDG_CACHE_HOME sctp-run --cache-dir)
[ "$got" = /nowhere/.cache/sctpio ] && pass "cache: ~/.cache/sctpio without XDG_CACHE_HOME" || fail "cache without XDG_CACHE_HOME: $got"
got=$(cd / && HOME=/nowhere XDG_CACHE_HOME=relative sctp-run --cache-dir)
[ "$got" = /nowhere/.cache/sctpio ] && pass "cache: a relative XDG_CACHE_HOME is ignored" || fail "cache with a relative XDG_CACHE_HOME: $got"

# The project: one C file, in a folder of its own under /tmp (so outside this checkout).
proj=$(mktemp -d /tmp/sctprun-proj.XXXXXX)
trap 'rm -rf "$tmp" "$proj"' EXIT
cat >"$proj/selftalk.c" <<'C'
/* A throwaway SCTP program: a one-to-one association over loopback, one message, echo its text. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	char buf[256];
	int l = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP), c, s;
	ssize_t n;
	if (l < 0) { perror("socket(IPPROTO_SCTP)"); return 2; }
	if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &len))
		{ perror("listen"); return 2; }
	c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) || (s = accept(l, NULL, NULL)) < 0)
		{ perror("connect"); return 2; }
	const char *msg = argc > 1 ? argv[1] : "hello";
	if (send(c, msg, strlen(msg), 0) < 0 || (n = recv(s, buf, sizeof buf - 1, 0)) < 0) { perror("send"); return 2; }
	buf[n] = 0;
	printf("received over SCTP: %s\n", buf);
	return 0;
}
C
cc -Wall -Werror -o "$proj/selftalk" "$proj/selftalk.c" || { fail "the throwaway program does not build"; finish; }

if [ -n "$VM" ]; then
	seed_cache "$tmp/xdg/sctpio"
	got=$(cd "$proj" && XDG_CACHE_HOME=$tmp/xdg sctp-run --vm -- sh -c './selftalk "from another project"; ls "$XDG_CACHE_HOME/sctpio"' 2>"$tmp/err")
	rc=$?
else
	got=$(cd "$proj" && sctp-run -- ./selftalk "from another project" 2>"$tmp/err")
	rc=$?
fi
if [ $rc -eq 0 ] && [[ $got == "received over SCTP: from another project"* ]]; then
	pass "an installed sctp-run ran a program of another project from its own folder"
else
	fail "installed sctp-run from $proj: exit $rc, output '$got': $(head -c 400 "$tmp/err")"
fi
if [ -n "$VM" ]; then
	[[ $got == *$'\n'job.* ]] && pass "its job directory was in \$XDG_CACHE_HOME/sctpio" ||
		fail "no job directory in \$XDG_CACHE_HOME/sctpio: '$got'"
fi
finish
