// What the element-wise kernels (kernel_activation.c, kernel_sigmoid.c) share. Static:
// they are in different op modules on the board (interp_act, interp_sigmoid).
#ifndef KERNEL_UNARY_H
#define KERNEL_UNARY_H

#include "ti_kernels.h"

// One input and one output of the given types with the same element count; int8 ones
// quantized. Records both zero points.
static inline ti_status_t ti_unary_common(ti_interp_t *it, ti_op_t *op, uint8_t in_type, uint8_t out_type) {
    ti_tensor_t *in, *out;
    unsigned quant = (in_type == TI_INT8 ? TI_QUANT_IN : 0u) | (out_type == TI_INT8 ? TI_QUANT_OUT : 0u);
    ti_status_t st = ti_check_io(it, op, 1, in_type, out_type, quant, &in, &out);
    if (st != TI_OK) {
        return st;
    }
    if (ti_elements(in) != ti_elements(out)) {
        return ti_fail(it, TI_ERR_SHAPE, "input and output sizes differ");
    }
    op->p.un.in_zp = in->zero_point;
    op->p.un.out_zp = out->zero_point;
    return TI_OK;
}

#endif
