#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Rebuild the series files shipped in data/ from the source files kept in
# the shared data folder, so that every shipped number can be traced to its
# source.  Each source file's sha256 is checked first: a changed source
# stops the run (re-read it, then update the hash here and in SOURCE.md).
#
# Usage: bash scripts/make-data.sh [--check] [SHARED_DIR]
#   SHARED_DIR  the shared folder (default: $TALLY_SHARED, else ../shared
#               relative to the repository)
#   --check     build into a temporary folder and compare with data/
#               byte for byte instead of writing data/ (exit 1 on any
#               difference)
#
# Needs only bash and python3 (standard library).  Conversions:
#   pakistan-aggregates/picss_monthly_militant_attacks.csv
#       -> data/pakistan-picss/monthly.csv (2021-08..2024-12, the contiguous
#          stretch) and monthly_sources.csv (status, source_url, note)
#   pakistan-aggregates/picss_cumulative_checkpoints.csv
#       -> data/pakistan-picss/checkpoints.csv (copied; not a series file)
#   pakistan-aggregates/annual_by_source.csv
#       -> data/pakistan-picss/annual.csv (PICSS rows only), and one annual
#          file per other publisher in data/pakistan-aggregates/
#   pakistan-aggregates/province_year.csv
#       -> data/pakistan-aggregates/province_year_<publisher>.csv, one file
#          per publisher, every region x year of that publisher, NA where
#          no figure was published
#   sicily-its/sicily.csv -> data/sicily/sicily.csv (month = year + month)
#   prop99-california/california_prop99.csv
#       -> data/prop99/california.csv and data/prop99/states.csv (values
#          rounded to one decimal to remove float32 noise)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
check=0
shared=""
for arg in "$@"; do
    case "$arg" in
    --check) check=1 ;;
    -h|--help) sed -n '3,30p' "$0"; exit 0 ;;
    -*) echo "make-data.sh: unknown option $arg" >&2; exit 2 ;;
    *) shared=$arg ;;
    esac
done
if [ -z "$shared" ]; then
    shared=${TALLY_SHARED:-$here/../shared}
fi
if [ ! -d "$shared/data" ]; then
    echo "make-data.sh: no data folder in $shared (give SHARED_DIR)" >&2
    exit 3
fi

if [ "$check" = 1 ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
else
    out=$here/data
fi

python3 - "$shared/data" "$out" <<'PY'
import csv
import hashlib
import os
import sys

src, out = sys.argv[1], sys.argv[2]

# sha256 of every source file read (also recorded in the SOURCE.md files).
SHA256 = {
    "pakistan-aggregates/picss_monthly_militant_attacks.csv":
        "54f47223c9d698d671163d71d56f4f08d01e008f15d5e2b3a9c7a90ac7931d1b",
    "pakistan-aggregates/picss_cumulative_checkpoints.csv":
        "fa9d1fe2b3f7c29bbd04176c3ceda8f64713337e074f8ff0d8e475b2889ebdc2",
    "pakistan-aggregates/annual_by_source.csv":
        "916472b3f2fe4f67761dd72f4d94fdb5a542568029974930d8fc6a4c0a2d070b",
    "pakistan-aggregates/province_year.csv":
        "ec2d4d46b63058d624578fd74263519ca7a6de0fe8d8f54100067d0ade41f90a",
    "sicily-its/sicily.csv":
        "63a867b3fc8748425ff27a28202c19b4c2741e69a1ab753ad8e77c4e56457dda",
    "prop99-california/california_prop99.csv":
        "550d24c2f743507d097692d181bdbbf36c6168a39a0b6fc831cc89d98082f7de",
}


def fail(msg):
    sys.stderr.write("make-data.sh: " + msg + "\n")
    sys.exit(1)


def read(rel, delimiter=","):
    path = os.path.join(src, rel)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != SHA256[rel]:
        fail("%s has sha256 %s, expected %s: the source changed" %
             (rel, digest, SHA256[rel]))
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=delimiter))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def write(rel, header, rows):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def count(cell):
    """A count cell: digits, or blank (not published) -> NA."""
    if cell == "":
        return "NA"
    if not cell.isdigit():
        fail("not a count: %r" % cell)
    return str(int(cell))


def next_month(m):
    y, mm = int(m[:4]), int(m[5:7])
    y, mm = (y + 1, 1) if mm == 12 else (y, mm + 1)
    return "%04d-%02d" % (y, mm)


# --- PICSS monthly: the contiguous stretch 2021-08 .. 2024-12 -------------
_, monthly = read("pakistan-aggregates/picss_monthly_militant_attacks.csv")
FIRST, LAST = "2021-08", "2024-12"
stretch = [r for r in monthly if FIRST <= r["month"] <= LAST]
expect = FIRST
for r in stretch:
    if r["month"] != expect:
        fail("monthly PICSS rows are not contiguous at %s" % expect)
    expect = next_month(expect)
if stretch[-1]["month"] != LAST:
    fail("monthly PICSS rows end before %s" % LAST)
write("pakistan-picss/monthly.csv", ["month", "attacks", "killed", "injured"],
      [[r["month"], count(r["attacks"]), count(r["killed"]),
        count(r["injured"])] for r in stretch])
write("pakistan-picss/monthly_sources.csv",
      ["month", "status", "source_url", "note"],
      [[r["month"], r["status"], r["source_url"], r["note"]] for r in stretch])

# --- PICSS cumulative checkpoints: copied as published --------------------
head, checkpoints = read("pakistan-aggregates/picss_cumulative_checkpoints.csv")
write("pakistan-picss/checkpoints.csv", head,
      [[r[h] for h in head] for r in checkpoints])

# --- annual totals: one file per publisher, never mixed -------------------
_, annual = read("pakistan-aggregates/annual_by_source.csv")


def annual_file(rel, publisher, count_name):
    rows = sorted((r for r in annual if r["source_org"] == publisher),
                  key=lambda r: int(r["year"]))
    years = [int(r["year"]) for r in rows]
    if years != list(range(years[0], years[-1] + 1)):
        fail("%s annual rows are not contiguous: %s" % (publisher, years))
    write(rel, ["year", count_name, "killed", "injured"],
          [[r["year"], count(r["events"]), count(r["killed"]),
            count(r["injured"])] for r in rows])
    return rows


src_rows = []
for rel, pub, name in [("pakistan-picss/annual.csv", "PICSS", "attacks"),
                       ("pakistan-aggregates/annual_pips.csv", "PIPS",
                        "attacks"),
                       ("pakistan-aggregates/annual_crss.csv", "CRSS",
                        "incidents")]:
    for r in annual_file(rel, pub, name):
        src_rows.append([r["year"], pub, r["measure"], r["status"],
                         r["source_url"], r["note"]])
write("pakistan-picss/annual_sources.csv",
      ["year", "status", "source_url", "note"],
      [[y, st, url, note] for y, pub, _, st, url, note in src_rows
       if pub == "PICSS"])
write("pakistan-aggregates/annual_sources.csv",
      ["year", "publisher", "measure", "status", "source_url", "note"],
      [r for r in src_rows if r[1] != "PICSS"])

# --- province x year: one file per publisher ------------------------------
# Short region names, the same for every publisher; the publisher's own
# label is kept in province_year_sources.csv.  "Khyber Pakhtunkhwa" is the
# whole province (merged tribal districts included); "KP mainland" and
# "KP tribal districts" are its two parts where a publisher split it.
REGION = {
    "Balochistan": "Balochistan",
    "KP tribal districts (ex-FATA)": "KP tribal districts",
    "FATA (KP tribal districts)": "KP tribal districts",
    "Khyber Pakhtunkhwa (mainland)": "KP mainland",
    "Khyber Pakhtunkhwa (incl. tribal districts)": "Khyber Pakhtunkhwa",
    "Khyber Pakhtunkhwa": "Khyber Pakhtunkhwa",
    "Sindh": "Sindh",
    "Punjab": "Punjab",
    "Islamabad Capital Territory": "Islamabad",
    "Azad Jammu and Kashmir": "Azad Kashmir",
}
_, prov = read("pakistan-aggregates/province_year.csv")
sources = []
for pub, name in [("PICSS", "attacks"), ("CRSS", "incidents"),
                  ("PIPS", "attacks")]:
    rows = [r for r in prov if r["source_org"] == pub]
    cell = {}
    for r in rows:
        if r["region"] not in REGION:
            fail("unknown region label %r" % r["region"])
        key = (int(r["year"]), REGION[r["region"]])
        if key in cell:
            fail("%s %d %s appears twice" % (pub, key[0], key[1]))
        cell[key] = r
        sources.append([r["year"], pub, key[1], r["region"],
                        r["source_url"], r["note"]])
    years = range(min(y for y, _ in cell), max(y for y, _ in cell) + 1)
    regions = sorted({g for _, g in cell})
    out_rows = []
    for g in regions:
        for y in years:
            r = cell.get((y, g))
            if r is None:
                out_rows.append([y, g, "NA", "NA", "NA"])
            else:
                out_rows.append([y, g, count(r["events"]), count(r["killed"]),
                                 count(r["injured"])])
    write("pakistan-aggregates/province_year_%s.csv" % pub.lower(),
          ["year", "region", name, "killed", "injured"], out_rows)
write("pakistan-aggregates/province_year_sources.csv",
      ["year", "publisher", "region", "published_label", "source_url",
       "note"], sources)

# --- Sicily ITS data: month column from year + month -----------------------
head, sic = read("sicily-its/sicily.csv")
if head != ["year", "month", "aces", "time", "smokban", "pop", "stdpop"]:
    fail("unexpected Sicily header %s" % head)
write("sicily/sicily.csv", ["month", "aces", "time", "smokban", "pop",
                            "stdpop"],
      [["%04d-%02d" % (int(r["year"]), int(r["month"])), r["aces"],
        r["time"], r["smokban"], r["pop"], r["stdpop"]] for r in sic])

# --- Proposition 99: per-capita packs, float32 noise rounded away ---------
_, p99 = read("prop99-california/california_prop99.csv", delimiter=";")


def packs(cell):
    v = float(cell)
    text = "%.1f" % v
    # The source values are one-decimal figures stored as float32
    # (123.4000015): rounding must move them by float32 noise only.
    if abs(float(text) - v) > 1e-4:
        fail("prop99 value %s is not a one-decimal figure" % cell)
    return text


ca = sorted((r for r in p99 if r["State"] == "California"),
            key=lambda r: int(r["Year"]))
write("prop99/california.csv", ["year", "packs"],
      [[r["Year"], packs(r["PacksPerCapita"])] for r in ca])
states = sorted(p99, key=lambda r: (r["State"], int(r["Year"])))
write("prop99/states.csv", ["year", "state", "packs"],
      [[r["Year"], r["State"], packs(r["PacksPerCapita"])] for r in states])
PY

if [ "$check" = 1 ]; then
    status=0
    while IFS= read -r -d '' f; do
        rel=${f#"$out"/}
        if ! cmp -s "$f" "$here/data/$rel"; then
            echo "make-data.sh: data/$rel differs from what the script builds" >&2
            status=1
        fi
    done < <(find "$out" -type f -print0 | sort -z)
    # Every source hash must also be written in a SOURCE.md.
    for h in $(grep -o '"[0-9a-f]\{64\}"' "$0" | tr -d '"'); do
        if ! grep -rqs "$h" "$here"/data/*/SOURCE.md; then
            echo "make-data.sh: sha256 $h is in no data/*/SOURCE.md" >&2
            status=1
        fi
    done
    [ "$status" = 0 ] && echo "make-data.sh: data/ matches its sources"
    exit "$status"
fi
echo "make-data.sh: wrote data/ from $shared/data"
