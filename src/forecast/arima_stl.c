/* SPDX-License-Identifier: MIT
 *
 * STL, seasonal-trend decomposition by loess (Cleveland, Cleveland,
 * McRae & Terpenning 1990, J. Official Statistics 6:3-73), written after
 * the paper's algorithm as R's stats::stl runs it without robustness
 * iterations (inner = 2, outer = 0), and the seasonal-strength heuristic
 * that forecast::nsdiffs uses by default (forecast:::seas.heuristic on
 * mstl(x), i.e. stl(x, s.window = 11)): strength = max(0, min(1,
 * 1 - var(remainder) / var(remainder + seasonal))), one seasonal
 * difference when it exceeds 0.64.
 *
 * The loess fits follow the paper: tricube weights over a window of `len`
 * neighbours, local constant (degree 0) or local linear (degree 1) fits,
 * evaluated every `jump` points and linearly interpolated in between; the
 * cycle-subseries are extended by one value at each end; the low-pass
 * filter is moving averages of lengths m, m and 3 followed by a loess.
 * Positions are 1-based as in the paper's formulas.
 */
#include "forecast/arima_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Local weighted fit at position xs (1-based) from y[nleft..nright]
 * (1-based, inclusive).  w is scratch of length n.  Returns 0 when all
 * weights vanish (the caller then keeps the data value). */
static int loess_at(const double *y, size_t n, size_t len, int deg, double xs,
                    double *ys, size_t nleft, size_t nright, double *w)
{
    double range = (double)n - 1.0;
    double h = fmax(xs - (double)nleft, (double)nright - xs);
    if (len > n) {
        h += (double)((len - n) / 2);
    }
    double h9 = 0.999 * h, h1 = 0.001 * h;
    double a = 0.0;
    for (size_t j = nleft; j <= nright; j++) {
        double r = fabs((double)j - xs);
        w[j - 1] = 0.0;
        if (r <= h9) {
            if (r <= h1) {
                w[j - 1] = 1.0;
            } else {
                double u = r / h;
                double c = 1.0 - u * u * u;
                w[j - 1] = c * c * c;
            }
            a += w[j - 1];
        }
    }
    if (a <= 0.0) {
        return 0;
    }
    for (size_t j = nleft; j <= nright; j++) {
        w[j - 1] /= a;
    }
    if (h > 0.0 && deg > 0) {
        /* Local linear: reweight by 1 + b (j - a) with a the weighted mean
         * position and b = (xs - a) / sum w (j - a)^2. */
        double m = 0.0;
        for (size_t j = nleft; j <= nright; j++) {
            m += w[j - 1] * (double)j;
        }
        double b = xs - m, c = 0.0;
        for (size_t j = nleft; j <= nright; j++) {
            double dj = (double)j - m;
            c += w[j - 1] * dj * dj;
        }
        if (sqrt(c) > 0.001 * range) {
            b /= c;
            for (size_t j = nleft; j <= nright; j++) {
                w[j - 1] *= b * ((double)j - m) + 1.0;
            }
        }
    }
    double s = 0.0;
    for (size_t j = nleft; j <= nright; j++) {
        s += w[j - 1] * y[j - 1];
    }
    *ys = s;
    return 1;
}

/* Loess smoothing of y[0..n-1] into ys, evaluated every `jump` points and
 * interpolated linearly in between. */
static void loess(const double *y, size_t n, size_t len, int deg,
                  size_t jump, double *ys, double *w)
{
    size_t nleft = 1, nright = n;
    if (n < 2) {
        ys[0] = y[0];
        return;
    }
    size_t nj = jump < n - 1 ? jump : n - 1;
    if (len >= n) {
        nleft = 1;
        nright = n;
        for (size_t i = 1; i <= n; i += nj) {
            if (!loess_at(y, n, len, deg, (double)i, &ys[i - 1], nleft, nright,
                          w)) {
                ys[i - 1] = y[i - 1];
            }
        }
    } else if (nj == 1) {
        size_t nsh = (len + 1) / 2;
        nleft = 1;
        nright = len;
        for (size_t i = 1; i <= n; i++) {
            if (i > nsh && nright != n) {
                nleft++;
                nright++;
            }
            if (!loess_at(y, n, len, deg, (double)i, &ys[i - 1], nleft, nright,
                          w)) {
                ys[i - 1] = y[i - 1];
            }
        }
    } else {
        size_t nsh = (len + 1) / 2;
        for (size_t i = 1; i <= n; i += nj) {
            if (i < nsh) {
                nleft = 1;
                nright = len;
            } else if (i >= n - nsh + 1) {
                nleft = n - len + 1;
                nright = n;
            } else {
                nleft = i - nsh + 1;
                nright = len + i - nsh;
            }
            if (!loess_at(y, n, len, deg, (double)i, &ys[i - 1], nleft, nright,
                          w)) {
                ys[i - 1] = y[i - 1];
            }
        }
    }
    if (nj != 1) {
        for (size_t i = 1; i + nj <= n; i += nj) {
            double delta = (ys[i + nj - 1] - ys[i - 1]) / (double)nj;
            for (size_t j = i + 1; j < i + nj; j++) {
                ys[j - 1] = ys[i - 1] + delta * (double)(j - i);
            }
        }
        size_t k = ((n - 1) / nj) * nj + 1;
        if (k != n) {
            if (!loess_at(y, n, len, deg, (double)n, &ys[n - 1], nleft,
                          nright, w)) {
                ys[n - 1] = y[n - 1];
            }
            if (k != n - 1) {
                double delta = (ys[n - 1] - ys[k - 1]) / (double)(n - k);
                for (size_t j = k + 1; j < n; j++) {
                    ys[j - 1] = ys[k - 1] + delta * (double)(j - k);
                }
            }
        }
    }
}

/* Moving average of length len: ave has n - len + 1 values. */
static void moving_average(const double *x, size_t n, size_t len, double *ave)
{
    size_t newn = n - len + 1;
    double v = 0.0;
    for (size_t i = 0; i < len; i++) {
        v += x[i];
    }
    ave[0] = v / (double)len;
    for (size_t j = 1; j < newn; j++) {
        v = v - x[j - 1] + x[len + j - 1];
        ave[j] = v / (double)len;
    }
}

/* Smooth each cycle-subseries (values at the same position in the
 * season) by loess and extend it by one value at each end: season has
 * n + 2 m values. */
static void cycle_subseries(const double *y, size_t n, size_t np, size_t ns,
                            int isdeg, size_t nsjump, double *season,
                            double *w1, double *w2, double *w3)
{
    for (size_t j = 1; j <= np; j++) {
        size_t k = (n - j) / np + 1;
        for (size_t i = 1; i <= k; i++) {
            w1[i - 1] = y[(i - 1) * np + j - 1];
        }
        loess(w1, k, ns, isdeg, nsjump, w2 + 1, w3);
        size_t nright = ns < k ? ns : k;
        if (!loess_at(w1, k, ns, isdeg, 0.0, &w2[0], 1, nright, w3)) {
            w2[0] = w2[1];
        }
        size_t nleft = k > ns ? k - ns + 1 : 1;
        if (!loess_at(w1, k, ns, isdeg, (double)(k + 1), &w2[k + 1], nleft,
                      k, w3)) {
            w2[k + 1] = w2[k];
        }
        for (size_t mm = 1; mm <= k + 2; mm++) {
            season[(mm - 1) * np + j - 1] = w2[mm - 1];
        }
    }
}

static size_t next_odd(double x)
{
    long v = lround(x);
    if (v % 2 == 0) {
        v++;
    }
    return (size_t)v;
}

int tly_stl(const double *x, size_t n, int m, int swindow, double *seasonal,
            double *trend)
{
    size_t np = (size_t)(m < 2 ? 2 : m);
    if (n < 2 * np + 1) {
        return -1;
    }
    /* R's stl defaults: t.window = nextodd(ceiling(1.5 m / (1 - 1.5 /
     * s.window))), l.window = nextodd(m), jumps ceiling(window / 10),
     * s.degree 0, t.degree = l.degree = 1; windows at least 3 and odd. */
    size_t ns = (size_t)swindow;
    size_t nt = next_odd(ceil(1.5 * (double)np / (1.0 - 1.5 / (double)ns)));
    size_t nl = next_odd((double)np);
    size_t sj = (size_t)ceil((double)ns / 10.0);
    size_t tj = (size_t)ceil((double)nt / 10.0);
    size_t lj = (size_t)ceil((double)nl / 10.0);
    if (ns < 3) {
        ns = 3;
    }
    if (ns % 2 == 0) {
        ns++;
    }
    if (nt < 3) {
        nt = 3;
    }
    if (nl < 3) {
        nl = 3;
    }
    size_t len = n + 2 * np;
    double *work = malloc(5 * len * sizeof *work);
    if (work == NULL) {
        return -1;
    }
    double *w1 = work, *w2 = w1 + len, *w3 = w2 + len, *w4 = w3 + len;
    double *w5 = w4 + len;
    memset(trend, 0, n * sizeof *trend);
    for (int pass = 0; pass < 2; pass++) {
        /* Detrend, smooth the cycle-subseries (w2, n + 2m values). */
        for (size_t i = 0; i < n; i++) {
            w1[i] = x[i] - trend[i];
        }
        cycle_subseries(w1, n, np, ns, 0, sj, w2, w3, w4, w5);
        /* Low-pass filter of the smoothed subseries: MA(m), MA(m), MA(3),
         * loess(l.window): its trend-like part is removed from the
         * seasonal. */
        moving_average(w2, len, np, w3);
        moving_average(w3, len - np + 1, np, w1);
        moving_average(w1, len - 2 * np + 2, 3, w3);
        loess(w3, n, nl, 1, lj, w1, w5);
        for (size_t i = 0; i < n; i++) {
            seasonal[i] = w2[np + i] - w1[i];
        }
        /* Deseasonalise and smooth the trend. */
        for (size_t i = 0; i < n; i++) {
            w1[i] = x[i] - seasonal[i];
        }
        loess(w1, n, nt, 1, tj, trend, w3);
    }
    free(work);
    return 0;
}

int tly_nsdiffs(const double *x, size_t n, int m, double *strength)
{
    double *buf;
    int D = 0;
    if (strength != NULL) {
        *strength = NAN;
    }
    if (m < 2 || (size_t)m >= n || n < 2 * (size_t)m + 1) {
        return 0;
    }
    buf = malloc(3 * n * sizeof *buf);
    if (buf == NULL) {
        return 0;
    }
    double *y = buf, *seas = y + n, *trend = seas + n;
    /* Missing values: linear interpolation (forecast uses na.interp). */
    size_t last = n;
    for (size_t t = 0; t < n; t++) {
        if (isnan(x[t])) {
            continue;
        }
        if (last == n) {
            for (size_t s = 0; s <= t; s++) {
                y[s] = x[t];
            }
        } else {
            for (size_t s = last + 1; s <= t; s++) {
                y[s] = x[last] + (x[t] - x[last]) * (double)(s - last)
                                     / (double)(t - last);
            }
        }
        last = t;
    }
    if (last == n) {
        free(buf);
        return 0;
    }
    for (size_t s = last + 1; s < n; s++) {
        y[s] = x[last];
    }
    int constant = 1;
    for (size_t t = 1; t < n && constant; t++) {
        constant = y[t] == y[0];
    }
    if (!constant && tly_stl(y, n, m, 11, seas, trend) == 0) {
        /* var(remainder) / var(remainder + seasonal), both about their
         * means (the n - 1 divisors cancel). */
        double mr = 0.0, ms = 0.0;
        for (size_t t = 0; t < n; t++) {
            double r = y[t] - seas[t] - trend[t];
            mr += r;
            ms += r + seas[t];
        }
        mr /= (double)n;
        ms /= (double)n;
        double vr = 0.0, vs = 0.0;
        for (size_t t = 0; t < n; t++) {
            double r = y[t] - seas[t] - trend[t];
            vr += (r - mr) * (r - mr);
            vs += (r + seas[t] - ms) * (r + seas[t] - ms);
        }
        double s = vs > 0.0 ? 1.0 - vr / vs : 0.0;
        s = s < 0.0 ? 0.0 : (s > 1.0 ? 1.0 : s);
        if (strength != NULL) {
            *strength = s;
        }
        D = s > 0.64;
    }
    free(buf);
    return D;
}
