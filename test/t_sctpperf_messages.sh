#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t_sctpperf_messages.sh - sctpperf loopback with other message patterns: request-response (every
# echo checked against its request), messages larger than the 64 KiB receive buffer or batch slot
# (they arrive in pieces and are joined), echoes of such messages, and Nagle left on. Every run must
# report as many messages received as sent and none lost or reordered. Runs are few and small: the
# emulated guest on a busy host can be many times slower than on an idle one.
# Needs kernel SCTP; finds the build in $B.
. "$(dirname "$0")/sctpperf.sh"

loop "request-response, pool, batch 8" --rr --model pool --batch 8 --count 200
loop "request-response, one-to-one, poller" --rr --style one-to-one --model poller --count 200
loop "request-response, 300 streams" --rr --streams 300 --count 150
loop "70000-byte messages, in pieces" --size 70000 --count 20 --assocs 2
loop "70000-byte messages, batch 4" --size 70000 --count 20 --batch 4 --style one-to-one
loop "request-response, 70000-byte echoes" --rr --size 70000 --count 10 --model pool
loop "Nagle on, one association, one stream" --nagle --assocs 1 --streams 1 --count 200

# The rate of a request-response run covers its requests, not the graceful shutdown after them: with
# one request in flight, the data phase is the sum of the round trips plus the client's own work
# between them (in the emulator about half a round trip each). The shutdown waits for a delayed
# SACK, about 0.2 s, which the rate once included: 0.30 s for 200 round trips of 0.32 ms.
if loop "request-response, one association, rate from the round trips" --rr --assocs 1 --count 100; then
	secs=$(jget "$tmp/out" secs) mean=$(jget "$tmp/out" mean_us)
	if awk -v s="$secs" -v m="$mean" 'BEGIN { exit !(s <= 3 * 100 * m / 1e6 + 0.05) }'; then
		pass "data phase $secs s for 100 round trips of mean $mean us"
	else
		fail "data phase $secs s is longer than 100 round trips of mean $mean us explain"
	fi
fi

finish
