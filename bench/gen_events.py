#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Large event files for the aggregate benchmark, made deterministically.

The GTD Pakistan extract of the shared folder (13,589 rows, 2001-2020) is
repeated until the requested number of rows is written.  Copy k (k = 0, 1,
...) has every DATE moved back by 20 * (k mod 50) years, so the file spans
1021-2020 (12,000 months) instead of stacking every copy on the same 240
months; 20 years keep weekdays irrelevant (dates are ISO) and keep
29 February valid (2008 - 20k is never a century year).  Everything else of
each row is written byte for byte: the quirks of the extract stay
('Unknown' fatalities and injuries, blank provinces, quoted multi-valued
cells with commas).  The last copy is cut to make the row count exact.

Usage: gen_events.py [--shared DIR] OUT.csv ROWS
Exit 77 (skip) with a message when the extract is absent.
"""
import os
import sys

NAME = "gtd-pakistan-2001-2020/gtd_pakistan_2001_2020_slim.csv"
CYCLE = 50  # copies before the shift repeats
STEP = 20   # years between copies


def main():
    args = sys.argv[1:]
    shared = os.environ.get("TALLY_SHARED")
    if len(args) >= 2 and args[0] == "--shared":
        shared = args[1]
        args = args[2:]
    if shared is None:
        here = os.path.dirname(os.path.abspath(__file__))
        shared = os.path.join(here, "..", "..", "shared")
    if len(args) != 2:
        sys.exit("usage: gen_events.py [--shared DIR] OUT.csv ROWS")
    out, rows = args[0], int(args[1])
    src = os.path.join(shared, "data", NAME)
    if not os.path.exists(src):
        print("skip: %s is absent (set TALLY_SHARED)" % src, file=sys.stderr)
        sys.exit(77)
    with open(src, "rb") as f:
        lines = f.read().split(b"\n")
    header, body = lines[0], [ln for ln in lines[1:] if ln]
    # Each row is ID,DATE,...: cut it around the four year digits of DATE.
    parts = []
    for ln in body:
        c = ln.index(b",") + 1
        year = int(ln[c:c + 4])
        parts.append((ln[:c], year, ln[c + 4:]))
    with open(out, "wb") as f:
        f.write(header + b"\n")
        left = rows
        k = 0
        while left > 0:
            shift = STEP * (k % CYCLE)
            take = parts if left >= len(parts) else parts[:left]
            f.write(b"".join(b"%s%04d%s\n" % (a, y - shift, b)
                             for a, y, b in take))
            left -= len(take)
            k += 1


if __name__ == "__main__":
    main()
