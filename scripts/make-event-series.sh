#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Rebuild the monthly series that tally ships from the event-level files
# kept in the shared data folder (the event files themselves are not in the
# repository: they state no licence).  Each input's sha256 is checked
# first, then `tally aggregate` makes the series, and its accounting on
# stderr is checked against what the input's SOURCE.md says (every row
# counted, only the drone file's totals row skipped).
#
# Usage: bash scripts/make-event-series.sh [--check] [--tally PATH] [SHARED_DIR]
#   SHARED_DIR    the shared folder (default: $TALLY_SHARED, else ../shared
#                 relative to the repository)
#   --tally PATH  the tally program (default: build/tally)
#   --check       build into a temporary folder and compare with data/
#                 byte for byte instead of writing data/ (exit 1 on any
#                 difference)
#
# Outputs:
#   data/pak-suicide-attacks/monthly_by_province.csv
#       from pak-suicide-attacks/PakistanSuicideAttacks.csv
#   data/pak-suicide-attacks/monthly.csv (all provinces)
#       from the same file
#   data/pak-drone-strikes/monthly.csv
#       from pak-drone-attacks/PakistanDroneAttacks.csv
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
check=0
shared=""
tally=$here/build/tally
while [ $# -gt 0 ]; do
    case "$1" in
    --check) check=1 ;;
    --tally)
        shift
        tally=$1
        ;;
    -h | --help)
        sed -n '3,23p' "$0"
        exit 0
        ;;
    -*)
        echo "make-event-series.sh: unknown option $1" >&2
        exit 2
        ;;
    *) shared=$1 ;;
    esac
    shift
done
if [ -z "$shared" ]; then
    shared=${TALLY_SHARED:-$here/../shared}
fi
if [ ! -d "$shared/data" ]; then
    echo "make-event-series.sh: no data folder in $shared (give SHARED_DIR)" >&2
    exit 3
fi
if [ ! -x "$tally" ]; then
    echo "make-event-series.sh: $tally not found: build tally first" \
        "(cmake -S . -B build && cmake --build build) or give --tally" >&2
    exit 3
fi

log=$(mktemp)
if [ "$check" = 1 ]; then
    out=$(mktemp -d)
    trap 'rm -f "$log"; rm -rf "$out"' EXIT
else
    out=$here/data
    trap 'rm -f "$log"' EXIT
fi

fail() {
    echo "make-event-series.sh: $*" >&2
    exit 1
}

# verify FILE SHA256: the input is the one the SOURCE.md files describe.
verify() {
    local got
    got=$(sha256sum "$1" | cut -d' ' -f1)
    if [ "$got" != "$2" ]; then
        fail "$1 has sha256 $got, expected $2: the source changed"
    fi
}

# expect TEXT: the last tally run reported TEXT on stderr.
expect() {
    if ! grep -qF -- "$1" "$log"; then
        cat "$log" >&2
        fail "tally did not report '$1'"
    fi
}

suicide=$shared/data/pak-suicide-attacks/PakistanSuicideAttacks.csv
drone=$shared/data/pak-drone-attacks/PakistanDroneAttacks.csv
verify "$suicide" 0cd065fd57daaeb6aab49dde9e09b955d550e3b89f7348c423c902324362ce5b
verify "$drone" 176e806babbaa7027cfbbb44b9bafc7749914d6b34ac390fc6c680f1763acd00

mkdir -p "$out/pak-suicide-attacks" "$out/pak-drone-strikes"

# Suicide attacks by province: one spelling per province (Baluchistan and
# Balochistan, FATA and Fata), the abbreviations written out.
"$tally" aggregate "$suicide" --date Date --by province=Province --fold-case \
    --recode 'Baluchistan=Balochistan,KPK=Khyber Pakhtunkhwa' \
    --recode 'Capital=Islamabad,AJK=Azad Kashmir' \
    --sum 'killed=Killed Max,injured=Injured Max' \
    -o "$out/pak-suicide-attacks/monthly_by_province.csv" --force 2>"$log"
expect "492 rows read = 492 aggregated + 0 skipped"

# The same, all provinces together (the national monthly series).
"$tally" aggregate "$suicide" --date Date \
    --sum 'killed=Killed Max,injured=Injured Max' \
    -o "$out/pak-suicide-attacks/monthly.csv" --force 2>"$log"
expect "492 rows read = 492 aggregated + 0 skipped"

# Drone strikes: the trailing totals row is the only bad row.
"$tally" aggregate "$drone" --date Date --count strikes \
    --sum 'killed_min=Total Died Min,killed_max=Total Died Mix' \
    --sum 'civilians_min=Civilians Min,civilians_max=Civilians Max' \
    --sum 'injured_min=Injured Min,injured_max=Injured Max' \
    --on-bad-row skip \
    -o "$out/pak-drone-strikes/monthly.csv" --force 2>"$log"
expect "405 rows read = 404 aggregated + 1 skipped (1 bad row)"
expect "skipped bad row $drone:406:2: column 'Date': the date is blank"

if [ "$check" = 1 ]; then
    status=0
    for f in pak-suicide-attacks/monthly_by_province.csv \
        pak-suicide-attacks/monthly.csv \
        pak-drone-strikes/monthly.csv; do
        if cmp -s "$out/$f" "$here/data/$f"; then
            echo "same: data/$f"
        else
            echo "DIFFERENT: data/$f"
            status=1
        fi
    done
    exit $status
fi
echo "wrote data/pak-suicide-attacks/monthly_by_province.csv"
echo "wrote data/pak-suicide-attacks/monthly.csv"
echo "wrote data/pak-drone-strikes/monthly.csv"
