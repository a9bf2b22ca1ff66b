// The dot products of FULLY_CONNECTED (kernel_fc.c, in the core) and of the convolutions
// off the stream path (kernel_conv_generic.c, interp_convx): each has its own copy.
#ifndef KERNEL_CONV_DOT_H
#define KERNEL_CONV_DOT_H

#include "kernel_conv.h"

// Two dot products sharing x: (sum x[i] * w0[i], sum x[i] * w1[i]), i < n, added to
// *a0, *a1. Wrapping adds: exact for valid models, defined for hostile ones.
static TI_HOT __attribute__((noinline)) void dot2_s8(const int8_t *x, const int8_t *w0, const int8_t *w1, int32_t n,
                                                     uint32_t *a0, uint32_t *a1) {
    uint32_t acc0 = 0, acc1 = 0;
#if defined(__thumb__) && !defined(__thumb2__)
    // Cortex-M0+: ldrsb has only a register-offset form, so the rows share one negative
    // index counting up to zero; one x load serves two MACs (6.5 cycles per MAC). The
    // same row twice (an odd last output) takes 9 cycles per MAC.
    if (n > 0 && w0 == w1) {
        const int8_t *xe = x + n, *we = w0 + n;
        int32_t i = -n, t0, t1;
        __asm__ volatile(
            ".syntax unified\n"
            "1:\n"
            "ldrsb %[t0], [%[xe], %[i]]\n"
            "ldrsb %[t1], [%[we], %[i]]\n"
            "muls %[t1], %[t0], %[t1]\n"
            "adds %[acc0], %[acc0], %[t1]\n"
            "adds %[i], %[i], #1\n"
            "bne 1b\n"
            ".syntax divided\n"
            : [acc0] "+l"(acc0), [i] "+l"(i), [t0] "=&l"(t0), [t1] "=&l"(t1)
            : [xe] "l"(xe), [we] "l"(we)
            : "cc", "memory");
        acc1 = acc0;
    } else if (n > 0) {
        const int8_t *xe = x + n, *w0e = w0 + n, *w1e = w1 + n;
        int32_t i = -n, t0, t1;
        __asm__ volatile(
            ".syntax unified\n"
            "1:\n"
            "ldrsb %[t0], [%[xe], %[i]]\n"
            "ldrsb %[t1], [%[w0e], %[i]]\n"
            "muls %[t1], %[t0], %[t1]\n"
            "adds %[acc0], %[acc0], %[t1]\n"
            "ldrsb %[t1], [%[w1e], %[i]]\n"
            "muls %[t1], %[t0], %[t1]\n"
            "adds %[acc1], %[acc1], %[t1]\n"
            "adds %[i], %[i], #1\n"
            "bne 1b\n"
            ".syntax divided\n"
            : [acc0] "+l"(acc0), [acc1] "+l"(acc1), [i] "+l"(i), [t0] "=&l"(t0), [t1] "=&l"(t1)
            : [xe] "l"(xe), [w0e] "l"(w0e), [w1e] "l"(w1e)
            : "cc", "memory");
    }
#else
    for (int32_t i = 0; i < n; i++) {
        acc0 += (uint32_t)(x[i] * w0[i]);
        acc1 += (uint32_t)(x[i] * w1[i]);
    }
#endif
    *a0 += acc0;
    *a1 += acc1;
}

#endif
