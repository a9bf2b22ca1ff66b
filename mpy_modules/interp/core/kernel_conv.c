// CONV_2D and FULLY_CONNECTED (shared checks and requantization: kernel_conv_common.c).
#include <string.h>

#include "kernel_conv.h"

// Convolutions whose 8-channel blocks of widened weights fit WIDE_BUDGET bytes (counted
// in the arena as the op's scratch) take conv_wide: 8 output channels per pass.
#define WIDE_BLOCK 8
enum { WIDE_W32 = 1, WIDE_PAIRS = 2, WIDE_ALL = 4 };  // ti_conv_params_t.wide

static uint32_t wide_offset(int32_t window) {
    return ((uint32_t)window + 3u) & ~3u;
}

// Two taps of two channels fit the 16-bit lanes of one product sum only when
// |x w + x' w'| < 2^15, which holds for weights in [-127, 127] (TFLite's int8 range).
static int wide_pairs_ok(const ti_tensor_t *w, int32_t row) {
    const int8_t *wd = (const int8_t *)w->data;
    if (row % 4 != 0) {
        return 0;
    }
    for (uint32_t i = 0; i < ti_elements(w); i++) {
        if (wd[i] == -128) {
            return 0;
        }
    }
    return 1;
}

ti_status_t ti_conv_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_tensor_t *in, *w, *bias, *out;
    ti_conv_params_t *p = &op->p.conv;
    ti_status_t st = ti_cv_check_common(it, op, &in, &w, &bias, &out);
    if (st != TI_OK) {
        return st;
    }
    if (w->ndim != 4) {
        return ti_fail(it, TI_ERR_SHAPE, "weights must be 4-D");
    }
    int32_t oc = w->dims[0], ic = w->dims[3];
    if ((st = ti_cv_prepare_window(it, op, p, in, out, w->dims[1], w->dims[2], ti_opt_i8(it, op, CONV_PADDING, 0) == 0,
                             CONV_STRIDE_W, CONV_STRIDE_H, CONV_DIL_W, CONV_DIL_H)) != TI_OK) {
        return st;
    }
    if (ic == 0 || oc == 0 || in->dims[3] < ic || in->dims[3] % ic != 0 || out->dims[3] != oc || oc % (in->dims[3] / ic) != 0) {
        return ti_fail(it, TI_ERR_SHAPE, "channel counts of input, weights and output do not agree");
    }
    if ((st = ti_cv_check_bias(it, bias, oc)) || (st = ti_cv_check_weight_zero_points(it, w, oc)) ||
        (st = ti_cv_channel_multipliers(it, p, in, w, out, oc, 0))) {
        return st;
    }
    p->fold = 0;
    p->wide = 0;
    if (ic == in->dims[3] && p->dil_w == 1 && p->dil_h == 1) {
        int32_t window = w->dims[1] * w->dims[2] * ic;
        if ((st = ti_cv_fold_offsets(it, p, w, bias, oc, window, window, 1)) != TI_OK) {
            return st;
        }
        // Windows whose rows are not adjacent in memory, or that hang over the edge, are
        // gathered once per output pixel (cells outside the image take the input zero
        // point, so they add w * 0 like the reference's skipped cells); then every
        // channel is one contiguous dot product.
        if (w->dims[1] * w->dims[2] > 1) {
            op->scratch_bytes = (uint32_t)window;
        }
        // Small weights are widened into scratch for the 8-channel loops (see conv_wide):
        // as int16 pairs when rows are whole chunks of 4 taps and no weight is -128.
        // One block of 8 channels at a time; all of them when they fit and windows hang
        // over the edge, so that each is gathered once.
        uint32_t bytes = wide_pairs_ok(w, w->dims[2] * ic) ? 2u : 4u;
        int overhang = p->pad_h > 0 || p->pad_w > 0 ||
                       (int64_t)(out->dims[1] - 1) * p->stride_h + w->dims[1] > in->dims[1] ||
                       (int64_t)(out->dims[2] - 1) * p->stride_w + w->dims[2] > in->dims[2];
        uint32_t blocks = overhang && (uint64_t)window * (uint32_t)oc <= WIDE_BUDGET / bytes ? (uint32_t)oc / WIDE_BLOCK : 1u;
        p->wide = 0;
        // The asm loops run at least once: empty windows stay on the generic path.
        if (window > 0 && oc % WIDE_BLOCK == 0 && (uint32_t)window <= WIDE_BUDGET / bytes / WIDE_BLOCK) {
            op->scratch_bytes = wide_offset(window) + bytes * (uint32_t)window * WIDE_BLOCK * blocks;
            p->wide = (int16_t)((bytes == 2 ? WIDE_PAIRS : WIDE_W32) | (blocks > 1 ? WIDE_ALL : 0));
        }
    }
    return ti_activation_range(it, ti_opt_i8(it, op, CONV_ACT, 0), out, &p->act_min, &p->act_max);
}

ti_status_t ti_fc_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_tensor_t *in, *w, *bias, *out;
    ti_conv_params_t *p = &op->p.conv;
    ti_status_t st = ti_cv_check_common(it, op, &in, &w, &bias, &out);
    if (st != TI_OK) {
        return st;
    }
    if (ti_opt_i8(it, op, FC_WEIGHTS_FORMAT, 0) != 0) {
        return ti_fail(it, TI_ERR_TYPE, "shuffled weights format not supported");
    }
    if (w->ndim != 2 || out->ndim < 1) {
        return ti_fail(it, TI_ERR_SHAPE, "weights must be 2-D");
    }
    int32_t oc = w->dims[0], depth = w->dims[1];
    uint32_t batches = ti_elements(out) / (out->dims[out->ndim - 1] ? (uint32_t)out->dims[out->ndim - 1] : 1u);
    if (out->dims[out->ndim - 1] != oc || (uint64_t)batches * (uint32_t)depth != ti_elements(in)) {
        return ti_fail(it, TI_ERR_SHAPE, "input, weights and output sizes do not agree");
    }
    p->filter_h = 0;
    p->in_offset = -in->zero_point;
    p->out_offset = out->zero_point;
    p->filter_offset = -w->zero_point;
    if (w->scales.n != 1 && w->scales.n != (uint32_t)oc) {
        return ti_fail(it, TI_ERR_QUANT, "weights need one scale or one per output channel");
    }
    if ((st = ti_cv_check_bias(it, bias, oc)) ||
        (st = ti_cv_channel_multipliers(it, p, in, w, out, w->scales.n > 1 ? oc : 1, w->scales.n == 1))) {
        return st;
    }
    p->fold = 0;
    if (p->filter_offset == 0 && (st = ti_cv_fold_offsets(it, p, w, bias, oc, depth, depth, 1)) != TI_OK) {
        return st;
    }
    return ti_activation_range(it, ti_opt_i8(it, op, FC_ACT, 0), out, &p->act_min, &p->act_max);
}

// sum(x[i] * w[i]), i < n. Wrapping adds: exact for valid models, defined for hostile ones.
static inline TI_HOT uint32_t dot_s8(const int8_t *x, const int8_t *w, int32_t n) {
    uint32_t acc = 0;
#if defined(__thumb__) && !defined(__thumb2__)
    // Cortex-M0+: ldrsb has only a register-offset form, so both rows share one
    // negative index counting up to zero (7.5 cycles per MAC).
    int32_t head = n & 3;
    for (int32_t i = 0; i < head; i++) {
        acc += (uint32_t)(x[i] * w[i]);
    }
    if (n > head) {
        const int8_t *xe = x + n, *we = w + n;
        int32_t i = head - n, t0, t1;
        __asm__ volatile(
            ".syntax unified\n"
            "1:\n"
            "ldrsb %[t0], [%[xe], %[i]]\n"
            "ldrsb %[t1], [%[we], %[i]]\n"
            "muls %[t0], %[t1], %[t0]\n"
            "adds %[acc], %[acc], %[t0]\n"
            "adds %[i], %[i], #1\n"
            "ldrsb %[t0], [%[xe], %[i]]\n"
            "ldrsb %[t1], [%[we], %[i]]\n"
            "muls %[t0], %[t1], %[t0]\n"
            "adds %[acc], %[acc], %[t0]\n"
            "adds %[i], %[i], #1\n"
            "ldrsb %[t0], [%[xe], %[i]]\n"
            "ldrsb %[t1], [%[we], %[i]]\n"
            "muls %[t0], %[t1], %[t0]\n"
            "adds %[acc], %[acc], %[t0]\n"
            "adds %[i], %[i], #1\n"
            "ldrsb %[t0], [%[xe], %[i]]\n"
            "ldrsb %[t1], [%[we], %[i]]\n"
            "muls %[t0], %[t1], %[t0]\n"
            "adds %[acc], %[acc], %[t0]\n"
            "adds %[i], %[i], #1\n"
            "bne 1b\n"
            ".syntax divided\n"
            : [acc] "+l"(acc), [i] "+l"(i), [t0] "=&l"(t0), [t1] "=&l"(t1)
            : [xe] "l"(xe), [we] "l"(we)
            : "cc", "memory");
    }
#else
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        acc += (uint32_t)(x[i] * w[i] + x[i + 1] * w[i + 1] + x[i + 2] * w[i + 2] + x[i + 3] * w[i + 3]);
    }
    for (; i < n; i++) {
        acc += (uint32_t)(x[i] * w[i]);
    }
#endif
    return acc;
}

// Two dot products sharing x: (sum x[i] * w0[i], sum x[i] * w1[i]), i < n. On the
// Cortex-M0+ one x load serves two MACs (6.5 cycles per MAC instead of 7.5).
static inline TI_HOT void dot2_s8(const int8_t *x, const int8_t *w0, const int8_t *w1, int32_t n, uint32_t *a0,
                                  uint32_t *a1) {
#if defined(__thumb__) && !defined(__thumb2__)
    uint32_t acc0 = 0, acc1 = 0;
    if (n > 0) {
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
    *a0 += acc0;
    *a1 += acc1;
#else
    *a0 += dot_s8(x, w0, n);
    *a1 += dot_s8(x, w1, n);
#endif
}

// Window geometry for dot8_w32: `rows` runs of `row` bytes, each `step` bytes after the
// last; the 8 sums start from init.
typedef struct {
    int32_t row, rows, step;
    const int32_t *init;
} wide_rows_t;

// acc[j] += sum(x[t] * w[8 t + j]) over the window's taps t, j < 8; row > 0, rows > 0.
#if defined(__thumb__) && !defined(__thumb2__)
// Cortex-M0+: six accumulators in r8-r12/lr and two in r6/r7, so each input byte is
// loaded once for 8 MACs and each LDM brings two widened weights (33 cycles per tap).
__attribute__((naked, noinline)) static void dot8_w32(int32_t *acc, const int8_t *x, const int32_t *w,
                                                       const wide_rows_t *g) {
    (void)acc, (void)x, (void)w, (void)g;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n"
        "push {r0, r4-r7}\n"
        "ldm r3!, {r4-r7}\n"
        "subs r6, r6, r4\n"          // step - row: from one row's end to the next row's start
        "push {r4-r7}\n"             // [sp] row, [sp+4] rows left, [sp+8] advance
        "movs r0, r7\n"
        "ldm r0!, {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "ldm r0!, {r4-r7}\n"
        "mov r12, r4\n mov lr, r5\n"
        "2:\n"
        "ldr r3, [sp]\n"
        "adds r1, r1, r3\n"          // r1: end of this row, r3 counts up from -row
        "negs r3, r3\n"
        "1:\n"
        "ldrsb r0, [r1, r3]\n"
        "ldm r2!, {r4, r5}\n muls r4, r0, r4\n muls r5, r0, r5\n add r8, r4\n add r9, r5\n"
        "ldm r2!, {r4, r5}\n muls r4, r0, r4\n muls r5, r0, r5\n add r10, r4\n add r11, r5\n"
        "ldm r2!, {r4, r5}\n muls r4, r0, r4\n muls r5, r0, r5\n add r12, r4\n add lr, r5\n"
        "ldm r2!, {r4, r5}\n muls r4, r0, r4\n muls r5, r0, r5\n adds r6, r4\n adds r7, r5\n"
        "adds r3, #1\n"
        "bne 1b\n"
        "ldr r3, [sp, #8]\n"
        "adds r1, r1, r3\n"
        "ldr r3, [sp, #4]\n"
        "subs r3, #1\n"
        "str r3, [sp, #4]\n"
        "bne 2b\n"
        "add sp, #16\n"
        "pop {r0}\n"
        "mov r4, r8\n mov r5, r9\n stm r0!, {r4, r5}\n"
        "mov r4, r10\n mov r5, r11\n stm r0!, {r4, r5}\n"
        "mov r4, r12\n mov r5, lr\n stm r0!, {r4-r7}\n"
        "pop {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        ".syntax divided\n");
}
#else
static void dot8_w32(int32_t *acc, const int8_t *x, const int32_t *w, const wide_rows_t *g) {
    memcpy(acc, g->init, WIDE_BLOCK * sizeof(int32_t));
    for (int32_t r = 0; r < g->rows; r++, x += g->step) {
        for (int32_t t = 0; t < g->row; t++, w += WIDE_BLOCK) {
            for (int32_t j = 0; j < WIDE_BLOCK; j++) {
                acc[j] = (int32_t)((uint32_t)acc[j] + (uint32_t)(x[t] * w[j]));
            }
        }
    }
}
#endif

// As dot8_w32 with the weights of channels (2k, 2k+1) packed as w0 + 2^16 w1 for two taps
// at a time, words [chunk of 2 taps][channel pair][tap]: one product sum x w + x' w' holds
// both channels in 16-bit lanes, split by sign extension; row % 8 == 0 (dot8_pairs4: row % 4).
#if defined(__thumb__) && !defined(__thumb2__)
#define PAIR(a, b)                                                                     \
    "ldm r3!, {r4, r5}\n muls r4, r0, r4\n muls r5, r1, r5\n adds r4, r4, r5\n" \
    "sxth r5, r4\n add " a ", r5\n subs r4, r4, r5\n asrs r4, r4, #16\n add " b ", r4\n"
#define TWO_TAPS(k0, k1)                                                                                     \
    "ldrb r0, [r2, #" k0 "]\n sxtb r0, r0\n ldrb r1, [r2, #" k1 "]\n sxtb r1, r1\n" PAIR("r8", "r9") \
        PAIR("r10", "r11") PAIR("r12", "lr") PAIR("r6", "r7")
// 11 cycles per 4 MACs; a chunk of 8 taps x 8 channels in 206 cycles.
// Frame: [sp] row, [sp+4] rows left, [sp+8] step - row, [sp+12] end of the row, [sp+16] acc.
// chunk: the unrolled taps, ending with the advance of r2 (the input pointer).
#define DOT8_PAIRS_ASM(chunk) \
        ".syntax unified\n" \
        "push {r4-r7, lr}\n" \
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n" \
        "push {r4-r7}\n" \
        "push {r0}\n" \
        "ldm r3!, {r4-r7}\n" \
        "subs r6, r6, r4\n" \
        "push {r4-r7}\n" \
        "movs r3, r2\n" \
        "movs r2, r1\n" \
        "movs r0, r7\n" \
        "ldm r0!, {r4-r7}\n" \
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n" \
        "ldm r0!, {r4-r7}\n" \
        "mov r12, r4\n mov lr, r5\n" \
        "2:\n" \
        "ldr r4, [sp]\n adds r4, r2, r4\n str r4, [sp, #12]\n" \
        "1:\n" \
        chunk \
        "ldr r4, [sp, #12]\n" \
        "cmp r2, r4\n" \
        "beq 3f\n" \
        "b 1b\n" \
        "3:\n" \
        "ldr r4, [sp, #8]\n adds r2, r2, r4\n" \
        "ldr r4, [sp, #4]\n subs r4, #1\n str r4, [sp, #4]\n" \
        "beq 4f\n" \
        "b 2b\n" \
        "4:\n" \
        "add sp, #16\n" \
        "pop {r0}\n" \
        "mov r4, r8\n mov r5, r9\n stm r0!, {r4, r5}\n" \
        "mov r4, r10\n mov r5, r11\n stm r0!, {r4, r5}\n" \
        "mov r4, r12\n mov r5, lr\n stm r0!, {r4-r7}\n" \
        "pop {r4-r7}\n" \
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n" \
        "pop {r4-r7, pc}\n" \
        ".syntax divided\n"
__attribute__((naked, noinline)) static void dot8_pairs(int32_t *acc, const int8_t *x, const int32_t *w,
                                                         const wide_rows_t *g) {
    (void)acc, (void)x, (void)w, (void)g;
    __asm__ volatile(DOT8_PAIRS_ASM(TWO_TAPS("0", "1") TWO_TAPS("2", "3") TWO_TAPS("4", "5") TWO_TAPS("6", "7")
                                        "adds r2, #8\n"));
}
// The same for rows of 4 k + 4 taps, 4 taps per chunk.
__attribute__((naked, noinline)) static void dot8_pairs4(int32_t *acc, const int8_t *x, const int32_t *w,
                                                          const wide_rows_t *g) {
    (void)acc, (void)x, (void)w, (void)g;
    __asm__ volatile(DOT8_PAIRS_ASM(TWO_TAPS("0", "1") TWO_TAPS("2", "3") "adds r2, #4\n"));
}
#undef DOT8_PAIRS_ASM
#undef TWO_TAPS
#undef PAIR
#else
static void dot8_pairs(int32_t *acc, const int8_t *x, const int32_t *w, const wide_rows_t *g) {
    memcpy(acc, g->init, WIDE_BLOCK * sizeof(int32_t));
    for (int32_t r = 0; r < g->rows; r++, x += g->step) {
        for (int32_t t = 0; t < g->row; t += 2) {
            for (int32_t k = 0; k < WIDE_BLOCK; k += 2, w += 2) {
                for (int32_t i = 0; i < 2; i++) {
                    int32_t w0 = (int16_t)(w[i] & 0xffff), w1 = (int32_t)((uint32_t)w[i] - (uint32_t)w0) >> 16;
                    acc[k] = (int32_t)((uint32_t)acc[k] + (uint32_t)(x[t + i] * w0));
                    acc[k + 1] = (int32_t)((uint32_t)acc[k + 1] + (uint32_t)(x[t + i] * w1));
                }
            }
        }
    }
}
#define dot8_pairs4 dot8_pairs
#endif

typedef struct {
    const int8_t *x, *w;
    int32_t ih, iw, ic, fic, oc, per_group;
} conv_shape_t;

// One output value of a (grouped, dilated, padded) convolution, as the reference computes it.
static uint32_t conv_generic(const ti_conv_params_t *p, const conv_shape_t *s, int32_t b, int32_t y0, int32_t x0,
                             int32_t c) {
    int32_t g0 = (c / s->per_group) * s->fic;
    uint32_t acc = 0;
    for (int32_t ky = 0; ky < p->filter_h; ky++) {
        int32_t yy = y0 + ky * p->dil_h;
        if (yy < 0 || yy >= s->ih) {
            continue;
        }
        for (int32_t kx = 0; kx < p->filter_w; kx++) {
            int32_t xx = x0 + kx * p->dil_w;
            if (xx < 0 || xx >= s->iw) {
                continue;
            }
            const int8_t *xp = s->x + ((b * s->ih + yy) * s->iw + xx) * s->ic + g0;
            const int8_t *wp = s->w + ((c * p->filter_h + ky) * p->filter_w + kx) * s->fic;
            for (int32_t k = 0; k < s->fic; k++) {
                acc += (uint32_t)(wp[k] * (xp[k] + p->in_offset));
            }
        }
    }
    return acc;
}

// Copies the window at (y0, x0) row by row into dst; cells outside the image get the
// input zero point (= -in_offset), which contributes nothing to sum(w * (x + in_offset)).
static void gather_window(int8_t *dst, const conv_shape_t *s, const ti_conv_params_t *p, int32_t b, int32_t y0,
                          int32_t x0, int32_t row) {
    int8_t zp = (int8_t)(-p->in_offset);
    for (int32_t ky = 0; ky < p->filter_h; ky++, dst += row) {
        int32_t yy = y0 + ky;
        if (yy < 0 || yy >= s->ih) {
            memset(dst, zp, (size_t)row);
            continue;
        }
        const int8_t *src = s->x + ((b * s->ih + yy) * s->iw) * s->ic;
        if (x0 >= 0 && x0 + p->filter_w <= s->iw) {
            memcpy(dst, src + x0 * s->ic, (size_t)row);
            continue;
        }
        for (int32_t kx = 0; kx < p->filter_w; kx++) {
            int32_t xx = x0 + kx;
            if (xx < 0 || xx >= s->iw) {
                memset(dst + kx * s->ic, zp, (size_t)s->ic);
            } else {
                memcpy(dst + kx * s->ic, src + xx * s->ic, (size_t)s->ic);
            }
        }
    }
}

// The fold path with widened weights: the weights of `blocks` blocks of 8 output channels
// re-laid in scratch after the gather buffer (int16 pairs [chunk of 2 taps][pair][tap] or
// int32 [tap][8]), then every pixel's window through one dot8 call per block.
static void TI_HOT conv_wide(ti_interp_t *it, const ti_op_t *op, const conv_shape_t *s, int32_t batches) {
    const ti_conv_params_t *p = &op->p.conv;
    const ti_tensor_t *out = ti_out(it, op, 0);
    int32_t oh = out->dims[1], ow = out->dims[2], fh = p->filter_h, fw = p->filter_w;
    int32_t row = fw * s->ic, n = fh * row;
    int8_t *gather = (int8_t *)(it->arena + op->scratch_offset);
    int32_t *wide = (int32_t *)(it->arena + op->scratch_offset + wide_offset(n));
    int pairs = (p->wide & WIDE_PAIRS) != 0;
    int kind = pairs ? (row % 8 == 0 ? 2 : 1) : 0;  // dot8_w32, dot8_pairs4, dot8_pairs
    int32_t blocks = p->wide & WIDE_ALL ? s->oc / WIDE_BLOCK : 1;
    int32_t words = pairs ? n * WIDE_BLOCK / 2 : n * WIDE_BLOCK;  // per block
    wide_rows_t g = {row, fh, 0, p->fold};
    requant_t rq = {p->mult, p->shift, p->out_offset, p->act_min, p->act_max};
    for (int32_t c0 = 0; c0 < s->oc; c0 += WIDE_BLOCK * blocks) {
        for (int32_t j = 0; j < WIDE_BLOCK * blocks; j += pairs ? 2 : 1) {
            const int8_t *wc = s->w + (c0 + j) * n;
            int32_t *dst = wide + (j / WIDE_BLOCK) * words + j % WIDE_BLOCK;
            for (int32_t t = 0; t < n; t++) {
                if (pairs) {
                    // Channel c0 + j in the low lane, c0 + j + 1 in the high one.
                    dst[(t >> 1) * WIDE_BLOCK + (t & 1)] =
                        (int32_t)((uint32_t)(int32_t)wc[t] + ((uint32_t)(int32_t)wc[n + t] << 16));
                } else {
                    dst[t * WIDE_BLOCK] = wc[t];
                }
            }
        }
        int8_t *y = (int8_t *)out->data + c0;
        g.init = p->fold + c0;
        rq.mult = p->mult + c0;
        rq.shift = p->shift + c0;
        for (int32_t b = 0; b < batches; b++) {
            for (int32_t oy = 0; oy < oh; oy++) {
                int32_t y0 = oy * p->stride_h - p->pad_h;
                for (int32_t ox = 0; ox < ow; ox++, y += s->oc) {
                    int32_t x0 = ox * p->stride_w - p->pad_w;
                    const int8_t *window = s->x + ((b * s->ih + y0) * s->iw + x0) * s->ic;
                    g.step = s->iw * s->ic;
                    if (y0 < 0 || x0 < 0 || y0 + fh > s->ih || x0 + fw > s->iw) {
                        gather_window(gather, s, p, b, y0, x0, row);
                        window = gather;
                        g.step = row;
                    }
                    for (int32_t k = 0; k < blocks; k++) {
                        int32_t acc[WIDE_BLOCK];
                        const int32_t *wb = wide + k * words;
                        if (blocks > 1) {
                            int32_t c = c0 + k * WIDE_BLOCK;
                            g.init = p->fold + c;
                            rq.mult = p->mult + c;
                            rq.shift = p->shift + c;
                        }
                        if (kind == 2) {
                            dot8_pairs(acc, window, wb, &g);
                        } else if (kind == 1) {
                            dot8_pairs4(acc, window, wb, &g);
                        } else {
                            dot8_w32(acc, window, wb, &g);
                        }
                        ti_requant_run(y + k * WIDE_BLOCK, acc, WIDE_BLOCK, &rq);
                    }
                }
            }
        }
    }
}

void TI_HOT ti_conv_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *w = ti_in(it, op, 1), *bias = ti_in(it, op, 2);
    const ti_tensor_t *out = ti_out(it, op, 0);
    const ti_conv_params_t *p = &op->p.conv;
    conv_shape_t s = {(const int8_t *)in->data, (const int8_t *)w->data, in->dims[1], in->dims[2], in->dims[3],
                      w->dims[3], out->dims[3], 0};
    s.per_group = s.oc / (s.ic / s.fic);
    int8_t *y = (int8_t *)out->data;
    int32_t oh = out->dims[1], ow = out->dims[2], fh = p->filter_h, fw = p->filter_w;
    int32_t row = fw * s.ic;  // bytes of one window row, contiguous when groups == 1
    int8_t *gather = op->scratch_bytes ? (int8_t *)(it->arena + op->scratch_offset) : 0;
    if (p->fold && p->wide) {
        conv_wide(it, op, &s, in->dims[0]);
        return;
    }
    for (int32_t b = 0; b < in->dims[0]; b++) {
        for (int32_t oy = 0; oy < oh; oy++) {
            int32_t y0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < ow; ox++) {
                int32_t x0 = ox * p->stride_w - p->pad_w;
                int inside = y0 >= 0 && x0 >= 0 && y0 + fh <= s.ih && x0 + fw <= s.iw;
                int fast = p->fold && (inside || gather);
                const int8_t *window = s.x + ((b * s.ih + y0) * s.iw + x0) * s.ic;
                if (fast && !inside) {
                    gather_window(gather, &s, p, b, y0, x0, row);
                    window = gather;
                } else if (fast && gather && fh > 1 && fw != s.iw) {
                    for (int32_t ky = 0; ky < fh; ky++) {
                        memcpy(gather + ky * row, window + ky * s.iw * s.ic, (size_t)row);
                    }
                    window = gather;
                }
                int32_t c = 0;
                if (fast) {
                    int32_t n = fh * row;
                    for (; c + 2 <= s.oc; c += 2) {
                        uint32_t a0 = (uint32_t)p->fold[c], a1 = (uint32_t)p->fold[c + 1];
                        dot2_s8(window, s.w + c * n, s.w + (c + 1) * n, n, &a0, &a1);
                        *y++ = ti_cv_requantize((int32_t)a0, p, c);
                        *y++ = ti_cv_requantize((int32_t)a1, p, c + 1);
                    }
                }
                for (; c < s.oc; c++) {
                    uint32_t acc;
                    if (fast) {
                        acc = (uint32_t)p->fold[c] + dot_s8(window, s.w + c * fh * row, fh * row);
                    } else {
                        acc = conv_generic(p, &s, b, y0, x0, c);
                        if (bias) {
                            acc += (uint32_t)ti_load_i32(bias->data + 4 * c);
                        }
                    }
                    *y++ = ti_cv_requantize((int32_t)acc, p, c);
                }
            }
        }
    }
}

void TI_HOT ti_fc_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *w = ti_in(it, op, 1), *bias = ti_in(it, op, 2);
    const ti_tensor_t *out = ti_out(it, op, 0);
    const ti_conv_params_t *p = &op->p.conv;
    const int8_t *x = (const int8_t *)in->data;
    const int8_t *wd = (const int8_t *)w->data;
    int8_t *y = (int8_t *)out->data;
    int32_t oc = w->dims[0], depth = w->dims[1];
    uint32_t batches = depth ? ti_elements(in) / (uint32_t)depth : 0;
    for (uint32_t b = 0; b < batches; b++) {
        const int8_t *xb = x + b * depth;
        for (int32_t c = 0; c < oc; c++) {
            const int8_t *wc = wd + c * depth;
            uint32_t acc;
            if (p->fold) {
                acc = (uint32_t)p->fold[c] + dot_s8(xb, wc, depth);
            } else {
                acc = 0;
                for (int32_t k = 0; k < depth; k++) {
                    acc += (uint32_t)((wc[k] + p->filter_offset) * (xb[k] + p->in_offset));
                }
                if (bias) {
                    acc += (uint32_t)ti_load_i32(bias->data + 4 * c);
                }
            }
            y[b * oc + c] = ti_cv_requantize((int32_t)acc, p, p->n_mult > 1 ? c : 0);
        }
    }
}
