# tally plot script (forecast), written by tally.
# Self-contained: the data are in the inline blocks below.  Run it with
#   gnuplot SCRIPT
# Missing values are written NaN; numbers use '.' as decimal point.
reset
set terminal pngcairo size 1000,560 noenhanced font 'sans,11' background rgb 'white'
set output 'plot_forecast.png'
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
set title 'Attacks: 12-month forecast (80% and 95% intervals)'
set ylabel 'attacks'
set xrange [-0.5:52.5]
set xtics ('Jan 2022' 5, 'Jul' 11, 'Jan 2023' 17, 'Jul' 23, 'Jan 2024' 29, 'Jul' 35, 'Jan 2025' 41, 'Jul' 47)
set xtics add ('' 0 1, '' 1 1, '' 2 1, '' 3 1, '' 4 1, '' 6 1, '' 7 1, '' 8 1, '' 9 1, '' 10 1, '' 12 1, '' 13 1, '' 14 1, '' 15 1, '' 16 1, '' 18 1, '' 19 1, '' 20 1, '' 21 1, '' 22 1, '' 24 1, '' 25 1, '' 26 1, '' 27 1, '' 28 1, '' 30 1, '' 31 1, '' 32 1, '' 33 1, '' 34 1, '' 36 1, '' 37 1, '' 38 1, '' 39 1, '' 40 1, '' 42 1, '' 43 1, '' 44 1, '' 45 1, '' 46 1, '' 48 1, '' 49 1, '' 50 1, '' 51 1, '' 52 1)
set yrange [0:*]
set arrow 1 from 40.5, graph 0 to 40.5, graph 1 nohead lc rgb '#999999' lw 1.5 dt 2 back
$history << EOD
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
$forecast << EOD
# period x mean, then lower upper per level, widest level first
2025-01 41 64.884795253249081 35.636042267502617 94.133548238995544 45.760063638393902 84.00952686810426
2025-02 42 64.884795253249081 33.933888499349194 95.835702007148967 44.647085112471359 85.122505394026803
2025-03 43 64.884795253249081 32.320586272283521 97.449004234214641 43.59220348653281 86.177387019965352
2025-04 44 64.884795253249081 30.783522781046656 98.986067725451505 42.587171690502991 87.182418815995163
2025-05 45 64.884795253249081 29.312813836819885 100.45677666967828 41.62552680069826 88.144063705799908
2025-06 46 64.884795253249081 27.900542664367734 101.86904784213043 40.70209231603129 89.067498190466864
2025-07 47 64.884795253249081 26.540251740181027 103.22933876631714 39.812645888832435 89.956944617665727
2025-08 48 64.884795253249081 25.226591878752117 104.54299862774604 38.953689874698128 90.815900631800034
2025-09 49 64.884795253249081 23.955072892104788 105.81451761439337 38.122288297520697 91.647302208977464
2025-10 50 64.884795253249081 22.721882044746188 107.04770846175197 37.315948143561911 92.45364236293625
2025-11 51 64.884795253249081 21.523749049367645 108.24584145713052 36.532531086886586 93.237059419611569
2025-12 52 64.884795253249081 20.357843801768219 109.41174670472995 35.770186621823193 93.999403884674962
EOD
plot $forecast using 2:4:5 with filledcurves fc rgb '#C7E0EE' fs solid 1.0 noborder title '95% interval', \
     $forecast using 2:6:7 with filledcurves fc rgb '#9BC8E1' fs solid 1.0 noborder title '80% interval', \
     $history using 2:3 with lines lc rgb '#222222' lw 1.5 title 'observed', \
     $forecast using 2:3 with linespoints lc rgb '#0072B2' lw 2.5 title 'forecast'
unset output
