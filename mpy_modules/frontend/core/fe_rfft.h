// CMSIS-DSP's forward arm_rfft_q15 (bit-reversed to normal order) on the carved
// tables of fe_tables.c. It calls the same CMSIS functions arm_rfft_q15 and
// arm_cfft_q15 call for a forward transform, so the inverse code is not linked.
#ifndef FE_RFFT_H
#define FE_RFFT_H

#include <stdint.h>

#include "fe_status.h"

typedef struct {
    uint16_t fft;
    uint16_t bitrev_length;
    const int16_t *twiddle;   // cfft of fft/2 points
    const uint16_t *bitrev;
    const int16_t *coef_a;    // realCoefA/BQ15 at stride 8192/fft
    const int16_t *coef_b;
} fe_rfft_t;

fe_status_t fe_rfft_init(fe_rfft_t *r, uint32_t fft);

// out (2 * fft q15) = arm_rfft_q15(in) for a forward instance with bitReverseFlag 1;
// in (fft q15) is overwritten (used in place by the complex FFT).
void fe_rfft_q15(const fe_rfft_t *r, int16_t *in, int16_t *out);

#endif
