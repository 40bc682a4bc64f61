# tally plot script (changepoint), written by tally.
# Self-contained: the data are in the inline blocks below.  Run it with
#   gnuplot SCRIPT
# Missing values are written NaN; numbers use '.' as decimal point.
reset
set terminal pngcairo size 1000,560 noenhanced font 'sans,11' background rgb 'white'
set output 'plot_changepoint.png'
set encoding utf8
set border 3 lc rgb '#333333' lw 1
set xtics nomirror out scale 0.6,0.3
set ytics nomirror out scale 0.6
set key outside bottom center horizontal Left reverse noopaque nobox samplen 2.5 spacing 1.1 width 2
set title font ',13'
set style fill solid 1.0 noborder
set grid ytics lt 1 lc rgb '#DDDDDD' lw 1
set linetype 1 lc rgb '#0072B2' lw 2 pt 7 ps 0.7 dt 1
set linetype 2 lc rgb '#D55E00' lw 2 pt 7 ps 0.7 dt 1
set linetype 3 lc rgb '#009E73' lw 2 pt 7 ps 0.7 dt 1
set linetype 4 lc rgb '#E69F00' lw 2 pt 7 ps 0.7 dt 1
set linetype 5 lc rgb '#56B4E9' lw 2 pt 7 ps 0.7 dt 1
set linetype 6 lc rgb '#CC79A7' lw 2 pt 7 ps 0.7 dt 1
set linetype 7 lc rgb '#F0E442' lw 2 pt 7 ps 0.7 dt 1
set linetype 8 lc rgb '#000000' lw 2 pt 7 ps 0.7 dt 1
set linetype cycle 8
set title 'Change points in monthly attacks'
set ylabel 'attacks'
set xrange [-0.5:40.5]
set xtics ('Jan 2022' 5, 'Jul' 11, 'Jan 2023' 17, 'Jul' 23, 'Jan 2024' 29, 'Jul' 35)
set xtics add ('' 0 1, '' 1 1, '' 2 1, '' 3 1, '' 4 1, '' 6 1, '' 7 1, '' 8 1, '' 9 1, '' 10 1, '' 12 1, '' 13 1, '' 14 1, '' 15 1, '' 16 1, '' 18 1, '' 19 1, '' 20 1, '' 21 1, '' 22 1, '' 24 1, '' 25 1, '' 26 1, '' 27 1, '' 28 1, '' 30 1, '' 31 1, '' 32 1, '' 33 1, '' 34 1, '' 36 1, '' 37 1, '' 38 1, '' 39 1, '' 40 1)
set yrange [0:*]
set arrow 1 from 12.5, graph 0 to 12.5, graph 1 nohead lc rgb '#333333' lw 1.5 dt 2 back
set label 1 '2022-09' at 12.5, graph 0.98 left offset 0.4,0 tc rgb '#333333' front
set arrow 2 from 23.5, graph 0 to 23.5, graph 1 nohead lc rgb '#333333' lw 1.5 dt 2 back
set label 2 '2023-08' at 23.5, graph 0.98 left offset 0.4,0 tc rgb '#333333' front
$series << EOD
# period x value
2021-08 0 45
2021-09 1 23
2021-10 2 33
2021-11 3 24
2021-12 4 28
2022-01 5 24
2022-02 6 13
2022-03 7 26
2022-04 8 34
2022-05 9 29
2022-06 10 26
2022-07 11 33
2022-08 12 31
2022-09 13 42
2022-10 14 39
2022-11 15 34
2022-12 16 49
2023-01 17 44
2023-02 18 58
2023-03 19 37
2023-04 20 48
2023-05 21 40
2023-06 22 47
2023-07 23 54
2023-08 24 99
2023-09 25 65
2023-10 26 47
2023-11 27 63
2023-12 28 46
2024-01 29 93
2024-02 30 97
2024-03 31 56
2024-04 32 77
2024-05 33 86
2024-06 34 69
2024-07 35 79
2024-08 36 83
2024-09 37 77
2024-10 38 68
2024-11 39 71
2024-12 40 49
EOD
$segments << EOD
# x mean (one segment per run)
-0.5 28.384615384615383
12.5 28.384615384615383

12.5 44.727272727272727
23.5 44.727272727272727

23.5 72.058823529411768
40.5 72.058823529411768
EOD
plot $series using 2:3 with linespoints lc rgb '#555555' lw 1 pt 7 ps 0.5 title 'observed', \
     $segments using 1:2 with lines lc rgb '#D55E00' lw 3 title 'segment mean'
unset output
