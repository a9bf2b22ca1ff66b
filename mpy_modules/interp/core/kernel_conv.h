// Shared by the CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels: operand checks,
// window geometry, multipliers, folded offsets and the requantization of accumulators.
#ifndef KERNEL_CONV_H
#define KERNEL_CONV_H

#include "ti_kernels.h"

// Conv2DOptions / DepthwiseConv2DOptions field numbers.
enum { CONV_PADDING = 0, CONV_STRIDE_W = 1, CONV_STRIDE_H = 2, CONV_ACT = 3, CONV_DIL_W = 4, CONV_DIL_H = 5 };
enum { DW_PADDING = 0, DW_STRIDE_W = 1, DW_STRIDE_H = 2, DW_MULT = 3, DW_ACT = 4, DW_DIL_W = 5, DW_DIL_H = 6 };
enum { FC_ACT = 0, FC_WEIGHTS_FORMAT = 1 };

// A convolution's operands (kernel_conv.c, kernel_conv_generic.c).
typedef struct {
    const int8_t *x, *w;
    int32_t ih, iw, ic, fic, oc, per_group;
} conv_shape_t;

// Widened weights (int16 pairs or int32) may take at most this many scratch bytes.
#define WIDE_BUDGET 8192u

ti_status_t ti_cv_check_common(ti_interp_t *it, const ti_op_t *op, ti_tensor_t **in, ti_tensor_t **w,
                               ti_tensor_t **bias, ti_tensor_t **out);
ti_status_t ti_cv_check_bias(ti_interp_t *it, const ti_tensor_t *bias, int32_t channels);
ti_status_t ti_cv_check_weight_scales(ti_interp_t *it, const ti_tensor_t *w, int32_t channels);
ti_status_t ti_cv_prepare_window(ti_interp_t *it, const ti_op_t *op, ti_conv_params_t *p, const ti_tensor_t *in,
                                 const ti_tensor_t *out, int32_t fh, int32_t fw, int same, unsigned f_sw,
                                 unsigned f_sh, unsigned f_dw, unsigned f_dh);
// Per-channel q0 multipliers m_c = in_scale * w_scale_c / out_scale.
ti_status_t ti_cv_channel_multipliers(ti_interp_t *it, ti_conv_params_t *p, const ti_tensor_t *in,
                                      const ti_tensor_t *w, const ti_tensor_t *out, int32_t channels,
                                      int fc_per_tensor);
// fold[c] = bias[c] + in_offset * sum(weights of channel c).
ti_status_t ti_cv_fold_offsets(ti_interp_t *it, ti_conv_params_t *p, const ti_tensor_t *w, const ti_tensor_t *bias,
                               int32_t channels, int32_t per_channel, int32_t channel_stride, int32_t step);

static inline int8_t ti_cv_requantize(int32_t acc, const ti_conv_params_t *p, int32_t c) {
    int32_t v = ti_mbqm(acc, p->mult[c], p->shift[c]) + p->out_offset;
    v = v < p->act_min ? p->act_min : v;
    v = v > p->act_max ? p->act_max : v;
    return (int8_t)v;
}

// Per-channel requantization of a run of accumulators (multipliers never equal INT32_MIN,
// so srdhm's saturating case cannot occur).
typedef struct {
    const int32_t *mult, *shift;
    int32_t offset, lo, hi;
} requant_t;

// y[j] = clamp(MultiplyByQuantizedMultiplier(acc[j], mult[j], shift[j]) + offset), j < n, n > 0.
void ti_requant_run(int8_t *y, const int32_t *acc, int32_t n, const requant_t *rq);

#endif
