// RESIZE_NEAREST_NEIGHBOR on int8 NHWC, honouring align_corners and half_pixel_centers
// with the reference's float arithmetic. The source row/column of every output
// row/column is computed once, at load.
#include "ti_kernels.h"

enum { RESIZE_ALIGN_CORNERS = 0, RESIZE_HALF_PIXEL = 1 };

static int32_t nearest(int32_t o, int32_t in_size, float scale, const ti_shape_params_t *p) {
    // (o + offset) in float is exact here (o < 2^22); one float multiply, then round/floor.
    double from = p->half_pixel ? ti_dmul(ti_d_from_i(2 * o + 1), 0.5) : ti_d_from_i(o);
    double pos = ti_d_from_f(ti_fmul(ti_f_from_d(from), scale));
    int32_t v = p->align_corners ? ti_d_round(pos) : ti_d_floor(pos);
    v = v < in_size - 1 ? v : in_size - 1;
    return p->half_pixel && v < 0 ? 0 : v;
}

static void source_indices(int32_t *dst, int32_t out_size, int32_t in_size, const ti_shape_params_t *p) {
    int corners = p->align_corners && out_size > 1;
    float scale = ti_fdiv(ti_f_from_d(ti_d_from_i(corners ? in_size - 1 : in_size)),
                          ti_f_from_d(ti_d_from_i(corners ? out_size - 1 : out_size)));
    for (int32_t o = 0; o < out_size; o++) {
        dst[o] = nearest(o, in_size, scale, p);
    }
}

ti_status_t ti_resize_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_shape_params_t *p = &op->p.shp;
    ti_tensor_t *in, *out, *size;
    ti_status_t st = ti_check_io(it, op, 2, TI_INT8, TI_INT8, 0, &in, &out);
    if (st != TI_OK || (st = ti_check_type(it, size = ti_in(it, op, 1), TI_INT32, "size")) != TI_OK) {
        return st;
    }
    if (!size->is_const || ti_elements(size) != 2) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(RESIZE_SIZE));
    }
    if (in->ndim != 4 || out->ndim != 4 || in->dims[0] != out->dims[0] || in->dims[3] != out->dims[3] ||
        out->dims[1] != ti_load_i32(size->data) || out->dims[2] != ti_load_i32(size->data + 4)) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(RESIZE_SHAPE));
    }
    if (!ti_same_quant(in, out)) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(RESHAPE_QUANT));
    }
    if ((in->dims[1] == 0 || in->dims[2] == 0) && ti_elements(out) != 0) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(RESIZE_EMPTY));
    }
    p->align_corners = (uint8_t)ti_opt_i8(it, op, RESIZE_ALIGN_CORNERS, 0);
    p->half_pixel = (uint8_t)ti_opt_i8(it, op, RESIZE_HALF_PIXEL, 0);
    // Source row of every output row and source column of every output column, once.
    int32_t *rows = ti_chan_alloc(it, (uint32_t)out->dims[1]);
    int32_t *cols = ti_chan_alloc(it, (uint32_t)out->dims[2]);
    if (!rows || !cols) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(OUTPUT_LARGE));
    }
    source_indices(rows, out->dims[1], in->dims[1], p);
    source_indices(cols, out->dims[2], in->dims[2], p);
    p->begin[0] = (int32_t)(rows - it->chan_pool);
    p->begin[1] = (int32_t)(cols - it->chan_pool);
    return TI_OK;
}

// The output rows of `rows`.
typedef struct {
    ti_rows_t rows;
    const ti_tensor_t *in, *out;
    const int32_t *src_rows, *cols;  // source row of each output row, column of each column
} resize_rows_t;

static void TI_HOT resize_rows(void *arg) {
    const resize_rows_t *r = arg;
    const ti_tensor_t *in = r->in, *out = r->out;
    int32_t ih = in->dims[1], iw = in->dims[2], ch = in->dims[3];
    int32_t oh = out->dims[1], ow = out->dims[2];
    const int32_t *cols = r->cols;
    int8_t *y = (int8_t *)out->data + r->rows.r0 * ow * ch;
    int32_t b = r->rows.r0 / oh, oy = r->rows.r0 - b * oh;
    for (int32_t row = r->rows.r0; row < r->rows.r1; row++, oy++) {
        if (oy == oh) {
            oy = 0;
            b++;
        }
        const int8_t *src = (const int8_t *)in->data + (b * ih + r->src_rows[oy]) * iw * ch;
        if (ch == 1) {
            int32_t ox = 0;
            for (; ox + 4 <= ow; ox += 4, y += 4) {
                y[0] = src[cols[ox]];
                y[1] = src[cols[ox + 1]];
                y[2] = src[cols[ox + 2]];
                y[3] = src[cols[ox + 3]];
            }
            for (; ox < ow; ox++) {
                *y++ = src[cols[ox]];
            }
        } else {
            for (int32_t ox = 0; ox < ow; ox++) {
                const int8_t *s = src + cols[ox] * ch;
                for (int32_t c = 0; c < ch; c++) {
                    *y++ = s[c];
                }
            }
        }
    }
}

// With TI_TWO_CORES the output rows in two halves.
void ti_resize_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *out = ti_out(it, op, 0);
    const ti_shape_params_t *p = &op->p.shp;
    resize_rows_t first = {{0, 0}, ti_in(it, op, 0), out, it->chan_pool + p->begin[0], it->chan_pool + p->begin[1]},
                  second;
    ti_row_halves(it, resize_rows, &first.rows, &second.rows, sizeof first, out->dims[0] * out->dims[1]);
}
