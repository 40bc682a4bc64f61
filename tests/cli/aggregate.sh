#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Command-line tests of `tally aggregate`:
#  1. golden files: stdout and stderr byte for byte on the fixtures of
#     tests/fixtures/events (regenerate with TALLY_UPDATE_GOLDEN=1 after
#     checking the difference by hand);
#  2. exit codes and messages: usage (2), bad input (2, naming file, line
#     and column), I/O (3), and no output file left behind on error;
#  3. the event files of the shared folder: per-year counts and sums equal
#     to those stated in their SOURCE.md (read from SOURCE.md itself), the
#     Unknown and negative cells counted.  Skipped with a message when the
#     shared folder is absent.
# Usage (from the repository root): bash tests/cli/aggregate.sh PATH/TO/tally
set -u
tally=$1
case $tally in /*) ;; *) tally=$PWD/$tally ;; esac
root=$PWD
fix=$root/tests/fixtures/events
gold=$fix/golden
shared=${TALLY_SHARED:-$root/../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

pass() { echo "ok: $1"; }
flunk() {
    echo "FAIL: $1"
    fail=1
}

# Run tally aggregate in the fixture folder (so messages carry short
# names); stdout, stderr and the exit status land in $tmp.
run() {
    (cd "$fix" && "$tally" aggregate "$@") >"$tmp/out" 2>"$tmp/err"
    echo $? >"$tmp/rc"
}

# golden NAME STATUS ARGS...: the run exits with STATUS and prints exactly
# golden/NAME.out and golden/NAME.err.
golden() {
    local name=$1 want=$2
    shift 2
    run "$@"
    local rc
    rc=$(cat "$tmp/rc")
    if [ "${TALLY_UPDATE_GOLDEN:-0}" = 1 ]; then
        mkdir -p "$gold"
        cp "$tmp/out" "$gold/$name.out"
        cp "$tmp/err" "$gold/$name.err"
    fi
    if [ "$rc" != "$want" ]; then
        flunk "$name: exit $rc, expected $want"
        cat "$tmp/err"
        return
    fi
    if ! cmp -s "$tmp/out" "$gold/$name.out"; then
        flunk "$name: stdout differs from golden/$name.out"
        diff "$gold/$name.out" "$tmp/out" | head -20
        return
    fi
    if ! cmp -s "$tmp/err" "$gold/$name.err"; then
        flunk "$name: stderr differs from golden/$name.err"
        diff "$gold/$name.err" "$tmp/err" | head -20
        return
    fi
    pass "$name"
}

# expect_fail NAME STATUS TEXT ARGS...: exits with STATUS and stderr holds
# TEXT.
expect_fail() {
    local name=$1 want=$2 text=$3
    shift 3
    run "$@"
    local rc
    rc=$(cat "$tmp/rc")
    if [ "$rc" != "$want" ]; then
        flunk "$name: exit $rc, expected $want"
        cat "$tmp/err"
    elif ! grep -qF -- "$text" "$tmp/err"; then
        flunk "$name: stderr lacks '$text'"
        cat "$tmp/err"
    else
        pass "$name"
    fi
}

# ---------------------------------------------------------------------
# 1. Golden files.
golden suicide-province-year 0 suicide.csv --date Date \
    --by province=Province --fold-case --recode-file recode.csv \
    --sum 'killed=Killed Max,injured=Injured Max' --period year \
    --from 2011 --to 2013
golden drone-quarter-skip 0 drone.csv --date Date \
    --sum 'Civilians Max,killed_max=Total Died Mix' --on-bad-row skip \
    --period quarter --from 2007 --to 2008
golden drone-totals-row 2 drone.csv --date Date
golden gtd-month 0 gtd.csv --date DATE --by PROVINCE \
    --sum FATALITIES,INJURED --from 2020-10 --to 2020-12
golden gtd-ymd 0 gtd_ymd.csv --year iyear --month imonth --day iday \
    --by provstate --sum nkill,nwound --count attacks
golden dmy-format 0 dmy.csv --date date --date-format %d/%m/%Y --sum n \
    --missing fail
golden bad-date 2 bad_date.csv --date date --sum killed
golden bad-date-skip 0 bad_date.csv --date date --sum killed \
    --on-bad-row skip

# ---------------------------------------------------------------------
# 2. Exit codes, messages, atomic output.
run --help
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q -- '--on-bad-row' "$tmp/out" \
    && grep -q -- '--recode-file' "$tmp/out"; then
    pass "help"
else
    flunk "help"
fi
expect_fail no-file 2 "which event file?" --date Date
expect_fail no-date 2 "say where the date is" gtd.csv
expect_fail two-dates 2 "exclude each other" gtd.csv --date DATE --year y
expect_fail bad-period 2 "--period must be month, quarter or year" \
    gtd.csv --date DATE --period week
expect_fail finer-from 2 "--from 2020-01 is finer than the --period year" \
    gtd.csv --date DATE --period year --from 2020-01
expect_fail to-before-from 2 "--to 2019 is before --from 2020" \
    gtd.csv --date DATE --from 2020 --to 2019
expect_fail recode-without-by 2 "give --by" \
    gtd.csv --date DATE --recode a=b
expect_fail bad-recode 2 "recode item 'KPK' is not FROM=TO" \
    gtd.csv --date DATE --by PROVINCE --recode KPK
expect_fail bad-missing 2 "--missing must be skip, zero or fail" \
    gtd.csv --date DATE --missing maybe
expect_fail bad-format 2 "%y is not supported" \
    dmy.csv --date date --date-format %d/%m/%y
expect_fail no-column 2 "gtd.csv:1: no column named 'date' (did you mean 'DATE'?)" \
    gtd.csv --date date
expect_fail no-sum-column 2 "no column named 'Killed'" \
    gtd.csv --date DATE --sum Killed
expect_fail same-names 2 "two output columns would be named 'incidents'" \
    gtd.csv --date DATE --sum incidents=FATALITIES
expect_fail ambiguous 2 "dmy.csv:2:1: column 'date': '19/11/1995': the order of day and month is ambiguous" \
    dmy.csv --date date --on-bad-row skip
expect_fail month-day-order 2 "dmy.csv:2:1: column 'date': '19/11/1995' is not a valid date: there is no month 19" \
    dmy.csv --date date --date-format %m/%d/%Y
expect_fail bad-fields 2 "bad_fields.csv:3:3: the row has 3 fields, the header has 2" \
    bad_fields.csv --date date
expect_fail missing-fail 2 "gtd.csv:4:6: column 'FATALITIES': 'Unknown' is not a count" \
    gtd.csv --date DATE --sum FATALITIES --missing fail
expect_fail no-input 3 "cannot open no-such.csv" no-such.csv --date DATE
expect_fail no-recode-file 3 "cannot open no-such.csv" \
    gtd.csv --date DATE --by PROVINCE --recode-file no-such.csv
expect_fail nothing 1 "no incidents to aggregate" gtd.csv --date DATE \
    --from 2030 --on-bad-row skip

# A failed run leaves no output file (not even its temporary file).
out=$tmp/o/series.csv
mkdir -p "$tmp/o"
expect_fail atomic-bad-date 2 "bad_date.csv:3:1:" bad_date.csv --date date \
    -o "$out"
if [ -n "$(ls -A "$tmp/o")" ]; then
    flunk "atomic-bad-date left $(ls -A "$tmp/o")"
else
    pass "no output left behind"
fi
# A good run writes the file, nothing on stdout, the accounting on stderr.
run gtd.csv --date DATE --sum FATALITIES -o "$out"
if [ "$(cat "$tmp/rc")" = 0 ] && [ ! -s "$tmp/out" ] \
    && head -n 1 "$out" | grep -qx 'month,incidents,FATALITIES,FATALITIES_missing' \
    && grep -q '8 rows read = 8 aggregated + 0 skipped' "$tmp/err" \
    && [ "$(ls -A "$tmp/o")" = series.csv ]; then
    pass "-o writes the series"
else
    flunk "-o writes the series"
    cat "$tmp/err"
fi
# An existing output is replaced only with --force, and an error then
# keeps the old file.
before=$(cat "$out")
expect_fail exists 3 "exists; use --force" gtd.csv --date DATE -o "$out"
expect_fail force-bad 2 "bad_date.csv:3:1:" bad_date.csv --date date \
    -o "$out" --force
if [ "$(cat "$out")" = "$before" ] && [ "$(ls -A "$tmp/o")" = series.csv ]; then
    pass "failed --force keeps the old file"
else
    flunk "failed --force keeps the old file"
fi
# Standard input, and the same bytes as from the file.
(cd "$fix" && "$tally" aggregate - --date Date --on-bad-row skip <drone.csv) \
    >"$tmp/stdin.out" 2>"$tmp/stdin.err"
(cd "$fix" && "$tally" aggregate drone.csv --date Date --on-bad-row skip) \
    >"$tmp/file.out" 2>/dev/null
if cmp -s "$tmp/stdin.out" "$tmp/file.out" \
    && grep -q '^tally: <stdin>: 9 rows read' "$tmp/stdin.err"; then
    pass "standard input"
else
    flunk "standard input"
fi

# ---------------------------------------------------------------------
# 3. The shared event files against their SOURCE.md.
python=${PYTHON:-python3}

# check_years SOURCE.md PHRASE SERIES.csv COLUMN [all]: the YYYY:N pairs
# that follow PHRASE in SOURCE.md (up to the next bullet) equal the
# column's values in those years; with "all", every other year of the
# series must be 0 (the list names every year with events).
check_years() {
    "$python" - "$@" <<'EOF'
import csv, re, sys
src, phrase, series, col = sys.argv[1:5]
every = len(sys.argv) > 5
text = open(src, encoding="utf-8").read()
at = text.find(phrase)
if at < 0:
    sys.exit("phrase %r not in %s" % (phrase, src))
rest = text[at + len(phrase):]
end = re.search(r"\n\s*\n|\n- ", rest)
block = rest[:end.start()] if end else rest
want = {int(y): int(n) for y, n in re.findall(r"\b(\d{4}):(\d+)", block)}
if not want:
    sys.exit("no year:count pairs after %r" % phrase)
got = {int(r["year"]): float(r[col]) for r in csv.DictReader(open(series))}
bad = ["%d: tally %s, SOURCE.md %s" % (y, got.get(y), n)
       for y, n in sorted(want.items()) if got.get(y) != n]
if every:
    bad += ["%d: tally %s, SOURCE.md lists none" % (y, v)
            for y, v in sorted(got.items()) if y not in want and v != 0]
if bad:
    sys.exit("\n".join(bad))
print("%d years agree" % len(want))
EOF
}

# shared_check NAME SOURCE.md PHRASE SERIES COLUMN [all]
shared_check() {
    local name=$1
    shift
    if msg=$(check_years "$@" 2>&1); then
        pass "$name ($msg)"
    else
        flunk "$name"
        echo "$msg"
    fi
}

suicide=$shared/data/pak-suicide-attacks
drone=$shared/data/pak-drone-attacks
gtd=$shared/data/gtd-pakistan-2001-2020
if ! command -v "$python" >/dev/null; then
    echo "SKIP: $python not found; the SOURCE.md checks need it"
elif [ ! -f "$suicide/PakistanSuicideAttacks.csv" ]; then
    echo "SKIP: $suicide/PakistanSuicideAttacks.csv not found (shared data absent)"
else
    "$tally" aggregate "$suicide/PakistanSuicideAttacks.csv" --date Date \
        --by province=Province --fold-case \
        --recode 'Baluchistan=Balochistan,KPK=Khyber Pakhtunkhwa' \
        --sum 'killed=Killed Max,injured=Injured Max' --period year \
        >"$tmp/s.csv" 2>"$tmp/s.err" || flunk "suicide by province"
    # Per-year totals over the provinces.
    "$python" - "$tmp/s.csv" >"$tmp/s-year.csv" <<'EOF'
import csv, sys
tot = {}
for r in csv.DictReader(open(sys.argv[1])):
    t = tot.setdefault(r["year"], [0, 0])
    t[0] += int(r["incidents"])
    t[1] += int(r["killed"])
print("year,incidents,killed")
for y in sorted(tot):
    print("%s,%d,%d" % (y, tot[y][0], tot[y][1]))
EOF
    shared_check "suicide incidents per year" "$suicide/SOURCE.md" \
        "Events per year:" "$tmp/s-year.csv" incidents all
    shared_check "suicide Killed Max per year" "$suicide/SOURCE.md" \
        "per year (blank cells skipped):" "$tmp/s-year.csv" killed
    groups=$(cut -d, -f2 "$tmp/s.csv" | sed 1d | sort -u | tr '\n' '|')
    if [ "$groups" = "AJK|Balochistan|Capital|FATA|Khyber Pakhtunkhwa|Punjab|Sindh|" ]; then
        pass "suicide provinces, one spelling each"
    else
        flunk "suicide provinces: $groups"
    fi
    if grep -q "492 rows read = 492 aggregated + 0 skipped" "$tmp/s.err" \
        && grep -q "'Saturday-March 07-2016' was a Monday" "$tmp/s.err" \
        && grep -q "column 'Killed Max': 16 cells are not a count (16 blank)" "$tmp/s.err"; then
        pass "suicide report"
    else
        flunk "suicide report"
        cat "$tmp/s.err"
    fi
fi

if [ ! -f "$drone/PakistanDroneAttacks.csv" ]; then
    echo "SKIP: $drone/PakistanDroneAttacks.csv not found (shared data absent)"
else
    "$tally" aggregate "$drone/PakistanDroneAttacks.csv" --date Date \
        >/dev/null 2>"$tmp/d.err"
    if [ $? = 2 ] && grep -q "PakistanDroneAttacks.csv:406:2: column 'Date': the date is blank" "$tmp/d.err"; then
        pass "drone totals row stops the run"
    else
        flunk "drone totals row stops the run"
        cat "$tmp/d.err"
    fi
    if command -v "$python" >/dev/null; then
        "$tally" aggregate "$drone/PakistanDroneAttacks.csv" --date Date \
            --period year --on-bad-row skip --sum 'Civilians Max' \
            >"$tmp/d.csv" 2>"$tmp/d.err" || flunk "drone by year"
        shared_check "drone strikes per year" "$drone/SOURCE.md" \
            "Strikes per year:" "$tmp/d.csv" incidents all
        if grep -q "405 rows read = 404 aggregated + 1 skipped (1 bad row)" "$tmp/d.err" \
            && grep -q "4 negative, first '-6'" "$tmp/d.err"; then
            pass "drone report"
        else
            flunk "drone report"
            cat "$tmp/d.err"
        fi
    fi
fi

if [ ! -f "$gtd/gtd_pakistan_2001_2020_slim.csv" ]; then
    echo "SKIP: $gtd/gtd_pakistan_2001_2020_slim.csv not found (shared data absent)"
elif command -v "$python" >/dev/null; then
    "$tally" aggregate "$gtd/gtd_pakistan_2001_2020_slim.csv" --date DATE \
        --period year --sum FATALITIES,INJURED >"$tmp/g.csv" 2>"$tmp/g.err" \
        || flunk "gtd by year"
    shared_check "gtd incidents per year" "$gtd/SOURCE.md" \
        "Incidents per year:" "$tmp/g.csv" incidents all
    shared_check "gtd fatalities per year" "$gtd/SOURCE.md" \
        "Fatalities per year (numeric cells only):" "$tmp/g.csv" FATALITIES
    f=$(grep -o '`FATALITIES` = `Unknown` in [0-9]* rows' "$gtd/SOURCE.md" | grep -o '[0-9]*')
    i=$(grep -o '`INJURED` = `Unknown` in [0-9]* rows' "$gtd/SOURCE.md" | grep -o '[0-9]*')
    if [ -n "$f" ] && [ -n "$i" ] \
        && grep -q "column 'FATALITIES': $f cells are not a count ($f text, first 'Unknown'" "$tmp/g.err" \
        && grep -q "column 'INJURED': $i cells are not a count ($i text, first 'Unknown'" "$tmp/g.err" \
        && [ "$(awk -F, 'NR > 1 { s += $5 } END { print s }' "$tmp/g.csv")" = "$f" ]; then
        pass "gtd Unknown cells counted ($f fatalities, $i injured)"
    else
        flunk "gtd Unknown cells"
        cat "$tmp/g.err"
    fi
fi

# ---------------------------------------------------------------------
# 4. The readers agree: the fast reader (default) and one thread per byte
#    range give the stdout and stderr of --reader libcsv (every byte
#    through libcsv), on the fixtures and on a file large enough to be
#    split across threads (the GTD extract repeated, > 16 MiB).
same_as_libcsv() {
    local name=$1
    shift
    (cd "$fix" && "$tally" aggregate "$@" --reader libcsv) \
        >"$tmp/ref.out" 2>"$tmp/ref.err"
    local want=$?
    for mode in "--threads 1" "--threads 2" ""; do
        # shellcheck disable=SC2086
        (cd "$fix" && "$tally" aggregate "$@" $mode) \
            >"$tmp/got.out" 2>"$tmp/got.err"
        local got=$?
        if [ "$got" != "$want" ] || ! cmp -s "$tmp/ref.out" "$tmp/got.out" \
            || ! cmp -s "$tmp/ref.err" "$tmp/got.err"; then
            flunk "$name: '$mode' differs from --reader libcsv"
            diff "$tmp/ref.err" "$tmp/got.err" | head -5
            return
        fi
    done
    pass "$name: fast reader and threads equal --reader libcsv"
}
same_as_libcsv readers-gtd gtd.csv --date DATE --by PROVINCE \
    --sum FATALITIES,INJURED
same_as_libcsv readers-suicide suicide.csv --date Date --by Province \
    --fold-case --sum 'Killed Max,Injured Max'
same_as_libcsv readers-drone drone.csv --date Date --sum 'Civilians Max' \
    --on-bad-row skip
same_as_libcsv readers-drone-fail drone.csv --date Date
same_as_libcsv readers-ymd gtd_ymd.csv --year iyear --month imonth \
    --day iday --by provstate --sum nkill,nwound
same_as_libcsv readers-bad-fields bad_fields.csv --date date --sum killed
if [ -f "$gtd/gtd_pakistan_2001_2020_slim.csv" ]; then
    big=$tmp/big.csv
    head -n 1 "$gtd/gtd_pakistan_2001_2020_slim.csv" >"$big"
    for _ in 1 2 3 4 5 6 7 8 9 10 11; do
        tail -n +2 "$gtd/gtd_pakistan_2001_2020_slim.csv" >>"$big"
    done
    same_as_libcsv readers-big "$big" --date DATE --by PROVINCE \
        --sum FATALITIES,INJURED
    # A bad row in the second half: the message names its line (the
    # range holding it is read again serially).
    printf '1,2020-02-30,x,Sindh,y,1,1,a,b,c,No\n' >>"$big"
    tail -n +2 "$gtd/gtd_pakistan_2001_2020_slim.csv" >>"$big"
    same_as_libcsv readers-big-bad-row "$big" --date DATE --by PROVINCE \
        --sum FATALITIES
    same_as_libcsv readers-big-skip "$big" --date DATE --by PROVINCE \
        --sum FATALITIES --on-bad-row skip
    # The same file with CRLF line ends.
    sed 's/$/\r/' "$big" >"$tmp/big-crlf.csv"
    same_as_libcsv readers-big-crlf "$tmp/big-crlf.csv" --date DATE \
        --by PROVINCE --sum FATALITIES,INJURED --on-bad-row skip
fi

exit $fail
