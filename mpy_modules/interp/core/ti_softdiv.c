// IEEE-754 division, round to nearest even, in integer arithmetic.
//
// Why: libgcc's soft-float divide (__aeabi_ddiv/__aeabi_fdiv) carries absolute
// relocations that MicroPython 1.23's mpy_ld cannot link, and the reference kernels
// divide scales in prepare. Doing it here also makes the host, x64 and armv6m builds
// agree by construction. Results that would be subnormal are flushed to zero (never
// the case for quantization scales); NaN/infinite/zero divisors give infinity.
#include <string.h>

#include "ti_internal.h"

static double from_bits(uint64_t b) {
    double d;
    memcpy(&d, &b, 8);
    return d;
}

// Mantissa with the implicit bit and unbiased exponent of a finite non-zero double.
static void unpack(uint64_t bits, uint64_t *m, int32_t *e) {
    int32_t ex = (int32_t)((bits >> 52) & 0x7ff);
    uint64_t mant = bits & ((1ull << 52) - 1);
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

double ti_ddiv(double a, double b) {
    uint64_t ab, bb;
    memcpy(&ab, &a, 8);
    memcpy(&bb, &b, 8);
    uint64_t sign = (ab ^ bb) & (1ull << 63);
    uint64_t abs_a = ab & ~(1ull << 63), abs_b = bb & ~(1ull << 63);
    const uint64_t inf = 0x7ffull << 52;
    if (abs_a > inf || abs_b > inf) {
        return from_bits(inf | (1ull << 51));  // NaN
    }
    if (abs_b == 0 || abs_a == inf) {
        return from_bits(sign | inf);
    }
    if (abs_a == 0 || abs_b == inf) {
        return from_bits(sign);
    }
    uint64_t ma, mb;
    int32_t ea, eb;
    unpack(abs_a, &ma, &ea);
    unpack(abs_b, &mb, &eb);
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
    uint32_t extra = (uint32_t)(q & 3);
    q >>= 2;
    if (extra == 3 || (extra == 2 && (r != 0 || (q & 1)))) {
        q++;
        if (q == (1ull << 53)) {
            q >>= 1;
            e++;
        }
    }
    int32_t biased = e + 1023;
    if (biased >= 0x7ff) {
        return from_bits(sign | inf);
    }
    if (biased <= 0) {
        return from_bits(sign);
    }
    return from_bits(sign | ((uint64_t)biased << 52) | (q & ((1ull << 52) - 1)));
}

float ti_fdiv(float a, float b) {
    // Exact: double carries more than 2 x 24 + 2 bits, so rounding twice is harmless.
    return (float)ti_ddiv((double)a, (double)b);
}
