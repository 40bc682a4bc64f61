#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Command-line tests of `tally aggregate --partial` and `tally merge`: a
# file cut into chunks (each with the header), each chunk aggregated to a
# partial, the partials merged, gives the series of one pass over the
# whole file byte for byte, and the same accounting (rows read =
# aggregated + skipped, each kind of skipped row, missing cells by kind
# and column); line numbers of examples are those of the chunk they come
# from, so they are left out of the comparison.  Partials also merge from
# standard input (concatenated) and in two steps (merge --partial, then
# merge).  Errors: not a partial, partials of other options, no file.
# Usage (from the repository root): bash tests/cli/merge.sh PATH/TO/tally
set -u
tally=$1
case $tally in /*) ;; *) tally=$PWD/$tally ;; esac
root=$PWD
fix=$root/tests/fixtures/events
shared=${TALLY_SHARED:-$root/../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

pass() { echo "ok: $1"; }
flunk() {
    echo "FAIL: $1"
    fail=1
}

# The accounting without the input's name and the examples' lines.
accounting() {
    sed -e 's/^tally: .*: \([0-9]* rows\? read\)/tally: \1/' \
        -e 's/skipped bad row [^ ]*:[0-9]*:/skipped bad row (part):/' \
        -e 's/ on line [0-9]*//g' -e '/partial aggregates\? merged/d' "$1"
}

# chunked NAME FILE LINES ARGS...: FILE cut every LINES data lines, each
# chunk aggregated with ARGS --partial, merged; compared with one pass.
chunked() {
    local name=$1 file=$2 lines=$3
    shift 3
    rm -rf "$tmp/c" && mkdir "$tmp/c"
    tail -n +2 "$file" | split -l "$lines" - "$tmp/c/chunk-"
    for c in "$tmp"/c/chunk-*; do
        { head -n 1 "$file"; cat "$c"; } >"$c.csv"
        if ! "$tally" aggregate "$c.csv" "$@" --partial -o "$c.part" \
            2>/dev/null; then
            flunk "$name: aggregate --partial on $(basename "$c")"
            return
        fi
    done
    "$tally" aggregate "$file" "$@" >"$tmp/one.csv" 2>"$tmp/one.err"
    if ! "$tally" merge "$tmp"/c/chunk-*.part >"$tmp/m.csv" \
        2>"$tmp/m.err"; then
        flunk "$name: merge failed"
        cat "$tmp/m.err"
        return
    fi
    if ! cmp -s "$tmp/one.csv" "$tmp/m.csv"; then
        flunk "$name: merged series differs from one pass"
        diff "$tmp/one.csv" "$tmp/m.csv" | head -10
        return
    fi
    if ! diff <(accounting "$tmp/one.err") <(accounting "$tmp/m.err") \
        >"$tmp/d"; then
        flunk "$name: merged accounting differs from one pass"
        head -10 "$tmp/d"
        return
    fi
    # The same from standard input, and in two steps.
    cat "$tmp"/c/chunk-*.part | "$tally" merge - >"$tmp/s.csv" 2>/dev/null
    local parts=("$tmp"/c/chunk-*.part)
    local half=$(((${#parts[@]} + 1) / 2))
    "$tally" merge "${parts[@]:0:$half}" --partial -o "$tmp/h1.part" \
        --force 2>/dev/null
    "$tally" merge "$tmp/h1.part" "${parts[@]:$half}" >"$tmp/t.csv" \
        2>"$tmp/t.err"
    if ! cmp -s "$tmp/one.csv" "$tmp/s.csv" \
        || ! cmp -s "$tmp/one.csv" "$tmp/t.csv" \
        || ! diff -q <(accounting "$tmp/one.err") <(accounting "$tmp/t.err") \
            >/dev/null; then
        flunk "$name: merge from stdin or in two steps differs"
        return
    fi
    pass "$name (${#parts[@]} chunks)"
}

gtd_args=(--date DATE --by PROVINCE --sum FATALITIES,INJURED)
for n in 1 2 3 5; do
    chunked "gtd fixture, chunks of $n" "$fix/gtd.csv" "$n" "${gtd_args[@]}"
done
chunked "gtd fixture by quarter, fold-case" "$fix/gtd.csv" 3 --date DATE \
    --by PROVINCE --fold-case --recode 'North-West Frontier Province=KP' \
    --sum INJURED --period quarter
chunked "gtd fixture, range" "$fix/gtd.csv" 2 "${gtd_args[@]}" \
    --from 2015-01 --to 2020-11
for n in 1 2 4; do
    chunked "year/month/day fixture, chunks of $n" "$fix/gtd_ymd.csv" "$n" \
        --year iyear --month imonth --day iday --by provstate \
        --sum nkill,nwound
done
chunked "bad rows skipped" "$fix/bad_date.csv" 1 --date date --sum killed \
    --on-bad-row skip
chunked "missing as zero" "$fix/gtd.csv" 3 "${gtd_args[@]}" --missing zero

# Non-integer values (0.1 is no binary fraction): the sums of the parts
# are exact, so the merge has the bits of one pass.
printf 'date,g,x\n' >"$tmp/frac.csv"
for i in $(seq 1 90); do
    printf '2020-%02d-%02d,g%d,0.%d\n' $((i % 12 + 1)) $((i % 28 + 1)) \
        $((i % 3)) "$i" >>"$tmp/frac.csv"
done
for n in 1 7 13; do
    chunked "non-integer values, chunks of $n" "$tmp/frac.csv" "$n" \
        --date date --by g --sum x
done

gtd=$shared/data/gtd-pakistan-2001-2020/gtd_pakistan_2001_2020_slim.csv
if [ -f "$gtd" ]; then
    chunked "GTD extract, chunks of 1000" "$gtd" 1000 "${gtd_args[@]}"
    chunked "GTD extract by year, chunks of 4000" "$gtd" 4000 --date DATE \
        --sum FATALITIES --period year --from 2005 --to 2015
else
    echo "SKIP: $gtd not found (shared data absent)"
fi

# Errors.
"$tally" aggregate "$fix/gtd.csv" --date DATE --sum FATALITIES --partial \
    -o "$tmp/a.part" 2>/dev/null
"$tally" aggregate "$fix/gtd.csv" --date DATE --sum INJURED --partial \
    -o "$tmp/b.part" 2>/dev/null
"$tally" merge "$tmp/a.part" "$tmp/b.part" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "other options" "$tmp/err"; then
    pass "partials of other options refused"
else
    flunk "other options: exit $rc"
    cat "$tmp/err"
fi
"$tally" merge "$fix/gtd.csv" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "gtd.csv: partial 1" "$tmp/err"; then
    pass "not a partial refused"
else
    flunk "not a partial: exit $rc"
    cat "$tmp/err"
fi
"$tally" merge "$tmp/none.part" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 3 ]; then
    pass "absent file: exit 3"
else
    flunk "absent file: exit $rc"
fi
"$tally" merge >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ]; then
    pass "no file: exit 2"
else
    flunk "no file: exit $rc"
fi
exit $fail
