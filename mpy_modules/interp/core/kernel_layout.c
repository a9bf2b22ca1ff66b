// Data movement: PAD, CONCATENATION, STRIDED_SLICE on int8 tensors of up to 6 dimensions.
// None of them changes quantization: inputs and outputs must share scale and zero point.
#include <string.h>

#include "ti_kernels.h"

enum { CONCAT_AXIS = 0, CONCAT_ACT = 1 };
enum { SLICE_BEGIN_MASK = 0, SLICE_END_MASK = 1, SLICE_ELLIPSIS_MASK = 2, SLICE_NEW_AXIS_MASK = 3,
       SLICE_SHRINK_MASK = 4, SLICE_OFFSET = 5 };

static ti_status_t same_quant(ti_interp_t *it, const ti_tensor_t *a, const ti_tensor_t *b) {
    if (a->type != TI_INT8 || b->type != TI_INT8) {
        return ti_fail(it, TI_ERR_TYPE, TI_T(INT8_TENSORS));
    }
    if (!ti_same_quant(a, b)) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(RESHAPE_QUANT));
    }
    return TI_OK;
}

// A constant int32 tensor of exactly n elements, read into dst.
static ti_status_t const_ints(ti_interp_t *it, const ti_tensor_t *t, uint32_t n, int32_t *dst, const char *what) {
    if (!t || t->type != TI_INT32 || !t->is_const || ti_elements(t) != n) {
        return ti_fail(it, TI_ERR_SHAPE, what);
    }
    for (uint32_t k = 0; k < n; k++) {
        dst[k] = ti_load_i32(t->data + 4 * k);
    }
    return TI_OK;
}

// --- PAD: the padding cells take the zero point (the quantized 0.0) ------------------

ti_status_t ti_pad_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_shape_params_t *p = &op->p.shp;
    ti_status_t st = ti_check_arity(it, op, 2, 3, 1);
    if (st != TI_OK) {
        return st;
    }
    ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    if ((st = same_quant(it, in, out)) != TI_OK) {
        return st;
    }
    if (in->ndim != out->ndim || in->ndim == 0) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(RANKS_DIFFER));
    }
    int32_t pads[2 * TI_MAX_DIMS];
    if ((st = const_ints(it, ti_in(it, op, 1), 2u * in->ndim, pads, TI_T(PADDINGS)))) {
        return st;
    }
    for (unsigned k = 0; k < in->ndim; k++) {
        if (pads[2 * k] < 0 || pads[2 * k + 1] < 0 ||
            (int64_t)in->dims[k] + pads[2 * k] + pads[2 * k + 1] != out->dims[k]) {
            return ti_fail(it, TI_ERR_SHAPE, TI_T(PADDINGS_SHAPE));
        }
        p->begin[k] = pads[2 * k];
    }
    p->out_zp = out->zero_point;
    const ti_tensor_t *value = ti_in(it, op, 2);
    if (value) {
        if (value->type != TI_INT8 || !value->is_const || ti_elements(value) != 1) {
            return ti_fail(it, TI_ERR_SHAPE, TI_T(PAD_VALUE));
        }
        p->out_zp = (int8_t)value->data[0];
    }
    return TI_OK;
}

void ti_pad_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    const ti_shape_params_t *p = &op->p.shp;
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    int n = out->ndim, last = n - 1;
    memset(y, p->out_zp, out->bytes);
    if (ti_elements(in) == 0) {
        return;
    }
    // Copy input rows (the last dimension) to their place in the output.
    int32_t idx[TI_MAX_DIMS] = {0};
    uint32_t rows = ti_elements(in) / (uint32_t)in->dims[last];
    for (uint32_t r = 0; r < rows; r++) {
        uint32_t o = 0;
        for (int k = 0; k < n; k++) {
            o = o * (uint32_t)out->dims[k] + (uint32_t)(idx[k] + p->begin[k]);
        }
        memcpy(y + o, x + r * (uint32_t)in->dims[last], (size_t)in->dims[last]);
        for (int k = last - 1; k >= 0; k--) {
            if (++idx[k] < in->dims[k]) {
                break;
            }
            idx[k] = 0;
        }
    }
}

// --- CONCATENATION ------------------------------------------------------------------

ti_status_t ti_concat_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_shape_params_t *p = &op->p.shp;
    ti_status_t st = ti_check_arity(it, op, 1, 32, 1);
    if (st != TI_OK) {
        return st;
    }
    ti_tensor_t *out = ti_out(it, op, 0);
    if (ti_opt_i8(it, op, CONCAT_ACT, 0) != 0) {
        return ti_fail(it, TI_ERR_UNSUPPORTED_OP, TI_T(FUSED_NOT_SUPPORTED));
    }
    int32_t axis = ti_opt_i32(it, op, CONCAT_AXIS, 0);
    if (axis < 0) {
        axis += out->ndim;
    }
    if (axis < 0 || axis >= out->ndim) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(AXIS_RANGE));
    }
    int64_t total = 0;
    for (unsigned j = 0; j < op->n_in; j++) {
        const ti_tensor_t *in = ti_in(it, op, j);
        if (!in) {
            return ti_fail(it, TI_ERR_MALFORMED, TI_T(MISSING_INPUT));
        }
        if ((st = same_quant(it, in, out)) != TI_OK) {
            return st;
        }
        if (in->ndim != out->ndim) {
            return ti_fail(it, TI_ERR_SHAPE, TI_T(CONCAT_RANKS));
        }
        for (int k = 0; k < out->ndim; k++) {
            if (k != axis && in->dims[k] != out->dims[k]) {
                return ti_fail(it, TI_ERR_SHAPE, TI_T(CONCAT_OUTSIDE));
            }
        }
        total += in->dims[axis];
    }
    if (total != out->dims[axis]) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(CONCAT_SUM));
    }
    p->axis = axis;
    return TI_OK;
}

void ti_concat_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *out = ti_out(it, op, 0);
    int axis = op->p.shp.axis;
    uint32_t outer = 1, inner = 1;
    for (int k = 0; k < axis; k++) {
        outer *= (uint32_t)out->dims[k];
    }
    for (int k = axis + 1; k < out->ndim; k++) {
        inner *= (uint32_t)out->dims[k];
    }
    int8_t *y = (int8_t *)out->data;
    for (uint32_t o = 0; o < outer; o++) {
        for (unsigned j = 0; j < op->n_in; j++) {
            const ti_tensor_t *in = ti_in(it, op, j);
            uint32_t block = (uint32_t)in->dims[axis] * inner;
            memcpy(y, in->data + o * block, block);
            y += block;
        }
    }
}

// --- STRIDED_SLICE (begin/end/shrink masks; no ellipsis or new axes) -------------------

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

ti_status_t ti_strided_slice_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_shape_params_t *p = &op->p.shp;
    ti_status_t st = ti_check_arity(it, op, 4, 4, 1);
    if (st != TI_OK) {
        return st;
    }
    ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    if ((st = same_quant(it, in, out)) != TI_OK) {
        return st;
    }
    if (ti_opt_i32(it, op, SLICE_ELLIPSIS_MASK, 0) || ti_opt_i32(it, op, SLICE_NEW_AXIS_MASK, 0) ||
        ti_opt_i8(it, op, SLICE_OFFSET, 0)) {
        return ti_fail(it, TI_ERR_UNSUPPORTED_OP, TI_T(SLICE_MASKS));
    }
    int n = in->ndim;
    int32_t begin[TI_MAX_DIMS], end[TI_MAX_DIMS], stride[TI_MAX_DIMS];
    if ((st = const_ints(it, ti_in(it, op, 1), (uint32_t)n, begin, TI_T(SLICE_BEGIN))) ||
        (st = const_ints(it, ti_in(it, op, 2), (uint32_t)n, end, TI_T(SLICE_END))) ||
        (st = const_ints(it, ti_in(it, op, 3), (uint32_t)n, stride, TI_T(SLICE_STRIDES)))) {
        return st;
    }
    int32_t begin_mask = ti_opt_i32(it, op, SLICE_BEGIN_MASK, 0), end_mask = ti_opt_i32(it, op, SLICE_END_MASK, 0);
    int32_t shrink = ti_opt_i32(it, op, SLICE_SHRINK_MASK, 0);
    int out_k = 0;
    for (int k = 0; k < n; k++) {
        int32_t d = in->dims[k], s = stride[k];
        if (s == 0 || s < -65536 || s > 65536) {
            return ti_fail(it, TI_ERR_SHAPE, TI_T(STRIDES_ZERO));
        }
        int32_t start, stop;
        if (begin_mask & (1 << k)) {
            start = s > 0 ? 0 : d - 1;
        } else {
            start = begin[k] < 0 ? begin[k] + d : begin[k];
            start = s > 0 ? clamp(start, 0, d) : clamp(start, -1, d - 1);
        }
        if (shrink & (1 << k)) {
            if (start < 0 || start >= d) {
                return ti_fail(it, TI_ERR_SHAPE, TI_T(SHRUNK_RANGE));
            }
            stop = start + 1;
            s = 1;
        } else if (end_mask & (1 << k)) {
            stop = s > 0 ? d : -1;
        } else {
            stop = end[k] < 0 ? end[k] + d : end[k];
            stop = s > 0 ? clamp(stop, 0, d) : clamp(stop, -1, d - 1);
        }
        int32_t count = s > 0 ? (stop - start + s - 1) / s : (start - stop - s - 1) / -s;
        count = count < 0 ? 0 : count;
        p->begin[k] = start;
        p->stride[k] = s;
        p->size[k] = count;
        if (!(shrink & (1 << k))) {
            if (out_k >= out->ndim || out->dims[out_k] != count) {
                return ti_fail(it, TI_ERR_SHAPE, TI_T(SLICE_SHAPE));
            }
            out_k++;
        }
    }
    if (out_k != out->ndim) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(SLICE_RANK));
    }
    return TI_OK;
}

void ti_strided_slice_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    const ti_shape_params_t *p = &op->p.shp;
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    int n = in->ndim;
    uint32_t total = ti_elements(out);
    int32_t idx[TI_MAX_DIMS] = {0}, in_stride[TI_MAX_DIMS];
    int32_t s = 1;
    for (int k = n - 1; k >= 0; k--) {
        in_stride[k] = s;
        s *= in->dims[k];
    }
    int32_t pos = 0;
    for (int k = 0; k < n; k++) {
        pos += p->begin[k] * in_stride[k];
    }
    for (uint32_t i = 0; i < total; i++) {
        y[i] = x[pos];
        for (int k = n - 1; k >= 0; k--) {
            pos += p->stride[k] * in_stride[k];
            if (++idx[k] < p->size[k]) {
                break;
            }
            pos -= p->stride[k] * in_stride[k] * idx[k];
            idx[k] = 0;
        }
    }
}
