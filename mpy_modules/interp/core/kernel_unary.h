// What the element-wise kernels (kernel_activation.c, kernel_sigmoid.c) share. Static:
// they are in different op modules on the board (interp_act, interp_sigmoid).
#ifndef KERNEL_UNARY_H
#define KERNEL_UNARY_H

#include "ti_kernels.h"

// One input and one output of the given types with the same element count; int8 ones
// quantized. Records both zero points.
static inline ti_status_t ti_unary_common(ti_interp_t *it, ti_op_t *op, uint8_t in_type, uint8_t out_type) {
    ti_status_t st = ti_check_arity(it, op, 1, 1, 1);
    if (st != TI_OK) {
        return st;
    }
    ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    if ((st = ti_check_type(it, in, in_type, "input")) || (st = ti_check_type(it, out, out_type, "output"))) {
        return st;
    }
    if (in_type == TI_INT8 && (st = ti_check_quant(it, in, "input")) != TI_OK) {
        return st;
    }
    if (out_type == TI_INT8 && (st = ti_check_quant(it, out, "output")) != TI_OK) {
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
