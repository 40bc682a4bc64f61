/* SPDX-License-Identifier: MIT
 *
 * tally_fit_model: one entry point for every regression family.  It keeps
 * the complete cases of the design, calls the family's fit (ols_fit.c,
 * glm_count.c, negbin.c), replaces the covariance by a sandwich when asked
 * (vcov.c), and fills the coefficient table:
 *
 *   statistic = estimate / se
 *   p         two-sided, from t(df_residual) when the test is t-based
 *             (gaussian; quasipoisson with its classical covariance, as
 *             summary.glm), else from N(0, 1) (lmtest::coeftest on glm)
 *   interval  estimate -/+ q se, q the (1 + level)/2 quantile of the same
 *             distribution (Wald interval, not profile likelihood)
 */
#include "stats/glm_int.h"
#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *tally_family_name(tally_family f)
{
    switch (f) {
    case TALLY_FAMILY_GAUSSIAN:
        return "gaussian";
    case TALLY_FAMILY_POISSON:
        return "poisson";
    case TALLY_FAMILY_QUASIPOISSON:
        return "quasipoisson";
    case TALLY_FAMILY_NEGBIN:
        return "negbin";
    }
    return "unknown";
}

int tally_family_parse(const char *s, tally_family *out)
{
    static const struct {
        const char *name;
        tally_family fam;
    } map[] = {{"gaussian", TALLY_FAMILY_GAUSSIAN},
               {"ols", TALLY_FAMILY_GAUSSIAN},
               {"poisson", TALLY_FAMILY_POISSON},
               {"quasipoisson", TALLY_FAMILY_QUASIPOISSON},
               {"negbin", TALLY_FAMILY_NEGBIN},
               {"nb", TALLY_FAMILY_NEGBIN},
               {"negbin2", TALLY_FAMILY_NEGBIN}};
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
        if (strcmp(s, map[k].name) == 0) {
            *out = map[k].fam;
            return TALLY_OK;
        }
    }
    return TALLY_ERROR(TALLY_EINVAL,
                       "--family must be gaussian, poisson, quasipoisson or "
                       "negbin, not '%s'", s);
}

void tally_fit_options_init(tally_fit_options *o)
{
    memset(o, 0, sizeof *o);
    o->family = TALLY_FAMILY_GAUSSIAN;
    o->vcov.type = TALLY_VCOV_CLASSICAL;
    o->vcov.hac_lag = 0;
    o->level = 95;
    o->epsilon = TALLY_FIT_EPSILON;
    o->maxit = TALLY_FIT_MAXIT;
    o->rank_tol = TALLY_FIT_RANK_TOL;
    o->diagnostics = 1;
}

void tally_fit_free(tally_fit *f)
{
    if (f == NULL) {
        return;
    }
    if (f->terms != NULL) {
        for (size_t j = 0; j < f->p; j++) {
            free(f->terms[j]);
        }
    }
    free(f->terms);
    free(f->response);
    free(f->offset_name);
    free(f->estimate);
    free(f->std_error);
    free(f->statistic);
    free(f->p_value);
    free(f->conf_low);
    free(f->conf_high);
    free(f->vcov);
    free(f->vcov_model);
    free(f->row);
    free(f->y);
    free(f->mu);
    free(f->eta);
    free(f->resid);
    free(f->wweight);
    free(f->hat);
    free(f);
}

long tally_fit_term(const tally_fit *f, const char *term)
{
    for (size_t j = 0; j < f->p; j++) {
        if (strcmp(f->terms[j], term) == 0) {
            return (long)j;
        }
    }
    return -1;
}

double tally_fit_crit(const tally_fit *f)
{
    double a = 0.5 + f->options.level / 200.0;
    return f->t_based ? gsl_cdf_tdist_Pinv(a, f->df_residual)
                      : gsl_cdf_ugaussian_Pinv(a);
}

double tally_fit_pvalue(const tally_fit *f, double statistic)
{
    if (isnan(statistic)) {
        return NAN;
    }
    double z = fabs(statistic);
    return f->t_based ? 2 * gsl_cdf_tdist_Q(z, f->df_residual)
                      : 2 * gsl_cdf_ugaussian_Q(z);
}

void tally_fit_predict(const tally_fit *f, const double *x, double *eta,
                       double *se)
{
    size_t p = f->p;
    long double s = 0, v = 0;
    for (size_t a = 0; a < p; a++) {
        s += (long double)x[a] * f->estimate[a];
        for (size_t b = 0; b < p; b++) {
            v += (long double)x[a] * f->vcov[a * p + b] * x[b];
        }
    }
    if (eta != NULL) {
        *eta = (double)s;
    }
    if (se != NULL) {
        *se = v > 0 ? sqrt((double)v) : 0.0;
    }
}

int tly_singular_error(const tally_lsq *ls, char *const *terms, size_t p,
                       double tol)
{
    /* Name the terms carrying the near-dependency: those whose weight in
     * the smallest right singular vector is at least a tenth of the
     * largest weight. */
    double big = 0;
    for (size_t j = 0; j < p; j++) {
        big = fmax(big, fabs(ls->null_vec[j]));
    }
    char list[512] = "";
    size_t len = 0;
    for (size_t j = 0; j < p; j++) {
        if (fabs(ls->null_vec[j]) >= 0.1 * big) {
            int k = snprintf(list + len, sizeof list - len, "%s%s",
                             len ? ", " : "", terms[j]);
            if (k < 0 || (size_t)k >= sizeof list - len) {
                break;
            }
            len += (size_t)k;
        }
    }
    if (isinf(ls->cond)) {
        return TALLY_ERROR(TALLY_ESINGULAR,
                           "the design is singular: term(s) %s are zero or "
                           "exact linear combinations of others", list);
    }
    return TALLY_ERROR(TALLY_ESINGULAR,
                       "the design is rank deficient (condition number "
                       "%.3g after column scaling, limit %.3g): term(s) %s "
                       "are (nearly) linear combinations of each other",
                       ls->cond, 1 / tol, list);
}

static char *dup_str(const char *s)
{
    if (s == NULL) {
        return NULL;
    }
    size_t len = strlen(s) + 1;
    char *c = malloc(len);
    if (c != NULL) {
        memcpy(c, s, len);
    }
    return c;
}

/* Allocate the result for p terms and n used rows, numbers NaN. */
static tally_fit *fit_alloc(size_t n, size_t p)
{
    tally_fit *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return NULL;
    }
    f->p = p;
    f->n = n;
    size_t pp = p ? p : 1, nn = n ? n : 1;
    f->terms = calloc(pp, sizeof *f->terms);
    f->estimate = malloc(pp * sizeof(double));
    f->std_error = malloc(pp * sizeof(double));
    f->statistic = malloc(pp * sizeof(double));
    f->p_value = malloc(pp * sizeof(double));
    f->conf_low = malloc(pp * sizeof(double));
    f->conf_high = malloc(pp * sizeof(double));
    f->vcov = malloc(pp * pp * sizeof(double));
    f->vcov_model = malloc(pp * pp * sizeof(double));
    f->row = malloc(nn * sizeof(size_t));
    f->y = malloc(nn * sizeof(double));
    f->mu = malloc(nn * sizeof(double));
    f->eta = malloc(nn * sizeof(double));
    f->resid = malloc(nn * sizeof(double));
    f->wweight = malloc(nn * sizeof(double));
    f->hat = malloc(nn * sizeof(double));
    if (f->terms == NULL || f->estimate == NULL || f->std_error == NULL
        || f->statistic == NULL || f->p_value == NULL || f->conf_low == NULL
        || f->conf_high == NULL || f->vcov == NULL || f->vcov_model == NULL
        || f->row == NULL || f->y == NULL || f->mu == NULL || f->eta == NULL
        || f->resid == NULL || f->wweight == NULL || f->hat == NULL) {
        tally_fit_free(f);
        return NULL;
    }
    double nan = NAN;
    f->loglik = f->aic = f->bic = nan;
    f->deviance = f->null_deviance = f->dispersion = nan;
    f->theta = f->theta_se = f->pearson_chi2 = nan;
    f->r_squared = f->adj_r_squared = f->sigma = nan;
    f->f_statistic = f->f_df1 = f->f_df2 = f->f_p_value = nan;
    f->diag.durbin_watson = f->diag.ljung_box = f->diag.ljung_box_p = nan;
    f->diag.breusch_godfrey = f->diag.breusch_godfrey_p = nan;
    f->diag.pearson_ratio = f->diag.pearson_p = nan;
    f->diag.ct_dispersion = f->diag.ct_statistic = f->diag.ct_p = nan;
    return f;
}

static void data_free(tly_fit_data *d)
{
    free(d->x);
    free(d->y);
    free(d->off);
    free(d->w);
}

/* Copy the complete cases of the design into d (row-major), recording the
 * used rows in f->row and the counts of left-out rows. */
static int complete_cases(const tally_design *des, tally_fit *f,
                          tly_fit_data *d, size_t *nused)
{
    size_t n = des->n, p = des->p, k = 0;
    memset(d, 0, sizeof *d);
    d->p = p;
    d->x = malloc((n ? n : 1) * (p ? p : 1) * sizeof *d->x);
    d->y = malloc((n ? n : 1) * sizeof *d->y);
    d->off = malloc((n ? n : 1) * sizeof *d->off);
    d->w = malloc((n ? n : 1) * sizeof *d->w);
    if (d->x == NULL || d->y == NULL || d->off == NULL || d->w == NULL) {
        data_free(d);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    d->has_offset = des->offset != NULL;
    d->has_weights = des->weights != NULL;
    d->icol = tally_design_term(des, "intercept");
    size_t nmiss = 0, nzero = 0;
    for (size_t i = 0; i < n; i++) {
        int miss = isnan(des->y[i]);
        int bad = isinf(des->y[i]);
        for (size_t j = 0; j < p; j++) {
            double v = des->x[j * n + i];
            miss |= isnan(v);
            bad |= isinf(v);
        }
        double off = des->offset != NULL ? des->offset[i] : 0.0;
        double w = des->weights != NULL ? des->weights[i] : 1.0;
        miss |= isnan(off) || isnan(w);
        bad |= isinf(off) || isinf(w);
        if (bad && !miss) {
            char where[512];
            data_free(d);
            return TALLY_ERROR(TALLY_EDOMAIN, "%s: a value is infinite",
                               tally_design_where(des, i, where,
                                                  sizeof where));
        }
        if (miss) {
            nmiss++;
            continue;
        }
        if (w == 0) {
            nzero++;
            continue;
        }
        for (size_t j = 0; j < p; j++) {
            d->x[k * p + j] = des->x[j * n + i];
        }
        d->y[k] = des->y[i];
        d->off[k] = off;
        d->w[k] = w;
        f->row[k] = i;
        k++;
    }
    d->n = k;
    d->des = des;
    d->row = f->row;
    f->n_missing = nmiss;
    f->n_zero_weight = nzero;
    *nused = k;
    return TALLY_OK;
}

int tally_fit_model(const tally_design *des, const tally_fit_options *opt,
                    tally_fit **out)
{
    tally_fit_options o;
    if (opt != NULL) {
        o = *opt;
    } else {
        tally_fit_options_init(&o);
    }
    if (!(o.level > 0 && o.level < 100)) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "the confidence level must be in (0, 100), not %g",
                           o.level);
    }
    if (!(o.epsilon > 0) || o.maxit < 1 || !(o.rank_tol > 0)) {
        return TALLY_ERROR(TALLY_EINVAL, "bad convergence settings");
    }
    size_t p = des->p;
    if (p == 0) {
        return TALLY_ERROR(TALLY_EINVAL, "the model has no terms");
    }
    tally_fit *f = fit_alloc(des->n, p);
    tly_fit_data d;
    memset(&d, 0, sizeof d);
    double *u = NULL, *bread = NULL;
    int st;
    if (f == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    f->family = o.family;
    f->intercept = des->intercept;
    f->freq = des->freq;
    f->start = des->start;
    f->log_link = o.family != TALLY_FAMILY_GAUSSIAN;
    f->response = dup_str(des->response);
    f->offset_name = dup_str(des->offset_name);
    if (f->response == NULL
        || (des->offset_name != NULL && f->offset_name == NULL)) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t j = 0; j < p; j++) {
        f->terms[j] = dup_str(des->names[j]);
        if (f->terms[j] == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            goto fail;
        }
    }
    size_t n = 0;
    st = complete_cases(des, f, &d, &n);
    if (st != TALLY_OK) {
        goto fail;
    }
    f->n = n;
    if (n <= p) {
        st = TALLY_ERROR(TALLY_ETOOFEW,
                         "%s%s%zu complete observation(s) for %zu "
                         "coefficient(s): the model needs more observations "
                         "than coefficients",
                         des->source ? des->source : "",
                         des->source ? ": " : "", n, p);
        goto fail;
    }
    f->df_residual = (double)(n - p);
    if (o.vcov.type == TALLY_VCOV_HAC) {
        if (o.vcov.hac_lag == TALLY_HAC_AUTO) {
            o.vcov.hac_lag = tally_vcov_hac_auto_lag(n);
            f->hac_auto = 1;
        }
        if (o.vcov.hac_lag < 0 || (size_t)o.vcov.hac_lag >= n) {
            st = TALLY_ERROR(TALLY_EINVAL,
                             "the HAC lag must be between 0 and n - 1 = %zu, "
                             "not %ld", n - 1, o.vcov.hac_lag);
            goto fail;
        }
    }
    f->options = o;
    u = malloc(n * sizeof *u);
    bread = malloc(p * p * sizeof *bread);
    if (u == NULL || bread == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        goto fail;
    }
    memcpy(f->y, d.y, n * sizeof *f->y);
    switch (o.family) {
    case TALLY_FAMILY_GAUSSIAN:
        st = tly_fit_gaussian(&d, &o, f, u, bread);
        break;
    case TALLY_FAMILY_POISSON:
    case TALLY_FAMILY_QUASIPOISSON:
        st = tly_fit_count(&d, &o, f, u, bread);
        break;
    case TALLY_FAMILY_NEGBIN:
        st = tly_fit_negbin(&d, &o, f, u, bread);
        break;
    default:
        st = TALLY_ERROR(TALLY_EINVAL, "unknown family");
    }
    if (st != TALLY_OK) {
        goto fail;
    }
    /* The covariance used for inference. */
    if (o.vcov.type == TALLY_VCOV_CLASSICAL) {
        memcpy(f->vcov, f->vcov_model, p * p * sizeof *f->vcov);
    } else {
        st = tally_vcov_sandwich(n, p, d.x, u, bread, f->hat, o.vcov.type,
                                 o.vcov.hac_lag, f->vcov);
        if (st != TALLY_OK) {
            goto fail;
        }
    }
    /* t tests for least squares and for quasipoisson's model-based
     * covariance; z for the likelihood families and robust GLM tests. */
    f->t_based = o.family == TALLY_FAMILY_GAUSSIAN
                 || (o.family == TALLY_FAMILY_QUASIPOISSON
                     && o.vcov.type == TALLY_VCOV_CLASSICAL);
    double q = tally_fit_crit(f);
    for (size_t j = 0; j < p; j++) {
        double v = f->vcov[j * p + j];
        double se = v >= 0 ? sqrt(v) : NAN;
        f->std_error[j] = se;
        f->statistic[j] = f->estimate[j] / se;
        f->p_value[j] = tally_fit_pvalue(f, f->statistic[j]);
        f->conf_low[j] = f->estimate[j] - q * se;
        f->conf_high[j] = f->estimate[j] + q * se;
        if (f->perfect_fit) {
            /* estimate / 0 (or / rounding noise): no test exists. */
            f->statistic[j] = f->p_value[j] = NAN;
        }
    }
    if (f->perfect_fit) {
        f->f_statistic = f->f_p_value = NAN;
    }
    if (o.diagnostics) {
        st = tly_fit_diagnostics(&d, f, des->freq);
        if (st != TALLY_OK) {
            goto fail;
        }
    }
    data_free(&d);
    free(u);
    free(bread);
    *out = f;
    return TALLY_OK;
fail:
    data_free(&d);
    free(u);
    free(bread);
    tally_fit_free(f);
    return st;
}
