#include "fe_mag.h"

#include "dsp/fast_math_functions.h"

int16_t fe_sqrt_q30_cmsis(uint32_t x) {
    q31_t root;
    arm_sqrt_q31((q31_t)x, &root);
    return (int16_t)(root >> 16);
}

#if FE_HOST_API
uint32_t fe_isqrt_u29(uint32_t v) {
    if (v == 0) {
        return 0;
    }
    if (v >= (1u << 29)) {
        return 23170;
    }
    return fe_isqrt(v, fe_isqrt_table);
}

int16_t fe_sqrt_q30_to_q15(uint32_t x) {
    return fe_sqrt_q30_inline(x, fe_isqrt_table, fe_sqrt_exceptions);
}
#endif

void fe_cmplx_mag_q15(const int16_t *src, int16_t *dst, size_t n) {
    const uint16_t *table = fe_isqrt_table;
    const uint8_t *exceptions = fe_sqrt_exceptions;
    for (size_t i = 0; i < n; i++) {
        dst[i] = fe_mag_q15_inline(src[2 * i], src[2 * i + 1], table, exceptions);
    }
}
