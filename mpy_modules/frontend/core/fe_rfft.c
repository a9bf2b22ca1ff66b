#include "fe_rfft.h"

#include "arm_math_types.h"
#include "fe_tables.h"

// Defined in CMSIS-DSP's TransformFunctions (not in its public headers).
void arm_cfft_radix4by2_q15(q15_t *pSrc, uint32_t fftLen, const q15_t *pCoef);
void arm_radix4_butterfly_q15(q15_t *pSrc16, uint32_t fftLen, const q15_t *pCoef16,
    uint32_t twidCoefModifier);
void arm_bitreversal_16(uint16_t *pSrc, const uint16_t bitRevLen, const uint16_t *pBitRevTab);
void arm_split_rfft_q15(q15_t *pSrc, uint32_t fftLen, const q15_t *pATable,
    const q15_t *pBTable, q15_t *pDst, uint32_t modifier);

fe_status_t fe_rfft_init(fe_rfft_t *r, uint32_t fft) {
    fe_rfft_tables_t t;
    if (!fe_rfft_tables(fft, &t)) {
        return FE_ERR_FFT_SIZE;
    }
    r->fft = (uint16_t)fft;
    r->twiddle = t.twiddle;
    r->bitrev = t.bitrev;
    r->bitrev_length = t.bitrev_length;
    r->coef_a = t.coef_a;
    r->coef_b = t.coef_b;
    return FE_OK;
}

void fe_rfft_q15(const fe_rfft_t *r, int16_t *in, int16_t *out) {
    uint32_t half = r->fft / 2u;
    // arm_cfft_q15(S, in, 0, 1): radix-4 sizes use the butterfly, the others radix-4-by-2.
    if (half == 16 || half == 64 || half == 256 || half == 1024 || half == 4096) {
        arm_radix4_butterfly_q15(in, half, r->twiddle, 1);
    } else {
        arm_cfft_radix4by2_q15(in, half, r->twiddle);
    }
    arm_bitreversal_16((uint16_t *)in, r->bitrev_length, r->bitrev);
    // arm_split_rfft_q15 with twidCoefRModifier 1: the tables are carved already.
    arm_split_rfft_q15(in, half, r->coef_a, r->coef_b, out, 1);
}
