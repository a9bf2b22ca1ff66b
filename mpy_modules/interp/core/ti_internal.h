// Shared by the loader, the planner and the kernels; not part of the public API.
#ifndef TI_INTERNAL_H
#define TI_INTERNAL_H

#include "ti_interp.h"
#include "ti_text.h"

// Stays global when a board module is built as one unit with -fwhole-program: variables
// in the BSS (mpy_ld reaches them only through the GOT) and functions called from outside
// the unit (the module's init, the divides of ti_libgcc.c).
#if defined(__GNUC__) && !defined(__clang__)
#define TI_GLOBAL __attribute__((externally_visible))
#else
#define TI_GLOBAL
#endif

// 32-bit divides on the RP2040's hardware divider (ti_libgcc.c); 0: libgcc's.
#if defined(__thumb__) && !defined(__thumb2__) && !defined(TI_RP2040_DIVIDER)
#define TI_RP2040_DIVIDER 1
#endif

// The op table (ti_ops.c); an op's kind is its TFLite builtin code.
int ti_op_supported(int32_t code);
ti_status_t ti_op_prepare(ti_interp_t *it, ti_op_t *op);
void ti_op_eval(ti_interp_t *it, const ti_op_t *op);

const char *ti_builtin_name(int32_t code);

// Tensor k of the op's inputs (NULL for an omitted optional input) and outputs.
static inline ti_tensor_t *ti_in(const ti_interp_t *it, const ti_op_t *op, unsigned k) {
    int16_t t = k < op->n_in ? it->io[op->io + k] : -1;
    return t < 0 ? 0 : &it->tensors[t];
}
static inline ti_tensor_t *ti_out(const ti_interp_t *it, const ti_op_t *op, unsigned k) {
    return &it->tensors[it->io[op->io + op->n_in + k]];
}

// Records an error for the op being prepared: "<OP> (op N): <what><n><what2>". Each
// part is a string or a TI_T code (ti_text.h).
ti_status_t ti_fail(ti_interp_t *it, ti_status_t st, const char *what);
ti_status_t ti_fail_n(ti_interp_t *it, ti_status_t st, const char *what, int32_t n, const char *what2);
// Appends s (a string or a TI_T code) to the message dst at pos; returns the new length.
size_t ti_msg_append(char *dst, size_t pos, const char *s);

// Shared prepare checks.
uint32_t ti_elements(const ti_tensor_t *t);
int ti_same_shape(const ti_tensor_t *a, const ti_tensor_t *b);
ti_status_t ti_check_arity(ti_interp_t *it, const ti_op_t *op, unsigned min_in, unsigned max_in, unsigned n_out);
ti_status_t ti_check_type(ti_interp_t *it, const ti_tensor_t *t, uint8_t type, const char *role);
ti_status_t ti_check_quant(ti_interp_t *it, const ti_tensor_t *t, const char *role);
// The common start of an op's prepare: n_in inputs (all required) and one output, input 0
// of in_type and output 0 of out_type, then quantized as `quant` asks (TI_QUANT_IN,
// TI_QUANT_OUT). TI_OK with *in and *out set, or the first failure.
#define TI_QUANT_IN 1u
#define TI_QUANT_OUT 2u
ti_status_t ti_check_io(ti_interp_t *it, const ti_op_t *op, unsigned n_in, uint8_t in_type, uint8_t out_type,
                        unsigned quant, ti_tensor_t **in, ti_tensor_t **out);

// TFLM's QuantizeMultiplier: m = qm * 2^shift with qm a q0 in [0.5, 1).
ti_status_t ti_quantize_multiplier(ti_interp_t *it, double m, int32_t *qm, int32_t *shift);
// Clamp range of a fused activation (0 none, 1 relu, 2 relu_n1_to_1, 3 relu6).
ti_status_t ti_activation_range(ti_interp_t *it, int32_t act, const ti_tensor_t *out, int32_t *lo, int32_t *hi);
// IEEE arithmetic in integers (ti_soft.c): the core never uses C float operators, so
// the module needs no soft-float library. Finite inputs; round to nearest even.
double ti_ddiv(double a, double b);
double ti_dmul(double a, double b);
double ti_d_from_f(float f);
double ti_d_from_i(int32_t n);
float ti_f_from_d(double d);
float ti_fdiv(float a, float b);
float ti_fmul(float a, float b);
int32_t ti_d_floor(double d);   // floor, saturating near +-2^30
int32_t ti_d_round(double d);   // round half away from zero, saturating near +-2^30
int ti_d_less(double a, double b);
// A usable quantization scale: positive, finite, below 1e30.
int ti_scale_ok(float scale);
// Same zero point and bit-identical scale.
int ti_same_quant(const ti_tensor_t *a, const ti_tensor_t *b);
// Scale of channel c of a quantized tensor.
float ti_channel_scale(const ti_interp_t *it, const ti_tensor_t *t, uint32_t c);
// Takes n entries from the per-channel pool.
// UNIDIRECTIONAL_SEQUENCE_LSTM keeps its parameters there (kernel_lstm.c).
#define TI_LSTM_PARAM_WORDS 40
int32_t *ti_chan_alloc(ti_interp_t *it, uint32_t n);

// Op options (builtin_options table). Without one, op->options is all zero: a vtable of
// length 0 has no field, so the reads give the default.
static inline int32_t ti_opt_i32(const ti_interp_t *it, const ti_op_t *op, unsigned idx, int32_t dflt) {
    return ti_fb_i32(&it->fb, &op->options, idx, dflt);
}
static inline int32_t ti_opt_i8(const ti_interp_t *it, const ti_op_t *op, unsigned idx, int32_t dflt) {
    return ti_fb_i8(&it->fb, &op->options, idx, dflt);
}
static inline float ti_opt_f32(const ti_interp_t *it, const ti_op_t *op, unsigned idx, float dflt) {
    return ti_fb_f32(&it->fb, &op->options, idx, dflt);
}

// Planner (ti_plan.c): sets arena offsets of variable tensors and scratch, and it->arena_size.
// With keep_input the graph inputs live through the whole graph: no other buffer overlaps them.
ti_status_t ti_plan(ti_interp_t *it, int keep_input);

static inline int32_t ti_load_i32(const uint8_t *p) {
    return ti_rd_i32(p);
}

#endif
