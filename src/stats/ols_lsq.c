/* SPDX-License-Identifier: MIT
 *
 * Weighted least squares by Householder QR of the column-scaled design,
 * with iterative refinement of the augmented system in extended precision
 * (Bjorck 1967, "Iterative refinement of linear least squares solutions
 * I", BIT 7; Golub & Van Loan, Matrix Computations, 4th ed., 5.3.8).
 *
 * With A = W^(1/2) X, b = W^(1/2) y and D = diag(||A_j||), the scaled
 * matrix A D^-1 = Q R.  The least-squares solution and its residual solve
 * the augmented system
 *
 *     [ I   A ] [ r    ]   [ b ]
 *     [ A'  0 ] [ beta ] = [ 0 ],
 *
 * and each refinement step computes f = b - r - A beta and g = -A' r in
 * long double, then the corrections from the QR factors:
 *     h = R^-T D^-1 g,  e = Q' f,  dbeta = D^-1 R^-1 (e_1 - h),
 *     dr = Q [h; e_2].
 * This recovers most of the digits lost to the condition number (NIST's
 * Filip and Wampler sets).  The rank is judged from the singular values of
 * R, which are those of the scaled design.
 */
#include "tally/tally_ols.h"
#include "tally/tally_status.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Refinement steps at most; each usually gains as many digits as the
 * extended precision allows, and two are nearly always enough. */
#define LSQ_REFINE_MAX 4

tally_lsq *tally_lsq_alloc(size_t n, size_t p)
{
    tally_lsq *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return NULL;
    }
    s->n = n;
    s->p = p;
    s->refine = LSQ_REFINE_MAX;
    s->beta = calloc(p ? p : 1, sizeof *s->beta);
    s->cov_unscaled = calloc(p > 0 ? p * p : 1, sizeof *s->cov_unscaled);
    s->resid = calloc(n ? n : 1, sizeof *s->resid);
    s->hat = calloc(n ? n : 1, sizeof *s->hat);
    s->null_vec = calloc(p ? p : 1, sizeof *s->null_vec);
    if (s->beta == NULL || s->cov_unscaled == NULL || s->resid == NULL
        || s->hat == NULL || s->null_vec == NULL) {
        tally_lsq_free(s);
        return NULL;
    }
    return s;
}

void tally_lsq_free(tally_lsq *s)
{
    if (s == NULL) {
        return;
    }
    free(s->beta);
    free(s->cov_unscaled);
    free(s->resid);
    free(s->hat);
    free(s->null_vec);
    free(s);
}

/* Solve R z = c (R upper triangular, the top p x p of qr) in place. */
static void back_solve(const gsl_matrix *qr, size_t p, double *c)
{
    for (size_t ii = p; ii-- > 0;) {
        double sum = c[ii];
        for (size_t j = ii + 1; j < p; j++) {
            sum -= gsl_matrix_get(qr, ii, j) * c[j];
        }
        c[ii] = sum / gsl_matrix_get(qr, ii, ii);
    }
}

/* Solve R' z = c in place (forward substitution). */
static void forward_solve_t(const gsl_matrix *qr, size_t p, double *c)
{
    for (size_t ii = 0; ii < p; ii++) {
        double sum = c[ii];
        for (size_t j = 0; j < ii; j++) {
            sum -= gsl_matrix_get(qr, j, ii) * c[j];
        }
        c[ii] = sum / gsl_matrix_get(qr, ii, ii);
    }
}

/* The singular values of R (= those of the scaled design) and the right
 * singular vector of the smallest one. */
static int condition(tally_lsq *s, const gsl_matrix *qr)
{
    size_t p = s->p;
    gsl_matrix *r = gsl_matrix_calloc(p, p);
    gsl_matrix *v = gsl_matrix_alloc(p, p);
    gsl_vector *sv = gsl_vector_alloc(p);
    gsl_vector *work = gsl_vector_alloc(p);
    if (r == NULL || v == NULL || sv == NULL || work == NULL) {
        gsl_matrix_free(r);
        gsl_matrix_free(v);
        gsl_vector_free(sv);
        gsl_vector_free(work);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < p; i++) {
        for (size_t j = i; j < p; j++) {
            gsl_matrix_set(r, i, j, gsl_matrix_get(qr, i, j));
        }
    }
    gsl_linalg_SV_decomp(r, v, sv, work);
    /* GSL sorts the singular values in decreasing order. */
    double smax = gsl_vector_get(sv, 0), smin = gsl_vector_get(sv, p - 1);
    s->cond = smin > 0 ? smax / smin : INFINITY;
    double big = -1;
    for (size_t j = 0; j < p; j++) {
        s->null_vec[j] = gsl_matrix_get(v, j, p - 1);
        if (fabs(s->null_vec[j]) > big) {
            big = fabs(s->null_vec[j]);
            s->worst = j;
        }
    }
    gsl_matrix_free(r);
    gsl_matrix_free(v);
    gsl_vector_free(sv);
    gsl_vector_free(work);
    return TALLY_OK;
}

int tally_lsq_solve(tally_lsq *s, const double *x, const double *y,
                    const double *w, double tol, int want_hat)
{
    size_t n = s->n, p = s->p;
    if (p == 0 || n < p) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "%zu observations for %zu coefficients", n, p);
    }
    int st = TALLY_OK;
    gsl_matrix *qr = gsl_matrix_alloc(n, p);
    gsl_vector *tau = gsl_vector_alloc(p);
    gsl_vector *vn = gsl_vector_alloc(n);
    double *sw = malloc(n * sizeof *sw);
    double *dsc = malloc(p * sizeof *dsc);
    double *vp = malloc(p * sizeof *vp);
    double *hp = malloc(p * sizeof *hp);
    if (qr == NULL || tau == NULL || vn == NULL || sw == NULL || dsc == NULL
        || vp == NULL || hp == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        goto done;
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();

    /* Row weights sqrt(w_i) and column norms of W^(1/2) X. */
    for (size_t i = 0; i < n; i++) {
        sw[i] = w != NULL ? sqrt(w[i]) : 1.0;
    }
    for (size_t j = 0; j < p; j++) {
        /* Norm by scaled summation to avoid overflow on huge columns. */
        double scale = 0, ssq = 1;
        for (size_t i = 0; i < n; i++) {
            double a = fabs(sw[i] * x[i * p + j]);
            if (a > 0) {
                if (scale < a) {
                    ssq = 1 + ssq * (scale / a) * (scale / a);
                    scale = a;
                } else {
                    ssq += (a / scale) * (a / scale);
                }
            }
        }
        dsc[j] = scale * sqrt(ssq);
        if (!(dsc[j] > 0) || !isfinite(dsc[j])) {
            /* A zero column: exactly rank deficient. */
            memset(s->null_vec, 0, p * sizeof *s->null_vec);
            s->null_vec[j] = 1;
            s->worst = j;
            s->cond = INFINITY;
            st = TALLY_ESINGULAR;
            gsl_set_error_handler(old);
            goto done;
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < p; j++) {
            gsl_matrix_set(qr, i, j, sw[i] * x[i * p + j] / dsc[j]);
        }
    }
    gsl_linalg_QR_decomp(qr, tau);
    st = condition(s, qr);
    if (st == TALLY_OK && !(s->cond * tol < 1)) {
        st = TALLY_ESINGULAR;
    }
    if (st != TALLY_OK) {
        gsl_set_error_handler(old);
        goto done;
    }

    /* First solution: c = Q'b, z = R^-1 c_1, beta = D^-1 z, r = Q [0; c_2]. */
    for (size_t i = 0; i < n; i++) {
        gsl_vector_set(vn, i, sw[i] * y[i]);
    }
    gsl_linalg_QR_QTvec(qr, tau, vn);
    for (size_t j = 0; j < p; j++) {
        vp[j] = gsl_vector_get(vn, j);
        gsl_vector_set(vn, j, 0.0);
    }
    back_solve(qr, p, vp);
    for (size_t j = 0; j < p; j++) {
        s->beta[j] = vp[j] / dsc[j];
    }
    gsl_linalg_QR_Qvec(qr, tau, vn);
    /* s->resid holds the weighted residual r = b - A beta meanwhile. */
    for (size_t i = 0; i < n; i++) {
        s->resid[i] = gsl_vector_get(vn, i);
    }

    for (int it = 0; it < s->refine; it++) {
        /* g = -A' r, accumulated in long double. */
        for (size_t j = 0; j < p; j++) {
            long double g = 0;
            for (size_t i = 0; i < n; i++) {
                g -= (long double)sw[i] * x[i * p + j] * s->resid[i];
            }
            hp[j] = (double)g / dsc[j];
        }
        /* f = b - r - A beta, in long double. */
        for (size_t i = 0; i < n; i++) {
            long double ax = 0;
            for (size_t j = 0; j < p; j++) {
                ax += (long double)x[i * p + j] * s->beta[j];
            }
            long double f = (long double)sw[i] * ((long double)y[i] - ax)
                            - s->resid[i];
            gsl_vector_set(vn, i, (double)f);
        }
        forward_solve_t(qr, p, hp); /* h = R^-T D^-1 g */
        gsl_linalg_QR_QTvec(qr, tau, vn); /* e = Q' f */
        double dmax = 0, bmax = 0;
        for (size_t j = 0; j < p; j++) {
            vp[j] = gsl_vector_get(vn, j) - hp[j];
            gsl_vector_set(vn, j, hp[j]);
        }
        back_solve(qr, p, vp);
        for (size_t j = 0; j < p; j++) {
            double db = vp[j] / dsc[j];
            s->beta[j] += db;
            /* Compare the step with beta on the scaled (comparable) axes. */
            dmax = fmax(dmax, fabs(vp[j]));
            bmax = fmax(bmax, fabs(s->beta[j] * dsc[j]));
        }
        gsl_linalg_QR_Qvec(qr, tau, vn); /* dr = Q [h; e_2] */
        for (size_t i = 0; i < n; i++) {
            s->resid[i] += gsl_vector_get(vn, i);
        }
        if (dmax <= 1e-17 * bmax) {
            break;
        }
    }

    /* Unweighted residuals y - X beta in long double (the refined r is
     * weighted; recomputing keeps them exact for zero-weight-free data),
     * and the weighted RSS. */
    long double rss = 0;
    for (size_t i = 0; i < n; i++) {
        long double ax = 0;
        for (size_t j = 0; j < p; j++) {
            ax += (long double)x[i * p + j] * s->beta[j];
        }
        long double e = (long double)y[i] - ax;
        s->resid[i] = (double)e;
        rss += (w != NULL ? (long double)w[i] : 1.0L) * e * e;
    }
    s->rss = (double)rss;

    /* (X'WX)^-1 = D^-1 R^-1 R^-T D^-1: invert R column by column. */
    {
        double *rinv = malloc(p * p * sizeof *rinv);
        if (rinv == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            gsl_set_error_handler(old);
            goto done;
        }
        for (size_t j = 0; j < p; j++) {
            for (size_t i = 0; i < p; i++) {
                vp[i] = i == j ? 1.0 : 0.0;
            }
            back_solve(qr, p, vp);
            for (size_t i = 0; i < p; i++) {
                rinv[i * p + j] = vp[i];
            }
        }
        for (size_t i = 0; i < p; i++) {
            for (size_t j = 0; j <= i; j++) {
                double sum = 0;
                /* R^-1 is upper triangular: row i starts at column i. */
                for (size_t k = (i > j ? i : j); k < p; k++) {
                    sum += rinv[i * p + k] * rinv[j * p + k];
                }
                sum /= dsc[i] * dsc[j];
                s->cov_unscaled[i * p + j] = sum;
                s->cov_unscaled[j * p + i] = sum;
            }
        }
        free(rinv);
    }

    /* Hat values h_i = ||R^-T a_i||^2, a_i the i-th scaled weighted row. */
    if (want_hat) {
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < p; j++) {
                vp[j] = sw[i] * x[i * p + j] / dsc[j];
            }
            forward_solve_t(qr, p, vp);
            double h = 0;
            for (size_t j = 0; j < p; j++) {
                h += vp[j] * vp[j];
            }
            s->hat[i] = h;
        }
    }
    gsl_set_error_handler(old);

done:
    gsl_matrix_free(qr);
    gsl_vector_free(tau);
    gsl_vector_free(vn);
    free(sw);
    free(dsc);
    free(vp);
    free(hp);
    return st;
}
