#include "pcm.h"

#include "../../common/isqrt.h"

uint32_t pcm_peak_s16(const int16_t *x, size_t n) {
    uint32_t peak = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t v = x[i];
        uint32_t a = (uint32_t)(v < 0 ? -v : v);
        if (a > peak) {
            peak = a;
        }
    }
    return peak;
}

uint64_t pcm_energy_s16(const int16_t *x, size_t n) {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t v = x[i];
        sum += (uint32_t)(v * v);  // at most 2^30, fits in 32 bits
    }
    return sum;
}

uint32_t pcm_mean_square_s16(const int16_t *x, size_t n) {
    if (n == 0) {
        return 0;
    }
    return (uint32_t)(pcm_energy_s16(x, n) / n);
}

uint32_t pcm_rms_s16(const int16_t *x, size_t n) {
    return isqrt_u32(pcm_mean_square_s16(x, n));
}

size_t pcm_scale_s16(int16_t *x, size_t n, int32_t gain_q16) {
    size_t clipped = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t y = ((int64_t)x[i] * gain_q16) >> 16;  // q15.16 * q15 -> q15
        if (y > INT16_MAX) {
            y = INT16_MAX;
            clipped++;
        } else if (y < INT16_MIN) {
            y = INT16_MIN;
            clipped++;
        }
        x[i] = (int16_t)y;
    }
    return clipped;
}
