#include "fe_mel.h"

#include "../../common/isqrt.h"
#include "fe_tables.h"

// n / d for n < d * 2^32, by shift and subtract (no libgcc 64-bit division).
static uint32_t div_u64_u32(uint64_t n, uint32_t d) {
    uint64_t rem = 0;
    uint32_t q = 0;
    for (int bit = 63; bit >= 0; bit--) {
        rem = (rem << 1) | ((n >> bit) & 1);
        if (rem >= d) {
            rem -= d;
            if (bit < 32) {
                q |= 1u << bit;
            }
        }
    }
    return q;
}

int32_t fe_log2_q24(uint32_t u) {
    uint32_t e = 0;
    while ((u >> e) > 1) {
        e++;
    }
    uint32_t z = u << (31 - e);  // u / 2^e in Q31, in [1, 2)
    int32_t result = (int32_t)(e << 24);
    for (int bit = 23; bit >= 0; bit--) {
        uint64_t square = (uint64_t)z * z;  // Q62, in [1, 4)
        if (square >> 63) {
            z = (uint32_t)(square >> 32);
            result |= 1 << bit;
        } else {
            z = (uint32_t)(square >> 31);
        }
    }
    return result;
}

int32_t fe_cos_quarter_q30(uint32_t num, uint32_t den) {
    uint32_t quadrant = (num / den) & 3, rest = num % den;
    int32_t angle = (int32_t)div_u64_u32((uint64_t)rest * FE_HALF_PI_Q30, den);  // [0, pi/2)
    int32_t x = FE_CORDIC_GAIN_Q30, y = 0;
    for (int i = 0; i < FE_CORDIC_STEPS; i++) {
        int32_t dx = y >> i, dy = x >> i;
        if (angle >= 0) {
            x -= dx;
            y += dy;
            angle -= fe_cordic_atan_q30[i];
        } else {
            x += dx;
            y -= dy;
            angle += fe_cordic_atan_q30[i];
        }
    }
    switch (quadrant) {
        case 0:
            return x;
        case 1:
            return -y;
        case 2:
            return -x;
        default:
            return y;
    }
}

static int16_t round_q30_times_q30_to_q15(int32_t a, int32_t b) {
    int64_t p = (int64_t)a * b;  // Q60
    int64_t r = (p + ((int64_t)1 << 44)) >> 45;
    return (int16_t)(r > 32767 ? 32767 : r < -32768 ? -32768 : r);
}

void fe_dct_matrix(uint32_t coefficients, uint32_t bands, int16_t *dct) {
    // sqrt(2 / bands) in Q30 = sqrt(2) 2^58 / (sqrt(bands) 2^28).
    uint32_t root_bands = isqrt_u64((uint64_t)bands << 56);
    int32_t scale = (int32_t)div_u64_u32((uint64_t)FE_SQRT2_Q30 << 28, root_bands);
    for (uint32_t i = 0; i < coefficients; i++) {
        for (uint32_t n = 0; n < bands; n++) {
            int32_t c = fe_cos_quarter_q30(i * (2 * n + 1), bands);
            dct[i * bands + n] = round_q30_times_q30_to_q15(c, scale);
        }
    }
}

// round(32768 num / den) for 0 <= num <= den, saturated to 32767 (as toQ15).
static int16_t ratio_q15(uint32_t num, uint32_t den) {
    uint32_t r = (div_u64_u32((uint64_t)num << 16, den) + 1) >> 1;
    return (int16_t)(r > 32767 ? 32767 : r);
}

fe_status_t fe_mel_filters(uint32_t sample_rate, uint32_t fft, uint32_t fmin, uint32_t fmax,
    uint32_t bands, uint16_t *pos, uint16_t *len, int16_t *coefs, uint32_t *n_coefs,
    int32_t *scratch) {
    uint32_t bins = fft / 2 + 1;
    // Mel up to a constant factor and offset, which cancel in the weights:
    // log2((700 + f) fft) = log2(700 fft + k sample_rate) at bin k.
    int32_t lo = fe_log2_q24((700 + fmin) * fft), hi = fe_log2_q24((700 + fmax) * fft);
    uint32_t span = (uint32_t)(hi - lo), steps = bands + 1;
    uint32_t step = span / steps, rem = span % steps;
    if (step == 0) {
        return FE_ERR_BANDS;
    }
    for (uint32_t k = 1; k < bins; k++) {
        scratch[k] = fe_log2_q24(700 * fft + k * sample_rate);
    }
    uint32_t count = 0;
    for (uint32_t n = 0; n < bands; n++) {
        int32_t m0 = lo + (int32_t)(n * step + n * rem / steps);
        int32_t m1 = lo + (int32_t)((n + 1) * step + (n + 1) * rem / steps);
        int32_t m2 = lo + (int32_t)((n + 2) * step + (n + 2) * rem / steps);
        uint32_t first = 0, last = 0;
        for (uint32_t k = 1; k < bins; k++) {
            int32_t mel = scratch[k];
            if (mel <= m0 || mel >= m2) {
                continue;
            }
            if (first == 0) {
                first = k;
            }
            last = k;
            uint32_t up_num = (uint32_t)(mel - m0), up_den = (uint32_t)(m1 - m0);
            uint32_t down_num = (uint32_t)(m2 - mel), down_den = (uint32_t)(m2 - m1);
            // min(up, down) by cross-multiplying
            int up_smaller = (uint64_t)up_num * down_den <= (uint64_t)down_num * up_den;
            coefs[count++] = up_smaller ? ratio_q15(up_num, up_den) : ratio_q15(down_num, down_den);
        }
        if (first == 0) {
            return FE_ERR_BANDS;
        }
        pos[n] = (uint16_t)first;
        len[n] = (uint16_t)(last - first + 1);
    }
    *n_coefs = count;
    return FE_OK;
}
