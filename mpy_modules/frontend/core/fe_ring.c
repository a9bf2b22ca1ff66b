#include "fe_ring.h"

void fe_copy_u8(uint8_t *dst, const uint8_t *src, size_t n) {
    if ((((uintptr_t)dst ^ (uintptr_t)src) & 3) == 0) {
        for (; n > 0 && ((uintptr_t)dst & 3) != 0; n--) {
            *dst++ = *src++;
        }
        uint32_t *d = (uint32_t *)dst;
        const uint32_t *s = (const uint32_t *)src;
        for (; n >= 8; n -= 8) {  // two words a turn: gcc makes an ldm/stm pair
            uint32_t a = s[0], b = s[1];
            d[0] = a;
            d[1] = b;
            d += 2;
            s += 2;
        }
        dst = (uint8_t *)d;
        src = (const uint8_t *)s;
    }
    for (; n > 0; n--) {
        *dst++ = *src++;
    }
}

void fe_ring_copy_u8(const uint8_t *ring, size_t ring_len, size_t start, uint8_t *out, size_t n) {
    size_t first = ring_len - start < n ? ring_len - start : n;
    fe_copy_u8(out, ring + start, first);
    fe_copy_u8(out + first, ring, n - first);
}
