// LOGISTIC and TANH, int8, with gemmlowp's fixed-point logistic and tanh (ti_fixed_exp.h)
// exactly as TFLM's reference kernels.
#include "kernel_unary.h"
#include "ti_fixed_exp.h"

#define INPUT_INTEGER_BITS 4

// LOGISTIC / TANH: the input is brought to q4 by input_scale * 2^27, then gemmlowp.
// The output scale must be 1/256 (logistic) or 1/128 (tanh), within 0.1%.
static ti_status_t sigmoid_prepare(ti_interp_t *it, ti_op_t *op, int32_t out_zp, double lo, double hi) {
    ti_unary_params_t *p = &op->p.un;
    ti_status_t st = ti_unary_common(it, op, TI_INT8, TI_INT8);
    if (st != TI_OK) {
        return st;
    }
    ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    double scale = ti_d_from_f(out->scale);
    if (out->zero_point != out_zp || ti_d_less(scale, lo) || ti_d_less(hi, scale)) {
        return ti_fail_n(it, TI_ERR_QUANT, TI_T(SIGMOID_OUTPUT_ZP), out_zp,
                         out_zp ? TI_T(SCALE_256) : TI_T(SCALE_128));
    }
    double real = ti_dmul(ti_d_from_f(in->scale), (double)(1 << (31 - INPUT_INTEGER_BITS)));
    if ((st = ti_quantize_multiplier(it, real, &p->mult, &p->shift)) != TI_OK) {
        return st;
    }
    if (p->shift < 0) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(INPUT_SCALE_SMALL));
    }
    uint64_t radius = (((uint64_t)1 << INPUT_INTEGER_BITS) - 1) << (31 - INPUT_INTEGER_BITS);
    p->radius = (int32_t)(radius >> p->shift);
    return TI_OK;
}

ti_status_t ti_logistic_prepare(ti_interp_t *it, ti_op_t *op) {
    return sigmoid_prepare(it, op, -128, 0.999 / 256, 1.001 / 256);
}

ti_status_t ti_tanh_prepare(ti_interp_t *it, ti_op_t *op) {
    return sigmoid_prepare(it, op, 0, 0.999 / 128, 1.001 / 128);
}

static void sigmoid_eval(ti_interp_t *it, const ti_op_t *op, int tanh) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    const ti_unary_params_t *p = &op->p.un;
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    uint32_t n = ti_elements(in);
    for (uint32_t i = 0; i < n; i++) {
        int32_t v = x[i] - p->in_zp;
        if (v <= -p->radius) {
            v = -128;
        } else if (v >= p->radius) {
            v = 127;
        } else {
            int32_t q4 = ti_mbqm(v, p->mult, p->shift);
            if (tanh) {
                v = ti_rdbpot(ti_tanh_q4(q4), 31 - 7);   // q0 -> 1/128 steps
            } else {
                v = ti_rdbpot(ti_logistic_q4(q4), 31 - 8) - 128;  // q0 -> 1/256 steps
            }
            v = v < -128 ? -128 : v > 127 ? 127 : v;
        }
        y[i] = (int8_t)v;
    }
}

void ti_logistic_eval(ti_interp_t *it, const ti_op_t *op) {
    sigmoid_eval(it, op, 0);
}

void ti_tanh_eval(ti_interp_t *it, const ti_op_t *op) {
    sigmoid_eval(it, op, 1);
}
