/* SPDX-License-Identifier: MIT
 *
 * Sandwich covariances (tally_vcov.h): V = B M B, B = (X'WX)^-1, with the
 * meat from the score contributions psi_i = x_i u_i.  Conventions of R's
 * sandwich package (Zeileis 2004, 2006): vcovHC types HC0..HC3 with the
 * hat values of the weighted fit, and NeweyWest(lag = L, prewhite = FALSE,
 * adjust = FALSE), the Bartlett kernel w_l = 1 - l/(L + 1).  (sandwich
 * writes the meat and bread with factors n and 1/n that cancel in B M B.)
 */
#include "tally/tally_vcov.h"
#include "tally/tally_status.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *tally_vcov_name(tally_vcov_type t)
{
    switch (t) {
    case TALLY_VCOV_CLASSICAL:
        return "classical";
    case TALLY_VCOV_HC0:
        return "HC0";
    case TALLY_VCOV_HC1:
        return "HC1";
    case TALLY_VCOV_HC2:
        return "HC2";
    case TALLY_VCOV_HC3:
        return "HC3";
    case TALLY_VCOV_HAC:
        return "HAC";
    }
    return "unknown";
}

int tally_vcov_parse_robust(const char *s, tally_vcov_type *out)
{
    static const struct {
        const char *name;
        tally_vcov_type type;
    } map[] = {{"hc0", TALLY_VCOV_HC0},
               {"hc1", TALLY_VCOV_HC1},
               {"hc2", TALLY_VCOV_HC2},
               {"hc3", TALLY_VCOV_HC3}};
    char low[8];
    size_t len = strlen(s);
    if (len >= sizeof low) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "--robust must be hc0, hc1, hc2 or hc3, not '%s'",
                           s);
    }
    for (size_t i = 0; i <= len; i++) {
        low[i] = (char)tolower((unsigned char)s[i]);
    }
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
        if (strcmp(low, map[k].name) == 0) {
            *out = map[k].type;
            return TALLY_OK;
        }
    }
    return TALLY_ERROR(TALLY_EINVAL,
                       "--robust must be hc0, hc1, hc2 or hc3, not '%s'", s);
}

long tally_vcov_hac_auto_lag(size_t n)
{
    /* Newey & West (1994) rule of thumb for the Bartlett kernel. */
    return (long)floor(4.0 * pow((double)n / 100.0, 2.0 / 9.0));
}

int tally_vcov_sandwich(size_t n, size_t p, const double *x,
                        const double *u, const double *bread,
                        const double *hat, tally_vcov_type type, long lag,
                        double *out)
{
    if (type == TALLY_VCOV_CLASSICAL) {
        return TALLY_ERROR(TALLY_EINVAL, "the classical covariance is not a "
                                         "sandwich");
    }
    if (type == TALLY_VCOV_HAC && (lag < 0 || (size_t)lag >= n)) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "the HAC lag must be between 0 and n - 1 = %zu, "
                           "not %ld", n - 1, lag);
    }
    if ((type == TALLY_VCOV_HC2 || type == TALLY_VCOV_HC3) && hat == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "HC2/HC3 need hat values");
    }
    double *psi = malloc(n * p * sizeof *psi);
    double *meat = calloc(p * p, sizeof *meat);
    double *tmp = malloc(p * p * sizeof *tmp);
    if (psi == NULL || meat == NULL || tmp == NULL) {
        free(psi);
        free(meat);
        free(tmp);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    /* Score contributions, with the HC2/HC3 leverage adjustment folded in:
     * HC2 omega_i = u_i^2/(1 - h_i), HC3 omega_i = u_i^2/(1 - h_i)^2. */
    for (size_t i = 0; i < n; i++) {
        double ui = u[i];
        if (type == TALLY_VCOV_HC2 || type == TALLY_VCOV_HC3) {
            double one_h = 1 - hat[i];
            if (!(one_h > 0)) {
                free(psi);
                free(meat);
                free(tmp);
                return TALLY_ERROR(TALLY_EINVAL,
                                   "observation %zu has leverage 1: %s is "
                                   "undefined", i + 1, tally_vcov_name(type));
            }
            ui /= type == TALLY_VCOV_HC2 ? sqrt(one_h) : one_h;
        }
        for (size_t j = 0; j < p; j++) {
            psi[i * p + j] = x[i * p + j] * ui;
        }
    }
    long maxlag = type == TALLY_VCOV_HAC ? lag : 0;
    for (long l = 0; l <= maxlag; l++) {
        /* Gamma_l = sum_{t > l} psi_t psi_{t-l}', weight 1 - l/(L+1); the
         * lag-l term enters with its transpose. */
        double wl = 1.0 - (double)l / (double)(maxlag + 1);
        for (size_t a = 0; a < p; a++) {
            for (size_t b = 0; b < p; b++) {
                double s = 0;
                for (size_t t = (size_t)l; t < n; t++) {
                    s += psi[t * p + a] * psi[(t - (size_t)l) * p + b];
                }
                if (l == 0) {
                    meat[a * p + b] += s;
                } else {
                    meat[a * p + b] += wl * s;
                    meat[b * p + a] += wl * s;
                }
            }
        }
    }
    if (type == TALLY_VCOV_HC1) {
        double c = (double)n / (double)(n - p);
        for (size_t k = 0; k < p * p; k++) {
            meat[k] *= c;
        }
    }
    /* out = B M B. */
    for (size_t a = 0; a < p; a++) {
        for (size_t b = 0; b < p; b++) {
            double s = 0;
            for (size_t k = 0; k < p; k++) {
                s += bread[a * p + k] * meat[k * p + b];
            }
            tmp[a * p + b] = s;
        }
    }
    for (size_t a = 0; a < p; a++) {
        for (size_t b = 0; b < p; b++) {
            double s = 0;
            for (size_t k = 0; k < p; k++) {
                s += tmp[a * p + k] * bread[k * p + b];
            }
            out[a * p + b] = s;
        }
    }
    /* Symmetrise against rounding. */
    for (size_t a = 0; a < p; a++) {
        for (size_t b = a + 1; b < p; b++) {
            double m = 0.5 * (out[a * p + b] + out[b * p + a]);
            out[a * p + b] = m;
            out[b * p + a] = m;
        }
    }
    free(psi);
    free(meat);
    free(tmp);
    return TALLY_OK;
}
