// Band-level summary features (definition in tr_features.h).
#include "tr_features.h"

#include "../../common/isqrt.h"

uint32_t tr_log2_q8(uint32_t x) {
    if (x <= 1) {
        return 0;
    }
    uint32_t k = 0;  // index of the top set bit, by binary search (no clz on Cortex-M0+)
    for (uint32_t step = 16; step; step >>= 1) {
        if (x >> (k + step)) {
            k += step;
        }
    }
    uint32_t rest = x - (1u << k);  // < 2^k
    uint32_t frac = k >= 8 ? rest >> (k - 8) : rest << (8 - k);  // q8 fraction of 2^k
    return 256 * k + frac;
}

int tr_band_features(const int16_t *columns, size_t n_columns, size_t n_bins, size_t n_bands,
                     int16_t *out) {
    if (n_columns == 0 || n_bands < 1 || n_bands > TR_MAX_BANDS || n_bins < n_bands + 1) {
        return -1;
    }
    size_t usable = n_bins - 1;
    for (size_t b = 0; b < n_bands; b++) {
        size_t lo = 1 + b * usable / n_bands, hi = 1 + (b + 1) * usable / n_bands;
        uint64_t sum = 0, sum_sq = 0;  // levels < 2^13: a square fits 32 bits, sums need 64
        for (size_t c = 0; c < n_columns; c++) {
            const int16_t *col = columns + c * n_bins;
            uint32_t energy = 1;
            for (size_t i = lo; i < hi; i++) {
                energy += col[i] > 0 ? (uint32_t)col[i] : 0;
            }
            uint32_t level = tr_log2_q8(energy);
            sum += level;
            sum_sq += level * level;  // 32-bit multiply, 64-bit add: no helper call
        }
        uint64_t n = n_columns;
        out[b] = (int16_t)(sum / n);
        out[n_bands + b] = (int16_t)isqrt_u64((n * sum_sq - sum * sum) / (n * n));
    }
    return 0;
}

int tr_mean_dev_s16(const int16_t *values, size_t n_rows, size_t n_cols, int16_t *out) {
    if (n_rows == 0 || n_rows > 65535 || n_cols == 0) {
        return -1;
    }
    int64_t n = (int64_t)n_rows;
    for (size_t c = 0; c < n_cols; c++) {
        int64_t sum = 0;
        uint64_t sum_sq = 0;  // at most 65535 * 2^30
        for (size_t r = 0; r < n_rows; r++) {
            int32_t v = values[r * n_cols + c];
            sum += v;
            sum_sq += (uint32_t)(v * v);
        }
        int64_t mean = sum >= 0 ? sum / n : -((-sum + n - 1) / n);  // floor division
        // n*sum_sq - sum^2 >= 0 and < 2^62 for n <= 65535
        uint64_t spread = (uint64_t)n * sum_sq - (uint64_t)(sum * sum);
        out[c] = (int16_t)mean;
        out[n_cols + c] = (int16_t)isqrt_u64(spread / ((uint64_t)n * (uint64_t)n));
    }
    return 0;
}
