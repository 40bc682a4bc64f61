/* SPDX-License-Identifier: MIT
 *
 * NIST Statistical Reference Datasets, linear regression (NIST ITL, StRD,
 * https://www.itl.nist.gov/div898/strd/): every .dat file in
 * $TALLY_SHARED/data/nist-strd/linreg is parsed, the model it states is
 * fitted with tally_fit_model (gaussian), and the estimates, their
 * standard deviations, the residual standard deviation and R^2 are
 * compared with the certified values printed in the same file.  The
 * number of correct significant digits, -log10(max relative error), is
 * reported per file and must be at least 7 (NIST's own yardstick for a
 * good double-precision solver); Filip must be fitted, not declared
 * rank deficient.  Skips when the files are absent.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_status.h"

#define MAXP 16
#define MAXN 128
#define MAXX 8

typedef struct {
    size_t npar;            /* parameters B0..  (or B1.. without B0) */
    int intercept;          /* the model has B0 */
    double est[MAXP], sd[MAXP];
    double resid_sd, r2;
    int have_sd, have_r2;   /* both certified values were read */
    size_t n, nx;           /* observations and predictor columns */
    double y[MAXN], x[MAXN][MAXX];
} nist_file;

/* Parse a double written "0.334910077722432E-01" or "-1467.48961422980". */
static double num(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    cr_assert(end != s, "no number in '%s'", s);
    return v;
}

static int parse(const char *path, nist_file *f)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        return 0;
    }
    memset(f, 0, sizeof *f);
    char line[512];
    int lineno = 0, data_from = 0, in_data = 0, want_sd = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (data_from == 0) {
            char *d = strstr(line, "Data     ");
            int a, b;
            if (d != NULL && sscanf(d, "Data (lines %d to %d)", &a, &b) == 2) {
                data_from = a;
            } else if (d != NULL) {
                char *q = strstr(line, "(lines");
                if (q != NULL && sscanf(q, "(lines %d to %d)", &a, &b) == 2) {
                    data_from = a;
                }
            }
        }
        if (in_data || (data_from > 0 && lineno >= data_from)) {
            in_data = 1;
            double v[MAXX + 1];
            size_t k = 0;
            char *s = p, *end;
            while (k < MAXX + 1) {
                double t = strtod(s, &end);
                if (end == s) {
                    break;
                }
                v[k++] = t;
                s = end;
            }
            if (k >= 2) {
                cr_assert(f->n < MAXN);
                f->y[f->n] = v[0];
                for (size_t j = 1; j < k; j++) {
                    f->x[f->n][j - 1] = v[j];
                }
                f->nx = k - 1;
                f->n++;
            }
            continue;
        }
        /* Certified parameter lines: "B3   estimate   sd". */
        unsigned b;
        char e[64], s[64];
        if (p[0] == 'B' && sscanf(p, "B%u %63s %63s", &b, e, s) == 3) {
            if (b == 0) {
                f->intercept = 1;
            }
            size_t k = f->npar++;
            cr_assert(k < MAXP);
            f->est[k] = num(e);
            f->sd[k] = num(s);
            continue;
        }
        if (strncmp(p, "Residual", 8) == 0 && strstr(p, "Standard") == NULL
            && f->npar > 0 && !f->have_sd && strstr(p, "  ") == NULL) {
            want_sd = 1;
            continue;
        }
        if (strncmp(p, "Standard Deviation", 18) == 0 && want_sd) {
            f->resid_sd = num(p + 18);
            f->have_sd = 1;
            want_sd = 0;
            continue;
        }
        if (strncmp(p, "R-Squared", 9) == 0) {
            f->r2 = num(p + 9);
            f->have_r2 = 1;
        }
    }
    fclose(fp);
    cr_assert(f->have_sd && f->have_r2, "%s: certified values not read",
              path);
    return f->n > 0 && f->npar > 0;
}

/* Correct significant digits of got against the certified value; when
 * the certified value is exactly 0 (Wampler1's exact fit) the error is
 * measured relative to `scale`, the size of the quantity it belongs to
 * (the estimate for its standard deviation, the spread of y for the
 * residual standard deviation). */
static double digits(double got, double want, double scale)
{
    double rel = want != 0 ? fabs(got - want) / fabs(want)
                           : fabs(got) / fabs(scale);
    return rel > 0 ? fmin(-log10(rel), 16.0) : 16.0;
}

static double check_file(const char *name, const char *shared)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/data/nist-strd/linreg/%s.dat", shared,
             name);
    static nist_file f;
    if (!parse(path, &f)) {
        cr_skip_test("%s not found or unreadable: NIST StRD data absent",
                     path);
    }
    tally_design *d = tally_design_alloc(f.n);
    cr_assert_not_null(d);
    for (size_t i = 0; i < f.n; i++) {
        d->y[i] = f.y[i];
    }
    if (f.intercept) {
        cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    }
    size_t nreg = f.npar - (size_t)f.intercept;
    double col[MAXN];
    char term[32];
    for (size_t j = 0; j < nreg; j++) {
        for (size_t i = 0; i < f.n; i++) {
            if (f.nx == nreg) {
                col[i] = f.x[i][j];
            } else {
                /* Polynomial models: powers of the one predictor, formed
                 * in long double and rounded once. */
                cr_assert_eq(f.nx, 1, "%s: cannot read the model", name);
                long double v = 1;
                for (size_t k = 0; k <= j; k++) {
                    v *= f.x[i][0];
                }
                col[i] = (double)v;
            }
        }
        snprintf(term, sizeof term, "x%zu", j + 1);
        cr_assert_eq(tally_design_add_column(d, term, col), TALLY_OK);
    }
    tally_fit_options o;
    tally_fit_options_init(&o);
    o.diagnostics = 0;
    tally_fit *fit = NULL;
    int st = tally_fit_model(d, &o, &fit);
    cr_assert_eq(st, TALLY_OK, "%s: %s", name, tally_last_error());
    double worst = 16;
    double ymean = 0, yss = 0;
    for (size_t i = 0; i < f.n; i++) {
        ymean += f.y[i] / (double)f.n;
    }
    for (size_t i = 0; i < f.n; i++) {
        yss += (f.y[i] - ymean) * (f.y[i] - ymean);
    }
    double ysd = sqrt(yss / (double)(f.n - 1));
    for (size_t k = 0; k < f.npar; k++) {
        worst = fmin(worst, digits(fit->estimate[k], f.est[k], 1));
        worst = fmin(worst, digits(fit->std_error[k], f.sd[k], f.est[k]));
    }
    worst = fmin(worst, digits(fit->sigma, f.resid_sd, ysd));
    worst = fmin(worst, digits(fit->r_squared, f.r2, 1));
    cr_log_info("NIST StRD %-9s: %.1f significant digits (n = %zu, p = %zu)",
                name, worst, f.n, f.npar);
    fprintf(stderr, "NIST StRD %-9s: %.1f significant digits\n", name, worst);
    tally_fit_free(fit);
    tally_design_free(d);
    return worst;
}

static const char *shared_dir(void)
{
    const char *s = getenv("TALLY_SHARED");
    if (s == NULL || s[0] == '\0') {
        cr_skip_test("TALLY_SHARED is not set");
    }
    return s;
}

#define NIST_TEST(NAME)                                                      \
    Test(nist, NAME)                                                         \
    {                                                                        \
        double dg = check_file(#NAME, shared_dir());                         \
        cr_expect(dg >= 7.0, #NAME ": only %.2f significant digits", dg);    \
    }

NIST_TEST(Norris)
NIST_TEST(Pontius)
NIST_TEST(NoInt1)
NIST_TEST(NoInt2)
NIST_TEST(Filip)
NIST_TEST(Longley)
NIST_TEST(Wampler1)
NIST_TEST(Wampler2)
NIST_TEST(Wampler3)
NIST_TEST(Wampler4)
NIST_TEST(Wampler5)
