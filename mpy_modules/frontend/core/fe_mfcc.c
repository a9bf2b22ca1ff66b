#include "fe_mfcc.h"

#include "dsp/basic_math_functions.h"
#include "dsp/fast_math_functions.h"
#include "dsp/matrix_functions.h"
#include "dsp/statistics_functions.h"
#include "fe_mel.h"
#include "fe_spectrogram.h"
#include "fe_tables.h"
#include "fe_vlog.h"

// The constants of CMSIS-DSP's arm_mfcc_q15 (Source/TransformFunctions/arm_mfcc_q15.c).
#define LOG2TOLOG_Q15 0x02C5C860
#define MICRO_Q15 0x00000219
#define SHIFT_MELFILTER_SATURATION_Q15 10

#define FE_HEAD ((sizeof(fe_mfcc_t) + 7) & ~(size_t)7)

static fe_status_t check_config(const fe_mfcc_config_t *c) {
    fe_rfft_tables_t t;
    if (!fe_rfft_tables(c->fft, &t)) {
        return FE_ERR_FFT_SIZE;
    }
    if (c->frame < 1 || c->frame > c->fft || fe_hann_half(c->frame) == NULL) {
        return FE_ERR_FRAME;
    }
    if (c->hop < 1 || c->hop > 0xFFFF) {
        return FE_ERR_HOP;
    }
    if (c->sample_rate < 1 || c->sample_rate > 0xFFFF) {
        return FE_ERR_SAMPLE_RATE;
    }
    if (c->fmin >= c->fmax || 2 * c->fmax > c->sample_rate) {
        return FE_ERR_FREQUENCY;
    }
    if (c->bands < 2 || c->bands > 128 || c->bands > c->fft / 2 + 1) {
        return FE_ERR_BANDS;
    }
    if (c->coefficients < 1 || c->coefficients > c->bands) {
        return FE_ERR_COEFFICIENTS;
    }
    return FE_OK;
}

// Layout after the head: mel (bands int32), fft_in (fft), magnitude (bins), history
// (frame), log_mel (bands), filter_coefs (2 bins), dct (coefficients bands), then
// filter_pos and filter_len (bands uint16 each). fft_in + magnitude double as the
// int32 scratch of fe_mel_filters at init.
FE_COLD size_t fe_mfcc_bytes(const fe_mfcc_config_t *c, fe_status_t *status) {
    *status = check_config(c);
    if (*status != FE_OK) {
        return 0;
    }
    size_t bins = c->fft / 2 + 1;
    size_t halfwords = c->fft + bins + c->frame + c->bands + 2 * bins + c->coefficients * c->bands + 2 * c->bands;
    return FE_HEAD + 4 * (size_t)c->bands + 2 * halfwords;
}

FE_COLD fe_status_t fe_mfcc_init(void *memory, const fe_mfcc_config_t *c) {
    fe_status_t status;
    if (fe_mfcc_bytes(c, &status) == 0) {
        return status;
    }
    fe_mfcc_t *m = memory;
    uint32_t bins = c->fft / 2 + 1;
    m->frame = (uint16_t)c->frame;
    m->hop = (uint16_t)c->hop;
    m->fft = (uint16_t)c->fft;
    m->bins = (uint16_t)bins;
    m->bands = (uint16_t)c->bands;
    m->coefficients = (uint16_t)c->coefficients;
    m->window_half = fe_hann_half(c->frame);
    m->mel = (int32_t *)((uint8_t *)memory + FE_HEAD);
    m->fft_in = (int16_t *)(m->mel + c->bands);
    m->magnitude = m->fft_in + c->fft;
    int16_t *history = m->magnitude + bins;
    m->log_mel = history + c->frame;
    m->filter_coefs = m->log_mel + c->bands;
    m->dct = m->filter_coefs + 2 * bins;
    m->filter_pos = (uint16_t *)(m->dct + c->coefficients * c->bands);
    m->filter_len = m->filter_pos + c->bands;
    fe_framer_init(&m->framer, (uint16_t)c->frame, (uint16_t)c->hop, history);
    uint32_t n_coefs;
    status = fe_mel_filters(c->sample_rate, c->fft, c->fmin, c->fmax, c->bands, m->filter_pos,
        m->filter_len, m->filter_coefs, &n_coefs, (int32_t *)m->fft_in);
    if (status != FE_OK) {
        return status;
    }
    fe_dct_matrix(c->coefficients, c->bands, m->dct);
    return fe_rfft_init(&m->rfft, c->fft);
}

void fe_mfcc_reset(fe_mfcc_t *m) {
    fe_framer_reset(&m->framer);
}

void fe_mfcc_frame(fe_mfcc_t *m, const int16_t *x, int16_t *out) {
    int16_t *buf = m->fft_in;
    for (uint32_t i = 0; i < m->frame; i++) {
        buf[i] = x[i];
    }
    for (uint32_t i = m->frame; i < m->fft; i++) {
        buf[i] = 0;
    }
    q15_t peak;
    uint32_t index;
    arm_absmax_q15(buf, m->fft, &peak, &index);
    int normalise = peak != 0 && peak != 0x7FFF;
    if (normalise) {
        q15_t quotient;
        int16_t shift;
        arm_divide_q15(0x7FFF, peak, &quotient, &shift);
        arm_scale_q15(buf, quotient, (int8_t)shift, buf, m->fft);
    }
    // arm_mult_q15 with the window zero-padded to fft: the padding stays zero.
    fe_window_q15(buf, m->window_half, m->frame, buf);
    fe_rfft_mag_q15(&m->rfft, buf, m->magnitude);
    uint32_t at = 0;
    for (uint32_t i = 0; i < m->bands; i++) {
        q63_t result;
        arm_dot_prod_q15(m->magnitude + m->filter_pos[i], m->filter_coefs + at, m->filter_len[i], &result);
        at += m->filter_len[i];
        result += MICRO_Q15;
        result >>= SHIFT_MELFILTER_SATURATION_Q15;
        m->mel[i] = __SSAT((int32_t)result, 31);
    }
    if (normalise) {
        arm_scale_q31(m->mel, (q31_t)peak << 16, 0, m->mel, m->bands);
    }
    fe_vlog_q31(m->mel, m->mel, m->bands);  // = arm_vlog_q31
    uint32_t fft_shift = 0;
    while ((1u << (fft_shift + 1)) <= m->fft) {
        fft_shift++;
    }
    q31_t log_exponent = (q31_t)(fft_shift + 2 + SHIFT_MELFILTER_SATURATION_Q15) * LOG2TOLOG_Q15;
    arm_offset_q31(m->mel, log_exponent, m->mel, m->bands);
    arm_shift_q31(m->mel, -19, m->mel, m->bands);
    for (uint32_t i = 0; i < m->bands; i++) {
        m->log_mel[i] = (q15_t)m->mel[i];  // CMSIS: __SSAT((q15_t)x, 16), the cast first
    }
    arm_matrix_instance_q15 dct = { m->coefficients, m->bands, m->dct };
    arm_mat_vec_mult_q15(&dct, m->log_mel, out);
}

size_t fe_mfcc_process(fe_mfcc_t *m, const int16_t *x, size_t n, int16_t *ring,
    size_t ring_vectors, size_t *position) {
    size_t written = 0;
    const int16_t *frame;
    while ((frame = fe_framer_next(&m->framer, &x, &n)) != NULL) {
        fe_mfcc_frame(m, frame, ring + *position * m->coefficients);
        *position = *position + 1 == ring_vectors ? 0 : *position + 1;
        written++;
    }
    return written;
}

#if FE_HOST_API
size_t fe_mfcc_signal(fe_mfcc_t *m, const int16_t *x, size_t n, int16_t *out) {
    if (n < m->frame) {
        return 0;
    }
    size_t vectors = (n - m->frame) / m->hop + 1;
    for (size_t v = 0; v < vectors; v++) {
        fe_mfcc_frame(m, x + v * m->hop, out + v * m->coefficients);
    }
    return vectors;
}
#endif
