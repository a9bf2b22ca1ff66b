// Magnitude spectrum of a real frame, byte-identical to CMSIS-DSP's
//   arm_cmplx_mag_q15(arm_rfft_q15(in))  (forward, normal order)
// on the carved tables of fe_tables.c. The complex FFT is fe_cfft.c's (CMSIS's
// arithmetic in loops); its bit reversal swaps the same pairs from a byte table
// (fe_bitreverse). The real-FFT split step (arm_split_rfft_q15) is computed here for
// the bins kept (0..fft/2) with the same wrapping 32-bit sums, rearranged with exact
// identities of CMSIS's coefficient tables (checked by tools/gen_tables.py): 4
// products per pair of bins instead of 16, and no table B.
#ifndef FE_RFFT_H
#define FE_RFFT_H

#include <stdint.h>

#include "fe_status.h"

typedef struct {
    uint16_t fft;
    uint16_t bitrev_length;
    const int16_t *twiddle;   // cfft of fft/2 points
    const uint8_t *bitrev;    // pairs of complex indices to swap
    const int16_t *coef_a;    // realCoefAQ15 at stride 8192/fft, k = 0..fft/4
    int16_t mid_br;           // realCoefBQ15 at k = fft/4 (saturated: 32767)
} fe_rfft_t;

fe_status_t fe_rfft_init(fe_rfft_t *r, uint32_t fft);

// arm_bitreversal_16 on complex q15 z, with the table as complex indices (bytes).
void fe_bitreverse(int16_t *z, const uint8_t *pairs, uint32_t length);

// out[k] = |X[k]| in 2.14 for k = 0..fft/2; in (fft q15) is overwritten.
void fe_rfft_mag_q15(const fe_rfft_t *r, int16_t *in, int16_t *out);

#endif
