/* SPDX-License-Identifier: MIT
 *
 * Polishing an ETS fit by Levenberg-Marquardt with exact derivatives.
 *
 * forecast's objective is a sum of squares in disguise: with the one-step
 * errors e_t and G the geometric mean of |yhat_t| (G = 1 for additive
 * errors),
 *
 *     n log(sum e_t^2) + 2 sum log|yhat_t| = n log(sum (G e_t)^2),
 *
 * so minimising it is a nonlinear least-squares problem in the residuals
 * r_t = G e_t.  Their Jacobian, up to the common factor G (which cancels
 * in the Levenberg-Marquardt step), is
 *
 *     J_t = de_t/dtheta + e_t * (1/n) sum_s dlog|yhat_s|/dtheta,
 *
 * obtained by differentiating the state recursion forward (forward-mode
 * automatic differentiation written out by hand: each state carries its
 * gradient with respect to all parameters).
 *
 * The smoothing parameters are mapped to unconstrained coordinates so
 * that every step stays in forecast's usual region:
 *     alpha = lo + (hi - lo) S(u1),   beta = lo + (alpha - lo) S(u2),
 *     gamma = lo + (1 - alpha - lo) S(u3),  phi = 0.8 + 0.18 S(u4),
 * with S the logistic function; a step that leaves the admissible region
 * (or makes a multiplicative seasonal state negative) is rejected like a
 * step that increases the objective.
 */
#include "forecast/ets_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ETS_TOL 1e-10
#define ETS_HUGE 1e10
#define LM_MAXK TLY_ETS_MAXPAR

/* Where each parameter sits in theta = (alpha, [beta], [gamma], [phi],
 * l, [b], s0..s_{m-2}); -1 when absent. */
typedef struct {
    int ib, ig, ip;  /* beta, gamma, phi */
    int il, ibs, is; /* level, trend state, first seasonal state */
    int nsm;         /* smoothing parameters */
    int k;           /* all parameters */
} layout;

static void make_layout(const tly_ets_model *mod, layout *L)
{
    int i = 1;
    L->ib = mod->trend != TLY_ETS_N ? i++ : -1;
    L->ig = mod->season != TLY_ETS_N ? i++ : -1;
    L->ip = mod->damped ? i++ : -1;
    L->nsm = i;
    L->il = i++;
    L->ibs = mod->trend != TLY_ETS_N ? i++ : -1;
    L->is = mod->season != TLY_ETS_N ? i : -1;
    if (mod->season != TLY_ETS_N) {
        i += mod->m - 1;
    }
    L->k = i;
}

static double logistic(double u)
{
    return 1.0 / (1.0 + exp(-u));
}

static double logit(double p)
{
    /* Keep away from the ends so the coordinate stays finite. */
    if (p < 1e-12) {
        p = 1e-12;
    } else if (p > 1 - 1e-12) {
        p = 1 - 1e-12;
    }
    return log(p / (1 - p));
}

/* theta from u (states are shared), and the 4 x 4 block dtheta/du of the
 * smoothing parameters (row = theta index, col = u index), row-major in
 * jac[nsm * nsm]. */
static void to_theta(const layout *L, const double *u, double *theta,
                     double *jac)
{
    const double lo = TLY_ETS_LOWER, hi = TLY_ETS_UPPER;
    int nsm = L->nsm;
    memset(jac, 0, (size_t)(nsm * nsm) * sizeof *jac);
    double sa = logistic(u[0]);
    double alpha = lo + (hi - lo) * sa;
    double da = (hi - lo) * sa * (1 - sa);
    theta[0] = alpha;
    jac[0] = da;
    if (L->ib >= 0) {
        double sb = logistic(u[L->ib]);
        theta[L->ib] = lo + (alpha - lo) * sb;
        jac[L->ib * nsm + L->ib] = (alpha - lo) * sb * (1 - sb);
        jac[L->ib * nsm + 0] = sb * da;
    }
    if (L->ig >= 0) {
        double sg = logistic(u[L->ig]);
        theta[L->ig] = lo + (1 - alpha - lo) * sg;
        jac[L->ig * nsm + L->ig] = (1 - alpha - lo) * sg * (1 - sg);
        jac[L->ig * nsm + 0] = -sg * da;
    }
    if (L->ip >= 0) {
        double sp = logistic(u[L->ip]);
        const double plo = TLY_ETS_PHI_LOWER, phi_hi = TLY_ETS_PHI_UPPER;
        theta[L->ip] = plo + (phi_hi - plo) * sp;
        jac[L->ip * nsm + L->ip] = (phi_hi - plo) * sp * (1 - sp);
    }
    for (int i = nsm; i < L->k; i++) {
        theta[i] = u[i];
    }
}

/* The inverse map (theta inside the usual region). */
static void to_u(const layout *L, const double *theta, double *u)
{
    const double lo = TLY_ETS_LOWER, hi = TLY_ETS_UPPER;
    double alpha = theta[0];
    u[0] = logit((alpha - lo) / (hi - lo));
    if (L->ib >= 0) {
        u[L->ib] = logit((theta[L->ib] - lo) / (alpha - lo));
    }
    if (L->ig >= 0) {
        u[L->ig] = logit((theta[L->ig] - lo) / (1 - alpha - lo));
    }
    if (L->ip >= 0) {
        u[L->ip] = logit((theta[L->ip] - TLY_ETS_PHI_LOWER)
                         / (TLY_ETS_PHI_UPPER - TLY_ETS_PHI_LOWER));
    }
    for (int i = L->nsm; i < L->k; i++) {
        u[i] = theta[i];
    }
}

/* forecast's objective at theta, +Inf outside the allowed region. */
static double objective(const tly_ets_model *mod, const layout *L,
                        const double *theta, const double *y, size_t n)
{
    double alpha = theta[0];
    double beta = L->ib >= 0 ? theta[L->ib] : 0.0;
    double gamma = L->ig >= 0 ? theta[L->ig] : 0.0;
    double phi = L->ip >= 0 ? theta[L->ip] : 1.0;
    double x[TLY_ETS_MAXSTATE];

    if (!tly_ets_params_ok(mod, alpha, beta, gamma, phi)) {
        return HUGE_VAL;
    }
    tly_ets_full_state(mod, theta + L->nsm, x);
    if (mod->season == TLY_ETS_M) {
        int tr = mod->trend != TLY_ETS_N;
        for (int j = 0; j < mod->m; j++) {
            if (x[1 + tr + j] < 0) {
                return HUGE_VAL;
            }
        }
    }
    return tly_ets_run_lik(mod, alpha, beta, gamma, phi, x, y, n, NULL, NULL,
                           NULL, NULL);
}

/* y += a * x over k entries. */
static void axpy(double *yv, double a, const double *xv, int k)
{
    for (int i = 0; i < k; i++) {
        yv[i] += a * xv[i];
    }
}

/* One forward pass with derivatives.  Fills e[t] and the Jacobian rows
 * jt[t * k .. ] of the scaled residuals with respect to theta (see the
 * file comment).  Returns 0 on success, -1 when a value is not finite. */
static int forward(const tly_ets_model *mod, const layout *L,
                   const double *theta, const double *y, size_t n,
                   double *e, double *jt)
{
    const int k = L->k, m = mod->season != TLY_ETS_N ? mod->m : 1;
    const int tr = mod->trend != TLY_ETS_N;
    const int merr = mod->error == TLY_ETS_M;
    const double alpha = theta[0];
    const double beta = tr ? theta[L->ib] : 0.0;
    const double gamma = L->ig >= 0 ? theta[L->ig] : 0.0;
    const double phi = L->ip >= 0 ? theta[L->ip] : 1.0;
    const double ratio = beta / alpha;
    double l, b = 0.0, ring[TLY_ETS_MAXM];
    double dl[LM_MAXK], db[LM_MAXK], dring[TLY_ETS_MAXM][LM_MAXK];
    double dphib[LM_MAXK], dq[LM_MAXK], df[LM_MAXK], dp[LM_MAXK];
    double dlnew[LM_MAXK], glog[LM_MAXK];
    double x[TLY_ETS_MAXSTATE];

    tly_ets_full_state(mod, theta + L->nsm, x);
    memset(dl, 0, sizeof dl);
    memset(db, 0, sizeof db);
    memset(glog, 0, sizeof glog);
    l = x[0];
    dl[L->il] = 1.0;
    if (tr) {
        b = x[1];
        db[L->ibs] = 1.0;
    }
    if (mod->season != TLY_ETS_N) {
        /* ring[j] starts as s_{m-1-j}; s_{m-1} = c - (s0 + ... + s_{m-2}). */
        for (int j = 0; j < m; j++) {
            ring[j] = x[1 + tr + (m - 1 - j)];
            memset(dring[j], 0, (size_t)k * sizeof(double));
        }
        for (int i = 0; i < m - 1; i++) {
            dring[m - 1 - i][L->is + i] = 1.0;
            dring[0][L->is + i] = -1.0;
        }
    }
    int kk = 0;
    for (size_t t = 0; t < n; t++) {
        const double yt = y[t];
        double *de = jt + t * (size_t)k;
        double phib = phi * b;
        for (int i = 0; i < k; i++) {
            dphib[i] = phi * db[i];
        }
        if (L->ip >= 0) {
            dphib[L->ip] += b;
        }
        double q = l + phib;
        for (int i = 0; i < k; i++) {
            dq[i] = dl[i] + dphib[i];
        }
        double f, p, sold = 0.0;
        double *ds = dring[kk];
        if (mod->season == TLY_ETS_N) {
            f = q;
            p = yt;
            memcpy(df, dq, (size_t)k * sizeof(double));
            memset(dp, 0, (size_t)k * sizeof(double));
        } else if (mod->season == TLY_ETS_A) {
            sold = ring[kk];
            f = q + sold;
            p = yt - sold;
            for (int i = 0; i < k; i++) {
                df[i] = dq[i] + ds[i];
                dp[i] = -ds[i];
            }
        } else {
            sold = ring[kk];
            f = q * sold;
            for (int i = 0; i < k; i++) {
                df[i] = sold * dq[i] + q * ds[i];
            }
            if (fabs(sold) < ETS_TOL) {
                p = ETS_HUGE;
                memset(dp, 0, (size_t)k * sizeof(double));
            } else {
                p = yt / sold;
                for (int i = 0; i < k; i++) {
                    dp[i] = -p / sold * ds[i];
                }
            }
        }
        /* Error and its derivative. */
        if (merr) {
            e[t] = (yt - f) / f;
            double c = -yt / (f * f);
            for (int i = 0; i < k; i++) {
                de[i] = c * df[i];
            }
            axpy(glog, 1.0 / f, df, k);
        } else {
            e[t] = yt - f;
            for (int i = 0; i < k; i++) {
                de[i] = -df[i];
            }
        }
        /* Level. */
        double lnew = q + alpha * (p - q);
        for (int i = 0; i < k; i++) {
            dlnew[i] = dq[i] + alpha * (dp[i] - dq[i]);
        }
        dlnew[0] += p - q;
        /* Trend: b' = phi b + (beta/alpha)(l' - l - phi b). */
        if (tr) {
            double r = lnew - l - phib;
            double bnew = phib + ratio * r;
            for (int i = 0; i < k; i++) {
                db[i] = dphib[i] + ratio * (dlnew[i] - dl[i] - dphib[i]);
            }
            db[0] += -ratio / alpha * r;
            db[L->ib] += r / alpha;
            b = bnew;
        }
        l = lnew;
        memcpy(dl, dlnew, (size_t)k * sizeof(double));
        /* Season. */
        if (mod->season == TLY_ETS_A) {
            double ts = yt - q;
            ring[kk] = sold + gamma * (ts - sold);
            for (int i = 0; i < k; i++) {
                ds[i] += gamma * (-dq[i] - ds[i]);
            }
            ds[L->ig] += ts - sold;
        } else if (mod->season == TLY_ETS_M) {
            double ts;
            if (fabs(q) < ETS_TOL) {
                ts = ETS_HUGE;
                for (int i = 0; i < k; i++) {
                    ds[i] -= gamma * ds[i];
                }
            } else {
                ts = yt / q;
                double c = -ts / q;
                for (int i = 0; i < k; i++) {
                    ds[i] += gamma * (c * dq[i] - ds[i]);
                }
            }
            ring[kk] = sold + gamma * (ts - sold);
            ds[L->ig] += ts - sold;
        }
        if (++kk == m) {
            kk = 0;
        }
        if (!isfinite(e[t]) || !isfinite(l) || !isfinite(b)) {
            return -1;
        }
    }
    if (merr) {
        /* Scaled residuals: J_t = de_t + e_t * mean dlog|yhat|. */
        for (int i = 0; i < k; i++) {
            glog[i] /= (double)n;
        }
        for (size_t t = 0; t < n; t++) {
            axpy(jt + t * (size_t)k, e[t], glog, k);
        }
    }
    return 0;
}

/* Solve M d = b in place (b in d) for a symmetric positive definite M
 * (k x k, row-major, overwritten by its Cholesky factor).  Returns 0 when
 * M is not positive definite.  Written out (rather than GSL's) so that no
 * global error handler is involved. */
static int cholesky_solve(double *M, int k, double *d)
{
    for (int j = 0; j < k; j++) {
        double s = M[j * k + j];
        for (int p = 0; p < j; p++) {
            s -= M[j * k + p] * M[j * k + p];
        }
        if (!(s > 0.0)) {
            return 0;
        }
        double ljj = sqrt(s);
        M[j * k + j] = ljj;
        for (int i = j + 1; i < k; i++) {
            double t = M[i * k + j];
            for (int p = 0; p < j; p++) {
                t -= M[i * k + p] * M[j * k + p];
            }
            M[i * k + j] = t / ljj;
        }
    }
    /* L z = b, then L' d = z. */
    for (int i = 0; i < k; i++) {
        double t = d[i];
        for (int p = 0; p < i; p++) {
            t -= M[i * k + p] * d[p];
        }
        d[i] = t / M[i * k + i];
    }
    for (int i = k - 1; i >= 0; i--) {
        double t = d[i];
        for (int p = i + 1; p < k; p++) {
            t -= M[p * k + i] * d[p];
        }
        d[i] = t / M[i * k + i];
    }
    return 1;
}

long tly_ets_polish_lm(const tly_ets_model *mod, const double *y, size_t n,
                       double *theta, double *lik, double *work)
{
    layout L;
    double u[LM_MAXK], un[LM_MAXK], th[LM_MAXK], jac[16];
    double A[LM_MAXK * LM_MAXK], g[LM_MAXK], M[LM_MAXK * LM_MAXK];
    double delta[LM_MAXK], dg[LM_MAXK];
    double *e = work, *jt = work + n;
    long evals = 0;

    make_layout(mod, &L);
    const int k = L.k, nsm = L.nsm;
    to_u(&L, theta, u);
    to_theta(&L, u, th, jac);
    double f = objective(mod, &L, th, y, n);
    evals++;
    if (!(f < HUGE_VAL)) {
        return evals;
    }
    double lambda = 1e-3;
    int small = 0;
    for (int iter = 0; iter < 200 && lambda < 1e12; iter++) {
        if (forward(mod, &L, th, y, n, e, jt) != 0) {
            break;
        }
        evals++;
        /* Chain rule for the smoothing parameters: J_u = J_theta dtheta/du
         * (the states map to themselves). */
        for (size_t t = 0; t < n; t++) {
            double *row = jt + t * (size_t)k;
            double tmp[4];
            for (int c = 0; c < nsm; c++) {
                double s = 0.0;
                for (int r = 0; r < nsm; r++) {
                    s += row[r] * jac[r * nsm + c];
                }
                tmp[c] = s;
            }
            memcpy(row, tmp, (size_t)nsm * sizeof(double));
        }
        /* Normal equations A = J'J, g = J'e. */
        memset(A, 0, (size_t)(k * k) * sizeof(double));
        memset(g, 0, (size_t)k * sizeof(double));
        for (size_t t = 0; t < n; t++) {
            const double *row = jt + t * (size_t)k;
            for (int i = 0; i < k; i++) {
                g[i] += row[i] * e[t];
                for (int j = 0; j <= i; j++) {
                    A[i * k + j] += row[i] * row[j];
                }
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < i; j++) {
                A[j * k + i] = A[i * k + j];
            }
            dg[i] = A[i * k + i] > 0 ? A[i * k + i] : 1e-300;
        }
        /* Inner loop: raise lambda until a step lowers the objective. */
        int accepted = 0;
        while (lambda < 1e12) {
            memcpy(M, A, (size_t)(k * k) * sizeof(double));
            for (int i = 0; i < k; i++) {
                M[i * k + i] += lambda * dg[i];
                delta[i] = -g[i];
            }
            int bad = !cholesky_solve(M, k, delta);
            if (bad) {
                lambda *= 10;
                continue;
            }
            for (int i = 0; i < k; i++) {
                un[i] = u[i] + delta[i];
            }
            double thn[LM_MAXK], jacn[16];
            to_theta(&L, un, thn, jacn);
            double fn = objective(mod, &L, thn, y, n);
            evals++;
            if (fn < f) {
                double gain = f - fn;
                memcpy(u, un, (size_t)k * sizeof(double));
                memcpy(th, thn, (size_t)k * sizeof(double));
                memcpy(jac, jacn, sizeof jac);
                f = fn;
                lambda = lambda * 0.3 > 1e-12 ? lambda * 0.3 : 1e-12;
                accepted = 1;
                /* Stop after three steps in a row that gain almost
                 * nothing. */
                small = gain < 1e-10 * (fabs(f) + 1) ? small + 1 : 0;
                break;
            }
            lambda *= 4;
        }
        if (!accepted || small >= 3) {
            break;
        }
    }
    if (f < *lik) {
        *lik = f;
        memcpy(theta, th, (size_t)k * sizeof(double));
    }
    return evals;
}
