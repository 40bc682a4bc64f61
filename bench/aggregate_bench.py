#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""tally aggregate against its peers on the same large event files.

Generates the GTD-repeat files (bench/gen_events.py: 1M and 10M rows by
default) in a scratch folder, then times in one run, each --repeat times
(the fastest run is kept):
  cat FILE, wc -l FILE              the floor: bytes from the page cache
  tally aggregate, 1 and 2 threads  (and --reader libcsv, the reference)
  pandas                            /usr/bin/python3 bench/agg_pandas.py
  R data.table, 1 and 2 threads     Rscript bench/agg_datatable.R
  DuckDB, 1 and 2 threads           node bench/agg_duckdb.mjs
Every tool computes monthly incidents by province and the sum of
FATALITIES with non-counts (Unknown, blank, negative) as missing; the
script checks that all outputs agree cell by cell (tally writes every
month, the others only months with incidents: tally's zero rows are left
out of the comparison), and that tally's fast reader writes the bytes of
its libcsv reader, stderr included.  Time and peak memory come from
/usr/bin/time (wall, user + system CPU, maximum resident set).

The table goes to stdout and, with --readme, into bench/README.md between
its markers.  The scratch folder is deleted unless --keep.

Usage: bench/aggregate_bench.py [--rows 1000000,10000000] [--repeat 3]
           [--dir DIR] [--tally build/tally] [--readme] [--keep]
           [--nice N]
Exit 77 (skip) when the GTD extract is absent.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BEGIN = "<!-- aggregate-bench begin -->"
LOAD = ["?"]
END = "<!-- aggregate-bench end -->"


def tools(tally, f, out):
    """(label, threads, argv, output file or None) of every timed run."""
    agg = [tally, "aggregate", f, "--date", "DATE", "--by", "PROVINCE",
           "--sum", "FATALITIES"]
    return [
        ("cat > /dev/null", 1, ["cat", f], None),
        ("wc -l", 1, ["wc", "-l", f], None),
        ("tally aggregate", 1, agg + ["--threads", "1", "-o",
                                      out + "tally1.csv", "--force"],
         out + "tally1.csv"),
        ("tally aggregate", 2, agg + ["--threads", "2", "-o",
                                      out + "tally2.csv", "--force"],
         out + "tally2.csv"),
        ("tally aggregate --reader libcsv", 1,
         agg + ["--reader", "libcsv", "-o", out + "tallyref.csv", "--force"],
         out + "tallyref.csv"),
        ("pandas", 1, ["/usr/bin/python3", os.path.join(HERE, "agg_pandas.py"),
                       f, out + "pandas.csv"], out + "pandas.csv"),
        ("R data.table", 1, ["Rscript", os.path.join(HERE, "agg_datatable.R"),
                             f, out + "dt1.csv", "1"], out + "dt1.csv"),
        ("R data.table", 2, ["Rscript", os.path.join(HERE, "agg_datatable.R"),
                             f, out + "dt2.csv", "2"], out + "dt2.csv"),
        ("DuckDB", 1, ["node", os.path.join(HERE, "agg_duckdb.mjs"), f,
                       out + "duck1.csv", "1"], out + "duck1.csv"),
        ("DuckDB", 2, ["node", os.path.join(HERE, "agg_duckdb.mjs"), f,
                       out + "duck2.csv", "2"], out + "duck2.csv"),
    ]


def timed(argv, nice, errfile):
    """Run argv under /usr/bin/time: (wall s, cpu s, peak RSS MB)."""
    tf = errfile + ".time"
    pre = ["nice", "-n", str(nice)] if nice else []
    with open(errfile, "wb") as err:
        r = subprocess.run(pre + ["/usr/bin/time", "-f", "%e %U %S %M", "-o",
                                  tf] + argv,
                           stdout=subprocess.DEVNULL, stderr=err, cwd=HERE)
    if r.returncode != 0:
        sys.exit("failed (%d): %s (see %s)" % (r.returncode, " ".join(argv),
                                               errfile))
    with open(tf) as t:
        wall, user, sys_, rss = t.read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024.0


def cells(path):
    """{(month, province): (incidents, sum, missing)} of non-zero rows."""
    res = {}
    with open(path, newline="") as fp:
        for row in csv.DictReader(fp):
            n = int(float(row["incidents"]))
            if n == 0:
                continue
            key = (row["month"], row["PROVINCE"])
            res[key] = (n, float(row["FATALITIES"]),
                        int(float(row["FATALITIES_missing"])))
    return res


def check(runs, out):
    """Every output gives the same cells; the readers of tally the same
    bytes (stdout and stderr)."""
    want = cells(out + "tallyref.csv")
    for label, threads, _, path in runs:
        if path is None:
            continue
        got = cells(path)
        if got != want:
            bad = [k for k in set(got) | set(want)
                   if got.get(k) != want.get(k)][:5]
            sys.exit("%s (%d threads) disagrees with tally: %s" %
                     (label, threads, [(k, got.get(k), want.get(k))
                                       for k in bad]))
    for name in ("tally1", "tally2"):
        for ext in (".csv", ".err"):
            a, b = out + "tallyref" + ext, out + name + ext
            with open(a, "rb") as x, open(b, "rb") as y:
                if x.read() != y.read():
                    sys.exit("%s differs from %s" % (b, a))
    return len(want)


def ratio(a, b):
    return "%.2f" % (a / b) if b > 0 else "-"


def table(results, cmds):
    lines = []
    for rows, res, ncell in results:
        ref = [r for r in res if r[0] == "tally aggregate" and r[1] == 2][0]
        lines.append("%s rows (%.0f MB, %d non-empty month x province "
                     "cells); fastest of the runs:" %
                     (format(rows, ","), res[0][5] / 1e6, ncell))
        lines.append("")
        lines.append("| tool | threads | wall s | CPU s | peak RSS MB | "
                     "wall / tally (2 threads) | CPU / tally (2 threads) |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for label, threads, wall, cpu, rss, _ in res:
            lines.append("| %s | %d | %.2f | %.2f | %.1f | %s | %s |" %
                         (label, threads, wall, cpu, rss, ratio(wall, ref[2]),
                          ratio(cpu, ref[3])))
        lines.append("")
    lines.append("Load average of the machine when the runs began: %s "
                 "(2 cores; other work was running)." % LOAD[0])
    lines.append("")
    lines.append("Commands (FILE is the generated file, OUT a scratch "
                 "file; run from bench/):")
    lines.append("")
    for label, threads, argv in cmds:
        lines.append("- %s, %d thread%s: `%s`" %
                     (label, threads, "" if threads == 1 else "s",
                      " ".join(argv)))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", default="1000000,10000000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir")
    ap.add_argument("--tally", default=os.path.join(ROOT, "build", "tally"))
    ap.add_argument("--readme", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--nice", type=int, default=0,
                    help="run every timed command at this niceness (as "
                    "root, e.g. -5 on a shared machine)")
    a = ap.parse_args()
    tally = os.path.abspath(a.tally)
    if not os.access(tally, os.X_OK):
        sys.exit("no tally at %s (build it, or give --tally)" % tally)
    if not os.path.isdir(os.path.join(HERE, "node_modules", "@duckdb")):
        sys.exit("DuckDB missing: npm install --prefix bench")
    work = a.dir or tempfile.mkdtemp(prefix="tally-aggbench-")
    os.makedirs(work, exist_ok=True)
    results = []
    cmds = []
    with open("/proc/loadavg") as fp:
        LOAD[0] = " ".join(fp.read().split()[:3])
    try:
        for rows in [int(r) for r in a.rows.split(",")]:
            f = os.path.join(work, "events_%d.csv" % rows)
            g = subprocess.run(["/usr/bin/python3",
                                os.path.join(HERE, "gen_events.py"), f,
                                str(rows)])
            if g.returncode == 77:
                return 77
            if g.returncode != 0:
                sys.exit("gen_events.py failed")
            out = os.path.join(work, "out_%d_" % rows)
            runs = tools(tally, f, out)
            # Warm the page cache: every tool reads cached bytes.
            subprocess.run(["cat", f], stdout=subprocess.DEVNULL)
            res = []
            for label, threads, argv, path in runs:
                err = (path[:-4] if path else out + label.split()[0]) + ".err"
                best = None
                for _ in range(a.repeat):
                    t = timed(argv, a.nice, err)
                    if best is None or t[0] < best[0]:
                        best = t
                res.append((label, threads) + best + (os.path.getsize(f),))
                print("%-32s %d  wall %6.2f s  cpu %6.2f s  rss %7.1f MB" %
                      ((label, threads) + best), flush=True)
            ncell = check(runs, out)
            print("outputs agree (%d cells)" % ncell, flush=True)
            results.append((rows, res, ncell))
            if not cmds:
                for label, threads, argv, _ in runs:
                    cmds.append((label, threads,
                                 [("FILE" if x == f else
                                   "OUT" if x.startswith(out) else
                                   "tally" if x == tally else
                                   os.path.basename(x) if x.startswith(HERE)
                                   else x) for x in argv]))
            os.remove(f)
    finally:
        if not a.keep and not a.dir:
            shutil.rmtree(work, ignore_errors=True)
    text = table(results, cmds)
    print()
    print(text)
    if a.readme:
        path = os.path.join(HERE, "README.md")
        with open(path) as fp:
            doc = fp.read()
        i, j = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        with open(path, "w") as fp:
            fp.write(doc[:i] + "\n" + text + doc[j:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
