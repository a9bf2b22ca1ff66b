#include "fe_mag.h"

#include "dsp/fast_math_functions.h"
#include "fe_tables.h"

uint32_t fe_isqrt_u29(uint32_t v) {
    if (v == 0) {
        return 0;
    }
    if (v >= (1u << 29)) {
        return 23170;  // isqrt(2^29); the only input that large
    }
    // n = v * 4^m in [2^27, 2^29), so isqrt(v) = isqrt(n) >> m.
    uint32_t n = v, m = 0;
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
    // Linear interpolation in a table of isqrt(i << 21): within 1 of the root.
    const uint16_t *t = &fe_isqrt_table[(n >> FE_ISQRT_TABLE_SHIFT) - FE_ISQRT_TABLE_FIRST];
    uint32_t frac = (n >> (FE_ISQRT_TABLE_SHIFT - 8)) & 0xFF;
    uint32_t e = (t[0] + (((uint32_t)(t[1] - t[0]) * frac) >> 8)) >> m;
    while (e * e > v) {
        e--;
    }
    while ((e + 1) * (e + 1) <= v) {
        e++;
    }
    return e;
}

// Scanning all 2^30 + 1 inputs shows CMSIS's result differs from isqrt(x >> 1) only
// for x in [2k^2 - 4, 2k^2 + 5], and below k = 8682 only at x = 2k^2 (one less).
// Below FE_SQRT_BITMAP_K a generated bitmap says which k; above, CMSIS decides.
int16_t fe_sqrt_q30_to_q15(uint32_t x) {
    uint32_t e = fe_isqrt_u29(x >> 1);
    uint32_t lower = 2 * e * e;
    if (e < FE_SQRT_BITMAP_K) {
        if (x == lower && (fe_sqrt_exceptions[e >> 3] >> (e & 7)) & 1) {
            e--;
        }
    } else if (x - lower <= 5 || 2 * (e + 1) * (e + 1) - x <= 4) {
        q31_t root;
        arm_sqrt_q31((q31_t)x, &root);
        e = (uint32_t)(root >> 16);
    }
    return (int16_t)e;
}

void fe_cmplx_mag_q15(const int16_t *src, int16_t *dst, size_t n) {
    for (size_t i = 0; i < n; i++) {
        int32_t re = src[2 * i], im = src[2 * i + 1];
        uint32_t power = (uint32_t)(re * re) + (uint32_t)(im * im);  // q2.30, at most 2^31
        dst[i] = fe_sqrt_q30_to_q15(power >> 1);
    }
}
