/* SPDX-License-Identifier: MIT
 *
 * ARIMA and seasonal ARIMA by exact Gaussian maximum likelihood, as R's
 * stats::arima(method = "CSS-ML") and forecast::Arima, with these
 * conventions (shared/reference/README.md, "ARIMA"):
 *
 * - the model is a regression with ARIMA errors: y_t = x_t' beta + u_t,
 *   (1 - B)^d (1 - B^m)^D u_t = w_t an ARMA(p, q)(P, Q)_m process; the
 *   regressors are the intercept (the mean of the process, only when
 *   d + D = 0), the drift (time 1..n, only when d + D <= 1) and any
 *   exogenous columns;
 * - the log-likelihood is the exact one of the differenced series
 *   (1 - B)^d (1 - B^m)^D y by the Kalman filter started from the
 *   stationary distribution (kalman.c); R's diffuse start with
 *   kappa = 1e6 differs from it by less than 0.005;
 * - the regression coefficients and the innovation variance are
 *   concentrated out: for given ARMA coefficients the filter's gains do
 *   not depend on beta, so the regressors are filtered alongside y and
 *   beta is their generalised least-squares fit.  The optimiser then
 *   works in the p + q + P + Q ARMA coefficients only;
 * - stationarity is enforced as R's transform.pars: AR blocks are
 *   optimised as atanh of partial autocorrelations; MA coefficients are
 *   free, and roots inside the unit circle are inverted afterwards (the
 *   exact likelihood is the same);
 * - starting values, as R's CSS-ML: the conditional-sum-of-squares
 *   estimates (ncond = p + m P differenced values) in the raw
 *   coefficients with the regression coefficients free, started at zero
 *   and at the least-squares fit of the regressors (beta scaled by ten
 *   standard errors, R's parscale).  Where R stops ("non-stationary AR
 *   part from CSS"), the start is damped instead: a block whose roots lie
 *   within START_MINROOT of the unit circle has coefficient i multiplied
 *   by c^i, which scales every root by 1/c; partial autocorrelations of
 *   the start are clamped to |r| <= START_MAXPACF so that no coordinate
 *   starts on the flat tails of tanh;
 * - several starts (ml_multistart, at most ML_STARTS): the CSS start,
 *   the CSS start damped by SHRINK (coefficient i times SHRINK^i), zero,
 *   the CSS start reflected (negated), the Hannan-Rissanen estimates
 *   (arima_hr.c; models with MA terms), and the first coefficient of each
 *   block at +-SHRINK alone; a climb that stalls with a gradient norm
 *   above ML_RESTART_G is restarted (ml_from); the highest exact
 *   likelihood wins (the exact likelihood of ARMA(2,2) and seasonal
 *   models often has several local maxima: log JohnsonJohnson
 *   ARIMA(2,1,2) has four, Seatbelts rear ARIMA(2,1,2) a long flat ridge
 *   besides its maximum).  The searches of
 *   arima:auto run one start (the better of the CSS start and zero) and,
 *   for a competitive model whose optimum lies near the boundary (a
 *   partial autocorrelation beyond START_MAXPACF or an MA root within 1%
 *   of the unit circle), one more climb from that optimum damped by
 *   PULLBACK (tly_arima_pullback);
 * - R's method "CSS" itself (tly_arima_css) for auto.arima's
 *   approximation;
 * - sigma2 = sum of squared standardized innovations / (n* - k), with
 *   n* = observed values - d - m D and k the number of coefficients;
 *   aic = -2 loglik + 2 (k + 1), aicc = aic + 2 (k + 1)(k + 2)/(n* - k - 2),
 *   bic = aic + (k + 1)(log n* - 2) (forecast::Arima);
 * - standard errors: inverse of the numerical Hessian of -loglik (beta
 *   free, sigma2 concentrated), computed in the optimiser's coordinates
 *   and mapped back by the delta method, as R does;
 * - forecasts: the full state space with the differencing (kalman.c),
 *   intervals mean +- z sqrt(v_h sigma2).
 */
#include "forecast/arima_int.h"
#include "forecast/arima_optim.h"
#include "tally/tally_status.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXEXP 128  /* expanded polynomial length, as kalman.c */
#define MAXSER (TLY_ARIMA_MAXCOEF + 1)

/* Estimation workspace: the differenced data and scratch for one model. */
typedef struct {
    tly_arima_order o;
    size_t npar;            /* p + q + P + Q */
    size_t k;               /* regressors (intercept, drift, exogenous) */
    size_t np, nq, r, nd;   /* expanded orders, state dim, differences */
    size_t nw;              /* length of the differenced series */
    double delta[MAXEXP];   /* 1 - sum delta_j B^j = (1-B)^d (1-B^m)^D */
    double phi[MAXEXP], theta[MAXEXP];
    double *ser;            /* (1 + k) x nw: w, then the regressors */
    double *inn;            /* (1 + k) x nw: innovations or residuals */
    const double *serp[MAXSER];
    double *innp[MAXSER];
    double *kwork;          /* Kalman filter workspace */
    double *cu, *ce;        /* CSS: w - X beta and its residuals (nw each) */
    /* CSS coordinates of beta: beta_j = beta0_j + z_j bscale_j. */
    double beta0[TLY_ARIMA_MAXCOEF], bscale[TLY_ARIMA_MAXCOEF];
    /* Results of the last evaluation. */
    double beta[TLY_ARIMA_MAXCOEF];
    double bvar[TLY_ARIMA_MAXCOEF]; /* diag (X'X)^-1 of the GLS fit */
    double ssq, sumlog;
    size_t nu;
} arima_ws;

/* Column j of the undifferenced regressors at time t (0-based). */
static double regressor(const tly_arima_data *dat, const tly_arima_order *o,
                        size_t j, size_t t)
{
    if (o->intercept) {
        if (j == 0) {
            return 1.0;
        }
        j--;
    }
    if (o->drift) {
        if (j == 0) {
            return (double)(t + 1);
        }
        j--;
    }
    return dat->xcols[j][t];
}

static size_t n_regressors(const tly_arima_data *dat, const tly_arima_order *o)
{
    return (size_t)(o->intercept != 0) + (size_t)(o->drift != 0) + dat->kx;
}

/* The differencing polynomial: delta_j with
 * (1 - B)^d (1 - B^m)^D = 1 - sum_j delta_j B^j.  Returns nd. */
static size_t diff_poly(int d, int D, int m, double *delta)
{
    double c[MAXEXP] = {1.0};
    size_t len = 0;
    for (int i = 0; i < d; i++) {
        for (size_t j = len + 1; j >= 1; j--) {
            c[j] -= c[j - 1];
        }
        len++;
    }
    for (int i = 0; i < D; i++) {
        for (size_t j = len + (size_t)m; j >= (size_t)m; j--) {
            c[j] -= c[j - (size_t)m];
        }
        len += (size_t)m;
    }
    for (size_t j = 1; j <= len; j++) {
        delta[j - 1] = -c[j];
    }
    return len;
}

/* Set phi and theta from raw coefficients in R's order ar, ma, sar, sma. */
static void set_raw(arima_ws *ws, const double *coef)
{
    const tly_arima_order *o = &ws->o;
    size_t p = (size_t)o->p, q = (size_t)o->q, P = (size_t)o->P;
    tly_arma_expand(coef, o->p, coef + p + q, o->P, o->m, -1, ws->phi);
    tly_arma_expand(coef + p, o->q, coef + p + q + P, o->Q, o->m, 1,
                    ws->theta);
}

/* Set phi and theta from the optimiser's coordinates x: transformed AR
 * blocks, raw MA blocks, in R's order ar, ma, sar, sma. */
static void set_arma(arima_ws *ws, const double *x, double *coef)
{
    const tly_arima_order *o = &ws->o;
    double c[TLY_ARIMA_MAXCOEF];
    size_t p = (size_t)o->p, q = (size_t)o->q, P = (size_t)o->P;
    size_t Q = (size_t)o->Q;
    if (coef == NULL) {
        coef = c;
    }
    tly_ar_partrans(p, x, coef);
    memcpy(coef + p, x + p, q * sizeof *x);
    tly_ar_partrans(P, x + p + q, coef + p + q);
    memcpy(coef + p + q + P, x + p + q + P, Q * sizeof *x);
    set_raw(ws, coef);
}

/* Least squares of series 0 on series 1..k over the rows where series 0
 * is not missing, by modified Gram-Schmidt (columns overwritten).  Sets
 * beta, bvar and the residual sum of squares.  Returns -1 when the
 * regressors are (numerically) collinear. */
static int ls_profile(arima_ws *ws, double *ssq)
{
    size_t k = ws->k, n = ws->nw;
    double **col = ws->innp;
    double R[TLY_ARIMA_MAXCOEF * TLY_ARIMA_MAXCOEF];
    double c[TLY_ARIMA_MAXCOEF];
    double *y = col[0];
    for (size_t t = 0; t < n; t++) {
        if (isnan(y[t])) {
            for (size_t j = 0; j <= k; j++) {
                col[j][t] = 0.0;
            }
        }
    }
    for (size_t j = 0; j < k; j++) {
        double *xj = col[j + 1];
        double nrm0 = 0.0;
        for (size_t t = 0; t < n; t++) {
            nrm0 += xj[t] * xj[t];
        }
        /* Orthogonalise against the previous columns (already unit). */
        for (size_t l = 0; l < j; l++) {
            double *ql = col[l + 1];
            double dot = 0.0;
            for (size_t t = 0; t < n; t++) {
                dot += ql[t] * xj[t];
            }
            R[l * k + j] = dot;
            for (size_t t = 0; t < n; t++) {
                xj[t] -= dot * ql[t];
            }
        }
        double nrm = 0.0;
        for (size_t t = 0; t < n; t++) {
            nrm += xj[t] * xj[t];
        }
        if (!(nrm > 1e-20 * nrm0) || !(nrm > 0.0)) {
            return -1;
        }
        nrm = sqrt(nrm);
        R[j * k + j] = nrm;
        double dot = 0.0;
        for (size_t t = 0; t < n; t++) {
            xj[t] /= nrm;
            dot += xj[t] * y[t];
        }
        c[j] = dot;
        for (size_t t = 0; t < n; t++) {
            y[t] -= dot * xj[t];
        }
    }
    double s = 0.0;
    for (size_t t = 0; t < n; t++) {
        s += y[t] * y[t];
    }
    *ssq = s;
    /* beta = R^{-1} c; diag (R'R)^{-1} = squared row norms of R^{-1}. */
    for (size_t j = k; j-- > 0;) {
        double v = c[j];
        for (size_t l = j + 1; l < k; l++) {
            v -= R[j * k + l] * ws->beta[l];
        }
        ws->beta[j] = v / R[j * k + j];
    }
    for (size_t i = 0; i < k; i++) {
        /* Row i of R^{-1}: solve upper-triangular for e_i columns. */
        double rinv[TLY_ARIMA_MAXCOEF];
        double acc = 0.0;
        for (size_t j = 0; j < k; j++) {
            rinv[j] = 0.0;
        }
        for (size_t j = i; j < k; j++) {
            double v = (j == i) ? 1.0 : 0.0;
            for (size_t l = i; l < j; l++) {
                v -= rinv[l] * R[l * k + j];
            }
            rinv[j] = v / R[j * k + j];
            acc += rinv[j] * rinv[j];
        }
        ws->bvar[i] = acc;
    }
    return 0;
}

/* The concentrated exact ML objective
 * 0.5 (log(ssq/nu) + sumlog/nu) = -loglik/nu up to a constant (R's
 * armafn), with beta at its GLS value. */
static double objective(const double *x, void *ctx)
{
    arima_ws *ws = ctx;
    size_t ns = ws->k + 1;
    set_arma(ws, x, NULL);
    if (tly_kalman_arma(ws->phi, ws->np, ws->theta, ws->nq, ws->serp, ns,
                        ws->nw, ws->innp, &ws->sumlog, &ws->nu, NULL, NULL,
                        ws->kwork) != 0) {
        return NAN;
    }
    if (ws->nu == 0 || ls_profile(ws, &ws->ssq) != 0 || !(ws->ssq > 0.0)) {
        return NAN;
    }
    double nu = (double)ws->nu;
    return 0.5 * (log(ws->ssq / nu) + ws->sumlog / nu);
}

/* R's armaCSS: 0.5 log(ssq/nu) of the conditional residuals of
 * w - X beta (ncond = np differenced values), in the raw ARMA
 * coefficients z[0..npar-1] and the scaled regression coefficients
 * beta_j = beta0_j + z[npar + j] bscale_j.  No stationarity constraint,
 * as R's CSS. */
static double css_objective(const double *z, void *ctx)
{
    arima_ws *ws = ctx;
    size_t n = ws->nw, npar = ws->npar;
    double *u = ws->cu, *e = ws->ce;
    const double *uc = u;
    set_raw(ws, z);
    memcpy(u, ws->serp[0], n * sizeof *u);
    for (size_t j = 0; j < ws->k; j++) {
        double b = ws->beta0[j] + z[npar + j] * ws->bscale[j];
        const double *xj = ws->serp[j + 1];
        for (size_t t = 0; t < n; t++) {
            u[t] -= b * xj[t];
        }
    }
    tly_arma_css(ws->phi, ws->np, ws->theta, ws->nq, &uc, 1, n, ws->np, &e);
    double s = 0.0;
    size_t nu = 0;
    for (size_t t = 0; t < n; t++) {
        if (!isnan(e[t])) {
            s += e[t] * e[t];
            nu++;
        }
    }
    ws->ssq = s;
    ws->nu = nu;
    ws->sumlog = 0.0;
    if (nu == 0 || !(s > 0.0) || !isfinite(s)) {
        return NAN;
    }
    return 0.5 * log(s / (double)nu);
}

/* -loglik with beta free (for the Hessian): z = (x, beta). */
static double negloglik_full(const double *z, void *ctx)
{
    arima_ws *ws = ctx;
    size_t ns = ws->k + 1;
    set_arma(ws, z, NULL);
    if (tly_kalman_arma(ws->phi, ws->np, ws->theta, ws->nq, ws->serp, ns,
                        ws->nw, ws->innp, &ws->sumlog, &ws->nu, NULL, NULL,
                        ws->kwork) != 0) {
        return NAN;
    }
    const double *beta = z + ws->npar;
    double s = 0.0;
    for (size_t t = 0; t < ws->nw; t++) {
        double e = ws->innp[0][t];
        if (isnan(e)) {
            continue;
        }
        for (size_t j = 0; j < ws->k; j++) {
            e -= beta[j] * ws->innp[j + 1][t];
        }
        s += e * e;
    }
    double nu = (double)ws->nu;
    return 0.5 * (nu * log(2 * M_PI * s / nu) + ws->sumlog + nu);
}

static void ws_free(arima_ws *ws)
{
    free(ws->ser);
    free(ws->inn);
    free(ws->kwork);
    free(ws->cu);
}

/* Difference y and the regressors into the workspace. */
static int ws_init(arima_ws *ws, const tly_arima_data *dat,
                   const tly_arima_order *o)
{
    memset(ws, 0, sizeof *ws);
    ws->o = *o;
    ws->npar = (size_t)(o->p + o->q + o->P + o->Q);
    ws->k = n_regressors(dat, o);
    ws->np = (size_t)o->p + (size_t)o->m * (size_t)o->P;
    ws->nq = (size_t)o->q + (size_t)o->m * (size_t)o->Q;
    ws->r = ws->np > ws->nq + 1 ? ws->np : ws->nq + 1;
    ws->nd = diff_poly(o->d, o->D, o->m, ws->delta);
    if (ws->np >= MAXEXP || ws->nq >= MAXEXP || ws->nd >= MAXEXP
        || ws->npar + ws->k > TLY_ARIMA_MAXCOEF) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "ARIMA: the model is too large (at most %d "
                           "coefficients and lag %d)", TLY_ARIMA_MAXCOEF,
                           MAXEXP - 1);
    }
    if (dat->n <= ws->nd) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "ARIMA: %zu values are not enough for %zu "
                           "differences", dat->n, ws->nd);
    }
    ws->nw = dat->n - ws->nd;
    size_t ns = ws->k + 1;
    ws->ser = malloc(ns * ws->nw * sizeof *ws->ser);
    ws->inn = malloc(ns * ws->nw * sizeof *ws->inn);
    ws->kwork = malloc(tly_kalman_work(ws->r, ns, ws->np, ws->nq)
                       * sizeof *ws->kwork);
    ws->cu = malloc(2 * ws->nw * sizeof *ws->cu);
    if (ws->ser == NULL || ws->inn == NULL || ws->kwork == NULL
        || ws->cu == NULL) {
        ws_free(ws);
        return TALLY_ERROR(TALLY_ENOMEM, "ARIMA: out of memory");
    }
    for (size_t s = 0; s < ns; s++) {
        double *out = ws->ser + s * ws->nw;
        for (size_t t = ws->nd; t < dat->n; t++) {
            /* w_t = v_t - sum_j delta_j v_{t-j} (NaN if any is missing). */
            double v = s == 0 ? dat->y[t] : regressor(dat, o, s - 1, t);
            for (size_t j = 0; j < ws->nd; j++) {
                if (ws->delta[j] != 0.0) {
                    double lag = s == 0 ? dat->y[t - j - 1]
                                        : regressor(dat, o, s - 1, t - j - 1);
                    v -= ws->delta[j] * lag;
                }
            }
            out[t - ws->nd] = v;
        }
        ws->serp[s] = out;
        ws->innp[s] = ws->inn + s * ws->nw;
    }
    ws->ce = ws->cu + ws->nw;
    return TALLY_OK;
}

/* Numerical Hessian of f at z (dim values, steps h) into H (dim x dim). */
static int num_hessian(tly_objfn f, void *ctx, const double *z, size_t dim,
                       const double *h, double *H)
{
    double x[TLY_ARIMA_MAXCOEF], fp[TLY_ARIMA_MAXCOEF], fm[TLY_ARIMA_MAXCOEF];
    double f0 = f(z, ctx);
    if (!isfinite(f0)) {
        return -1;
    }
    memcpy(x, z, dim * sizeof *x);
    for (size_t i = 0; i < dim; i++) {
        x[i] = z[i] + h[i];
        fp[i] = f(x, ctx);
        x[i] = z[i] - h[i];
        fm[i] = f(x, ctx);
        x[i] = z[i];
        H[i * dim + i] = (fp[i] - 2 * f0 + fm[i]) / (h[i] * h[i]);
    }
    for (size_t i = 0; i < dim; i++) {
        for (size_t j = i + 1; j < dim; j++) {
            double v[4];
            for (int s = 0; s < 4; s++) {
                x[i] = z[i] + ((s & 1) ? -h[i] : h[i]);
                x[j] = z[j] + ((s & 2) ? -h[j] : h[j]);
                v[s] = f(x, ctx);
            }
            x[i] = z[i];
            x[j] = z[j];
            double hij = (v[0] - v[1] - v[2] + v[3]) / (4 * h[i] * h[j]);
            H[i * dim + j] = H[j * dim + i] = hij;
        }
    }
    for (size_t i = 0; i < dim * dim; i++) {
        if (!isfinite(H[i])) {
            return -1;
        }
    }
    return 0;
}

/* Standard errors: invert the Hessian of -loglik in the optimiser's
 * coordinates z = (x, beta), then map through the Jacobian of the AR
 * transformation (delta method, R's ARIMA_Gradtrans). */
static void standard_errors(arima_ws *ws, const double *x, tly_arima_fit *fit)
{
    size_t dim = ws->npar + ws->k;
    double z[TLY_ARIMA_MAXCOEF], h[TLY_ARIMA_MAXCOEF];
    double *H = malloc(3 * dim * dim * sizeof *H);
    fit->se_ok = 0;
    for (size_t i = 0; i < dim; i++) {
        fit->se[i] = NAN;
    }
    if (H == NULL || dim == 0) {
        free(H);
        fit->se_ok = dim == 0;
        return;
    }
    double *V = H + dim * dim, *J = V + dim * dim;
    memcpy(z, x, ws->npar * sizeof *z);
    for (size_t i = 0; i < ws->npar; i++) {
        h[i] = 1e-4;
    }
    /* beta steps scaled by its GLS standard error. */
    double s2 = ws->ssq / (double)(ws->nu ? ws->nu : 1);
    for (size_t j = 0; j < ws->k; j++) {
        z[ws->npar + j] = ws->beta[j];
        double se = sqrt(s2 * ws->bvar[j]);
        h[ws->npar + j] = 1e-3 * (se > 0 ? se : 1e-3 * (1 + fabs(ws->beta[j])));
    }
    if (num_hessian(negloglik_full, ws, z, dim, h, H) != 0) {
        free(H);
        return;
    }
    gsl_matrix_view Hm = gsl_matrix_view_array(H, dim, dim);
    gsl_matrix_view Vm = gsl_matrix_view_array(V, dim, dim);
    gsl_permutation *perm = gsl_permutation_alloc(dim);
    int signum;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int st = perm == NULL ? -1 : gsl_linalg_LU_decomp(&Hm.matrix, perm, &signum);
    if (st == 0) {
        st = gsl_linalg_LU_invert(&Hm.matrix, perm, &Vm.matrix);
    }
    gsl_set_error_handler(old);
    gsl_permutation_free(perm);
    if (st != 0) {
        free(H);
        return;
    }
    /* J = d coef / d z: identity except the AR blocks. */
    memset(J, 0, dim * dim * sizeof *J);
    for (size_t i = 0; i < dim; i++) {
        J[i * dim + i] = 1.0;
    }
    size_t blocks[2][2] = {{0, (size_t)ws->o.p},
                           {(size_t)(ws->o.p + ws->o.q), (size_t)ws->o.P}};
    for (int b = 0; b < 2; b++) {
        size_t off = blocks[b][0], len = blocks[b][1];
        double xp[TLY_ARIMA_MAXCOEF], ap[TLY_ARIMA_MAXCOEF];
        double am[TLY_ARIMA_MAXCOEF];
        for (size_t j = 0; j < len; j++) {
            const double eps = 1e-6;
            memcpy(xp, x + off, len * sizeof *xp);
            xp[j] += eps;
            tly_ar_partrans(len, xp, ap);
            xp[j] -= 2 * eps;
            tly_ar_partrans(len, xp, am);
            for (size_t i = 0; i < len; i++) {
                J[(off + i) * dim + off + j] = (ap[i] - am[i]) / (2 * eps);
            }
        }
    }
    /* se_i^2 = (J V J')_ii. */
    int ok = 1;
    for (size_t i = 0; i < dim; i++) {
        double acc = 0.0;
        for (size_t a = 0; a < dim; a++) {
            if (J[i * dim + a] == 0.0) {
                continue;
            }
            for (size_t b = 0; b < dim; b++) {
                acc += J[i * dim + a] * V[a * dim + b] * J[i * dim + b];
            }
        }
        if (acc > 0.0 && isfinite(acc)) {
            fit->se[i] = sqrt(acc);
        } else {
            ok = 0;
        }
    }
    fit->se_ok = ok;
    free(H);
}

/* Optimiser settings for the exact likelihood.  The objective is the
 * log-likelihood per observation, so a relative change of 1e-9 is far
 * below 0.001 log-likelihood units for any series length used here.
 * Forward differences with step 1e-7 (the coordinates are of order 1)
 * give gradients accurate to ~1e-7; at the optimum an error g in the
 * gradient costs only O(g^2) in the objective.  A loose line search
 * (0.5) saves evaluations on the flat ridges seasonal models have. */
static const tly_opt_control OPT_ML = {
    0.1,   /* first step in the transformed coordinates */
    0.5,   /* line-search tolerance */
    1e-6,  /* gradient norm */
    1e-9,  /* relative change (twice in a row) */
    1e-7,  /* difference step */
    0,     /* forward differences */
    500    /* iterations */
};

/* The CSS stage only provides starting values: looser. */
static const tly_opt_control OPT_CSS = {
    0.1, 0.5, 1e-4, 1e-7, 1e-7, 0, 100
};

/* Starting values (see the opening comment).  A start whose block has
 * a root within START_MINROOT of the unit circle is damped to that
 * distance; partial autocorrelations of a start are clamped to
 * START_MAXPACF (atanh 2.65: tanh' = 0.02 there, still a usable
 * gradient).  SHRINK damps the second start; ML_STARTS counts them. */
#define START_MINROOT 1.01
#define START_MAXPACF 0.99
#define SHRINK 0.5
#define PULLBACK 0.9
#define ML_STARTS 13
/* Restarts of BFGS from a stalled end point (ml_from, fixed orders
 * only: they would double the time of arima:auto's searches): at most
 * ML_RESTARTS, while the gradient norm exceeds ML_RESTART_G (ten times
 * OPT_ML's gradient test; forward differences are accurate to ~1e-7). */
#define ML_RESTARTS 10
#define ML_RESTART_G 1e-5

/* The four coefficient blocks in R's order: offset, length, and sign of
 * the polynomial (-1 AR, +1 MA). */
static size_t arma_blocks(const tly_arima_order *o, size_t off[4],
                          size_t len[4], int sign[4])
{
    size_t p = (size_t)o->p, q = (size_t)o->q, P = (size_t)o->P;
    off[0] = 0;
    len[0] = p;
    sign[0] = -1;
    off[1] = p;
    len[1] = q;
    sign[1] = 1;
    off[2] = p + q;
    len[2] = P;
    sign[2] = -1;
    off[3] = p + q + P;
    len[3] = (size_t)o->Q;
    sign[3] = 1;
    return 4;
}

/* Optimiser coordinates x of a start from raw ARMA coefficients raw:
 * MA blocks inverted (R's maInvert on the CSS estimates), every block
 * damped (coefficient i times c^i) so that its roots lie at least
 * START_MINROOT from the origin and then by shrink^i, AR blocks mapped to
 * atanh of their partial autocorrelations, clamped at START_MAXPACF. */
static void start_point(const arima_ws *ws, const double *raw, double shrink,
                        double *x)
{
    size_t off[4], len[4];
    int sign[4];
    arma_blocks(&ws->o, off, len, sign);
    for (int b = 0; b < 4; b++) {
        double a[TLY_ARIMA_MAXCOEF];
        size_t l = len[b];
        if (l == 0) {
            continue;
        }
        memcpy(a, raw + off[b], l * sizeof *a);
        if (sign[b] > 0) {
            tly_ma_invert(a, l);
        }
        double rho = tly_poly_minroot(a, l, sign[b]);
        double c = shrink, ci = 1.0;
        if (!(rho > 0.0)) {
            c = 0.0; /* the root finder failed: start this block at 0 */
        } else if (rho < START_MINROOT) {
            c *= rho / START_MINROOT;
        }
        for (size_t i = 0; i < l; i++) {
            ci *= c;
            a[i] *= ci;
        }
        if (sign[b] < 0) {
            tly_ar_invpartrans(l, a, x + off[b]);
            double xmax = atanh(START_MAXPACF);
            for (size_t i = 0; i < l; i++) {
                double *xi = x + off[b] + i;
                *xi = *xi > xmax ? xmax : (*xi < -xmax ? -xmax : *xi);
            }
        } else {
            memcpy(x + off[b], a, l * sizeof *a);
        }
    }
}

/* Whether an ML optimum x lies near the boundary of the parameter space:
 * a partial autocorrelation beyond START_MAXPACF, or an MA root within 1%
 * of the unit circle (on either side). */
static int near_boundary(const arima_ws *ws, const double *x)
{
    size_t off[4], len[4];
    int sign[4];
    arma_blocks(&ws->o, off, len, sign);
    for (int b = 0; b < 4; b++) {
        if (len[b] == 0) {
            continue;
        }
        if (sign[b] < 0) {
            for (size_t i = 0; i < len[b]; i++) {
                if (!(fabs(tanh(x[off[b] + i])) <= START_MAXPACF)) {
                    return 1;
                }
            }
        } else {
            double a[TLY_ARIMA_MAXCOEF];
            memcpy(a, x + off[b], len[b] * sizeof *a);
            tly_ma_invert(a, len[b]);
            double rho = tly_poly_minroot(a, len[b], 1);
            if (!(rho >= 1.01)) {
                return 1;
            }
        }
    }
    return 0;
}

/* Least squares of w on the differenced regressors (R's lm(dx ~ dxreg -
 * 1)): beta0, and the CSS scale of beta, ten standard errors (R's
 * parscale).  Returns -1 when the regressors are collinear. */
static int css_init(arima_ws *ws)
{
    size_t n = ws->nw, k = ws->k, nobs = 0;
    if (k == 0) {
        return 0;
    }
    for (size_t s = 0; s <= k; s++) {
        memcpy(ws->innp[s], ws->serp[s], n * sizeof(double));
    }
    for (size_t t = 0; t < n; t++) {
        nobs += !isnan(ws->serp[0][t]);
    }
    double ssq;
    if (ls_profile(ws, &ssq) != 0) {
        return -1;
    }
    double s2 = nobs > k ? ssq / (double)(nobs - k) : 0.0;
    for (size_t j = 0; j < k; j++) {
        double se = sqrt(s2 * ws->bvar[j]);
        ws->beta0[j] = ws->beta[j];
        ws->bscale[j] = (se > 0.0 && isfinite(se))
                            ? 10.0 * se
                            : 1e-3 * (1.0 + fabs(ws->beta[j]));
    }
    return 0;
}

/* The CSS stage (R's method "CSS"): z[0..npar+k-1] from zero (raw ARMA
 * coefficients, scaled beta).  Returns the objective at the end and adds
 * the evaluations. */
static double css_stage(arima_ws *ws, double *z, size_t *evals)
{
    tly_opt_result res;
    size_t dim = ws->npar + ws->k;
    memset(z, 0, dim * sizeof *z);
    if (ws->npar == 0) {
        /* Without ARMA terms the CSS fit is the least-squares one. */
        (*evals)++;
        return css_objective(z, ws);
    }
    tly_minimize(css_objective, ws, z, dim, &OPT_CSS, &res);
    *evals += res.evaluations;

    return css_objective(z, ws);
}

/* Exact ML from one start x (overwritten with the end point), with at
 * most `restarts` restarts of a stalled climb (below).  Returns the
 * objective there (NaN when the start cannot be evaluated). */
static double ml_from(arima_ws *ws, double *x, int restarts, int *conv,
                      size_t *evals)
{
    tly_opt_result res;
    double f = objective(x, ws);
    (*evals)++;
    if (!isfinite(f)) {
        return NAN;
    }
    if (ws->npar == 0) {
        *conv = 1;
        return f;
    }
    tly_minimize(objective, ws, x, ws->npar, &OPT_ML, &res);
    *evals += res.evaluations;
    *conv = res.converged;
    f = res.fmin;
    /* BFGS also stops when the objective moved by less than a relative
     * 1e-9 in two iterations (R's reltol test).  On the long flat ridges
     * of near-cancelling AR and MA polynomials that happens with a
     * gradient far from zero: BFGS creeps along the ridge with an
     * outdated Hessian approximation.  While the gradient (forward
     * differences, npar evaluations) is above ML_RESTART_G and the last
     * climb gained something, climb again from the end point with a fresh
     * approximation (Seatbelts rear ARIMA(2,1,2): from the Hannan-Rissanen
     * start BFGS stalls at -1076.36 with a gradient of 8e-5; restarts
     * creep along the ridge until one climbs to -1064.95). */
    for (int i = 0; i < restarts; i++) {
        double g2 = 0.0, xi[TLY_ARIMA_MAXCOEF];
        memcpy(xi, x, ws->npar * sizeof *xi);
        for (size_t j = 0; j < ws->npar; j++) {
            xi[j] += OPT_ML.hstep;
            double gj = (objective(xi, ws) - f) / OPT_ML.hstep;
            xi[j] = x[j];
            g2 += gj * gj;
        }
        *evals += ws->npar;
        if (!(sqrt(g2) >= ML_RESTART_G)) {
            break;
        }
        tly_minimize(objective, ws, x, ws->npar, &OPT_ML, &res);
        *evals += res.evaluations;
        *conv = res.converged;
        if (!(res.fmin < f)) {
            break;
        }
        f = res.fmin;
    }
    return f;
}

/* The Hannan-Rissanen start (arima_hr.c) on w - X beta0 (the
 * differenced series minus its least-squares regression fit, css_init).
 * Returns 0 with raw coefficients in hr, or -1. */
static int hr_start(arima_ws *ws, double *hr)
{
    double *u = ws->cu;
    memcpy(u, ws->serp[0], ws->nw * sizeof *u);
    for (size_t j = 0; j < ws->k; j++) {
        const double *xj = ws->serp[j + 1];
        for (size_t t = 0; t < ws->nw; t++) {
            u[t] -= ws->beta0[j] * xj[t];
        }
    }
    return tly_arma_hr(u, ws->nw, &ws->o, hr);
}

/* Exact ML over the starts.  TLY_ARIMA_ALL_STARTS: the CSS start, the
 * CSS start damped by SHRINK, zero, the CSS start reflected, the
 * Hannan-Rissanen start, and for each block its first coefficient at
 * +SHRINK and at -SHRINK alone, each climb with up to ML_RESTARTS
 * restarts; the best end point wins.  TLY_ARIMA_QUICK (the searches of arima:auto): the
 * better of the CSS start and zero.  x receives the
 * best end point; returns its objective (NaN when no start works). */
static double ml_multistart(arima_ws *ws, const double *css, int have_css,
                            int starts, double *x, int *conv, size_t *evals)
{
    size_t npar = ws->npar;
    double st[ML_STARTS][TLY_ARIMA_MAXCOEF];
    int ns = 0, done[ML_STARTS] = {0};
    if (have_css) {
        start_point(ws, css, 1.0, st[ns++]);
        start_point(ws, css, SHRINK, st[ns++]);
    }
    memset(st[ns++], 0, sizeof st[0]);
    if (starts == TLY_ARIMA_ALL_STARTS) {
        /* More basins: the CSS estimates reflected (every coefficient
         * negated), and the first coefficient of one block at +-SHRINK
         * with the others zero, for each block. */
        double raw[TLY_ARIMA_MAXCOEF];
        size_t off[4], len[4];
        int sign[4];
        if (have_css) {
            for (size_t i = 0; i < npar; i++) {
                raw[i] = -css[i];
            }
            start_point(ws, raw, 1.0, st[ns++]);
        }
        if ((ws->o.q > 0 || ws->o.Q > 0) && hr_start(ws, raw) == 0) {
            /* Hannan-Rissanen: no iterative stage, a start independent of
             * where the CSS minimisation stops. */
            start_point(ws, raw, 1.0, st[ns++]);
        }
        arma_blocks(&ws->o, off, len, sign);
        for (int b = 0; b < 4; b++) {
            for (int sg = 0; sg < 2 && len[b] > 0; sg++) {
                memset(raw, 0, npar * sizeof *raw);
                raw[off[b]] = sg == 0 ? SHRINK : -SHRINK;
                start_point(ws, raw, 1.0, st[ns++]);
            }
        }
    }
    /* Drop duplicate starts (e.g. a CSS estimate of zero). */
    for (int a = 1; a < ns; a++) {
        for (int b = 0; b < a; b++) {
            if (!done[b] && memcmp(st[a], st[b], npar * sizeof(double)) == 0) {
                done[a] = 1;
            }
        }
    }
    double best = NAN;
    int first = 0, zero = have_css ? 2 : 0;
    if (starts != TLY_ARIMA_ALL_STARTS) {
        if (have_css && !done[zero]) {
            /* The better start of the CSS estimates and zero. */
            double fc = objective(st[0], ws), fz = objective(st[zero], ws);
            *evals += 2;
            first = (!isfinite(fc) || (isfinite(fz) && fz < fc)) ? zero : 0;
        }
        for (int i = 0; i < ns; i++) {
            done[i] = done[i] || i != first;
        }
    }
    for (int i = 0; i < ns; i++) {
        double y[TLY_ARIMA_MAXCOEF];
        int cv = 0;
        if (done[i]) {
            continue;
        }
        memcpy(y, st[i], npar * sizeof *y);
        double f = ml_from(ws, y,
                           starts == TLY_ARIMA_ALL_STARTS ? ML_RESTARTS : 0,
                           &cv, evals);
        if (isfinite(f) && !(f >= best)) {
            best = f;
            memcpy(x, y, npar * sizeof *y);
            *conv = cv;
        }
    }
    if (starts != TLY_ARIMA_ALL_STARTS && !isfinite(best) && ns > 1) {
        /* Neither start could be evaluated: try every start. */
        return ml_multistart(ws, css, have_css, TLY_ARIMA_ALL_STARTS, x,
                             conv, evals);
    }
    return best;
}

/* Coefficient names in R's order. */
static void fill_names(const tly_arima_data *dat, const tly_arima_order *ord,
                       tly_arima_fit *fit)
{
    size_t c = 0;
    static const char *pref[4] = {"ar", "ma", "sar", "sma"};
    int cnt[4] = {ord->p, ord->q, ord->P, ord->Q};
    for (int b = 0; b < 4; b++) {
        for (int i = 1; i <= cnt[b]; i++) {
            snprintf(fit->names[c++], sizeof fit->names[0], "%s%d", pref[b],
                     i);
        }
    }
    if (ord->intercept) {
        snprintf(fit->names[c++], sizeof fit->names[0], "intercept");
    }
    if (ord->drift) {
        snprintf(fit->names[c++], sizeof fit->names[0], "drift");
    }
    for (size_t j = 0; j < dat->kx; j++) {
        snprintf(fit->names[c++], sizeof fit->names[0], "%s",
                 dat->xnames[j]);
    }
}

/* Fit shell shared by the estimators: orders, counts, n*.  Returns
 * TALLY_OK or TALLY_ETOOFEW (with ws freed). */
static int fit_init(arima_ws *ws, const tly_arima_data *dat,
                    const tly_arima_order *ord, tly_arima_fit *fit)
{
    size_t nobs = 0;
    memset(fit, 0, sizeof *fit);
    fit->ord = *ord;
    int st = ws_init(ws, dat, ord);
    if (st != TALLY_OK) {
        return st;
    }
    for (size_t t = 0; t < dat->n; t++) {
        nobs += !isnan(dat->y[t]);
    }
    fit->npar = ws->npar;
    fit->ncoef = ws->npar + ws->k;
    fit->nstar = nobs > ws->nd ? nobs - ws->nd : 0;
    if (fit->nstar < fit->ncoef + 1) {
        ws_free(ws);
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "ARIMA: %zu usable values (after %zu differences) "
                           "for %zu coefficients", fit->nstar, ws->nd,
                           fit->ncoef);
    }
    if (css_init(ws) != 0) {
        ws_free(ws);
        return TALLY_ERROR(TALLY_ESINGULAR,
                           "ARIMA: the regressors are collinear after "
                           "differencing");
    }
    return TALLY_OK;
}

/* The fit at the ML end point x: MA blocks inverted, coefficients,
 * likelihood, criteria, roots, names and (with want_se) standard errors.
 * Frees ws. */
static int finish_fit(arima_ws *ws, const tly_arima_data *dat,
                      const tly_arima_order *ord, double *x, int conv,
                      size_t evals, int want_se, tly_arima_fit *fit)
{
    double coef[TLY_ARIMA_MAXCOEF];
    size_t npar = ws->npar, k = ws->k, ncoef = npar + k;
    /* Invert non-invertible MA blocks (same exact likelihood). */
    set_arma(ws, x, coef);
    if (ord->q > 0) {
        tly_ma_invert(x + ord->p, (size_t)ord->q);
    }
    if (ord->Q > 0) {
        tly_ma_invert(x + ord->p + ord->q + ord->P, (size_t)ord->Q);
    }
    double fmin = objective(x, ws);
    evals++;
    if (!isfinite(fmin)) {
        ws_free(ws);
        return TALLY_ERROR(TALLY_ENOCONV,
                           "ARIMA: no valid likelihood at the optimum");
    }
    set_arma(ws, x, coef);
    for (size_t j = 0; j < k; j++) {
        coef[npar + j] = ws->beta[j];
    }
    memcpy(fit->coef, coef, ncoef * sizeof *coef);
    double nu = (double)ws->nu;
    fit->nu = ws->nu;
    fit->loglik = -0.5 * (nu * log(2 * M_PI * ws->ssq / nu) + ws->sumlog + nu);
    double kk = (double)ncoef, ns = (double)fit->nstar;
    fit->sigma2 = ws->ssq / (ns - kk);
    fit->aic = -2 * fit->loglik + 2 * (kk + 1);
    fit->aicc = (ns - kk - 2 > 0)
                    ? fit->aic + 2 * (kk + 1) * (kk + 2) / (ns - kk - 2)
                    : INFINITY;
    fit->bic = fit->aic + (kk + 1) * (log(ns) - 2);
    fit->converged = conv;
    fit->boundary = npar > 0 && near_boundary(ws, x);
    double mr = tly_poly_minroot(ws->phi, ws->np, -1);
    double mq = tly_poly_minroot(ws->theta, ws->nq, 1);
    fit->minroot = (isnan(mr) || isnan(mq)) ? NAN : (mr < mq ? mr : mq);

    fill_names(dat, ord, fit);
    if (want_se) {
        standard_errors(ws, x, fit);
    } else {
        for (size_t i = 0; i < ncoef; i++) {
            fit->se[i] = NAN;
        }
    }
    fit->evals = evals;
    ws_free(ws);
    return TALLY_OK;
}

int tly_arima_estimate(const tly_arima_data *dat, const tly_arima_order *ord,
                       int want_se, tly_arima_fit *fit)
{
    return tly_arima_estimate_starts(dat, ord, want_se, TLY_ARIMA_ALL_STARTS,
                                     fit);
}

int tly_arima_estimate_starts(const tly_arima_data *dat,
                              const tly_arima_order *ord, int want_se,
                              int starts, tly_arima_fit *fit)
{
    arima_ws ws;
    double x[TLY_ARIMA_MAXCOEF], z[TLY_ARIMA_MAXCOEF];
    int st = fit_init(&ws, dat, ord, fit);
    if (st != TALLY_OK) {
        return st;
    }
    size_t npar = ws.npar, k = ws.k, ncoef = npar + k;

    /* Stage 1: conditional sum of squares (R's CSS-ML start). */
    int conv = 1, have_css = 0;
    size_t evals = 0;
    memset(x, 0, sizeof x);
    if (npar > 0 && ws.nw > ws.np + ncoef) {
        have_css = isfinite(css_stage(&ws, z, &evals));
    }
    /* Stage 2: exact ML from the starts. */
    double fbest = npar > 0
                       ? ml_multistart(&ws, z, have_css, starts, x, &conv,
                                       &evals)
                       : ml_from(&ws, x, 0, &conv, &evals);
    if (!isfinite(fbest)) {
        ws_free(&ws);
        if (k > 0) {
            return TALLY_ERROR(TALLY_ESINGULAR,
                               "ARIMA: the likelihood cannot be evaluated: "
                               "the regressors are collinear after "
                               "differencing");
        }
        return TALLY_ERROR(TALLY_ENOCONV,
                           "ARIMA: the likelihood cannot be evaluated on "
                           "these data");
    }
    return finish_fit(&ws, dat, ord, x, conv, evals, want_se, fit);
}

int tly_arima_pullback(const tly_arima_data *dat, tly_arima_fit *fit)
{
    arima_ws ws;
    tly_arima_fit out;
    double x[TLY_ARIMA_MAXCOEF];
    int conv = 1;
    size_t evals = 0;
    int st = fit_init(&ws, dat, &fit->ord, &out);
    if (st != TALLY_OK) {
        return st;
    }
    start_point(&ws, fit->coef, PULLBACK, x);
    if (!isfinite(ml_from(&ws, x, 0, &conv, &evals))) {
        ws_free(&ws);
        fit->evals += evals;
        return TALLY_OK;
    }
    st = finish_fit(&ws, dat, &fit->ord, x, conv, evals, 0, &out);
    if (st != TALLY_OK) {
        return st;
    }
    out.evals += fit->evals;
    if (out.loglik > fit->loglik) {
        *fit = out;
    } else {
        fit->evals = out.evals;
    }
    return TALLY_OK;
}

/* Numerical Hessian of the CSS objective at z (R's optimHess with
 * ndeps 1e-3 in the scaled coordinates); 1 when its inverse has a
 * positive diagonal (forecast's checkarima on var.coef). */
static int css_hessian_ok(arima_ws *ws, const double *z)
{
    size_t dim = ws->npar + ws->k;
    double h[TLY_ARIMA_MAXCOEF];
    if (dim == 0) {
        return 1;
    }
    double *H = malloc(2 * dim * dim * sizeof *H);
    if (H == NULL) {
        return 0;
    }
    double *V = H + dim * dim;
    for (size_t i = 0; i < dim; i++) {
        h[i] = 1e-3;
    }
    int ok = num_hessian(css_objective, ws, z, dim, h, H) == 0;
    if (ok) {
        gsl_matrix_view Hm = gsl_matrix_view_array(H, dim, dim);
        gsl_matrix_view Vm = gsl_matrix_view_array(V, dim, dim);
        gsl_permutation *perm = gsl_permutation_alloc(dim);
        int signum;
        gsl_error_handler_t *old = gsl_set_error_handler_off();
        int st = perm == NULL ? -1
                              : gsl_linalg_LU_decomp(&Hm.matrix, perm,
                                                     &signum);
        if (st == 0) {
            st = gsl_linalg_LU_invert(&Hm.matrix, perm, &Vm.matrix);
        }
        gsl_set_error_handler(old);
        gsl_permutation_free(perm);
        ok = st == 0;
        for (size_t i = 0; ok && i < dim; i++) {
            ok = V[i * dim + i] > 0.0 && isfinite(V[i * dim + i]);
        }
    }
    free(H);
    return ok;
}

int tly_arima_css(const tly_arima_data *dat, const tly_arima_order *ord,
                  int want_check, tly_arima_fit *fit)
{
    arima_ws ws;
    double z[TLY_ARIMA_MAXCOEF];
    int st = fit_init(&ws, dat, ord, fit);
    if (st != TALLY_OK) {
        return st;
    }
    size_t npar = ws.npar, k = ws.k, ncoef = npar + k;
    size_t evals = 0;
    if (ws.nw <= ws.np + ncoef) {
        ws_free(&ws);
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "ARIMA: too few values for the conditional sum "
                           "of squares");
    }
    double f = css_stage(&ws, z, &evals);
    if (!isfinite(f)) {
        ws_free(&ws);
        return TALLY_ERROR(TALLY_ENOCONV,
                           "ARIMA: no valid conditional sum of squares");
    }
    memcpy(fit->coef, z, npar * sizeof *z);
    for (size_t j = 0; j < k; j++) {
        fit->coef[npar + j] = ws.beta0[j] + z[npar + j] * ws.bscale[j];
    }
    double ssq = ws.ssq, nu = (double)ws.nu;
    double kk = (double)ncoef, ns = (double)fit->nstar;
    fit->nu = ws.nu;
    fit->loglik = NAN;
    fit->sigma2 = ssq / nu;
    fit->aic = ns * log(fit->sigma2) + 2 * (kk + 1);
    fit->aicc = (ns - kk - 2 > 0)
                    ? fit->aic + 2 * (kk + 1) * (kk + 2) / (ns - kk - 2)
                    : INFINITY;
    fit->bic = fit->aic + (kk + 1) * (log(ns) - 2);
    fit->converged = 1;
    set_raw(&ws, z);
    double mr = tly_poly_minroot(ws.phi, ws.np, -1);
    double mq = tly_poly_minroot(ws.theta, ws.nq, 1);
    fit->minroot = (isnan(mr) || isnan(mq)) ? NAN : (mr < mq ? mr : mq);
    fill_names(dat, ord, fit);
    for (size_t i = 0; i < ncoef; i++) {
        fit->se[i] = NAN;
    }
    fit->se_ok = want_check ? css_hessian_ok(&ws, z) : 0;
    fit->evals = evals;
    ws_free(&ws);
    return TALLY_OK;
}

int tly_arima_se(const tly_arima_data *dat, tly_arima_fit *fit)
{
    arima_ws ws;
    double x[TLY_ARIMA_MAXCOEF];
    const tly_arima_order *o = &fit->ord;
    size_t p = (size_t)o->p, q = (size_t)o->q, P = (size_t)o->P;
    size_t Q = (size_t)o->Q;
    int st = ws_init(&ws, dat, o);
    if (st != TALLY_OK) {
        return st;
    }
    /* The optimiser's coordinates of the estimate. */
    tly_ar_invpartrans(p, fit->coef, x);
    memcpy(x + p, fit->coef + p, q * sizeof *x);
    tly_ar_invpartrans(P, fit->coef + p + q, x + p + q);
    memcpy(x + p + q + P, fit->coef + p + q + P, Q * sizeof *x);
    if (!isfinite(objective(x, &ws))) {
        ws_free(&ws);
        fit->se_ok = 0;
        return TALLY_OK;
    }
    standard_errors(&ws, x, fit);
    ws_free(&ws);
    return TALLY_OK;
}

int tly_arima_predict(const tly_arima_data *dat, const tly_arima_fit *fit,
                      tally_fc_result *out)
{
    const tly_arima_order *o = &fit->ord;
    double phi[MAXEXP], theta[MAXEXP], delta[MAXEXP];
    size_t n = dat->n, h = out->h;
    size_t p = (size_t)o->p, q = (size_t)o->q, P = (size_t)o->P;
    size_t np = tly_arma_expand(fit->coef, o->p, fit->coef + p + q, o->P,
                                o->m, -1, phi);
    size_t nq = tly_arma_expand(fit->coef + p, o->q, fit->coef + p + q + P,
                                o->Q, o->m, 1, theta);
    size_t nd = diff_poly(o->d, o->D, o->m, delta);
    size_t r = np > nq + 1 ? np : nq + 1;
    size_t k = fit->ncoef - fit->npar;
    const double *beta = fit->coef + fit->npar;

    double *u = malloc((2 * n + 2 * h) * sizeof *u);
    double *work = malloc(tly_forecast_work(r, nd, np, nq) * sizeof *work);
    if (u == NULL || work == NULL) {
        free(u);
        free(work);
        return TALLY_ERROR(TALLY_ENOMEM, "ARIMA: out of memory");
    }
    double *fitted = u + n, *mean = fitted + n, *var = mean + h;
    /* u = y - X beta: the ARIMA error series. */
    double mu = 0.0, m2 = 0.0;
    size_t cnt = 0;
    for (size_t t = 0; t < n; t++) {
        double xb = 0.0;
        for (size_t j = 0; j < k; j++) {
            xb += beta[j] * regressor(dat, o, j, t);
        }
        u[t] = dat->y[t] - xb;
        if (!isnan(u[t])) {
            cnt++;
            double dd = u[t] - mu;
            mu += dd / (double)cnt;
            m2 += dd * (u[t] - mu);
        }
    }
    double vu = cnt > 1 ? m2 / (double)(cnt - 1) : 1.0;
    double kappa = 1e6 * (vu > 1.0 ? vu : 1.0);
    if (tly_arima_forecast(phi, np, theta, nq, delta, nd, u, n, h, kappa,
                           fitted, mean, var, work) != 0) {
        free(u);
        free(work);
        return TALLY_ERROR(TALLY_ENOCONV,
                           "ARIMA: the fitted model cannot forecast (not "
                           "stationary)");
    }
    for (size_t t = 0; t < n; t++) {
        double xb = 0.0;
        for (size_t j = 0; j < k; j++) {
            xb += beta[j] * regressor(dat, o, j, t);
        }
        out->fitted[t] = fitted[t] + xb;
    }
    for (size_t i = 0; i < h; i++) {
        double xb = 0.0;
        for (size_t j = 0; j < k; j++) {
            xb += beta[j] * regressor(dat, o, j, n + i);
        }
        double m = mean[i] + xb;
        double se = sqrt(var[i] * fit->sigma2);
        out->mean[i] = m;
        for (size_t l = 0; l < out->nlevels; l++) {
            double z = tly_fc_z(out->levels[l]);
            out->lower[l * h + i] = m - z * se;
            out->upper[l * h + i] = m + z * se;
        }
    }
    free(u);
    free(work);
    return TALLY_OK;
}

void tly_arima_name(const tly_arima_fit *fit, size_t kx, char *buf,
                    size_t size)
{
    const tly_arima_order *o = &fit->ord;
    char core[64];
    int len = snprintf(core, sizeof core, "ARIMA(%d,%d,%d)", o->p, o->d,
                       o->q);
    if (o->m > 1 && o->P + o->D + o->Q > 0 && len > 0
        && (size_t)len < sizeof core) {
        snprintf(core + len, sizeof core - (size_t)len, "(%d,%d,%d)[%d]",
                 o->P, o->D, o->Q, o->m);
    }
    if (kx > 0) {
        snprintf(buf, size, "Regression with %s errors", core);
    } else if (o->drift) {
        snprintf(buf, size, "%s with drift", core);
    } else if (o->intercept) {
        snprintf(buf, size, "%s with non-zero mean", core);
    } else if (o->d == 0 && o->D == 0) {
        snprintf(buf, size, "%s with zero mean", core);
    } else {
        snprintf(buf, size, "%s", core);
    }
}

/* Copy an estimated model into the result. */
static void fill_result(const tly_arima_fit *fit, size_t kx,
                        tally_fc_result *out)
{
    tly_arima_name(fit, kx, out->model, sizeof out->model);
    out->spec.family = TALLY_FC_ARIMA;
    /* The spec actually fitted: after arima:auto, the chosen orders. */
    out->spec.automatic = 0;
    out->spec.no_constant = fit->ord.d + fit->ord.D == 0
                            && !fit->ord.intercept;
    out->spec.order[0] = fit->ord.p;
    out->spec.order[1] = fit->ord.d;
    out->spec.order[2] = fit->ord.q;
    out->spec.seasonal[0] = fit->ord.P;
    out->spec.seasonal[1] = fit->ord.D;
    out->spec.seasonal[2] = fit->ord.Q;
    out->spec.drift = fit->ord.drift;
    out->ncoef = fit->ncoef;
    for (size_t i = 0; i < fit->ncoef; i++) {
        snprintf(out->coef[i].term, sizeof out->coef[i].term, "%s",
                 fit->names[i]);
        out->coef[i].estimate = fit->coef[i];
        out->coef[i].std_error = fit->se[i];
    }
    out->sigma2 = fit->sigma2;
    out->loglik = fit->loglik;
    out->aic = fit->aic;
    out->aicc = fit->aicc;
    out->bic = fit->bic;
    out->converged = fit->converged;
}

int tly_arima_run_x(const tally_fc_spec *spec, const double *y, size_t n,
                    tally_freq freq, const tally_fc_xreg *xreg,
                    tally_fc_result *out)
{
    tly_arima_data dat;
    tly_arima_fit fit;
    int m = tly_fc_period(freq);
    int st;

    memset(&dat, 0, sizeof dat);
    dat.y = y;
    dat.n = n;
    dat.h = out->h;
    if (xreg != NULL) {
        dat.kx = xreg->k;
        dat.xnames = xreg->names;
        dat.xcols = xreg->cols;
    }
    if (spec->automatic) {
        char note[sizeof out->note];
        note[0] = '\0';
        st = tly_arima_auto(&dat, m, &fit, note, sizeof note);
        if (st != TALLY_OK) {
            return st;
        }
        if (note[0]) {
            tly_fc_note(out, "%s", note);
        }
    } else {
        tly_arima_order o;
        memset(&o, 0, sizeof o);
        o.p = spec->order[0];
        o.d = spec->order[1];
        o.q = spec->order[2];
        o.P = spec->seasonal[0];
        o.D = spec->seasonal[1];
        o.Q = spec->seasonal[2];
        o.m = m;
        if (m == 1 && o.P + o.D + o.Q > 0) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "ARIMA: seasonal orders need monthly or "
                               "quarterly data (these are annual)");
        }
        if (o.P + o.D + o.Q > 0 && n < 2 * (size_t)m) {
            return TALLY_ERROR(TALLY_ETOOFEW,
                               "ARIMA: a seasonal model needs at least two "
                               "full seasons (%d values); the series has "
                               "%zu (use a non-seasonal order such as "
                               "arima:%d,%d,%d, or arima:auto)", 2 * m, n,
                               o.p, o.d, o.q);
        }
        if (o.P + o.D + o.Q == 0) {
            o.m = m; /* kept for the name; no seasonal polynomial */
        }
        o.intercept = (o.d + o.D == 0) && !spec->no_constant;
        o.drift = spec->drift;
        if (o.drift && o.d + o.D > 1) {
            tly_fc_warn(out, "no drift term fitted: the model has %d "
                        "differences (forecast::Arima drops it too)",
                        o.d + o.D);
            o.drift = 0;
        }
        st = tly_arima_estimate(&dat, &o, 1, &fit);
        if (st != TALLY_OK) {
            return st;
        }
        if (!fit.converged) {
            tly_fc_warn(out, "the optimiser stopped before its convergence "
                        "test was met; estimates may be imprecise");
        }
        if (!fit.se_ok) {
            tly_fc_warn(out, "the Hessian of the log-likelihood is not "
                        "positive definite at the estimate: some standard "
                        "errors are undefined (null)");
        }
    }
    fill_result(&fit, dat.kx, out);
    return tly_arima_predict(&dat, &fit, out);
}

int tly_arima_run(const tally_fc_spec *spec, const double *y, size_t n,
                  tally_freq freq, tally_fc_result *out)
{
    return tly_arima_run_x(spec, y, n, freq, NULL, out);
}
