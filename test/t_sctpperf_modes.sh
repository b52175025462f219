#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctpperf_modes.sh - sctpperf loopback streaming end to end: both socket styles, the three
# dispatch models, per-message and batched I/O, IPv6, a multi-homed association, and a run bound by
# time instead of a count. Every run must report exactly as many messages received as sent and none
# lost or reordered (the receiver checks every (association, stream) sequence). Runs are few and
# small: the emulated guest on a busy host can be many times slower than on an idle one.
# Needs kernel SCTP; finds the build in $B.
. "$(dirname "$0")/sctpperf.sh"

loop "one-to-many, loop, per-message" --count 800
loop "one-to-one, pool, batch 32" --style one-to-one --model pool --batch 32 --count 800
loop "one-to-many, poller 2 workers, batch 1" --model poller --workers 2 --batch 1 --count 800
loop "one-to-one, poller, batch 64, 8 associations" --style one-to-one --model poller --batch 64 --assocs 8 --count 1200
loop "IPv6" -6 --count 500
loop "multi-homed (127.0.0.1 and 127.0.0.2)" --addr 127.0.0.1,127.0.0.2 --style one-to-one --count 500
loop "duration 0.5 s" --duration 0.5 --assocs 2

finish
