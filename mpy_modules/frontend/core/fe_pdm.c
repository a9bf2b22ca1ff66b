#include "fe_pdm.h"

fe_status_t fe_pdm_init(fe_pdm_t *p, uint32_t decimation) {
    uint8_t log2 = 0;
    while ((1u << log2) < decimation) {
        log2++;
    }
    if ((1u << log2) != decimation || log2 < 4 || log2 > 7) {
        return FE_ERR_DECIMATION;
    }
    p->decimation = (uint16_t)decimation;
    p->log2_decimation = log2;
    fe_pdm_reset(p);
    return FE_OK;
}

void fe_pdm_reset(fe_pdm_t *p) {
    for (int i = 0; i < 4; i++) {
        p->integrator[i] = 0;
        p->comb_delay[i] = 0;
    }
    p->previous[0] = 0;
    p->previous[1] = 0;
}

static int16_t saturate(int32_t v) {
    return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

void fe_pdm_process(fe_pdm_t *p, const uint32_t *words, int16_t *out, size_t n_out) {
    uint32_t i1 = p->integrator[0], i2 = p->integrator[1], i3 = p->integrator[2], i4 = p->integrator[3];
    uint32_t words_per_sample = p->decimation / 32u;
    uint32_t bits_per_word = p->decimation < 32 ? p->decimation : 32;
    uint32_t gain_log2 = 4u * p->log2_decimation;  // CIC gain R^4 = 2^gain_log2, 16..28
    uint32_t bit_offset = 0;
    for (size_t n = 0; n < n_out; n++) {
        for (uint32_t w = 0; w < (words_per_sample ? words_per_sample : 1); w++) {
            uint32_t word = *words << bit_offset;
            for (uint32_t b = 0; b < bits_per_word; b++) {
                i1 += word >> 31;  // 0/1 input; mapped to -1/+1 after the combs
                i2 += i1;
                i3 += i2;
                i4 += i3;
                word <<= 1;
            }
            bit_offset += bits_per_word;
            if (bit_offset == 32) {
                bit_offset = 0;
                words++;
            }
        }
        uint32_t c = i4;
        for (int k = 0; k < 4; k++) {
            uint32_t d = c - p->comb_delay[k];
            p->comb_delay[k] = c;
            c = d;
        }
        // c counts ones, weighted, in 0..2^gain_log2; as +-1 input that is
        // 2c - 2^gain_log2, here brought to +-2^16 (q16).
        int32_t cic = (int32_t)(2 * c - (1u << gain_log2)) >> (gain_log2 - 16);
        int32_t y = 6 * p->previous[0] - p->previous[1] - cic;  // at n - 1, times 4, q16
        p->previous[1] = p->previous[0];
        p->previous[0] = cic;
        out[n] = saturate(y >> 3);
    }
    p->integrator[0] = i1;
    p->integrator[1] = i2;
    p->integrator[2] = i3;
    p->integrator[3] = i4;
}
