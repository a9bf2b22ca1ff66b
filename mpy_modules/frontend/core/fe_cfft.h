// Forward complex FFT in Q15, byte-identical to CMSIS-DSP's arm_cfft_q15(S, z, 0, 0)
// (no-DSP build: arm_radix4_butterfly_q15 for powers of 4, arm_cfft_radix4by2_q15
// for the others), written as one loop per stage kind instead of CMSIS's unrolled
// stages: on the board module code lives in RAM.
#ifndef FE_CFFT_H
#define FE_CFFT_H

#include <stdint.h>

// z: n complex q15 (re, im interleaved), n = 16..4096 a power of 2, in place; output
// in bit-reversed order, scaled down by n (CMSIS's format: 1.15 in, log2(n)+1.(15-log2(n)) out).
// twiddle: CMSIS's twiddleCoef_<n>_q15 (3n/4 complex entries).
void fe_cfft_q15(int16_t *z, uint32_t n, const int16_t *twiddle);

#if FE_HOST_API
// Host builds only (tests): fe_cfft_q15 with the table of a configured real FFT of
// 2n; 1 when n is such a size, else 0 (z untouched).
int fe_cfft_forward_q15(int16_t *z, uint32_t n);
#endif

#endif
