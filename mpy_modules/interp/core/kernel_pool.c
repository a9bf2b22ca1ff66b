// MAX_POOL_2D and AVERAGE_POOL_2D on int8 NHWC; the window is clipped to the image
// (padding cells are not counted), as in TFLM's reference.
#include <string.h>

#include "ti_kernels.h"

enum { POOL_PADDING = 0, POOL_STRIDE_W = 1, POOL_STRIDE_H = 2, POOL_FILTER_W = 3, POOL_FILTER_H = 4, POOL_ACT = 5 };

// Output size along one dimension (in >= 0, filter and stride in 1..4096), in 32 bits.
static int32_t pool_size(int32_t in, int32_t filter, int32_t stride, int same) {
    uint32_t top = (uint32_t)in + (uint32_t)stride;
    if (same) {
        return (int32_t)((top - 1u) / (uint32_t)stride);
    }
    return top < (uint32_t)filter ? 0 : (int32_t)((top - (uint32_t)filter) / (uint32_t)stride);
}

// TFLM's pooling prepare: |in scale - out scale| <= 1e-6, the scales subtracted as doubles,
// and equal zero points; the kernels copy or average int8 values as they are. For positive
// scales a >= b, in integers: D = a - b = x 2^(eb - 150) exactly, and D rounded to a double
// is at most 1e-6 (the double 4722366482869645 2^-72) iff D < 9444732965739291 2^-73, the
// midpoint to the next double (a tie rounds up, to the even one).
#define POOL_MIDPOINT 9444732965739291ull
static int pool_scales_close(float fa, float fb) {
    uint32_t a, b;
    memcpy(&a, &fa, 4);
    memcpy(&b, &fb, 4);
    if (a < b) {
        uint32_t t = a;
        a = b, b = t;
    }
    if (a <= 0x358637bdu) {  // a, and so D, below 1e-6
        return 1;
    }
    int32_t ea = (int32_t)(a >> 23), eb = (int32_t)(b >> 23);
    uint64_t ma = (a & 0x7fffffu) | (ea ? 0x800000u : 0u), mb = (b & 0x7fffffu) | (eb ? 0x800000u : 0u);
    ea += !ea, eb += !eb;  // subnormals
    if (ea - eb > 39) {      // D is within 2^-38 of a, a float above 1e-6
        return 0;
    }
    uint64_t x = (ma << (ea - eb)) - mb;
    int32_t k = eb - 77;  // x 2^k < POOL_MIDPOINT
    if (k >= 0) {
        return k >= 54 ? x == 0 : x < ((POOL_MIDPOINT + (1ull << k) - 1u) >> k);
    }
    return -k >= 10 || x < (POOL_MIDPOINT << -k);
}

static ti_status_t pool_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_conv_params_t *p = &op->p.conv;
    ti_tensor_t *in, *out;
    ti_status_t st = ti_check_io(it, op, 1, TI_INT8, TI_INT8, TI_QUANT_IN | TI_QUANT_OUT, &in, &out);
    if (st != TI_OK) {
        return st;
    }
    if (in->zero_point != out->zero_point || !pool_scales_close(in->scale, out->scale)) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(RESHAPE_QUANT));
    }
    int32_t v[4];  // stride w, stride h, filter w, filter h: consecutive fields, each 1..4096
    for (unsigned k = 0; k < 4; k++) {
        v[k] = ti_opt_i32(it, op, POOL_STRIDE_W + k, 1);
        if ((uint32_t)v[k] - 1u > 4095u) {
            return ti_fail(it, TI_ERR_MALFORMED, TI_T(POOL_WINDOW));
        }
    }
    int32_t sw = v[0], sh = v[1], fw = v[2], fh = v[3];
    if (fw * fh > 65536) {
        return ti_fail(it, TI_ERR_MALFORMED, TI_T(POOL_WINDOW));
    }
    if (in->ndim != 4 || out->ndim != 4 || in->dims[0] != out->dims[0] || in->dims[3] != out->dims[3]) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(POOL_4D));
    }
    int same = ti_opt_i8(it, op, POOL_PADDING, 0) == 0;
    int32_t oh = pool_size(in->dims[1], fh, sh, same), ow = pool_size(in->dims[2], fw, sw, same);
    if (oh != out->dims[1] || ow != out->dims[2]) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(WINDOW_MISMATCH));
    }
    // (o - 1) stride <= in - 1 when o > 0, in < filter when o == 0; the padding is below 2048.
    // The sums in unsigned arithmetic (in may be near 2^31), then taken as signed.
    int32_t ph = (int32_t)((uint32_t)(oh - 1) * (uint32_t)sh + (uint32_t)fh - (uint32_t)in->dims[1]) / 2;
    int32_t pw = (int32_t)((uint32_t)(ow - 1) * (uint32_t)sw + (uint32_t)fw - (uint32_t)in->dims[2]) / 2;
    p->pad_h = (int16_t)(ph > 0 ? ph : 0);
    p->pad_w = (int16_t)(pw > 0 ? pw : 0);
    p->stride_h = (int16_t)sh;
    p->stride_w = (int16_t)sw;
    p->filter_h = (int16_t)fh;
    p->filter_w = (int16_t)fw;
    return ti_activation_range(it, ti_opt_i8(it, op, POOL_ACT, 0), out, &p->act_min, &p->act_max);
}

ti_status_t ti_maxpool_prepare(ti_interp_t *it, ti_op_t *op) {
    return pool_prepare(it, op);
}

ti_status_t ti_avgpool_prepare(ti_interp_t *it, ti_op_t *op) {
    return pool_prepare(it, op);
}

// Max over a clipped window of one output pixel, all channels; -128 for an empty window.
// Tap by tap over contiguous channel runs: the inner loop is a load, a compare and a store.
static TI_HOT void max_window(int8_t *y, const int8_t *x, int32_t ch, int32_t rows, int32_t cols, int32_t row_step,
                              int32_t lo, int32_t hi) {
    if (rows == 2 && cols == 2) {
        // The common 2x2 window: four loads per channel, the maximum in a register.
        const int8_t *x1 = x + ch, *x2 = x + row_step, *x3 = x2 + ch;
        for (int32_t c = 0; c < ch; c++) {
            int32_t m = x[c], v = x1[c];
            m = v > m ? v : m;
            v = x2[c];
            m = v > m ? v : m;
            v = x3[c];
            m = v > m ? v : m;
            m = m < lo ? lo : m;
            y[c] = (int8_t)(m > hi ? hi : m);
        }
        return;
    }
    for (int32_t c = 0; c < ch; c++) {
        y[c] = -128;
    }
    for (int32_t ky = 0; ky < rows; ky++, x += row_step) {
        for (const int8_t *v = x, *end = x + cols * ch; v < end; v += ch) {
            for (int32_t c = 0; c < ch; c++) {
                if (v[c] > y[c]) {
                    y[c] = v[c];
                }
            }
        }
    }
    for (int32_t c = 0; c < ch; c++) {
        int32_t m = y[c] < lo ? lo : y[c];
        y[c] = (int8_t)(m > hi ? hi : m);
    }
}

// The output rows of `rows` (row r: batch r / oh, row r % oh).
typedef struct {
    ti_rows_t rows;
    const ti_tensor_t *in, *out;
    const ti_conv_params_t *p;
    int32_t average;
} pool_rows_t;

static void pool_rows(void *arg) {
    const pool_rows_t *r = arg;
    const ti_tensor_t *in = r->in, *out = r->out;
    const ti_conv_params_t *p = r->p;
    const int8_t *x = (const int8_t *)in->data;
    int32_t ih = in->dims[1], iw = in->dims[2], ch = in->dims[3];
    int32_t oh = out->dims[1], ow = out->dims[2];
    int32_t b = r->rows.r0 / oh, oy = r->rows.r0 - b * oh;
    for (int32_t row = r->rows.r0; row < r->rows.r1; row++, oy++) {
        if (oy == oh) {
            oy = 0;
            b++;
        }
        int8_t *y = (int8_t *)out->data + row * ow * ch;
        int32_t y0 = oy * p->stride_h - p->pad_h;
        int32_t ky0 = y0 < 0 ? -y0 : 0, ky1 = ih - y0 < p->filter_h ? ih - y0 : p->filter_h;
        for (int32_t ox = 0; ox < ow; ox++, y += ch) {
            int32_t x0 = ox * p->stride_w - p->pad_w;
            int32_t kx0 = x0 < 0 ? -x0 : 0, kx1 = iw - x0 < p->filter_w ? iw - x0 : p->filter_w;
            int32_t rows = ky1 > ky0 ? ky1 - ky0 : 0, cols = kx1 > kx0 ? kx1 - kx0 : 0;
            // The window's first pixel; formed only for a window inside the image (one
            // wholly in the padding would point outside the input).
            const int8_t *window = rows && cols ? x + ((b * ih + y0 + ky0) * iw + x0 + kx0) * ch : x;
            if (!r->average) {
                max_window(y, window, ch, rows, cols, iw * ch, p->act_min, p->act_max);
                continue;
            }
            for (int32_t c = 0; c < ch; c++) {
                int32_t acc = 0, count = rows * cols;
                for (int32_t ky = 0; ky < rows; ky++) {
                    const int8_t *in_row = window + ky * iw * ch + c;
                    for (int32_t kx = 0; kx < cols; kx++) {
                        acc += in_row[kx * ch];
                    }
                }
                // Division rounded half away from zero; an empty window gives 0.
                acc = count == 0 ? 0 : acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                acc = acc < p->act_min ? p->act_min : acc;
                acc = acc > p->act_max ? p->act_max : acc;
                y[c] = (int8_t)acc;
            }
        }
    }
}

// With TI_TWO_CORES the output rows in two halves (each reads the input, writes its rows).
static void pool_eval(ti_interp_t *it, const ti_op_t *op, int average) {
    const ti_tensor_t *out = ti_out(it, op, 0);
    pool_rows_t first = {{0, 0}, ti_in(it, op, 0), out, &op->p.conv, average}, second;
    ti_row_halves(it, pool_rows, &first.rows, &second.rows, sizeof first, out->dims[0] * out->dims[1]);
}

void ti_maxpool_eval(ti_interp_t *it, const ti_op_t *op) {
    pool_eval(it, op, 0);
}

void ti_avgpool_eval(ti_interp_t *it, const ti_op_t *op) {
    pool_eval(it, op, 1);
}
