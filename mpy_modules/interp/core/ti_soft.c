// IEEE-754 arithmetic in integers, round to nearest even: the few float steps the
// reference kernels take in prepare (scales, multipliers, resize positions).
//
// Why: the module may not use libgcc's soft float (its divide carries absolute
// relocations that MicroPython 1.23's mpy_ld cannot link, and the rest weighs ~8 KB of
// the board's RAM), and doing it here makes the host, x64 and armv6m builds agree by
// construction. Inputs are finite; results too small for a normal number are flushed to
// zero (quantization scales never are), too large ones become infinity.
#include <string.h>

#include "ti_internal.h"

#define SIGN (1ull << 63)
#define EXP_MASK (0x7ffull << 52)
#define FRAC_MASK ((1ull << 52) - 1)

static uint64_t bits_of(double d) {
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

static double from_bits(uint64_t b) {
    double d;
    memcpy(&d, &b, 8);
    return d;
}

// Mantissa with its implicit bit (53 bits) and exponent of a non-zero value:
// |value| = m * 2^e, m normalized to [2^52, 2^53).
static void unpack(uint64_t bits, uint64_t *m, int32_t *e) {
    int32_t ex = (int32_t)((bits >> 52) & 0x7ff);
    uint64_t mant = bits & FRAC_MASK;
    if (ex == 0) {
        ex = 1;
        while (!(mant & (1ull << 52))) {
            mant <<= 1;
            ex--;
        }
    } else {
        mant |= 1ull << 52;
    }
    *m = mant;
    *e = ex - 1075;
}

// The double nearest to (-1)^neg * m * 2^e, ties to even; `sticky`: non-zero bits were
// already dropped below m. m != 0. Too small for a normal number: zero; too large: infinity.
static __attribute__((noinline)) double make_double(int neg, uint64_t m, int32_t e, int sticky) {
    while (!(m >> 63)) {
        m <<= 1;
        e--;
    }
    uint32_t low = (uint32_t)m & 0x7ff;  // the 11 bits below the 53 kept
    m >>= 11;
    e += 63 + 1023;                      // biased exponent of the top bit
    if (low > 0x400 || (low == 0x400 && (sticky || (m & 1)))) {
        m++;
        if (m >> 53) {
            m >>= 1;
            e++;
        }
    }
    uint64_t sign = (uint64_t)neg << 63;
    if (e >= 0x7ff) {
        return from_bits(sign | EXP_MASK);
    }
    return from_bits(e <= 0 ? sign : sign | ((uint64_t)e << 52) | (m & FRAC_MASK));
}

// a * b or a / b: one body, so that the board carries one prologue and epilogue.
static __attribute__((noinline)) double mul_or_div(double a, double b, int divide) {
    uint64_t ab = bits_of(a), bb = bits_of(b);
    uint64_t sign = (ab ^ bb) & SIGN;
    if (!(bb & ~SIGN)) {
        return from_bits(divide ? sign | EXP_MASK : sign);
    }
    if (!(ab & ~SIGN)) {
        return from_bits(sign);
    }
    uint64_t ma, mb, q = 0;
    int32_t ea, eb, e;
    int sticky = 0;
    unpack(ab, &ma, &ea);
    unpack(bb, &mb, &eb);
    if (divide) {
        // q = floor(ma * 2^62 / mb), restoring division; the remainder is the sticky bit.
        uint64_t r = ma;
        for (int i = 0; i < 63; i++) {
            q <<= 1;
            if (r >= mb) {
                r -= mb;
                q |= 1;
            }
            r <<= 1;
        }
        sticky = r != 0;
        e = ea - eb - 62;
    } else {
        // q = floor(ma * 2^10 * mb / 2^53) by shift and add: below 2^63, 62 or 63 bits.
        ma <<= 10;
        for (int i = 0; i < 53; i++, mb >>= 1) {
            if (mb & 1) {
                q += ma;
            }
            sticky |= (int)(q & 1);
            q >>= 1;
        }
        e = ea + eb + 43;
    }
    return make_double(sign != 0, q, e, sticky);
}

double ti_ddiv(double a, double b) {
    return mul_or_div(a, b, 1);
}

double ti_dmul(double a, double b) {
    return mul_or_div(a, b, 0);
}

double ti_d_from_f(float f) {
    uint32_t b;
    memcpy(&b, &f, 4);
    int32_t ex = (int32_t)((b >> 23) & 0xff);
    uint32_t m = b & 0x7fffffu;
    if (ex == 0xff) {
        return from_bits(((uint64_t)(b >> 31) << 63) | EXP_MASK | ((uint64_t)m << 29));
    }
    if (ex == 0 && m == 0) {
        return from_bits((uint64_t)(b >> 31) << 63);
    }
    if (ex == 0) {
        ex = 1;  // subnormal: make_double normalizes
    } else {
        m |= 0x800000u;
    }
    return make_double((int)(b >> 31), m, ex - 150, 0);
}

float ti_f_from_d(double d) {
    uint64_t b = bits_of(d);
    uint32_t out = (uint32_t)(b >> 63) << 31;
    if (b & ~SIGN) {
        uint64_t m53;
        int32_t e;
        unpack(b, &m53, &e);
        // The top 32 of the 53 bits, the rest as sticky; then 32 -> 24 bits, ties to even.
        uint32_t m = (uint32_t)(m53 >> 21), low = m & 0xff;
        int sticky = (m53 & 0x1fffff) != 0;
        m >>= 8;
        e += 21 + 8 + 23 + 127;  // biased exponent of the top bit
        if (low > 0x80 || (low == 0x80 && (sticky || (m & 1)))) {
            m++;
            if (m >> 24) {
                m >>= 1;
                e++;
            }
        }
        out |= e >= 0xff ? 0x7f800000u : e <= 0 ? 0 : ((uint32_t)e << 23) | (m & 0x7fffffu);
    }
    float f;
    memcpy(&f, &out, 4);
    return f;
}

double ti_d_from_i(int32_t n) {
    if (n == 0) {
        return 0.0;
    }
    return make_double(n < 0, n < 0 ? 0u - (uint32_t)n : (uint32_t)n, 0, 0);
}

// TFLM's QuantizeMultiplier (ti_internal.h), from the double's fields.
ti_status_t ti_quantize_multiplier(ti_interp_t *it, double m, int32_t *qm, int32_t *shift) {
    uint64_t bits = bits_of(m);
    if ((bits & EXP_MASK) == EXP_MASK) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(INFINITE_MULTIPLIER));
    }
    if (!(bits & ~SIGN)) {
        *qm = 0;
        *shift = 0;
        return TI_OK;
    }
    uint64_t mantissa;
    int32_t e;
    unpack(bits, &mantissa, &e);
    // m = q * 2^e with q = mantissa / 2^53 in [0.5, 1); q * 2^31 rounded half away from zero.
    e += 53;
    uint32_t q_fixed = (uint32_t)((mantissa + (1ull << 21)) >> 22);  // 2^30..2^31
    if (q_fixed >> 31) {
        q_fixed >>= 1;
        e++;
    }
    if (e < -31) {
        e = 0;
        q_fixed = 0;
    }
    if (e > 31) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(LARGE_MULTIPLIER));
    }
    *qm = (bits >> 63) ? -(int32_t)q_fixed : (int32_t)q_fixed;
    *shift = e;
    return TI_OK;
}

// Integer part (toward zero) and whether a fraction was dropped / it was at least a half.
static int32_t split(double d, int *fraction, int *at_least_half) {
    uint64_t b = bits_of(d) & ~SIGN;
    *fraction = b != 0;
    *at_least_half = 0;
    if (b == 0) {
        return 0;
    }
    uint64_t m;
    int32_t e;
    unpack(b, &m, &e);
    e += 52;  // exponent of the top bit
    if (e < 0) {
        *at_least_half = e == -1;
        return 0;
    }
    if (e > 30) {
        *fraction = 0;
        return 0x40000000;  // saturate: callers clamp far below this
    }
    int shift = 52 - e;
    uint64_t low = m & ((1ull << shift) - 1);
    *fraction = low != 0;
    *at_least_half = (low >> (shift - 1)) & 1;
    return (int32_t)(m >> shift);
}

int32_t ti_d_floor(double d) {
    int fraction, half;
    int32_t i = split(d, &fraction, &half);
    return (bits_of(d) & SIGN) ? -i - (fraction ? 1 : 0) : i;
}

int32_t ti_d_round(double d) {
    int fraction, half;
    int32_t i = split(d, &fraction, &half) + 0;
    i += half ? 1 : 0;
    return (bits_of(d) & SIGN) ? -i : i;
}

int ti_d_less(double a, double b) {
    // Finite values ordered as sign-magnitude integers.
    uint64_t x = bits_of(a), y = bits_of(b);
    x = (x & SIGN) ? ~x : x | SIGN;
    y = (y & SIGN) ? ~y : y | SIGN;
    return x < y;
}

float ti_fdiv(float a, float b) {
    // Exact: double carries more than 2 x 24 + 2 bits, so rounding twice is harmless.
    return ti_f_from_d(ti_ddiv(ti_d_from_f(a), ti_d_from_f(b)));
}

float ti_fmul(float a, float b) {
    // The double product of two floats is exact; one rounding to float.
    return ti_f_from_d(ti_dmul(ti_d_from_f(a), ti_d_from_f(b)));
}
