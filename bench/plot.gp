# SPDX-License-Identifier: MIT
#
# plot.gp - the picture `make bench` draws (scripts/bench writes the data, then calls this):
#   left:  sctpperf loopback streaming, messages per second by batch size, one line per dispatch
#          model and socket style (solid: one-to-many, dashed: one-to-one);
#   right: request-response round-trip percentiles (p50, p90, p99, p99.9) by model and style, on a
#          logarithmic axis, since the tail is one or two orders above the median.
#
# Usage: gnuplot -e "dir='DATA_DIR'; out='FILE.png'; subtitle='where it ran'" bench/plot.gp
#   DATA_DIR/stream.dat: a header line, then "batch<TAB>msgs/s per style/model..." ("-": no data)
#   DATA_DIR/rr.dat:     "\"model style\"<TAB>p50<TAB>p90<TAB>p99<TAB>p99.9" in microseconds

if (!exists("dir")) dir = "."
if (!exists("out")) out = "bench.png"
if (!exists("subtitle")) subtitle = ""

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1500,620 enhanced font "DejaVu Sans,11" linewidth 1.2
} else {
	set terminal png size 1500,620 enhanced
}
set output out
set datafile separator "\t"
set datafile missing "-"

set multiplot layout 1,2 title "sctpio benchmarks (make bench)\n{/*0.8 ".subtitle."}" font ",14"

# ---- left: msgs/s by batch size ----
set title "Streaming: messages per second by batch size (medians)"
set xlabel "batch size (0: one system call per message; N: recvmmsg/sendmmsg of up to N)" offset 0,0.3
set ylabel "messages per second"
set grid ytics lc rgb "#dddddd"
set key inside top left vertical maxrows 3 font ",10" opaque box lc rgb "#bbbbbb"
set offsets 0, 0, graph 0.35, 0
set yrange [0:*]
set xrange [-0.3:4.3]
set format y "%.0f"
set style line 1 lc rgb "#1f77b4" lw 2 pt 7 ps 1.2
set style line 2 lc rgb "#d62728" lw 2 pt 5 ps 1.2
set style line 3 lc rgb "#2ca02c" lw 2 pt 9 ps 1.4
set style line 4 lc rgb "#1f77b4" lw 2 pt 6 ps 1.2 dt 2
set style line 5 lc rgb "#d62728" lw 2 pt 4 ps 1.2 dt 2
set style line 6 lc rgb "#2ca02c" lw 2 pt 8 ps 1.4 dt 2
plot for [i=2:7] dir."/stream.dat" using 0:i:xtic(1) with linespoints ls (i-1) title columnheader(i)

# ---- right: request-response latency percentiles by model ----
set title "Request-response: round trip by model and style (medians)"
unset xrange
unset offsets
set yrange [*:*]
set xlabel "dispatch model and socket style (1:N one-to-many, 1:1 one-to-one)"
set ylabel "microseconds (log scale)"
set logscale y
set format y "%.0f"
set key inside top left vertical font ",10"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.9
set xtics rotate by -20 scale 0
plot dir."/rr.dat" using 2:xtic(1) title "p50" lc rgb "#9ecae1", \
     "" using 3 title "p90" lc rgb "#4292c6", \
     "" using 4 title "p99" lc rgb "#08519c", \
     "" using 5 title "p99.9" lc rgb "#08306b"

unset multiplot
