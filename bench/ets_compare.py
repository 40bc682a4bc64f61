# SPDX-License-Identifier: MIT
"""Compare bench/ets.sh results: R's forecast::ets against tally ets:auto.

Usage: python3 ets_compare.py R.csv TALLY.csv
"""
import csv
import sys


def load(path):
    with open(path, newline="") as fh:
        return {row["group"]: row for row in csv.DictReader(fh)}


def num(s):
    try:
        return float(s)
    except ValueError:
        return float("nan")


def main():
    r, t = load(sys.argv[1]), load(sys.argv[2])
    groups = sorted(set(r) & set(t))
    rt = sum(num(r[g]["seconds"]) for g in groups)
    tt = sum(num(t[g]["seconds"]) for g in groups)
    # R prints AICc to full precision here; allow 1e-6 for rounding.
    # Constant series have no information criteria (R: a simple
    # exponential smoothing, tally: "Constant"): not comparable.
    both = [g for g in groups
            if r[g]["method"] != "error" and t[g]["method"] != "error"
            and num(r[g]["aicc"]) == num(r[g]["aicc"])
            and num(t[g]["aicc"]) == num(t[g]["aicc"])]
    no_worse = [g for g in both if num(t[g]["aicc"]) <= num(r[g]["aicc"]) + 1e-6]
    better = [g for g in both if num(t[g]["aicc"]) < num(r[g]["aicc"]) - 0.01]
    same = [g for g in both if t[g]["method"] == r[g]["method"]]
    worse = sorted(((num(t[g]["aicc"]) - num(r[g]["aicc"]), g) for g in both
                    if g not in no_worse), reverse=True)
    gains = sorted(num(r[g]["aicc"]) - num(t[g]["aicc"]) for g in both)
    print("series: %d (R failed on %d, tally on %d; %d without AICc, "
          "e.g. constant)" % (
              len(groups), sum(r[g]["method"] == "error" for g in groups),
              sum(t[g]["method"] == "error" for g in groups),
              len(groups) - len(both)))
    print("time: R %.2f s (%.1f ms/series), tally %.3f s (%.2f ms/series), "
          "ratio %.1fx" % (rt, 1e3 * rt / len(groups), tt,
                           1e3 * tt / len(groups), rt / tt))
    print("AICc no worse than R: %d of %d (%.1f%%); better by > 0.01: %d"
          % (len(no_worse), len(both), 100.0 * len(no_worse) / len(both),
             len(better)))
    if gains:
        print("AICc gain over R: median %.3f, max %.3f" % (
            gains[len(gains) // 2], gains[-1]))
    print("same model as R: %d of %d" % (len(same), len(both)))
    # tally's first stage (forecast's own search) against R's estimate.
    rep = [g for g in same if "loglik_search" in t[g]
           and abs(num(t[g]["loglik_search"]) - num(r[g]["loglik"])) < 1e-4]
    print("forecast::ets's search reproduced (loglik within 1e-4): %d of %d"
          % (len(rep), len(same)))
    for d, g in worse[:10]:
        print("  worse: %-28s tally %-12s %.4f  R %-12s %.4f  (+%.4f)" % (
            g, t[g]["method"], num(t[g]["aicc"]), r[g]["method"],
            num(r[g]["aicc"]), d))


if __name__ == "__main__":
    main()
