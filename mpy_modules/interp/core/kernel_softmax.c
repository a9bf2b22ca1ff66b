// SOFTMAX int8 -> int8 (output scale 1/256, zero point -128) with gemmlowp's fixed-point
// exp and reciprocal, exactly as TFLM's reference: differences to the row maximum are
// scaled to q5 by beta * input_scale, exp'd to q0, summed in q12.
#include <string.h>

#include "ti_fixed_exp.h"
#include "ti_kernels.h"

enum { SOFTMAX_BETA = 0 };
#define DIFF_INTEGER_BITS 5
#define ACCUM_INTEGER_BITS 12

ti_status_t ti_softmax_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_unary_params_t *p = &op->p.un;
    ti_tensor_t *in, *out;
    ti_status_t st = ti_check_io(it, op, 1, TI_INT8, TI_INT8, TI_QUANT_IN | TI_QUANT_OUT, &in, &out);
    if (st != TI_OK) {
        return st;
    }
    if (!ti_same_shape(in, out) || in->ndim < 1) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(SHAPES_DIFFER));
    }
    // 0.999 / 256 <= out scale <= 1.001 / 256, as float bits (positive floats order like
    // their bits): the nearest floats inside those bounds.
    uint32_t out_bits;
    memcpy(&out_bits, &out->scale, 4);
    if (out->zero_point != -128 || out_bits < 0x3b7fbe77u || out_bits > 0x3b8020c4u) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(SOFTMAX_OUTPUT));
    }
    float beta = ti_opt_f32(it, op, SOFTMAX_BETA, 1.0f);
    double real = ti_dmul(ti_dmul(ti_d_from_f(beta), ti_d_from_f(in->scale)), (double)(1 << (31 - DIFF_INTEGER_BITS)));
    if (ti_d_less(2147483647.0, real)) {
        real = 2147483647.0;
    }
    // TFLM checks real > 1 (QuantizeMultiplierGreaterThanOne) and stops there: refused, as
    // there is no reference answer (a converter emits this when it saw only zeros).
    if (!ti_d_less(1.0, real)) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(BETA_SMALL));
    }
    if ((st = ti_quantize_multiplier(it, real, &p->mult, &p->shift)) != TI_OK) {
        return st;
    }
    // Largest |difference| whose scaled value still fits q5 (TFLM's CalculateInputRadius).
    uint32_t radius = ((1u << DIFF_INTEGER_BITS) - 1) << (31 - DIFF_INTEGER_BITS);  // below 2^31
    radius >>= p->shift;  // 0..31
    p->radius = -(int32_t)radius;
    return TI_OK;
}

// exp(x[c] - max) as gemmlowp computes it (q0.31), or -1 below the cutoff diff_min.
static int32_t softmax_exp(int32_t diff, const ti_unary_params_t *p) {
    if (diff < p->radius) {
        return -1;
    }
    int32_t scaled = ti_srdhm((int32_t)((uint32_t)diff << p->shift), p->mult);  // q5
    return ti_exp_on_negative_values(scaled, DIFF_INTEGER_BITS);
}

void ti_softmax_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    const ti_unary_params_t *p = &op->p.un;
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    int32_t depth = in->dims[in->ndim - 1];
    uint32_t rows = depth ? ti_elements(in) / (uint32_t)depth : 0;
    for (uint32_t r = 0; r < rows; r++, x += depth, y += depth) {
        int32_t max = -128;
        for (int32_t c = 0; c < depth; c++) {
            max = x[c] > max ? x[c] : max;
        }
        int32_t sum = 0;  // q12
        for (int32_t c = 0; c < depth; c++) {
            int32_t e = softmax_exp(x[c] - max, p);
            if (e >= 0) {
                sum = ti_wrap_add(sum, ti_rdbpot(e, ACCUM_INTEGER_BITS));
            }
        }
        int bits_over_unit;
        int32_t reciprocal = ti_reciprocal(sum, ACCUM_INTEGER_BITS, &bits_over_unit);  // q0
        for (int32_t c = 0; c < depth; c++) {
            int32_t e = softmax_exp(x[c] - max, p), v = -128;
            if (e >= 0) {
                v = ti_rdbpot(ti_srdhm(reciprocal, e), bits_over_unit + 31 - 8) - 128;
                v = v > 127 ? 127 : v < -128 ? -128 : v;
            }
            y[c] = (int8_t)v;
        }
    }
}
