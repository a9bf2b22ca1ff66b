// DEPTHWISE_CONV_2D (shared checks: kernel_conv_common.c; requantization: kernel_conv_requant.c).
// Three paths, chosen by ti_dw_prepare: 3x3, stride 1, under a ReLU the pair path
// (kernel_dw_pairs.c); other windows of depth multiplier 1, undilated, the variant dw_wide
// (kernel_dw_wide.c: on the board interp_dwx.mpy, imported only by the models that take it);
// anything else the reference loop of ti_dw_eval.
#include "kernel_conv.h"
#include "kernel_dw_pairs.h"

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
    if (p->depth_mult == 1 && p->dil_w == 1 && p->dil_h == 1 &&
        (st = ti_cv_fold_offsets(it, p, w, bias, oc, w->dims[1] * w->dims[2], 1, oc)) != TI_OK) {
        return st;
    }
    if ((st = ti_activation_range(it, ti_opt_i8(it, op, DW_ACT, 0), out, &p->act_min, &p->act_max)) != TI_OK) {
        return st;
    }
    op->scratch_bytes = p->fold ? ti_dw_pairs_scratch(p, in, w, out) : 0;
    p->wide = op->scratch_bytes ? DW_WIDE_PAIRS : 0;
    if (!p->wide && p->fold && w->dims[1] * w->dims[2] <= DW_WIDE_MAX_TAPS && oc > 0) {
        return ti_use_variant(it, op, TI_VARIANT_dw_wide);
    }
    return TI_OK;
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
    // The pair path loads 4 input bytes at once; an unaligned input (never in the arena)
    // takes the loop below.
    if (p->wide == DW_WIDE_PAIRS && ((uintptr_t)x & 3) == 0) {
        ti_dw_pairs_eval(it, op);
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
