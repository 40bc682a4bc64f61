#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The datasets shipped in data/: every series file reads with tally, and
# the consistency checks stated in the sources hold on the shipped files
# (pakistan-aggregates SOURCE.md: the 2022 monthly PICSS rows sum to the
# revised annual 380/539/836 and reproduce the Jan-May, Jan-Oct and H2
# checkpoints; the 2024 derived months make the published cumulative
# totals; 2023 exceeds the annual by PICSS's later revisions).  Sums are
# taken twice: by `tally describe` and independently by awk on the CSV.
# When the shared folder is there, scripts/make-data.sh --check also
# rebuilds data/ from its sources and compares byte for byte.
# Run from the repository root: bash tests/cli/data.sh PATH/TO/tally
set -u
tally=${1:?usage: data.sh PATH/TO/tally}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() { # check WHAT GOT EXPECTED
    if [ "$2" != "$3" ]; then
        echo "FAIL $1: got '$2', expected '$3'"
        fail=1
    fi
}

# describe_csv FILE: tally describe's long CSV of FILE into $tmp/d.csv.
describe_csv() {
    if ! "$tally" describe "$@" --format csv >"$tmp/d.csv" 2>"$tmp/d.err"; then
        echo "FAIL tally describe $*:"; cat "$tmp/d.err"; fail=1
    fi
}
# figure VARIABLE SECTION PERIOD MEASURE: one value of $tmp/d.csv.
figure() {
    awk -F, -v v="$1" -v s="$2" -v p="$3" -v m="$4" \
        '$1 == v && $2 == "" && $3 == s && $4 == p && $5 == m { print $6 }' \
        "$tmp/d.csv"
}
# range_sum FILE COLUMN FROM TO: sum of a column over periods FROM..TO.
range_sum() {
    awk -F, -v col="$2" -v from="$3" -v to="$4" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        $1 >= from && $1 <= to { s += $c }
        END { print s }' "$1"
}

# --- every shipped series file reads (exit 0) -------------------------------
for f in data/pakistan-picss/monthly.csv data/pakistan-picss/annual.csv \
         data/pakistan-aggregates/annual_pips.csv \
         data/pakistan-aggregates/annual_crss.csv \
         data/sicily/sicily.csv data/prop99/california.csv; do
    "$tally" describe "$f" --format json >/dev/null 2>"$tmp/err" \
        || { echo "FAIL $f does not read:"; cat "$tmp/err"; fail=1; }
done
for f in data/pakistan-aggregates/province_year_picss.csv \
         data/pakistan-aggregates/province_year_crss.csv \
         data/pakistan-aggregates/province_year_pips.csv; do
    "$tally" describe "$f" --by region --format json >/dev/null 2>"$tmp/err" \
        || { echo "FAIL $f does not read:"; cat "$tmp/err"; fail=1; }
done
"$tally" describe data/prop99/states.csv --by state --annual --format csv \
    >/dev/null 2>"$tmp/err" || { echo "FAIL states.csv:"; cat "$tmp/err"; fail=1; }

# --- PICSS monthly: contiguous 2021-08 .. 2024-12, no missing value --------
m=data/pakistan-picss/monthly.csv
describe_csv $m
check "monthly first" "$(figure attacks summary '' first)" 2021-08
check "monthly last" "$(figure attacks summary '' last)" 2024-12
check "monthly n" "$(figure attacks summary '' n)" 41
for v in attacks killed injured; do
    check "$v missing" "$(figure $v summary '' missing)" 0
done
check "sources rows" "$(($(wc -l <data/pakistan-picss/monthly_sources.csv) - 1))" 41

# 2022: the 12 monthly rows sum to PICSS's revised annual 380/539/836
# (data/pakistan-picss/annual.csv), by tally and by awk.
a=data/pakistan-picss/annual.csv
for v in attacks killed injured; do
    annual=$(awk -F, -v col=$v 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
                                $1 == 2022 { print $c }' $a)
    check "2022 $v = annual" "$(figure $v year 2022 total)" "$annual"
    check "2022 $v awk" "$(range_sum $m $v 2022-01 2022-12)" "$annual"
    check "2022 complete" "$(figure $v year 2022 complete)" 1
done
check "2022 attacks" "$(figure attacks year 2022 total)" 380
check "2022 killed" "$(figure killed year 2022 total)" 539
check "2022 injured" "$(figure injured year 2022 total)" 836

# 2022 checkpoints (picss_cumulative_checkpoints): Jan-May 126/257/461,
# Jan-Oct 297/437/706, H2 228/246/349 (H2 also from describe's halves).
check "Jan-May 2022" "$(range_sum $m attacks 2022-01 2022-05)/$(range_sum $m killed 2022-01 2022-05)/$(range_sum $m injured 2022-01 2022-05)" 126/257/461
check "Jan-Oct 2022" "$(range_sum $m attacks 2022-01 2022-10)/$(range_sum $m killed 2022-01 2022-10)/$(range_sum $m injured 2022-01 2022-10)" 297/437/706
check "H2 2022" "$(figure attacks half 2022-H2 total)/$(figure killed half 2022-H2 total)/$(figure injured half 2022-H2 total)" 228/246/349

# 2024: the derived months (May, Sep, Dec) make the published cumulative
# totals: Jan-May 409/414/474, Jan-Oct 785/951/966, year 905/1177/1292 (=
# the annual file).
check "Jan-May 2024" "$(range_sum $m attacks 2024-01 2024-05)/$(range_sum $m killed 2024-01 2024-05)/$(range_sum $m injured 2024-01 2024-05)" 409/414/474
check "Jan-Oct 2024" "$(range_sum $m attacks 2024-01 2024-10)/$(range_sum $m killed 2024-01 2024-10)/$(range_sum $m injured 2024-01 2024-10)" 785/951/966
check "2024" "$(figure attacks year 2024 total)/$(figure killed year 2024 total)/$(figure injured year 2024 total)" 905/1177/1292
check "2024 annual" "$(awk -F, '$1 == 2024 { print $2 "/" $3 "/" $4 }' $a)" 905/1177/1292

# 2023: monthly rows sum to 648/986/1356 against the annual 645/976/1354,
# the excess being PICSS's later revisions of Jan-Mar 2023 (SOURCE.md).
check "2023 monthly" "$(figure attacks year 2023 total)/$(figure killed year 2023 total)/$(figure injured year 2023 total)" 648/986/1356
check "2023 annual" "$(awk -F, '$1 == 2023 { print $2 "/" $3 "/" $4 }' $a)" 645/976/1354

# A derived month agrees with the next release's month-on-month change:
# January 2024 "+102%" over December 2023 (93 against 46: +102.2%).
check "Dec 2023" "$(awk -F, '$1 == "2023-12" { print $2 }' $m)" 46
check "Jan 2024 vs Dec 2023" "$(awk -F, '$1 == "2023-12" { d = $2 } $1 == "2024-01" { printf "%.0f", 100 * ($2 - d) / d }' $m)" 102
check "derived months" "$(awk -F, '$2 == "derived" { printf "%s ", $1 }' data/pakistan-picss/monthly_sources.csv)" "2023-06 2023-10 2023-12 2024-05 2024-09 2024-12 "

# --- province x year --------------------------------------------------------
# PICSS 2021: the seven regions add up to the national 294 attacks.
describe_csv data/pakistan-aggregates/province_year_picss.csv --by region --annual
check "PICSS 2021 regions" "$(awk -F, '$3 == "share_all" && $4 == 2021 && $5 == "total" { print $6 }' "$tmp/d.csv" | head -n 1)" 294
# CRSS 2022: the province table totals 506 incidents / 973 killed / 741
# injured (the note of annual_by_source.csv).
describe_csv data/pakistan-aggregates/province_year_crss.csv --by region --annual
check "CRSS 2022 regions" "$(awk -F, '$3 == "share_all" && $4 == 2022 && $5 == "total" { printf "%s/", $6 }' "$tmp/d.csv")" 506/973/741/
# One publisher per file: no file mixes them.
check "publishers" "$(awk -F, 'NR > 1 { print $2 }' data/pakistan-aggregates/province_year_sources.csv | sort -u | tr '\n' ' ')" "CRSS PICSS PIPS "

# --- Sicily and Proposition 99 --------------------------------------------
s=data/sicily/sicily.csv
describe_csv $s --value aces
check "sicily span" "$(figure aces summary '' first)..$(figure aces summary '' last)" 2002-01..2006-11
check "sicily ban from 2005-01" "$(awk -F, '$4 == 1 { print $1; exit }' $s)" 2005-01
check "sicily time" "$(awk -F, 'NR > 1 && $3 != NR - 1 { bad = 1 } END { print bad + 0 }' $s)" 0
describe_csv data/prop99/california.csv
check "california span" "$(figure packs summary '' first)..$(figure packs summary '' last)" 1970..2000
check "california 1988/1989" "$(awk -F, '$1 == 1988 || $1 == 1989 { printf "%s ", $2 }' data/prop99/california.csv)" "90.1 82.4 "
check "states rows" "$(($(wc -l <data/prop99/states.csv) - 1))" 1209
check "states" "$(awk -F, 'NR > 1 { print $2 }' data/prop99/states.csv | sort -u | wc -l)" 39
check "california in states" "$(awk -F, '$2 == "California" { print $1 "," $3 }' data/prop99/states.csv | cmp -s - <(tail -n +2 data/prop99/california.csv); echo $?)" 0

# --- rebuild from the sources when they are here --------------------------
shared=${TALLY_SHARED:-../shared}
if [ -d "$shared/data/pakistan-aggregates" ]; then
    bash scripts/make-data.sh --check "$shared" || fail=1
else
    echo "data.sh: $shared/data not found: make-data.sh --check skipped"
fi

if [ "$fail" = 0 ]; then
    echo "data: all consistency checks passed"
fi
exit "$fail"
