// Prepare-time helpers shared by the kernels: checks, multipliers, activation ranges.
#include <string.h>

#include "ti_internal.h"

uint32_t ti_elements(const ti_tensor_t *t) {
    uint32_t n = 1;
    for (unsigned k = 0; k < t->ndim; k++) {
        n *= (uint32_t)t->dims[k];
    }
    return n;
}

int ti_same_shape(const ti_tensor_t *a, const ti_tensor_t *b) {
    if (a->ndim != b->ndim) {
        return 0;
    }
    for (unsigned k = 0; k < a->ndim; k++) {
        if (a->dims[k] != b->dims[k]) {
            return 0;
        }
    }
    return 1;
}

ti_status_t ti_check_arity(ti_interp_t *it, const ti_op_t *op, unsigned min_in, unsigned max_in, unsigned n_out) {
    if (op->n_in < min_in || op->n_in > max_in || op->n_out != n_out) {
        return ti_fail(it, TI_ERR_MALFORMED, TI_T(ARITY));
    }
    for (unsigned k = 0; k < min_in; k++) {
        if (!ti_in(it, op, k)) {
            return ti_fail_n(it, TI_ERR_MALFORMED, TI_T(REQUIRED_INPUT), (int32_t)k, TI_T(IS_MISSING));
        }
    }
    return TI_OK;
}

// The TI_T code of a type's name.
static const char *type_name(uint8_t type) {
    return (const char *)(uintptr_t)(type <= TI_INT8 ? TI_TX_TYPE_0 + type : TI_TX_TYPE_UNKNOWN);
}

ti_status_t ti_check_type(ti_interp_t *it, const ti_tensor_t *t, uint8_t type, const char *role) {
    if (t->type == type) {
        return TI_OK;
    }
    char what[TI_MSG_LEN];
    size_t p = 0;
    const char *parts[] = {role, TI_T(MUST_BE), type_name(type), TI_T(NOT), type_name(t->type)};
    for (unsigned k = 0; k < 5; k++) {
        p = ti_msg_append(what, p, parts[k]);
    }
    return ti_fail(it, TI_ERR_TYPE, what);
}

ti_status_t ti_check_io(ti_interp_t *it, const ti_op_t *op, unsigned n_in, uint8_t in_type, uint8_t out_type,
                        unsigned quant, ti_tensor_t **in, ti_tensor_t **out) {
    ti_status_t st = ti_check_arity(it, op, n_in, n_in, 1);
    if (st != TI_OK) {
        return st;
    }
    *in = ti_in(it, op, 0);
    *out = ti_out(it, op, 0);
    if ((st = ti_check_type(it, *in, in_type, "input")) || (st = ti_check_type(it, *out, out_type, "output")) ||
        ((quant & TI_QUANT_IN) && (st = ti_check_quant(it, *in, "input"))) ||
        ((quant & TI_QUANT_OUT) && (st = ti_check_quant(it, *out, "output")))) {
        return st;
    }
    return TI_OK;
}

ti_status_t ti_check_quant(ti_interp_t *it, const ti_tensor_t *t, const char *role) {
    if (ti_scale_ok(t->scale)) {
        return TI_OK;
    }
    char what[TI_MSG_LEN];
    size_t p = 0;
    for (const char *s = role; *s && p < 40; s++) {
        what[p++] = *s;
    }
    what[p] = 0;
    ti_msg_append(what, p, TI_T(NO_QUANT));
    return ti_fail(it, TI_ERR_QUANT, what);
}

// *q = zero point + round(n / scale), the division in float as TFLM's (n is small: exact as
// a float and as a double, so dividing the doubles and rounding to float is the same). 0 when
// the quotient leaves int32: TFLM casts it to int32, undefined (its x86 and Arm builds
// disagree), so there is no reference answer. Below 2^31 floats are integers from 2^24 on,
// and zero points are int8's or 0: the sum fits.
static int quantize_checked(int32_t n, const ti_tensor_t *t, int32_t *q) {
    float f = ti_f_from_d(ti_ddiv(ti_d_from_i(n), ti_d_from_f(t->scale)));
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if ((bits & 0x7fffffffu) >= 0x4f000000u) {
        return 0;
    }
    *q = t->zero_point + ti_d_round(ti_d_from_f(f));
    return 1;
}

ti_status_t ti_activation_range(ti_interp_t *it, int32_t act, const ti_tensor_t *out, int32_t *lo, int32_t *hi) {
    // act 1 relu [0, -], 2 relu_n1_to_1 [-1, 1], 3 relu6 [0, 6]; 0 none.
    static const int8_t real_lo[4] = {0, 0, -1, 0}, real_hi[4] = {0, 0, 1, 6};
    int32_t qmin = out->type == TI_INT16 ? -32768 : -128;
    int32_t qmax = out->type == TI_INT16 ? 32767 : 127;
    if (act < 0 || act > 3) {
        return ti_fail_n(it, TI_ERR_UNSUPPORTED_OP, TI_T(FUSED_ACTIVATION), act, TI_T(NOT_SUPPORTED));
    }
    int32_t a = qmin, b = qmax;
    if ((act && !quantize_checked(real_lo[act], out, &a)) || (act >= 2 && !quantize_checked(real_hi[act], out, &b))) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(ACT_SCALE));
    }
    *lo = a > qmin ? a : qmin;
    *hi = b < qmax ? b : qmax;
    if (*lo > *hi) {
        *lo = *hi;
    }
    return TI_OK;
}

int ti_scale_ok(float scale) {
    // Positive floats order like their bit patterns.
    const float limit = 1e30f;
    uint32_t bits, top;
    memcpy(&bits, &scale, 4);
    memcpy(&top, &limit, 4);
    return bits != 0 && bits < top;
}

int ti_same_quant(const ti_tensor_t *a, const ti_tensor_t *b) {
    uint32_t x, y;
    memcpy(&x, &a->scale, 4);
    memcpy(&y, &b->scale, 4);
    return a->zero_point == b->zero_point && x == y;
}

float ti_channel_scale(const ti_interp_t *it, const ti_tensor_t *t, uint32_t c) {
    if (t->scales.n == 0) {
        return 0.0f;
    }
    if (c >= t->scales.n) {
        c = 0;
    }
    uint32_t bits = ti_rd_u32(it->fb.buf + t->scales.pos + 4 * c);
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

int32_t *ti_chan_alloc(ti_interp_t *it, uint32_t n) {
    if (n > it->chan_cap - it->chan_used) {
        return 0;
    }
    int32_t *p = it->chan_pool + it->chan_used;
    it->chan_used += n;
    return p;
}
