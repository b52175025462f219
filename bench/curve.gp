# SPDX-License-Identifier: MIT
#
# curve.gp - the cost-curve picture `make bench` draws (scripts/bench-curve.sh writes the data, then
# calls this): the server's CPU per message against the number of associations, one panel per traffic
# shape, one line per model (C solid, Go dashed). Both axes are logarithmic: the counts span 1 to 10,000,
# and on the trickle shape the idle cost spread over few messages puts small counts an order or two
# above the rest, so a flat line is what "no step goes quadratic" looks like.
#
# Usage: gnuplot -e "dir='DATA_DIR'; out='FILE.png'; shapes='saturate trickle'; subtitle='where it ran'" bench/curve.gp
#   DATA_DIR/curve-SHAPE.dat: a header line "assocs<TAB>C many<TAB>C pool<TAB>C poller<TAB>Go Receiver<TAB>Go Poller",
#   then one line per association count: the count, then each model's CPU microseconds per message
#   ("-": not measured)

if (!exists("dir")) dir = "."
if (!exists("out")) out = "curve.png"
if (!exists("shapes")) shapes = "saturate trickle"
if (!exists("subtitle")) subtitle = ""
n = words(shapes)

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 760*n,660 enhanced font "DejaVu Sans,11" linewidth 1.2
} else {
	set terminal png size 760*n,660 enhanced
}
set output out
set datafile separator "\t"
set datafile missing "-"

set multiplot layout 1,n title "sctpio cost curve (make bench: bench/curve, bench/go/gocurve)\n{/*0.8 ".subtitle."}" font ",14"
set logscale xy
set xrange [0.7:14000]
set format x "%.0f"
set format y "%g"
set xlabel "associations (log scale)"
set ylabel "server CPU microseconds per message (log scale)"
set grid xtics ytics lc rgb "#dddddd"
set key below horizontal maxcols 5 font ",10"
set bmargin 6
# C models solid, Go models dashed; the colours pair the C pool with the Go Receiver and the C poller
# with the Go Poller, the models that correspond.
set style line 1 lc rgb "#9467bd" lw 2 pt 13 ps 1.3
set style line 2 lc rgb "#d62728" lw 2 pt 5 ps 1.2
set style line 3 lc rgb "#2ca02c" lw 2 pt 9 ps 1.4
set style line 4 lc rgb "#d62728" lw 2 pt 4 ps 1.2 dt 2
set style line 5 lc rgb "#2ca02c" lw 2 pt 8 ps 1.4 dt 2

do for [i=1:n] {
	shape = word(shapes, i)
	f = dir."/curve-".shape.".dat"
	set title shape eq "trickle" ? "trickle: one message per association every 100 ms (or stretched)" : \
		"saturate: one sender, round-robin, as fast as it goes"
	plot for [c=2:6] f using 1:c with linespoints ls (c-1) title columnheader(c)
}
unset multiplot
