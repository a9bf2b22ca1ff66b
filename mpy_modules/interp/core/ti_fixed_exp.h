// gemmlowp's fixed-point exp / reciprocal / logistic / tanh, as TFLM's int8 softmax,
// logistic and tanh reference kernels evaluate them. Multiplication of a qA by a qB
// gives a q(A+B) (ti_srdhm); additions wrap.
//
// Static: each board module that evaluates them has its own copy and calls it directly
// (SOFTMAX in the core, LOGISTIC and TANH once per element in interp_act).
#ifndef TI_FIXED_EXP_H
#define TI_FIXED_EXP_H

#include "ti_fixed.h"

// exp(a) for a in [-1/4, 0): Taylor series around -1/8. q0 in, q0 out.
static inline int32_t ti_exp_on_interval_quarter(int32_t a) {
    const int32_t constant_term = 1895147668;     // exp(-1/8), q0
    const int32_t constant_1_over_3 = 715827883;  // q0
    int32_t x = ti_wrap_add(a, 1 << 28);          // a + 1/8
    int32_t x2 = ti_srdhm(x, x);
    int32_t x3 = ti_srdhm(x2, x);
    int32_t x4 = ti_srdhm(x2, x2);
    int32_t x4_over_4 = ti_rdbpot(x4, 2);
    int32_t poly = ti_rdbpot(ti_wrap_add(ti_srdhm(ti_wrap_add(x4_over_4, x3), constant_1_over_3), x2), 1);
    return ti_wrap_add(constant_term, ti_srdhm(constant_term, ti_wrap_add(x, poly)));
}

static inline int32_t ti_exp_on_negative_values(int32_t a, int integer_bits) {
    const int fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = 1 << (fractional_bits - 2);
    int32_t a_mod_quarter_minus_quarter = ti_wrap_sub(a & (one_quarter - 1), one_quarter);
    int32_t result = ti_exp_on_interval_quarter(ti_sat_shl(a_mod_quarter_minus_quarter, integer_bits));
    int32_t remainder = ti_wrap_sub(a_mod_quarter_minus_quarter, a);
    // exp(-2^k) for k = -2 .. 4, q0: multiply in the factors of the whole quarters.
    static const int32_t barrel[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    for (int k = -2; k <= 4; k++) {
        if (integer_bits > k && (remainder & (1 << (fractional_bits + k)))) {
            result = ti_srdhm(result, barrel[k + 2]);
        }
    }
    return a == 0 ? INT32_MAX : result;
}

// (a + b) / 2 rounded half away from zero.
static inline int32_t ti_rounding_half_sum(int32_t a, int32_t b) {
    int64_t sum = (int64_t)a + b;
    int64_t sign = sum >= 0 ? 1 : -1;
    int64_t t = sum + sign;
    return (int32_t)(t >= 0 ? t / 2 : -((-t) / 2));
}

// Newton-Raphson for 1 / (1 + a/2 ... ), returning x in q2 after three steps.
static inline int32_t ti_newton_reciprocal_q2(int32_t half_denominator) {
    const int32_t c48_over_17 = 1515870810;        // q2
    const int32_t c_neg32_over_17 = -1010580540;   // q2
    const int32_t one_q2 = 1 << 29;
    int32_t x = ti_wrap_add(c48_over_17, ti_srdhm(half_denominator, c_neg32_over_17));
    for (int i = 0; i < 3; i++) {
        int32_t half_denominator_times_x = ti_srdhm(half_denominator, x);  // q2
        int32_t one_minus = ti_wrap_sub(one_q2, half_denominator_times_x);
        x = ti_wrap_add(x, ti_sat_shl(ti_srdhm(x, one_minus), 2));        // q4 -> q2
    }
    return x;
}

static inline int32_t ti_one_over_one_plus_x(int32_t a) {
    int32_t x = ti_newton_reciprocal_q2(ti_rounding_half_sum(a, INT32_MAX));
    return ti_sat_shl(x, 1);  // the q2 result halved, read as q1, rescaled to q0
}

static inline int32_t ti_one_minus_x_over_one_plus_x(int32_t a) {
    int32_t x = ti_newton_reciprocal_q2(ti_rounding_half_sum(a, INT32_MAX));
    return ti_sat_shl(ti_wrap_sub(x, 1 << 29), 2);
}

// q4 in, q0 out.
static inline int32_t ti_logistic_q4(int32_t a) {
    if (a == 0) {
        return 1 << 30;
    }
    int32_t abs_a = a > 0 ? a : (int32_t)(0u - (uint32_t)a);
    int32_t positive = ti_one_over_one_plus_x(ti_exp_on_negative_values((int32_t)(0u - (uint32_t)abs_a), 4));
    return a > 0 ? positive : ti_wrap_sub(INT32_MAX, positive);
}

// q4 in, q0 out.
static inline int32_t ti_tanh_q4(int32_t a) {
    if (a == 0) {
        return 0;
    }
    int32_t n = a < 0 ? a : (int32_t)(0u - (uint32_t)a);  // -|a|
    // exp(2n): the same raw bits read as q5.
    int32_t t = ti_one_minus_x_over_one_plus_x(ti_exp_on_negative_values(n, 5));
    return a < 0 ? (int32_t)(0u - (uint32_t)t) : t;
}

// 1 / x for x in q(integer_digits): a q0 mantissa and its exponent.
static inline int32_t ti_reciprocal(int32_t x, int integer_digits, int *bits_over_unit) {
    uint32_t ux = (uint32_t)x;
    int headroom_plus_one = 0;
    while (headroom_plus_one < 31 && !(ux & (0x80000000u >> headroom_plus_one))) {
        headroom_plus_one++;
    }
    *bits_over_unit = integer_digits - headroom_plus_one;
    int32_t shifted_minus_one = (int32_t)((ux << headroom_plus_one) - (1u << 31));
    return ti_one_over_one_plus_x(shifted_minus_one);
}

#endif
