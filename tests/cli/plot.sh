#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tally plot from the command line.  For every plot kind: the script is
# byte-identical across runs, under a German locale (LC_ALL / LC_NUMERIC)
# and to its golden copy in tests/fixtures/plot/golden/, and holds no path
# of this machine; gnuplot renders it to png, svg, pdf and dumb with
# nothing at all on stderr (any warning fails).  Then --render (with
# gnuplot, without it, and with a gnuplot that fails), hostile labels
# (region names and a column header that try to run commands: nothing may
# run, checked against a control that shows gnuplot would run a command
# given the chance), and the error exits.
#
# Usage (from the repository root): bash tests/cli/plot.sh PATH/TO/tally
# Exit 77 (skipped) only when gnuplot is not installed and everything that
# needs no gnuplot passed.  TALLY_UPDATE_GOLDEN=1 rewrites the golden
# scripts instead of comparing (review the diff before committing).
set -u

tally="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
fix=tests/fixtures/plot
golden=$fix/golden
work=$(mktemp -d "${TMPDIR:-/tmp}/tally-plot-sh.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

if command -v gnuplot >/dev/null 2>&1; then
    have_gnuplot=1
else
    have_gnuplot=0
    echo "gnuplot is not installed: scripts are checked, not rendered" >&2
fi

# A locale with a decimal comma: installed, or compiled into $work.
de=""
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
    de=de_DE.UTF-8
elif command -v localedef >/dev/null 2>&1 && mkdir -p "$work/locale" \
    && localedef -i de_DE -f UTF-8 "$work/locale/de_DE.UTF-8" >/dev/null 2>&1; then
    export LOCPATH="$work/locale"
    de=de_DE.UTF-8
else
    echo "no German locale available: the locale check is skipped" >&2
fi

# name | arguments after "tally plot" (paths have no spaces).
cases="
series|series $fix/picss_monthly.csv --value attacks
series_bars|series $fix/picss_casualties.csv --value people --by type --bars
annual|annual $fix/picss_monthly.csv --value attacks
annual_json|annual --result $fix/annual.json
shares|shares $fix/picss_provinces_2021.csv --value events --by region
shares_json|shares --result $fix/shares.json
trend|trend $fix/picss_monthly.csv --result $fix/trend.json
its|its $fix/picss_monthly.csv --result $fix/its.json
its_minimal|its $fix/picss_monthly.csv --value attacks --result $fix/its_minimal.json
compare|compare $fix/picss_monthly.csv --result $fix/compare.json
compare_windows|compare $fix/picss_monthly.csv --value attacks --before 2022-01:2022-10 --after 2023-01:2024-12
changepoint|changepoint $fix/picss_monthly.csv --result $fix/changepoint.json
forecast|forecast $fix/picss_monthly.csv --result $fix/forecast.json
forecast_alone|forecast --result $fix/forecast.json
backtest|backtest --result $fix/backtest.json
residuals|residuals --result $fix/residuals.json
residuals_fitted|residuals $fix/picss_monthly.csv --result $fix/its.json
seasonal|seasonal $fix/picss_monthly.csv --value attacks
"

mkdir -p "$work/render"
while IFS='|' read -r name args; do
    [ -n "$name" ] || continue
    read -r -a argv <<<"$args"
    # 1. Deterministic: twice, then under a comma locale.
    if ! "$tally" plot "${argv[@]}" >"$work/$name.1.gp" 2>"$work/$name.err"; then
        fail "$name: tally plot failed: $(cat "$work/$name.err")"
        continue
    fi
    "$tally" plot "${argv[@]}" >"$work/$name.2.gp" 2>/dev/null
    cmp -s "$work/$name.1.gp" "$work/$name.2.gp" || fail "$name: two runs differ"
    if [ -n "$de" ]; then
        LC_ALL=$de "$tally" plot "${argv[@]}" >"$work/$name.3.gp" 2>/dev/null
        cmp -s "$work/$name.1.gp" "$work/$name.3.gp" \
            || fail "$name: differs under LC_ALL=$de"
        LC_NUMERIC=$de "$tally" plot "${argv[@]}" >"$work/$name.4.gp" 2>/dev/null
        cmp -s "$work/$name.1.gp" "$work/$name.4.gp" \
            || fail "$name: differs under LC_NUMERIC=$de"
    fi
    # 2. The golden copy.
    if [ "${TALLY_UPDATE_GOLDEN:-}" = 1 ]; then
        mkdir -p "$golden"
        cp "$work/$name.1.gp" "$golden/$name.gp"
    elif ! cmp -s "$work/$name.1.gp" "$golden/$name.gp"; then
        fail "$name: differs from $golden/$name.gp"
        diff "$golden/$name.gp" "$work/$name.1.gp" | head -20 >&2
    fi
    # 3. No path of this machine, no clock time.
    if grep -qF -e "$PWD" -e "$work" "$work/$name.1.gp"; then
        fail "$name: the script holds an absolute path"
    fi
    if grep -qE '[0-9]{2}:[0-9]{2}:[0-9]{2}' "$work/$name.1.gp"; then
        fail "$name: the script holds a time of day"
    fi
    # 4. Rendered by gnuplot on every terminal without a word on stderr.
    [ "$have_gnuplot" = 1 ] || continue
    for term in png svg pdf dumb; do
        gp="$name-$term.gp"
        if ! "$tally" plot "${argv[@]}" --terminal "$term" -o "$work/render/$gp" \
            2>/dev/null; then
            fail "$name ($term): tally plot failed"
            continue
        fi
        (cd "$work/render" && gnuplot --default-settings "$gp" \
            >"$name-$term.out" 2>"$name-$term.stderr")
        rc=$?
        if [ $rc -ne 0 ] || [ -s "$work/render/$name-$term.stderr" ]; then
            fail "$name ($term): gnuplot exit $rc: $(head -5 "$work/render/$name-$term.stderr")"
        fi
    done
    if [ "$(head -c 4 "$work/render/$name-png.png" 2>/dev/null | od -An -c | tr -d ' ')" != '211PNG' ]; then
        fail "$name: no PNG picture"
    fi
    grep -q '[^ ]' "$work/render/$name-dumb.out" || fail "$name: dumb drew nothing"
    if [ -n "$de" ]; then
        (cd "$work/render" && LC_ALL=$de gnuplot --default-settings "$name-png.gp" \
            2>"$name-de.stderr" >/dev/null)
        [ -s "$work/render/$name-de.stderr" ] \
            && fail "$name: gnuplot under LC_ALL=$de: $(head -3 "$work/render/$name-de.stderr")"
    fi
done <<<"$cases"

# The rebuilt fit says so on stderr.
"$tally" plot its $fix/picss_monthly.csv --value attacks \
    --result $fix/its_minimal.json 2>&1 >/dev/null | grep -q 'rebuilt from coefficients' \
    || fail "its_minimal: no warning that the fit was rebuilt"

# ---- results of the real commands -----------------------------------------
# The JSON the analysis commands print today, plotted and rendered (no
# golden copy: their numbers are theirs to change).  A command that fails
# (not built yet) is skipped with a note.
picss=data/pakistan-picss/monthly.csv
sicily=data/sicily/sicily.csv
real="
describe|describe $picss --annual|annual --value attacks
describe_shares|describe data/pak-suicide-attacks/monthly_by_province.csv --value killed --by province|shares
trend|trend $picss --value attacks --family poisson|trend $picss
its|its $picss --value attacks --break 2022-11 --family quasipoisson|its $picss
its_fourier|its $sicily --value aces --break 2005-01 --family quasipoisson --season fourier:2|its $sicily
its_offset|its $sicily --value aces --break 2005-01 --family quasipoisson --exposure stdpop|its $sicily
compare|compare $picss --value attacks --before 2022-01:2022-10 --after 2023-01:2024-12|compare $picss
changepoint|changepoint $picss --value attacks|changepoint $picss
forecast|forecast $picss --value attacks --model arima:0,1,1 --horizon 12|forecast $picss
backtest|backtest $picss --value attacks --model naive --horizon 6 --initial 24|backtest
"
mkdir -p "$work/real"
while IFS='|' read -r name cmd plotargs; do
    [ -n "$name" ] || continue
    read -r -a cargv <<<"$cmd"
    read -r -a pargv <<<"$plotargs"
    if ! "$tally" "${cargv[@]}" --format json >"$work/real/$name.json" 2>/dev/null; then
        echo "note: '$cmd' did not run; its plot is not checked" >&2
        continue
    fi
    for term in png dumb; do
        gp="$name-$term.gp"
        if ! "$tally" plot "${pargv[@]}" --result "$work/real/$name.json" \
            --terminal "$term" -o "$work/real/$gp" 2>"$work/real/$name.err"; then
            fail "real $name: tally plot failed: $(cat "$work/real/$name.err")"
            continue
        fi
        if grep -q 'cannot be rebuilt' "$work/real/$name.err" \
            && [ "$name" != its_offset ]; then
            fail "real $name: $(cat "$work/real/$name.err")"
        fi
        [ "$have_gnuplot" = 1 ] || continue
        (cd "$work/real" && gnuplot --default-settings "$gp" >/dev/null \
            2>"$gp.stderr")
        rc=$?
        if [ $rc -ne 0 ] || [ -s "$work/real/$gp.stderr" ]; then
            fail "real $name ($term): gnuplot exit $rc: $(head -5 "$work/real/$gp.stderr")"
        fi
    done
done <<<"$real"

# ---- --render --------------------------------------------------------------
series_args=(series "$fix/picss_monthly.csv" --value attacks)
# Without gnuplot: the script is written, a warning says so, exit 0.
out=$(PATH=/nonexistent "$tally" plot "${series_args[@]}" -o "$work/nognu.gp" \
    --render 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "--render without gnuplot: exit $rc"
case "$out" in
*"gnuplot is not installed"*"$work/nognu.gp"*) ;;
*) fail "--render without gnuplot: message was: $out" ;;
esac
[ -s "$work/nognu.gp" ] || fail "--render without gnuplot: no script"
[ ! -e "$work/nognu.png" ] || fail "--render without gnuplot: a picture?"
# A gnuplot that fails: exit 3, the script is kept and named.
mkdir -p "$work/fakebin"
printf '#!/bin/sh\necho "fake gnuplot failing" >&2\nexit 1\n' >"$work/fakebin/gnuplot"
chmod +x "$work/fakebin/gnuplot"
out=$(PATH="$work/fakebin" "$tally" plot "${series_args[@]}" -o "$work/failing.gp" \
    --render 2>&1)
rc=$?
[ $rc -eq 3 ] || fail "--render with a failing gnuplot: exit $rc, not 3"
case "$out" in
*"kept"*"$work/failing.gp"*) ;;
*) fail "--render with a failing gnuplot: message was: $out" ;;
esac
[ -s "$work/failing.gp" ] || fail "--render with a failing gnuplot: script lost"
if [ "$have_gnuplot" = 1 ]; then
    "$tally" plot "${series_args[@]}" -o "$work/rendered.gp" --render \
        || fail "--render: exit $?"
    [ -s "$work/rendered.png" ] || fail "--render: no rendered.png next to the script"
    out=$("$tally" plot "${series_args[@]}" --terminal dumb -o "$work/dumb.gp" --render)
    case "$out" in
    *"attacks per month"*) ;;
    *) fail "--render --terminal dumb: nothing drawn in the terminal" ;;
    esac
fi

# ---- hostile labels ---------------------------------------------------------
h="$work/hostile"
mkdir -p "$h"
# Region names and a column header made to break out of a gnuplot script:
# backquotes, system(), a quote that tries to close the string, $(...), the
# data-block terminator, newlines with a shell escape (!), @macros, printf
# formats, backslashes.  CSV quoting carries the quotes and newlines.
cat >"$h/hostile.csv" <<'EOF'
month,region,"`touch PWNED_col` kills"
2022-01,"`touch PWNED1`",1
2022-02,"`touch PWNED1`",2
2022-01,"system(""touch PWNED2"")",3
2022-02,"system(""touch PWNED2"")",4
2022-01,"x' . system('touch PWNED3') . '",5
2022-02,"x' . system('touch PWNED3') . '",6
2022-01,"$(touch PWNED4)",7
2022-02,"$(touch PWNED4)",8
2022-01,EOD,9
2022-02,EOD,10
2022-01,"a
EOD
! touch PWNED5
set output 'PWNED6'",11
2022-02,"a
EOD
! touch PWNED5
set output 'PWNED6'",12
2022-01,"@ARG0 %n%s%d \ ""`touch PWNED7`""",13
2022-02,"@ARG0 %n%s%d \ ""`touch PWNED7`""",14
EOF
# Control: this gnuplot does run a backquoted command in a double-quoted
# string, so a leak would be seen.
if [ "$have_gnuplot" = 1 ]; then
    printf 'x = "`touch CONTROL`"\n' >"$h/control.gp"
    (cd "$h" && gnuplot --default-settings control.gp >/dev/null 2>&1)
    [ -e "$h/CONTROL" ] || fail "control: gnuplot did not run the backquoted command"
    rm -f "$h/CONTROL" "$h/control.gp"
fi
title='`touch PWNED8` $(touch PWNED9) system("touch PWNED10")'
for kind in series shares; do
    for term in png dumb; do
        gp="hostile-$kind-$term.gp"
        if ! "$tally" plot "$kind" "$h/hostile.csv" --value '`touch PWNED_col` kills' \
            --by region --title "$title" --terminal "$term" -o "$h/$gp" 2>"$h/err"; then
            fail "hostile $kind $term: tally plot failed: $(cat "$h/err")"
            continue
        fi
        # Every "EOD" line ends a block that a "<< EOD" line opened.
        opened=$(grep -c '<< EOD$' "$h/$gp")
        closed=$(grep -cx 'EOD' "$h/$gp")
        [ "$opened" = "$closed" ] || fail "hostile $kind: $closed EOD lines for $opened blocks"
        [ "$have_gnuplot" = 1 ] || continue
        (cd "$h" && gnuplot --default-settings "$gp" >"$gp.out" 2>"$gp.stderr")
        rc=$?
        if [ $rc -ne 0 ] || [ -s "$h/$gp.stderr" ]; then
            fail "hostile $kind $term: gnuplot exit $rc: $(head -5 "$h/$gp.stderr")"
        fi
    done
done
if [ "$have_gnuplot" = 1 ]; then
    # The labels come out as text.
    grep -qF '`touch PWNED1`' "$h/hostile-series-dumb.gp.out" \
        || fail "hostile: the backquoted label is not drawn as text"
    grep -qF '$(touch PWNED4)' "$h/hostile-series-dumb.gp.out" \
        || fail "hostile: the \$(...) label is not drawn as text"
fi
for dir in "$h" "$work" "$PWD" "$work/render"; do
    if ls "$dir" | grep -q '^PWNED'; then
        fail "hostile labels ran a command: $(ls "$dir" | grep '^PWNED' | tr '\n' ' ') in $dir"
    fi
done

# ---- errors -------------------------------------------------------------------
expect_exit() {
    local want=$1
    shift
    "$tally" plot "$@" >/dev/null 2>"$work/err"
    local rc=$?
    [ $rc -eq "$want" ] || fail "plot $*: exit $rc, want $want ($(cat "$work/err"))"
}
expect_exit 0 --help
expect_exit 2 pie $fix/picss_monthly.csv
expect_exit 2
expect_exit 2 its $fix/picss_monthly.csv --value attacks
expect_exit 2 series $fix/picss_monthly.csv
expect_exit 2 series $fix/picss_monthly.csv --value nosuch
expect_exit 2 series $fix/picss_casualties.csv --value people
expect_exit 2 series $fix/picss_monthly.csv --value attacks --terminal jpeg
expect_exit 2 its $fix/picss_monthly.csv --value attacks --by region --result $fix/its.json
expect_exit 3 series "$work/no-such-file.csv" --value attacks
expect_exit 3 its $fix/picss_monthly.csv --result "$work/no-such.json"
printf '{"command": "its", "coefficients": [' >"$work/bad.json"
expect_exit 2 its $fix/picss_monthly.csv --result "$work/bad.json"
printf '{"command": "backtest", "mae": 3}\n' >"$work/nobyh.json"
expect_exit 2 backtest --result "$work/nobyh.json"
expect_exit 2 compare $fix/picss_monthly.csv --value attacks --before 2022-01 --after 2023-01:2023-02
expect_exit 2 compare $fix/picss_monthly.csv --value attacks --before 2019-01:2019-05 --after 2023-01:2023-02
expect_exit 2 series $fix/picss_monthly.csv --value attacks --render
# An existing file tally did not write is kept unless --force.
echo "my notes" >"$work/notes.gp"
expect_exit 3 series $fix/picss_monthly.csv --value attacks -o "$work/notes.gp"
[ "$(cat "$work/notes.gp")" = "my notes" ] || fail "a file not written by tally was replaced"
expect_exit 0 series $fix/picss_monthly.csv --value attacks -o "$work/notes.gp" --force
expect_exit 0 series $fix/picss_monthly.csv --value attacks -o "$work/notes.gp"
cp $fix/picss_monthly.csv "$work/in.csv"
expect_exit 2 series "$work/in.csv" --value attacks -o "$work/in.csv" --force
cmp -s $fix/picss_monthly.csv "$work/in.csv" || fail "the input file was overwritten"

if [ $fails -gt 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
if [ "$have_gnuplot" = 0 ]; then
    exit 77
fi
exit 0
