// FULLY_CONNECTED with symmetric weights (per-tensor weights with a zero point: the variant
// fc_generic, kernel_conv_generic.c). In the board's core, not an op module: every zoo model
// ends with a dense layer, and a model with no convolution (an LSTM) then loads no conv code.
#include "kernel_conv_dot.h"

ti_status_t ti_fc_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_tensor_t *in, *w, *bias, *out;
    ti_conv_params_t *p = &op->p.conv;
    ti_status_t st = ti_cv_check_common(it, op, &in, &w, &bias, &out);
    if (st != TI_OK) {
        return st;
    }
    if (ti_opt_i8(it, op, FC_WEIGHTS_FORMAT, 0) != 0) {
        return ti_fail(it, TI_ERR_TYPE, TI_T(FC_SHUFFLED));
    }
    if (w->ndim != 2 || out->ndim < 1) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(FC_WEIGHTS_2D));
    }
    int32_t oc = w->dims[0], depth = w->dims[1];
    uint32_t batches = ti_elements(out) / (out->dims[out->ndim - 1] ? (uint32_t)out->dims[out->ndim - 1] : 1u);
    if (out->dims[out->ndim - 1] != oc || (uint64_t)batches * (uint32_t)depth != ti_elements(in)) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(FC_SIZES));
    }
    p->filter_h = 0;
    p->in_offset = -in->zero_point;
    p->out_offset = out->zero_point;
    if ((st = ti_cv_check_weight_scales(it, w, oc)) != TI_OK) {
        return st;
    }
    // As TFLM: per-channel weights are taken as symmetric (their zero points are not read).
    p->filter_offset = w->scales.n > 1 ? 0 : -w->zero_point;
    if ((st = ti_cv_check_bias(it, bias, oc)) ||
        (st = ti_cv_channel_multipliers(it, p, in, w, out, w->scales.n > 1 ? oc : 1, w->scales.n == 1))) {
        return st;
    }
    p->fold = 0;
    if (p->filter_offset == 0 && (st = ti_cv_fold_offsets(it, p, w, bias, oc, depth, depth, 1)) != TI_OK) {
        return st;
    }
    if ((st = ti_activation_range(it, ti_opt_i8(it, op, FC_ACT, 0), out, &p->act_min, &p->act_max)) != TI_OK) {
        return st;
    }
    // Per-tensor weights with a zero point (no folded offsets): the variant fc_generic (kernel_conv_generic.c).
    return p->fold ? TI_OK : ti_use_variant(it, op, TI_VARIANT_fc_generic);
}

void ti_fc_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *w = ti_in(it, op, 1);
    const ti_conv_params_t *p = &op->p.conv;
    const int8_t *x = (const int8_t *)in->data, *wd = (const int8_t *)w->data;
    int8_t *y = (int8_t *)ti_out(it, op, 0)->data;
    int32_t oc = w->dims[0], depth = w->dims[1];
    uint32_t batches = depth ? ti_elements(in) / (uint32_t)depth : 0;
    for (uint32_t b = 0; b < batches; b++, x += depth, y += oc) {
        for (int32_t c = 0; c < oc; c += 2) {
            int32_t ch[2] = {c, c + 1 < oc ? c + 1 : c};  // an odd last output twice
            uint32_t acc[2] = {(uint32_t)p->fold[ch[0]], (uint32_t)p->fold[ch[1]]};
            dot2_s8(x, wd + ch[0] * depth, wd + ch[1] * depth, depth, &acc[0], &acc[1]);
            // A dense layer has few outputs: the core's own requantization, not ti_requant_run
            // (the conv op modules').
            for (int k = 0; k < 2; k++) {
                y[ch[k]] = ti_cv_requantize((int32_t)acc[k], p, p->n_mult > 1 ? ch[k] : 0);
            }
        }
    }
}
