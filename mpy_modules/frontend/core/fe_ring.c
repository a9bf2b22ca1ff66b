#include "fe_ring.h"

void fe_copy_u8(uint8_t *dst, const uint8_t *src, size_t n) {
    size_t i = 0;
    if (((uintptr_t)dst & 3) == ((uintptr_t)src & 3)) {
        for (; i < n && ((uintptr_t)(dst + i) & 3); i++) {
            dst[i] = src[i];
        }
        for (; i + 4 <= n; i += 4) {
            *(uint32_t *)(dst + i) = *(const uint32_t *)(src + i);
        }
    }
    for (; i < n; i++) {
        dst[i] = src[i];
    }
}

void fe_ring_copy_u8(const uint8_t *ring, size_t ring_len, size_t start, uint8_t *out, size_t n) {
    size_t first = ring_len - start < n ? ring_len - start : n;
    fe_copy_u8(out, ring + start, first);
    fe_copy_u8(out + first, ring, n - first);
}
