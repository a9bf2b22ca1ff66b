// Exact integer square roots, floor(sqrt(v)), by the bit-by-bit method: no division,
// no multiply, no table. Shared by the modules' cores (pcm, frontend, trees).
// static inline: natmods have no shared code.
#ifndef EARSHOT_ISQRT_H
#define EARSHOT_ISQRT_H

#include <stdint.h>

static inline uint32_t isqrt_u32(uint32_t v) {
    uint32_t root = 0;
    uint32_t bit = 1u << 30;
    while (bit > v) {
        bit >>= 2;
    }
    while (bit != 0) {
        if (v >= root + bit) {
            v -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    return root;
}

// 64-bit operand: for callers whose sums exceed 32 bits (costs 64-bit compares).
static inline uint32_t isqrt_u64(uint64_t v) {
    uint64_t root = 0;
    uint64_t bit = (uint64_t)1 << 62;
    while (bit > v) {
        bit >>= 2;
    }
    while (bit != 0) {
        if (v >= root + bit) {
            v -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    return (uint32_t)root;
}

#endif
