# SPDX-License-Identifier: MIT
# Writes a long monthly series file for bench/its_by.sh: S districts of N
# months (from 2000-01) of Poisson counts with a seasonal cycle and a level
# and slope change at 2010-01 (fixed seed).
import math, random, sys
S, N, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(20240502)
def pois(lam):
    # Knuth's method in chunks to stay accurate for larger means.
    k, left = 0, lam
    while left > 0:
        step = min(left, 30.0)
        left -= step
        L, p = math.exp(-step), 1.0
        while True:
            p *= rng.random()
            if p < L:
                break
            k += 1
    return k
with open(out, "w") as f:
    f.write("month,district,attacks\n")
    for s in range(S):
        a, b = rng.uniform(1, 3), rng.uniform(-0.003, 0.003)
        lvl, slp = rng.uniform(-0.4, 0.4), rng.uniform(-0.01, 0.01)
        c = rng.uniform(0, 0.5)
        for t in range(1, N + 1):
            post = max(0, t - 120)
            eta = (a + b * t + c * math.sin(2 * math.pi * t / 12)
                   + (lvl + slp * post if t > 120 else 0.0))
            y, m = 2000 + (t - 1) // 12, (t - 1) % 12 + 1
            f.write("%d-%02d,g%04d,%d\n" % (y, m, s, pois(math.exp(eta))))
