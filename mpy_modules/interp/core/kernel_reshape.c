// RESHAPE, SQUEEZE and EXPAND_DIMS: same bytes, new shape (a copy between arena tensors).
#include <string.h>

#include "ti_kernels.h"

ti_status_t ti_reshape_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_status_t st = ti_check_arity(it, op, 1, 2, 1);
    if (st != TI_OK) {
        return st;
    }
    ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    if (in->type != out->type || in->bytes != out->bytes) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(RESHAPE_SIZE));
    }
    if (!ti_same_quant(in, out)) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(RESHAPE_QUANT));
    }
    return TI_OK;
}

void ti_reshape_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    if (in->data != out->data) {
        memmove(out->data, in->data, out->bytes);
    }
}
