# tally plot script (annual), written by tally.
# Self-contained: the data are in the inline blocks below.  Run it with
#   gnuplot SCRIPT
# Missing values are written NaN; numbers use '.' as decimal point.
reset
set terminal pngcairo size 1000,560 noenhanced font 'sans,11' background rgb 'white'
set output 'plot_annual.png'
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
set title 'Militant attacks per year (PICSS)'
set ylabel 'attacks'
set xrange [-0.5:3.5]
set xtics ('2021' 0, '2022' 1, '2023' 2, '2024' 3)
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set boxwidth 0.7 absolute
$annual << EOD
# year x total, total of a complete year, total of an incomplete year
2021 0 153 NaN 153
2022 1 380 380 NaN
2023 2 648 648 NaN
2024 3 905 905 NaN
EOD
plot $annual using 2:4 with boxes lc rgb '#0072B2' title 'complete year', \
     $annual using 2:5 with boxes lc rgb '#56B4E9' title 'incomplete year (fewer than 12 months)', \
     $annual using 2:3:(sprintf('%.0f', $3)) with labels offset 0,0.7 tc rgb '#222222' notitle
unset output
