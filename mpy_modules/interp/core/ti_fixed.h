// Fixed-point arithmetic with the exact rounding of TFLM's reference kernels.
//
// Integer formats are named after the number of integer bits of an int32:
// q0 = Q0.31, q4 = Q4.27, q5 = Q5.26 and so on. Signed overflow is avoided by doing
// wrapping adds in uint32, which is what the reference relies on the hardware to do.
#ifndef TI_FIXED_H
#define TI_FIXED_H

#include <stdint.h>

static inline int32_t ti_wrap_add(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a + (uint32_t)b);
}
static inline int32_t ti_wrap_sub(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

// round(a * b / 2^31), ties away from zero; saturates the single overflow case.
static inline int32_t ti_srdhm(int32_t a, int32_t b) {
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
#if (defined(__thumb__) && !defined(__thumb2__)) || defined(TI_SRDHM_32BIT)
    // The Cortex-M0+ has no 32x32->64 multiply: |a| x |b| from four 16x16 products in
    // two 32-bit words, the rounding constant added with carry, the quotient by 2^31
    // read off the words. For a negative product, t = -|ab| + 1 - 2^30 truncates to
    // -((|ab| + 2^30 - 1) >> 31).
    uint32_t neg = (uint32_t)(a ^ b) >> 31;
    uint32_t ua = a < 0 ? 0u - (uint32_t)a : (uint32_t)a, ub = b < 0 ? 0u - (uint32_t)b : (uint32_t)b;
    uint32_t al = ua & 0xffffu, ah = ua >> 16, bl = ub & 0xffffu, bh = ub >> 16;
    uint32_t ll = al * bl, m1 = al * bh, m2 = ah * bl;
    uint32_t mid = m1 + m2;
    uint32_t hi = ah * bh + (mid >> 16) + ((uint32_t)(mid < m1) << 16);
    uint32_t lo = ll + (mid << 16);
    hi += lo < ll;
    uint32_t k = neg ? (1u << 30) - 1 : (1u << 30);
    uint32_t lo2 = lo + k;
    hi += lo2 < lo;
    uint32_t q = (hi << 1) | (lo2 >> 31);
    return neg ? (int32_t)(0u - q) : (int32_t)q;
#else
    int64_t ab = (int64_t)a * b;
    int64_t t = ab + (ab >= 0 ? (1 << 30) : (1 - (1 << 30)));
    // Truncating division by 2^31 without a 64-bit divide.
    return (int32_t)(t >= 0 ? (t >> 31) : -((-t) >> 31));
#endif
}

// x / 2^e rounded to nearest, ties away from zero (0 <= e <= 31).
static inline int32_t ti_rdbpot(int32_t x, int e) {
    int32_t mask = (int32_t)((1ll << e) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> e) + (remainder > threshold ? 1 : 0);
}

// x * qm * 2^shift with qm a q0 multiplier: TFLM's MultiplyByQuantizedMultiplier.
static inline int32_t ti_mbqm(int32_t x, int32_t qm, int shift) {
    int left = shift > 0 ? shift : 0;
    int right = shift > 0 ? 0 : -shift;
    return ti_rdbpot(ti_srdhm((int32_t)((uint32_t)x << left), qm), right);
}

// Saturating x * 2^e for e > 0.
static inline int32_t ti_sat_shl(int32_t x, int e) {
    int32_t threshold = (int32_t)((1u << (31 - e)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << e);
}

// gemmlowp's fixed-point transcendental functions (defined in ti_fixed.c).
int32_t ti_exp_on_negative_values(int32_t a, int integer_bits);   // qN in, q0 out
int32_t ti_one_over_one_plus_x(int32_t a);                        // q0 in [0,1) -> q0
int32_t ti_logistic_q4(int32_t a);                                 // q4 -> q0
int32_t ti_tanh_q4(int32_t a);                                     // q4 -> q0
int32_t ti_reciprocal(int32_t x, int integer_digits, int *bits_over_unit);

#endif
