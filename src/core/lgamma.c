/* SPDX-License-Identifier: MIT
 *
 * tly_lgamma: lgamma without the global signgam (see lgamma_int.h).
 * lgamma_r is the reentrant form that glibc, musl and the BSDs provide;
 * glibc's lgamma is itself a wrapper that calls it and then stores the
 * sign in signgam, so the values are identical.  lgamma_r is not in C11
 * or POSIX, hence the feature macro (defined before any header).
 */
#define _DEFAULT_SOURCE 1

#include "core/lgamma_int.h"

#include <math.h>

double tly_lgamma(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}
