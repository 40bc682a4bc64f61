/* SPDX-License-Identifier: MIT
 *
 * Count regressions (Poisson, quasi-Poisson, NB2) through tally_fit_model:
 *  - the seatbelts ITS reference cases of shared/reference (R glm /
 *    MASS::glm.nb numbers in each case.json), with the design built here
 *    by hand (intercept, time, level, slope, season) from the case's
 *    input.csv via $TALLY_SHARED; skipped when absent;
 *  - a 30-row data set (that of test_vcov.c) against R calls quoted beside
 *    each value (R 4.2.2, MASS 7.3-58.2);
 *  - every failure mode ends in an error, never a number.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_frame.h"
#include "tally/tally_glm.h"
#include "tally/tally_status.h"

#define N 30
static const double xs[N] = {
    0.94,  1.27,  2.03,  -0.19, -0.63, -2.01, -2.85, -1.25, -0.89, 1.18,
    1.12,  0.89,  0.49,  -0.08, -2.51, -2.51, -0.98, 0.96,  1.49,  1.77,
    2.64,  -0.3,  -0.05, -2.2,  -2.66, -1.97, -0.28, 2.0,   1.35,  1.84};
static const double es[N] = {100, 120, 80,  80,  80,  100, 150, 150,
                             120, 150, 150, 120, 120, 100, 100, 100,
                             80,  120, 150, 120, 150, 120, 80,  80,
                             150, 100, 120, 100, 150, 150};
static const double ys[N] = {1,  7, 1, 0, 4,  6,  1,  0, 0, 11,
                             1,  0, 7, 7, 0,  6,  1,  12, 16, 9,
                             9,  0, 5, 5, 10, 3,  1,  17, 10, 21};

static tally_design *make(const double *y, int exposure)
{
    tally_design *d = tally_design_alloc(N);
    cr_assert_not_null(d);
    memcpy(d->y, y, sizeof(double) * N);
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    cr_assert_eq(tally_design_add_time(d), TALLY_OK);
    cr_assert_eq(tally_design_add_column(d, "x", xs), TALLY_OK);
    if (exposure) {
        cr_assert_eq(tally_design_set_offset(d, "e", es, 1), TALLY_OK);
    }
    return d;
}

static tally_fit *fit(const tally_design *d, tally_family fam)
{
    tally_fit_options o;
    tally_fit_options_init(&o);
    o.family = fam;
    o.epsilon = 1e-13; /* as the R calls below */
    tally_fit *f = NULL;
    cr_assert_eq(tally_fit_model(d, &o, &f), TALLY_OK, "%s",
                 tally_last_error());
    return f;
}

static int rel_ok(double got, double want, double rtol)
{
    return fabs(got - want) <= rtol * fabs(want);
}

Test(glm, poisson_with_exposure_matches_glm)
{
    /* g1 <- glm(y ~ t + x, family = poisson, offset = log(e),
     *           control = glm.control(epsilon = 1e-13, maxit = 100)) */
    tally_design *d = make(ys, 1);
    tally_fit *f = fit(d, TALLY_FAMILY_POISSON);
    static const double coef[3] = {-3.9227671616774296, 0.04683184928601191,
                                   0.20533141380761882}; /* coef(g1) */
    static const double se[3] = {0.19795034424146324, 0.0094444977431595249,
                                 0.051849933450487787}; /* vcov(g1) */
    for (size_t j = 0; j < 3; j++) {
        cr_expect(rel_ok(f->estimate[j], coef[j], 1e-9), "b%zu %.17g", j,
                  f->estimate[j]);
        cr_expect(rel_ok(f->std_error[j], se[j], 1e-9), "se%zu %.17g", j,
                  f->std_error[j]);
    }
    cr_expect(rel_ok(f->loglik, -94.075262168748168, 1e-11)); /* logLik */
    cr_expect(rel_ok(f->deviance, 104.99302763345108, 1e-10)); /* deviance */
    /* g1$null.deviance: intercept-only model with the offset. */
    cr_expect(rel_ok(f->null_deviance, 157.56973342291303, 1e-10), "%.17g",
              f->null_deviance);
    cr_expect(rel_ok(f->aic, -2 * f->loglik + 6, 1e-14));
    /* sum(residuals(g1, "pearson")^2) */
    cr_expect(rel_ok(f->pearson_chi2, 86.790722017422596, 1e-9));
    /* Cameron-Trivedi: mu <- fitted(g1); aux <- ((y - mu)^2 - y)/mu;
     * sqrt(n) * mean(aux)/sd(aux) and mean(aux) + 1
     * (AER::dispersiontest(g1) computes the same). */
    cr_expect(rel_ok(f->diag.ct_statistic, 4.8059929424713914, 1e-8), "%.17g",
              f->diag.ct_statistic);
    cr_expect(rel_ok(f->diag.ct_dispersion, 2.8650659797955851, 1e-8));
    cr_expect(!f->t_based);
    cr_expect(isnan(f->theta));
    cr_expect_eq(f->dispersion, 1.0);
    tally_fit_free(f);
    tally_design_free(d);
}

Test(glm, quasipoisson_matches_summary_glm)
{
    /* q <- glm(y ~ t + x, family = quasipoisson, offset = log(e), ...) */
    tally_design *d = make(ys, 1);
    tally_fit *f = fit(d, TALLY_FAMILY_QUASIPOISSON);
    /* summary(q)$dispersion */
    cr_expect(rel_ok(f->dispersion, 3.2144711862565658, 1e-9), "%.17g",
              f->dispersion);
    /* coef(summary(q))[, 4]: p from t(27) */
    static const double p[3] = {1.5888072229176112e-11, 0.010118834145171575,
                                0.035862729734254188};
    for (size_t j = 0; j < 3; j++) {
        cr_expect(rel_ok(f->p_value[j], p[j], 1e-7), "p%zu %.17g", j,
                  f->p_value[j]);
    }
    cr_expect(f->t_based);
    cr_expect(isnan(f->loglik) && isnan(f->aic));
    tally_fit_free(f);
    tally_design_free(d);
}

Test(glm, negbin_matches_glm_nb)
{
    /* g3 <- MASS::glm.nb(y ~ t + x + offset(log(e)),
     *                    control = glm.control(epsilon = 1e-12, maxit = 100))
     * glm.nb stops theta's Newton steps at |step| < 1.2e-4 while tally
     * solves theta to rounding, so the agreement is that of two nearby
     * optima: rtol 1e-6 (the reference cases allow 1e-4 for theta). */
    tally_design *d = make(ys, 1);
    tally_fit *f = fit(d, TALLY_FAMILY_NEGBIN);
    static const double coef[3] = {-3.9130196915165731, 0.047182997963978998,
                                   0.17633742143768963}; /* coef(g3) */
    static const double se[3] = {0.37775209483328409, 0.020403222213342703,
                                 0.10956151362142454}; /* vcov(g3) */
    for (size_t j = 0; j < 3; j++) {
        cr_expect(rel_ok(f->estimate[j], coef[j], 1e-6), "b%zu %.17g", j,
                  f->estimate[j]);
        cr_expect(rel_ok(f->std_error[j], se[j], 1e-6), "se%zu %.17g", j,
                  f->std_error[j]);
    }
    cr_expect(rel_ok(f->theta, 1.4646759979167303, 1e-6), "%.17g", f->theta);
    cr_expect(rel_ok(f->loglik, -79.36363460883878, 1e-9)); /* logLik(g3) */
    cr_expect(rel_ok(f->null_deviance, 46.024282268294463, 1e-6));
    cr_expect(rel_ok(f->aic, -2 * f->loglik + 2 * 4, 1e-14));
    cr_expect(f->theta_se > 0);
    tally_fit_free(f);
    tally_design_free(d);
}

Test(glm, failures_are_errors_not_numbers)
{
    double y[N];
    tally_fit *f = NULL;
    tally_fit_options o;
    tally_fit_options_init(&o);
    o.family = TALLY_FAMILY_POISSON;

    /* All-zero series: no finite MLE. */
    memset(y, 0, sizeof y);
    tally_design *d = make(y, 0);
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_ECONSTANT);
    tally_design_free(d);

    /* Negative and fractional counts. */
    memcpy(y, ys, sizeof y);
    y[3] = -1;
    d = make(y, 0);
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_EDOMAIN);
    tally_design_free(d);
    y[3] = 0.5;
    d = make(y, 0);
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_EDOMAIN);
    o.family = TALLY_FAMILY_QUASIPOISSON; /* quasi allows non-integers */
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_OK, "%s",
                 tally_last_error());
    tally_fit_free(f);
    f = NULL;
    tally_design_free(d);

    /* Separation: a dummy on rows whose counts are all 0 drives its
     * coefficient to -infinity (R "converges" with a huge estimate). */
    o.family = TALLY_FAMILY_POISSON;
    memcpy(y, ys, sizeof y);
    double dummy[N] = {0};
    for (size_t i = 0; i < N; i += 6) {
        y[i] = 0;
        dummy[i] = 1;
    }
    d = make(y, 0);
    cr_assert_eq(tally_design_add_column(d, "zeroes", dummy), TALLY_OK);
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_ENOCONV);
    cr_expect(strstr(tally_last_error(), "zeroes") != NULL, "%s",
              tally_last_error());
    cr_expect_null(f);
    o.family = TALLY_FAMILY_NEGBIN;
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_ENOCONV);
    tally_design_free(d);

    /* Singular design in a GLM. */
    o.family = TALLY_FAMILY_POISSON;
    d = make(ys, 0);
    double tt[N];
    for (size_t i = 0; i < N; i++) {
        tt[i] = 3.0 * (double)(i + 1);
    }
    cr_assert_eq(tally_design_add_column(d, "time3", tt), TALLY_OK);
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_ESINGULAR);
    cr_expect(strstr(tally_last_error(), "time3") != NULL, "%s",
              tally_last_error());
    tally_design_free(d);

    /* No overdispersion (counts equal to a smooth trend): theta runs to
     * infinity and negbin refuses. */
    o.family = TALLY_FAMILY_NEGBIN;
    for (size_t i = 0; i < N; i++) {
        y[i] = 10;
    }
    d = make(y, 0);
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_ENOCONV);
    tally_design_free(d);

    /* Too few iterations allowed: no convergence, an error. */
    o.family = TALLY_FAMILY_POISSON;
    o.maxit = 1;
    d = make(ys, 1);
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_ENOCONV);
    tally_design_free(d);
}

Test(glm, theta_ml_and_logliks)
{
    /* At mu = mean(y), theta.ml(y, rep(mean(y), length(y))) in MASS gives
     * the ML theta of an intercept-only model; check the score is zero
     * there: a tiny step either way lowers the likelihood. */
    double mu[N], m = 0;
    for (size_t i = 0; i < N; i++) {
        m += ys[i];
    }
    m /= N;
    for (size_t i = 0; i < N; i++) {
        mu[i] = m;
    }
    double th, se;
    cr_assert_eq(tally_glm_theta_ml(N, ys, mu, NULL, 1e-12, 50, &th, &se),
                 TALLY_OK, "%s", tally_last_error());
    double l0 = tally_glm_loglik_negbin(N, ys, mu, NULL, th);
    cr_expect(l0 >= tally_glm_loglik_negbin(N, ys, mu, NULL, th * 1.001));
    cr_expect(l0 >= tally_glm_loglik_negbin(N, ys, mu, NULL, th * 0.999));
    /* Poisson log-likelihood of y = 0, 1, 2 at mu = 1:
     * sum(dpois(0:2, 1, log = TRUE)) = -3 - log(2). */
    double y3[3] = {0, 1, 2}, m3[3] = {1, 1, 1};
    cr_expect(fabs(tally_glm_loglik_poisson(3, y3, m3, NULL) - (-3 - log(2.0)))
              < 1e-15);
}

/* ---- The reference cases of shared/reference (seatbelts ITS). ---- */

/* Find the value a check path names in our fit (NULL path kinds: not
 * handled here, e.g. "family"). */
static int fit_value(const tally_fit *f, const char *path, double *out)
{
    char term[64], field[64];
    if (sscanf(path, "coefficients[term=%63[^]]].%63s", term, field) == 2) {
        long j = tally_fit_term(f, term);
        cr_assert(j >= 0, "no term %s", term);
        if (strcmp(field, "estimate") == 0) {
            *out = f->estimate[j];
        } else if (strcmp(field, "std_error") == 0) {
            *out = f->std_error[j];
        } else if (strcmp(field, "statistic") == 0) {
            *out = f->statistic[j];
        } else if (strcmp(field, "p_value") == 0) {
            *out = f->p_value[j];
        } else if (strcmp(field, "conf_low") == 0) {
            *out = f->conf_low[j];
        } else if (strcmp(field, "conf_high") == 0) {
            *out = f->conf_high[j];
        } else {
            return 0;
        }
        return 1;
    }
    static const struct {
        const char *name;
        size_t off;
    } scalars[] = {{"loglik", offsetof(tally_fit, loglik)},
                   {"aic", offsetof(tally_fit, aic)},
                   {"bic", offsetof(tally_fit, bic)},
                   {"deviance", offsetof(tally_fit, deviance)},
                   {"null_deviance", offsetof(tally_fit, null_deviance)},
                   {"dispersion", offsetof(tally_fit, dispersion)},
                   {"theta", offsetof(tally_fit, theta)},
                   {"df_residual", offsetof(tally_fit, df_residual)}};
    for (size_t k = 0; k < sizeof scalars / sizeof scalars[0]; k++) {
        if (strcmp(path, scalars[k].name) == 0) {
            memcpy(out, (const char *)f + scalars[k].off, sizeof *out);
            return 1;
        }
    }
    if (strcmp(path, "n") == 0) {
        *out = (double)f->n;
        return 1;
    }
    return 0;
}

static void reference_case(const char *name)
{
    const char *shared = getenv("TALLY_SHARED");
    if (shared == NULL) {
        cr_skip_test("TALLY_SHARED is not set");
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/reference/cases/%s/case.json", shared,
             name);
    json_error_t jerr;
    json_t *c = json_load_file(path, 0, &jerr);
    if (c == NULL) {
        cr_skip_test("%s absent or unreadable", path);
    }
    /* Options from the case's command line. */
    json_t *args = json_object_get(c, "args");
    const char *value = NULL, *brk = NULL, *season = "none";
    tally_fit_options o;
    tally_fit_options_init(&o);
    o.epsilon = 1e-13; /* glm.control(epsilon = 1e-13) in the source */
    for (size_t i = 0; i + 1 < json_array_size(args); i++) {
        const char *a = json_string_value(json_array_get(args, i));
        const char *v = json_string_value(json_array_get(args, i + 1));
        if (strcmp(a, "--value") == 0) {
            value = v;
        } else if (strcmp(a, "--break") == 0) {
            brk = v;
        } else if (strcmp(a, "--season") == 0) {
            season = v;
        } else if (strcmp(a, "--family") == 0) {
            cr_assert_eq(tally_family_parse(v, &o.family), TALLY_OK);
        }
    }
    cr_assert(value != NULL && brk != NULL);
    snprintf(path, sizeof path, "%s/reference/cases/%s/input.csv", shared,
             name);
    tally_frame_set *set = NULL;
    cr_assert_eq(tally_series_read(path, NULL, &set), TALLY_OK, "%s",
                 tally_last_error());
    tally_frame *fr = set->frames[0];
    tally_design *d = NULL;
    cr_assert_eq(tally_design_from_frame(fr, value, &d), TALLY_OK);
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    cr_assert_eq(tally_design_add_time(d), TALLY_OK);
    /* level = 1 from the break period on; slope = 0 before it, then
     * 1, 2, ... (README "Designs"). */
    tally_freq fq = fr->freq;
    tally_period pb;
    cr_assert_eq(tally_period_parse(brk, &fq, &pb), TALLY_OK);
    double *level = malloc(fr->n * sizeof *level);
    double *slope = malloc(fr->n * sizeof *slope);
    for (size_t i = 0; i < fr->n; i++) {
        tally_period p = fr->start + (tally_period)i;
        level[i] = p >= pb ? 1.0 : 0.0;
        slope[i] = p >= pb ? (double)(p - pb + 1) : 0.0;
    }
    cr_assert_eq(tally_design_add_column(d, "level", level), TALLY_OK);
    cr_assert_eq(tally_design_add_column(d, "slope", slope), TALLY_OK);
    if (strcmp(season, "dummies") == 0) {
        cr_assert_eq(tally_design_add_season(d, TALLY_SEASON_DUMMIES, 0),
                     TALLY_OK);
    } else if (strncmp(season, "fourier:", 8) == 0) {
        cr_assert_eq(tally_design_add_season(d, TALLY_SEASON_FOURIER,
                                             (int)strtol(season + 8, NULL,
                                                         10)),
                     TALLY_OK);
    }
    tally_fit *f = NULL;
    cr_assert_eq(tally_fit_model(d, &o, &f), TALLY_OK, "%s",
                 tally_last_error());
    size_t nchecked = 0;
    json_t *checks = json_object_get(c, "checks");
    for (size_t k = 0; k < json_array_size(checks); k++) {
        json_t *ck = json_array_get(checks, k);
        const char *p = json_string_value(json_object_get(ck, "path"));
        json_t *ej = json_object_get(ck, "expected");
        if (!json_is_number(ej)) {
            continue;
        }
        double want = json_number_value(ej);
        double rtol = json_number_value(json_object_get(ck, "rtol"));
        double atol = json_number_value(json_object_get(ck, "atol"));
        double got;
        cr_assert(fit_value(f, p, &got), "unknown path %s", p);
        /* The checker's rule: |got - want| <= atol + rtol |want|. */
        cr_expect(fabs(got - want) <= atol + rtol * fabs(want),
                  "%s %s: %.17g, R %.17g", name, p, got, want);
        nchecked++;
    }
    cr_expect(nchecked > 50, "only %zu checks", nchecked);
    free(level);
    free(slope);
    tally_fit_free(f);
    tally_design_free(d);
    tally_frame_set_free(set);
    json_decref(c);
}

Test(glm, reference_seatbelts_poisson)
{
    reference_case("seatbelts-driverskilled-poisson-its");
}

Test(glm, reference_seatbelts_quasipoisson_fourier)
{
    reference_case("seatbelts-front-quasipoisson-its");
}

Test(glm, reference_seatbelts_negbin)
{
    reference_case("seatbelts-rear-negbin-its");
}
