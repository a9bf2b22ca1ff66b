// Runtime shims every native module links (see mpy_modules/README.md).
//
// The compiler may emit calls to memcpy/memset/memmove for struct copies and
// loops in the portable cores; mpy_ld resolves no libc, so we supply them.
// Built with -fno-builtin so these loops are not turned back into calls.
// __aeabi_idiv0/__aeabi_ldiv0 are what libgcc's division helpers call on a
// zero divisor; returning 0 matches libgcc's default behaviour.
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        while (n--) {
            *d++ = *s++;
        }
    } else {
        d += n;
        s += n;
        while (n--) {
            *--d = *--s;
        }
    }
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    uint8_t *d = dst;
    while (n--) {
        *d++ = (uint8_t)c;
    }
    return dst;
}

#if defined(__arm__)
int __aeabi_idiv0(int r) {
    return r;
}

long long __aeabi_ldiv0(long long r) {
    return r;
}
#endif
