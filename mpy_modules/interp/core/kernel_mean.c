// MEAN on int8 over any set of axes: int32 sums (in the op's scratch), then one
// requantization by (in_scale / out_scale) / n, with n folded into the multiplier the
// way TFLM's reference does (shifted left by floor(log2 n), integer-divided by n).
#include "ti_kernels.h"

enum { REDUCER_KEEP_DIMS = 0 };

// floor(m 2^k / n) for m < 2^31, 2^k <= n < 2^23, by long division in 32 bits (the quotient
// is at most m; no 64-bit division helper in the module).
static uint32_t shifted_quotient(uint32_t m, int k, uint32_t n) {
    uint32_t q = 0, r = 0;
    for (int i = 30 + k; i >= 0; i--) {
        r = (r << 1) | (i >= k ? (m >> (i - k)) & 1u : 0u);
        q <<= 1;
        if (r >= n) {
            r -= n;
            q |= 1u;
        }
    }
    return q;
}

ti_status_t ti_mean_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_shape_params_t *p = &op->p.shp;
    ti_tensor_t *in, *out, *axes;
    ti_status_t st = ti_check_io(it, op, 2, TI_INT8, TI_INT8, TI_QUANT_IN | TI_QUANT_OUT, &in, &out);
    if (st != TI_OK || (st = ti_check_type(it, axes = ti_in(it, op, 1), TI_INT32, "axis")) != TI_OK) {
        return st;
    }
    uint32_t n_axes = ti_elements(axes);
    if (!axes->is_const || n_axes > TI_MAX_DIMS) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(MEAN_AXIS));
    }
    // p->stride[k]: 1 when dimension k is reduced.
    for (unsigned k = 0; k < TI_MAX_DIMS; k++) {
        p->stride[k] = 0;
    }
    for (uint32_t j = 0; j < n_axes; j++) {
        int32_t a = ti_load_i32(axes->data + 4 * j);
        a = a < 0 ? a + in->ndim : a;
        if (a < 0 || a >= in->ndim) {
            return ti_fail(it, TI_ERR_SHAPE, TI_T(AXIS_RANGE));
        }
        p->stride[a] = 1;
    }
    int keep = ti_opt_i8(it, op, REDUCER_KEEP_DIMS, 0) != 0;
    int out_k = 0, last = -1, runs = 0;
    uint32_t n = 1;  // capped at 2^24: above 0x7fffff is refused
    // size[0..1]: the kept dimensions before and after the first reduced one; with the
    // reduced axes in one run (global average pooling over H, W) the input is
    // [outer, n, inner] and eval sums it without index bookkeeping.
    p->size[0] = p->size[1] = 1;
    for (int k = 0; k < in->ndim; k++) {
        if (p->stride[k]) {
            runs += last < 0 || last != k - 1;
            last = k;
        } else {
            p->size[runs > 0] *= in->dims[k];
        }
        if (p->stride[k]) {
            uint32_t d = (uint32_t)in->dims[k];
            n = d && n > 0xffffffu / d ? 0x1000000u : n * d;
            if (keep && (out_k >= out->ndim || out->dims[out_k++] != 1)) {
                return ti_fail(it, TI_ERR_SHAPE, TI_T(MEAN_SHAPE));
            }
        } else if (out_k >= out->ndim || out->dims[out_k++] != in->dims[k]) {
            return ti_fail(it, TI_ERR_SHAPE, TI_T(MEAN_SHAPE));
        }
    }
    if (out_k != out->ndim || n > 0x7fffff) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(MEAN_SHAPE));
    }
    int32_t mult, shift;
    if ((st = ti_quantize_multiplier(it, ti_ddiv(ti_d_from_f(in->scale), ti_d_from_f(out->scale)), &mult, &shift)) != TI_OK) {
        return st;
    }
    if (n > 0) {
        int log2n = 0;
        while ((2u << log2n) <= n) {
            log2n++;
        }
        log2n = log2n < 31 + shift ? log2n : 31 + shift;
        if (log2n < 0) {
            log2n = 0;
        }
        mult = (int32_t)shifted_quotient((uint32_t)mult, log2n, n);
        shift -= log2n;
    }
    p->mult = mult;
    p->shift = shift;
    p->axis = runs == 1 && p->size[1] % 4 == 0;
    p->count = (int32_t)n;
    p->in_zp = in->zero_point;
    p->out_zp = out->zero_point;
    op->scratch_bytes = 4u * ti_elements(out);
    return TI_OK;
}

// Any set of axes: walks the input in order with an index per dimension.
static void mean_any(int32_t *sums, uint32_t n_out, const int8_t *x, const ti_tensor_t *in,
                     const ti_shape_params_t *p) {
    uint32_t n_in = ti_elements(in);
    for (uint32_t o = 0; o < n_out; o++) {
        sums[o] = 0;
    }
    // Output strides over the input's dimensions (0 along reduced ones).
    int nd = in->ndim;
    int32_t ostride[TI_MAX_DIMS], idx[TI_MAX_DIMS] = {0}, s = 1;
    for (int k = nd - 1; k >= 0; k--) {
        ostride[k] = p->stride[k] ? 0 : s;
        s *= p->stride[k] ? 1 : in->dims[k];
    }
    int32_t o = 0;
    for (uint32_t i = 0; i < n_in; i++) {
        sums[o] = ti_wrap_add(sums[o], x[i]);
        for (int k = nd - 1; k >= 0; k--) {
            o += ostride[k];
            if (++idx[k] < in->dims[k]) {
                break;
            }
            o -= ostride[k] * idx[k];
            idx[k] = 0;
        }
    }
}

// sums[j] = sum(v[r * stride + j]), j < 4, r < count, with v word aligned and stride a
// multiple of 4 bytes.
#if defined(__thumb__) && !defined(__thumb2__)
// Cortex-M0+: one word load per 4 channels (4 cycles per element).
__attribute__((naked, noinline)) static void mean_sum4(int32_t *sums, const int8_t *v, int32_t count,
                                                        int32_t stride) {
    (void)sums, (void)v, (void)count, (void)stride;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "push {r0}\n"
        "muls r2, r3\n adds r2, r1, r2\n mov r12, r2\n"  // end
        "movs r4, #0\n movs r5, #0\n movs r6, #0\n movs r7, #0\n"
        "cmp r1, r12\n beq 2f\n"
        "1:\n"
        "ldr r0, [r1]\n adds r1, r1, r3\n"
        "sxtb r2, r0\n adds r4, r4, r2\n"
        "lsls r2, r0, #16\n asrs r2, r2, #24\n adds r5, r5, r2\n"
        "lsls r2, r0, #8\n asrs r2, r2, #24\n adds r6, r6, r2\n"
        "asrs r0, r0, #24\n adds r7, r7, r0\n"
        "cmp r1, r12\n bne 1b\n"
        "2:\n"
        "pop {r0}\n"
        "stm r0!, {r4-r7}\n"
        "pop {r4-r7, pc}\n"
        ".syntax divided\n");
}
#else
static void mean_sum4(int32_t *sums, const int8_t *v, int32_t count, int32_t stride) {
    for (int32_t j = 0; j < 4; j++) {
        uint32_t s = 0;
        for (int32_t r = 0; r < count; r++) {
            s += (uint32_t)v[r * stride + j];
        }
        sums[j] = (int32_t)s;
    }
}
#endif

void ti_mean_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    const ti_shape_params_t *p = &op->p.shp;
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    int32_t *sums = (int32_t *)(it->arena + op->scratch_offset);
    uint32_t n_out = ti_elements(out);
    if (p->axis && ((uintptr_t)x & 3) == 0) {
        // [outer, count, inner], inner a multiple of 4: 4 channels per word.
        int32_t inner = p->size[1], j = 0;
        for (int32_t a = 0; a < p->size[0]; a++, x += p->count * inner) {
            for (int32_t c = 0; c < inner; c += 4, j += 4) {
                mean_sum4(sums + j, x + c, p->count, inner);
            }
        }
    } else {
        mean_any(sums, n_out, x, in, p);
    }
    for (uint32_t j = 0; j < n_out; j++) {
        int32_t v = p->count ? ti_mbqm(ti_wrap_sub(sums[j], p->in_zp * p->count), p->mult, p->shift) + p->out_zp : 0;
        y[j] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
    }
}

