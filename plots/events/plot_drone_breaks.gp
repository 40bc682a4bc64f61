# tally plot script (changepoint), written by tally.
# Self-contained: the data are in the inline blocks below.  Run it with
#   gnuplot SCRIPT
# Missing values are written NaN; numbers use '.' as decimal point.
reset
set terminal pngcairo size 1000,560 noenhanced font 'sans,11' background rgb 'white'
set output 'plot_drone_breaks.png'
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
set title 'US drone strikes in Pakistan per month: Bai-Perron segments'
set ylabel 'strikes'
set xrange [-0.5:160.5]
set xtics ('2006' 19, '2008' 43, '2010' 67, '2012' 91, '2014' 115, '2016' 139)
set xtics add ('' 7 1, '' 31 1, '' 55 1, '' 79 1, '' 103 1, '' 127 1, '' 151 1)
set yrange [0:*]
set arrow 1 from 41.5, graph 0 to 41.5, graph 1 nohead lc rgb '#333333' lw 1.5 dt 2 back
set label 1 '2007-12' at 41.5, graph 0.98 left offset 0.4,0 tc rgb '#333333' front
set arrow 2 from 65.5, graph 0 to 65.5, graph 1 nohead lc rgb '#333333' lw 1.5 dt 2 back
set label 2 '2009-12' at 65.5, graph 0.98 left offset 0.4,0 tc rgb '#333333' front
set arrow 3 from 89.5, graph 0 to 89.5, graph 1 nohead lc rgb '#333333' lw 1.5 dt 2 back
set label 3 '2011-12' at 89.5, graph 0.98 left offset 0.4,0 tc rgb '#333333' front
set arrow 4 from 135.5, graph 0 to 135.5, graph 1 nohead lc rgb '#333333' lw 1.5 dt 2 back
set label 4 '2015-10' at 135.5, graph 0.98 left offset 0.4,0 tc rgb '#333333' front
$series << EOD
# period x value
2004-06 0 1
2004-07 1 0
2004-08 2 0
2004-09 3 0
2004-10 4 0
2004-11 5 0
2004-12 6 0
2005-01 7 0
2005-02 8 0
2005-03 9 0
2005-04 10 0
2005-05 11 1
2005-06 12 0
2005-07 13 0
2005-08 14 0
2005-09 15 0
2005-10 16 0
2005-11 17 0
2005-12 18 1
2006-01 19 2
2006-02 20 0
2006-03 21 0
2006-04 22 0
2006-05 23 0
2006-06 24 0
2006-07 25 0
2006-08 26 0
2006-09 27 0
2006-10 28 1
2006-11 29 0
2006-12 30 0
2007-01 31 0
2007-02 32 0
2007-03 33 0
2007-04 34 1
2007-05 35 0
2007-06 36 1
2007-07 37 0
2007-08 38 0
2007-09 39 0
2007-10 40 0
2007-11 41 1
2007-12 42 1
2008-01 43 1
2008-02 44 1
2008-03 45 1
2008-04 46 1
2008-05 47 1
2008-06 48 1
2008-07 49 1
2008-08 50 5
2008-09 51 5
2008-10 52 9
2008-11 53 5
2008-12 54 5
2009-01 55 3
2009-02 56 2
2009-03 57 5
2009-04 58 5
2009-05 59 3
2009-06 60 3
2009-07 61 5
2009-08 62 4
2009-09 63 7
2009-10 64 3
2009-11 65 3
2009-12 66 7
2010-01 67 10
2010-02 68 6
2010-03 69 10
2010-04 70 5
2010-05 71 7
2010-06 72 6
2010-07 73 5
2010-08 74 5
2010-09 75 21
2010-10 76 14
2010-11 77 12
2010-12 78 8
2011-01 79 9
2011-02 80 5
2011-03 81 9
2011-04 82 2
2011-05 83 8
2011-06 84 11
2011-07 85 5
2011-08 86 7
2011-09 87 4
2011-10 88 5
2011-11 89 8
2011-12 90 0
2012-01 91 5
2012-02 92 4
2012-03 93 4
2012-04 94 1
2012-05 95 6
2012-06 96 6
2012-07 97 5
2012-08 98 7
2012-09 99 3
2012-10 100 4
2012-11 101 1
2012-12 102 5
2013-01 103 5
2013-02 104 2
2013-03 105 1
2013-04 106 2
2013-05 107 1
2013-06 108 0
2013-07 109 2
2013-08 110 0
2013-09 111 3
2013-10 112 2
2013-11 113 2
2013-12 114 2
2014-01 115 0
2014-02 116 0
2014-03 117 0
2014-04 118 0
2014-05 119 0
2014-06 120 2
2014-07 121 3
2014-08 122 1
2014-09 123 2
2014-10 124 7
2014-11 125 4
2014-12 126 5
2015-01 127 5
2015-02 128 0
2015-03 129 2
2015-04 130 1
2015-05 131 4
2015-06 132 2
2015-07 133 0
2015-08 134 1
2015-09 135 4
2015-10 136 0
2015-11 137 0
2015-12 138 0
2016-01 139 2
2016-02 140 0
2016-03 141 0
2016-04 142 0
2016-05 143 1
2016-06 144 0
2016-07 145 0
2016-08 146 0
2016-09 147 0
2016-10 148 0
2016-11 149 0
2016-12 150 0
2017-01 151 0
2017-02 152 0
2017-03 153 1
2017-04 154 1
2017-05 155 1
2017-06 156 1
2017-07 157 1
2017-08 158 0
2017-09 159 1
2017-10 160 1
EOD
$segments << EOD
# x mean (one segment per run)
-0.5 0.21428571428571427
41.5 0.21428571428571427

41.5 3.333333333333333
65.5 3.333333333333333

65.5 7.875
89.5 7.875

89.5 2.5217391304347827
135.5 2.5217391304347827

135.5 0.40000000000000002
160.5 0.40000000000000002
EOD
plot $series using 2:3 with linespoints lc rgb '#555555' lw 1 pt 7 ps 0.5 title 'observed', \
     $segments using 1:2 with lines lc rgb '#D55E00' lw 3 title 'segment mean'
unset output
