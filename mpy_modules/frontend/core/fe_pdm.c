#include "fe_pdm.h"

FE_COLD fe_status_t fe_pdm_init(fe_pdm_t *p, uint32_t decimation) {
    uint8_t log2 = 0;
    while ((1u << log2) < decimation) {
        log2++;
    }
    if ((1u << log2) != decimation || log2 < 4 || log2 > 7) {
        return FE_ERR_DECIMATION;
    }
    p->decimation = (uint16_t)decimation;
    p->log2_decimation = log2;
    for (uint32_t byte = 0; byte < 256; byte++) {
        // Run the four integrators over the byte's bits from zero.
        uint32_t i1 = 0, i2 = 0, i3 = 0, i4 = 0;
        for (int bit = 7; bit >= 0; bit--) {
            i1 += (byte >> bit) & 1;
            i2 += i1;
            i3 += i2;
            i4 += i3;
        }
        p->sums[byte][0] = (uint16_t)i1;
        p->sums[byte][1] = (uint16_t)i2;
        p->sums[byte][2] = (uint16_t)i3;
        p->sums[byte][3] = (uint16_t)i4;
    }
    fe_pdm_reset(p);
    return FE_OK;
}

#if FE_HOST_API
size_t fe_pdm_size(void) {
    return sizeof(fe_pdm_t);
}
#endif

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
    uint32_t bytes_per_sample = p->decimation / 8u;
    uint32_t gain_log2 = 4u * p->log2_decimation;  // CIC gain R^4 = 2^gain_log2, 16..28
    uint32_t word = 0, left = 0;  // bytes of the current word not yet consumed
    for (size_t n = 0; n < n_out; n++) {
        for (uint32_t b = 0; b < bytes_per_sample; b++) {
            if (left == 0) {
                word = *words++;
                left = 4;
            }
            const uint16_t *s = p->sums[word >> 24];
            word <<= 8;
            left--;
            i4 += 8 * i3 + 36 * i2 + 120 * i1 + s[3];
            i3 += 8 * i2 + 36 * i1 + s[2];
            i2 += 8 * i1 + s[1];
            i1 += s[0];
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
