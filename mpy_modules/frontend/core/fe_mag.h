// Complex magnitude in Q15, byte-identical to CMSIS-DSP's arm_cmplx_mag_q15 (no-DSP
// build: arm_sqrt_q31((re^2 + im^2) >> 1) >> 16, output in 2.14), several times
// faster on a Cortex-M0+: an exact integer square root, plus arm_sqrt_q31's own
// arithmetic (fe_sqrt_q30_cmsis) only near the few inputs where its Newton
// iteration does not land on the exact root. The inline versions let a caller keep the table pointers in
// registers across a loop.
#ifndef FE_MAG_H
#define FE_MAG_H

#include <stddef.h>
#include <stdint.h>

#include "fe_tables.h"

// Host builds only (FE_HOST_API): floor(sqrt(v)) for v <= 2^29.
uint32_t fe_isqrt_u29(uint32_t v);

// arm_sqrt_q31(x) >> 16 for 0 <= x <= 2^30 (x = (re^2 + im^2) >> 1).
int16_t fe_sqrt_q30_to_q15(uint32_t x);

// dst[i] = |src[2i] + j src[2i+1]| for i < n, as arm_cmplx_mag_q15.
void fe_cmplx_mag_q15(const int16_t *src, int16_t *dst, size_t n);

// arm_sqrt_q31(x) >> 16 for 0 < x <= 2^30, the slow path (CMSIS's arithmetic).
int16_t fe_sqrt_q30_cmsis(uint32_t x);

// floor(sqrt(v)) for 1 <= v < 2^29: a table estimate, at most 3 below the root
// (tools/check_sqrt.c scans every v), stepped up.
static inline uint32_t fe_isqrt(uint32_t v, const uint16_t *table) {
    // n = v * 4^(m - 1) in [2^27, 2^29), so isqrt(v) = isqrt(n) >> (m - 1).
    uint32_t n = v, m = 1;  // +1: the table is in half units
    if (n < (1u << 13)) {
        n <<= 16;
        m += 8;
    }
    if (n < (1u << 21)) {
        n <<= 8;
        m += 4;
    }
    if (n < (1u << 25)) {
        n <<= 4;
        m += 2;
    }
    if (n < (1u << 27)) {
        n <<= 2;
        m += 1;
    }
    // Linear interpolation in floor(2 sqrt(i << FE_ISQRT_TABLE_SHIFT)): the chord of
    // a concave curve, so never above the root.
    const uint16_t *t = &table[(n >> FE_ISQRT_TABLE_SHIFT) - FE_ISQRT_TABLE_FIRST];
    uint32_t frac = (n >> (FE_ISQRT_TABLE_SHIFT - 8)) & 0xFF;
    uint32_t e = (t[0] + (((uint32_t)(t[1] - t[0]) * frac) >> 8)) >> m;
    while ((e + 1) * (e + 1) <= v) {
        e++;
    }
    return e;
}

// arm_sqrt_q31(x) >> 16. Scanning all 2^30 + 1 inputs shows CMSIS's result differs
// from isqrt(x >> 1) only for x in [2k^2 - 4, 2k^2 + 5], and below k = 8682 only at
// x = 2k^2 (one less): below FE_SQRT_BITMAP_K a generated bitmap says which k;
// above, CMSIS's arithmetic decides.
static inline int16_t fe_sqrt_q30_inline(uint32_t x, const uint16_t *table, const uint8_t *exceptions) {
    uint32_t v = x >> 1;
    if (v == 0) {
        return 0;
    }
    if (v >= (1u << 29)) {
        return 23170;  // x = 2^30, the largest input; CMSIS agrees
    }
    uint32_t e = fe_isqrt(v, table);
    uint32_t lower = 2 * e * e;
    if (e < FE_SQRT_BITMAP_K) {
        if (x == lower && (exceptions[e >> 3] >> (e & 7)) & 1) {
            e--;
        }
    } else if (x - lower <= 5 || 2 * (e + 1) * (e + 1) - x <= 4) {
        return fe_sqrt_q30_cmsis(x);
    }
    return (int16_t)e;
}

static inline int16_t fe_mag_q15_inline(int32_t re, int32_t im, const uint16_t *table,
    const uint8_t *exceptions) {
    uint32_t power = (uint32_t)(re * re) + (uint32_t)(im * im);  // q2.30, at most 2^31
    return fe_sqrt_q30_inline(power >> 1, table, exceptions);
}

#endif
