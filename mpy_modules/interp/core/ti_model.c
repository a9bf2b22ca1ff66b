// Loading a .tflite: every table, vector and index is checked, then each op's prepare
// validates its tensors and precomputes its parameters, then the planner sizes the arena.
#include <string.h>

#include "ti_kernels.h"

// Field numbers of the TFLite schema tables we read.
enum { MODEL_OPCODES = 1, MODEL_SUBGRAPHS = 2, MODEL_BUFFERS = 4, MODEL_METADATA = 6 };
enum { OPCODE_DEPRECATED = 0, OPCODE_CUSTOM = 1, OPCODE_BUILTIN = 3 };
enum { SUBGRAPH_TENSORS = 0, SUBGRAPH_INPUTS = 1, SUBGRAPH_OUTPUTS = 2, SUBGRAPH_OPERATORS = 3 };
enum { TENSOR_SHAPE = 0, TENSOR_TYPE = 1, TENSOR_BUFFER = 2, TENSOR_QUANT = 4, TENSOR_VARIABLE = 5,
       TENSOR_SPARSITY = 6 };
enum { QUANT_SCALE = 2, QUANT_ZERO_POINT = 3, QUANT_DIM = 6 };
enum { OP_OPCODE = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_OPTIONS = 4 };
enum { BUFFER_DATA = 0, BUFFER_OFFSET = 1 };
enum { METADATA_NAME = 0, METADATA_BUFFER = 1 };

#define TI_ALIGN(n) (((n) + 7u) & ~(size_t)7u)
#define TI_MAX_TENSORS 4096u
#define TI_MAX_OPS 1024u
#define TI_MAX_IO 60000u

// --- error messages ---------------------------------------------------------------

size_t ti_msg_append(char *dst, size_t pos, const char *s) {
#if TI_OP_MODULES  // the board's core writes "[Exx]" (hex); interp_names.mpy has the text
    static const char hex[] = "0123456789abcdef";
    unsigned code = (unsigned)(uintptr_t)s & 0xff;
    char mark[] = {'[', 'E', hex[code >> 4], hex[code & 15], ']', 0};
    if (TI_IS_CODE(s)) {
        s = mark;
    }
#else
    if (TI_IS_CODE(s)) {
        s = ti_text((unsigned)(uintptr_t)s);
    }
#endif
    while (*s && pos < TI_MSG_LEN - 1) {
        dst[pos++] = *s++;
    }
    dst[pos] = 0;
    return pos;
}

static size_t append_int(char *dst, size_t pos, int32_t n) {
    char out[12], *p = out + sizeof(out) - 1;  // the digits backwards from the end
    uint32_t u = n < 0 ? 0u - (uint32_t)n : (uint32_t)n;
    *p = 0;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (n < 0) {
        *--p = '-';
    }
    return ti_msg_append(dst, pos, p);
}

static ti_status_t fail(char *msg, ti_status_t st, const char *what) {
    if (msg) {
        ti_msg_append(msg, 0, what);
    }
    return st;
}

static ti_status_t fail_n(char *msg, ti_status_t st, const char *what, int32_t n, const char *what2) {
    if (msg) {
        size_t p = ti_msg_append(msg, 0, what);
        p = append_int(msg, p, n);
        ti_msg_append(msg, p, what2);
    }
    return st;
}

static size_t op_prefix(ti_interp_t *it) {
    size_t p = 0;
    if (it->err_op >= 0) {
        p = ti_msg_append(it->msg, 0, ti_op_name(it, (uint32_t)it->err_op));
        p = ti_msg_append(it->msg, p, " (op ");
        p = append_int(it->msg, p, it->err_op);
        p = ti_msg_append(it->msg, p, "): ");
    }
    return p;
}

ti_status_t ti_fail(ti_interp_t *it, ti_status_t st, const char *what) {
    ti_msg_append(it->msg, op_prefix(it), what);
    return st;
}

ti_status_t ti_fail_n(ti_interp_t *it, ti_status_t st, const char *what, int32_t n, const char *what2) {
    size_t p = ti_msg_append(it->msg, op_prefix(it), what);
    p = append_int(it->msg, p, n);
    ti_msg_append(it->msg, p, what2);
    return st;
}

// --- model structure --------------------------------------------------------------

typedef struct {
    ti_fb_table_t root, subgraph;
    ti_fb_vec_t opcodes, buffers, metadata, tensors, ops, inputs, outputs;
} layout_t;

static ti_status_t read_layout(const ti_fb_t *fb, layout_t *l, char *msg) {
    if (fb->len < 8) {
        return fail_n(msg, TI_ERR_TRUNCATED, TI_T(TRUNCATED_FILE), (int32_t)fb->len, TI_T(BYTES));
    }
    if (!ti_bytes_equal(fb->buf + 4, "TFL3", 4)) {
        return fail(msg, TI_ERR_IDENTIFIER, TI_T(BAD_IDENTIFIER));
    }
    if (!ti_fb_root(fb, "TFL3", &l->root)) {
        return fail(msg, TI_ERR_TRUNCATED, TI_T(ROOT_OUTSIDE));
    }
    ti_fb_vec_t subgraphs;
    if (ti_fb_vector(fb, &l->root, MODEL_SUBGRAPHS, 4, &subgraphs) != 1 || subgraphs.n == 0 ||
        !ti_fb_vec_table(fb, &subgraphs, 0, &l->subgraph)) {
        return fail(msg, TI_ERR_TRUNCATED, TI_T(NO_SUBGRAPH));
    }
    // Each vector: in the root (0) or the subgraph (1), its field, where it goes.
    static const uint8_t vectors[][3] = {
        {0, MODEL_OPCODES, offsetof(layout_t, opcodes)},     {0, MODEL_BUFFERS, offsetof(layout_t, buffers)},
        {0, MODEL_METADATA, offsetof(layout_t, metadata)},   {1, SUBGRAPH_TENSORS, offsetof(layout_t, tensors)},
        {1, SUBGRAPH_OPERATORS, offsetof(layout_t, ops)},    {1, SUBGRAPH_INPUTS, offsetof(layout_t, inputs)},
        {1, SUBGRAPH_OUTPUTS, offsetof(layout_t, outputs)},
    };
    for (unsigned k = 0; k < sizeof(vectors) / sizeof(vectors[0]); k++) {
        const ti_fb_table_t *table = vectors[k][0] ? &l->subgraph : &l->root;
        if (ti_fb_vector(fb, table, vectors[k][1], 4, (ti_fb_vec_t *)((uint8_t *)l + vectors[k][2])) < 0) {
            return fail(msg, TI_ERR_TRUNCATED, TI_T(VECTOR_PAST_END));
        }
    }
    if (l->tensors.n > TI_MAX_TENSORS || l->ops.n > TI_MAX_OPS || l->inputs.n > 255 || l->outputs.n > 255) {
        return fail(msg, TI_ERR_MALFORMED, TI_T(TOO_MANY));
    }
    if (l->ops.n == 0 || l->inputs.n == 0 || l->outputs.n == 0) {
        return fail(msg, TI_ERR_MALFORMED, TI_T(NO_OPS));
    }
    return TI_OK;
}

// io indices of op i and the largest dimension of its input 1 (bound on channel count).
static ti_status_t op_vectors(const ti_fb_t *fb, const layout_t *l, uint32_t i, ti_fb_table_t *op,
                              ti_fb_vec_t *ins, ti_fb_vec_t *outs, char *msg) {
    if (!ti_fb_vec_table(fb, &l->ops, i, op) || ti_fb_vector(fb, op, OP_INPUTS, 4, ins) < 0 ||
        ti_fb_vector(fb, op, OP_OUTPUTS, 4, outs) < 0) {
        return fail_n(msg, TI_ERR_TRUNCATED, TI_T(TRUNCATED_OPERATOR), (int32_t)i, TI_T(UNREADABLE));
    }
    if (ins->n > 32 || outs->n == 0 || outs->n > 8) {
        return fail_n(msg, TI_ERR_MALFORMED, "operator ", (int32_t)i, TI_T(BAD_OP_ARITY));
    }
    return TI_OK;
}

static int32_t builtin_code(const ti_fb_t *fb, const ti_fb_table_t *oc) {
    int32_t deprecated = ti_fb_i8(fb, oc, OPCODE_DEPRECATED, 0);
    int32_t code = ti_fb_i32(fb, oc, OPCODE_BUILTIN, 0);
    return code > deprecated ? code : deprecated;
}

// Dimension k of tensor t (k < 0: its largest dimension), 0 when unreadable; capped.
static uint32_t dim_of(const ti_fb_t *fb, const layout_t *l, int32_t t, int k) {
    ti_fb_table_t tensor;
    ti_fb_vec_t shape;
    uint32_t m = 0;
    if (t < 0 || (uint32_t)t >= l->tensors.n || !ti_fb_vec_table(fb, &l->tensors, (uint32_t)t, &tensor) ||
        ti_fb_vector(fb, &tensor, TENSOR_SHAPE, 4, &shape) != 1) {
        return 0;
    }
    for (uint32_t j = 0; j < shape.n && j < TI_MAX_DIMS; j++) {
        int32_t d = ti_fb_vec_i32(fb, &shape, j);
        if (d > 0 && (k < 0 ? (uint32_t)d > m : (int)j == k)) {
            m = (uint32_t)d;
        }
    }
    return m > 65536 ? 65536 : m;
}

typedef struct {
    size_t tensors, ops, io, chan, total;
    uint32_t n_io, n_chan;
} meta_layout_t;

static ti_status_t meta_layout(const ti_fb_t *fb, const layout_t *l, meta_layout_t *m, char *msg) {
    uint32_t n_io = l->inputs.n + l->outputs.n, n_chan = 0;
    for (uint32_t i = 0; i < l->ops.n; i++) {
        ti_fb_table_t op;
        ti_fb_vec_t ins, outs;
        ti_status_t st = op_vectors(fb, l, i, &op, &ins, &outs, msg);
        if (st != TI_OK) {
            return st;
        }
        n_io += ins.n + outs.n;
        // Per-channel tables (multiplier, shift, folded bias) and resize index tables.
        ti_fb_table_t oc;
        uint32_t opcode = ti_fb_u32(fb, &op, OP_OPCODE, 0);
        int32_t code = -1;
        if (opcode < l->opcodes.n && ti_fb_vec_table(fb, &l->opcodes, opcode, &oc)) {
            code = builtin_code(fb, &oc);
        }
        int32_t weights = ins.n >= 2 ? ti_fb_vec_i32(fb, &ins, 1) : -1;
        if (code == 3 || code == 9) {  // CONV_2D, FULLY_CONNECTED: [out channels, ...]
            n_chan += 3 * dim_of(fb, l, weights, 0);
        } else if (code == 4) {        // DEPTHWISE_CONV_2D: [1, h, w, out channels]
            n_chan += 3 * dim_of(fb, l, weights, 3);
        } else if (code == 97) {       // RESIZE_NEAREST_NEIGHBOR: a row and a column table
            n_chan += 2 * dim_of(fb, l, ti_fb_vec_i32(fb, &outs, 0), -1);
        } else if (code == 44) {       // UNIDIRECTIONAL_SEQUENCE_LSTM: its parameter block and 8
            // constant terms per unit (input-to-input weights: [units, features])
            n_chan += TI_LSTM_PARAM_WORDS + 8 * dim_of(fb, l, weights, 0);
        }
    }
    if (n_io > TI_MAX_IO) {
        return fail(msg, TI_ERR_MALFORMED, TI_T(TOO_MANY_OP_IO));
    }
    m->tensors = 0;
    m->ops = TI_ALIGN(m->tensors + l->tensors.n * sizeof(ti_tensor_t));
    m->io = TI_ALIGN(m->ops + l->ops.n * sizeof(ti_op_t));
    m->chan = TI_ALIGN(m->io + n_io * sizeof(int16_t));
    m->total = TI_ALIGN(m->chan + (size_t)n_chan * sizeof(int32_t));
    m->n_io = n_io;
    m->n_chan = n_chan;
    return TI_OK;
}

ti_status_t ti_meta_size(const uint8_t *model, size_t len, size_t *meta_bytes, char *msg) {
    ti_fb_t fb = {model, len > 0x7fffffffu ? 0x7fffffffu : (uint32_t)len};
    layout_t l;
    meta_layout_t m;
    *meta_bytes = 0;
    ti_status_t st = read_layout(&fb, &l, msg);
    if (st == TI_OK) {
        st = meta_layout(&fb, &l, &m, msg);
    }
    if (st == TI_OK) {
        *meta_bytes = m.total;
    }
    return st;
}

// --- tensors ----------------------------------------------------------------------

static uint32_t type_size(uint8_t type) {
    switch (type) {
        case TI_FLOAT32: case TI_INT32: return 4;
        case TI_INT64: return 8;
        case TI_INT16: return 2;
        case TI_UINT8: case TI_INT8: case TI_BOOL: return 1;
        default: return 0;
    }
}

static ti_status_t tensor_fail(ti_interp_t *it, ti_status_t st, uint32_t i, const char *what) {
    return fail_n(it->msg, st, "tensor ", (int32_t)i, what);
}

static ti_status_t read_quant(ti_interp_t *it, uint32_t i, const ti_fb_table_t *q, ti_tensor_t *t) {
    const ti_fb_t *fb = &it->fb;
    ti_fb_vec_t zps;
    if (ti_fb_vector(fb, q, QUANT_SCALE, 4, &t->scales) < 0 || ti_fb_vector(fb, q, QUANT_ZERO_POINT, 8, &zps) < 0) {
        return tensor_fail(it, TI_ERR_TRUNCATED, i, TI_T(QUANT_PAST_END));
    }
    if (t->scales.n == 0) {
        return TI_OK;
    }
    if (zps.n != t->scales.n && zps.n != 0) {
        return tensor_fail(it, TI_ERR_QUANT, i, TI_T(QUANT_COUNTS));
    }
    t->quant_dim = ti_fb_i32(fb, q, QUANT_DIM, 0);
    if (t->scales.n > 1 && (t->quant_dim < 0 || t->quant_dim >= t->ndim ||
                            (uint32_t)t->dims[t->quant_dim] != t->scales.n)) {
        return tensor_fail(it, TI_ERR_QUANT, i, TI_T(QUANT_DIM));
    }
    t->scale = ti_channel_scale(it, t, 0);
    if (zps.n) {
        // int64 zero point: it must fit an int32.
        int32_t lo = ti_rd_i32(fb->buf + zps.pos), hi = ti_rd_i32(fb->buf + zps.pos + 4);
        if (hi != (lo < 0 ? -1 : 0)) {
            return tensor_fail(it, TI_ERR_QUANT, i, TI_T(ZERO_POINT_RANGE));
        }
        t->zero_point = lo;
    }
    if (!ti_scale_ok(t->scale)) {
        return tensor_fail(it, TI_ERR_QUANT, i, TI_T(SCALE_POSITIVE));
    }
    return TI_OK;
}

static ti_status_t read_tensor(ti_interp_t *it, const layout_t *l, uint32_t i) {
    const ti_fb_t *fb = &it->fb;
    ti_tensor_t *t = &it->tensors[i];
    ti_fb_table_t tt, q, sp;
    ti_fb_vec_t shape;
    memset(t, 0, sizeof(*t));
    if (!ti_fb_vec_table(fb, &l->tensors, i, &tt) || ti_fb_vector(fb, &tt, TENSOR_SHAPE, 4, &shape) < 0) {
        return tensor_fail(it, TI_ERR_TRUNCATED, i, TI_T(TENSOR_UNREADABLE));
    }
    if (shape.n > TI_MAX_DIMS) {
        return tensor_fail(it, TI_ERR_SHAPE, i, TI_T(TOO_MANY_DIMS));
    }
    t->ndim = (uint8_t)shape.n;
    uint32_t elements = 1;  // stays below 2^31
    for (uint32_t k = 0; k < shape.n; k++) {
        int32_t d = ti_fb_vec_i32(fb, &shape, k);
        if (d < 0) {
            return tensor_fail(it, TI_ERR_SHAPE, i, TI_T(NEGATIVE_DIM));
        }
        t->dims[k] = d;
        if (d && elements > 0x7fffffffu / (uint32_t)d) {
            return tensor_fail(it, TI_ERR_SHAPE, i, TI_T(ELEMENTS_OVERFLOW));
        }
        elements *= (uint32_t)d;
    }
    t->type = (uint8_t)ti_fb_u8(fb, &tt, TENSOR_TYPE, 0);
    uint32_t size = type_size(t->type);
    if (size == 0) {
        size = 1;  // unusable type: refused by the prepare of any op that touches it
    }
    if (elements > 0x7fffffffu / size) {
        return tensor_fail(it, TI_ERR_SHAPE, i, TI_T(BYTES_OVERFLOW));
    }
    t->bytes = elements * size;
    if (ti_fb_subtable(fb, &tt, TENSOR_SPARSITY, &sp)) {
        return tensor_fail(it, TI_ERR_TYPE, i, TI_T(SPARSE));
    }
    if (ti_fb_field(fb, &tt, TENSOR_QUANT, 4) && !ti_fb_subtable(fb, &tt, TENSOR_QUANT, &q)) {
        return tensor_fail(it, TI_ERR_TRUNCATED, i, TI_T(QUANT_UNREADABLE));
    }
    if (ti_fb_field(fb, &tt, TENSOR_QUANT, 4)) {
        ti_status_t st = read_quant(it, i, &q, t);
        if (st != TI_OK) {
            return st;
        }
    }
    if ((t->type == TI_INT8 && (t->zero_point < -128 || t->zero_point > 127)) ||
        (t->type == TI_INT16 && t->zero_point != 0)) {
        return tensor_fail(it, TI_ERR_QUANT, i, TI_T(ZERO_POINT_TYPE));
    }
    uint32_t b = ti_fb_u32(fb, &tt, TENSOR_BUFFER, 0);
    if (b >= l->buffers.n && !(b == 0 && l->buffers.n == 0)) {
        return tensor_fail(it, TI_ERR_MALFORMED, i, TI_T(NO_BUFFER));
    }
    if (b > 0) {
        ti_fb_table_t bt;
        ti_fb_vec_t data;
        if (!ti_fb_vec_table(fb, &l->buffers, b, &bt) || ti_fb_vector(fb, &bt, BUFFER_DATA, 1, &data) < 0) {
            return tensor_fail(it, TI_ERR_TRUNCATED, i, TI_T(BUFFER_PAST_END));
        }
        if (ti_fb_field(fb, &bt, BUFFER_OFFSET, 8) && ti_fb_u32(fb, &bt, BUFFER_OFFSET, 0) > 1) {
            return tensor_fail(it, TI_ERR_MALFORMED, i, TI_T(EXTERNAL_BUFFER));
        }
        if (data.n) {
            if (data.n != t->bytes) {
                return tensor_fail(it, TI_ERR_SHAPE, i, TI_T(DATA_SIZE));
            }
            t->is_const = 1;
            t->data = (uint8_t *)fb->buf + data.pos;
        }
    }
    if (ti_fb_u8(fb, &tt, TENSOR_VARIABLE, 0)) {
        if (t->is_const) {
            return tensor_fail(it, TI_ERR_MALFORMED, i, TI_T(VARIABLE_CONSTANT));
        }
        t->in_arena = 2;  // state kept between invocations: lives for the whole graph
    }
    t->first_use = -1;
    t->last_use = -1;
    return TI_OK;
}

// --- ops --------------------------------------------------------------------------

static ti_status_t read_index(ti_interp_t *it, const ti_fb_vec_t *v, uint32_t k, int optional, int16_t *out) {
    int32_t t = ti_fb_vec_i32(&it->fb, v, k);
    if (t == -1 && optional) {
        *out = -1;
        return TI_OK;
    }
    if (t < 0 || (uint32_t)t >= it->n_tensors) {
        return ti_fail_n(it, TI_ERR_MALFORMED, TI_T(TENSOR_INDEX), t, TI_T(OUT_OF_RANGE));
    }
    *out = (int16_t)t;
    return TI_OK;
}

static ti_status_t read_op(ti_interp_t *it, const layout_t *l, uint32_t i, uint32_t *io_used) {
    const ti_fb_t *fb = &it->fb;
    ti_op_t *op = &it->ops[i];
    ti_fb_table_t ot, oc;
    ti_fb_vec_t ins, outs;
    memset(op, 0, sizeof(*op));
    ti_status_t st = op_vectors(fb, l, i, &ot, &ins, &outs, it->msg);
    if (st != TI_OK) {
        return st;
    }
    uint32_t opcode = ti_fb_u32(fb, &ot, OP_OPCODE, 0);
    if (opcode >= l->opcodes.n || !ti_fb_vec_table(fb, &l->opcodes, opcode, &oc)) {
        return fail_n(it->msg, TI_ERR_MALFORMED, "operator ", (int32_t)i, TI_T(BAD_OPCODE));
    }
    int32_t code = builtin_code(fb, &oc);
    if (!ti_op_supported(code) && ti_op_group(code) > 0) {
        // The board's core: the kernel is in interp_<group>.mpy, which the binding imports.
        return ti_need_module(it, code, ti_op_group(code));
    }
    if (!ti_op_supported(code)) {
        it->need_code = code;
        it->err_op = (int32_t)i;
        size_t p = ti_msg_append(it->msg, 0, "unsupported op ");  // the binding relies on this form
        const char *name = ti_builtin_name(code);  // "" when unknown (the board's core names its own ops)
        if (*name) {
            p = ti_msg_append(it->msg, p, name);
        } else {
            p = append_int(it->msg, p, code);
        }
        p = ti_msg_append(it->msg, p, " (op ");
        p = append_int(it->msg, p, (int32_t)i);
        ti_msg_append(it->msg, p, ")");
        return TI_ERR_UNSUPPORTED_OP;
    }
    op->kind = (uint8_t)code;
    op->n_in = (uint8_t)ins.n;
    op->n_out = (uint8_t)outs.n;
    op->io = (uint16_t)*io_used;
    it->err_op = (int32_t)i;
    for (uint32_t j = 0; j < ins.n; j++) {
        if ((st = read_index(it, &ins, j, 1, &it->io[(*io_used)++])) != TI_OK) {
            return st;
        }
    }
    for (uint32_t j = 0; j < outs.n; j++) {
        int16_t *slot = &it->io[(*io_used)++];
        if ((st = read_index(it, &outs, j, 0, slot)) != TI_OK) {
            return st;
        }
        if (it->tensors[*slot].is_const) {
            return ti_fail(it, TI_ERR_MALFORMED, TI_T(WRITES_CONSTANT));
        }
    }
    if (ti_fb_field(fb, &ot, OP_OPTIONS, 4) && !ti_fb_subtable(fb, &ot, OP_OPTIONS, &op->options)) {
        return ti_fail(it, TI_ERR_TRUNCATED, TI_T(OPTIONS_UNREADABLE));
    }
    it->err_op = -1;
    return TI_OK;
}

static ti_status_t read_graph_io(ti_interp_t *it, const ti_fb_vec_t *v, uint32_t *io_used) {
    for (uint32_t k = 0; k < v->n; k++) {
        ti_status_t st = read_index(it, v, k, 0, &it->io[(*io_used)++]);
        if (st != TI_OK) {
            return st;
        }
        if (it->tensors[it->io[*io_used - 1]].is_const) {
            return fail(it->msg, TI_ERR_MALFORMED, TI_T(IO_CONSTANT));
        }
    }
    return TI_OK;
}

ti_status_t ti_load(ti_interp_t *it, const uint8_t *model, size_t len, void *meta, size_t meta_bytes) {
    return ti_load_flags(it, model, len, meta, meta_bytes, 0);
}

ti_status_t ti_load_flags(ti_interp_t *it, const uint8_t *model, size_t len, void *meta, size_t meta_bytes,
                          uint32_t flags) {
    memset(it, 0, sizeof(*it));
    if (flags & ~(uint32_t)(TI_KEEP_INPUT | TI_TWO_CORES)) {
        return fail_n(it->msg, TI_ERR_ARG, TI_T(LOAD_FLAGS), (int32_t)flags, "");
    }
    it->err_op = -1;
    it->two_cores = (flags & TI_TWO_CORES) != 0;
    it->fb.buf = model;
    it->fb.len = len > 0x7fffffffu ? 0x7fffffffu : (uint32_t)len;
    layout_t l;
    meta_layout_t m;
    ti_status_t st = read_layout(&it->fb, &l, it->msg);
    if (st != TI_OK || (st = meta_layout(&it->fb, &l, &m, it->msg)) != TI_OK) {
        return st;
    }
    if (meta == 0 || meta_bytes < m.total || ((uintptr_t)meta & 7)) {
        return fail_n(it->msg, TI_ERR_META_SMALL, TI_T(TABLES_NEED), (int32_t)m.total,
                      TI_T(ALIGNED_BYTES));
    }
    uint8_t *base = meta;
    it->tensors = (ti_tensor_t *)(base + m.tensors);
    it->ops = (ti_op_t *)(base + m.ops);
    it->io = (int16_t *)(base + m.io);
    it->chan_pool = (int32_t *)(base + m.chan);
    it->chan_cap = m.n_chan;
    it->n_tensors = l.tensors.n;
    it->n_ops = l.ops.n;
    it->n_io = m.n_io;
    it->metadata = l.metadata;
    it->buffers = l.buffers;
    for (uint32_t i = 0; i < it->n_tensors; i++) {
        if ((st = read_tensor(it, &l, i)) != TI_OK) {
            return st;
        }
    }
    uint32_t io_used = 0;
    it->inputs = (uint16_t)io_used;
    it->n_inputs = (uint8_t)l.inputs.n;
    if ((st = read_graph_io(it, &l.inputs, &io_used)) != TI_OK) {
        return st;
    }
    it->outputs = (uint16_t)io_used;
    it->n_outputs = (uint8_t)l.outputs.n;
    if ((st = read_graph_io(it, &l.outputs, &io_used)) != TI_OK) {
        return st;
    }
    for (uint32_t i = 0; i < it->n_ops; i++) {
        if ((st = read_op(it, &l, i, &io_used)) != TI_OK) {
            return st;
        }
    }
    for (uint32_t i = 0; i < it->n_ops; i++) {
        it->err_op = (int32_t)i;
        if ((st = ti_op_prepare(it, &it->ops[i])) != TI_OK) {
            return st;
        }
    }
    it->err_op = -1;
    return ti_plan(it, (flags & TI_KEEP_INPUT) != 0);
}

ti_status_t ti_set_arena(ti_interp_t *it, void *arena, size_t len) {
    if (arena == 0 || ((uintptr_t)arena & 3)) {
        return fail(it->msg, TI_ERR_ARG, TI_T(ARENA_ALIGN));
    }
    if (len < it->arena_size) {
        return fail_n(it->msg, TI_ERR_ARENA_SMALL, TI_T(ARENA_SMALL), (int32_t)(it->arena_size - len),
                      TI_T(BYTES));
    }
    it->arena = arena;
    for (uint32_t i = 0; i < it->n_tensors; i++) {
        ti_tensor_t *t = &it->tensors[i];
        if (t->in_arena) {
            t->data = it->arena + t->arena_offset;
        }
    }
    ti_reset_state(it);
    return TI_OK;
}

void ti_reset_state(ti_interp_t *it) {
    // As TFLM: int8 state starts at its zero point (real 0), other types at 0.
    for (uint32_t i = 0; i < it->n_tensors; i++) {
        ti_tensor_t *t = &it->tensors[i];
        if (t->in_arena == 2 && it->arena) {
            memset(t->data, t->type == TI_INT8 ? t->zero_point : 0, t->bytes);
        }
    }
}

void ti_invoke_op(ti_interp_t *it, uint32_t i) {
    // An op whose output holds no element has nothing to compute: a hostile model cannot make
    // a kernel spin through a huge but empty shape.
    const ti_op_t *op = &it->ops[i];
    if (ti_out(it, op, 0)->bytes != 0) {
        ti_op_eval(it, op);
    }
}

void ti_invoke(ti_interp_t *it) {
    for (uint32_t i = 0; i < it->n_ops; i++) {
        ti_invoke_op(it, i);
    }
}

const ti_tensor_t *ti_input(const ti_interp_t *it, uint32_t i) {
    return i < it->n_inputs ? &it->tensors[it->io[it->inputs + i]] : 0;
}

const ti_tensor_t *ti_output(const ti_interp_t *it, uint32_t i) {
    return i < it->n_outputs ? &it->tensors[it->io[it->outputs + i]] : 0;
}

const uint8_t *ti_metadata(const ti_interp_t *it, const char *name, uint32_t *len) {
    uint32_t name_len = 0;
    while (name[name_len]) {
        name_len++;
    }
    return ti_metadata_n(it, name, name_len, len);
}

const uint8_t *ti_metadata_n(const ti_interp_t *it, const char *name, uint32_t name_len, uint32_t *len) {
    const ti_fb_t *fb = &it->fb;
    for (uint32_t i = 0; i < it->metadata.n; i++) {
        ti_fb_table_t md, bt;
        ti_fb_vec_t s, data;
        if (!ti_fb_vec_table(fb, &it->metadata, i, &md) || ti_fb_vector(fb, &md, METADATA_NAME, 1, &s) != 1 ||
            s.n != name_len || !ti_bytes_equal(fb->buf + s.pos, name, name_len)) {
            continue;
        }
        uint32_t b = ti_fb_u32(fb, &md, METADATA_BUFFER, 0xffffffffu);
        if (b >= it->buffers.n || !ti_fb_vec_table(fb, &it->buffers, b, &bt) ||
            ti_fb_vector(fb, &bt, BUFFER_DATA, 1, &data) < 0) {
            return 0;
        }
        *len = data.n;
        return fb->buf + data.pos;
    }
    return 0;
}

const char *ti_op_name(const ti_interp_t *it, uint32_t i) {
    return i < it->n_ops ? ti_builtin_name(it->ops[i].kind) : "";
}
