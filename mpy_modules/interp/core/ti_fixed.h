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

// round(a * b / 2^31), ties away from zero, for (a, b) != (INT32_MIN, INT32_MIN).
// Always inlined: hot loops built at -O2 call it from a module built at -Os.
static inline __attribute__((always_inline)) int32_t ti_srdhm_core(int32_t a, int32_t b) {
    // The Cortex-M0+ has no 32x32->64 multiply. Both nudges of the reference give
    // floor((ab + 2^30) / 2^31), so the 64-bit sum is built in two words (hi signed,
    // lo unsigned) from signed x unsigned 16-bit halves, whose products all fit 32 bits.
#if defined(__thumb__) && !defined(__thumb2__)
    // The same sum with add-with-carry (27 cycles).
    int32_t ah, bl, lo;
    __asm__(".syntax unified\n"
            "asrs %[ah], %[a], #16\n"
            "uxth %[a], %[a]\n"
            "uxth %[bl], %[b]\n"
            "asrs %[b], %[b], #16\n"
            "movs %[lo], %[a]\n"
            "muls %[lo], %[bl], %[lo]\n"  // al bl
            "muls %[bl], %[ah], %[bl]\n"  // ah bl
            "muls %[a], %[b], %[a]\n"     // al bh
            "muls %[b], %[ah], %[b]\n"    // ah bh: the high word
            "movs %[ah], #1\n"
            "lsls %[ah], %[ah], #30\n"
            "adds %[lo], %[lo], %[ah]\n"
            "movs %[ah], #0\n"
            "adcs %[b], %[b], %[ah]\n"
            "lsls %[ah], %[bl], #16\n"
            "asrs %[bl], %[bl], #16\n"
            "adds %[lo], %[lo], %[ah]\n"
            "adcs %[b], %[b], %[bl]\n"
            "lsls %[ah], %[a], #16\n"
            "asrs %[a], %[a], #16\n"
            "adds %[lo], %[lo], %[ah]\n"
            "adcs %[b], %[b], %[a]\n"
            "lsrs %[lo], %[lo], #31\n"
            "lsls %[b], %[b], #1\n"
            "orrs %[b], %[b], %[lo]\n"
            ".syntax divided\n"
            : [a] "+l"(a), [b] "+l"(b), [ah] "=&l"(ah), [bl] "=&l"(bl), [lo] "=&l"(lo)
            :
            : "cc");
    return b;
#elif defined(TI_SRDHM_32BIT)
    int32_t ah = a >> 16, bh = b >> 16;
    uint32_t al = (uint32_t)a & 0xffffu, bl = (uint32_t)b & 0xffffu;
    uint32_t lo = al * bl;
    uint32_t hi = (uint32_t)(ah * bh);
    int32_t m1 = ah * (int32_t)bl, m2 = (int32_t)al * bh;
    uint32_t t = (uint32_t)m1 << 16;
    lo += t;
    hi += (uint32_t)(m1 >> 16) + (lo < t);
    t = (uint32_t)m2 << 16;
    lo += t;
    hi += (uint32_t)(m2 >> 16) + (lo < t);
    t = lo + (1u << 30);
    hi += t < lo;
    return (int32_t)((hi << 1) | (t >> 31));
#else
    int64_t ab = (int64_t)a * b;
    int64_t t = ab + (ab >= 0 ? (1 << 30) : (1 - (1 << 30)));
    // Truncating division by 2^31 without a 64-bit divide.
    return (int32_t)(t >= 0 ? (t >> 31) : -((-t) >> 31));
#endif
}

// round(a * b / 2^31), ties away from zero; saturates the single overflow case.
static inline int32_t ti_srdhm(int32_t a, int32_t b) {
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    return ti_srdhm_core(a, b);
}

// x / 2^e rounded to nearest, ties away from zero (0 <= e <= 31).
static inline __attribute__((always_inline)) int32_t ti_rdbpot(int32_t x, int e) {
    int32_t mask = (int32_t)((1u << e) - 1u);
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

#endif
