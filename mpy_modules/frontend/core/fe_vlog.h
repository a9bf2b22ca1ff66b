// Natural logarithm q31 -> q5.26, byte-identical to CMSIS-DSP's arm_vlog_q31 (its
// bit-by-bit log2: normalise by CLZ, square 26 times, scale by 1/log2(e)) for every
// input, 0 and negative values included. Faster on a Cortex-M0+: the squares use
// 16-bit partial products instead of a 64-bit multiply call, the CLZ a binary search,
// and the iterations that no longer add to the result are skipped.
#ifndef FE_VLOG_H
#define FE_VLOG_H

#include <stddef.h>
#include <stdint.h>

void fe_vlog_q31(const int32_t *src, int32_t *dst, size_t n);

#endif
