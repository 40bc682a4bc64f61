/* SPDX-License-Identifier: MIT
 *
 * Fitting a regression model to a design (tally_design.h) and the result
 * every model command prints: estimates, the covariance used for
 * inference, tests and intervals, fit statistics, residual diagnostics,
 * convergence.  One entry point for all families:
 *
 *   gaussian      OLS / weighted least squares, as R's lm()
 *   poisson       Poisson GLM, log link, IRLS, as R's glm()
 *   quasipoisson  Poisson estimates, dispersion = Pearson X^2 / df, t tests
 *                 (R's summary.glm for family = quasipoisson)
 *   negbin        NB2 with theta by maximum likelihood, as MASS::glm.nb
 *
 * Covariances (tally_vcov.h): classical, HC0..HC3 as sandwich::vcovHC,
 * Newey-West HAC as sandwich::NeweyWest(lag = L, prewhite = FALSE,
 * adjust = FALSE).  Tests with a robust covariance follow lmtest::coeftest:
 * t with df_residual for gaussian (and quasipoisson), z for the other GLMs.
 *
 * Fit statistics follow shared/reference/README.md: for gaussian,
 * loglik = -n/2 (log(2 pi RSS/n) + 1) (with weights, R's logLik.lm), AIC
 * and BIC count sigma^2; R^2 is uncentred without an intercept.  For
 * Poisson, loglik = sum log dpois(y, mu); for negbin, sum log dnbinom and
 * theta counted in AIC/BIC; quasipoisson has no likelihood (NaN).
 */
#ifndef TALLY_FIT_H
#define TALLY_FIT_H

#include <stddef.h>

#include "tally/tally_design.h"
#include "tally/tally_vcov.h"

/* Model families. */
typedef enum {
    TALLY_FAMILY_GAUSSIAN = 0, /* identity link, OLS */
    TALLY_FAMILY_POISSON,      /* log link */
    TALLY_FAMILY_QUASIPOISSON, /* log link, Pearson dispersion */
    TALLY_FAMILY_NEGBIN        /* log link, NB2, theta by ML */
} tally_family;

/* "gaussian", "poisson", "quasipoisson", "negbin". */
const char *tally_family_name(tally_family f);
/* Parse a family name (also "ols" = gaussian, "nb"/"negbin2" = negbin).
 * Returns TALLY_OK or TALLY_EINVAL. */
int tally_family_parse(const char *s, tally_family *out);

/* Default convergence and rank settings (documented in docs/regression.md).
 * IRLS stops when |dev - dev_old| / (|dev| + 0.1) < epsilon, as
 * glm.control; the R reference cases used epsilon = 1e-13. */
#define TALLY_FIT_EPSILON 1e-12
#define TALLY_FIT_MAXIT 100
/* A design is rank deficient when, after scaling every column to unit
 * Euclidean norm, its smallest singular value is below rank_tol times the
 * largest.  R's lm pivots columns out at 1e-7 (relative to the QR
 * diagonal), which drops a term of NIST's Filip polynomial; 1e-13 lets
 * Filip (scaled condition number about 1e10) be fitted and still catches
 * exactly collinear columns, whose singular value is at rounding level
 * (about 1e-16). */
#define TALLY_FIT_RANK_TOL 1e-13

typedef struct {
    tally_family family;   /* default gaussian */
    tally_vcov_options vcov; /* covariance for inference (default
                                classical) */
    double level;          /* confidence level in percent (default 95) */
    double epsilon;        /* IRLS / glm.nb tolerance (TALLY_FIT_EPSILON) */
    int maxit;             /* IRLS / glm.nb iteration limit */
    double rank_tol;       /* TALLY_FIT_RANK_TOL */
    int diagnostics;       /* 1 (default): residual diagnostics */
} tally_fit_options;

void tally_fit_options_init(tally_fit_options *o);

/* Residual diagnostics (NaN / 0 when not computed). */
typedef struct {
    double durbin_watson;  /* sum (e_t - e_{t-1})^2 / sum e_t^2 on the
                              residuals (response residuals for gaussian,
                              Pearson residuals for GLMs), in row order */
    /* Ljung-Box Q on the same residuals: statistic, lag, p from
     * chi^2(lag) (no df correction, as Box.test(fitdf = 0)). */
    double ljung_box, ljung_box_p;
    int ljung_box_lag;
    /* Breusch-Godfrey LM test of order bg_order (gaussian only):
     * n R^2 of e_t on X and e_{t-1..t-order} (lagged residuals filled with
     * 0), chi^2(order) p, as lmtest::bgtest(type = "Chisq"). */
    double breusch_godfrey, breusch_godfrey_p;
    int bg_order;
    /* Overdispersion (poisson and quasipoisson): Pearson X^2/df and the
     * upper-tail chi^2(df) p of X^2; Cameron-Trivedi z = sqrt(n)
     * mean(a)/sd(a), a = ((y - mu)^2 - y)/mu, one-sided normal p
     * (AER::dispersiontest(trafo = NULL)). */
    double pearson_ratio, pearson_p;
    double ct_dispersion, ct_statistic, ct_p;
} tally_fit_diag;

typedef struct {
    tally_family family;
    tally_fit_options options;  /* options as used (hac lag resolved) */
    size_t n;              /* observations used */
    size_t n_missing;      /* rows left out for a missing value */
    size_t n_zero_weight;  /* rows left out for a zero prior weight */
    size_t p;              /* number of coefficients */
    double df_residual;    /* n - p */
    char **terms;          /* p term names (owned copies) */
    char *response;        /* response name (owned) */
    char *offset_name;     /* offset description or NULL (owned) */
    int intercept;         /* 1 with an intercept term */
    int log_link;          /* 1 for the count families */
    int t_based;           /* 1: statistic is t with df_residual; 0: z */
    /* Coefficient table, p entries each. */
    double *estimate, *std_error, *statistic, *p_value;
    double *conf_low, *conf_high;
    double *vcov;          /* p * p covariance used for inference,
                              row-major */
    double *vcov_model;    /* p * p classical (model-based) covariance */
    /* Fit statistics (NaN where not defined for the family). */
    double loglik, aic, bic;
    double deviance;       /* RSS for gaussian */
    double null_deviance;  /* intercept-only (with offset) model */
    double dispersion;     /* sigma^2 (gaussian), Pearson (quasipoisson),
                              1 otherwise */
    double theta;          /* negbin size; NaN otherwise */
    double theta_se;       /* its standard error (1/sqrt(information)) */
    double pearson_chi2;   /* sum of squared Pearson residuals */
    double r_squared, adj_r_squared, sigma; /* gaussian only */
    double f_statistic, f_df1, f_df2, f_p_value; /* gaussian only */
    int converged;         /* 1 when the iterations converged (always for
                              OLS) */
    int iterations;        /* IRLS iterations (negbin: outer alternations
                              of beta and theta); 0 for OLS */
    tally_fit_diag diag;   /* residual diagnostics */
    int hac_auto;          /* 1 when the HAC lag came from the automatic
                              rule (options.vcov.hac_lag holds it) */
    int perfect_fit;       /* 1: least squares with a residual variance
                              that is 0 to rounding (R's summary.lm
                              "essentially perfect fit"): the estimates
                              stand, but statistic, p_value, f_statistic
                              and f_p_value are NaN (undefined) */
    tally_freq freq;       /* frequency of the design's rows (NONE for a
                              plain data file) */
    tally_period start;    /* period of design row 0 (time series) */
    /* Per used observation (n each): its row in the design, fitted mean
     * mu, linear predictor eta (including the offset), response
     * residual y - mu, working weight, hat value of the weighted fit. */
    size_t *row;
    double *y, *mu, *eta, *resid, *wweight, *hat;
} tally_fit;

/* Fit the model.  Rows with a missing (NaN) response, regressor, offset or
 * weight are left out and counted (n_missing); so are rows of weight 0.
 * Errors (the message says what and, for a singular design, names the
 * offending terms):
 *   TALLY_ETOOFEW    fewer observations than coefficients (or none left)
 *   TALLY_ESINGULAR  rank-deficient design (see TALLY_FIT_RANK_TOL)
 *   TALLY_EDOMAIN    negative or non-integer counts for a count family
 *   TALLY_ECONSTANT  all counts zero (the log-link MLE does not exist)
 *   TALLY_ENOCONV    IRLS or theta did not converge, or diverged (e.g.
 *                    perfect separation: a fitted mean going to 0)
 *   TALLY_EINVAL     bad options (e.g. HAC lag >= n)
 * On success *out owns the result (free with tally_fit_free). */
int tally_fit_model(const tally_design *d, const tally_fit_options *o,
                    tally_fit **out);

void tally_fit_free(tally_fit *f);

/* Index of a coefficient by term name, or -1. */
long tally_fit_term(const tally_fit *f, const char *term);

/* Linear predictor for one row of regressors x (p values in term order,
 * offset not included) and its standard error sqrt(x' V x) under the
 * covariance used for inference.  For the log-link families the mean is
 * exp(eta + offset).  Either output may be NULL. */
void tally_fit_predict(const tally_fit *f, const double *x, double *eta,
                       double *se);

/* Quantile used for the intervals: t(df_residual) or normal at
 * (1 + level/100)/2. */
double tally_fit_crit(const tally_fit *f);

/* Two-sided p-value of a statistic under the fit's reference
 * distribution (t with df_residual or normal). */
double tally_fit_pvalue(const tally_fit *f, double statistic);

#endif /* TALLY_FIT_H */
