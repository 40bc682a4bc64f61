#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The hostile-input suite: files as they arrive from scrapers, unknown
# export tools and e-mail (tests/hostile/NN-name.csv, plus a 10 MB field
# and 100,000 columns generated here), each run through the commands with
# the exact exit code of CLI.md and the key words its message must hold.
# Besides the table, every run is checked for:
#  - no sanitizer report, no crash (exit >= 128) and no hang (60 s);
#  - on failure, nothing on standard output (no half-written result), and
#    a message starting "tally: " that names the file.
# Usage: bash tests/cli/hostile.sh PATH/TO/tally   (from the repo root)
set -u
TALLY=${1:?usage: hostile.sh PATH/TO/tally}
H=tests/hostile
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
xfail=0

# ----------------------------------------------------------------------
# Generated inputs (too big to commit).
{
    printf 'month,attacks\n2020-01,'
    head -c 10000000 /dev/zero | tr '\0' '7'
    printf '\n2020-02,3\n'
} >"$tmp/big-field.csv"
{
    printf 'month,region,attacks\n2020-01,'
    head -c 10000000 /dev/zero | tr '\0' 'x'
    printf ',1\n2020-01,Sindh,3\n'
} >"$tmp/big-group.csv"
{
    printf 'Date,Killed\n2020-01-05,'
    head -c 10000000 /dev/zero | tr '\0' '7'
    printf '\n2020-01-06,3\n'
} >"$tmp/big-event-field.csv"
# The same field quoted, with CRLF: aggregate's libcsv path.
{
    printf 'Date,Killed\r\n2020-01-05,"'
    head -c 10000000 /dev/zero | tr '\0' '7'
    printf '"\r\n2020-01-06,3\r\n'
} >"$tmp/big-event-quoted.csv"
# 100,000 columns: month, v1..v99999; 24 rows.
awk 'BEGIN {
    n = 100000
    printf "month"; for (j = 1; j < n; j++) printf ",v%d", j; printf "\n"
    for (i = 0; i < 24; i++) {
        printf "%04d-%02d", 2020 + int(i / 12), i % 12 + 1
        for (j = 1; j < n; j++) printf ",%d", (i * 7 + j) % 13
        printf "\n"
    }
}' >"$tmp/wide.csv"
# 100,000 columns, the last named like the first variable.
awk 'BEGIN {
    n = 100000
    printf "month"; for (j = 1; j < n - 1; j++) printf ",v%d", j
    printf ",v1\n2020-01"; for (j = 1; j < n; j++) printf ",1"; printf "\n"
}' >"$tmp/wide-twice.csv"
# A row of 100,000 fields under a two-column header.
awk 'BEGIN {
    printf "month,attacks\n2020-01"
    for (j = 1; j < 100000; j++) printf ",1"
    printf "\n"
}' >"$tmp/wide-row.csv"

# ----------------------------------------------------------------------
# Which commands exist (its, compare and backtest are added when they
# land).
series_cmds=(describe trend changepoint forecast)
series_args() { # command -> the options that select the 'attacks' column
    case $1 in
    describe) echo "--value attacks" ;;
    trend) echo "--value attacks --family poisson" ;;
    changepoint) echo "--value attacks" ;;
    forecast) echo "--value attacks --model naive --horizon 2" ;;
    its) echo "--value attacks --break 2020-06" ;;
    compare) echo "--value attacks --before 2020-01:2020-06 --after 2020-07:2020-12" ;;
    backtest) echo "--value attacks --model naive --horizon 2" ;;
    esac
}
for c in its compare backtest; do
    if "$TALLY" "$c" --help >/dev/null 2>&1; then
        series_cmds+=("$c")
    fi
done

# A sanitizer build (scripts/test.sh) runs some inputs far slower.
sanitized=0
if ldd "$TALLY" 2>/dev/null | grep -q -e libasan -e libubsan; then
    sanitized=1
fi

# ----------------------------------------------------------------------
# One run: FILE RC WORDS CMD ARGS...  (WORDS separated by ';'; RC prefixed
# with x marks a known bug: reported, not failed; with s, a known bug of
# sanitizer builds only).
run() {
    local file=$1 want=$2 words=$3
    shift 3
    local known=0
    if [ "${want#x}" != "$want" ]; then
        known=1
        want=${want#x}
    elif [ "${want#s}" != "$want" ]; then
        want=${want#s}
        if [ "$sanitized" = 1 ]; then
            # Not run: it would only hit the 60 s timeout.
            xfail=$((xfail + 1))
            return
        fi
    fi
    local what="$* [$file]"
    timeout 60 "$TALLY" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    local problem=""
    if grep -q -e "ERROR: AddressSanitizer" -e "runtime error:" \
        -e "ERROR: LeakSanitizer" "$tmp/err"; then
        problem="sanitizer report"
    elif [ "$rc" -ge 124 ]; then
        problem="crashed or hung (exit $rc)"
    elif [ "$rc" -ne "$want" ]; then
        problem="exit $rc, wanted $want"
    else
        local IFS=';'
        for w in $words; do
            if ! grep -q -F -- "$w" "$tmp/err"; then
                problem="stderr lacks '$w'"
                break
            fi
        done
        unset IFS
        if [ -z "$problem" ] && [ "$rc" -ne 0 ]; then
            if [ -s "$tmp/out" ]; then
                problem="output on stdout after a failure"
            elif ! head -n 1 "$tmp/err" | grep -q '^tally: '; then
                problem="message does not start with 'tally: '"
            elif ! grep -q -F -- "$(basename "${file#@}")" "$tmp/err"; then
                problem="message does not name the file"
            fi
        fi
    fi
    if [ -z "$problem" ]; then
        if [ "$known" = 1 ]; then
            echo "XPASS (known bug now fixed? drop the x): $what"
        fi
        pass=$((pass + 1))
    elif [ "$known" = 1 ]; then
        echo "XFAIL (known bug): $what: $problem"
        xfail=$((xfail + 1))
    else
        echo "FAIL: $what: $problem"
        sed 's/^/    /' "$tmp/err" | head -c 2000
        fail=$((fail + 1))
    fi
}

# Known bugs (x: fails everywhere, s: under sanitizers), each reported to
# the owner of the code: none at present.
# The table.  FILE (under tests/hostile, or @NAME for a generated one) |
# RC | key words | command and options (the file is appended).  Command
# @series means every series command with its --value options.
table() {
    cat <<'EOF'
01-empty.csv|2|empty file (no header line)|@series
01-empty.csv|2|empty file (no header line)|regress --y y --x x
01-empty.csv|2|empty file (no header line)|aggregate --date Date
02-header-only.csv|2|no data rows after the header|@series
02-header-only.csv|2|02-header-only.csv: no data rows after the header|regress --y attacks
03-header-then-blank-lines.csv|2|no data rows after the header|@series
04-blank-lines-only.csv|2|empty file (no header line)|@series
04-blank-lines-only.csv|2|empty file (no header line)|aggregate --date Date
05-binary-garbage.csv|2|05-binary-garbage.csv:1:1: malformed CSV|@series
05-binary-garbage.csv|2|05-binary-garbage.csv:1:1: malformed CSV|regress --y y
05-binary-garbage.csv|2|05-binary-garbage.csv:1:1: malformed CSV|aggregate --date Date
06-utf16le.csv|2|06-utf16le.csv:1:1: the file is UTF-16 text; save it as UTF-8|@series
06-utf16le.csv|2|06-utf16le.csv:1:1: the file is UTF-16|regress --y y --x x
07-nul-in-cell.csv|2|07-nul-in-cell.csv:2:2: the field holds a NUL byte|@series
08-unterminated-quote.csv|2|08-unterminated-quote.csv:4: unterminated quoted field;opened on line 2|@series
08-unterminated-quote.csv|2|unterminated quoted field|aggregate --date month
09-bom.csv|0||@series
10-crlf.csv|0||@series
11-bare-cr.csv|0||@series
12-latin1-group.csv|0||describe --by region
12-latin1-group.csv|0||trend --value attacks
13-latin1-number.csv|2|13-latin1-number.csv:3:2: column 'attacks': expected a number or NA|@series
14-nan-cell.csv|0|2 missing values|describe --value attacks
14-nan-cell.csv|0|2 period(s) with a missing value left out|trend --value attacks --family poisson
14-nan-cell.csv|2|14-nan-cell.csv: 'attacks' is missing at 2020-06;without gaps|changepoint --value attacks
14-nan-cell.csv|0||forecast --value attacks --model naive --horizon 2
15-inf-cell.csv|2|15-inf-cell.csv:3:2: column 'attacks': expected a number or NA, found 'Inf'|@series
16-minus-inf-cell.csv|2|16-minus-inf-cell.csv:3:2:;found '-inf'|@series
17-overflow-1e400.csv|2|17-overflow-1e400.csv:3:2:;found '1e400'|@series
18-minus-zero.csv|0||@series
19-hex-cell.csv|2|19-hex-cell.csv:3:2:;found '0x1A'|@series
20-negative-count.csv|0||describe --value attacks
20-negative-count.csv|1|20-negative-count.csv, 2020-02: the response is negative (-4)|trend --value attacks --family poisson
20-negative-count.csv|1|20-negative-count.csv, 2020-02: the response is negative (-4)|trend --value attacks --family negbin
20-negative-count.csv|0||trend --value attacks
21-year-0.csv|2|21-year-0.csv:2:1: year of '0000-12' outside 1..9999|@series
22-year-9999.csv|0||describe --value attacks
22-year-9999.csv|0||trend --value attacks --family poisson
22-year-9999.csv|0||changepoint --value attacks
22-year-9999.csv|2|22-year-9999.csv: forecast: the series ends in 9999-12, the last period tally handles (years 1 to 9999): no period is left|forecast --value attacks --model naive --horizon 2
22-year-9999.csv|2|22-year-9999.csv: --horizon 2: the counterfactual would run past 9999-12;at most 0 periods fit|its --value attacks --break 9999-01 --horizon 2
22-year-9999.csv|0||its --value attacks --break 9999-01
22-year-9999.csv|0||backtest --value attacks --model naive --horizon 2
23-duplicate-period.csv|2|23-duplicate-period.csv:4:1: period 2020-02 appears twice (first on line 3)|@series
24-unsorted-periods.csv|2|24-unsorted-periods.csv:4:1: periods are not in increasing order|@series
25-missing-column.csv|2|25-missing-column.csv;no numeric column 'attacks'|describe --value attacks
25-missing-column.csv|2|25-missing-column.csv: no column 'attacks'|trend --value attacks
25-missing-column.csv|2|25-missing-column.csv: no column 'attacks'|changepoint --value attacks
25-missing-column.csv|2|25-missing-column.csv: no column 'attacks'|forecast --value attacks --model naive --horizon 2
25-missing-column.csv|2|25-missing-column.csv: no column 'attacks'|backtest --value attacks --model naive --horizon 2
25-missing-column.csv|2|25-missing-column.csv: no column 'attacks'|regress --y attacks
26-column-twice.csv|2|26-column-twice.csv:1:3: column 'attacks' is named twice (also column 2)|@series
26-column-twice.csv|2|26-column-twice.csv:1:3: column 'attacks' is named twice|regress --y attacks
27-hole.csv|2|27-hole.csv: period 2020-02 is missing|@series
28-too-many-fields.csv|2|28-too-many-fields.csv:2:3: row has 3 fields, the header has 2|@series
29-too-few-fields.csv|2|29-too-few-fields.csv:2:1: row has 1 field, the header has 2|@series
30-quote-in-field.csv|2|30-quote-in-field.csv:2:2: malformed CSV: a quote inside an unquoted field|@series
31-text-after-quote.csv|2|31-text-after-quote.csv:2:2: malformed CSV|@series
32-wrong-period-header.csv|2|32-wrong-period-header.csv:1:1: the first column must be named month, quarter or year, found 'date'|@series
33-empty-column-name.csv|2|33-empty-column-name.csv:1:2: empty column name in the header|@series
34-mixed-frequency.csv|2|34-mixed-frequency.csv:3:1: '2020-Q1' is a quarter but the series is by month|@series
35-month-13.csv|2|35-month-13.csv:3:1: '2020-13' is not a period|@series
36-totals-row.csv|2|36-totals-row.csv:4:1: 'Total' is not a period|@series
37-thousands-separator.csv|2|37-thousands-separator.csv:3:2:;found '1,234'|@series
38-empty-group.csv|2|38-empty-group.csv:3:2: empty group value|@series
39-huge-counts.csv|0||@series
40-spaces-around-cells.csv|0||@series
41-all-missing.csv|0|3 missing values|describe --value attacks
41-all-missing.csv|1|41-all-missing.csv: 0 complete observation(s) for 2 coefficient(s)|trend --value attacks
41-all-missing.csv|1|41-all-missing.csv: too few observations (0)|changepoint --value attacks
41-all-missing.csv|1|41-all-missing.csv: too few observations (0)|changepoint --value attacks --chow 2020-02
41-all-missing.csv|1|41-all-missing.csv: forecast: the series has no observed values|forecast --value attacks --model naive --horizon 2
41-all-missing.csv|1|41-all-missing.csv: backtest: the model could not be fitted|backtest --value attacks --model naive --horizon 1
42-month-one-digit.csv|2|42-month-one-digit.csv:2:1: '2020-1' is not a period|@series
43-two-decimal-points.csv|2|43-two-decimal-points.csv:2:2: column 'attacks': expected a number or NA, found '3.5.1'|@series
44-bad-exponent.csv|2|44-bad-exponent.csv:2:2:;found '1e'|@series
45-events-impossible-date.csv|2|45-events-impossible-date.csv:3:1: column 'Date': '2023-02-30' is not a valid date: February 2023 has 28 days|aggregate --date Date --sum Killed
45-events-impossible-date.csv|0|2 rows read = 1 aggregated + 1 skipped (1 bad row);45-events-impossible-date.csv:3:1|aggregate --date Date --sum Killed --on-bad-row skip
46-events-ambiguous-date.csv|2|46-events-ambiguous-date.csv:2:1:;ambiguous;--date-format|aggregate --date Date
46-events-ambiguous-date.csv|0|2 rows read = 2 aggregated|aggregate --date Date --date-format %d/%m/%Y
47-events-totals-row.csv|2|47-events-totals-row.csv:4:1: column 'Date': 'Total' is not a date|aggregate --date Date --sum Killed
47-events-totals-row.csv|0|3 rows read = 2 aggregated + 1 skipped (1 bad row)|aggregate --date Date --sum Killed --on-bad-row skip
48-events-ragged-row.csv|2|48-events-ragged-row.csv:3:4: the row has 4 fields, the header has 3|aggregate --date Date
49-events-odd-counts.csv|0|8 rows read = 8 aggregated + 0 skipped;5 cells are not a count (4 text, first 'NaN' on line 4, 1 negative, first '-4' on line 3)|aggregate --date Date --sum Killed
49-events-odd-counts.csv|2|49-events-odd-counts.csv:3:3: column 'Killed': '-4' is not a count|aggregate --date Date --sum Killed --missing fail
50-events-column-twice.csv|2|50-events-column-twice.csv:1: column 'Date' appears twice in the header (columns 1 and 3)|aggregate --date Date
51-events-year-month-zero.csv|0|4 rows read = 2 aggregated + 2 skipped (2 with the month or year unknown)|aggregate --year iyear --month imonth --day iday --sum nkill
52-events-year-9999.csv|0|2 rows read = 2 aggregated|aggregate --date Date --sum Killed
53-events-year-0.csv|2|53-events-year-0.csv:2:1: column 'Date': '0000-01-05' is not a valid date: year 0 is outside 1..9999|aggregate --date Date
54-events-latin1-date.csv|2|54-events-latin1-date.csv:2:1: column 'Date':;is not a date|aggregate --date Date
55-events-utf16.csv|2|55-events-utf16.csv:1:1: the file is UTF-16|aggregate --date Date
56-events-nul.csv|2|56-events-nul.csv:3:1|aggregate --date Date
57-events-bom-crlf.csv|0|2 rows read = 2 aggregated|aggregate --date Date --sum Killed
58-events-unterminated-quote.csv|2|58-events-unterminated-quote.csv:4: unterminated quoted field;starts on line 2|aggregate --date Date --sum Killed
59-events-header-only.csv|1|59-events-header-only.csv: no incidents to aggregate (0 rows read|aggregate --date Date
60-events-missing-column.csv|2|60-events-missing-column.csv:1: no column named 'killed' (did you mean 'Killed'?)|aggregate --date Date --sum killed
60-events-missing-column.csv|2|60-events-missing-column.csv:1: no column named 'Fatalities'; the columns are 'Date', 'Province', 'Killed'|aggregate --date Date --sum Fatalities
61-events-bad-date-format.csv|2|2:1: column 'Date': '2020-01-05' does not match the date format '%d/%m/%Y'|aggregate --date Date --date-format %d/%m/%Y
62-regress-inf-x.csv|2|62-regress-inf-x.csv:3:2: column 'x': expected a number or NA, found 'Inf'|regress --y y --x x
63-regress-text-x.csv|2|63-regress-text-x.csv:4:2: column 'x': expected a number or NA, found 'five'|regress --y y --x x
64-regress-nan-y.csv|0|1 row(s) with a missing value left out|regress --y y --x x
65-regress-zero-exposure.csv|1|65-regress-zero-exposure.csv:3: exposure 'pop' is 0; it must be positive|regress --y y --x x --family poisson --exposure pop
66-regress-negative-weight.csv|1|66-regress-negative-weight.csv:3: weight 'w' is negative (-1)|regress --y y --x x --weights w
67-regress-fractional-count.csv|1|67-regress-fractional-count.csv:2: the response is not a whole number (1.5)|regress --y y --x x --family poisson
67-regress-fractional-count.csv|1|67-regress-fractional-count.csv:2: the response is not a whole number (1.5)|regress --y y --x x --family negbin
67-regress-fractional-count.csv|0||regress --y y --x x --family quasipoisson
68-partial-truncated.json|2|68-partial-truncated.json: partial 1: '}' expected|merge
69-partial-negative-count.json|2|69-partial-negative-count.json: partial 1: bad cells or accounting|merge
70-partial-cell-outside-range.json|2|70-partial-cell-outside-range.json: partial 1: bad cells or accounting|merge
71-partial-counts-exceed-accounting.json|2|71-partial-counts-exceed-accounting.json: partial 1: bad cells or accounting|merge
72-partial-binary.json|2|72-partial-binary.json: partial 1:|merge
73-partial-overflow.json|2|73-partial-overflow.json: partial 1: real number overflow near '1e400'|merge
74-events-quoted-empty-line.csv|0|2 rows read = 2 aggregated|aggregate --date Date --sum Killed
74-events-quoted-empty-line.csv|0|2 rows read = 2 aggregated|aggregate --date Date --sum Killed --reader libcsv
75-events-nul-in-sum.csv|2|75-events-nul-in-sum.csv:3:3: the field holds a NUL byte|aggregate --date Date --sum Killed
75-events-nul-in-sum.csv|2|75-events-nul-in-sum.csv:3:3: the field holds a NUL byte|aggregate --date Date --sum Killed --reader libcsv --on-bad-row skip
76-events-nul-in-group.csv|2|76-events-nul-in-group.csv:2:2: the field holds a NUL byte|aggregate --date Date --by Province
76-events-nul-in-group.csv|2|76-events-nul-in-group.csv:2:2: the field holds a NUL byte|aggregate --date Date --by Province --reader libcsv
@big-field.csv|2|big-field.csv:2:2: column 'attacks': expected a number or NA|@series
@big-group.csv|0||describe --by region --value attacks
@big-event-field.csv|0|2 rows read = 2 aggregated;1 cell is not a count (1 text, first '7777777|aggregate --date Date --sum Killed
@big-event-quoted.csv|0|2 rows read = 2 aggregated;1 cell is not a count (1 text, first '7777777|aggregate --date Date --sum Killed
@wide.csv|0||describe --value v99999
@wide.csv|0||trend --value v5 --family poisson
@wide.csv|0||changepoint --value v77
@wide.csv|0||forecast --value v12 --model naive --horizon 2
@wide.csv|0||regress --y v1 --x v2,v3
@wide.csv|2|wide.csv: no column 'attacks'|trend --value attacks
@wide-twice.csv|2|wide-twice.csv:1:100000: column 'v1' is named twice (also column 2)|@series
@wide-row.csv|2|wide-row.csv:2:3: row has 100000 fields, the header has 2|@series
@wide-row.csv|2|wide-row.csv:2:3: the row has 100000 fields, the header has 2|aggregate --date month
EOF
}

while IFS='|' read -r file want words cmd; do
    case $file in
    @*) path="$tmp/${file#@}" ;;
    *) path="$H/$file" ;;
    esac
    if [ ! -f "$path" ]; then
        echo "FAIL: missing input $path"
        fail=$((fail + 1))
        continue
    fi
    if [ "$cmd" = "@series" ]; then
        for c in "${series_cmds[@]}"; do
            # shellcheck disable=SC2046
            run "$file" "$want" "$words" "$c" "$path" $(series_args "$c")
        done
    else
        opts=""
        case $cmd in *" "*) opts=${cmd#* } ;; esac
        # shellcheck disable=SC2086
        run "$file" "$want" "$words" ${cmd%% *} "$path" $opts
    fi
done < <(table)

# Every committed file is used by the table.
for f in "$H"/*; do
    b=$(basename "$f")
    if ! table | grep -q -F "$b|"; then
        echo "FAIL: $b is not in the table"
        fail=$((fail + 1))
    fi
done

# ----------------------------------------------------------------------
# Nothing lost: outputs are written atomically (temp file + rename), an
# input is never overwritten, and a run stopped by a signal or a failure
# leaves neither the output nor its temporary file.
check() { # DESCRIPTION CONDITION...
    local what=$1
    shift
    if "$@"; then pass=$((pass + 1)); else
        echo "FAIL: $what"
        fail=$((fail + 1))
    fi
}
no_leftovers() { # PATH: neither PATH nor PATH.tmp* exists
    ! compgen -G "$1*" >/dev/null
}
has_tmp() { # PATH: a temporary PATH.tmp* exists
    compgen -G "$1.tmp*" >/dev/null
}
out=$tmp/out-dir
mkdir -p "$out"
good=$H/10-crlf.csv
# A signal while the output is being written (aggregate opens it before
# reading; the input pipe stalls).  Job control (set -m) keeps SIGINT
# deliverable to a background job.
for sig in INT TERM HUP; do
    rm -f "$out"/sig.csv*
    set -m
    (printf 'Date,Killed\n2020-01-05,3\n'; sleep 4; printf '2020-01-06,3\n') |
        "$TALLY" aggregate - --date Date --sum Killed -o "$out/sig.csv" 2>/dev/null &
    pid=$!
    set +m
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        has_tmp "$out/sig.csv" && break
        sleep 0.2
    done
    check "temporary output exists while aggregate runs ($sig)" \
        has_tmp "$out/sig.csv"
    kill -"$sig" "$pid"
    wait "$pid" 2>/dev/null
    check "SIG$sig leaves no output and no temporary file" no_leftovers "$out/sig.csv"
done
# A failure after the output was opened.
"$TALLY" aggregate "$H/47-events-totals-row.csv" --date Date -o "$out/fail.csv" 2>/dev/null
check "failed aggregate exits 2" [ $? -eq 2 ]
check "failed aggregate leaves nothing" no_leftovers "$out/fail.csv"
for c in "${series_cmds[@]}"; do
    # shellcheck disable=SC2046
    "$TALLY" "$c" "$H/23-duplicate-period.csv" $(series_args "$c") -o "$out/fail-$c.csv" 2>/dev/null
    check "failed $c leaves nothing" no_leftovers "$out/fail-$c.csv"
done
# An existing output is replaced only with --force, and then whole.
echo "precious" >"$out/keep.csv"
"$TALLY" describe "$good" --value attacks -o "$out/keep.csv" 2>"$tmp/err"
check "existing output without --force: exit 3" [ $? -eq 3 ]
check "... says to use --force" grep -q "keep.csv exists; use --force" "$tmp/err"
check "... and the file is unchanged" grep -qx "precious" "$out/keep.csv"
"$TALLY" describe "$good" --value attacks -o "$out/keep.csv" --force 2>/dev/null
check "--force replaces the output" grep -q "attacks" "$out/keep.csv"
check "... leaving no temporary file" no_leftovers "$out/keep.csv.tmp"
# The input is never overwritten, even with --force or through a link.
cp "$good" "$out/in.csv"
ln -s in.csv "$out/link.csv"
sum=$(cksum <"$out/in.csv")
for c in "${series_cmds[@]}" regress aggregate; do
    for dst in in.csv link.csv; do
        case $c in
        regress) args="--y attacks" ;;
        aggregate) args="--date month" ;;
        *) args=$(series_args "$c") ;;
        esac
        # shellcheck disable=SC2086
        "$TALLY" "$c" "$out/in.csv" $args -o "$out/$dst" --force 2>"$tmp/err"
        check "$c -o $dst over its input: exit 2" [ $? -eq 2 ]
        check "$c refuses to write over the input" grep -q "refusing to write over the input file" "$tmp/err"
        check "$c left the input intact" [ "$(cksum <"$out/in.csv")" = "$sum" ]
    done
done
# An output directory that does not exist: I/O error naming it.
"$TALLY" describe "$good" --value attacks -o "$out/no/such/dir.csv" 2>"$tmp/err"
check "output in a missing directory: exit 3" [ $? -eq 3 ]
check "... naming it" grep -q "no/such/dir.csv" "$tmp/err"

echo "hostile: $pass passed, $fail failed, $xfail known bugs (expected to fail)"
[ "$fail" -eq 0 ]
