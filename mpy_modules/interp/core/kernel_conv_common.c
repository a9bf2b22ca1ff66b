// CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, int8 with int32 bias, per-tensor or
// per-channel weight scales: acc = sum(w * (x - x_zp)) + bias, then
// out = clamp(MultiplyByQuantizedMultiplier(acc, m_c, s_c) + y_zp) as TFLM's reference.
// This file: what the three share (ti_requant_run: kernel_conv_requant.c).
#include "kernel_conv.h"

// Output size and leading padding of one spatial dimension (TFLM's ComputePaddingHeightWidth),
// in 32 bits: in >= 0, stride and dil in 1..4096 (checked by the caller), filter in 1..0x7fff.
static int spatial(int32_t in, int32_t filter, int32_t stride, int32_t dil, int same, int32_t *out, int16_t *pad) {
    if (filter < 1 || filter > 0x7fff) {
        return 0;
    }
    uint32_t effective = (uint32_t)(filter - 1) * (uint32_t)dil + 1u;  // < 2^27
    uint32_t top = (uint32_t)in + (uint32_t)stride;
    uint32_t o = same ? (top - 1u) / (uint32_t)stride : top < effective ? 0 : (top - effective) / (uint32_t)stride;
    // The sum lies in [-in, effective): (o - 1) stride <= in - 1 when o > 0, in < 2^27 when
    // o == 0. Formed in unsigned arithmetic (in may be near 2^31 when another dimension
    // is 0, so the partial sums may not fit an int32), then taken as signed.
    int32_t p = (int32_t)((o - 1u) * (uint32_t)stride + effective - (uint32_t)in) / 2;
    *out = (int32_t)o;
    *pad = (int16_t)(p > 0 ? (p < 0x7fff ? p : 0x7fff) : 0);
    return p < 0x7fff;
}

// Per-channel q0 multipliers m_c = in_scale * w_scale_c / out_scale.
ti_status_t ti_cv_channel_multipliers(ti_interp_t *it, ti_conv_params_t *p, const ti_tensor_t *in,
                                       const ti_tensor_t *w, const ti_tensor_t *out, int32_t channels,
                                       int fc_per_tensor) {
    p->n_mult = channels;
    p->mult = ti_chan_alloc(it, (uint32_t)channels);
    p->shift = ti_chan_alloc(it, (uint32_t)channels);
    if (!p->mult || !p->shift) {
        return ti_fail(it, TI_ERR_MALFORMED, TI_T(CHANNELS_WEIGHTS));
    }
    for (int32_t c = 0; c < channels; c++) {
        double m;
        if (fc_per_tensor) {
            // FULLY_CONNECTED forms the input x weight scale product in float first.
            m = ti_ddiv(ti_d_from_f(ti_fmul(in->scale, w->scale)), ti_d_from_f(out->scale));
        } else {
            m = ti_ddiv(ti_dmul(ti_d_from_f(in->scale), ti_d_from_f(ti_channel_scale(it, w, (uint32_t)c))),
                       ti_d_from_f(out->scale));
        }
        ti_status_t st = ti_quantize_multiplier(it, m, &p->mult[c], &p->shift[c]);
        if (st != TI_OK) {
            return st;
        }
    }
    return TI_OK;
}

// fold[c] = bias[c] + in_offset * sum(weights of channel c): with it, a window that lies
// inside the image needs only sum(w * x). Exact: integer sums wrap the same way.
ti_status_t ti_cv_fold_offsets(ti_interp_t *it, ti_conv_params_t *p, const ti_tensor_t *w, const ti_tensor_t *bias,
                                int32_t channels, int32_t per_channel, int32_t channel_stride, int32_t step) {
    p->fold = ti_chan_alloc(it, (uint32_t)channels);
    if (!p->fold) {
        return ti_fail(it, TI_ERR_MALFORMED, TI_T(CHANNELS_WEIGHTS));
    }
    const int8_t *wd = (const int8_t *)w->data;
    for (int32_t c = 0; c < channels; c++) {
        uint32_t sum = 0;
        for (int32_t k = 0; k < per_channel; k++) {
            sum += (uint32_t)wd[c * channel_stride + k * step];
        }
        uint32_t b = bias ? (uint32_t)ti_load_i32(bias->data + 4 * c) : 0;
        p->fold[c] = (int32_t)(b + sum * (uint32_t)p->in_offset);
    }
    return TI_OK;
}

ti_status_t ti_cv_check_common(ti_interp_t *it, const ti_op_t *op, ti_tensor_t **in, ti_tensor_t **w,
                                ti_tensor_t **bias, ti_tensor_t **out) {
    ti_status_t st = ti_check_arity(it, op, 2, 3, 1);
    if (st != TI_OK) {
        return st;
    }
    *in = ti_in(it, op, 0);
    *w = ti_in(it, op, 1);
    *bias = ti_in(it, op, 2);
    *out = ti_out(it, op, 0);
    // All three int8, then all three quantized.
    static const char *const roles[3] = {"input", "weights", "output"};
    ti_tensor_t *t[3] = {*in, *w, *out};
    for (unsigned k = 0; k < 6; k++) {
        st = k < 3 ? ti_check_type(it, t[k], TI_INT8, roles[k]) : ti_check_quant(it, t[k - 3], roles[k - 3]);
        if (st != TI_OK) {
            return st;
        }
    }
    if (!(*w)->is_const) {
        return ti_fail(it, TI_ERR_TYPE, TI_T(WEIGHTS_CONSTANT));
    }
    if (*bias && ((st = ti_check_type(it, *bias, TI_INT32, "bias")) != TI_OK)) {
        return st;
    }
    if (*bias && !(*bias)->is_const) {
        return ti_fail(it, TI_ERR_TYPE, TI_T(BIAS_CONSTANT));
    }
    return TI_OK;
}

ti_status_t ti_cv_check_bias(ti_interp_t *it, const ti_tensor_t *bias, int32_t channels) {
    if (bias && ti_elements(bias) != (uint32_t)channels) {
        return ti_fail_n(it, TI_ERR_SHAPE, TI_T(BIAS_ELEMENTS), channels, TI_T(ELEMENTS));
    }
    return TI_OK;
}

ti_status_t ti_cv_prepare_window(ti_interp_t *it, const ti_op_t *op, ti_conv_params_t *p, const ti_tensor_t *in,
                                  const ti_tensor_t *out, int32_t fh, int32_t fw, int same, unsigned f_sw,
                                  unsigned f_sh, unsigned f_dw, unsigned f_dh) {
    const uint8_t fields[4] = {(uint8_t)f_sw, (uint8_t)f_sh, (uint8_t)f_dw, (uint8_t)f_dh};
    int32_t v[4];  // stride w, stride h, dilation w, dilation h: each 1..4096
    for (unsigned k = 0; k < 4; k++) {
        v[k] = ti_opt_i32(it, op, fields[k], 1);
        if ((uint32_t)v[k] - 1u > 4095u) {
            return ti_fail(it, TI_ERR_MALFORMED, TI_T(STRIDE_RANGE));
        }
    }
    int32_t sw = v[0], sh = v[1], dw = v[2], dh = v[3];
    if (in->ndim != 4 || out->ndim != 4 || in->dims[0] != out->dims[0]) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(CONV_4D));
    }
    int32_t oh, ow;
    int ok = spatial(in->dims[1], fh, sh, dh, same, &oh, &p->pad_h);
    ok &= spatial(in->dims[2], fw, sw, dw, same, &ow, &p->pad_w);
    if (!ok) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(WINDOW_LARGE));
    }
    if (oh != out->dims[1] || ow != out->dims[2]) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(WINDOW_MISMATCH));
    }
    p->stride_w = (int16_t)sw;
    p->stride_h = (int16_t)sh;
    p->dil_w = (int16_t)dw;
    p->dil_h = (int16_t)dh;
    p->filter_h = (int16_t)fh;
    p->filter_w = (int16_t)fw;
    p->in_offset = -in->zero_point;
    p->out_offset = out->zero_point;
    return TI_OK;
}

// Weight zero points are not read: TFLM's int8 convolutions take the weights as symmetric.
ti_status_t ti_cv_check_weight_scales(ti_interp_t *it, const ti_tensor_t *w, int32_t channels) {
    if (w->scales.n != 1 && w->scales.n != (uint32_t)channels) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(WEIGHT_SCALES));
    }
    return TI_OK;
}
