// UNIDIRECTIONAL_SEQUENCE_LSTM, int8 activations with int16 gates and cell state, as the
// converter emits it for a Keras LSTM with a batch of 1, with the arithmetic of TFLM's
// integer LSTM:
//  - each gate: input and recurrent fully connected parts, each requantized to int16
//    Q3.12 (scale 2^-12) and added with int16 saturation;
//  - sigmoid / tanh on int16 by interpolating a 256-entry table of sigmoid(i/24)
//    (kernel_lstm_table.h, recovered from the reference's int16 LOGISTIC/TANH);
//  - cell = sat16(f x cell) + sat16(i x g), then clipped; hidden = o x tanh(cell) to int8.
// Everything is element-wise per unit, so one unit's four gates are computed together
// and the new hidden state is written straight into the output row of the step, then
// copied into the state. Scratch: the step's input and hidden state minus their zero
// points, as int16.
//
// State: the hidden and cell state are variable tensors and persist across invoke(),
// as in TFLM (its Python interpreter keeps them until reset()); ti_set_arena zeroes them.
#include "kernel_lstm_table.h"
#include "ti_kernels.h"

enum { LSTM_ACT = 0, LSTM_CELL_CLIP = 1, LSTM_PROJ_CLIP = 2, LSTM_TIME_MAJOR = 3 };
enum {
    IN_X = 0,
    IN_W = 1,     // input -> input, forget, cell, output gate weights: 1..4
    IN_R = 5,     // recurrent -> gate weights: 5..8
    IN_PEEP = 9,  // peephole 9..11
    IN_B = 12,    // gate biases 12..15
    IN_PROJ_W = 16,
    IN_PROJ_B = 17,
    IN_H = 18,
    IN_C = 19,
    IN_NORM = 20,  // layer-norm coefficients 20..23
    N_INPUTS = 24,
};
enum { ACT_TANH = 4 };
#define GATE_SCALE_LOG2 12  // gate pre-activations: int16 Q3.12

typedef struct {
    int32_t w_mult[4], w_shift[4], r_mult[4], r_shift[4];
    int32_t w_zp[4], r_zp[4];
    int32_t x_zp, h_zp;
    int32_t fc_mult, fc_shift;      // forget x cell -> cell
    int32_t ig_mult, ig_shift;      // input x cell gate -> cell
    int32_t oh_mult, oh_shift;      // output gate x tanh(cell) -> hidden
    int32_t tanh_mult, tanh_shift;  // tanh of the cell state: (c * mult + round) >> shift
    int32_t clip;                   // 0: no clipping
    int32_t steps, features, units;
} lstm_params_t;

static lstm_params_t *params_of(const ti_op_t *op) {
    return (lstm_params_t *)op->p.conv.mult;
}

// The C arithmetic of the activations and the cell update; the Cortex-M0+ runs cell_update's
// assembly instead, so there these are unused.
#define C_ONLY __attribute__((unused))

// The table interpolated at |d| / 2^bits, scaled by 2^bits (saturating past its end).
static C_ONLY int32_t lookup(int32_t d, int bits, int32_t top) {
    uint32_t a = (uint32_t)(d < 0 ? -d : d);
    uint32_t hi = a >> bits;
    if (hi >= 255) {
        return top << bits;
    }
    int32_t ua = ti_lstm_sigmoid_table[hi], ub = ti_lstm_sigmoid_table[hi + 1];
    return (ua << bits) + (int32_t)(a & ((1u << bits) - 1)) * (ub - ua);
}

// sigmoid of a Q3.12 int16, in Q0.15 (input scaled by 3: the table spans +-10.7).
static C_ONLY int32_t sigmoid16(int32_t x) {
    int32_t d = x * 3, r = lookup(d, 9, 0xfffe);
    return (d >= 0 ? r + (1 << 9) : (1 << 25) - r + (1 << 9) - 1) >> 10;
}

// tanh(x / 2^(12 + shift) x mult / 3) in Q0.15: tanh(x) = 2 sigmoid(2x) - 1 on the same table.
static C_ONLY int32_t tanh16(int32_t x, int32_t mult, int32_t shift) {
    int32_t d = (x * mult + (shift > 0 ? 1 << (shift - 1) : 0)) >> shift;
    int32_t r = lookup(d, 8, 0xffff);
    return (d >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1) >> 8;
}

#if TI_HOST_API
// Test entry point: which 0 = sigmoid16, 1 = tanh16(x, mult, shift), over n values.
void ti_lstm_activation16(int which, int32_t mult, int32_t shift, const int16_t *in, int16_t *out, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        out[i] = (int16_t)(which ? tanh16(in[i], mult, shift) : sigmoid16(in[i]));
    }
}
#endif

static C_ONLY int32_t sat16(int32_t v) {
    return v < -32768 ? -32768 : v > 32767 ? 32767 : v;
}

// acc[g] = sum rows[g][k] x[k], k < n, g < 4 (the four gates of a unit share each load of
// x), over the raw int8 x; the zero points are in the caller's terms. Wrapping sums, like
// the reference's int32 on hostile sizes. Then rows[g] += n: the next unit's rows.
#if defined(__thumb__) && !defined(__thumb2__)
// Cortex-M0+: ldrsb has only a register-offset form, so the five arrays share one negative
// index counting up to zero: 21 cycles for 4 MACs.
__attribute__((naked, noinline)) static void dot4(const int8_t *x, const int8_t **rows, int32_t n, uint32_t *acc) {
    (void)x, (void)rows, (void)n, (void)acc;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n push {r4-r7}\n"
        "push {r1, r3}\n"
        "movs r6, #0\n mov r8, r6\n mov r9, r6\n mov r10, r6\n mov r11, r6\n"
        "movs r5, r2\n ble 2f\n"
        "ldm r1, {r1-r4}\n"
        "adds r0, r0, r5\n adds r1, r1, r5\n adds r2, r2, r5\n adds r3, r3, r5\n adds r4, r4, r5\n"
        "negs r5, r5\n"
        "1:\n"
        "ldrsb r6, [r0, r5]\n"
        "ldrsb r7, [r1, r5]\n muls r7, r6, r7\n add r8, r7\n"
        "ldrsb r7, [r2, r5]\n muls r7, r6, r7\n add r9, r7\n"
        "ldrsb r7, [r3, r5]\n muls r7, r6, r7\n add r10, r7\n"
        "ldrsb r7, [r4, r5]\n muls r7, r6, r7\n add r11, r7\n"
        "adds r5, #1\n"
        "bne 1b\n"
        "ldr r0, [sp]\n stm r0!, {r1-r4}\n"  // the rows' ends
        "2:\n"
        "pop {r0, r1}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n stm r1!, {r4-r7}\n"
        "pop {r4-r7}\n mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        ".syntax divided\n");
}
#else
static void dot4(const int8_t *x, const int8_t **rows, int32_t n, uint32_t *acc) {
    for (unsigned g = 0; g < 4; g++) {
        uint32_t a = 0;
        for (int32_t k = 0; k < n; k++) {
            a += (uint32_t)(rows[g][k] * x[k]);
        }
        acc[g] = a;
        rows[g] += n > 0 ? n : 0;
    }
}
#endif

// sum of x[k] - zp, k < n (wrapping).
static uint32_t offset_sum(const int8_t *x, int32_t zp, int32_t n) {
    uint32_t s = 0;
    for (int32_t k = 0; k < n; k++) {
        s += (uint32_t)x[k];
    }
    return s - (uint32_t)zp * (uint32_t)n;
}

static ti_status_t check_weights(ti_interp_t *it, const ti_tensor_t *w, int32_t rows, int32_t cols, const char *role) {
    ti_status_t st;
    if ((st = ti_check_type(it, w, TI_INT8, role)) || (st = ti_check_quant(it, w, role))) {
        return st;
    }
    if (!w->is_const || w->ndim != 2 || w->dims[0] != rows || w->dims[1] != cols) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(LSTM_SHAPE));
    }
    return w->scales.n > 1 ? ti_fail(it, TI_ERR_QUANT, TI_T(LSTM_PER_TENSOR)) : TI_OK;
}

// Multiplier of a fully connected part into Q3.12: in_scale x w_scale x 2^12.
static ti_status_t fc_multiplier(ti_interp_t *it, const ti_tensor_t *in, const ti_tensor_t *w, int32_t *m, int32_t *s) {
    double real = ti_dmul(ti_dmul(ti_d_from_f(in->scale), ti_d_from_f(w->scale)), (double)(1 << GATE_SCALE_LOG2));
    return ti_quantize_multiplier(it, real, m, s);
}

static ti_status_t mul_multiplier(ti_interp_t *it, double a, double b, double out, int32_t *m, int32_t *s) {
    return ti_quantize_multiplier(it, ti_ddiv(ti_dmul(a, b), out), m, s);
}

// The 8 parts of a unit's gates: input (g) and recurrent (4 + g) products of gate g.
#define PARTS 8

// Per unit j and part q, what the steps add to the raw products (k[PARTS j + q]): the bias
// and -x_zp times the input weights' row sum; -h_zp times the recurrent row sum. As the
// reference's effective biases, wrapping.
static void constant_terms(int32_t *k, const lstm_params_t *p, const int8_t *const *w, const int8_t *const *r,
                           const uint8_t *const *b) {
    int32_t n_x = p->features, units = p->units;
    for (int32_t j = 0; j < units; j++, k += PARTS) {
        for (unsigned g = 0; g < 4; g++) {
            k[g] = ti_wrap_sub(ti_load_i32(b[g] + 4 * j), (int32_t)((uint32_t)p->x_zp * offset_sum(w[g] + j * n_x, 0, n_x)));
            k[4 + g] = (int32_t)(0u - (uint32_t)p->h_zp * offset_sum(r[g] + j * units, 0, units));
        }
    }
}

ti_status_t ti_lstm_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_status_t st = ti_check_arity(it, op, 1, N_INPUTS, 1);
    if (st != TI_OK) {
        return st;
    }
    if (op->n_in <= IN_C || !ti_in(it, op, IN_H) || !ti_in(it, op, IN_C)) {
        return ti_fail(it, TI_ERR_MALFORMED, TI_T(LSTM_STATES_MISSING));
    }
    static const uint8_t absent[] = {IN_PEEP, IN_PEEP + 1, IN_PEEP + 2, IN_PROJ_W, IN_PROJ_B,
                                     IN_NORM, IN_NORM + 1, IN_NORM + 2, IN_NORM + 3};
    for (unsigned k = 0; k < sizeof(absent); k++) {
        if (ti_in(it, op, absent[k])) {
            return ti_fail(it, TI_ERR_MALFORMED, TI_T(LSTM_VARIANT));
        }
    }
    if (ti_opt_i8(it, op, LSTM_ACT, 0) != ACT_TANH) {
        return ti_fail(it, TI_ERR_MALFORMED, TI_T(LSTM_TANH));
    }
    ti_tensor_t *x = ti_in(it, op, IN_X), *h = ti_in(it, op, IN_H), *c = ti_in(it, op, IN_C), *out = ti_out(it, op, 0);
    if ((st = ti_check_type(it, x, TI_INT8, "input")) || (st = ti_check_quant(it, x, "input")) ||
        (st = ti_check_type(it, h, TI_INT8, "hidden state")) || (st = ti_check_quant(it, h, "hidden state")) ||
        (st = ti_check_type(it, c, TI_INT16, "cell state")) || (st = ti_check_quant(it, c, "cell state")) ||
        (st = ti_check_type(it, out, TI_INT8, "output"))) {
        return st;
    }
    if (h->in_arena != 2 || c->in_arena != 2) {
        return ti_fail(it, TI_ERR_MALFORMED, TI_T(LSTM_VARIABLE));
    }
    int time_major = ti_opt_i8(it, op, LSTM_TIME_MAJOR, 0) != 0;
    int32_t batch = x->dims[time_major ? 1 : 0], steps = x->dims[time_major ? 0 : 1], features = x->dims[2];
    ti_tensor_t *w_forget = ti_in(it, op, IN_W + 1);
    int32_t units = w_forget && w_forget->ndim == 2 ? w_forget->dims[0] : -1;
    if (x->ndim != 3 || batch != 1 || units < 0 || features > 0xffffff || units > 0xffffff || ti_elements(h) != (uint32_t)units ||
        ti_elements(c) != (uint32_t)units || (uint64_t)ti_elements(out) != (uint64_t)steps * (uint32_t)units) {
        return ti_fail(it, TI_ERR_SHAPE, TI_T(LSTM_SHAPE));
    }
    lstm_params_t *p = (lstm_params_t *)ti_chan_alloc(it, TI_LSTM_PARAM_WORDS);
    if (!p || sizeof(lstm_params_t) > TI_LSTM_PARAM_WORDS * sizeof(int32_t)) {
        return ti_fail(it, TI_ERR_MALFORMED, TI_T(LSTM_ROOM));
    }
    op->p.conv.mult = (int32_t *)p;
    op->scratch_bytes = 32u * (uint32_t)units;  // per unit the 8 products of a step (ti_lstm_eval)
    p->steps = steps;
    p->features = features;
    p->units = units;
    p->x_zp = x->zero_point;
    p->h_zp = h->zero_point;
    for (unsigned g = 0; g < 4; g++) {
        ti_tensor_t *w = ti_in(it, op, IN_W + g), *r = ti_in(it, op, IN_R + g), *b = ti_in(it, op, IN_B + g);
        if (!w || !r || !b) {
            return ti_fail(it, TI_ERR_MALFORMED, TI_T(LSTM_GATES));
        }
        if ((st = check_weights(it, w, units, features, "input weights")) ||
            (st = check_weights(it, r, units, units, "recurrent weights")) ||
            (st = ti_check_type(it, b, TI_INT32, "gate bias"))) {
            return st;
        }
        if (!b->is_const || ti_elements(b) != (uint32_t)units) {
            return ti_fail(it, TI_ERR_SHAPE, TI_T(LSTM_SHAPE));
        }
        if ((st = fc_multiplier(it, x, w, &p->w_mult[g], &p->w_shift[g])) ||
            (st = fc_multiplier(it, h, r, &p->r_mult[g], &p->r_shift[g]))) {
            return st;
        }
        p->w_zp[g] = w->zero_point;
        p->r_zp[g] = r->zero_point;
    }
    // The cell state scale must be a power of two, 2^power.
    double cs = ti_d_from_f(c->scale);
    int32_t power = 0;
    while (ti_d_less(cs, 1.0) && power > -40) {
        cs = ti_dmul(cs, 2.0);
        power--;
    }
    int32_t tanh_shift = 15 + power - 3;  // cell -> the table's input scale 2^-12 / 3
    if (ti_d_less(cs, 1.0) || ti_d_less(1.0, cs) || tanh_shift < -15 || tanh_shift > 12) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(LSTM_CELL_SCALE));
    }
    p->tanh_mult = tanh_shift >= 0 ? 3 << tanh_shift : 3;
    p->tanh_shift = tanh_shift >= 0 ? 0 : -tanh_shift;
    double gate = 1.0 / 32768, cell = ti_d_from_f(c->scale);
    if ((st = mul_multiplier(it, gate, cell, cell, &p->fc_mult, &p->fc_shift)) ||
        (st = mul_multiplier(it, gate, gate, cell, &p->ig_mult, &p->ig_shift)) ||
        (st = mul_multiplier(it, gate, gate, ti_d_from_f(h->scale), &p->oh_mult, &p->oh_shift))) {
        return st;
    }
    // With the cell scale a power of two, so are these two: multiplier 2^30, right shifts
    // (cell_update relies on it).
    if (p->fc_mult != 1 << 30 || p->ig_mult != 1 << 30 || p->fc_shift > 0 || p->ig_shift > 0) {
        return ti_fail(it, TI_ERR_QUANT, TI_T(LSTM_CELL_SCALE));
    }
    // Clip in cell units, saturated to int16 and truncated, as the reference.
    double clip = ti_d_from_f(ti_opt_f32(it, op, LSTM_CELL_CLIP, 0.0f));
    p->clip = 0;
    if (ti_d_less(0.0, clip)) {
        double q = ti_ddiv(clip, cell);
        p->clip = ti_d_less(q, 32767.0) ? ti_d_floor(q) : 32767;
    }
    // The constant terms, once, in the room the loader counted for them (8 words a unit of the
    // input-to-input weights, checked above to be [units, features]).
    if (!(op->p.conv.fold = ti_chan_alloc(it, PARTS * (uint32_t)units))) {
        return ti_fail(it, TI_ERR_MALFORMED, TI_T(LSTM_ROOM));
    }
    const int8_t *w[4], *r[4];
    const uint8_t *b[4];
    for (unsigned g = 0; g < 4; g++) {
        w[g] = (const int8_t *)ti_in(it, op, IN_W + g)->data;
        r[g] = (const int8_t *)ti_in(it, op, IN_R + g)->data;
        b[g] = ti_in(it, op, IN_B + g)->data;
    }
    constant_terms(op->p.conv.fold, p, w, r, b);
    return TI_OK;
}

// One part of every unit: s = sat16(MultiplyByQuantizedMultiplier(s + k - zc, m, shift)), s and
// k PARTS words apart. m is never INT32_MIN (ti_quantize_multiplier), so the doubling high
// multiply cannot saturate; m's halves and the shifts' constants are worked out once.
typedef struct {
    int32_t *s;
    const int32_t *k;
    const int32_t *s_end;
    uint32_t zc;
    int32_t ml, mh, left, half, right, mask;
} part_run_t;

#if defined(__thumb__) && !defined(__thumb2__)
// floor((a m + 2^30) / 2^31) (ti_srdhm_core's arithmetic) from the four products of a's and
// m's 16-bit halves: r5 al ml, r4 ah ml, r2 al mh, HI ah mh; into HI (r3 scratch).
#define SRDHM_COMBINE(HI)                                                                      \
    "movs r3, #1\n lsls r3, r3, #30\n adds r5, r5, r3\n movs r3, #0\n adcs " HI ", r3\n"       \
    "lsls r3, r4, #16\n asrs r4, r4, #16\n adds r5, r5, r3\n adcs " HI ", r4\n"                 \
    "lsls r3, r2, #16\n asrs r2, r2, #16\n adds r5, r5, r3\n adcs " HI ", r2\n"                 \
    "lsrs r5, r5, #31\n lsls " HI ", " HI ", #1\n orrs " HI ", r5\n"

// Cortex-M0+: about 59 cycles an element (the C version spills: about 75).
__attribute__((naked, noinline)) static void requant_run(const part_run_t *a) {
    (void)a;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n push {r4-r7}\n"
        "ldm r0!, {r1-r7}\n"               // s, k, end, zc, ml, mh, left
        "mov r8, r3\n mov r9, r4\n mov r10, r5\n mov r11, r6\n mov r12, r7\n"
        "ldm r0!, {r3-r5}\n mov lr, r3\n"  // half; right and mask stay on the stack
        "push {r4, r5}\n"
        "movs r0, r1\n movs r1, r2\n"       // r0 s, r1 k
        "cmp r0, r8\n beq 9f\n"
        "1:\n"
        "ldr r2, [r0]\n ldr r3, [r1]\n adds r2, r2, r3\n mov r3, r9\n subs r2, r2, r3\n"
        "mov r3, r12\n lsls r2, r3\n"
        "asrs r3, r2, #16\n uxth r2, r2\n"
        "mov r4, r10\n movs r5, r2\n muls r5, r4\n muls r4, r3\n"
        "mov r6, r11\n muls r2, r6\n muls r6, r3\n"
        SRDHM_COMBINE("r6")
        // Rounded right shift, ties away from zero: + 1 when the remainder > half + (v < 0).
        "ldr r5, [sp, #4]\n ands r5, r6\n lsrs r3, r6, #31\n add r3, lr\n"
        "ldr r7, [sp]\n asrs r6, r7\n cmp r5, r3\n ble 3f\n adds r6, #1\n 3:\n"
        // Saturated to int16 out of line (rare): v >> 15 is 0 or -1 inside.
        "asrs r3, r6, #15\n adds r3, #1\n lsrs r3, r3, #1\n bne 6f\n"
        "5:\n str r6, [r0]\n adds r0, #32\n adds r1, #32\n cmp r0, r8\n bne 1b\n"
        "9:\n add sp, #8\n"
        "pop {r4-r7}\n mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        "6:\n movs r3, #1\n lsls r3, r3, #15\n cmp r6, #0\n blt 7f\n subs r6, r3, #1\n b 5b\n"
        "7:\n negs r6, r3\n b 5b\n"
        ".syntax divided\n");
}
#else
static void requant_run(const part_run_t *a) {
    int32_t m = (int32_t)(((uint32_t)a->mh << 16) + (uint32_t)a->ml);
    for (int32_t *s = a->s, *k = (int32_t *)a->k; s != a->s_end; s += PARTS, k += PARTS) {
        *s = sat16(ti_mbqm((int32_t)((uint32_t)*s + (uint32_t)*k - a->zc), m, a->left - a->right));
    }
}
#endif

static void requant_part(int32_t *s, const int32_t *k, uint32_t zc, int32_t units, int32_t m, int32_t shift) {
    int32_t right = shift > 0 ? 0 : -shift;
    int32_t mask = (int32_t)((1u << right) - 1u);
    part_run_t a = {s, k, s + PARTS * units, zc, m & 0xffff, m >> 16, shift > 0 ? shift : 0, mask >> 1, right, mask};
    requant_run(&a);
}

// ti_mbqm by 2^30 (the cell state's power-of-two scales, checked at prepare) and a right shift:
// the doubling high multiply is then floor((x + 1) / 2), no 64-bit product.
static C_ONLY int32_t requant_cell(int32_t x, int32_t shift) {
    return ti_rdbpot((x >> 1) + (x & 1), -shift);
}

// The cell state and output of every unit from its gates' requantized parts (a, PARTS words
// a unit): gate = sat16(input part + recurrent part), sigmoid or (cell gate) tanh; cell =
// sat16(sat16(f c) + sat16(i g)), clipped; output = h_zp + o tanh(cell) requantized, int8.
typedef struct {
    const int32_t *a;
    int16_t *c;
    int8_t *y;
    const int8_t *y_end;
    const uint16_t *table;
    // the assembly's offsets from here: 0, 4, 8, ... 36
    int32_t fc_e, ig_e, clip, tanh_mult, tanh_shift, oh_ml, oh_mh, oh_left, oh_right, h_zp;
} cell_run_t;

#if defined(__thumb__) && !defined(__thumb2__)
// Cortex-M0+, every step inline (a call costs about as much as a step). Frame: [sp] the
// constants (fc_e on), [sp, #4] a, #8 c, #12 y, #16 y_end; r7 the table; the gates in r8 (i),
// r9 (f), r10 (g), r11 (o). Labels 5-8 are each macro's own.
// r0 saturated to int16 (r3).
#define CU_SAT16 "asrs r3, r0, #15\n adds r3, #1\n lsrs r3, r3, #1\n beq 5f\n" \
    "asrs r0, r0, #31\n movs r3, #127\n lsls r3, r3, #8\n adds r3, #255\n eors r0, r3\n 5:\n"
// The table interpolated at |d| / 2^BITS, scaled by 2^BITS: d r5 -> r0, TOP past its end (r1-r4).
#define CU_LOOKUP(BITS, TOP) "asrs r2, r5, #31\n adds r0, r5, r2\n eors r0, r2\n lsrs r2, r0, #" BITS "\n" \
    "cmp r2, #255\n bhs 6f\n lsls r3, r2, #1\n ldrh r4, [r7, r3]\n adds r3, #2\n ldrh r3, [r7, r3]\n" \
    "subs r3, r3, r4\n lsls r2, r2, #" BITS "\n subs r0, r0, r2\n muls r0, r3\n lsls r4, r4, #" BITS "\n" \
    "adds r0, r0, r4\n b 7f\n 6:\n ldr r0, =" TOP "\n 7:\n"
// sigmoid16(r0) -> r0 (r1-r5).
#define CU_SIGMOID "lsls r5, r0, #1\n adds r5, r5, r0\n" CU_LOOKUP("9", "0x1fffc00") \
    "cmp r5, #0\n blt 8f\n adds r0, #255\n adds r0, #255\n adds r0, #2\n asrs r0, r0, #10\n b 5f\n" \
    "8:\n ldr r1, =0x20001ff\n subs r0, r1, r0\n asrs r0, r0, #10\n 5:\n"
// tanh16 of d in r5 (already scaled) -> r0 (r1-r4).
#define CU_TANH CU_LOOKUP("8", "0xffff00") \
    "ldr r1, =0x800000\n cmp r5, #0\n blt 8f\n subs r0, r0, r1\n adds r0, #128\n asrs r0, r0, #8\n b 5f\n" \
    "8:\n subs r0, r1, r0\n adds r0, #127\n asrs r0, r0, #8\n 5:\n"
// r0 shifted right by r1, rounded, ties away from zero (r2-r4).
#define CU_ROUND_SHIFT "movs r2, #1\n lsls r2, r1\n subs r2, #1\n movs r3, r0\n ands r3, r2\n lsrs r2, r2, #1\n" \
    "lsrs r4, r0, #31\n adds r2, r2, r4\n asrs r0, r1\n cmp r3, r2\n ble 5f\n adds r0, #1\n 5:\n"
// requant_cell(r0, -r1) saturated to int16.
#define CU_CELL_PART "asrs r2, r0, #1\n lsls r0, r0, #31\n lsrs r0, r0, #31\n adds r0, r0, r2\n" CU_ROUND_SHIFT CU_SAT16
// Gate Q's two parts (a + 4 Q, a + 16 + 4 Q) added, saturated -> r0.
#define CU_GATE(Q, Q4) "ldr r2, [sp, #4]\n ldr r0, [r2, #" Q "]\n ldr r1, [r2, #" Q4 "]\n adds r0, r0, r1\n" CU_SAT16
__attribute__((naked, noinline)) static void cell_update(const cell_run_t *r) {
    (void)r;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n push {r4-r7}\n"
        "ldm r0!, {r1-r5}\n"  // a, c, y, y_end, table
        "push {r0-r4}\n"
        "movs r7, r5\n"
        "cmp r3, r4\n bne 1f\n b 9f\n"
        "1:\n"
        CU_GATE("0", "16") CU_SIGMOID "mov r8, r0\n"
        CU_GATE("4", "20") CU_SIGMOID "mov r9, r0\n"
        CU_GATE("8", "24") "lsls r5, r0, #1\n adds r5, r5, r0\n" CU_TANH "mov r10, r0\n"
        CU_GATE("12", "28") CU_SIGMOID "mov r11, r0\n"
        "ldr r2, [sp, #4]\n adds r2, #32\n str r2, [sp, #4]\n"
        // The cell: sat16(sat16(f c) + sat16(i g)) requantized, clipped.
        "ldr r3, [sp, #8]\n movs r4, #0\n ldrsh r0, [r3, r4]\n mov r1, r9\n muls r0, r1\n"
        "ldr r6, [sp]\n ldr r1, [r6, #0]\n" CU_CELL_PART "mov r12, r0\n"
        "mov r0, r8\n mov r1, r10\n muls r0, r1\n ldr r1, [r6, #4]\n" CU_CELL_PART
        "add r0, r12\n" CU_SAT16
        "ldr r1, [r6, #8]\n cmp r1, #0\n beq 2f\n cmp r0, r1\n ble 3f\n movs r0, r1\n 3:\n"
        "negs r1, r1\n cmp r0, r1\n bge 2f\n movs r0, r1\n 2:\n"
        "ldr r3, [sp, #8]\n strh r0, [r3]\n adds r3, #2\n str r3, [sp, #8]\n"
        // The output: h_zp + MultiplyByQuantizedMultiplier(o tanh(cell), oh), int8.
        "ldr r1, [r6, #12]\n muls r0, r1\n ldr r2, [r6, #16]\n cmp r2, #0\n beq 3f\n"
        "subs r3, r2, #1\n movs r4, #1\n lsls r4, r3\n adds r0, r0, r4\n asrs r0, r2\n 3:\n"
        "movs r5, r0\n" CU_TANH "mov r1, r11\n muls r0, r1\n"
        "ldr r6, [sp]\n ldr r1, [r6, #28]\n lsls r0, r1\n"
        "asrs r3, r0, #16\n uxth r2, r0\n ldr r4, [r6, #20]\n movs r5, r2\n muls r5, r4\n muls r4, r3\n"
        "ldr r1, [r6, #24]\n muls r2, r1\n muls r1, r3\n"
        SRDHM_COMBINE("r1")
        "movs r0, r1\n ldr r1, [r6, #32]\n" CU_ROUND_SHIFT
        "ldr r1, [r6, #36]\n adds r0, r0, r1\n"
        "movs r1, r0\n adds r1, #128\n lsrs r1, r1, #8\n beq 4f\n asrs r0, r0, #31\n movs r1, #127\n eors r0, r1\n 4:\n"
        "ldr r3, [sp, #12]\n strb r0, [r3]\n adds r3, #1\n str r3, [sp, #12]\n"
        "ldr r4, [sp, #16]\n cmp r3, r4\n beq 9f\n b 1b\n"
        ".ltorg\n"
        "9:\n add sp, #20\n"
        "pop {r4-r7}\n mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        ".syntax divided\n");
}
#undef SRDHM_COMBINE
#undef CU_GATE
#undef CU_CELL_PART
#undef CU_ROUND_SHIFT
#undef CU_TANH
#undef CU_SIGMOID
#undef CU_LOOKUP
#undef CU_SAT16
#else
static void cell_update(const cell_run_t *r) {
    const int32_t *a = r->a;
    int16_t *c = r->c;
    for (int8_t *y = r->y; y != r->y_end; y++, c++, a += PARTS) {
        int32_t ig = sigmoid16(sat16(a[0] + a[4])), fg = sigmoid16(sat16(a[1] + a[5]));
        int32_t cg = tanh16(sat16(a[2] + a[6]), 3, 0), og = sigmoid16(sat16(a[3] + a[7]));
        int32_t cell = sat16(sat16(requant_cell(fg * *c, -r->fc_e)) + sat16(requant_cell(ig * cg, -r->ig_e)));
        if (r->clip) {
            cell = cell > r->clip ? r->clip : cell < -r->clip ? -r->clip : cell;
        }
        *c = (int16_t)cell;
        int32_t m = (int32_t)(((uint32_t)r->oh_mh << 16) + (uint32_t)r->oh_ml);
        int32_t v = r->h_zp + ti_mbqm(tanh16(cell, r->tanh_mult, r->tanh_shift) * og, m, r->oh_left - r->oh_right);
        *y = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
    }
}
#endif

// n units of one step from the half's first: their products, parts and cell update. Both
// halves read the whole hidden state; the caller copies the step's output into it after both.
typedef struct {
    const lstm_params_t *p;
    const int8_t *x, *h;
    const int8_t *w[4], *r[4];  // the first unit's rows of the input and recurrent weights
    const int32_t *k;  // its constant terms (prepare)
    int32_t *s;        // scratch: per unit the PARTS products of a step, from the first unit's
    uint32_t sum_x, sum_h;
    cell_run_t run;    // from the first unit (set per step: y, y_end)
    int32_t n;
} lstm_units_t;

static void lstm_units(void *arg) {
    lstm_units_t *u = arg;
    const lstm_params_t *p = u->p;
    int32_t n_x = p->features, units = p->units, n = u->n;
    const int8_t *wj[4] = {u->w[0], u->w[1], u->w[2], u->w[3]}, *rj[4] = {u->r[0], u->r[1], u->r[2], u->r[3]};
    int32_t *s = u->s;
    const int32_t *k = u->k;
    const int8_t *x = u->x, *h = u->h;  // locals: dot4 could write what u points at
    for (uint32_t *acc = (uint32_t *)s, *end = acc + PARTS * n; acc != end; acc += PARTS) {
        dot4(x, wj, n_x, acc);
        dot4(h, rj, units, acc + 4);
    }
    for (unsigned g = 0; g < 4; g++) {
        requant_part(s + g, k + g, (uint32_t)p->w_zp[g] * u->sum_x, n, p->w_mult[g], p->w_shift[g]);
        requant_part(s + 4 + g, k + 4 + g, (uint32_t)p->r_zp[g] * u->sum_h, n, p->r_mult[g], p->r_shift[g]);
    }
    cell_update(&u->run);
}

// Scratch: per unit the PARTS products of a step. With TI_TWO_CORES each step's units in
// two halves.
void ti_lstm_eval(ti_interp_t *it, const ti_op_t *op) {
    const lstm_params_t *p = params_of(op);
    const int8_t *x = (const int8_t *)ti_in(it, op, IN_X)->data;
    int8_t *h = (int8_t *)ti_in(it, op, IN_H)->data;
    int16_t *c = (int16_t *)ti_in(it, op, IN_C)->data;
    int8_t *y = (int8_t *)ti_out(it, op, 0)->data;
    int32_t n_x = p->features, units = p->units;
    // The cell update's constants, once; each step sets its output row.
    lstm_units_t first = {p, x, h, {0}, {0}, op->p.conv.fold, (int32_t *)(it->arena + op->scratch_offset), 0, 0,
                          {0, c, 0, 0, ti_lstm_sigmoid_table, -p->fc_shift, -p->ig_shift, p->clip, p->tanh_mult,
                           p->tanh_shift, p->oh_mult & 0xffff, p->oh_mult >> 16, p->oh_shift > 0 ? p->oh_shift : 0,
                           p->oh_shift > 0 ? 0 : -p->oh_shift, p->h_zp},
                          0};
    int halves = it->two_cores && units >= 2;
    first.n = halves ? units / 2 : units;
    first.run.a = first.s;
    for (unsigned g = 0; g < 4; g++) {
        first.w[g] = (const int8_t *)ti_in(it, op, IN_W + g)->data;
        first.r[g] = (const int8_t *)ti_in(it, op, IN_R + g)->data;
    }
    // The second half: the units from first.n on.
    lstm_units_t second = first;
    second.n = units - first.n;
    second.k += PARTS * first.n;
    second.run.a = second.s += PARTS * first.n;
    second.run.c += first.n;
    for (unsigned g = 0; g < 4; g++) {
        second.w[g] += first.n * n_x;
        second.r[g] += first.n * units;
    }
    for (int32_t t = 0; t < p->steps; t++, x += n_x, y += units) {
        first.x = second.x = x;
        first.run.y = y;
        first.run.y_end = second.run.y = y + first.n;
        second.run.y_end = y + units;
        first.sum_x = second.sum_x = offset_sum(x, p->x_zp, n_x);
        first.sum_h = second.sum_h = offset_sum(h, p->h_zp, units);
        if (halves) {
            ti_halves(it, lstm_units, &first, &second);
        } else {
            lstm_units(&first);
        }
        for (int32_t j = 0; j < units; j++) {
            h[j] = y[j];
        }
    }
}
