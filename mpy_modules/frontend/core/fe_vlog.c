#include "fe_vlog.h"

#define LOG_Q31_INVLOG2EXP 0x58b90bfbu  // 1 / log2(e) in q31, as CMSIS

static uint32_t clz32(uint32_t v) {
    if (v == 0) {
        return 32;
    }
    uint32_t n = 0;
    if (v <= 0x0000FFFFu) {
        n += 16;
        v <<= 16;
    }
    if (v <= 0x00FFFFFFu) {
        n += 8;
        v <<= 8;
    }
    if (v <= 0x0FFFFFFFu) {
        n += 4;
        v <<= 4;
    }
    if (v <= 0x3FFFFFFFu) {
        n += 2;
        v <<= 2;
    }
    if (v <= 0x7FFFFFFFu) {
        n += 1;
    }
    return n;
}

// (x * x) >> 30 for x < 2^32 where the result fits 32 bits, i.e. x < 2^31.
static uint32_t square_q30(uint32_t x) {
    uint32_t hi = x >> 16, lo = x & 0xFFFF;
    uint32_t hh = hi * hi, mid = 2 * hi * lo, ll = lo * lo;
    uint32_t low = (mid << 16) + ll;
    uint32_t carry = low < ll;
    uint32_t high = hh + (mid >> 16) + carry;  // x^2 = high * 2^32 + low
    return (high << 2) | (low >> 30);
}

static int32_t log_q31(uint32_t src) {
    int32_t c = (int32_t)clz32(src);
    uint32_t x = c - 1 < 0 ? src >> (1 - c) : src << (c - 1);  // q30, [1, 2)
    uint32_t y = 0, inc = 1u << 25;                             // q26
    for (; inc != 0; inc >>= 1) {  // the 5 last of CMSIS's 31 rounds add nothing
        x = square_q30(x);
        if (x >= (1u << 31)) {
            y += inc;
            x >>= 1;
        }
    }
    int32_t tmp = (int32_t)(y - ((uint32_t)c << 26));  // wraps for src = 0, as CMSIS
    return (int32_t)(((int64_t)tmp * LOG_Q31_INVLOG2EXP) >> 31);
}

void fe_vlog_q31(const int32_t *src, int32_t *dst, size_t n) {
    for (size_t i = 0; i < n; i++) {
        dst[i] = log_q31((uint32_t)src[i]);
    }
}
