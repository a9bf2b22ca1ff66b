// Input forming for the int8 network: Q15 feature values -> int8, integer only.
//
// The float network sees v = q15 / 32768. With the model input's quantization
// (scale, zero_point) the int8 value is, exactly (no approximation):
//   int8 = clamp(zero_point + sign(q) * floor(|q| / (32768 * scale) + 1/2), -128, 127)
// i.e. round half away from zero (TFLite's quantize rounding), evaluated on the exact
// rational value; float64 evaluation of the same formula agrees for every int16 q.
// scale is taken as the float32 the model stores (passed as its IEEE-754 bits).
//
// Init computes, with 64-bit integer arithmetic only, the 255 thresholds t[j] =
// smallest |q| whose rounded value reaches j, and a coarse table of the level at
// every multiple of 32; forming looks the level up and settles it against the
// thresholds (one compare when levels are at least 32 apart), so it is exact.
#ifndef FE_QUANT_H
#define FE_QUANT_H

#include <stddef.h>
#include <stdint.h>

#include "fe_status.h"

#define FE_QUANT_LEVELS 256
#define FE_QUANT_COARSE_SHIFT 5

typedef struct {
    uint16_t threshold[FE_QUANT_LEVELS + 1];            // [0] = 0; [256] and unreachable: 32769
    uint8_t coarse[(32768 >> FE_QUANT_COARSE_SHIFT) + 1]; // level at |q| = i << 5
    int8_t positive[FE_QUANT_LEVELS];                  // clamp(zero_point + level)
    int8_t negative[FE_QUANT_LEVELS];                  // clamp(zero_point - level)
} fe_quant_t;

fe_status_t fe_quant_init(fe_quant_t *q, uint32_t scale_f32_bits, int32_t zero_point);

// One value (host builds only: FE_HOST_API).
int8_t fe_quant_one(const fe_quant_t *q, int16_t v);

// dst[i] = quantize(src[(start + i) % src_len]) for i < n (start < src_len, n <= src_len):
// unrolls a ring of columns and quantizes it in one pass.
void fe_quant_s8(const fe_quant_t *q, const int16_t *src, size_t src_len, size_t start,
    int8_t *dst, size_t n);

#endif
