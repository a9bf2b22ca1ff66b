#include "fe_mag.h"

#include "fe_status.h"

// CMSIS's own table of 1/sqrt start values (copied by tools/gen_tables.py).
extern const int32_t sqrt_initial_lut_q31[];

// q(a * b) >> shift, wrapping to 32 bits as CMSIS's (q31_t)((q63_t)a * b >> shift).
static int32_t mul_shift(int32_t a, int32_t b, uint32_t shift) {
    return (int32_t)(((int64_t)a * b) >> shift);
}

// arm_sqrt_q31's arithmetic for 0 < x <= 2^30, as a loop (CMSIS unrolls it): shift x
// left by an even count into [2^29, 2^31), three Newton steps on 1/sqrt in q2.29
// from CMSIS's start table, multiply back, undo half the shift.
FE_COLD int16_t fe_sqrt_q30_cmsis(uint32_t x) {
    int32_t number = (int32_t)x;
    uint32_t shift = 0;
    while (number < (1 << 29)) {
        number <<= 2;
        shift += 2;
    }
    int32_t var = sqrt_initial_lut_q31[(number >> 26) - 8];
    for (int i = 0; i < 3; i++) {
        int32_t t = mul_shift(number, mul_shift(var, var, 28), 31);
        var = mul_shift(var, (int32_t)(0x30000000u - (uint32_t)t), 29);
    }
    return (int16_t)(mul_shift(number, var, 28) >> (shift / 2) >> 16);
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
