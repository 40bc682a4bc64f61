/* SPDX-License-Identifier: MIT
 *
 * The ARMA state space of stats::arima (Gardner, Harvey & Phillips 1980;
 * Durbin & Koopman 2012, ch. 3): multiplying out seasonal polynomials,
 * autocovariances, the stationary covariance of the initial state, the
 * Kalman filter for the exact Gaussian likelihood, the conditional sum of
 * squares, and forecasting through the differencing (R's makeARIMA and
 * KalmanForecast).  See arima_int.h for the conventions.
 *
 * Speed matters here: automatic ARIMA evaluates the likelihood thousands of
 * times.  The initial covariance is computed in O(np^3 + r^2) from the
 * autocovariances (R's Gardner method is O(r^4) and dominates auto.arima's
 * run time for seasonal AR models); the covariance recursions use the
 * companion structure of T (O(r^2) per step instead of O(r^3)); sparse
 * seasonal polynomials are looped over their nonzero lags only.
 */
#include "forecast/arima_int.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_poly.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Longest expanded polynomial handled (p + m P with p <= 30, P <= 5,
 * m <= 12 is 90; the dispatcher's limits keep below this). */
#define MAXLAG 128

/* Tolerance below which the filtered state covariance counts as zero, in
 * units of the innovation variance: from there on the filter is in its
 * steady state (F_t = 1, gain = R) and the shortcut changes the
 * log-likelihood by less than n * 1e-11. */
#define STEADY_TOL 1e-11

size_t tly_arma_expand(const double *a, int p, const double *s, int P, int m,
                       int sign, double *out)
{
    size_t len = (size_t)p + (size_t)m * (size_t)P;
    for (size_t k = 1; k <= len; k++) {
        /* c_k = sum_j c2_{mj} c1_{k-mj}, with c1_0 = c2_0 = 1,
         * c1_i = sign a_i, c2_{mj} = sign s_j; out_k = sign c_k. */
        double c = 0.0;
        for (int j = 0; j <= P; j++) {
            size_t lag = (size_t)m * (size_t)j;
            if (lag > k) {
                break;
            }
            size_t i = k - lag;
            if (i > (size_t)p) {
                continue;
            }
            double c1 = i == 0 ? 1.0 : sign * a[i - 1];
            double c2 = j == 0 ? 1.0 : sign * s[j - 1];
            c += c1 * c2;
        }
        out[k - 1] = sign * c;
    }
    return len;
}

size_t tly_arma_acov_work(size_t np, size_t nq, size_t r)
{
    size_t nlag = r > nq ? r : nq;
    return (np + 1) * (np + 1) + (np + 1) + 2 * (nlag + 1) + 8;
}

/* Indices of the nonzero entries of c[0..n-1] (lags 1..n). */
static size_t nonzero(const double *c, size_t n, size_t *idx)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i] != 0.0) {
            idx[k++] = i;
        }
    }
    return k;
}

/* Solve A x = b (dense, n x n row-major, overwritten) by Gaussian
 * elimination with partial pivoting.  Returns -1 when singular. */
static int solve_dense(double *A, double *b, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        size_t piv = c;
        double best = fabs(A[c * n + c]);
        for (size_t i = c + 1; i < n; i++) {
            if (fabs(A[i * n + c]) > best) {
                best = fabs(A[i * n + c]);
                piv = i;
            }
        }
        if (!(best > 1e-300)) {
            return -1;
        }
        if (piv != c) {
            for (size_t j = 0; j < n; j++) {
                double t = A[c * n + j];
                A[c * n + j] = A[piv * n + j];
                A[piv * n + j] = t;
            }
            double t = b[c];
            b[c] = b[piv];
            b[piv] = t;
        }
        for (size_t i = c + 1; i < n; i++) {
            double f = A[i * n + c] / A[c * n + c];
            if (f == 0.0) {
                continue;
            }
            for (size_t j = c; j < n; j++) {
                A[i * n + j] -= f * A[c * n + j];
            }
            b[i] -= f * b[c];
        }
    }
    for (size_t c = n; c-- > 0;) {
        double s = b[c];
        for (size_t j = c + 1; j < n; j++) {
            s -= A[c * n + j] * b[j];
        }
        b[c] = s / A[c * n + c];
    }
    return 0;
}

int tly_arma_acov(const double *phi, size_t np, const double *theta,
                  size_t nq, size_t nlag, double *gamma, double *psi,
                  double *work)
{
    size_t pz[MAXLAG], npz;
    size_t L = nlag > nq ? nlag : nq;
    double *A = work;
    double *b = work + (np + 1) * (np + 1);

    if (np >= MAXLAG || nq >= MAXLAG) {
        return -1;
    }
    npz = nonzero(phi, np, pz);
    /* MA(inf) weights: psi_0 = 1, psi_j = theta_j + sum_i phi_i psi_{j-i}. */
    psi[0] = 1.0;
    for (size_t j = 1; j <= L; j++) {
        double s = j <= nq ? theta[j - 1] : 0.0;
        for (size_t z = 0; z < npz; z++) {
            size_t i = pz[z] + 1;
            if (i > j) {
                break;
            }
            s += phi[i - 1] * psi[j - i];
        }
        psi[j] = s;
    }
    /* Right-hand sides c_k = sum_{j=k}^{nq} theta_j psi_{j-k}
     * (theta_0 = 1): the covariance of w_t's MA part with w_{t-k}. */
    for (size_t k = 0; k <= L && k <= nlag; k++) {
        double s = 0.0;
        for (size_t j = k; j <= nq; j++) {
            double th = j == 0 ? 1.0 : theta[j - 1];
            s += th * psi[j - k];
        }
        gamma[k] = s;
    }
    if (np > 0) {
        /* gamma_k - sum_j phi_j gamma_|k-j| = c_k for k = 0..np. */
        size_t n1 = np + 1;
        memset(A, 0, n1 * n1 * sizeof *A);
        for (size_t k = 0; k < n1; k++) {
            A[k * n1 + k] = 1.0;
            b[k] = k <= nlag ? gamma[k] : 0.0;
            if (k > nlag) {
                double s = 0.0;
                for (size_t j = k; j <= nq; j++) {
                    double th = j == 0 ? 1.0 : theta[j - 1];
                    s += th * psi[j - k];
                }
                b[k] = s;
            }
            for (size_t z = 0; z < npz; z++) {
                size_t j = pz[z] + 1;
                size_t col = k >= j ? k - j : j - k;
                A[k * n1 + col] -= phi[j - 1];
            }
        }
        if (solve_dense(A, b, n1) != 0) {
            return -1;
        }
        for (size_t k = 0; k <= nlag; k++) {
            if (k <= np) {
                gamma[k] = b[k];
            } else {
                /* Beyond np: gamma_k = sum_j phi_j gamma_{k-j} + c_k. */
                double s = gamma[k];
                for (size_t z = 0; z < npz; z++) {
                    size_t j = pz[z] + 1;
                    s += phi[j - 1] * gamma[k - j];
                }
                gamma[k] = s;
            }
        }
    }
    if (!(gamma[0] > 0.0) || !isfinite(gamma[0])) {
        return -1;
    }
    return 0;
}

/* phi_l (lag l, 1-based), 0 beyond np; theta_l with theta_0 = 1. */
static double ph(const double *phi, size_t np, size_t l)
{
    return (l >= 1 && l <= np) ? phi[l - 1] : 0.0;
}

static double th(const double *theta, size_t nq, size_t l)
{
    return l == 0 ? 1.0 : (l <= nq ? theta[l - 1] : 0.0);
}

int tly_arma_p0(const double *phi, size_t np, const double *theta,
                size_t nq, size_t r, double *P0, double *work)
{
    size_t nlag = r > nq ? r : nq;
    double *gamma = work + (np + 1) * (np + 1) + (np + 1);
    double *psi = gamma + nlag + 1;
    if (tly_arma_acov(phi, np, theta, nq, nlag, gamma, psi, work) != 0) {
        return -1;
    }
    /* State element i is a_i = sum_{u>=1} phi_{i+u} w_{t-u}
     * + sum_{u>=0} theta_{i+u} e_{t-u}; its covariance with w_t is
     * sum_u phi_{i+u} gamma_u + sum_u theta_{i+u} psi_u. */
    P0[0] = gamma[0];
    for (size_t i = 1; i < r; i++) {
        double s = 0.0;
        for (size_t u = 1; u + i <= r && i + u <= np; u++) {
            s += phi[i + u - 1] * gamma[u];
        }
        for (size_t u = 0; u + i < r && i + u <= nq; u++) {
            s += theta[i + u - 1] * psi[u];
        }
        P0[i * r] = s;
        P0[i] = s;
    }
    /* The Lyapunov equation P = T P T' + R R' read along diagonals. */
    double g0 = gamma[0];
    for (size_t i = 0; i + 1 < r; i++) {
        double pi1 = ph(phi, np, i + 1), ti = th(theta, nq, i);
        for (size_t j = i; j + 1 < r; j++) {
            double pj1 = ph(phi, np, j + 1);
            double v = P0[i * r + j] - pi1 * pj1 * g0
                       - pj1 * P0[(i + 1) * r] - pi1 * P0[(j + 1) * r]
                       - ti * th(theta, nq, j);
            P0[(i + 1) * r + (j + 1)] = v;
            P0[(j + 1) * r + (i + 1)] = v;
        }
    }
    return 0;
}

size_t tly_kalman_work(size_t r, size_t ns, size_t np, size_t nq)
{
    return r * r + ns * r + 3 * r + tly_arma_acov_work(np, nq, r) + 8;
}

/* Apply the companion matrix: out = T x (phi in the first column, ones on
 * the superdiagonal); out may not alias x. */
static void companion(const double *phi, const size_t *pz, size_t npz,
                      size_t r, const double *x, double *out)
{
    for (size_t i = 0; i + 1 < r; i++) {
        out[i] = x[i + 1];
    }
    out[r - 1] = 0.0;
    for (size_t z = 0; z < npz; z++) {
        out[pz[z]] += phi[pz[z]] * x[0];
    }
}

/* The same likelihood by the Chandrasekhar recursions (Morf, Sidhu &
 * Kailath 1974; Herbst 2015), for series without missing values.  Started
 * from the stationary covariance, the change of the predicted covariance
 * P_{t+1} - P_t has rank one, mu_t w_t w_t', and with a scalar observation
 * Z = e_1' the filter needs only g_t = P_t Z' (its first column):
 *   F_t = g_t[0],  a_{t+1} = T a_t + T g_t v_t / F_t,
 *   g_{t+1} = g_t + mu_t w_t[0] w_t,  F_{t+1} = F_t + mu_t w_t[0]^2,
 *   w_{t+1} = T (w_t - (w_t[0] / F_t) g_t),  mu_{t+1} = mu_t F_t / F_{t+1},
 * starting from g_1 = P0 e_1, w_1 = T g_1, mu_1 = -1 / F_1 (because
 * P_2 - P_1 = -T g_1 g_1' T' / F_1 when P_1 = P0 = T P0 T' + R R').
 * (Derivation: substitute P_{t+1} = P_t + mu w w' into the Riccati
 * recursion; the difference of the two gain terms factors as
 * mu (F_t / F_{t+1}) (w - (w_0/F_t) g)(w - (w_0/F_t) g)'.)  Each step
 * costs O(r) instead of O(r^2). */
static int kalman_chandrasekhar(const double *phi, size_t np,
                                const double *theta, size_t nq,
                                const double *const *y, size_t ns, size_t n,
                                double *const *v, double *sumlog, size_t *nu,
                                double *work)
{
    size_t r = np > nq + 1 ? np : nq + 1;
    double *P0 = work;            /* r x r */
    double *a = P0 + r * r;       /* ns x r */
    double *g = a + ns * r;       /* P_t e_1 */
    double *w = g + r;            /* factor of P_{t+1} - P_t */
    double *tmp = w + r;
    double *aw = tmp + r;         /* acov workspace (after 3r) */
    size_t pz[MAXLAG], npz;
    double slog = 0.0;

    npz = nonzero(phi, np, pz);
    if (tly_arma_p0(phi, np, theta, nq, r, P0, aw) != 0) {
        return -1;
    }
    for (size_t i = 0; i < r; i++) {
        g[i] = P0[i * r];
    }
    double F = g[0];
    if (!(F > 0.0) || !isfinite(F)) {
        return -1;
    }
    companion(phi, pz, npz, r, g, w);
    double mu = -1.0 / F;
    memset(a, 0, ns * r * sizeof *a);
    for (size_t t = 0; t < n; t++) {
        if (!(F > 0.0)) {
            return -1;
        }
        double sf = sqrt(F);
        for (size_t s = 0; s < ns; s++) {
            double *as = a + s * r;
            double vs = y[s][t] - as[0];
            double c = vs / F;
            v[s][t] = vs / sf;
            /* a <- T (a + g v / F), in place: T shifts up and adds
             * phi x[0] (companion()). */
            double x0 = as[0] + g[0] * c;
            for (size_t i = 0; i + 1 < r; i++) {
                as[i] = as[i + 1] + g[i + 1] * c;
            }
            as[r - 1] = 0.0;
            for (size_t z = 0; z < npz; z++) {
                as[pz[z]] += phi[pz[z]] * x0;
            }
        }
        slog += log(F);
        /* Covariance recursions: g += mu w0 w, then
         * w <- T (w - (w0 / F) g_old), in place as above. */
        double w0 = w[0];
        double Fn = F + mu * w0 * w0;
        double c = w0 / F;
        double m = mu * w0;
        double x0 = w[0] - c * g[0];
        g[0] += m * w[0];
        for (size_t i = 0; i + 1 < r; i++) {
            double wi = w[i + 1];
            w[i] = wi - c * g[i + 1];
            g[i + 1] += m * wi;
        }
        w[r - 1] = 0.0;
        for (size_t z = 0; z < npz; z++) {
            w[pz[z]] += phi[pz[z]] * x0;
        }
        mu = mu * F / Fn;
        F = Fn;
    }
    *sumlog = slog;
    *nu = n;
    return 0;
}

int tly_kalman_arma(const double *phi, size_t np, const double *theta,
                    size_t nq, const double *const *y, size_t ns, size_t n,
                    double *const *v, double *sumlog, size_t *nu,
                    double *a_end, double *P_end, double *work)
{
    int missing = 0;
    if (np >= MAXLAG || nq >= MAXLAG) {
        return -1;
    }
    for (size_t t = 0; t < n && !missing; t++) {
        missing = isnan(y[0][t]);
    }
    if (!missing && a_end == NULL && P_end == NULL) {
        return kalman_chandrasekhar(phi, np, theta, nq, y, ns, n, v, sumlog,
                                    nu, work);
    }
    return tly_kalman_arma_full(phi, np, theta, nq, y, ns, n, v, sumlog, nu,
                                a_end, P_end, work);
}

int tly_kalman_arma_full(const double *phi, size_t np, const double *theta,
                         size_t nq, const double *const *y, size_t ns,
                         size_t n, double *const *v, double *sumlog,
                         size_t *nu, double *a_end, double *P_end,
                         double *work)
{
    size_t r = np > nq + 1 ? np : nq + 1;
    double *P = work;              /* r x r, upper triangle kept */
    double *a = P + r * r;         /* ns x r state means */
    double *Rv = a + ns * r;       /* R = (1, theta_1, ..., theta_{r-1}) */
    double *row0 = Rv + r;         /* saved first row of P */
    double *col = row0 + r;        /* P[.][0] at the update */
    double *aw = col + r;          /* acov workspace */
    size_t pz[MAXLAG], npz;
    int steady = 0;
    double slog = 0.0;
    size_t count = 0;

    if (np >= MAXLAG || nq >= MAXLAG) {
        return -1;
    }
    npz = nonzero(phi, np, pz);
    if (tly_arma_p0(phi, np, theta, nq, r, P, aw) != 0) {
        return -1;
    }
    for (size_t i = 0; i < r; i++) {
        Rv[i] = th(theta, nq, i);
    }
    memset(a, 0, ns * r * sizeof *a);

    for (size_t t = 0; t < n; t++) {
        if (t > 0) {
            /* Prediction: a <- T a (T = companion matrix: first column
             * phi, ones on the superdiagonal). */
            for (size_t s = 0; s < ns; s++) {
                double *as = a + s * r;
                double a0 = as[0];
                for (size_t i = 0; i + 1 < r; i++) {
                    as[i] = as[i + 1];
                }
                as[r - 1] = 0.0;
                for (size_t z = 0; z < npz; z++) {
                    as[pz[z]] += phi[pz[z]] * a0;
                }
            }
            if (!steady) {
                /* P <- T P T' + R R', elementwise:
                 * M_ij = P_{i+1,j+1} + phi_{i+1} P_{0,j+1}
                 *        + phi_{j+1} P_{0,i+1} + phi_{i+1} phi_{j+1} P_00
                 *        + R_i R_j (upper triangle, in place). */
                memcpy(row0, P, r * sizeof *row0);
                for (size_t i = 0; i < r; i++) {
                    double pi = ph(phi, np, i + 1);
                    double r0i = i + 1 < r ? row0[i + 1] : 0.0;
                    for (size_t j = i; j < r; j++) {
                        double pj = ph(phi, np, j + 1);
                        double val = (j + 1 < r) ? P[(i + 1) * r + j + 1]
                                                 : 0.0;
                        double r0j = j + 1 < r ? row0[j + 1] : 0.0;
                        val += pi * r0j + pj * r0i + pi * pj * row0[0]
                               + Rv[i] * Rv[j];
                        P[i * r + j] = val;
                    }
                }
            }
        }
        if (isnan(y[0][t])) {
            for (size_t s = 0; s < ns; s++) {
                v[s][t] = NAN;
            }
            if (steady) {
                /* The predicted covariance is R R' now; the next
                 * prediction must start from it. */
                for (size_t i = 0; i < r; i++) {
                    for (size_t j = i; j < r; j++) {
                        P[i * r + j] = Rv[i] * Rv[j];
                    }
                }
                steady = 0;
            }
            continue;
        }
        if (steady) {
            /* F = 1 and gain = R: the innovations recursion of the
             * invertible ARMA. */
            for (size_t s = 0; s < ns; s++) {
                double *as = a + s * r;
                double vs = y[s][t] - as[0];
                for (size_t i = 0; i < r; i++) {
                    as[i] += Rv[i] * vs;
                }
                v[s][t] = vs;
            }
            count++;
            continue;
        }
        double F = P[0];
        if (!(F > 0.0) || !isfinite(F)) {
            return -1;
        }
        double sf = sqrt(F);
        for (size_t i = 0; i < r; i++) {
            col[i] = P[i];
        }
        for (size_t s = 0; s < ns; s++) {
            double *as = a + s * r;
            double vs = y[s][t] - as[0];
            double g = vs / F;
            for (size_t i = 0; i < r; i++) {
                as[i] += col[i] * g;
            }
            v[s][t] = vs / sf;
        }
        /* P <- P - P e1 e1' P / F. */
        double big = 0.0;
        for (size_t i = 0; i < r; i++) {
            double ci = col[i] / F;
            for (size_t j = i; j < r; j++) {
                double val = P[i * r + j] - ci * col[j];
                P[i * r + j] = val;
                if (fabs(val) > big) {
                    big = fabs(val);
                }
            }
        }
        slog += log(F);
        count++;
        if (big < STEADY_TOL) {
            steady = 1;
        }
    }
    *sumlog = slog;
    *nu = count;
    if (a_end != NULL) {
        memcpy(a_end, a, ns * r * sizeof *a);
    }
    if (P_end != NULL) {
        for (size_t i = 0; i < r; i++) {
            for (size_t j = i; j < r; j++) {
                double val = steady ? 0.0 : P[i * r + j];
                P_end[i * r + j] = val;
                P_end[j * r + i] = val;
            }
        }
    }
    return 0;
}

void tly_arma_css(const double *phi, size_t np, const double *theta,
                  size_t nq, const double *const *y, size_t ns, size_t n,
                  size_t ncond, double *const *e)
{
    size_t pz[MAXLAG], qz[MAXLAG];
    size_t npz = nonzero(phi, np < MAXLAG ? np : MAXLAG, pz);
    size_t nqz = nonzero(theta, nq < MAXLAG ? nq : MAXLAG, qz);
    for (size_t s = 0; s < ns; s++) {
        const double *ys = y[s];
        double *es = e[s];
        for (size_t t = 0; t < n && t < ncond; t++) {
            es[t] = NAN;
        }
        for (size_t t = ncond; t < n; t++) {
            double tmp = ys[t];
            for (size_t z = 0; z < npz; z++) {
                size_t j = pz[z] + 1;
                tmp -= phi[j - 1] * ys[t - j];
            }
            for (size_t z = 0; z < nqz; z++) {
                size_t j = qz[z] + 1;
                if (j > t - ncond) {
                    break;
                }
                double ej = es[t - j];
                if (!isnan(ej)) {
                    tmp -= theta[j - 1] * ej;
                }
            }
            es[t] = tmp;
        }
    }
}

size_t tly_forecast_work(size_t r, size_t nd, size_t np, size_t nq)
{
    size_t rd = r + nd;
    return 3 * rd * rd + 4 * rd + tly_arma_acov_work(np, nq, r) + r * r + 8;
}

/* The full ARIMA transition (ARMA companion block, then the lags of u):
 * out = T x for a vector. */
static void full_T_vec(const double *phi, size_t np, const double *delta,
                       size_t nd, size_t r, const double *x, double *out)
{
    for (size_t i = 0; i < r; i++) {
        out[i] = ph(phi, np, i + 1) * x[0] + (i + 1 < r ? x[i + 1] : 0.0);
    }
    if (nd > 0) {
        /* New first lag: u_t = a_0 + sum_j delta_j u_{t-j}. */
        double u = x[0];
        for (size_t j = 0; j < nd; j++) {
            u += delta[j] * x[r + j];
        }
        out[r] = u;
        for (size_t j = 1; j < nd; j++) {
            out[r + j] = x[r + j - 1];
        }
    }
}

/* P <- T P T' + V for the full state (rd = r + nd), using tmp (rd x rd). */
static void full_predict_cov(const double *phi, size_t np,
                             const double *theta, size_t nq,
                             const double *delta, size_t nd, size_t r,
                             double *P, double *tmp, double *colx,
                             double *coly)
{
    size_t rd = r + nd;
    /* tmp = T P: apply T to each column of P. */
    for (size_t c = 0; c < rd; c++) {
        for (size_t i = 0; i < rd; i++) {
            colx[i] = P[i * rd + c];
        }
        full_T_vec(phi, np, delta, nd, r, colx, coly);
        for (size_t i = 0; i < rd; i++) {
            tmp[i * rd + c] = coly[i];
        }
    }
    /* P = (T tmp')' = tmp T': apply T to each row of tmp. */
    for (size_t i = 0; i < rd; i++) {
        full_T_vec(phi, np, delta, nd, r, tmp + i * rd, coly);
        for (size_t j = 0; j < rd; j++) {
            P[i * rd + j] = coly[j];
        }
    }
    for (size_t i = 0; i < r; i++) {
        for (size_t j = 0; j < r; j++) {
            P[i * rd + j] += th(theta, nq, i) * th(theta, nq, j);
        }
    }
}

int tly_arima_forecast(const double *phi, size_t np, const double *theta,
                       size_t nq, const double *delta, size_t nd,
                       const double *u, size_t n, size_t h, double kappa,
                       double *fitted, double *mean, double *var,
                       double *work)
{
    size_t r = np > nq + 1 ? np : nq + 1;
    size_t rd = r + nd;
    double *P = work;
    double *tmp = P + rd * rd;
    double *K = tmp + rd * rd;
    double *x = K + rd;
    double *colx = x + rd;
    double *coly = colx + rd;
    double *P0 = coly + rd;
    double *aw = P0 + r * r;

    if (n < nd) {
        return -1;
    }
    if (tly_arma_p0(phi, np, theta, nq, r, P0, aw) != 0) {
        return -1;
    }
    /* State at t = nd: ARMA part at its stationary distribution, lags
     * u_{nd-1}, ..., u_0 known (diffuse variance kappa when missing). */
    memset(P, 0, rd * rd * sizeof *P);
    memset(x, 0, rd * sizeof *x);
    for (size_t i = 0; i < r; i++) {
        for (size_t j = 0; j < r; j++) {
            P[i * rd + j] = P0[i * r + j];
        }
    }
    for (size_t j = 0; j < nd; j++) {
        double uj = u[nd - 1 - j];
        if (isnan(uj)) {
            x[r + j] = 0.0;
            P[(r + j) * rd + r + j] = kappa;
        } else {
            x[r + j] = uj;
        }
    }
    for (size_t t = 0; t < nd && t < n; t++) {
        fitted[t] = NAN;
    }
    for (size_t t = nd; t < n + h; t++) {
        /* Z = (1, 0, ..., 0, delta_1, ..., delta_nd). */
        double pred = x[0];
        for (size_t j = 0; j < nd; j++) {
            pred += delta[j] * x[r + j];
        }
        for (size_t i = 0; i < rd; i++) {
            double s = P[i * rd];
            for (size_t j = 0; j < nd; j++) {
                s += delta[j] * P[i * rd + r + j];
            }
            K[i] = s; /* P Z' */
        }
        double F = K[0];
        for (size_t j = 0; j < nd; j++) {
            F += delta[j] * K[r + j];
        }
        if (t < n) {
            fitted[t] = pred;
            if (!isnan(u[t]) && F > 0.0) {
                double vt = u[t] - pred;
                for (size_t i = 0; i < rd; i++) {
                    x[i] += K[i] * vt / F;
                }
                for (size_t i = 0; i < rd; i++) {
                    for (size_t j = 0; j < rd; j++) {
                        P[i * rd + j] -= K[i] * K[j] / F;
                    }
                }
            }
        } else {
            mean[t - n] = pred;
            var[t - n] = F;
        }
        /* Predict the next state. */
        full_T_vec(phi, np, delta, nd, r, x, coly);
        memcpy(x, coly, rd * sizeof *x);
        full_predict_cov(phi, np, theta, nq, delta, nd, r, P, tmp, colx,
                         coly);
    }
    return 0;
}

void tly_ar_partrans(size_t p, const double *x, double *ar)
{
    double work[MAXLAG];
    for (size_t j = 0; j < p; j++) {
        work[j] = ar[j] = tanh(x[j]);
    }
    /* Durbin-Levinson: from partial autocorrelations to AR coefficients. */
    for (size_t j = 1; j < p; j++) {
        double a = ar[j];
        for (size_t k = 0; k < j; k++) {
            work[k] -= a * ar[j - k - 1];
        }
        for (size_t k = 0; k < j; k++) {
            ar[k] = work[k];
        }
    }
}

void tly_ar_invpartrans(size_t p, const double *ar, double *x)
{
    double work[MAXLAG], nw[MAXLAG];
    for (size_t j = 0; j < p; j++) {
        work[j] = nw[j] = ar[j];
    }
    /* Durbin-Levinson backwards: AR coefficients to partial
     * autocorrelations (clipped inside (-1, 1) for a non-stationary
     * start), then atanh. */
    for (size_t j = p; j-- > 1;) {
        double a = nw[j];
        if (fabs(a) >= 0.999) {
            a = a > 0 ? 0.999 : -0.999;
        }
        for (size_t k = 0; k < j; k++) {
            work[k] = (nw[k] + a * nw[j - k - 1]) / (1 - a * a);
        }
        for (size_t k = 0; k < j; k++) {
            nw[k] = work[k];
        }
    }
    for (size_t j = 0; j < p; j++) {
        double a = nw[j];
        if (!(fabs(a) < 0.999)) {
            a = a > 0 ? 0.999 : -0.999;
        }
        x[j] = atanh(a);
    }
}

/* Roots of 1 + sum s c_i z^i (trailing |c| <= 1e-8 dropped, as R's
 * myarima): fills re/im, returns the degree, or -1 on failure. */
static int poly_roots(const double *c, size_t n, int sign, double *re,
                      double *im)
{
    double coef[MAXLAG + 1], z[2 * MAXLAG];
    size_t deg = 0;
    for (size_t i = 0; i < n && i < MAXLAG; i++) {
        if (fabs(c[i]) > 1e-8) {
            deg = i + 1;
        }
    }
    if (deg == 0) {
        return 0;
    }
    coef[0] = 1.0;
    for (size_t i = 1; i <= deg; i++) {
        coef[i] = sign * c[i - 1];
    }
    gsl_poly_complex_workspace *w = gsl_poly_complex_workspace_alloc(deg + 1);
    if (w == NULL) {
        return -1;
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int st = gsl_poly_complex_solve(coef, deg + 1, w, z);
    gsl_set_error_handler(old);
    gsl_poly_complex_workspace_free(w);
    if (st != GSL_SUCCESS) {
        return -1;
    }
    for (size_t i = 0; i < deg; i++) {
        re[i] = z[2 * i];
        im[i] = z[2 * i + 1];
    }
    return (int)deg;
}

double tly_poly_minroot(const double *c, size_t n, int sign)
{
    double re[MAXLAG], im[MAXLAG];
    int deg = poly_roots(c, n, sign, re, im);
    double minr = 2.0;
    if (deg < 0) {
        return NAN;
    }
    for (int i = 0; i < deg; i++) {
        double mod = hypot(re[i], im[i]);
        if (mod < minr) {
            minr = mod;
        }
    }
    return minr;
}

void tly_ma_invert(double *ma, size_t q)
{
    double re[MAXLAG], im[MAXLAG];
    double xr[MAXLAG + 1], xi[MAXLAG + 1];
    int deg = poly_roots(ma, q, 1, re, im);
    int inside = 0;
    if (deg <= 0) {
        return;
    }
    for (int i = 0; i < deg; i++) {
        if (hypot(re[i], im[i]) < 1.0) {
            /* 1/z = conj(z)/|z|^2 */
            double d = re[i] * re[i] + im[i] * im[i];
            re[i] /= d;
            im[i] = -im[i] / d;
            inside = 1;
        }
    }
    if (!inside) {
        return;
    }
    /* Rebuild prod_i (1 - z/root_i): x <- c(x, 0) - c(0, x)/root. */
    memset(xr, 0, sizeof xr);
    memset(xi, 0, sizeof xi);
    xr[0] = 1.0;
    for (int k = 0; k < deg; k++) {
        double d = re[k] * re[k] + im[k] * im[k];
        double ir = re[k] / d, ii = -im[k] / d; /* 1/root */
        for (int j = k + 1; j >= 1; j--) {
            double pr = xr[j - 1] * ir - xi[j - 1] * ii;
            double pi = xr[j - 1] * ii + xi[j - 1] * ir;
            xr[j] -= pr;
            xi[j] -= pi;
        }
    }
    for (size_t i = 0; i < q; i++) {
        ma[i] = (int)i < deg ? xr[i + 1] : 0.0;
    }
}
