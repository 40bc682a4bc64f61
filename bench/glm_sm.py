# SPDX-License-Identifier: MIT
# statsmodels peer for bench/glm.sh: sm.GLM(y, X, family=Poisson()).fit()
# per column with the same design.  Prints: fits seconds sum.
import sys, time
import numpy as np
import pandas as pd
import statsmodels.api as sm
d = pd.read_csv(sys.argv[1])
n = len(d)
month = d["month"].str[5:7].astype(int).to_numpy()
X = np.column_stack([np.ones(n), np.arange(1, n + 1)]
                    + [(month == m).astype(float) for m in range(2, 13)])
cols = list(d.columns[1:])
t0 = time.perf_counter()
s = 0.0
for c in cols:
    r = sm.GLM(d[c].to_numpy(float), X, family=sm.families.Poisson()).fit()
    s += r.params[1]
t1 = time.perf_counter()
print(len(cols), t1 - t0, "%.12g" % s)
