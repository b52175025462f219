# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2154 # work and date are scripts/bench's
#
# bench-curve.sh: the cost-curve pieces of `make bench`, sourced by scripts/bench (which defines piece,
# selected, json_or_null, machine_line, AWK_JV, $work and $date): bench/curve (C: one one-to-many
# socket, the pool, the poller) and bench/go/gocurve (Go: Receiver, Poller), run inside the same
# harness run as every other piece, then their tables, the targets of issue 15 item 3 and the plot
# (bench/curve.gp) in the report.
# Kept apart from scripts/bench because it is one piece's whole report, as long as the rest together.
#
# Settings (scripts/bench's header documents them): BENCH_CURVE_N, BENCH_CURVE_SECONDS, BENCH_CURVE_RATE.

CURVE_SHAPES="saturate trickle"
# The models each program serves by default, labelled as the report names them; the check expects every
# one at every association count and shape.
CURVE_C_MODELS="many pool poller"
CURVE_GO_MODELS="receiver poller"
# What issue 15 item 3 compares: CPU per message at the high count over the low one, and memory at the
# high count.
CURVE_LO=10 CURVE_HI=10000 CURVE_CPU_GOAL=1.5 CURVE_C_MEM_GOAL=1024 CURVE_GO_MEM_GOAL=8192

# ---- inside the harness ------------------------------------------------------------------------------

curve_inner() {
	if selected curve; then
		piece curve "$work/curve.json" "$B/bench/curve" --json -n "$BENCH_CURVE_N" -t "$BENCH_CURVE_SECONDS" \
			-R "$BENCH_CURVE_RATE"
	fi
	if selected gocurve; then
		piece gocurve "$work/gocurve.json" "$B/go/gocurve" -json -n "$BENCH_CURVE_N" -t "$BENCH_CURVE_SECONDS" \
			-R "$BENCH_CURVE_RATE"
	fi
}

# ---- the report --------------------------------------------------------------------------------------

# curve_tsv: every point either program printed, one line each, in the order they ran:
# label shape assocs msgs_per_s cpu_us recvs wakeups user_bytes go_bytes goroutines kernel_bytes
# interval_ms received. The C program prints its points as it goes, so one that died at 10,000
# associations still leaves the smaller counts, and these are reported (marked incomplete).
curve_tsv() {
	{
		grep -o '{"model":[^{}]*}' "$work/curve.json" 2>/dev/null | sed 's/^/C\t/'
		grep -o '{"model":[^{}]*}' "$work/gocurve.json" 2>/dev/null | sed 's/^/Go\t/'
	} | awk -F'\t' "$AWK_JV"'
	function or(a, b) { return a != "" ? a : b }
	{
		r = $2; m = jv(r, "model")
		label = $1 == "C" ? "C " m : "Go " toupper(substr(m, 1, 1)) substr(m, 2)
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", label, jv(r, "shape"), jv(r, "assocs"),
			jv(r, "msgs_per_s"), jv(r, "cpu_us_per_msg"), or(jv(r, "recvs_per_msg"), jv(r, "reads_per_msg")),
			jv(r, "wakeups_per_msg"), jv(r, "user_bytes_per_assoc"), or(jv(r, "go_heap_stack_bytes_per_assoc"), "-"),
			or(jv(r, "goroutines_per_assoc"), "-"), jv(r, "kernel_slab_bytes_per_assoc"), jv(r, "interval_ms"),
			or(jv(r, "received"), jv(r, "Received"))
	}'
}

# curve_whole FILE PIECE: whether the piece ran cleanly and left a whole document. A harness run that
# ran out of time kills the guest, leaving a piece cut short with no exit status noted: its braces and
# brackets do not balance (its strings hold none).
curve_whole() {
	[ "$(json_or_null "$1" "$2")" != null ] &&
		awk '{ o += gsub(/[{[]/, ""); c += gsub(/[]}]/, "") } END { exit !(o == c && o > 0) }' "$1"
}

# curve_doc FILE PIECE: the piece's JSON document; when it failed, the points it printed before, marked
# incomplete; null when there are none.
curve_doc() {
	local pts
	if curve_whole "$1" "$2"; then
		cat "$1"
	elif pts=$(grep -o '{"model":[^{}]*}' "$1" 2>/dev/null | paste -sd, -) && [ -n "$pts" ]; then
		printf '{"incomplete":true,"points":[%s]}' "$pts"
	else
		printf 'null'
	fi
}

# curve_json: the two pieces for the report's JSON document, as members of its top-level object.
curve_json() {
	printf ',"curve":'
	curve_doc "$work/curve.json" curve | tr -d '\n'
	printf ',"gocurve":'
	curve_doc "$work/gocurve.json" gocurve | tr -d '\n'
}

# curve_plot DST: DST-curve.png, CPU per message against associations (bench/curve.gp), when any point
# was measured. The data: one file per shape, a column per model (always all five, in one order, so
# that each keeps its line style when another is missing), a line per association count.
curve_plot() {
	local dst=$1 s shapes=""
	[ -s "$work/curve.tsv" ] || return 0
	for s in $CURVE_SHAPES; do
		# A panel needs a point to draw; a shape no program reported is left out.
		awk -F'\t' -v shape="$s" '$2 == shape { f = 1 } END { exit !f }' "$work/curve.tsv" || continue
		shapes="${shapes:+$shapes }$s"
		awk -F'\t' -v shape="$s" -v models="C many|C pool|C poller|Go Receiver|Go Poller" '
		BEGIN { nc = split(models, name, "|") }
		$2 == shape {
			if (!($3 in row)) { row[$3] = 1; ns[++nn] = $3 + 0 }
			v[$1, $3] = $5
		}
		END {
			for (i = 2; i <= nn; i++) for (j = i; j > 1 && ns[j - 1] > ns[j]; j--) { t = ns[j]; ns[j] = ns[j - 1]; ns[j - 1] = t }
			printf "assocs"; for (c = 1; c <= nc; c++) printf "\t%s", name[c]; printf "\n"
			for (i = 1; i <= nn; i++) {
				printf "%s", ns[i]
				for (c = 1; c <= nc; c++) { x = v[name[c], ns[i]]; printf "\t%s", x == "" ? "-" : x }
				printf "\n"
			}
		}' "$work/curve.tsv" >"$work/curve-$s.dat"
	done
	command -v gnuplot >/dev/null || return 0 # scripts/bench's plot already noted the missing gnuplot
	# A model that reported nothing (a piece not selected, or failed: said elsewhere) is an empty
	# column, and a model with one point an empty range, which gnuplot warns about; its other words
	# are errors of the report.
	gnuplot -e "dir='$work'; out='$dst-curve.png'; shapes='$shapes'; subtitle='$(machine_line "$work")'" \
		bench/curve.gp 2>"$work/curve-gnuplot.log" || echo "report: gnuplot failed on bench/curve.gp" >>"$work/errors.txt"
	grep -iv 'warning' "$work/curve-gnuplot.log" >>"$work/errors.txt"
}

# curve_markdown: the report's section, from curve.tsv.
curve_markdown() {
	local s
	echo "## Cost curve: 1 to $CURVE_HI associations (bench/curve, bench/go/gocurve)"
	echo
	if ! [ -s "$work/curve.tsv" ]; then
		echo "Not available: neither program reported a point (see Errors)."
		return
	fi
	echo "Arguments \`-n $BENCH_CURVE_N -t $BENCH_CURVE_SECONDS -R $BENCH_CURVE_RATE\`; one run of each point, no medians."
	echo "N one-to-one clients, an association each, send 100-byte messages to one server in the same process. C models:"
	echo "\`many\`, every association on one one-to-many socket and one thread; \`pool\`, the accepted sockets in an"
	echo "sctpio_pool of 2 threads; \`poller\`, in an sctpio_poller with 2 workers. Go: a Receiver with 2 workers, a Poller with"
	echo "2 worker goroutines. Each drains with 64-slot batches. Shapes: saturate (one sender, round-robin, as fast as it"
	echo "goes) and trickle (one message per association every 100 ms, the interval stretched so that all of them together"
	echo "send at most $BENCH_CURVE_RATE messages/s). CPU per message is the server's: the process's CPU less the sender"
	echo "thread's (on loopback the kernel's receive work runs in the sender). Receive calls are recvmmsg (C) or ReadBatch"
	echo "(Go); wakeups are epoll_wait returns, pool wakeups, poller pops, handler calls or Next returns."
	for f in curve gocurve; do
		if selected $f && ! curve_whole "$work/$f.json" $f; then
			echo
			echo "**$f did not finish** (see Errors): the rows below are the points it printed before it stopped, if any."
		fi
	done
	echo
	echo "![CPU per message against associations]($date-curve.png)"
	for s in $CURVE_SHAPES; do
		echo
		echo "### $s"
		echo
		echo "| model | assocs | msgs/s | CPU us/msg | receive calls/msg | wakeups/msg | interval ms | messages |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|"
		awk -F'\t' -v shape="$s" '$2 == shape { printf "| %s | %s | %.0f | %.1f | %.3f | %.3f | %s | %s |\n", $1, $3, $4, $5, $6, $7,
			$12 + 0 ? sprintf("%.0f", $12) : "-", $13 }' "$work/curve.tsv"
	done
	echo
	echo "### Memory per association"
	echo
	echo "Measured once per model and count, after setup less before: user memory is the process's resident set (both"
	echo "ends' sockets are in this one process; small counts are below a page's resolution, and Go's heap may shrink"
	echo "between points, so they can read 0 or negative), Go's heap plus stacks and goroutines beside it; the kernel's"
	echo "is /proc/meminfo's Slab, both ends together."
	echo
	echo "| model | assocs | user B/assoc | Go heap+stacks B/assoc | goroutines/assoc | kernel slab B/assoc |"
	echo "|---|---:|---:|---:|---:|---:|"
	awk -F'\t' '!seen[$1, $3]++ { printf "| %s | %s | %s | %s | %s | %s |\n", $1, $3, $8, $9, $10, $11 }' "$work/curve.tsv"
	echo
	curve_targets
}

# curve_targets: issue 15 item 3's targets, each from this run's points: CPU per message at CURVE_HI
# associations over CURVE_LO per model and shape, with the largest step between neighbouring counts
# (a structure going quadratic shows as a step near the ratio of the counts); user memory per
# association at CURVE_HI.
curve_targets() {
	echo "### Targets (issue 15 item 3)"
	echo
	echo "| target | model | shape | at $CURVE_LO | at $CURVE_HI | ratio | goal | met | largest step |"
	echo "|---|---|---|---:|---:|---:|---:|---|---|"
	awk -F'\t' -v lo="$CURVE_LO" -v hi="$CURVE_HI" -v goal="$CURVE_CPU_GOAL" '
	{
		k = $1 "\t" $2
		if (!(k in nk)) order[++n] = k
		i = ++nk[k]; na[k, i] = $3 + 0; cpu[k, i] = $5 + 0
		if ($3 + 0 == lo) at_lo[k] = $5 + 0
		if ($3 + 0 == hi) at_hi[k] = $5 + 0
		if ($3 + 0 > top[k]) top[k] = $3 + 0
	}
	END {
		for (o = 1; o <= n; o++) {
			k = order[o]; split(k, w, "\t")
			step = "-"; worst = 0
			for (i = 2; i <= nk[k]; i++)
				if (cpu[k, i - 1] > 0 && cpu[k, i] / cpu[k, i - 1] > worst) {
					worst = cpu[k, i] / cpu[k, i - 1]
					step = sprintf("%.2fx (%d to %d)", worst, na[k, i - 1], na[k, i])
				}
			l = k in at_lo ? sprintf("%.1f us", at_lo[k]) : "-"
			h = k in at_hi ? sprintf("%.1f us", at_hi[k]) : "-"
			if ((k in at_lo) && (k in at_hi) && at_lo[k] > 0) {
				r = at_hi[k] / at_lo[k]
				ratio = sprintf("%.2fx", r); met = r <= goal ? "yes" : "**no**"
			} else if (!(k in at_hi)) {
				ratio = "not reached: at most " top[k]; met = "-"
			} else {
				ratio = "no point at " lo; met = "-"
			}
			printf "| CPU/msg %d / %d | %s | %s | %s | %s | %s | <= %sx | %s | %s |\n", hi, lo, w[1], w[2], l, h, ratio, goal, met, step
		}
	}' "$work/curve.tsv"
	awk -F'\t' -v hi="$CURVE_HI" -v cgoal="$CURVE_C_MEM_GOAL" -v ggoal="$CURVE_GO_MEM_GOAL" '
	!($1 in seen) { seen[$1] = 1; order[++n] = $1 }
	$3 + 0 == hi && !($1 in mem) { mem[$1] = $8 }
	$3 + 0 >= top[$1] { top[$1] = $3 + 0; last[$1] = $8 }
	END {
		for (o = 1; o <= n; o++) {
			m = order[o]; goal = m ~ /^Go / ? ggoal : cgoal
			if (m in mem) { v = mem[m] " B"; met = mem[m] + 0 <= goal ? "yes" : "**no**" }
			else { v = "not reached: " last[m] " B at " top[m]; met = "-" }
			printf "| user memory/assoc at %d | %s | - | - | %s | - | <= %d B | %s | - |\n", hi, m, v, goal, met
		}
	}' "$work/curve.tsv"
	if ! awk -F'\t' -v hi="$CURVE_HI" '$3 + 0 == hi { f = 1 } END { exit !f }' "$work/curve.tsv"; then
		echo
		echo "This run did not reach $CURVE_HI associations (BENCH_CURVE_N=$BENCH_CURVE_N), so it judges no target."
	fi
}

# curve_check: every model at every count and shape must have reported a rate (errors.txt otherwise).
curve_check() {
	local f models got owed
	for f in curve gocurve; do
		selected "$f" || continue
		if [ "$f" = curve ]; then models=$CURVE_C_MODELS; else models=$CURVE_GO_MODELS; fi
		if ! curve_whole "$work/$f.json" "$f"; then
			echo "check: $f reported no complete document" >>"$work/errors.txt"
		fi
		got=$(grep -o '{"model":[^{}]*}' "$work/$f.json" 2>/dev/null | grep -c '"msgs_per_s":[1-9]')
		owed=$(($(echo "$models" | wc -w) * $(echo "${BENCH_CURVE_N//,/ }" | wc -w) * $(echo "$CURVE_SHAPES" | wc -w)))
		[ "$got" -ge "$owed" ] || echo "check: $f reported $got of the $owed points it owes (models $models, -n $BENCH_CURVE_N)" \
			>>"$work/errors.txt"
	done
}
