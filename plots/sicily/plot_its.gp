# tally plot script (its), written by tally.
# Self-contained: the data are in the inline blocks below.  Run it with
#   gnuplot SCRIPT
# Missing values are written NaN; numbers use '.' as decimal point.
reset
set terminal pngcairo size 1000,560 noenhanced font 'sans,11' background rgb 'white'
set output 'plot_its.png'
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
set title 'Acute coronary events in Sicily and the January 2005 smoking ban'
set ylabel 'aces'
set xrange [-0.5:58.5]
set xtics ('Jan 2002' 0, 'Jul' 6, 'Jan 2003' 12, 'Jul' 18, 'Jan 2004' 24, 'Jul' 30, 'Jan 2005' 36, 'Jul' 42, 'Jan 2006' 48, 'Jul' 54)
set xtics add ('' 1 1, '' 2 1, '' 3 1, '' 4 1, '' 5 1, '' 7 1, '' 8 1, '' 9 1, '' 10 1, '' 11 1, '' 13 1, '' 14 1, '' 15 1, '' 16 1, '' 17 1, '' 19 1, '' 20 1, '' 21 1, '' 22 1, '' 23 1, '' 25 1, '' 26 1, '' 27 1, '' 28 1, '' 29 1, '' 31 1, '' 32 1, '' 33 1, '' 34 1, '' 35 1, '' 37 1, '' 38 1, '' 39 1, '' 40 1, '' 41 1, '' 43 1, '' 44 1, '' 45 1, '' 46 1, '' 47 1, '' 49 1, '' 50 1, '' 51 1, '' 52 1, '' 53 1, '' 55 1, '' 56 1, '' 57 1, '' 58 1)
set yrange [0:*]
set arrow 1 from 35.5, graph 0 to 35.5, graph 1 nohead lc rgb '#333333' lw 1.5 dt 2 back
set label 1 'break 2005-01' at 35.5, graph 0.98 left offset 0.4,0 tc rgb '#333333' front
$its << EOD
# period x observed cf_mean cf_low cf_high
2002-01 0 728 NaN NaN NaN
2002-02 1 659 NaN NaN NaN
2002-03 2 791 NaN NaN NaN
2002-04 3 734 NaN NaN NaN
2002-05 4 757 NaN NaN NaN
2002-06 5 726 NaN NaN NaN
2002-07 6 760 NaN NaN NaN
2002-08 7 740 NaN NaN NaN
2002-09 8 720 NaN NaN NaN
2002-10 9 814 NaN NaN NaN
2002-11 10 795 NaN NaN NaN
2002-12 11 858 NaN NaN NaN
2003-01 12 887 NaN NaN NaN
2003-02 13 766 NaN NaN NaN
2003-03 14 851 NaN NaN NaN
2003-04 15 769 NaN NaN NaN
2003-05 16 781 NaN NaN NaN
2003-06 17 756 NaN NaN NaN
2003-07 18 766 NaN NaN NaN
2003-08 19 752 NaN NaN NaN
2003-09 20 765 NaN NaN NaN
2003-10 21 831 NaN NaN NaN
2003-11 22 879 NaN NaN NaN
2003-12 23 928 NaN NaN NaN
2004-01 24 914 NaN NaN NaN
2004-02 25 808 NaN NaN NaN
2004-03 26 937 NaN NaN NaN
2004-04 27 840 NaN NaN NaN
2004-05 28 916 NaN NaN NaN
2004-06 29 828 NaN NaN NaN
2004-07 30 845 NaN NaN NaN
2004-08 31 818 NaN NaN NaN
2004-09 32 860 NaN NaN NaN
2004-10 33 839 NaN NaN NaN
2004-11 34 887 NaN NaN NaN
2004-12 35 886 NaN NaN NaN
2005-01 36 831 952.78589575544697 910.04890872728834 997.52986289503633
2005-02 37 796 944.06328522776471 898.36888782650476 992.08187036766719
2005-03 38 833 939.1266624929043 892.84046250239794 987.81240909844257
2005-04 39 820 942.28895118648256 896.9458525647226 989.92426910636823
2005-05 40 877 929.66155083392016 885.78077074842929 975.71614516837508
2005-06 41 758 909.50282766818486 865.99744908272021 955.19379925726571
2005-07 42 767 882.46178833094564 839.16562715287773 927.99178453764466
2005-08 43 738 875.96173920128388 832.80114541291539 921.35916571547773
2005-09 44 781 905.21042271568274 861.83299993042976 950.77110003823293
2005-10 45 843 941.36632466328956 897.45754997577092 987.42336864177491
2005-11 46 850 1005.1157468796921 956.60994172822654 1056.0810844181422
2005-12 47 908 1014.8568851569174 960.82279673595565 1071.929705299694
2006-01 48 1021 1025.5008247870164 964.82308835341371 1089.9945848452085
2006-02 49 859 1015.8916788090983 951.60042429391206 1084.5265268133305
2006-03 50 976 1021.4021444408942 955.80920492909388 1091.4964359920043
2006-04 51 888 1019.1249042155588 955.02200881741817 1087.530507991607
2006-05 52 962 1012.3924180889128 949.75512276482164 1079.1607053618509
2006-06 53 838 979.10617847631318 917.87778774729179 1044.418899255925
2006-07 54 810 955.99699877954413 894.95559515793389 1021.20179662569
2006-08 55 876 939.45996469226588 879.30809910120263 1003.7267098548739
2006-09 56 843 977.00324831111186 915.87919118340801 1042.2066102158174
2006-10 57 936 1021.979639677117 959.32623830232353 1088.7249219440432
2006-11 58 912 1073.8140844819893 1005.9844670840363 1146.2171889932063
EOD
plot $its using 2:5:6 with filledcurves fc rgb '#D55E00' fs transparent solid 0.2 noborder title '95% interval of the counterfactual', \
     $its using 2:3 with points lc rgb '#555555' pt 7 ps 0.6 title 'observed', \
     $its using 2:4 with lines lc rgb '#D55E00' lw 2.5 dt 2 title 'counterfactual (no break)'
unset output
