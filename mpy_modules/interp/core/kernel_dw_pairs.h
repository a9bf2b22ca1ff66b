// DEPTHWISE_CONV_2D's pair path (kernel_dw_pairs.c), chosen by ti_dw_prepare.
#ifndef KERNEL_DW_PAIRS_H
#define KERNEL_DW_PAIRS_H

#include "kernel_conv.h"

// Scratch bytes of the pair path, 0 when the op cannot take it (p complete).
uint32_t ti_dw_pairs_scratch(const ti_interp_t *it, const ti_conv_params_t *p, const ti_tensor_t *in,
                             const ti_tensor_t *w, const ti_tensor_t *out);
void ti_dw_pairs_eval(ti_interp_t *it, const ti_op_t *op);

#endif
