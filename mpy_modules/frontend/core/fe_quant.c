#include "fe_quant.h"

#define NEVER 32769u  // larger than any |q15|

// ceil((2j - 1) * D / 2) with D = 32768 * scale = mant * 2^exp2, capped at NEVER.
static uint16_t threshold(uint32_t j, uint32_t mant, int32_t exp2) {
    uint64_t p = (uint64_t)(2 * j - 1) * mant;  // < 2^33
    int32_t sh = exp2 - 1;
    if (sh >= 0) {
        if (sh >= 16 || (p << sh) >= NEVER) {
            return NEVER;
        }
        return (uint16_t)(p << sh);
    }
    uint32_t k = (uint32_t)-sh;
    if (k >= 40) {
        return 1;  // p >= 1, so ceil(p / 2^k) = 1
    }
    uint64_t t = (p + ((uint64_t)1 << k) - 1) >> k;
    return (uint16_t)(t >= NEVER ? NEVER : t);
}

static int8_t clamp_s8(int32_t v) {
    return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);
}

FE_COLD fe_status_t fe_quant_init(fe_quant_t *q, uint32_t bits, int32_t zero_point) {
    uint32_t biased = (bits >> 23) & 0xFF;
    uint32_t mant = bits & 0x7FFFFF;
    if ((bits >> 31) != 0 || biased == 0xFF || (biased == 0 && mant == 0)) {
        return FE_ERR_SCALE;
    }
    if (zero_point < -128 || zero_point > 127) {
        return FE_ERR_ZERO_POINT;
    }
    // scale = mant * 2^(biased - 150) (normal: with the hidden bit), times 32768.
    int32_t exp2 = (biased == 0 ? 1 : (int32_t)biased) - 150 + 15;
    if (biased != 0) {
        mant |= 0x800000;
    }
    q->threshold[0] = 0;
    for (uint32_t j = 1; j < FE_QUANT_LEVELS; j++) {
        q->threshold[j] = threshold(j, mant, exp2);
    }
    q->threshold[FE_QUANT_LEVELS] = NEVER;
    uint32_t level = 0;
    for (uint32_t i = 0; i <= (32768u >> FE_QUANT_COARSE_SHIFT); i++) {
        while (q->threshold[level + 1] <= (i << FE_QUANT_COARSE_SHIFT)) {
            level++;
        }
        q->coarse[i] = (uint8_t)level;
    }
    for (int32_t j = 0; j < FE_QUANT_LEVELS; j++) {
        q->positive[j] = clamp_s8(zero_point + j);
        q->negative[j] = clamp_s8(zero_point - j);
    }
    return FE_OK;
}

static inline int8_t quantize(const fe_quant_t *q, int32_t v) {
    uint32_t a = (uint32_t)(v < 0 ? -v : v);
    uint32_t level = q->coarse[a >> FE_QUANT_COARSE_SHIFT];
    while (q->threshold[level + 1] <= a) {  // threshold[256] stops it
        level++;
    }
    return v < 0 ? q->negative[level] : q->positive[level];
}

#if FE_HOST_API
int8_t fe_quant_one(const fe_quant_t *q, int16_t v) {
    return quantize(q, v);
}
#endif

// Non-negative values (all of a spectrogram) take a short path; the table pointers
// stay in registers.
static void quantize_run(const fe_quant_t *q, const int16_t *src, int8_t *dst, size_t n) {
    const uint8_t *coarse = q->coarse;
    const uint16_t *above = q->threshold + 1;
    const int8_t *positive = q->positive;
    for (size_t i = 0; i < n; i++) {
        int32_t v = src[i];
        if (v < 0) {
            dst[i] = quantize(q, v);
            continue;
        }
        uint32_t level = coarse[(uint32_t)v >> FE_QUANT_COARSE_SHIFT];
        while (above[level] <= (uint32_t)v) {
            level++;
        }
        dst[i] = positive[level];
    }
}

void fe_quant_s8(const fe_quant_t *q, const int16_t *src, size_t src_len, size_t start,
    int8_t *dst, size_t n) {
    size_t first = src_len - start < n ? src_len - start : n;
    quantize_run(q, src + start, dst, first);
    quantize_run(q, src, dst + first, n - first);
}
