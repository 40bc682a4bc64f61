# SPDX-License-Identifier: MIT
# statsmodels peer for bench/its_by.sh: sm.GLM(y, X, Poisson()).fit() per
# district with the design of `tally its --break 2010-01 --season dummies`.
# Prints: fits seconds sum_of_level_coefficients.
import sys, time
import numpy as np
import pandas as pd
import statsmodels.api as sm
d = pd.read_csv(sys.argv[1])
groups = [g["attacks"].to_numpy(float) for _, g in d.groupby("district")]
n = len(groups[0])
months = d["month"].to_numpy()[:n]
b = list(months).index("2010-01") + 1
t = np.arange(1, n + 1)
month = np.array([int(m[5:7]) for m in months])
X = np.column_stack([np.ones(n), t, (t >= b).astype(float),
                     np.where(t >= b, t - b + 1, 0).astype(float)]
                    + [(month == m).astype(float) for m in range(2, 13)])
t0 = time.perf_counter()
s = 0.0
for y in groups:
    s += sm.GLM(y, X, family=sm.families.Poisson()).fit().params[2]
t1 = time.perf_counter()
print(len(groups), t1 - t0, "%.12g" % s)
