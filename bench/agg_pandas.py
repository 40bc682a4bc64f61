#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The benchmark's aggregation in pandas: monthly incidents by province and
the sum of FATALITIES with non-counts (Unknown, blank, negative) as
missing, as `tally aggregate FILE --date DATE --by PROVINCE --sum
FATALITIES` computes it (province trimmed, blank written NA).

Usage: agg_pandas.py EVENTS.csv OUT.csv
"""
import sys

import pandas as pd


def main():
    src, out = sys.argv[1], sys.argv[2]
    df = pd.read_csv(src, usecols=["DATE", "PROVINCE", "FATALITIES"],
                     dtype=str, keep_default_na=False)
    month = df["DATE"].str.slice(0, 7)
    prov = df["PROVINCE"].str.strip().replace("", "NA")
    f = pd.to_numeric(df["FATALITIES"].str.strip(), errors="coerce")
    f = f.where(f >= 0)
    g = pd.DataFrame({"month": month, "PROVINCE": prov, "f": f,
                      "miss": f.isna().astype("int64")})
    res = g.groupby(["month", "PROVINCE"], sort=True).agg(
        incidents=("miss", "size"), FATALITIES=("f", "sum"),
        FATALITIES_missing=("miss", "sum"))
    res.to_csv(out)


if __name__ == "__main__":
    main()
