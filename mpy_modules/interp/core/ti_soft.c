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

// Mantissa with its implicit bit (53 bits) and unbiased exponent of a non-zero value.
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
    *e = ex - 1023;
}

// sign | (m with its top bit at 52 + extra) * 2^e, rounded to 53 bits; `sticky` says
// whether non-zero bits were already dropped below m.
static double pack(uint64_t sign, uint64_t m, int extra, int32_t e, int sticky) {
    uint64_t half = 1ull << (extra - 1), low = m & ((1ull << extra) - 1);
    m >>= extra;
    if (low > half || (low == half && (sticky || (m & 1)))) {
        m++;
        if (m == (1ull << 53)) {
            m >>= 1;
            e++;
        }
    }
    int32_t biased = e + 1023;
    if (biased >= 0x7ff) {
        return from_bits(sign | EXP_MASK);
    }
    if (biased <= 0) {
        return from_bits(sign);
    }
    return from_bits(sign | ((uint64_t)biased << 52) | (m & FRAC_MASK));
}

double ti_ddiv(double a, double b) {
    uint64_t ab = bits_of(a), bb = bits_of(b);
    uint64_t sign = (ab ^ bb) & SIGN;
    if (!(bb & ~SIGN)) {
        return from_bits(sign | EXP_MASK);
    }
    if (!(ab & ~SIGN)) {
        return from_bits(sign);
    }
    uint64_t ma, mb;
    int32_t ea, eb;
    unpack(ab & ~SIGN, &ma, &ea);
    unpack(bb & ~SIGN, &mb, &eb);
    int32_t e = ea - eb;
    if (ma < mb) {
        ma <<= 1;
        e--;
    }
    // 55 quotient bits (1.54), restoring division; the remainder is the sticky bit.
    uint64_t q = 0, r = ma;
    for (int i = 0; i < 55; i++) {
        q <<= 1;
        if (r >= mb) {
            r -= mb;
            q |= 1;
        }
        r <<= 1;
    }
    return pack(sign, q, 2, e, r != 0);
}

double ti_dmul(double a, double b) {
    uint64_t ab = bits_of(a), bb = bits_of(b);
    uint64_t sign = (ab ^ bb) & SIGN;
    if (!(ab & ~SIGN) || !(bb & ~SIGN)) {
        return from_bits(sign);
    }
    uint64_t ma, mb;
    int32_t ea, eb;
    unpack(ab & ~SIGN, &ma, &ea);
    unpack(bb & ~SIGN, &mb, &eb);
    // 106-bit product hi:lo from 32-bit halves.
    uint64_t al = ma & 0xffffffffu, ah = ma >> 32, bl = mb & 0xffffffffu, bh = mb >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    uint64_t lo = (ll & 0xffffffffu) | (mid << 32);
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    // The product lies in [2^104, 2^106): keep 55 bits (53 + 2 for rounding) of it.
    int32_t e = ea + eb;
    int top = (hi >> 41) ? 1 : 0;  // bit 105 set
    e += top;
    int drop = 104 + top - 54;     // bits below the 55 kept
    uint64_t kept = (hi << (64 - drop)) | (lo >> drop);
    int sticky = (lo & ((1ull << drop) - 1)) != 0;
    return pack(sign, kept, 2, e, sticky);
}

double ti_d_from_f(float f) {
    uint32_t b;
    memcpy(&b, &f, 4);
    uint64_t sign = (uint64_t)(b >> 31) << 63;
    int32_t ex = (int32_t)((b >> 23) & 0xff);
    uint64_t frac = b & 0x7fffffu;
    if (ex == 0xff) {
        return from_bits(sign | EXP_MASK | (frac << 29));
    }
    if (ex == 0) {
        if (frac == 0) {
            return from_bits(sign);
        }
        ex = 1;
        while (!(frac & 0x800000u)) {
            frac <<= 1;
            ex--;
        }
        frac &= 0x7fffffu;
    }
    return from_bits(sign | ((uint64_t)(ex - 127 + 1023) << 52) | (frac << 29));
}

float ti_f_from_d(double d) {
    uint64_t b = bits_of(d);
    uint32_t sign = (uint32_t)(b >> 63) << 31, out;
    if (!(b & ~SIGN)) {
        out = sign;
    } else {
        uint64_t m;
        int32_t e;
        unpack(b & ~SIGN, &m, &e);
        // 53 -> 24 bits, round to nearest even.
        uint64_t low = m & ((1ull << 29) - 1), half = 1ull << 28;
        m >>= 29;
        if (low > half || (low == half && (m & 1))) {
            m++;
            if (m == (1ull << 24)) {
                m >>= 1;
                e++;
            }
        }
        int32_t biased = e + 127;
        if (biased >= 0xff) {
            out = sign | 0x7f800000u;
        } else if (biased <= 0) {
            out = sign;
        } else {
            out = sign | ((uint32_t)biased << 23) | ((uint32_t)m & 0x7fffffu);
        }
    }
    float f;
    memcpy(&f, &out, 4);
    return f;
}

double ti_d_from_i(int32_t n) {
    if (n == 0) {
        return 0.0;
    }
    uint64_t sign = n < 0 ? SIGN : 0;
    uint64_t m = n < 0 ? (uint64_t)(-(int64_t)n) : (uint64_t)n;
    int32_t e = 52;
    while (!(m & (1ull << 52))) {
        m <<= 1;
        e--;
    }
    return from_bits(sign | ((uint64_t)(e + 1023) << 52) | (m & FRAC_MASK));
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
