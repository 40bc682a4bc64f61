/* SPDX-License-Identifier: MIT
 *
 * Internals of the exponential-smoothing (ETS) family: the innovations
 * state-space models of Hyndman, Koehler, Ord and Snyder (2008), as R's
 * forecast::ets (version 8.20) fits them.  Shared by ets.c (model choice
 * and results), ets_lik.c (the likelihood recursion and parameter
 * checks), ets_init.c (initial states), ets_opt.c (optimisation) and
 * ets_fc.c (forecasts and their intervals).
 *
 * State vector, in forecast's order: x = (l, b, s0, s1, ..., s_{m-1}),
 * b only with a trend and the s only with a season; s0 is the most recent
 * seasonal state and s_{m-1} the oldest, the one the next observation
 * uses.  Of the m seasonal states only m - 1 are free: the last is fixed
 * so that they sum to 0 (additive season) or m (multiplicative).
 */
#ifndef TALLY_ETS_INT_H
#define TALLY_ETS_INT_H

#include <stddef.h>
#include <stdint.h>

/* Component types, numbered as forecast's C code numbers them. */
enum { TLY_ETS_N = 0, TLY_ETS_A = 1, TLY_ETS_M = 2 };

/* Longest seasonal period forecast::ets accepts. */
#define TLY_ETS_MAXM 24
/* Largest state vector: l, b and 24 seasonal states. */
#define TLY_ETS_MAXSTATE (2 + TLY_ETS_MAXM)
/* Largest parameter vector: alpha, beta, gamma, phi and the free states. */
#define TLY_ETS_MAXPAR (4 + 2 + TLY_ETS_MAXM - 1)

/* forecast::ets's default bounds ("both": usual and admissible). */
#define TLY_ETS_LOWER 1e-4   /* alpha, beta, gamma */
#define TLY_ETS_UPPER 0.9999
#define TLY_ETS_PHI_LOWER 0.8
#define TLY_ETS_PHI_UPPER 0.98

/* One ETS model form. */
typedef struct {
    int error;  /* TLY_ETS_A or TLY_ETS_M */
    int trend;  /* TLY_ETS_N or TLY_ETS_A (multiplicative trend is not
                   fitted, as forecast::ets's default) */
    int season; /* TLY_ETS_N, TLY_ETS_A or TLY_ETS_M */
    int damped; /* 1: damped trend (Ad) */
    int m;      /* seasonal period; 1 without a season */
} tly_ets_model;

/* A fitted model. */
typedef struct {
    tly_ets_model model;
    double alpha;   /* level smoothing */
    double beta;    /* trend smoothing (0 without a trend) */
    double gamma;   /* seasonal smoothing (0 without a season) */
    double phi;     /* damping (1 when not damped) */
    double init[TLY_ETS_MAXSTATE]; /* initial states x_0, forecast's order */
    double last[TLY_ETS_MAXSTATE]; /* states after the last observation */
    size_t nstate;  /* length of init and last */
    size_t npar;    /* estimated parameters and free states (no sigma2) */
    size_t n;       /* observations */
    double lik;     /* forecast's objective n log(SSE) + 2 sum log|yhat| */
    double loglik;  /* -lik / 2, as forecast::ets reports it */
    double aic, aicc, bic; /* with np = npar + 1 (sigma2 counted) */
    double sigma2;  /* sum e^2 / (n - npar) */
    int converged;  /* 1 when the last optimiser pass met its tolerance */
    long evals;     /* likelihood evaluations spent */
    double theta[TLY_ETS_MAXPAR]; /* the estimated vector: (alpha, [beta],
                                     [gamma], [phi], l, [b], s0..s_{m-2}) */
} tly_ets_fit;

/* ---- ets_lik.c ---------------------------------------------------- */

/* Number of states: 1 + trend + m (seasonal models). */
size_t tly_ets_nstate(const tly_ets_model *mod);

/* Run the model over y[0..n-1] from the initial states x0 with the given
 * smoothing parameters and return forecast's objective
 * n log(sum e_t^2) + 2 sum log|yhat_t| (the last sum only for
 * multiplicative errors), or +Inf when it is not finite.  When e is not
 * NULL it receives the n one-step errors (y - yhat, or (y - yhat)/yhat),
 * when yhat is not NULL the one-step forecasts, and when xend is not NULL
 * the states after the last observation, and when sse is not NULL the
 * sum of squared errors. */
double tly_ets_run_lik(const tly_ets_model *mod, double alpha, double beta,
                       double gamma, double phi, const double *x0,
                       const double *y, size_t n, double *e, double *yhat,
                       double *xend, double *sse);

/* Apply forecast's state update for one observation y to x (in place). */
void tly_ets_update(const tly_ets_model *mod, double alpha, double beta,
                    double gamma, double phi, double *x, double y);

/* The one-step forecast from states x. */
double tly_ets_onestep(const tly_ets_model *mod, double phi, const double *x);

/* Parameter checks of forecast::ets with bounds = "both": the usual
 * region (alpha, beta, gamma in [1e-4, 0.9999], beta <= alpha,
 * gamma <= 1 - alpha, phi in [0.8, 0.98]) and the admissible region of
 * Hyndman et al. (2008, ch. 10), including the condition that the roots of
 * the characteristic polynomial of seasonal models lie within the unit
 * circle (tolerance 1e-10, as forecast).  Returns 1 when allowed. */
int tly_ets_params_ok(const tly_ets_model *mod, double alpha, double beta,
                      double gamma, double phi);

/* The admissibility conditions alone (no usual bounds). */
int tly_ets_admissible(const tly_ets_model *mod, double alpha, double beta,
                       double gamma, double phi);

/* Model name as forecast prints it: "ETS(M,Ad,M)". */
void tly_ets_name(const tly_ets_model *mod, char *buf, size_t size);

/* ---- ets_init.c --------------------------------------------------- */

/* forecast:::initstate: initial level, trend and m - 1 seasonal states
 * from a classical decomposition (or a trend + Fourier regression when
 * n < 3m) and a regression on the first max(10, 2m) seasonally adjusted
 * values.  Writes 1 + trend + (m - 1) values to x0 (free states only).
 * Returns TALLY_OK, TALLY_ETOOFEW or TALLY_ENOMEM. */
int tly_ets_initstate(const tly_ets_model *mod, const double *y, size_t n,
                      double *x0);

/* Complete free states (l, b, s0..s_{m-2}) with the derived s_{m-1}. */
void tly_ets_full_state(const tly_ets_model *mod, const double *free_x,
                        double *x);

/* ---- ets_opt.c ---------------------------------------------------- */

/* How a fit is polished after forecast::ets's own search. */
enum {
    TLY_ETS_POLISH_NONE = 0,    /* stop where R stops */
    TLY_ETS_POLISH_RESTARTS = 1,/* R's optim(method = "Nelder-Mead") with its
                                   defaults, restarted from R's solution
                                   until a restart gains nothing (default) */
    TLY_ETS_POLISH_LM = 2       /* Levenberg-Marquardt to the local optimum */
};

/* Optimiser settings. */
typedef struct {
    int emulate_r;     /* 1: run forecast::ets's own Nelder-Mead first
                          (same start, same steps, 2000 evaluations) */
    int polish;        /* TLY_ETS_POLISH_* */
    int max_restarts;  /* cap on the restarts of TLY_ETS_POLISH_RESTARTS */
} tly_ets_opt;

void tly_ets_opt_default(tly_ets_opt *o);

/* Estimate a model by maximum likelihood on y[0..n-1] (no NaN; positive
 * when a component is multiplicative).  Fills fit.  Returns TALLY_OK,
 * TALLY_ETOOFEW (too few observations for the parameters), TALLY_ENOCONV
 * (no finite likelihood anywhere) or TALLY_ENOMEM. */
int tly_ets_estimate(const tly_ets_model *mod, const double *y, size_t n,
                     const tly_ets_opt *opt, tly_ets_fit *fit);

/* Polish an estimated fit further (opt->polish; opt->emulate_r is
 * ignored) and recompute its statistics.  Returns TALLY_OK or
 * TALLY_ENOMEM. */
int tly_ets_polish(const double *y, size_t n, const tly_ets_opt *opt,
                   tly_ets_fit *fit);

/* Nelder-Mead minimiser with R's optim() rules (reflection 1, contraction
 * 0.5, expansion 2, relative tolerance on the simplex's function values),
 * and an optional per-coordinate initial step (NULL: R's single step of
 * 10% of the largest coordinate).  x holds the start and receives the
 * best point; returns its value.  *evals receives the evaluations used and
 * *converged whether the tolerance was met. */
typedef double (*tly_nm_fn)(const double *x, void *ctx);
double tly_nelder_mead(tly_nm_fn fn, void *ctx, double *x, size_t k,
                       const double *step, double reltol, long maxit,
                       long *evals, int *converged);

/* ---- ets_lm.c ---------------------------------------------------- */

/* Polish theta = (alpha, [beta], [gamma], [phi], l, [b], s0..s_{m-2})
 * (inside the usual region) by Levenberg-Marquardt on forecast's
 * objective; theta and *lik (its objective value on entry) are replaced
 * only by a better point.  work holds n * (k + 1) doubles, k = length of
 * theta.  Returns the number of likelihood evaluations (a pass with
 * derivatives counts as one). */
long tly_ets_polish_lm(const tly_ets_model *mod, const double *y, size_t n,
                       double *theta, double *lik, double *work);

/* ---- ets_fc.c ----------------------------------------------------- */

/* Which kind of prediction interval a model gets. */
enum {
    TLY_ETS_CLASS1 = 1, /* linear, additive errors: exact */
    TLY_ETS_CLASS2 = 2, /* multiplicative error, additive components */
    TLY_ETS_CLASS3 = 3, /* (M,N|A|Ad,M): approximate mean and variance */
    TLY_ETS_SIMULATE = 0 /* no analytic form: simulated sample paths */
};
int tly_ets_class(const tly_ets_model *mod);

/* Number of simulated sample paths (forecast.ets's npaths). */
#define TLY_ETS_NPATHS 5000

/* Forecast h steps from fit->last: point forecasts in mean (class 3: the
 * approximate mean), and for each level (percent) the interval limits in
 * lower/upper[l * h + i].  Simulated intervals use seed.  Returns TALLY_OK
 * or TALLY_ENOMEM. */
int tly_ets_forecast(const tly_ets_fit *fit, size_t h, const double *levels,
                     size_t nlevels, uint64_t seed, double *mean,
                     double *lower, double *upper);

/* Interval limits from TLY_ETS_NPATHS simulated sample paths (any
 * model), as R's quantile(type = 8) of the paths at each horizon. */
int tly_ets_simulate(const tly_ets_fit *fit, size_t h, const double *levels,
                     size_t nlevels, uint64_t seed, double *lower,
                     double *upper);

/* Forecast-error variances v[0..h-1] of the analytic classes (NaN for a
 * model that needs simulation) and the class-3 means. */
int tly_ets_fc_var(const tly_ets_fit *fit, size_t h, double *mean,
                   double *var);

#endif /* TALLY_ETS_INT_H */
