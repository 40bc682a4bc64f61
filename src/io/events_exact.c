/* SPDX-License-Identifier: MIT
 *
 * Exact sums of non-negative doubles, for the summed columns of the event
 * aggregator that hold non-integer values (2.5 killed, an estimate) or
 * integers too large for the int64 part.  Floating-point addition depends
 * on its order, and the aggregator adds parts of a file in an order of its
 * own choosing (threads, partial aggregates), so these sums are kept
 * exactly and rounded once, at the end: the result is the double nearest
 * to the true sum (ties to even), whatever the order of the rows.
 *
 * Every finite double is an integer multiple of 2^-1074 below 2^1024, so a
 * sum of them is an integer N times 2^-1074; N is kept in TLY_XLIMBS
 * 64-bit limbs (2176 bits: 2098 for the range of doubles, the rest for
 * the carries of up to 2^78 additions).  Adding a double adds its 53-bit
 * significand, shifted to its exponent, into at most two limbs and
 * propagates the carry.  Reference: the "long accumulator" of Kulisch and
 * Miranker, Computer Arithmetic in Theory and Practice (1981).
 */
#include "io/events_int.h"

#include "tally/tally_status.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bit b of the accumulator stands for 2^(b - BIAS). */
#define BIAS 1074

/* Add v << b (v < 2^64, 0 <= b) into x. */
static void add_shifted(tly_exact *x, uint64_t v, unsigned b)
{
    unsigned i = b / 64, s = b % 64;
    uint64_t lo = v << s;
    uint64_t hi = s != 0 ? v >> (64 - s) : 0;
    uint64_t old = x->limb[i];
    x->limb[i] = old + lo;
    uint64_t carry = (x->limb[i] < old) + hi;
    for (i++; carry != 0 && i < TLY_XLIMBS; i++) {
        old = x->limb[i];
        x->limb[i] = old + carry;
        carry = x->limb[i] < old;
    }
}

void tly_exact_add_double(tly_exact *x, double v)
{
    if (!(v > 0.0) || !isfinite(v)) {
        return; /* zero; negatives and non-finite never reach here */
    }
    /* v = m * 2^e2 with m a 53-bit integer. */
    int e;
    double f = frexp(v, &e);
    uint64_t m = (uint64_t)ldexp(f, 53);
    long b = (long)e - 53 + BIAS;
    /* A subnormal: its trailing zero bits make m 2^-b times smaller. */
    while (b < 0) {
        m >>= 1;
        b++;
    }
    add_shifted(x, m, (unsigned)b);
}

void tly_exact_add_int(tly_exact *x, int64_t v)
{
    if (v > 0) {
        add_shifted(x, (uint64_t)v, BIAS);
    }
}

void tly_exact_add(tly_exact *x, const tly_exact *y)
{
    uint64_t carry = 0;
    for (unsigned i = 0; i < TLY_XLIMBS; i++) {
        uint64_t a = x->limb[i];
        uint64_t s = a + y->limb[i];
        uint64_t c1 = s < a;
        uint64_t t = s + carry;
        uint64_t c2 = t < s;
        x->limb[i] = t;
        carry = c1 + c2;
    }
}

/* The 64 bits of x from bit pos up (bits below 0 read as 0). */
static uint64_t bits_at(const tly_exact *x, long pos)
{
    uint64_t w = 0;
    for (unsigned k = 0; k < 64; k++) {
        long b = pos + (long)k;
        if (b >= 0 && b < 64L * TLY_XLIMBS &&
            ((x->limb[b / 64] >> (b % 64)) & 1u)) {
            w |= (uint64_t)1 << k;
        }
    }
    return w;
}

/* 1 when a bit of x below pos is set. */
static int any_below(const tly_exact *x, long pos)
{
    for (long i = 0; i < TLY_XLIMBS && 64 * i < pos; i++) {
        uint64_t l = x->limb[i];
        long top = 64 * i + 63;
        if (top >= pos) {
            l &= ((uint64_t)1 << (pos - 64 * i)) - 1;
        }
        if (l != 0) {
            return 1;
        }
    }
    return 0;
}

double tly_exact_value(const tly_exact *x, int64_t extra)
{
    tly_exact t = *x;
    tly_exact_add_int(&t, extra);
    long top = -1;
    for (long i = TLY_XLIMBS - 1; i >= 0 && top < 0; i--) {
        for (long k = 63; k >= 0 && t.limb[i] != 0; k--) {
            if ((t.limb[i] >> k) & 1u) {
                top = 64 * i + k;
                break;
            }
        }
    }
    if (top < 0) {
        return 0.0;
    }
    if (top < 53) {
        /* Fewer than 54 bits: exact (a subnormal or a small normal). */
        return ldexp((double)bits_at(&t, 0), -BIAS);
    }
    /* Round to 53 bits: bit 63 of w is the top bit, bits 11..63 the
     * significand, bit 10 the rounding bit, the rest sticky. */
    uint64_t w = bits_at(&t, top - 63);
    uint64_t mant = w >> 11;
    int round = (int)((w >> 10) & 1u);
    int sticky = (w & 0x3FFu) != 0 || any_below(&t, top - 63);
    if (round && (sticky || (mant & 1u))) {
        mant++;
    }
    return ldexp((double)mant, (int)(top - 52 - BIAS));
}

int tly_exact_is_zero(const tly_exact *x)
{
    for (unsigned i = 0; i < TLY_XLIMBS; i++) {
        if (x->limb[i] != 0) {
            return 0;
        }
    }
    return 1;
}

/* Text form: "L:" then the limbs from the highest non-zero one down to
 * limb L, 16 hex digits each; "0" for zero. */
void tly_exact_format(const tly_exact *x, char *buf, size_t size)
{
    long lo = -1, hi = -1;
    for (long i = 0; i < TLY_XLIMBS; i++) {
        if (x->limb[i] != 0) {
            lo = lo < 0 ? i : lo;
            hi = i;
        }
    }
    if (lo < 0) {
        snprintf(buf, size, "0");
        return;
    }
    size_t used = (size_t)snprintf(buf, size, "%ld:", lo);
    for (long i = hi; i >= lo && used < size; i--) {
        used += (size_t)snprintf(buf + used, size - used, "%016" PRIx64,
                                 x->limb[i]);
    }
}

int tly_exact_parse(const char *s, tly_exact *x)
{
    memset(x, 0, sizeof *x);
    if (strcmp(s, "0") == 0) {
        return 1;
    }
    char *end;
    long lo = strtol(s, &end, 10);
    if (end == s || *end != ':' || lo < 0 || lo >= TLY_XLIMBS) {
        return 0;
    }
    const char *h = end + 1;
    size_t n = strlen(h);
    if (n == 0 || n % 16 != 0 || (long)(n / 16) + lo > TLY_XLIMBS) {
        return 0;
    }
    for (size_t k = 0; k < n / 16; k++) {
        char limb[17];
        memcpy(limb, h + 16 * k, 16);
        limb[16] = '\0';
        for (int j = 0; j < 16; j++) {
            char c = limb[j];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return 0;
            }
        }
        /* The first group is the highest limb. */
        x->limb[lo + (long)(n / 16 - 1 - k)] = strtoull(limb, NULL, 16);
    }
    return 1;
}
