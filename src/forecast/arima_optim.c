/* SPDX-License-Identifier: MIT
 *
 * Minimisation for ARIMA estimation: GSL's vector BFGS (bfgs2, Fletcher's
 * line search) with a finite-difference gradient, as stats::arima uses
 * optim(method = "BFGS") with numerical derivatives.  The objective is
 * smooth (a log-likelihood per observation); forward differences cost dim
 * evaluations per gradient, central ones 2 dim.  A failed evaluation (a
 * point outside the model's domain) returns a large finite value so that
 * the line search backs off, and a central difference falls back to one
 * side.
 */
#include "forecast/arima_optim.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <string.h>

/* Value returned by objectives for points where the likelihood cannot be
 * computed; finite so that the line search can back off. */
#define BAD_VALUE 1e10

typedef struct {
    tly_objfn f;       /* the objective */
    void *ctx;         /* its data */
    double h;          /* difference step */
    int central;       /* central (1) or forward (0) differences */
    size_t evals;      /* evaluations so far */
    double xbuf[TLY_OPT_MAXDIM];
} opt_ctx;

static double eval(opt_ctx *c, const double *x)
{
    double v = c->f(x, c->ctx);
    c->evals++;
    return isfinite(v) ? v : BAD_VALUE;
}

static double gsl_f(const gsl_vector *x, void *params)
{
    opt_ctx *c = params;
    return eval(c, x->data);
}

static void gsl_df_with(const gsl_vector *x, void *params, double f0,
                        gsl_vector *g)
{
    opt_ctx *c = params;
    size_t n = x->size;
    memcpy(c->xbuf, x->data, n * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        double xi = c->xbuf[i];
        c->xbuf[i] = xi + c->h;
        double fp = eval(c, c->xbuf);
        c->xbuf[i] = xi;
        if (!c->central) {
            gsl_vector_set(g, i, fp < BAD_VALUE ? (fp - f0) / c->h : 0.0);
            continue;
        }
        c->xbuf[i] = xi - c->h;
        double fm = eval(c, c->xbuf);
        c->xbuf[i] = xi;
        double gi;
        if (fp < BAD_VALUE && fm < BAD_VALUE) {
            gi = (fp - fm) / (2 * c->h);
        } else if (fp < BAD_VALUE) {
            gi = (fp - f0) / c->h;
        } else if (fm < BAD_VALUE) {
            gi = (f0 - fm) / c->h;
        } else {
            gi = 0.0;
        }
        gsl_vector_set(g, i, gi);
    }
}

static void gsl_df(const gsl_vector *x, void *params, gsl_vector *g)
{
    opt_ctx *c = params;
    gsl_df_with(x, params, eval(c, x->data), g);
}

static void gsl_fdf(const gsl_vector *x, void *params, double *f,
                    gsl_vector *g)
{
    opt_ctx *c = params;
    *f = eval(c, x->data);
    gsl_df_with(x, params, *f, g);
}

int tly_minimize(tly_objfn f, void *ctx, double *x, size_t dim,
                 const tly_opt_control *ctl, tly_opt_result *res)
{
    opt_ctx c;
    gsl_multimin_function_fdf fdf;
    double xv[TLY_OPT_MAXDIM];
    int converged = 0;
    size_t iter = 0;

    memset(res, 0, sizeof *res);
    if (dim == 0 || dim > TLY_OPT_MAXDIM) {
        res->fmin = dim == 0 ? f(x, ctx) : NAN;
        res->converged = dim == 0;
        return dim == 0 ? 0 : -1;
    }
    c.f = f;
    c.ctx = ctx;
    c.h = ctl->hstep;
    c.central = ctl->central;
    c.evals = 0;
    fdf.n = dim;
    fdf.f = gsl_f;
    fdf.df = gsl_df;
    fdf.fdf = gsl_fdf;
    fdf.params = &c;

    gsl_multimin_fdfminimizer *s =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2,
                                        dim);
    if (s == NULL) {
        return -1;
    }
    memcpy(xv, x, dim * sizeof *xv);
    gsl_vector_view xview = gsl_vector_view_array(xv, dim);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    double f0 = eval(&c, xv);
    if (gsl_multimin_fdfminimizer_set(s, &fdf, &xview.vector, ctl->step,
                                      ctl->linetol) != GSL_SUCCESS) {
        gsl_set_error_handler(old);
        gsl_multimin_fdfminimizer_free(s);
        return -1;
    }
    double fprev = s->f;
    int stalls = 0;
    while (iter < ctl->maxit) {
        iter++;
        int st = gsl_multimin_fdfminimizer_iterate(s);
        if (gsl_multimin_test_gradient(s->gradient, ctl->gtol)
            == GSL_SUCCESS) {
            converged = 1;
            break;
        }
        if (st != GSL_SUCCESS) {
            /* No progress possible along the search direction: at the
             * optimum up to the numerical gradient's accuracy when the
             * relative change is tiny. */
            converged = fabs(fprev - s->f) <= ctl->ftol * (fabs(s->f) + 1e-3)
                        || gsl_blas_dnrm2(s->gradient) < 100 * ctl->gtol;
            break;
        }
        /* Stop when the objective no longer moves (R's reltol test). */
        if (fabs(fprev - s->f) <= ctl->ftol * (fabs(s->f) + 1e-3)) {
            if (++stalls >= 2) {
                converged = 1;
                break;
            }
        } else {
            stalls = 0;
        }
        fprev = s->f;
    }
    gsl_set_error_handler(old);
    if (s->f <= f0) {
        memcpy(x, s->x->data, dim * sizeof *x);
        res->fmin = s->f;
    } else {
        res->fmin = f0;
    }
    res->iterations = iter;
    res->evaluations = c.evals;
    res->converged = converged;
    gsl_multimin_fdfminimizer_free(s);
    return 0;
}
