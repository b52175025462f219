#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctprun_args.sh - the command line, the environment and the working directory reach the command
# byte for byte, its stdout and stderr come back apart and byte for byte, and its stdin is /dev/null:
# one run through the guest (and one natively where the host has SCTP) of a command that prints its
# arguments NUL-terminated on stdout, $PWD and an awkward variable on stderr, then counts stdin.
. "$(dirname "$0")/lib.sh"

args=(
	''                                  # an empty argument
	'two words' '  leading' 'trailing  '
	$'one\ntwo' $'ends in a newline\n' $'\n'
	"it's" "'" "''" '"' '"double"' "a'b\"c"
	'$HOME' '${HOME}' '$(echo no)' '`echo no`' '$' '$1' '$@' '$*'
	'\' '\\' '\n' '\t' 'a\'
	'*' '?' '[a]' '~' '~root' '#not a comment' '!' '!!' '%s' '%%' '%n'
	';' '|' '&' '&&' '>' '<' '>>' '(' ')' '{' '}' '=' 'a=b' 'IFS=x'
	'-n' '-e' '--' '-' '--help'
	$'\t' $'\r' $'\r\n' $'\x01\x02\x03' $'\x1b[31mred\x1b[0m' $'\x7f'
	'héllo' '日本語' $'\xff\xfe' $'\xc3' $'\xe2\x82' "é'é"
	"$(printf '%04000d' 0)"             # 4000 bytes
)
awk=$'x\ny \'q\' "d" $HOME `c` \\ \x01 é \xff'

# The working directory has an awkward name as well.
dir=$tmp/$'dir \'q\' $x\nnl é'
mkdir -p "$dir"
printf '%s\0' "${args[@]}" >"$tmp/want.out"
echo 0 >>"$tmp/want.out"
printf '%s\0%s\0' "$dir" "$awk" >"$tmp/want.err"

check() {
	local how=$1 rc
	shift
	(cd "$dir" && AWKWARD=$awk "$SR" "$@" -- sh -c 'printf "%s\000" "$@"; printf "%s\000%s\000" "$PWD" "$AWKWARD" >&2; wc -c' \
		sh "${args[@]}" >"$tmp/out" 2>"$tmp/err" <"$tmp/want.err")
	rc=$?
	[ $rc -eq 0 ] || fail "$how: exit $rc: $(head -c 600 "$tmp/err")"
	# A first run may say that it prepares the guest; nothing else may reach stderr.
	perl -0777 -pe 's/^sctp-run: (preparing|installing) [^\n]*\n//mg' "$tmp/err" >"$tmp/err2"
	same "$how: ${#args[@]} arguments and stdin /dev/null (stdout)" "$tmp/out" "$tmp/want.out"
	same "$how: working directory and environment (stderr)" "$tmp/err2" "$tmp/want.err"
}

if [ -n "$VM" ]; then
	check guest --vm
fi
if host_has_sctp; then
	check native --native
fi
finish
