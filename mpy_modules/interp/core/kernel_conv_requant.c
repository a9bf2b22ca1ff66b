// ti_requant_run: TFLM's MultiplyByQuantizedMultiplier over a run of accumulators, with
// the output offset and clamp (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED).
// Alone in its file so that a probe module can run it on the board (tests/mpy_modules).
//
// For shift < 0 (e = -shift >= 1), with Q = SaturatingRoundingDoublingHighMul(acc, m)
// = floor((acc m + 2^30) / 2^31) (both of the reference's nudges give this floor) and
// s = (Q < 0), RoundingDivideByPOT(Q, e) = floor((Q - s + 2^(e-1)) / 2^e)
//                                      = floor((floor((Q - s) / 2^(e-1)) + 1) / 2),
// the second form without overflow.
// The 64-bit product is built from signed 16-bit halves (sxth): every partial product and
// the middle sum al mh + ah ml fit an int32, and al ml + 2^30 lies in [0, 2^31].
// shift >= 0 (multiplier >= 0.5, no converter emits it) takes acc << shift and Q itself.
#include "kernel_conv.h"

#if defined(__thumb__) && !defined(__thumb2__)
// Q of r3 = acc and r4 = m into r3 (lr = 2^30); clobbers r4-r7.
#define RQ_Q                                                                             \
    "sxth r5, r3\n asrs r3, r3, #15\n adds r3, #1\n asrs r3, r3, #1\n" /* al, ah */      \
    "sxth r6, r4\n subs r4, r4, r6\n lsrs r4, r4, #16\n" /* ml, mh (m >= 0) */          \
    "movs r7, r5\n muls r7, r6\n"                        /* al ml */                      \
    "muls r5, r4\n muls r6, r3\n muls r3, r4\n"          /* al mh, ah ml, ah mh */        \
    "add r7, lr\n"                                       /* al ml + 2^30 */               \
    "adds r5, r5, r6\n lsls r6, r5, #16\n asrs r5, r5, #16\n"                             \
    "adds r6, r6, r7\n adcs r3, r5\n"                    /* r3:r6 = acc m + 2^30 */       \
    "adds r6, r6, r6\n adcs r3, r3\n"                    /* >> 31 */

// Cortex-M0+: about 52 cycles per output; 23 for a sum <= 0 when lo is the output offset (a
// ReLU), which the requantization maps to lo: it is monotonic and maps 0 to 0 (shift <= 0).
__attribute__((naked, noinline)) void ti_requant_run(int8_t *y, const int32_t *acc, int32_t n,
                                                     const requant_t *rq) {
    (void)y, (void)acc, (void)n, (void)rq;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n"
        "push {r4-r7}\n"
        "ldm r3!, {r4-r7}\n"           // mult, shift, offset, lo
        "ldr r3, [r3]\n"
        "mov r12, r3\n"                // hi
        "mov r11, r7\n"                // lo
        "mov r10, r6\n"               // offset
        "adds r2, r0, r2\n mov r9, r2\n"                  // end of y
        "mov r8, r0\n"                 // y
        "movs r0, r1\n movs r1, r4\n movs r2, r5\n"       // acc, mult, shift
        "movs r3, #1\n lsls r3, r3, #30\n mov lr, r3\n"
        "movs r4, #1\n cmp r6, r7\n beq 1f\n lsls r4, r4, #31\n 1:\n"
        "push {r4}\n"                  // 1 when lo is the offset (ReLU), else INT32_MIN
        "1:\n"
        "ldm r0!, {r3}\n"
        "ldr r4, [sp]\n cmp r3, r4\n blt 9f\n"
        "8:\n"
        "ldm r1!, {r4}\n"
        RQ_Q
        "ldm r2!, {r4}\n"
        "mvns r4, r4\n"                // e - 1
        "bmi 5f\n"
        "asrs r5, r3, #31\n adds r3, r3, r5\n"           // Q - (Q < 0)
        "asrs r3, r4\n"
        "adds r3, #1\n asrs r3, r3, #1\n"
        "2:\n"
        "add r3, r10\n"
        "cmp r3, r11\n bge 3f\n mov r3, r11\n 3:\n"
        "cmp r3, r12\n ble 4f\n mov r3, r12\n 4:\n"
        "mov r4, r8\n strb r3, [r4]\n adds r4, #1\n mov r8, r4\n"
        "cmp r4, r9\n"
        "bne 1b\n"
        "add sp, #4\n"
        "pop {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        "5:\n"                         // shift >= 0: Q of acc << shift, plus the offset
        "subs r0, #4\n ldm r0!, {r3}\n"
        "mvns r4, r4\n lsls r3, r4\n"
        "subs r1, #4\n ldm r1!, {r4}\n"
        RQ_Q
        "cmp r3, lr\n ble 6f\n mov r3, lr\n 6:\n"       // |Q| <= 2^30: the offset cannot overflow
        "mov r4, lr\n negs r4, r4\n cmp r3, r4\n bge 2b\n movs r3, r4\n"
        "b 2b\n"
        "9:\n"                         // ReLU, acc <= 0: lo, unless shift > 0 (not monotonic)
        "ldm r2!, {r4}\n"
        "cmp r4, #0\n bgt 7f\n"
        "adds r1, #4\n mov r3, r11\n"
        "b 4b\n"
        "7:\n"
        "subs r2, #4\n"
        "b 8b\n"
        ".syntax divided\n");
}
#else
// The same arithmetic in C (the host library and x64 run this; the board test compares
// the two over random and extreme arguments).
static int32_t requant_one(int32_t acc, int32_t m, int32_t shift, int32_t offset) {
    uint32_t x = shift > 0 ? (uint32_t)acc << shift : (uint32_t)acc;
    int32_t a = (int32_t)x;
    int32_t al = (int16_t)a, ah = ((a >> 15) + 1) >> 1;  // a = ah 2^16 + al, ah <= 2^15
    int32_t ml = (int16_t)m, mh = (int32_t)(((uint32_t)m - (uint32_t)ml) >> 16);
    uint32_t low = (uint32_t)(al * ml) + (1u << 30);  // in [0, 2^31]
    int32_t mid = al * mh + ah * ml;                  // fits: see the top of the file
    uint32_t lo = (uint32_t)mid << 16;
    uint32_t hi = (uint32_t)(ah * mh) + (uint32_t)(mid >> 16);
    lo += low;
    hi += lo < low;
    int32_t q = (int32_t)((hi << 1) | (lo >> 31));  // floor((acc m + 2^30) / 2^31)
    if (shift >= 0) {
        return (q > (1 << 30) ? (1 << 30) : q < -(1 << 30) ? -(1 << 30) : q) + offset;
    }
    int32_t e1 = -shift - 1;
    return ((((q + (q >> 31)) >> e1) + 1) >> 1) + offset;
}

void ti_requant_run(int8_t *y, const int32_t *acc, int32_t n, const requant_t *rq) {
    for (int32_t j = 0; j < n; j++) {
        int32_t v = requant_one(acc[j], rq->mult[j], rq->shift[j], rq->offset);
        v = v < rq->lo ? rq->lo : v;
        y[j] = (int8_t)(v > rq->hi ? rq->hi : v);
    }
}
#endif
