// Mel filter bank and DCT tables for the MFCC, computed with integer arithmetic only
// so the host and every board build the same bytes. Definitions (as CMSIS-DSP's
// Python helper cmsisdsp.mfcc, rounded to Q15 the same way):
//   mel(f) = 1127 ln(1 + f / 700); bands + 2 points evenly spaced in mel from fmin
//   to fmax; bin k (k >= 1) at k * sample_rate / fft has weight
//   max(0, min((mel_k - m[n]) / (m[n+1] - m[n]), (m[n+2] - mel_k) / (m[n+2] - m[n+1])))
//   in band n, stored from its first to its last bin of non-zero weight;
//   dct[i][n] = cos(pi i (n + 1/2) / bands) sqrt(2 / bands).
// Logarithms come from a bit-by-bit log2 (Q24), cosines from CORDIC (Q30); the
// results are within one Q15 step of float64 (tested against cmsisdsp.mfcc).
#ifndef FE_MEL_H
#define FE_MEL_H

#include <stdint.h>

#include "fe_status.h"

// Fills pos/len (bands each) and coefs (*n_coefs of them, <= 2 * (fft/2 + 1)), or a
// status. scratch: fft/2 + 1 int32. fmin < fmax <= sample_rate / 2 is the caller's check.
fe_status_t fe_mel_filters(uint32_t sample_rate, uint32_t fft, uint32_t fmin, uint32_t fmax,
    uint32_t bands, uint16_t *pos, uint16_t *len, int16_t *coefs, uint32_t *n_coefs,
    int32_t *scratch);

// dct: coefficients x bands, row-major, Q15.
void fe_dct_matrix(uint32_t coefficients, uint32_t bands, int16_t *dct);

// log2(u) in Q24 for u >= 1 (exact to the last bit of the bit-by-bit method).
int32_t fe_log2_q24(uint32_t u);

// cos(pi / 2 * num / den) in Q30, for 0 <= num, 1 <= den (any quadrant).
int32_t fe_cos_quarter_q30(uint32_t num, uint32_t den);

#endif
