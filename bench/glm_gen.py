# SPDX-License-Identifier: MIT
# Writes a wide monthly series file for bench/glm.sh: S series of N months
# of Poisson counts with a trend and a seasonal cycle (fixed seed).
import math, random, sys
S, N, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(20240501)
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
cols = []
for s in range(S):
    a, b, c = rng.uniform(1, 4), rng.uniform(-0.005, 0.005), rng.uniform(0, 0.5)
    cols.append([pois(math.exp(a + b * t + c * math.sin(2 * math.pi * t / 12)))
                 for t in range(1, N + 1)])
with open(out, "w") as f:
    f.write("month," + ",".join("s%d" % s for s in range(S)) + "\n")
    for t in range(N):
        y, m = 2000 + t // 12, t % 12 + 1
        f.write("%d-%02d," % (y, m) + ",".join(str(c[t]) for c in cols) + "\n")
