// DEPTHWISE_CONV_2D, the variant dw_generic: every depthwise conv the pair path
// (kernel_dw.c chooses) does not take. Depth multiplier 1, no dilation and at most
// DW_TAPS taps: dw_fold_eval (dw_pixel when it can); else the reference loop. On the
// board it is interp_dwx.mpy, imported only by the models that take it (ti_use_variant).
#include <string.h>

#include "kernel_conv.h"

#define DW_TAPS 32  // windows dw_fold_eval takes; larger ones the reference loop
#define DW_RECORD 6  // words of a channel's requantization record (dw_record)

// Scratch: the row of input zero points that stands in for taps outside the image, then
// either one accumulator per channel or dw_pixel's stream (it needs none).
static uint32_t dw_sums_offset(int32_t ic) {
    return ((uint32_t)ic + 3u) & ~3u;
}

typedef struct {
    int32_t n_taps, oc, offset, relu;  // relu: records in the ReLU layout (dw_record)
} dw_pixel_t;

// A channel's record: a bound below which the output is lo, its multiplier m as signed
// 16-bit halves (m = mh 2^16 + ml), e - 1 for its shift -e (e >= 1) and the clamp range; see
// kernel_conv_requant.c for the arithmetic. The requantization is monotonic and maps 0 to
// 0: when lo is the output offset (ReLU, ReLU6) every acc <= 0 gives lo. With `relu` (lo is
// the offset) the record is {ml, mh, e - 1, offset, hi, 0}: any other acc has Q >= 0 and an
// output >= lo, so the assembly skips the bound, the sign correction and the clamp at lo.
static void dw_record(int32_t *r, int32_t m, int32_t shift, int32_t offset, int32_t lo, int32_t hi, int relu) {
    int32_t ml = (int16_t)m, mh = (int32_t)(((uint32_t)m - (uint32_t)ml) >> 16);
    if (relu) {
        r[0] = ml, r[1] = mh, r[2] = -shift - 1, r[3] = offset, r[4] = hi, r[5] = 0;
        return;
    }
    r[0] = lo == offset ? 1 : INT32_MIN;
    r[1] = ml;
    r[2] = mh;
    r[3] = -shift - 1;
    r[4] = lo;
    r[5] = hi;
}

// One output pixel, depth multiplier 1: for every block of 4 channels c,
// acc_j = fold_j + sum(taps[t][c + j] * w_tj), j < 4, t < n_taps, requantized into
// y[c + j]. `stream` holds per block [fold][tap 0]...[tap n_taps - 1] (4 int32 each) and
// the 4 channels' records, one after the other. n_taps is a multiple of 3, oc of 4, every tap
// pointer 4-byte aligned.
#if defined(__thumb__) && !defined(__thumb2__)
// One tap: 4 input bytes in one load, 4 weights in one LDM, the sums in r8-r11 (24 cycles).
#define DW_TAP                                                            \
    "ldm r0!, {r3}\n add r3, r12\n ldr r2, [r3]\n"                         \
    "ldm r1!, {r4-r7}\n"                                                  \
    "sxtb r3, r2\n muls r4, r3\n add r8, r4\n"                             \
    "lsls r3, r2, #16\n asrs r3, r3, #24\n muls r5, r3\n add r9, r5\n"     \
    "lsls r3, r2, #8\n asrs r3, r3, #24\n muls r6, r3\n add r10, r6\n"     \
    "asrs r2, r2, #24\n muls r7, r2\n add r11, r7\n"
// The sum in `acc` requantized into y[j] (r2 = y, r0 = 2^30, lr = offset; 42 cycles, 15
// below the record's bound).
#define DW_REQUANT(acc, j)                                                            \
    "mov r3, " acc "\n"                                                                \
    "ldm r1!, {r4-r6}\n"                                      /* bound, ml, mh */      \
    "cmp r3, r4\n blt 6f\n"                                                            \
    "sxth r4, r3\n asrs r3, r3, #15\n adds r3, #1\n asrs r3, r3, #1\n" /* al, ah */       \
    "movs r7, r4\n muls r7, r5\n muls r4, r6\n muls r5, r3\n muls r3, r6\n"               \
    "add r7, r0\n adds r4, r4, r5\n lsls r5, r4, #16\n asrs r4, r4, #16\n"                 \
    "adds r5, r5, r7\n adcs r3, r4\n adds r5, r5, r5\n adcs r3, r3\n"     /* Q */         \
    "ldm r1!, {r4-r6}\n"                                            /* e - 1, lo, hi */ \
    "asrs r7, r3, #31\n adds r3, r3, r7\n asrs r3, r4\n adds r3, #1\n asrs r3, r3, #1\n"  \
    "add r3, lr\n"                                                                     \
    "cmp r3, r5\n bge 7f\n movs r3, r5\n 7:\n"                                          \
    "cmp r3, r6\n ble 8f\n movs r3, r6\n b 8f\n"                                        \
    "6:\n ldr r3, [r1, #4]\n adds r1, #12\n"                       /* lo */           \
    "8:\n strb r3, [r2, #" j "]\n"
// The same under a ReLU, records {ml, mh, e - 1, offset, hi, 0}, lr = lo (36 cycles, 8 for a
// sum <= 0).
#define DW_REQUANT_RELU(acc, j)                                                       \
    "mov r3, " acc "\n"                                                                \
    "cmp r3, #0\n ble 6f\n"                                                            \
    "ldm r1!, {r5, r6}\n"                                             /* ml, mh */      \
    "sxth r4, r3\n asrs r3, r3, #15\n adds r3, #1\n asrs r3, r3, #1\n" /* al, ah */       \
    "movs r7, r4\n muls r7, r5\n muls r4, r6\n muls r5, r3\n muls r3, r6\n"               \
    "add r7, r0\n adds r4, r4, r5\n lsls r5, r4, #16\n asrs r4, r4, #16\n"                 \
    "adds r5, r5, r7\n adcs r3, r4\n adds r5, r5, r5\n adcs r3, r3\n"     /* Q >= 0 */    \
    "ldm r1!, {r4-r7}\n"                                  /* e - 1, offset, hi, 0 */    \
    "asrs r3, r4\n asrs r3, r3, #1\n adcs r3, r5\n"      /* + (the bit shifted out) */   \
    "cmp r3, r6\n ble 8f\n movs r3, r6\n b 8f\n"                                       \
    "6:\n adds r1, #24\n mov r3, lr\n"                                                 \
    "8:\n strb r3, [r2, #" j "]\n"

// Cortex-M0+: a 3x3 window costs about 94 cycles per output channel, requantization
// included, when half the outputs fall below a ReLU (DS-CNN-S), about 110 without a ReLU:
// under a ReLU the requantization has its own code (DW_REQUANT_RELU), chosen per pixel.
__attribute__((naked, noinline)) static void dw_pixel(int8_t *y, const int8_t *const *taps, const int32_t *stream,
                                                       const dw_pixel_t *a) {
    (void)y, (void)taps, (void)stream, (void)a;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n"
        "push {r4-r7}\n"
        "mov r12, r2\n"                                      // stream
        "ldm r3, {r2-r5}\n"                                  // n_taps, oc, offset, relu
        "adr r6, 20f\n"                                      // the requantization: general,
        "cmp r5, #0\n beq 0f\n adr r6, 30f\n 0:\n"          // or under a ReLU
        "lsls r2, r2, #2\n adds r2, r1, r2\n"
        "push {r0-r4, r6}\n"                                 // y, taps, end of taps, oc, offset, requantization
        "mov r1, r12\n"
        "movs r0, #0\n mov r12, r0\n"                        // channel
        "1:\n"
        "ldr r0, [sp, #4]\n ldr r3, [sp, #8]\n mov lr, r3\n"
        "ldm r1!, {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "2:\n"
        DW_TAP DW_TAP DW_TAP
        "cmp r0, lr\n"
        "bne 2b\n"
        "ldr r3, [sp, #20]\n mov pc, r3\n"                  // to 20 or 30
        ".balign 4\n"
        "20:\n"
        "ldr r2, [sp]\n add r2, r12\n"
        "movs r0, #1\n lsls r0, r0, #30\n"
        "ldr r3, [sp, #16]\n mov lr, r3\n"
        DW_REQUANT("r8", "0") DW_REQUANT("r9", "1") DW_REQUANT("r10", "2") DW_REQUANT("r11", "3")
        "mov r3, r12\n adds r3, #4\n mov r12, r3\n"
        "ldr r2, [sp, #12]\n"
        "cmp r3, r2\n"
        "beq 9f\n"
        "b 1b\n"                      // out of a conditional branch's reach
        "9:\n"
        "add sp, #24\n"
        "pop {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        ".balign 4\n"
        "30:\n"
        "ldr r2, [sp]\n add r2, r12\n"
        "movs r0, #1\n lsls r0, r0, #30\n"
        "ldr r3, [sp, #16]\n mov lr, r3\n"
        DW_REQUANT_RELU("r8", "0") DW_REQUANT_RELU("r9", "1") DW_REQUANT_RELU("r10", "2") DW_REQUANT_RELU("r11", "3")
        "mov r3, r12\n adds r3, #4\n mov r12, r3\n"
        "ldr r2, [sp, #12]\n"
        "cmp r3, r2\n"
        "beq 0f\n"
        "b 1b\n"
        "0:\n b 9b\n"
        ".syntax divided\n");
}
#else
static void dw_pixel(int8_t *y, const int8_t *const *taps, const int32_t *stream, const dw_pixel_t *a) {
    for (int32_t c = 0; c < a->oc; c += 4) {
        const int32_t *w = stream + 4, *r = stream + 4 * (a->n_taps + 1);
        for (int32_t j = 0; j < 4; j++) {
            uint32_t sum = (uint32_t)stream[j];
            for (int32_t t = 0; t < a->n_taps; t++) {
                sum += (uint32_t)(taps[t][c + j] * w[4 * t + j]);
            }
            // The assembly's arithmetic (kernel_conv_requant.c): q = floor((acc m + 2^30) / 2^31).
            const int32_t *rj = r + DW_RECORD * j + 1;
            int32_t acc = (int32_t)sum, ml = rj[0], mh = rj[1];
            int32_t al = (int16_t)acc, ah = ((acc >> 15) + 1) >> 1;
            uint32_t low = (uint32_t)(al * ml) + (1u << 30);
            int32_t mid = al * mh + ah * ml;
            uint32_t lo = ((uint32_t)mid << 16) + low;
            uint32_t hi = (uint32_t)(ah * mh) + (uint32_t)(mid >> 16) + (lo < low);
            int32_t q = (int32_t)((hi << 1) | (lo >> 31));
            int32_t v = ((((q + (q >> 31)) >> rj[2]) + 1) >> 1) + a->offset;
            v = v < rj[3] ? rj[3] : v;
            y[c + j] = (int8_t)(v > rj[4] ? rj[4] : v);
        }
        stream += 4 * (a->n_taps + 1 + DW_RECORD);
    }
}
#endif

// Whether dw_pixel's records take the ReLU layout (the assembly only; C reads the other).
static int dw_relu(const ti_conv_params_t *p) {
#if defined(__thumb__) && !defined(__thumb2__)
    return p->act_min == p->out_offset;
#else
    (void)p;
    return 0;
#endif
}

// dw_pixel's stream (oc a multiple of 4).
static void dw_stream_build(int32_t *block, const int8_t *wd, const ti_conv_params_t *p, int32_t n_taps,
                                   int32_t oc) {
    for (int32_t c0 = 0; c0 < oc; c0 += 4) {
        int32_t *records = block + 4 * (n_taps + 1);
        for (int32_t j = 0; j < 4; j++) {
            int32_t c = c0 + j;
            block[j] = p->fold[c];
            for (int32_t t = 0; t < n_taps; t++) {
                block[4 * (t + 1) + j] = wd[t * oc + c];
            }
            dw_record(records + DW_RECORD * j, p->mult[c], p->shift[c], p->out_offset, p->act_min, p->act_max,
                      dw_relu(p));
        }
        block = records + 4 * DW_RECORD;
    }
}

// Depth multiplier 1, no dilation: per pixel, the taps' input rows (or the row of input
// zero points for taps outside the image), then all channels tap by tap and one
// requantization run. `wide` (NULL when unusable) holds dw_pixel's folds and weights.
static __attribute__((noinline)) void dw_fold_eval(ti_interp_t *it, const ti_op_t *op, const int32_t *wide) {
    const ti_tensor_t *in = ti_in(it, op, 0), *w = ti_in(it, op, 1), *out = ti_out(it, op, 0);
    const ti_conv_params_t *p = &op->p.conv;
    const int8_t *x = (const int8_t *)in->data, *wd = (const int8_t *)w->data;
    int8_t *y = (int8_t *)out->data;
    int32_t ih = in->dims[1], iw = in->dims[2], ic = in->dims[3], oc = out->dims[3];
    int32_t fh = p->filter_h, fw = p->filter_w, n_taps = fh * fw;
    const int8_t *zp_row = (const int8_t *)(it->arena + op->scratch_offset);
    int32_t *acc = (int32_t *)(it->arena + op->scratch_offset + dw_sums_offset(ic));
    const requant_t rq = {p->mult, p->shift, p->out_offset, p->act_min, p->act_max};
    const dw_pixel_t a = {n_taps, oc, p->out_offset, dw_relu(p)};
    const int8_t *taps[DW_TAPS];
    // Tap offsets from a window's first input pixel. Offsets and the pixel indices below wrap
    // (unsigned) for windows larger than the image: only those inside it are used.
    uint32_t window[DW_TAPS];
    for (int32_t t = 0; t < n_taps; t++) {
        window[t] = ((uint32_t)(t / fw) * (uint32_t)iw + (uint32_t)(t % fw)) * (uint32_t)ic;
    }
    for (int32_t b = 0; b < in->dims[0]; b++) {
        for (int32_t oy = 0; oy < out->dims[1]; oy++) {
            int32_t y0 = oy * p->stride_h - p->pad_h, rows_inside = y0 >= 0 && y0 + fh <= ih;
            for (int32_t ox = 0, x0 = -p->pad_w; ox < out->dims[2]; ox++, x0 += p->stride_w, y += oc) {
                const int8_t **tap = taps;
                int window_inside = rows_inside && x0 >= 0 && x0 + fw <= iw;
                uint32_t first = (((uint32_t)b * (uint32_t)ih + (uint32_t)y0) * (uint32_t)iw + (uint32_t)x0) * (uint32_t)ic;
                for (int32_t t = 0; window_inside && t < n_taps; t++) {
                    taps[t] = x + (first + window[t]);
                }
                for (int32_t ky = 0, yy = y0; !window_inside && ky < fh; ky++, yy++) {
                    // Input pixel (yy, x0) and the next ones along the row, or the zero points.
                    uint32_t at = (((uint32_t)b * (uint32_t)ih + (uint32_t)yy) * (uint32_t)iw + (uint32_t)x0) * (uint32_t)ic;
                    int inside = (uint32_t)yy < (uint32_t)ih;
                    for (int32_t kx = 0, xx = x0; kx < fw; kx++, xx++, at += (uint32_t)ic) {
                        *tap++ = inside && (uint32_t)xx < (uint32_t)iw ? x + at : zp_row;
                    }
                }
                if (wide) {
                    dw_pixel(y, taps, wide, &a);
                    continue;
                }
                for (int32_t c = 0; c < oc; c++) {
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


// After ti_dw_prepare (p complete): the scratch of dw_fold_eval (the reference loop needs none).
ti_status_t ti_dw_generic_prepare(ti_interp_t *it, ti_op_t *op) {
    const ti_tensor_t *w = ti_in(it, op, 1);
    if (!op->p.conv.fold) {
        return TI_OK;
    }
    int32_t oc = w->dims[3], ic = ti_in(it, op, 0)->dims[3];
    uint32_t taps = (uint32_t)(op->p.conv.filter_h * op->p.conv.filter_w);
    op->scratch_bytes = dw_sums_offset(ic) + 4u * (uint32_t)oc;
    // dw_pixel's stream: per block of 4 channels, folds and weights widened to int32 and
    // the requantization records.
    if (taps > 0 && taps <= DW_TAPS && (int32_t)taps % 3 == 0 && oc > 0 && oc % 4 == 0 &&
        (uint32_t)oc <= WIDE_BUDGET / 4 / (taps + 1 + DW_RECORD)) {
        op->scratch_bytes = dw_sums_offset(ic) + 4u * (taps + 1 + DW_RECORD) * (uint32_t)oc;
    }
    return TI_OK;
}

void ti_dw_generic_eval(ti_interp_t *it, const ti_op_t *op) {
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
        memset(it->arena + op->scratch_offset, (int8_t)(-p->in_offset), (size_t)ic);
        int32_t *wide = 0;
        // dw_pixel loads 4 input bytes at once: the input must be word aligned (it is in the arena).
        // The records take shifts below 0 (multipliers under 0.5, all the converter emits).
        int fast = op->scratch_bytes > dw_sums_offset(ic) + 4u * (uint32_t)oc && ((uintptr_t)x & 3) == 0;
        for (int32_t c = 0; fast && c < oc; c++) {
            fast = p->shift[c] < 0;
        }
        if (fast) {
            wide = (int32_t *)(it->arena + op->scratch_offset + dw_sums_offset(ic));
            dw_stream_build(wide, wd, p, fh * fw, oc);
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
