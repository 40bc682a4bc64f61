/* SPDX-License-Identifier: MIT
 *
 * Internals of ARIMA estimation shared by arima.c (fixed orders),
 * arima_auto.c (automatic order selection), kalman.c (the ARMA state
 * space: autocovariances, stationary initial covariance, Kalman filter,
 * conditional sum of squares, forecasting), kpss.c (unit-root test) and
 * arima_stl.c (STL decomposition for the seasonal-strength heuristic).
 *
 * Conventions (R's stats::arima): the AR polynomial is
 * phi(B) = 1 - phi_1 B - ... - phi_np B^np and the MA polynomial
 * theta(B) = 1 + theta_1 B + ... + theta_nq B^nq, seasonal factors
 * multiplied out (np = p + m P, nq = q + m Q).  Arrays phi[] and theta[]
 * hold phi_1.. and theta_1.. at index 0...  The state space form is
 * Gardner et al. (1980), as R's makeARIMA: state dimension
 * r = max(np, nq + 1), T the companion matrix with phi in its first column,
 * R = (1, theta_1, ..., theta_{r-1})', w_t = first state element.
 */
#ifndef TALLY_ARIMA_INT_H
#define TALLY_ARIMA_INT_H

#include <stddef.h>

#include "forecast/forecast_int.h"

/* Multiply out (1 - sum a_i B^i)(1 - sum s_j B^{m j}) into phi[0..p+mP-1]
 * (phi_k = minus the coefficient of B^k), and likewise
 * (1 + sum a_i B^i)(1 + sum s_j B^{mj}) into theta with sign = +1.
 * Returns the expanded order p + m P. */
size_t tly_arma_expand(const double *a, int p, const double *s, int P, int m,
                       int sign, double *out);

/* Workspace (in doubles) that tly_arma_acov and tly_arma_p0 need for
 * expanded orders np, nq and state dimension r. */
size_t tly_arma_acov_work(size_t np, size_t nq, size_t r);

/* Autocovariances gamma[0..nlag] (unit innovation variance) and the MA(inf)
 * weights psi[0..nlag] of the ARMA process, by solving the np + 1 linear
 * equations of the first autocovariances (Brockwell & Davis 1991, 3.3.8)
 * and recursing beyond.  Returns 0, or -1 when the AR part is not
 * stationary (singular system or negative variance). */
int tly_arma_acov(const double *phi, size_t np, const double *theta,
                  size_t nq, size_t nlag, double *gamma, double *psi,
                  double *work);

/* The stationary covariance P0 (r x r, row-major, unit innovation
 * variance) of the state vector: P0 = T P0 T' + R R'.  Instead of solving
 * the r^2 Lyapunov equations (or Gardner's O(r^4) method that R uses), the
 * first column comes from the autocovariances and psi weights, and the
 * rest from the recursion
 *   P[i+1][j+1] = P[i][j] - phi_{i+1} phi_{j+1} gamma_0
 *                 - phi_{j+1} P[i+1][0] - phi_{i+1} P[j+1][0]
 *                 - theta_i theta_j,
 * which is the Lyapunov equation read along diagonals: O(np^3 + r^2).
 * Returns 0 or -1 (not stationary). */
int tly_arma_p0(const double *phi, size_t np, const double *theta,
                size_t nq, size_t r, double *P0, double *work);

/* Workspace (in doubles) of tly_kalman_arma for state dimension r, ns
 * series, and expanded orders. */
size_t tly_kalman_work(size_t r, size_t ns, size_t np, size_t nq);

/* Exact Gaussian likelihood pieces of ns series sharing one ARMA model
 * (the differenced observations and the differenced regressors), by the
 * Kalman filter started from the stationary distribution.  y[s][t] for
 * s < ns, t < n; a missing y[0][t] (NaN) skips the update at t.  The
 * filter's gains depend only on the model, so the regressors ride along
 * at O(r) cost each: that is what lets arima.c concentrate the regression
 * coefficients out by generalised least squares.
 *
 * Outputs: v[s][t] the standardized innovations (v_t / sqrt(F_t); NaN at
 * missing t), *sumlog = sum log F_t, *nu = number of innovations.  When
 * a_end (ns x r) and P_end (r x r) are given they receive the filtered
 * state at the last t and its covariance.  Once the filtered covariance
 * has vanished (below tol, as for pure AR models after np steps) the
 * remaining steps take the steady-state shortcut F_t = 1, gain = R.
 * Without missing values (and without a_end/P_end) the Chandrasekhar
 * recursions give the same numbers in O(r) per step instead of O(r^2).
 * Returns 0, or -1 when the model is not stationary or F_t <= 0. */
int tly_kalman_arma(const double *phi, size_t np, const double *theta,
                    size_t nq, const double *const *y, size_t ns, size_t n,
                    double *const *v, double *sumlog, size_t *nu,
                    double *a_end, double *P_end, double *work);
/* The same, always by the covariance (Riccati) recursions: the slow,
 * obviously correct reference for the Chandrasekhar path. */
int tly_kalman_arma_full(const double *phi, size_t np, const double *theta,
                         size_t nq, const double *const *y, size_t ns,
                         size_t n, double *const *v, double *sumlog,
                         size_t *nu, double *a_end, double *P_end,
                         double *work);

/* Conditional sum of squares residuals (R's ARIMA_CSS): for each series s
 * and t >= ncond, e[s][t] = y[s][t] - sum phi_j y[s][t-j]
 * - sum theta_j e[s][t-j], with e = 0 before ncond; e[s][t] = NaN for
 * t < ncond or where y is missing (treated as 0 further on). */
void tly_arma_css(const double *phi, size_t np, const double *theta,
                  size_t nq, const double *const *y, size_t ns, size_t n,
                  size_t ncond, double *const *e);

/* Workspace of tly_arima_forecast. */
size_t tly_forecast_work(size_t r, size_t nd, size_t np, size_t nq);

/* Filter the undifferenced series u[0..n-1] (NaN = missing) through the
 * full ARIMA state space (ARMA state plus nd lags of u, as R's
 * makeARIMA), starting at t = nd with the lags equal to u[0..nd-1] (a
 * missing one gets a diffuse variance kappa), and forecast h steps.
 * delta[0..nd-1]: (1-B)^d (1-B^m)^D = 1 - sum delta_j B^j.  Outputs
 * (unit innovation variance): fitted[t] = one-step prediction of u_t
 * (NaN for t < nd), mean[i] and var[i] the forecasts and their error
 * variances for i < h.  Returns 0 or -1. */
int tly_arima_forecast(const double *phi, size_t np, const double *theta,
                       size_t nq, const double *delta, size_t nd,
                       const double *u, size_t n, size_t h, double kappa,
                       double *fitted, double *mean, double *var,
                       double *work);

/* R's partrans: map unconstrained x[0..p-1] to the coefficients of a
 * stationary AR(p) (tanh gives partial autocorrelations in (-1, 1),
 * Durbin-Levinson turns them into AR coefficients), and the inverse. */
void tly_ar_partrans(size_t p, const double *x, double *ar);
void tly_ar_invpartrans(size_t p, const double *ar, double *x);

/* Smallest modulus of the roots of 1 - sum c_i B^i (sign -1, AR) or
 * 1 + sum c_i B^i (sign +1, MA), trailing zeros ignored; 2 (R's default
 * "no root") when the polynomial is constant, NaN if the solver fails. */
double tly_poly_minroot(const double *c, size_t n, int sign);

/* Replace the roots of 1 + sum ma_i B^i inside the unit circle by their
 * reciprocals (R's maInvert): the same autocorrelations, invertible. */
void tly_ma_invert(double *ma, size_t q);

/* KPSS level-stationarity statistic (urca::ur.kpss(type = "mu",
 * use.lag = lag)) of x[0..n-1] (no missing values). */
double tly_kpss_stat(const double *x, size_t n, size_t lag);

/* forecast::ndiffs(x, test = "kpss", alpha = 0.05, max.d): the number of
 * first differences by repeated KPSS tests at 5% (critical value 0.463,
 * use.lag = trunc(3 sqrt(n)/13)).  Missing values are skipped. */
int tly_ndiffs(const double *x, size_t n, int max_d);

/* forecast::nsdiffs(x, test = "seas"): 1 when the seasonal strength of
 * forecast:::seas.heuristic (from an STL decomposition, mstl with
 * s.window = 11) exceeds 0.64, else 0 (max.D = 1).  Missing values are
 * linearly interpolated first. */
int tly_nsdiffs(const double *x, size_t n, int m, double *strength);

/* STL (Cleveland et al. 1990; R's stats::stl with its default windows
 * for s.window = sw, robust = FALSE): seasonal and trend components of
 * x[0..n-1] with period m.  Returns 0, or -1 when out of memory or when
 * n < 2m. */
int tly_stl(const double *x, size_t n, int m, int swindow, double *seasonal,
            double *trend);

/* Largest number of ARMA plus regression coefficients of one model. */
#define TLY_ARIMA_MAXCOEF 64

/* Orders and deterministic terms of one ARIMA model. */
typedef struct {
    int p, d, q;      /* non-seasonal AR, differences, MA */
    int P, D, Q;      /* seasonal AR, differences, MA */
    int m;            /* seasonal period (1: none) */
    int intercept;    /* mean of the process (needs d + D == 0) */
    int drift;        /* coefficient of time 1..n (needs d + D <= 1) */
} tly_arima_order;

/* The data of a fit: y[0..n-1] (NaN = missing, none at the ends), and kx
 * exogenous regressors whose columns hold n + h values (the h future ones
 * are used by the forecast). */
typedef struct {
    const double *y;
    size_t n;
    size_t h;
    size_t kx;
    const char *const *xnames;
    const double *const *xcols;
} tly_arima_data;

/* An estimated model. */
typedef struct {
    tly_arima_order ord;
    size_t npar;      /* ARMA coefficients p + q + P + Q */
    size_t ncoef;     /* npar + regression coefficients */
    char names[TLY_ARIMA_MAXCOEF][32];
    double coef[TLY_ARIMA_MAXCOEF];   /* ar, ma, sar, sma, regressors */
    double se[TLY_ARIMA_MAXCOEF];     /* NaN when not computed/defined */
    double sigma2;    /* sum of squared std. innovations / (nstar - ncoef) */
    double loglik;    /* exact Gaussian log-likelihood (differenced) */
    double aic, aicc, bic;
    size_t nstar;     /* observed values minus d + m D */
    size_t nu;        /* innovations in the likelihood */
    int converged;    /* optimiser's stopping test met */
    int se_ok;        /* every variance positive (R's checkarima passes) */
    double minroot;   /* smallest modulus of the AR and MA roots (2: none) */
    int boundary;     /* ML optimum near the boundary (a partial
                         autocorrelation beyond 0.99 or an MA root within
                         1% of the unit circle) */
    size_t evals;     /* likelihood evaluations used */
} tly_arima_fit;

/* Hannan-Rissanen estimates (arima_hr.c) of the ARMA coefficients of
 * model o (ar, ma, sar, sma in R's order; seasonal lags additive) for the
 * zero-mean series w[0..n-1] (the differenced series minus its regression
 * fit, no missing values): a long Yule-Walker autoregression, order by
 * AIC, then least squares of w_t on its lags and the lagged residuals.
 * Returns 0, or -1 when the series is too short, has missing values, or
 * the regression is singular. */
int tly_arma_hr(const double *w, size_t n, const tly_arima_order *o,
                double *coef);

/* Estimate one model by exact maximum likelihood from CSS starting values
 * (R's method "CSS-ML") and further starts (arima.c: the damped CSS
 * estimates and zero, the best likelihood kept); with want_se, standard
 * errors from the numerical Hessian.  Returns TALLY_OK, TALLY_ETOOFEW,
 * TALLY_ESINGULAR (regressors), TALLY_ENOCONV (no valid likelihood) or
 * TALLY_ENOMEM, with a message. */
int tly_arima_estimate(const tly_arima_data *dat, const tly_arima_order *ord,
                       int want_se, tly_arima_fit *fit);

/* Which ML starts tly_arima_estimate_starts runs. */
enum {
    TLY_ARIMA_ALL_STARTS = 0, /* every start (tly_arima_estimate) */
    TLY_ARIMA_QUICK = 1       /* the better of the CSS start and zero */
};

/* tly_arima_estimate with a choice of starts (TLY_ARIMA_ALL_STARTS or
 * TLY_ARIMA_QUICK). */
int tly_arima_estimate_starts(const tly_arima_data *dat,
                              const tly_arima_order *ord, int want_se,
                              int starts, tly_arima_fit *fit);

/* One more ML climb for an estimated model (fit, without standard
 * errors), from its coefficients pulled back from the boundary (every
 * block's coefficient i times 0.9^i, partial autocorrelations within
 * 0.99): fit is replaced when the likelihood there is higher.  Returns
 * TALLY_OK or an error of tly_arima_estimate (fit unchanged). */
int tly_arima_pullback(const tly_arima_data *dat, tly_arima_fit *fit);

/* R's method "CSS" (arima(..., method = "CSS")), for the approximate
 * search of auto.arima: the conditional-sum-of-squares estimates (raw
 * coefficients, beta free), fit->sigma2 = ssq/nu (R's CSS sigma2),
 * fit->loglik NaN, and the approximate criteria of forecast's myarima
 * without its offset (a constant for given d and D, which does not change
 * the ranking): aic = n* log(sigma2) + 2 (k + 1), aicc and bic from it as
 * for ML.  fit->minroot from the estimates; with want_check, fit->se_ok
 * says whether the inverse Hessian of the CSS objective has a positive
 * diagonal (forecast's checkarima).  Returns as tly_arima_estimate. */
int tly_arima_css(const tly_arima_data *dat, const tly_arima_order *ord,
                  int want_check, tly_arima_fit *fit);

/* Standard errors of an estimated model (fills fit->se, fit->se_ok). */
int tly_arima_se(const tly_arima_data *dat, tly_arima_fit *fit);

/* Forecasts, intervals and fitted values of an estimated model into out
 * (arrays allocated by the dispatcher for out->h, out->nlevels). */
int tly_arima_predict(const tly_arima_data *dat, const tly_arima_fit *fit,
                      tally_fc_result *out);

/* The model's name as forecast's arima.string prints it, e.g.
 * "ARIMA(0,1,1)(0,1,1)[12]", "ARIMA(1,1,0) with drift". */
void tly_arima_name(const tly_arima_fit *fit, size_t kx, char *buf,
                    size_t size);

/* forecast::auto.arima (see arima_auto.c); fills fit with the chosen
 * model and note with what was tried. */
int tly_arima_auto(const tly_arima_data *dat, int m, tly_arima_fit *fit,
                   char *note, size_t note_size);

#endif /* TALLY_ARIMA_INT_H */
