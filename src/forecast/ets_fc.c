/* SPDX-License-Identifier: MIT
 *
 * Forecasts of a fitted ETS model and their prediction intervals, as
 * forecast::forecast.ets computes them (Hyndman et al. 2008, ch. 6):
 *
 *  - class 1 (A,N|A|Ad,N|A): exact normal intervals; the h-step variance
 *    is sigma2 (1 + sum_{j<h} c_j^2) with c_j = alpha + beta phi_j
 *    + gamma [j mod m = 0], phi_j = phi + ... + phi^j (j without damping);
 *  - class 2 (M,N|A|Ad,N|A): theta_1 = mu_1^2,
 *    theta_h = mu_h^2 + sigma2 sum_{j<h} c_j^2 theta_{h-j},
 *    variance (1 + sigma2) theta_h - mu_h^2;
 *  - class 3 (M,N|A|Ad,M): the approximate mean and variance of the
 *    product of the level-trend and seasonal parts (section 6.4), whose
 *    mean replaces the point forecast;
 *  - any other model (A,.,M, fitted only on request): 5000 simulated
 *    sample paths; the limits are the sample quantiles (R's type 8) and
 *    the mean is the point forecast.
 *
 * Intervals are mean -/+ z sqrt(variance), z the normal quantile.
 *
 * Two places where forecast 8.20 is not followed, because it is wrong
 * there (docs/ets.md shows the size of the difference):
 *  - class 1 and 2 without a trend: forecast puts gamma in the wrong row
 *    of the state vector (G[3] instead of G[2]), so its c_j carries
 *    gamma at j = m - 1, 2m - 1, ... instead of j = m, 2m, ...; the
 *    variances differ at h = m, 2m, ... (forecast's are larger), and
 *    class 2's at every h after m;
 *  - class 3 with a damped trend: forecast builds the level-trend part
 *    without phi in the measurement and level rows, so its mean is
 *    (l + b) s instead of (l + phi b) s one step ahead; here the model's
 *    own matrices are used (w1 = (1, phi), F1 = [1 phi; 0 phi],
 *    G1 = (alpha, beta)' w1').
 */
#include "forecast/ets_int.h"

#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int tly_ets_class(const tly_ets_model *mod)
{
    if (mod->season == TLY_ETS_M) {
        return mod->error == TLY_ETS_M ? TLY_ETS_CLASS3 : TLY_ETS_SIMULATE;
    }
    return mod->error == TLY_ETS_A ? TLY_ETS_CLASS1 : TLY_ETS_CLASS2;
}

/* Point forecasts by the recursion (forecast's C function "forecast"):
 * yhat_h = (l + phi_h b) (+ or *) s, with phi_h = phi + ... + phi^h and
 * s the seasonal state of the same season one cycle back. */
static void point_forecasts(const tly_ets_fit *fit, size_t h, double *mean)
{
    const tly_ets_model *mod = &fit->model;
    int tr = mod->trend != TLY_ETS_N;
    int m = mod->m;
    double l = fit->last[0], b = tr ? fit->last[1] : 0.0;
    double phistar = fit->phi, phipow = fit->phi;

    for (size_t i = 0; i < h; i++) {
        double f = tr ? l + phistar * b : l;
        if (mod->season != TLY_ETS_N) {
            /* Step i + 1 uses s_{m-1-i}, cyclically. */
            long j = ((long)m - 1 - (long)(i % (size_t)m));
            double s = fit->last[1 + tr + j];
            f = mod->season == TLY_ETS_A ? f + s : f * s;
        }
        mean[i] = f;
        phipow *= fit->phi;
        phistar += phipow;
    }
}

/* c_j of classes 1 and 2, j >= 1. */
static double cj(const tly_ets_fit *fit, size_t j)
{
    const tly_ets_model *mod = &fit->model;
    double c = fit->alpha;
    if (mod->trend != TLY_ETS_N) {
        double phij;
        if (mod->damped) {
            /* phi + phi^2 + ... + phi^j */
            phij = fit->phi * (1 - pow(fit->phi, (double)j)) / (1 - fit->phi);
        } else {
            phij = (double)j;
        }
        c += fit->beta * phij;
    }
    if (mod->season != TLY_ETS_N && j % (size_t)mod->m == 0) {
        c += fit->gamma;
    }
    return c;
}

/* Class 3 with the Kronecker structure spelled out.  The level-trend part
 * x (r = 1 or 2 values) and the seasonal part z (m values, z_0 the most
 * recent) form M = x z' (r x m), stored column-major as v (block j =
 * column j, the level-trend part times s_j).  The operators on v:
 *   F21 = F2 (x) F1: block j <- F1 block pi(j), pi(0) = m-1, pi(j) = j-1
 *   G21 = G2 (x) G1: block 0 <- gamma G1 block m-1, the rest 0
 *   K = G2 (x) F1 + F2 (x) G1:
 *        block 0 <- (gamma F1 + G1) block m-1, block j <- G1 block j-1. */
typedef struct {
    int r, m;
    double F1[4], G1[4], w1[2];
    double gamma;
} c3;

enum { OP_F = 0, OP_G = 1, OP_K = 2 };

static void mat2(const double *A, int r, const double *x, double *out,
                 double scale)
{
    for (int i = 0; i < r; i++) {
        double s = 0.0;
        for (int k = 0; k < r; k++) {
            s += A[i * r + k] * x[k];
        }
        out[i] = scale * s;
    }
}

/* out = op in (vectors of length q = r m, strided by inc). */
static void apply(const c3 *c, int op, const double *in, size_t inc,
                  double *out, size_t oinc)
{
    int r = c->r, m = c->m;
    double xin[2], xo[2];
    for (int j = 0; j < m; j++) {
        int src = j == 0 ? m - 1 : j - 1;
        for (int i = 0; i < r; i++) {
            xin[i] = in[(size_t)(src * r + i) * inc];
        }
        if (op == OP_F) {
            mat2(c->F1, r, xin, xo, 1.0);
        } else if (op == OP_G) {
            if (j == 0) {
                mat2(c->G1, r, xin, xo, c->gamma);
            } else {
                xo[0] = xo[1] = 0.0;
            }
        } else {
            mat2(c->G1, r, xin, xo, 1.0);
            if (j == 0) {
                double t[2];
                mat2(c->F1, r, xin, t, c->gamma);
                for (int i = 0; i < r; i++) {
                    xo[i] += t[i];
                }
            }
        }
        for (int i = 0; i < r; i++) {
            out[(size_t)(j * r + i) * oinc] = xo[i];
        }
    }
}

/* out = A X B' for q x q matrices (row-major), tmp q x q scratch. */
static void sandwich(const c3 *c, int opa, const double *X, int opb,
                     double *tmp, double *out)
{
    size_t q = (size_t)(c->r * c->m);
    /* tmp = X B': row i of tmp = B applied to row i of X. */
    for (size_t i = 0; i < q; i++) {
        apply(c, opb, X + i * q, 1, tmp + i * q, 1);
    }
    /* out = A tmp: column j of out = A applied to column j of tmp. */
    for (size_t j = 0; j < q; j++) {
        apply(c, opa, tmp + j, q, out + j, q);
    }
}

static int class3(const tly_ets_fit *fit, size_t h, double *mu, double *var)
{
    const tly_ets_model *mod = &fit->model;
    c3 c;
    int tr = mod->trend != TLY_ETS_N;
    double s2 = fit->sigma2;
    c.r = 1 + tr;
    c.m = mod->m;
    c.gamma = fit->gamma;
    if (tr) {
        double phi = fit->phi;
        c.w1[0] = 1.0;
        c.w1[1] = phi;
        double F1[4] = {1.0, phi, 0.0, phi};
        double G1[4] = {fit->alpha, fit->alpha * phi, fit->beta,
                        fit->beta * phi};
        memcpy(c.F1, F1, sizeof F1);
        memcpy(c.G1, G1, sizeof G1);
    } else {
        c.w1[0] = 1.0;
        c.F1[0] = 1.0;
        c.G1[0] = fit->alpha;
    }
    size_t r = (size_t)c.r, q = r * (size_t)c.m;
    double *buf = calloc(6 * q * q + 3 * q, sizeof *buf);
    if (buf == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "ETS: out of memory");
    }
    double *V = buf, *Vn = V + q * q, *W = Vn + q * q, *T = W + q * q;
    double *tmp = T + q * q, *S = tmp + q * q;
    double *v = S + q * q, *vn = v + q, *vg = vn + q;

    /* M_1 = x z': block j = (l, b) s_j. */
    for (int j = 0; j < c.m; j++) {
        for (size_t i = 0; i < r; i++) {
            v[(size_t)j * r + i] = fit->last[i] * fit->last[r + (size_t)j];
        }
    }
    for (size_t step = 0; step < h; step++) {
        /* mu = w1' (block m-1 of v); var = (1 + s2) w1' V_{m-1,m-1} w1
         * + s2 mu^2. */
        size_t o = (size_t)(c.m - 1) * r;
        double m1 = 0.0, hv = 0.0;
        for (size_t i = 0; i < r; i++) {
            m1 += c.w1[i] * v[o + i];
            for (size_t k = 0; k < r; k++) {
                hv += c.w1[i] * V[(o + i) * q + o + k] * c.w1[k];
            }
        }
        mu[step] = m1;
        var[step] = (1 + s2) * hv + s2 * m1 * m1;
        if (step + 1 == h) {
            break;
        }
        /* V' = F V F' + s2 (F V G' + G V F' + K (V + vv') K'
         *      + s2 G (3V + 2vv') G'). */
        sandwich(&c, OP_F, V, OP_F, tmp, Vn);
        sandwich(&c, OP_F, V, OP_G, tmp, S);
        for (size_t i = 0; i < q; i++) {
            for (size_t j = 0; j < q; j++) {
                W[i * q + j] = V[i * q + j] + v[i] * v[j];
            }
        }
        sandwich(&c, OP_K, W, OP_K, tmp, T);
        for (size_t i = 0; i < q; i++) {
            for (size_t j = 0; j < q; j++) {
                Vn[i * q + j] += s2 * (S[i * q + j] + S[j * q + i]
                                       + T[i * q + j]);
                W[i * q + j] = 3 * V[i * q + j] + 2 * v[i] * v[j];
            }
        }
        sandwich(&c, OP_G, W, OP_G, tmp, T);
        for (size_t i = 0; i < q * q; i++) {
            Vn[i] += s2 * s2 * T[i];
        }
        memcpy(V, Vn, q * q * sizeof *V);
        /* M' = F1 M F2' + s2 G1 M G2'. */
        apply(&c, OP_F, v, 1, vn, 1);
        apply(&c, OP_G, v, 1, vg, 1);
        for (size_t i = 0; i < q; i++) {
            v[i] = vn[i] + s2 * vg[i];
        }
    }
    free(buf);
    return TALLY_OK;
}

int tly_ets_fc_var(const tly_ets_fit *fit, size_t h, double *mean,
                   double *var)
{
    int cls = tly_ets_class(&fit->model);
    double s2 = fit->sigma2;

    if (cls == TLY_ETS_CLASS3) {
        return class3(fit, h, mean, var);
    }
    point_forecasts(fit, h, mean);
    if (cls == TLY_ETS_SIMULATE) {
        for (size_t i = 0; i < h; i++) {
            var[i] = NAN;
        }
        return TALLY_OK;
    }
    if (cls == TLY_ETS_CLASS1) {
        double acc = 1.0;
        for (size_t i = 0; i < h; i++) {
            var[i] = s2 * acc;
            double c = cj(fit, i + 1);
            acc += c * c;
        }
        return TALLY_OK;
    }
    /* Class 2: var[] holds theta until the end. */
    double *c2 = malloc((h > 0 ? h : 1) * sizeof *c2);
    if (c2 == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "ETS: out of memory");
    }
    for (size_t j = 1; j < h; j++) {
        double c = cj(fit, j);
        c2[j] = c * c;
    }
    for (size_t i = 0; i < h; i++) {
        double th = mean[i] * mean[i];
        for (size_t j = 1; j <= i; j++) {
            th += s2 * c2[j] * var[i - j];
        }
        var[i] = th;
    }
    for (size_t i = 0; i < h; i++) {
        var[i] = (1 + s2) * var[i] - mean[i] * mean[i];
    }
    free(c2);
    return TALLY_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R's quantile(type = 8) of sorted x[0..n-1] at probability p. */
static double quantile8(const double *x, size_t n, double p)
{
    const double fuzz = 4 * 2.220446049250313e-16;
    double nppm = 1.0 / 3 + p * ((double)n + 1.0 / 3);
    double j = floor(nppm + fuzz);
    double g = nppm - j;
    if (fabs(g) < fuzz) {
        g = 0.0;
    }
    /* 1-based order statistics j and j + 1, clamped to the sample. */
    long lo = (long)j, hi = (long)j + 1;
    lo = lo < 1 ? 1 : (lo > (long)n ? (long)n : lo);
    hi = hi < 1 ? 1 : (hi > (long)n ? (long)n : hi);
    double a = x[lo - 1], b = x[hi - 1];
    if (g == 0.0 || a == b) {
        return a;
    }
    return (1 - g) * a + g * b;
}

/* Simulated intervals (forecast's pegelsfcast.C / simulate.ets):
 * innovations N(0, sigma2), floored at -1 for multiplicative errors, fed
 * through the model from the final states.  The paths advance together,
 * one horizon at a time, so memory is npaths states (not npaths x h
 * values) and each horizon's values are sorted as soon as they exist. */
int tly_ets_simulate(const tly_ets_fit *fit, size_t h, const double *levels,
                     size_t nlevels, uint64_t seed, double *lower,
                     double *upper)
{
    const tly_ets_model *mod = &fit->model;
    const size_t np = TLY_ETS_NPATHS, ns = fit->nstate;
    double *states = malloc(np * ns * sizeof *states);
    double *col = malloc(np * sizeof *col);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (states == NULL || col == NULL || rng == NULL) {
        free(states);
        free(col);
        gsl_rng_free(rng);
        return TALLY_ERROR(TALLY_ENOMEM, "ETS: out of memory");
    }
    gsl_rng_set(rng, (unsigned long)seed);
    double sd = sqrt(fit->sigma2);
    for (size_t p = 0; p < np; p++) {
        memcpy(states + p * ns, fit->last, ns * sizeof *states);
    }
    for (size_t i = 0; i < h; i++) {
        for (size_t p = 0; p < np; p++) {
            double *x = states + p * ns;
            double e = gsl_ran_gaussian_ziggurat(rng, sd);
            double f = tly_ets_onestep(mod, fit->phi, x);
            double yv;
            if (mod->error == TLY_ETS_M) {
                if (e < -1) {
                    e = -1;
                }
                yv = f * (1 + e);
            } else {
                yv = f + e;
            }
            col[p] = yv;
            tly_ets_update(mod, fit->alpha, fit->beta, fit->gamma, fit->phi,
                           x, yv);
        }
        qsort(col, np, sizeof *col, cmp_double);
        for (size_t l = 0; l < nlevels; l++) {
            lower[l * h + i] = quantile8(col, np, 0.5 - levels[l] / 200);
            upper[l * h + i] = quantile8(col, np, 0.5 + levels[l] / 200);
        }
    }
    free(states);
    free(col);
    gsl_rng_free(rng);
    return TALLY_OK;
}

int tly_ets_forecast(const tly_ets_fit *fit, size_t h, const double *levels,
                     size_t nlevels, uint64_t seed, double *mean,
                     double *lower, double *upper)
{
    if (h == 0) {
        return TALLY_OK;
    }
    double *var = malloc(h * sizeof *var);
    if (var == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "ETS: out of memory");
    }
    int st = tly_ets_fc_var(fit, h, mean, var);
    if (st != TALLY_OK) {
        free(var);
        return st;
    }
    if (tly_ets_class(&fit->model) == TLY_ETS_SIMULATE) {
        st = tly_ets_simulate(fit, h, levels, nlevels, seed, lower, upper);
    } else {
        for (size_t l = 0; l < nlevels; l++) {
            double z = gsl_cdf_ugaussian_Pinv(0.5 + levels[l] / 200);
            for (size_t i = 0; i < h; i++) {
                double half = z * sqrt(var[i]);
                lower[l * h + i] = mean[i] - half;
                upper[l * h + i] = mean[i] + half;
            }
        }
    }
    free(var);
    return st;
}
