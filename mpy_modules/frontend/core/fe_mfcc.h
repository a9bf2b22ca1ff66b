// Streaming Q15 MFCC, the computation of CMSIS-DSP's arm_mfcc_q15 (same primitives in
// the same order, byte-identical given the same tables) with our tables (fe_mel.h)
// and our spectrum (fe_rfft_mag_q15 = arm_rfft_q15 + arm_cmplx_mag_q15):
//   normalise the frame by its peak, Hann window, |rfft|, mel filters (dot products,
//   q34.29 >> 10, saturated), undo the normalisation, log (arm_vlog_q31), offset and
//   shift to q8.7, DCT (arm_mat_vec_mult_q15). Output: `coefficients` values, q8.7.
// A frame shorter than fft is zero-padded (e.g. 400 samples in a 512-point FFT).
#ifndef FE_MFCC_H
#define FE_MFCC_H

#include <stddef.h>
#include <stdint.h>

#include "fe_framer.h"
#include "fe_rfft.h"
#include "fe_status.h"

typedef struct {
    uint16_t frame, hop, fft, bins, bands, coefficients;
    const int16_t *window_half;
    int16_t *fft_in;      // fft q15 (then bins q15 of magnitudes follow it)
    int16_t *magnitude;   // bins q15
    int32_t *mel;         // bands q31
    int16_t *log_mel;     // bands q15 (q8.7)
    uint16_t *filter_pos;
    uint16_t *filter_len;
    int16_t *filter_coefs;
    int16_t *dct;         // coefficients x bands
    fe_framer_t framer;
    fe_rfft_t rfft;
} fe_mfcc_t;

typedef struct {
    uint32_t frame, hop, fft, sample_rate, fmin, fmax, bands, coefficients;
} fe_mfcc_config_t;

// Bytes for the instance, its tables and buffers; 0 (and *status) when invalid.
size_t fe_mfcc_bytes(const fe_mfcc_config_t *c, fe_status_t *status);

// memory: fe_mfcc_bytes() bytes, pointer-aligned; builds the tables (integer math).
fe_status_t fe_mfcc_init(void *memory, const fe_mfcc_config_t *c);

void fe_mfcc_reset(fe_mfcc_t *m);

// One frame (frame samples at x) -> out (coefficients q15).
void fe_mfcc_frame(fe_mfcc_t *m, const int16_t *x, int16_t *out);

// As fe_spectrogram_process, with vectors of `coefficients` values.
size_t fe_mfcc_process(fe_mfcc_t *m, const int16_t *x, size_t n, int16_t *ring,
    size_t ring_vectors, size_t *position);

// Host builds only (FE_HOST_API): the whole signal at once, (n - frame) / hop + 1 vectors into out; returns that count.
size_t fe_mfcc_signal(fe_mfcc_t *m, const int16_t *x, size_t n, int16_t *out);

#endif
