#include "fe_spectrogram.h"

#include <string.h>

#include "fe_ring.h"

#include "fe_tables.h"

// Buffers follow the instance: history (frame), fft_in (fft).
#define FE_HEAD ((sizeof(fe_spectrogram_t) + 7) & ~(size_t)7)

FE_COLD static fe_status_t check_sizes(uint32_t frame, uint32_t hop, uint32_t fft) {
    fe_rfft_tables_t t;
    if (!fe_rfft_tables(fft, &t)) {
        return FE_ERR_FFT_SIZE;
    }
    if (frame < 1 || frame > fft || fe_hann_half(frame) == NULL) {
        return FE_ERR_FRAME;
    }
    if (hop < 1 || hop > 0xFFFF) {
        return FE_ERR_HOP;
    }
    return FE_OK;
}

FE_COLD size_t fe_spectrogram_bytes(uint32_t frame, uint32_t hop, uint32_t fft) {
    if (check_sizes(frame, hop, fft) != FE_OK) {
        return 0;
    }
    return FE_HEAD + (frame + (size_t)fft) * sizeof(int16_t);
}

FE_COLD fe_status_t fe_spectrogram_init(void *memory, uint32_t frame, uint32_t hop, uint32_t fft) {
    fe_status_t status = check_sizes(frame, hop, fft);
    if (status != FE_OK) {
        return status;
    }
    fe_spectrogram_t *s = memory;
    int16_t *history = (int16_t *)((uint8_t *)memory + FE_HEAD);
    s->frame = (uint16_t)frame;
    s->hop = (uint16_t)hop;
    s->fft = (uint16_t)fft;
    s->bins = (uint16_t)(fft / 2 + 1);
    s->window_half = fe_hann_half(frame);
    s->fft_in = history + frame;
    fe_framer_init(&s->framer, (uint16_t)frame, (uint16_t)hop, history);
    return fe_rfft_init(&s->rfft, fft);
}

void fe_spectrogram_reset(fe_spectrogram_t *s) {
    fe_framer_reset(&s->framer);
}

// arm_mult_q15: (x * w) >> 15, saturated; w <= 32767 keeps it in range.
void fe_window_q15(const int16_t *x, const int16_t *half, uint32_t frame, int16_t *out) {
    // w[i] = w[frame - i]: each table entry serves a sample from each end.
    uint32_t mid = frame / 2;
    out[0] = (int16_t)((x[0] * half[0]) >> 15);
    out[mid] = (int16_t)((x[mid] * half[mid]) >> 15);
    const int16_t *lo = x + 1, *hi = x + frame - 1;
    int16_t *out_lo = out + 1, *out_hi = out + frame - 1;
    for (uint32_t i = 1; i < mid; i++) {
        int32_t w = half[i];
        *out_lo++ = (int16_t)((*lo++ * w) >> 15);
        *out_hi-- = (int16_t)((*hi-- * w) >> 15);
    }
}

void fe_spectrogram_column(fe_spectrogram_t *s, const int16_t *x, int16_t *out) {
    fe_window_q15(x, s->window_half, s->frame, s->fft_in);
    memset(s->fft_in + s->frame, 0, (size_t)(s->fft - s->frame) * sizeof(int16_t));
    fe_rfft_mag_q15(&s->rfft, s->fft_in, out);
}

#if FE_HOST_API
size_t fe_spectrogram_signal(fe_spectrogram_t *s, const int16_t *x, size_t n, int16_t *out) {
    if (n < s->frame) {
        return 0;
    }
    size_t columns = (n - s->frame) / s->hop + 1;
    for (size_t c = 0; c < columns; c++) {
        fe_spectrogram_column(s, x + c * s->hop, out + c * s->bins);
    }
    return columns;
}
#endif

size_t fe_spectrogram_process(fe_spectrogram_t *s, const int16_t *x, size_t n,
    int16_t *ring, size_t ring_columns, size_t *position) {
    size_t written = 0;
    const int16_t *frame;
    while ((frame = fe_framer_next(&s->framer, &x, &n)) != NULL) {
        fe_spectrogram_column(s, frame, ring + *position * s->bins);
        if (++*position >= ring_columns) {
            *position = 0;
        }
        written++;
    }
    return written;
}

void fe_ring_copy_s16(const int16_t *ring, size_t ring_len, size_t start, int16_t *out, size_t n) {
    fe_ring_copy_u8((const uint8_t *)ring, ring_len * sizeof(int16_t), start * sizeof(int16_t),
        (uint8_t *)out, n * sizeof(int16_t));
}
