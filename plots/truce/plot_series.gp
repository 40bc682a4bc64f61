# tally plot script (series), written by tally.
# Self-contained: the data are in the inline blocks below.  Run it with
#   gnuplot SCRIPT
# Missing values are written NaN; numbers use '.' as decimal point.
reset
set terminal pngcairo size 1000,560 noenhanced font 'sans,11' background rgb 'white'
set output 'plot_series.png'
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
set title 'Militant attacks in Pakistan per month (PICSS)'
set ylabel 'attacks'
set key off
set xrange [-0.5:40.5]
set xtics ('Jan 2022' 5, 'Jul' 11, 'Jan 2023' 17, 'Jul' 23, 'Jan 2024' 29, 'Jul' 35)
set xtics add ('' 0 1, '' 1 1, '' 2 1, '' 3 1, '' 4 1, '' 6 1, '' 7 1, '' 8 1, '' 9 1, '' 10 1, '' 12 1, '' 13 1, '' 14 1, '' 15 1, '' 16 1, '' 18 1, '' 19 1, '' 20 1, '' 21 1, '' 22 1, '' 24 1, '' 25 1, '' 26 1, '' 27 1, '' 28 1, '' 30 1, '' 31 1, '' 32 1, '' 33 1, '' 34 1, '' 36 1, '' 37 1, '' 38 1, '' 39 1, '' 40 1)
set yrange [0:*]
$series << EOD
# period x, then per group: value, isolated value
2021-08 0 45 NaN
2021-09 1 23 NaN
2021-10 2 33 NaN
2021-11 3 24 NaN
2021-12 4 28 NaN
2022-01 5 24 NaN
2022-02 6 13 NaN
2022-03 7 26 NaN
2022-04 8 34 NaN
2022-05 9 29 NaN
2022-06 10 26 NaN
2022-07 11 33 NaN
2022-08 12 31 NaN
2022-09 13 42 NaN
2022-10 14 39 NaN
2022-11 15 34 NaN
2022-12 16 49 NaN
2023-01 17 44 NaN
2023-02 18 58 NaN
2023-03 19 37 NaN
2023-04 20 48 NaN
2023-05 21 40 NaN
2023-06 22 47 NaN
2023-07 23 54 NaN
2023-08 24 99 NaN
2023-09 25 65 NaN
2023-10 26 47 NaN
2023-11 27 63 NaN
2023-12 28 46 NaN
2024-01 29 93 NaN
2024-02 30 97 NaN
2024-03 31 56 NaN
2024-04 32 77 NaN
2024-05 33 86 NaN
2024-06 34 69 NaN
2024-07 35 79 NaN
2024-08 36 83 NaN
2024-09 37 77 NaN
2024-10 38 68 NaN
2024-11 39 71 NaN
2024-12 40 49 NaN
EOD
plot $series using 2:3 with linespoints lt 1 notitle
unset output
