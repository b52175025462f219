#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctprun_native.sh - the native path of scripts/sctp-run, where the kernel has SCTP (in the guest
# when the host has none): the argument table, the environment, stdout/stderr, stdin, exit status and
# signals of test/harness/t_sctprun_args.sh and t_sctprun_status.sh, with --native only.
h=$(dirname "$0")/harness
rc=0
for t in t_sctprun_args.sh t_sctprun_status.sh; do
	echo "== $t"
	SCTPRUN_MODES=native "$h/$t" || rc=1
done
exit $rc
