// Drives every public function of the frontend core over edge cases, for the
// AddressSanitizer/UndefinedBehaviorSanitizer build (make check). Exits non-zero on
// a failed expectation; the sanitizers abort on any out-of-bounds access or UB.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fe_mag.h"
#include "fe_mfcc.h"
#include "fe_pdm.h"
#include "fe_quant.h"
#include "fe_ring.h"
#include "fe_spectrogram.h"

static uint32_t seed = 1;

static int16_t noise(int32_t amplitude) {
    seed = seed * 1103515245u + 12345u;
    return (int16_t)((int32_t)(seed >> 16) % amplitude);
}

static int failures = 0;

static void expect(int ok, const char *what) {
    if (!ok) {
        printf("FAIL: %s\n", what);
        failures++;
    }
}

static void spectrogram_case(uint32_t frame, uint32_t hop, uint32_t fft, int32_t amplitude) {
    size_t bytes = fe_spectrogram_bytes(frame, hop, fft);
    expect(bytes > 0, "valid sizes have a size");
    // Exactly sized heap blocks, so ASan sees any overrun.
    void *memory = malloc(bytes);
    expect(fe_spectrogram_init(memory, frame, hop, fft) == FE_OK, "init");
    fe_spectrogram_t *s = memory;
    size_t n = 5000, ring_columns = 3, position = 0;
    int16_t *audio = malloc(n * sizeof(int16_t));
    for (size_t i = 0; i < n; i++) {
        audio[i] = amplitude == 32768 ? (int16_t)(i % 2 ? -32768 : 32767) : noise(amplitude);
    }
    int16_t *ring = malloc(ring_columns * s->bins * sizeof(int16_t));
    size_t expected = (n - frame) / hop + 1, written = 0;
    for (size_t at = 0; at < n;) {
        size_t block = (size_t)(seed % 700);
        noise(2);
        if (block > n - at) {
            block = n - at;
        }
        written += fe_spectrogram_process(s, audio + at, block, ring, ring_columns, &position);
        at += block;
    }
    expect(written == expected, "streaming writes every column once");
    int16_t *columns = malloc(expected * s->bins * sizeof(int16_t));
    expect(fe_spectrogram_signal(s, audio, n, columns) == expected, "whole-signal column count");
    for (size_t c = 0; c < ring_columns; c++) {
        size_t column = expected - ring_columns + c;
        size_t slot = (position + c) % ring_columns;
        expect(memcmp(ring + slot * s->bins, columns + column * s->bins, s->bins * 2) == 0,
            "ring holds the newest columns");
    }
    int16_t *window = malloc(2 * s->bins * sizeof(int16_t));
    fe_ring_copy_s16(ring, ring_columns * s->bins, position * s->bins, window, 2 * s->bins);
    free(window);
    free(columns);
    free(ring);
    free(audio);
    free(memory);
}

static void quant_case(uint32_t bits, int32_t zero_point) {
    fe_quant_t *q = malloc(sizeof(fe_quant_t));
    expect(fe_quant_init(q, bits, zero_point) == FE_OK, "quant init");
    int16_t *src = malloc(65536 * sizeof(int16_t));
    int8_t *dst = malloc(65536);
    for (int32_t v = -32768; v < 32768; v++) {
        src[v + 32768] = (int16_t)v;
    }
    fe_quant_s8(q, src, 65536, 12345, dst, 65536);
    expect(dst[0] == fe_quant_one(q, src[12345]), "ring start");
    free(dst);
    free(src);
    free(q);
}

static void mfcc_case(fe_mfcc_config_t c, int32_t amplitude) {
    fe_status_t status;
    size_t bytes = fe_mfcc_bytes(&c, &status);
    expect(status == FE_OK && bytes > 0, "mfcc size");
    void *memory = malloc(bytes);
    if (fe_mfcc_init(memory, &c) != FE_OK) {
        expect(0, "mfcc init");
        free(memory);
        return;
    }
    size_t n = 3000, position = 0;
    int16_t *audio = malloc(n * sizeof(int16_t));
    for (size_t i = 0; i < n; i++) {
        audio[i] = amplitude == 32768 ? (int16_t)(i % 3 ? -32768 : 32767) : noise(amplitude);
    }
    int16_t *ring = malloc(2 * c.coefficients * sizeof(int16_t));
    size_t written = fe_mfcc_process(memory, audio, n, ring, 2, &position);
    expect(written == (n - c.frame) / c.hop + 1, "mfcc vectors");
    free(ring);
    free(audio);
    free(memory);
}

int main(void) {
    mfcc_case((fe_mfcc_config_t){ 400, 160, 512, 16000, 0, 8000, 40, 20 }, 12000);
    mfcc_case((fe_mfcc_config_t){ 256, 128, 256, 16000, 50, 8000, 24, 24 }, 32768);
    mfcc_case((fe_mfcc_config_t){ 512, 512, 512, 8000, 0, 4000, 2, 1 }, 1);
    fe_status_t status;
    void *scratch = malloc(fe_mfcc_bytes(&(fe_mfcc_config_t){ 256, 128, 256, 16000, 50, 8000, 128, 4 }, &status));
    expect(fe_mfcc_init(scratch, &(fe_mfcc_config_t){ 256, 128, 256, 16000, 50, 8000, 128, 4 }) == FE_ERR_BANDS,
        "a band without bins is refused");
    free(scratch);
    expect(fe_mfcc_bytes(&(fe_mfcc_config_t){ 400, 160, 512, 16000, 0, 9000, 40, 20 }, &status) == 0
        && status == FE_ERR_FREQUENCY, "mfcc fmax above nyquist");

    spectrogram_case(256, 128, 256, 32768);
    spectrogram_case(256, 128, 256, 20000);
    spectrogram_case(400, 160, 512, 3000);
    spectrogram_case(512, 512, 512, 30);
    spectrogram_case(256, 300, 512, 1000);
    spectrogram_case(256, 1, 256, 5);
    expect(fe_spectrogram_bytes(256, 128, 300) == 0, "bad fft");
    expect(fe_spectrogram_init(NULL, 300, 128, 512) == FE_ERR_FRAME, "bad frame");

    uint32_t scales[] = { 0x3b808081u, 0x3c23d70au, 0x00000001u, 0x7f7fffffu, 0x38000000u, 0x3f800000u };
    for (size_t i = 0; i < sizeof(scales) / sizeof(scales[0]); i++) {
        quant_case(scales[i], i % 2 ? -128 : 127);
    }
    fe_quant_t q;
    expect(fe_quant_init(&q, 0x7f800000u, 0) == FE_ERR_SCALE, "inf scale");
    expect(fe_quant_init(&q, 0x80000001u, 0) == FE_ERR_SCALE, "negative scale");

    for (uint32_t x = 0; x <= (1u << 30); x += 997) {
        fe_sqrt_q30_to_q15(x);
    }
    fe_sqrt_q30_to_q15(1u << 30);
    int16_t extremes[8] = { -32768, -32768, 32767, -32768, 0, 0, -32768, 32767 };
    int16_t mags[4];
    fe_cmplx_mag_q15(extremes, mags, 4);
    expect(mags[0] == 23170 && mags[2] == 0, "extreme magnitudes");

    for (size_t offset = 0; offset < 4; offset++) {
        uint8_t *ring = malloc(37), *out = malloc(37 + offset);
        for (size_t i = 0; i < 37; i++) {
            ring[i] = (uint8_t)i;
        }
        fe_ring_copy_u8(ring, 37, 30, out + offset, 37);
        expect(out[offset] == 30 && out[offset + 7] == 0 && out[offset + 36] == 29, "ring copy");
        free(out);
        free(ring);
    }
    for (uint32_t d = 16; d <= 128; d *= 2) {
        fe_pdm_t *p = malloc(sizeof(fe_pdm_t));
        expect(fe_pdm_init(p, d) == FE_OK, "pdm init");
        size_t n_out = 64;
        uint32_t *words = malloc(n_out * d / 32 * sizeof(uint32_t));
        for (size_t i = 0; i < n_out * d / 32; i++) {
            words[i] = i < 8 ? 0xFFFFFFFFu : (uint32_t)noise(65536) * 65537u;
        }
        int16_t *out = malloc(n_out * sizeof(int16_t));
        fe_pdm_process(p, words, out, n_out);
        free(out);
        free(words);
        free(p);
    }
    fe_pdm_t p;
    expect(fe_pdm_init(&p, 48) == FE_ERR_DECIMATION, "bad decimation");
    for (int s = FE_OK; s <= FE_ERR_DECIMATION; s++) {
        expect(fe_status_message((fe_status_t)s)[0] != 0, "every status has a message");
    }
    printf("%s\n", failures ? "core check FAILED" : "core check ok");
    return failures ? 1 : 0;
}
