// Forward complex FFT in Q15, byte-identical to CMSIS-DSP's arm_cfft_q15(S, z, 0, 0)
// (no-DSP build: arm_radix4_butterfly_q15 for powers of 4, arm_cfft_radix4by2_q15
// for the others), written as one loop per stage kind instead of CMSIS's unrolled
// stages: on the board module code lives in RAM.
#ifndef FE_CFFT_H
#define FE_CFFT_H

#include <stdint.h>

// z: n complex q15 (re, im interleaved), n = 16..4096 a power of 2, in place; output
// in bit-reversed order and scaled down by n, as CMSIS's (1.15 in; n = 128: 8.8 out).
// twiddle: CMSIS's twiddleCoef_<n>_q15 (or the part tools/gen_tables.py keeps).
// z and twiddle are word-aligned: a complex value is read as one 32-bit word.
void fe_cfft_q15(int16_t *z, uint32_t n, const int16_t *twiddle);

#if FE_HOST_API
// Host builds only (tests): fe_cfft_q15 with the table of a configured real FFT of
// 2n; 1 when n is such a size, else 0 (z untouched).
int fe_cfft_forward_q15(int16_t *z, uint32_t n);
#endif

#endif
