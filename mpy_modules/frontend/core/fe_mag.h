// Complex magnitude in Q15, byte-identical to CMSIS-DSP's arm_cmplx_mag_q15 (non-DSP
// build: sqrt_q31((re^2 + im^2) >> 1) >> 16, output in 2.14), about 5x faster on a
// Cortex-M0+: an exact integer square root, plus CMSIS's own arm_sqrt_q31 only on the
// few inputs where its Newton iteration does not round to the exact root.
#ifndef FE_MAG_H
#define FE_MAG_H

#include <stddef.h>
#include <stdint.h>

// floor(sqrt(v)) for v <= 2^29.
uint32_t fe_isqrt_u29(uint32_t v);

// arm_sqrt_q31(x) >> 16 for 0 <= x <= 2^30 (x = (re^2 + im^2) >> 1).
int16_t fe_sqrt_q30_to_q15(uint32_t x);

// dst[i] = |src[2i] + j src[2i+1]| for i < n, as arm_cmplx_mag_q15.
void fe_cmplx_mag_q15(const int16_t *src, int16_t *dst, size_t n);

#endif
