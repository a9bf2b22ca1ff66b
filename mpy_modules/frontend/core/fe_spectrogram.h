// Streaming Q15 spectrogram, byte-identical to CMSIS-DSP frame by frame:
//   column = arm_cmplx_mag_q15(arm_rfft_q15(arm_mult_q15(frame, hann_q15)))
// with the frame zero-padded to fft. Columns have fft/2 + 1 bins (2.14 format).
//
// The instance and its buffers live in one caller-owned block of
// fe_spectrogram_bytes() bytes (aligned for pointers); nothing is allocated later.
#ifndef FE_SPECTROGRAM_H
#define FE_SPECTROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "fe_framer.h"
#include "fe_rfft.h"
#include "fe_status.h"

typedef struct {
    uint16_t frame, hop, fft, bins;
    const int16_t *window_half;  // Hann of `frame`, first frame/2 + 1 entries
    int16_t *fft_in;             // fft q15: windowed frame, then FFT scratch
    fe_framer_t framer;
    fe_rfft_t rfft;
} fe_spectrogram_t;

// Bytes needed for the instance and its buffers; 0 when the sizes are invalid.
size_t fe_spectrogram_bytes(uint32_t frame, uint32_t hop, uint32_t fft);

// memory: fe_spectrogram_bytes() bytes, pointer-aligned; it holds *s afterwards.
fe_status_t fe_spectrogram_init(void *memory, uint32_t frame, uint32_t hop, uint32_t fft);

// Forget buffered samples (e.g. after a gap in the audio).
void fe_spectrogram_reset(fe_spectrogram_t *s);

// out[i] = arm_mult_q15(x[i], w[i]) for i < frame, w the symmetric window whose first
// frame/2 + 1 entries are `half`.
void fe_window_q15(const int16_t *x, const int16_t *half, uint32_t frame, int16_t *out);

// One column from `frame` samples at x into out (bins values). Stateless apart from
// the scratch buffers.
void fe_spectrogram_column(fe_spectrogram_t *s, const int16_t *x, int16_t *out);

// Host builds only (FE_HOST_API): the columns of a whole signal (not streaming), n_columns = (n - frame) / hop + 1
// columns into out (n_columns * bins values); returns n_columns (0 when n < frame).
size_t fe_spectrogram_signal(fe_spectrogram_t *s, const int16_t *x, size_t n, int16_t *out);

// Feeds n samples; every completed frame's column goes to ring[*position] (a ring of
// ring_columns columns of bins values) and *position advances modulo ring_columns.
// Returns the number of columns written (older ones are overwritten when it exceeds
// ring_columns).
size_t fe_spectrogram_process(fe_spectrogram_t *s, const int16_t *x, size_t n,
    int16_t *ring, size_t ring_columns, size_t *position);

// out[i] = ring[(start + i) % ring_len] for i < n: unrolls the newest window of a ring.
void fe_ring_copy_s16(const int16_t *ring, size_t ring_len, size_t start, int16_t *out, size_t n);

#endif
