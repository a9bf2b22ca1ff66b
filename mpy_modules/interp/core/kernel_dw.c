// DEPTHWISE_CONV_2D (shared checks and requantization: kernel_conv_common.c).
#include <string.h>

#include "kernel_conv.h"

#define DW_TAPS 32  // larger windows take the generic path

static uint32_t dw_wide_offset(int32_t oc, int32_t ic) {
    return 4u * (uint32_t)oc + (((uint32_t)ic + 3u) & ~3u);
}

ti_status_t ti_dw_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_tensor_t *in, *w, *bias, *out;
    ti_conv_params_t *p = &op->p.conv;
    ti_status_t st = ti_cv_check_common(it, op, &in, &w, &bias, &out);
    if (st != TI_OK) {
        return st;
    }
    if (w->ndim != 4 || w->dims[0] != 1) {
        return ti_fail(it, TI_ERR_SHAPE, "weights must be 1 x H x W x C");
    }
    int32_t oc = w->dims[3];
    if ((st = ti_cv_prepare_window(it, op, p, in, out, w->dims[1], w->dims[2], ti_opt_i8(it, op, DW_PADDING, 0) == 0,
                             DW_STRIDE_W, DW_STRIDE_H, DW_DIL_W, DW_DIL_H)) != TI_OK) {
        return st;
    }
    if (in->dims[3] == 0 || oc % in->dims[3] != 0 || out->dims[3] != oc) {
        return ti_fail(it, TI_ERR_SHAPE, "output channels must be input channels x depth multiplier");
    }
    p->depth_mult = (int16_t)(oc / in->dims[3]);
    if ((st = ti_cv_check_bias(it, bias, oc)) || (st = ti_cv_check_weight_zero_points(it, w, oc)) ||
        (st = ti_cv_channel_multipliers(it, p, in, w, out, oc, 0))) {
        return st;
    }
    p->fold = 0;
    if (p->depth_mult == 1 && p->dil_w == 1 && p->dil_h == 1) {
        if ((st = ti_cv_fold_offsets(it, p, w, bias, oc, w->dims[1] * w->dims[2], 1, oc)) != TI_OK) {
            return st;
        }
        // One accumulator per channel, then a row of input zero points that stands in
        // for taps outside the image.
        op->scratch_bytes = 4u * (uint32_t)oc + (uint32_t)in->dims[3];
        // Folds and weights widened to int32, [block of 4 channels][fold, tap...][4], for dw_pixel.
        uint32_t taps = (uint32_t)(w->dims[1] * w->dims[2]);
        if (taps > 0 && taps % 3 == 0 && oc > 0 && oc % 4 == 0 && taps <= DW_TAPS &&
            (uint32_t)oc <= WIDE_BUDGET / 4 / (taps + 1)) {
            op->scratch_bytes = dw_wide_offset(oc, in->dims[3]) + 4u * (taps + 1) * (uint32_t)oc;
        }
    }
    return ti_activation_range(it, ti_opt_i8(it, op, DW_ACT, 0), out, &p->act_min, &p->act_max);
}

typedef struct {
    int32_t n_taps, oc;
} dw_pixel_t;

// One output pixel, depth multiplier 1: for every block of 4 channels c,
// acc[c + j] = fold[j] + sum(taps[t][c + j] * w[t][j]), j < 4, t < n_taps, with the block's
// fold and weights widened to int32 in `wide` as [fold][tap 0]...[tap n_taps - 1] (4 words
// each). n_taps is a multiple of 3; oc of 4; every tap pointer 4-byte aligned.
#if defined(__thumb__) && !defined(__thumb2__)
// One tap: 4 input bytes in one load, 4 weights in one LDM, the sums in r8-r11 (24 cycles).
#define DW_TAP                                                            \
    "ldm r0!, {r3}\n add r3, r12\n ldr r2, [r3]\n"                         \
    "ldm r1!, {r4-r7}\n"                                                  \
    "sxtb r3, r2\n muls r4, r3\n add r8, r4\n"                             \
    "lsls r3, r2, #16\n asrs r3, r3, #24\n muls r5, r3\n add r9, r5\n"     \
    "lsls r3, r2, #8\n asrs r3, r3, #24\n muls r6, r3\n add r10, r6\n"     \
    "asrs r2, r2, #24\n muls r7, r2\n add r11, r7\n"

// Cortex-M0+: about 64 cycles per output channel for a 3x3 window.
__attribute__((naked, noinline)) static void dw_pixel(int32_t *acc, const int8_t *const *taps, const int32_t *wide,
                                                       const dw_pixel_t *a) {
    (void)acc, (void)taps, (void)wide, (void)a;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n"
        "push {r4-r7}\n"
        "ldm r3!, {r4, r5}\n"
        "lsls r4, r4, #2\n adds r4, r1, r4\n mov lr, r4\n"  // end of taps
        "push {r0, r1, r5}\n"                                // acc, taps, oc
        "movs r0, #0\n mov r12, r0\n"                        // channel
        "movs r0, r1\n movs r1, r2\n"
        "1:\n"
        "ldm r1!, {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "2:\n"
        DW_TAP DW_TAP DW_TAP
        "cmp r0, lr\n"
        "bne 2b\n"
        "ldr r3, [sp]\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n"
        "stm r3!, {r4-r7}\n"
        "str r3, [sp]\n"
        "ldr r0, [sp, #4]\n"
        "mov r3, r12\n adds r3, #4\n mov r12, r3\n"
        "ldr r2, [sp, #8]\n"
        "cmp r3, r2\n"
        "bne 1b\n"
        "add sp, #12\n"
        "pop {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        ".syntax divided\n");
}
#else
static void dw_pixel(int32_t *acc, const int8_t *const *taps, const int32_t *wide, const dw_pixel_t *a) {
    for (int32_t c = 0; c < a->oc; c += 4, wide += 4 * (a->n_taps + 1)) {
        for (int32_t j = 0; j < 4; j++) {
            uint32_t sum = (uint32_t)wide[j];
            for (int32_t t = 0; t < a->n_taps; t++) {
                sum += (uint32_t)(taps[t][c + j] * wide[4 * (t + 1) + j]);
            }
            acc[c + j] = (int32_t)sum;
        }
    }
}
#endif

// Depth multiplier 1, no dilation: per pixel, the taps' input rows (or the row of input
// zero points for taps outside the image), then all channels tap by tap and one
// requantization run. `wide` (NULL when unusable) holds dw_pixel's folds and weights.
static TI_HOT __attribute__((noinline)) void dw_fold_eval(ti_interp_t *it, const ti_op_t *op, const int32_t *wide) {
    const ti_tensor_t *in = ti_in(it, op, 0), *w = ti_in(it, op, 1), *out = ti_out(it, op, 0);
    const ti_conv_params_t *p = &op->p.conv;
    const int8_t *x = (const int8_t *)in->data, *wd = (const int8_t *)w->data;
    int8_t *y = (int8_t *)out->data;
    int32_t ih = in->dims[1], iw = in->dims[2], ic = in->dims[3], oc = out->dims[3];
    int32_t fh = p->filter_h, fw = p->filter_w, n_taps = fh * fw;
    int32_t *acc = (int32_t *)(it->arena + op->scratch_offset);
    const int8_t *zp_row = (const int8_t *)(acc + oc);
    const requant_t rq = {p->mult, p->shift, p->out_offset, p->act_min, p->act_max};
    const dw_pixel_t a = {n_taps, oc};
    const int8_t *taps[DW_TAPS];
    for (int32_t b = 0; b < in->dims[0]; b++) {
        for (int32_t oy = 0; oy < out->dims[1]; oy++) {
            int32_t y0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < out->dims[2]; ox++, y += oc) {
                int32_t x0 = ox * p->stride_w - p->pad_w;
                for (int32_t ky = 0, t = 0; ky < fh; ky++) {
                    int32_t yy = y0 + ky;
                    const int8_t *row = yy >= 0 && yy < ih ? x + (b * ih + yy) * iw * ic : 0;
                    for (int32_t kx = 0, xx = x0; kx < fw; kx++, xx++, t++) {
                        taps[t] = row && xx >= 0 && xx < iw ? row + xx * ic : zp_row;
                    }
                }
                int32_t c = 0;
                if (wide) {
                    dw_pixel(acc, taps, wide, &a);
                    c = oc;
                }
                for (; c < oc; c++) {
                    uint32_t sum = (uint32_t)p->fold[c];
                    for (int32_t t = 0; t < n_taps; t++) {
                        sum += (uint32_t)(taps[t][c] * wd[t * oc + c]);
                    }
                    acc[c] = (int32_t)sum;
                }
                ti_requant_run(y, acc, oc, &rq);
            }
        }
    }
}

void ti_dw_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *w = ti_in(it, op, 1), *bias = ti_in(it, op, 2);
    const ti_tensor_t *out = ti_out(it, op, 0);
    const ti_conv_params_t *p = &op->p.conv;
    const int8_t *x = (const int8_t *)in->data;
    const int8_t *wd = (const int8_t *)w->data;
    int8_t *y = (int8_t *)out->data;
    int32_t ih = in->dims[1], iw = in->dims[2], ic = in->dims[3];
    int32_t oh = out->dims[1], ow = out->dims[2], oc = out->dims[3];
    int32_t fh = p->filter_h, fw = p->filter_w, dm = p->depth_mult;
    if (p->fold && fh * fw <= DW_TAPS && oc > 0) {
        memset(it->arena + op->scratch_offset + 4 * oc, (int8_t)(-p->in_offset), (size_t)ic);
        int32_t *wide = 0;
        // dw_pixel loads 4 input bytes at once: the input must be word aligned (it is in the arena).
        if (op->scratch_bytes > 4u * (uint32_t)oc + (uint32_t)ic && ((uintptr_t)x & 3) == 0) {
            wide = (int32_t *)(it->arena + op->scratch_offset + dw_wide_offset(oc, ic));
            int32_t n_taps = fh * fw;
            for (int32_t c = 0; c < oc; c++) {
                int32_t *block = wide + (c / 4) * 4 * (n_taps + 1) + c % 4;
                block[0] = p->fold[c];
                for (int32_t t = 0; t < n_taps; t++) {
                    block[4 * (t + 1)] = wd[t * oc + c];
                }
            }
        }
        dw_fold_eval(it, op, wide);
        return;
    }
    for (int32_t b = 0; b < in->dims[0]; b++) {
        for (int32_t oy = 0; oy < oh; oy++) {
            for (int32_t ox = 0; ox < ow; ox++) {
                int32_t y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
                for (int32_t c = 0; c < oc; c++) {
                    uint32_t acc = 0;
                    int32_t ci = c / dm;
                    for (int32_t ky = 0; ky < fh; ky++) {
                        int32_t yy = y0 + ky * p->dil_h;
                        if (yy < 0 || yy >= ih) {
                            continue;
                        }
                        for (int32_t kx = 0; kx < fw; kx++) {
                            int32_t xx = x0 + kx * p->dil_w;
                            if (xx < 0 || xx >= iw) {
                                continue;
                            }
                            acc += (uint32_t)(wd[(ky * fw + kx) * oc + c] *
                                              (x[((b * ih + yy) * iw + xx) * ic + ci] + p->in_offset));
                        }
                    }
                    if (bias) {
                        acc += (uint32_t)ti_load_i32(bias->data + 4 * c);
                    }
                    *y++ = ti_cv_requantize((int32_t)acc, p, c);
                }
            }
        }
    }
}
