// The variants conv_generic, the convolutions the stream path (kernel_conv.c) does not take
// (grouped, dilated, a weight of -128, a single output pixel, windows too large), and
// fc_generic, FULLY_CONNECTED with weights that have a zero point. On the board they are
// interp_convx.mpy, imported only by the models that take one.
#include <string.h>

#include "kernel_conv_dot.h"

// One output through ti_requant_run (linked in anyway; smaller than a C copy).
static __attribute__((noinline)) int8_t requant1(int32_t acc, const ti_conv_params_t *p, int32_t c) {
    int8_t y;
    requant_t rq = {p->mult + c, p->shift + c, p->out_offset, p->act_min, p->act_max};
    ti_requant_run(&y, &acc, 1, &rq);
    return y;
}

// One output value of a (grouped, dilated, padded) convolution, as the reference computes it.
static uint32_t conv_generic(const ti_conv_params_t *p, const conv_shape_t *s, int32_t b, int32_t y0, int32_t x0,
                             int32_t c) {
    int32_t g0 = (c / s->per_group) * s->fic;
    uint32_t acc = 0;
    for (int32_t ky = 0; ky < p->filter_h; ky++) {
        int32_t yy = y0 + ky * p->dil_h;
        if (yy < 0 || yy >= s->ih) {
            continue;
        }
        for (int32_t kx = 0; kx < p->filter_w; kx++) {
            int32_t xx = x0 + kx * p->dil_w;
            if (xx < 0 || xx >= s->iw) {
                continue;
            }
            const int8_t *xp = s->x + ((b * s->ih + yy) * s->iw + xx) * s->ic + g0;
            const int8_t *wp = s->w + ((c * p->filter_h + ky) * p->filter_w + kx) * s->fic;
            for (int32_t k = 0; k < s->fic; k++) {
                acc += (uint32_t)(wp[k] * (xp[k] + p->in_offset));
            }
        }
    }
    return acc;
}

// Copies the window at (y0, x0) row by row into dst; cells outside the image get the
// input zero point (= -in_offset), which contributes nothing to sum(w * (x + in_offset)).
static void gather_window(int8_t *dst, const conv_shape_t *s, const ti_conv_params_t *p, int32_t b, int32_t y0,
                          int32_t x0, int32_t row) {
    int8_t zp = (int8_t)(-p->in_offset);
    for (int32_t ky = 0; ky < p->filter_h; ky++, dst += row) {
        int32_t yy = y0 + ky;
        if (yy < 0 || yy >= s->ih) {
            memset(dst, zp, (size_t)row);
            continue;
        }
        const int8_t *src = s->x + ((b * s->ih + yy) * s->iw) * s->ic;
        if (x0 >= 0 && x0 + p->filter_w <= s->iw) {
            memcpy(dst, src + x0 * s->ic, (size_t)row);
            continue;
        }
        for (int32_t kx = 0; kx < p->filter_w; kx++) {
            int32_t xx = x0 + kx;
            if (xx < 0 || xx >= s->iw) {
                memset(dst + kx * s->ic, zp, (size_t)s->ic);
            } else {
                memcpy(dst + kx * s->ic, src + xx * s->ic, (size_t)s->ic);
            }
        }
    }
}

// After ti_conv_prepare (p complete): the scratch.
ti_status_t ti_conv_generic_prepare(ti_interp_t *it, ti_op_t *op) {
    const ti_tensor_t *w = ti_in(it, op, 1);
    // Windows whose rows are not adjacent in memory, or that hang over the edge, are
    // gathered once per output pixel for dot2_s8 (cells outside the image take the input
    // zero point, so they add w * 0 like the reference's skipped cells); then every channel
    // is one contiguous dot product. Without folded offsets, conv_generic per output.
    op->scratch_bytes = 0;
    if (op->p.conv.fold && w->dims[1] * w->dims[2] > 1) {
        op->scratch_bytes = (uint32_t)(w->dims[1] * w->dims[2] * w->dims[3]);
    }
    return TI_OK;
}

void ti_conv_generic_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *w = ti_in(it, op, 1), *bias = ti_in(it, op, 2);
    const ti_tensor_t *out = ti_out(it, op, 0);
    const ti_conv_params_t *p = &op->p.conv;
    conv_shape_t s = {(const int8_t *)in->data, (const int8_t *)w->data, in->dims[1], in->dims[2], in->dims[3],
                      w->dims[3], out->dims[3], 0};
    s.per_group = s.oc / (s.ic / s.fic);
    int8_t *y = (int8_t *)out->data;
    int32_t oh = out->dims[1], ow = out->dims[2], fh = p->filter_h, fw = p->filter_w;
    int32_t row = fw * s.ic;  // bytes of one window row, contiguous when groups == 1
    int8_t *gather = op->scratch_bytes ? (int8_t *)(it->arena + op->scratch_offset) : 0;
    int dense = p->fold && p->dil_w == 1 && p->dil_h == 1;
    for (int32_t b = 0; b < in->dims[0]; b++) {
        for (int32_t oy = 0; oy < oh; oy++) {
            int32_t y0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < ow; ox++) {
                int32_t x0 = ox * p->stride_w - p->pad_w;
                int inside = y0 >= 0 && x0 >= 0 && y0 + fh <= s.ih && x0 + fw <= s.iw;
                int fast = dense && (inside || gather);
                const int8_t *window = s.x + ((b * s.ih + y0) * s.iw + x0) * s.ic;
                if (fast && !inside) {
                    gather_window(gather, &s, p, b, y0, x0, row);
                    window = gather;
                } else if (fast && gather && fh > 1 && fw != s.iw) {
                    for (int32_t ky = 0; ky < fh; ky++) {
                        memcpy(gather + ky * row, window + ky * s.iw * s.ic, (size_t)row);
                    }
                    window = gather;
                }
                for (int32_t c = 0; c < s.oc; c += 2) {
                    int32_t c1 = c + 1 < s.oc ? c + 1 : c;  // an odd last channel twice
                    uint32_t a0, a1;
                    if (fast) {
                        int32_t n = fh * row;
                        a0 = (uint32_t)p->fold[c];
                        a1 = (uint32_t)p->fold[c1];
                        dot2_s8(window, s.w + c * n, s.w + c1 * n, n, &a0, &a1);
                    } else {
                        a0 = conv_generic(p, &s, b, y0, x0, c);
                        a1 = conv_generic(p, &s, b, y0, x0, c1);
                        if (bias) {
                            a0 += (uint32_t)ti_load_i32(bias->data + 4 * c);
                            a1 += (uint32_t)ti_load_i32(bias->data + 4 * c1);
                        }
                    }
                    *y++ = requant1((int32_t)a0, p, c);
                    if (c1 != c) {
                        *y++ = requant1((int32_t)a1, p, c1);
                    }
                }
            }
        }
    }
}

ti_status_t ti_fc_generic_prepare(ti_interp_t *it, ti_op_t *op) {
    (void)it, (void)op;
    return TI_OK;
}

void ti_fc_generic_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *w = ti_in(it, op, 1), *bias = ti_in(it, op, 2);
    const ti_conv_params_t *p = &op->p.conv;
    const int8_t *x = (const int8_t *)in->data, *wd = (const int8_t *)w->data;
    int8_t *y = (int8_t *)ti_out(it, op, 0)->data;
    int32_t oc = w->dims[0], depth = w->dims[1];
    uint32_t batches = depth ? ti_elements(in) / (uint32_t)depth : 0;
    for (uint32_t b = 0; b < batches; b++, x += depth) {
        for (int32_t c = 0; c < oc; c++) {
            const int8_t *wc = wd + c * depth;
            uint32_t acc = bias ? (uint32_t)ti_load_i32(bias->data + 4 * c) : 0u;
            for (int32_t k = 0; k < depth; k++) {
                acc += (uint32_t)((wc[k] + p->filter_offset) * (x[k] + p->in_offset));
            }
            *y++ = requant1((int32_t)acc, p, 0);  // per-tensor weights: one multiplier
        }
    }
}
