// DEPTHWISE_CONV_2D (shared checks: kernel_conv_common.c; requantization: kernel_conv_requant.c).
// ti_dw_prepare chooses: 3x3, stride 1, under a ReLU the pair path (kernel_dw_pairs.c); any
// other the variant dw_generic (kernel_dw_generic.c: on the board interp_dwx.mpy, imported
// only by the models that take it).
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
    if ((st = ti_cv_check_bias(it, bias, oc)) || (st = ti_cv_check_weight_scales(it, w, oc)) ||
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
    // The pair path loads 4 input bytes at once: the input must be word aligned, as every
    // tensor in the arena is (not a constant: it is where the model's bytes put it).
    op->scratch_bytes = p->fold && !in->is_const ? ti_dw_pairs_scratch(it, p, in, w, out) : 0;
    return op->scratch_bytes ? TI_OK : ti_use_variant(it, op, TI_VARIANT_dw_generic);
}

void ti_dw_eval(ti_interp_t *it, const ti_op_t *op) {
    ti_dw_pairs_eval(it, op);
}

