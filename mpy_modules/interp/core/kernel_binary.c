// ADD, SUB, MUL on int8 with NumPy-style broadcasting (up to 6-D), as TFLM's reference:
// ADD/SUB bring both inputs to a common scale with 20 bits of headroom, MUL multiplies
// the offset inputs and requantizes once.
#include "ti_kernels.h"

enum { BIN_ACT = 0 };

static ti_status_t binary_prepare(ti_interp_t *it, ti_op_t *op, int mul) {
    ti_binary_params_t *p = &op->p.bin;
    ti_status_t st = ti_check_arity(it, op, 2, 2, 1);
    if (st != TI_OK) {
        return st;
    }
    ti_tensor_t *a = ti_in(it, op, 0), *b = ti_in(it, op, 1), *out = ti_out(it, op, 0);
    if ((st = ti_check_type(it, a, TI_INT8, "input 1")) || (st = ti_check_type(it, b, TI_INT8, "input 2")) ||
        (st = ti_check_type(it, out, TI_INT8, "output")) || (st = ti_check_quant(it, a, "input 1")) ||
        (st = ti_check_quant(it, b, "input 2")) || (st = ti_check_quant(it, out, "output"))) {
        return st;
    }
    // Broadcast: aligned from the right, each input dimension equals the output's or is 1.
    if (a->ndim > out->ndim || b->ndim > out->ndim) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(BINARY_RANK));
    }
    p->broadcast = 0;
    for (unsigned k = 0; k < out->ndim; k++) {
        int32_t d = out->dims[out->ndim - 1 - k];
        int32_t da = k < a->ndim ? a->dims[a->ndim - 1 - k] : 1;
        int32_t db = k < b->ndim ? b->dims[b->ndim - 1 - k] : 1;
        if ((da != d && da != 1) || (db != d && db != 1) || (da != d && db != d)) {
            return ti_fail(it, TI_ERR_SHAPE, TI_T(BROADCAST));
        }
        if (da != d || db != d) {
            p->broadcast = 1;
        }
    }
    if (ti_elements(a) != ti_elements(out) || ti_elements(b) != ti_elements(out)) {
        p->broadcast = 1;
    }
    p->in1_offset = -a->zero_point;
    p->in2_offset = -b->zero_point;
    p->out_offset = out->zero_point;
    if (mul) {
        double m = ti_ddiv(ti_dmul(ti_d_from_f(a->scale), ti_d_from_f(b->scale)), ti_d_from_f(out->scale));
        st = ti_quantize_multiplier(it, m, &p->mo, &p->so);
    } else {
        p->left_shift = 20;
        double sa = ti_d_from_f(a->scale), sb = ti_d_from_f(b->scale);
        double twice_max = ti_dmul(2.0, ti_d_less(sa, sb) ? sb : sa);
        if ((st = ti_quantize_multiplier(it, ti_ddiv(sa, twice_max), &p->m1, &p->s1)) ||
            (st = ti_quantize_multiplier(it, ti_ddiv(sb, twice_max), &p->m2, &p->s2))) {
            return st;
        }
        st = ti_quantize_multiplier(it, ti_ddiv(twice_max, ti_dmul((double)(1 << 20), ti_d_from_f(out->scale))), &p->mo, &p->so);
        if (st == TI_OK && p->so > 0) {
            return ti_fail(it, TI_ERR_QUANT, TI_T(BINARY_SCALE));
        }
    }
    if (st != TI_OK) {
        return st;
    }
    return ti_activation_range(it, ti_opt_i8(it, op, BIN_ACT, 0), out, &p->act_min, &p->act_max);
}

ti_status_t ti_add_prepare(ti_interp_t *it, ti_op_t *op) {
    return binary_prepare(it, op, 0);
}

ti_status_t ti_sub_prepare(ti_interp_t *it, ti_op_t *op) {
    return binary_prepare(it, op, 0);
}

ti_status_t ti_mul_prepare(ti_interp_t *it, ti_op_t *op) {
    return binary_prepare(it, op, 1);
}

enum { OP_ADD, OP_SUB, OP_MUL };

static inline int8_t combine(const ti_binary_params_t *p, int32_t x1, int32_t x2, int kind) {
    int32_t v1 = x1 + p->in1_offset, v2 = x2 + p->in2_offset, r;
    if (kind == OP_MUL) {
        r = p->out_offset + ti_mbqm(v1 * v2, p->mo, p->so);
    } else {
        int32_t s1 = ti_mbqm(v1 * (1 << 20), p->m1, p->s1);
        int32_t s2 = ti_mbqm(v2 * (1 << 20), p->m2, p->s2);
        r = ti_mbqm(kind == OP_ADD ? s1 + s2 : s1 - s2, p->mo, p->so) + p->out_offset;
    }
    r = r < p->act_min ? p->act_min : r;
    return (int8_t)(r > p->act_max ? p->act_max : r);
}

// Strides of `t` over the output's dimensions (0 along broadcast dimensions).
// Unsigned: with a zero dimension elsewhere (no elements, nothing is read) the
// product of the others may exceed int32; it must wrap, not be undefined.
static void broadcast_strides(const ti_tensor_t *t, const ti_tensor_t *out, int32_t *strides) {
    uint32_t stride = 1;
    for (int k = out->ndim - 1; k >= 0; k--) {
        int ti = k - (out->ndim - t->ndim);
        uint32_t d = ti >= 0 ? (uint32_t)t->dims[ti] : 1;
        strides[k] = d == 1 ? 0 : (int32_t)stride;
        stride *= d;
    }
}

static void binary_eval(ti_interp_t *it, const ti_op_t *op, int kind) {
    const ti_tensor_t *a = ti_in(it, op, 0), *b = ti_in(it, op, 1), *out = ti_out(it, op, 0);
    const ti_binary_params_t *p = &op->p.bin;
    const int8_t *x1 = (const int8_t *)a->data, *x2 = (const int8_t *)b->data;
    int8_t *y = (int8_t *)out->data;
    uint32_t n = ti_elements(out);
    if (!p->broadcast) {
        for (uint32_t i = 0; i < n; i++) {
            y[i] = combine(p, x1[i], x2[i], kind);
        }
        return;
    }
    int32_t sa[TI_MAX_DIMS], sb[TI_MAX_DIMS], idx[TI_MAX_DIMS] = {0};
    broadcast_strides(a, out, sa);
    broadcast_strides(b, out, sb);
    int32_t ia = 0, ib = 0;
    int last = out->ndim - 1;
    for (uint32_t i = 0; i < n; i++) {
        y[i] = combine(p, x1[ia], x2[ib], kind);
        // Odometer over the output index.
        for (int k = last; k >= 0; k--) {
            idx[k]++;
            ia += sa[k];
            ib += sb[k];
            if (idx[k] < out->dims[k]) {
                break;
            }
            ia -= sa[k] * idx[k];
            ib -= sb[k] * idx[k];
            idx[k] = 0;
        }
    }
}

void ti_add_eval(ti_interp_t *it, const ti_op_t *op) {
    binary_eval(it, op, OP_ADD);
}

void ti_sub_eval(ti_interp_t *it, const ti_op_t *op) {
    binary_eval(it, op, OP_SUB);
}

void ti_mul_eval(ti_interp_t *it, const ti_op_t *op) {
    binary_eval(it, op, OP_MUL);
}
