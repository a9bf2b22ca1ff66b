// Element-wise int8 activations and (de)quantization: RELU, RELU6, QUANTIZE (float32 ->
// int8, or int8 requantize), DEQUANTIZE (int8 -> float32). LOGISTIC, TANH: kernel_sigmoid.c.
#include "kernel_unary.h"

// RELU / RELU6: requantize to the output scale, then clamp (TFLM's ReluQuantized).
static ti_status_t relu_prepare(ti_interp_t *it, ti_op_t *op, int32_t act) {
    ti_unary_params_t *p = &op->p.un;
    ti_status_t st = ti_unary_common(it, op, TI_INT8, TI_INT8);
    if (st != TI_OK) {
        return st;
    }
    ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    if ((st = ti_quantize_multiplier(it, ti_ddiv(ti_d_from_f(in->scale), ti_d_from_f(out->scale)), &p->mult, &p->shift)) != TI_OK) {
        return st;
    }
    return ti_activation_range(it, act, out, &p->act_min, &p->act_max);
}

ti_status_t ti_relu_prepare(ti_interp_t *it, ti_op_t *op) {
    return relu_prepare(it, op, 1);
}

// RELU6 clamps in the input's quantization and does not requantize (TFLM's Relu6):
// [zero point, zero point + round(6 / input scale)].
ti_status_t ti_relu6_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_unary_params_t *p = &op->p.un;
    ti_status_t st = ti_unary_common(it, op, TI_INT8, TI_INT8);
    if (st != TI_OK) {
        return st;
    }
    return ti_activation_range(it, 3, ti_in(it, op, 0), &p->act_min, &p->act_max);
}

static void requantize_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    const ti_unary_params_t *p = &op->p.un;
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    uint32_t n = ti_elements(in);
    for (uint32_t i = 0; i < n; i++) {
        int32_t v = p->out_zp + ti_mbqm(x[i] - p->in_zp, p->mult, p->shift);
        v = v < p->act_min ? p->act_min : v;
        y[i] = (int8_t)(v > p->act_max ? p->act_max : v);
    }
}

void ti_relu_eval(ti_interp_t *it, const ti_op_t *op) {
    requantize_eval(it, op);
}

void ti_relu6_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    const ti_unary_params_t *p = &op->p.un;
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    uint32_t n = ti_elements(in);
    for (uint32_t i = 0; i < n; i++) {
        int32_t v = x[i] < p->act_min ? p->act_min : x[i];
        y[i] = (int8_t)(v > p->act_max ? p->act_max : v);
    }
}

// QUANTIZE: float32 -> int8 (round(x / scale) + zp), or int8 -> int8 requantization.
ti_status_t ti_quantize_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_unary_params_t *p = &op->p.un;
    ti_tensor_t *in = ti_in(it, op, 0);
    ti_status_t st = ti_unary_common(it, op, in && in->type == TI_INT8 ? TI_INT8 : TI_FLOAT32, TI_INT8);
    if (st != TI_OK) {
        return st;
    }
    ti_tensor_t *out = ti_out(it, op, 0);
    p->act_min = -128;
    p->act_max = 127;
    p->scale = out->scale;
    if (in->type == TI_INT8) {
        return ti_quantize_multiplier(it, ti_ddiv(ti_d_from_f(in->scale), ti_d_from_f(out->scale)), &p->mult, &p->shift);
    }
    return TI_OK;
}

void ti_quantize_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    const ti_unary_params_t *p = &op->p.un;
    if (in->type == TI_INT8) {
        requantize_eval(it, op);
        return;
    }
    const float *x = (const float *)in->data;
    int8_t *y = (int8_t *)out->data;
    uint32_t n = ti_elements(in);
    for (uint32_t i = 0; i < n; i++) {
        int32_t v = ti_d_round(ti_d_from_f(ti_fdiv(x[i], p->scale)));
        v = v < -1000 ? -1000 : v > 1000 ? 1000 : v;
        v += p->out_zp;
        y[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
    }
}

// DEQUANTIZE: int8 -> float32, (x - zp) * scale computed in double as the reference.
ti_status_t ti_dequantize_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_status_t st = ti_unary_common(it, op, TI_INT8, TI_FLOAT32);
    if (st == TI_OK) {
        op->p.un.dscale = ti_d_from_f(ti_in(it, op, 0)->scale);
    }
    return st;
}

void ti_dequantize_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    const ti_unary_params_t *p = &op->p.un;
    const int8_t *x = (const int8_t *)in->data;
    float *y = (float *)out->data;
    uint32_t n = ti_elements(in);
    for (uint32_t i = 0; i < n; i++) {
        y[i] = ti_f_from_d(ti_dmul(p->dscale, ti_d_from_i(x[i] - p->in_zp)));
    }
}
