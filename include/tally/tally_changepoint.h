/* SPDX-License-Identifier: MIT
 *
 * Change points: when did a series change?  Three ways to date breaks and
 * four tests of "no change":
 *
 *   - Bai-Perron dating (`breakpoints`): the partition into m + 1 segments
 *     that minimizes the residual sum of squares of a regression fitted
 *     separately in each segment (mean, or intercept and slope on time),
 *     found by dynamic programming for every m, each segment at least h
 *     observations long; m chosen by BIC (or LWZ); confidence intervals for
 *     the break dates by Bai (1997).  Follows R's strucchange 1.5-3:
 *     breakpoints(y ~ 1, h = 0.15), summary(), confint().
 *   - PELT (Killick, Fearnhead & Eckley 2012) and binary segmentation,
 *     minimizing a penalized cost (Gaussian mean, Gaussian mean and
 *     variance, or Poisson rate) over all partitions.
 *   - Tests: Chow F at a known date; sup-F, ave-F and exp-F over a trimmed
 *     range with Hansen's (1997) approximate p-values
 *     (strucchange::Fstats, sctest); the OLS-based CUSUM test
 *     (strucchange::efp(type = "OLS-CUSUM"), sctest).
 *
 * Conventions.  Indices are 0-based.  A break is named by the FIRST
 * observation of the new regime (index b: the segment before ends at
 * b - 1).  R's strucchange names the last observation of the old regime,
 * i.e. b - 1 in 0-based terms, b in 1-based terms: R's Nile break "28"
 * (1898) is our index 28 (0-based) = 29 (1-based) = 1899.
 */
#ifndef TALLY_CHANGEPOINT_H
#define TALLY_CHANGEPOINT_H

#include <stddef.h>

/* How breaks are dated. */
typedef enum {
    TALLY_CP_BREAKPOINTS = 0, /* Bai-Perron, least squares, BIC/LWZ */
    TALLY_CP_PELT,            /* PELT, exact penalized cost */
    TALLY_CP_BINSEG           /* binary segmentation, greedy */
} tally_cp_method;

/* The regression fitted in each segment (breakpoints and the tests). */
typedef enum {
    TALLY_CP_MEAN = 0, /* y = mu_j: one mean per segment */
    TALLY_CP_TREND     /* y = a_j + b_j * time, time = 1..n over the series */
} tally_cp_model;

/* Criterion for the number of breaks in Bai-Perron dating. */
typedef enum {
    TALLY_CP_IC_BIC = 0, /* strucchange summary(): BIC */
    TALLY_CP_IC_LWZ      /* Liu, Wu & Zidek (1997), as Bai & Perron (2003) */
} tally_cp_ic;

/* Segment cost of PELT and binary segmentation (twice the negative
 * log-likelihood of the segment). */
typedef enum {
    TALLY_CP_COST_NORMAL = 0, /* Gaussian, change in mean, sigma known or
                                 estimated once from the whole series */
    TALLY_CP_COST_MEANVAR,    /* Gaussian, change in mean and variance */
    TALLY_CP_COST_POISSON     /* Poisson, change in rate */
} tally_cp_cost;

/* Penalty per break of PELT and binary segmentation. */
typedef enum {
    TALLY_CP_PEN_BIC = 0, /* (p + 1) log n, p parameters per segment */
    TALLY_CP_PEN_MBIC,    /* (p + 2) log n plus sum log(n_j / n) over
                             segments (Zhang & Siegmund 2007) */
    TALLY_CP_PEN_MANUAL   /* the number in penalty_value */
} tally_cp_penalty;

/* Options of tally_cp_fit; tally_cp_options_init sets the defaults. */
typedef struct {
    tally_cp_method method;  /* default TALLY_CP_BREAKPOINTS */
    tally_cp_model model;    /* breakpoints and tests (default mean) */
    tally_cp_ic ic;          /* breakpoints: criterion (default BIC) */
    tally_cp_cost cost;      /* pelt/binseg (default normal) */
    tally_cp_penalty penalty;/* pelt/binseg (default BIC) */
    double penalty_value;    /* TALLY_CP_PEN_MANUAL: penalty per break (>= 0) */
    double sigma;            /* normal cost: known standard deviation;
                                NaN (default): estimated, see tally_cp_fit */
    long max_breaks;         /* breakpoints/binseg: at most this many breaks;
                                -1 (default): as many as min_size allows */
    size_t min_size;         /* minimum segment length; 0 (default):
                                floor(trim * n) for breakpoints, 1 for
                                normal/poisson, 2 for meanvar */
    double trim;             /* fraction trimmed at each end for sup-F (and
                                the default h of breakpoints); default 0.15 */
    double level;            /* confidence level of break-date intervals
                                (default 0.95) */
    long chow;               /* Chow test with the new regime starting at
                                this 0-based index; -1 (default): none */
    int tests;               /* 1 (default): compute sup-F, ave-F, exp-F and
                                OLS-CUSUM; 0: skip them */
} tally_cp_options;

void tally_cp_options_init(tally_cp_options *o);

/* One break: the first observation of the new regime. */
typedef struct {
    size_t index;     /* 0-based index of the first observation after it */
    int has_conf;     /* 1 when the interval below could be computed */
    long conf_low;    /* confidence interval of index (0-based; may lie */
    long conf_high;   /*   outside 0..n-1 when the interval is wide) */
} tally_cp_break;

/* One segment and what was fitted in it. */
typedef struct {
    size_t from;      /* first observation (0-based) */
    size_t to;        /* last observation (inclusive) */
    double mean;      /* mean of the observations (the Poisson rate) */
    double intercept; /* trend model: a_j (time = 1..n); NaN otherwise */
    double slope;     /* trend model: b_j; NaN otherwise */
    double sd;        /* meanvar cost: maximum-likelihood sd (floored, see
                         tally_cp_fit); normal cost: the sigma used;
                         NaN otherwise */
    double rss;       /* residual sum of squares of the segment's fit */
} tally_cp_segment;

/* One row of the Bai-Perron model selection: the best partition with m
 * breaks. */
typedef struct {
    size_t m;         /* number of breaks */
    double rss;       /* its residual sum of squares */
    double bic;       /* n (log(RSS/n) + 1 + log 2 pi) + log(n) (k+1)(m+1) */
    double lwz;       /* log(RSS/(n - p)) + p 0.299 log(n)^2.1 / n,
                         p = (m+1)k + m */
} tally_cp_selection;

/* A test statistic with its p-value and where it is attained. */
typedef struct {
    int done;         /* 1 when computed */
    double statistic; /* the statistic */
    double p_value;   /* its p-value */
    size_t index;     /* sup-F: first index of the new regime at the maximum;
                         CUSUM: index where |process| is largest;
                         Chow: the tested index */
    double df1, df2;  /* Chow: F degrees of freedom; NaN otherwise */
    double boundary;  /* CUSUM: 5% boundary of |process|; NaN otherwise */
} tally_cp_test;

/* Everything tally_cp_fit computes.  Allocated by tally_cp_fit, freed by
 * tally_cp_result_free. */
typedef struct {
    tally_cp_options opt;    /* options used, defaults resolved */
    size_t n;                /* observations used */
    size_t offset;           /* index in the input of the first one used
                                (leading missing values are dropped) */
    size_t n_missing;        /* leading + trailing missing values dropped */
    size_t k;                /* regressors per segment (1 mean, 2 trend) */
    size_t h;                /* minimum segment length used */
    size_t max_breaks;       /* largest number of breaks considered */
    size_t nbreaks;          /* breaks found */
    tally_cp_break *breaks;  /* nbreaks breaks, increasing */
    tally_cp_segment *segments; /* nbreaks + 1 segments */
    double rss;              /* residual sum of squares of the segmented
                                fit (every method) */
    double bic;              /* breakpoints: BIC of the chosen partition */
    double lwz;              /* breakpoints: LWZ of the chosen partition */
    size_t nselection;       /* breakpoints: rows of selection */
    tally_cp_selection *selection; /* m = 0..max_breaks */
    double sigma;            /* normal cost: the sigma used (given or
                                estimated); NaN otherwise */
    double var_floor;        /* meanvar cost: the variance floor; NaN
                                otherwise */
    double penalty_value;    /* pelt/binseg: penalty per break */
    double loglik;           /* pelt/binseg: log-likelihood of the segmented
                                fit under the cost's model */
    double criterion;        /* pelt/binseg: -2 loglik + penalty * breaks
                                (+ sum log(n_j/n) for MBIC): the minimized
                                objective up to a constant */
    size_t evaluations;      /* pelt/binseg: segment costs evaluated */
    size_t f_from, f_to;     /* sup-F: splits tried, as numbers of
                                observations before the break */
    double f_lambda;         /* sup-F: strucchange's lambda */
    tally_cp_test sup_f;     /* sup-F (index of the maximum) */
    tally_cp_test ave_f;     /* ave-F */
    tally_cp_test exp_f;     /* exp-F */
    tally_cp_test cusum;     /* OLS-CUSUM, max |process| */
    tally_cp_test chow;      /* Chow at opt.chow */
} tally_cp_result;

/* Date breaks and test for change in y[0..n-1].
 *
 * Leading and trailing missing values (NaN) are dropped (counted in
 * n_missing, indices in the result refer to the input); a missing value
 * inside the series is an error (TALLY_EMISSING).  The normal cost
 * estimates sigma, unless given, as MAD(diff(y)) / sqrt(2) (robust to the
 * mean shifts themselves), falling back to sd(diff(y)) / sqrt(2) when the
 * MAD is 0 (up to rounding: below 1e-8 sd(diff(y))), as it is when more
 * than half of the differences are equal.  The meanvar cost floors each
 * segment's variance at 1/12 (the variance of rounding to whole units)
 * when every value is a whole number, otherwise at 1e-10 times the
 * variance of the series, so that a run of equal values does not have an
 * infinitely good fit.  The Poisson cost
 * needs values >= 0.
 *
 * Returns TALLY_OK, TALLY_EINVAL (bad option), TALLY_EMISSING, TALLY_ERANGE
 * (Chow index outside the data), TALLY_ETOOFEW (too few observations for
 * the minimum segment or the Chow point), TALLY_ECONSTANT (constant
 * series), TALLY_EDOMAIN (negative value with the Poisson cost) or
 * TALLY_ENOMEM; *out is untouched on error. */
int tally_cp_fit(const double *y, size_t n, const tally_cp_options *o,
                 tally_cp_result **out);

/* Free a result (NULL does nothing). */
void tally_cp_result_free(tally_cp_result *r);

/* Hansen's (1997) approximate asymptotic p-value of a sup-F ("sup"),
 * ave-F ("ave") or exp-F ("exp") statistic x with k regressors (1 or 2)
 * under trimming parameter lambda = ((n - from) to) / (from (n - to)), as
 * strucchange:::pvalue.Fstats.  NaN for other k or types. */
double tally_cp_hansen_pvalue(double x, const char *type, size_t k,
                              double lambda);

/* P(argmax V <= x) for the limiting distribution of a break date (Bai
 * 1997), with xi the ratio of the regressor quadratic forms and phi1, phi2
 * the error standard deviations of the two regimes (strucchange:::pargmaxV).
 */
double tally_cp_pargmaxv(double x, double xi, double phi1, double phi2);

/* P(sup |B(t)| > x) for a Brownian bridge B (Kolmogorov's distribution),
 * the p-value of the OLS-CUSUM test with one parameter; 1 for x < 0.1 as
 * strucchange. */
double tally_cp_bridge_pvalue(double x);

#endif /* TALLY_CHANGEPOINT_H */
