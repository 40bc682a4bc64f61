/* SPDX-License-Identifier: MIT
 *
 * Internals shared by the interrupted-time-series files (its.c builds the
 * designs and fits, its_effects.c derives effects, the counterfactual and
 * the cumulative difference, its_robust.c runs placebo and sensitivity
 * refits).  Not installed.
 */
#ifndef TALLY_ITS_INT_H
#define TALLY_ITS_INT_H

#include <stddef.h>

#include "tally/tally_its.h"

/* The series as the fits see it: n observed periods extended by the
 * horizon to N = n + horizon rows (NaN responses past the data; offsets
 * carried forward from the last known value, so the counterfactual can be
 * extended). */
typedef struct {
    const char *value; /* response name */
    tally_freq freq;
    tally_period start;
    size_t n;     /* periods in the series */
    size_t N;     /* n + horizon */
    double *y;    /* N responses of the series under study */
    double *off;  /* N offset values (raw column, or NULL) */
    double *cy;   /* N control responses, or NULL */
    double *coff; /* N control offset values, or NULL */
} tly_its_data;

/* What changes between the main fit and the robustness refits. */
typedef struct {
    size_t nbreaks;
    size_t brk[TALLY_ITS_MAX_BREAKS]; /* 0-based rows of the breaks */
    size_t nwin;
    size_t win_from[TALLY_ITS_MAX_EXCLUDE + 1]; /* excluded rows, inclusive */
    size_t win_to[TALLY_ITS_MAX_EXCLUDE + 1];
    size_t cut; /* responses at rows >= cut are dropped (the
                   placebo fits' end of the pre-period); N for
                   none */
} tly_its_spec;

/* 1 when row i lies in one of the spec's excluded windows. */
int tly_its_in_window(const tly_its_spec *s, size_t i);

/* Build the design for a spec.  Break terms are named level/slope (one
 * break) or level1, slope1, ... and, with a control, prefixed
 * "treated:".  brk_level[j] / brk_slope[j] receive the indices of break
 * j's terms of interest (-1 when absent). */
int tly_its_design(const tly_its_data *dt, const tally_its_options *o,
                   const tly_its_spec *s, tally_design **out, long *brk_level,
                   long *brk_slope);

/* Build and fit; on success *fit is owned by the caller.  With ci_z set the
 * tests and intervals are switched to the normal distribution. */
int tly_its_fit_spec(const tly_its_data *dt, const tally_its_options *o,
                     const tly_its_spec *s, tally_design **design,
                     tally_fit **fit, long *brk_level, long *brk_slope);

/* Check that every regime has enough observations (TALLY_ETOOFEW with a
 * message naming the break otherwise). */
int tly_its_check_regimes(const tly_its_data *dt, const tally_its_options *o,
                          const tly_its_spec *s);

/* Effects at the horizons, the counterfactual path and the cumulative
 * difference (its_effects.c). */
int tly_its_effects(tally_its_result *r, const long *brk_level,
                    const long *brk_slope);
int tly_its_counterfactual(tally_its_result *r, const tly_its_data *dt,
                           const tally_design *d, const tly_its_spec *s,
                           const long *brk_level, const long *brk_slope);

/* Placebo and sensitivity refits (its_robust.c). */
int tly_its_placebo(tally_its_result *r, const tly_its_data *dt,
                    const tly_its_spec *s, const long *brk_level,
                    const long *brk_slope);
int tly_its_sensitivity(tally_its_result *r, const tly_its_data *dt,
                        const tly_its_spec *s);

/* Append a sentence to r->notes. */
void tly_its_note(tally_its_result *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif /* TALLY_ITS_INT_H */
