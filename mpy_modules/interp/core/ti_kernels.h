// Every supported op, its kernel and where that kernel lives on the board (dispatch: ti_ops.c).
#ifndef TI_KERNELS_H
#define TI_KERNELS_H

#include <string.h>

#include "ti_fixed.h"
#include "ti_internal.h"

// The module is built for size; the inner loops of the heavy kernels are built for speed.
#if defined(__arm__) && !defined(__clang__)
#define TI_HOT __attribute__((optimize("O2")))
#else
#define TI_HOT
#endif

#define TI_KERNEL(name)                                        \
    ti_status_t ti_##name##_prepare(ti_interp_t *it, ti_op_t *op); \
    void ti_##name##_eval(ti_interp_t *it, const ti_op_t *op);

TI_KERNEL(conv)
TI_KERNEL(conv_generic)
TI_KERNEL(fc_generic)
TI_KERNEL(dw)
TI_KERNEL(dw_generic)
TI_KERNEL(fc)
TI_KERNEL(maxpool)
TI_KERNEL(avgpool)
TI_KERNEL(softmax)
TI_KERNEL(logistic)
TI_KERNEL(tanh)
TI_KERNEL(relu)
TI_KERNEL(relu6)
TI_KERNEL(quantize)
TI_KERNEL(dequantize)
TI_KERNEL(reshape)
TI_KERNEL(resize)
TI_KERNEL(add)
TI_KERNEL(sub)
TI_KERNEL(mul)
TI_KERNEL(mean)
TI_KERNEL(pad)
TI_KERNEL(concat)
TI_KERNEL(strided_slice)
TI_KERNEL(lstm)

// X(builtin code, op name, kernel, group). Group `core` kernels are in interp.mpy; any other group
// g is the op module interp_<g>.mpy (mpy_modules/interp_<g>, its sources listed in
// opmod/groups.mk), imported by the core when a model needs it. The host library holds
// every kernel. Groups follow the zoo: each model loads only the families it uses.
#define TI_OPS(X)                                        \
    X(0, ADD, add, binary)                               \
    X(1, AVERAGE_POOL_2D, avgpool, pool)                 \
    X(2, CONCATENATION, concat, layout)                  \
    X(3, CONV_2D, conv, conv)                            \
    X(4, DEPTHWISE_CONV_2D, dw, dw)                      \
    X(6, DEQUANTIZE, dequantize, act)                    \
    X(9, FULLY_CONNECTED, fc, core)                      \
    X(14, LOGISTIC, logistic, sigmoid)                   \
    X(17, MAX_POOL_2D, maxpool, pool)                    \
    X(18, MUL, mul, binary)                              \
    X(19, RELU, relu, act)                               \
    X(21, RELU6, relu6, act)                             \
    X(22, RESHAPE, reshape, core)                        \
    X(25, SOFTMAX, softmax, core)                        \
    X(28, TANH, tanh, sigmoid)                           \
    X(34, PAD, pad, layout)                              \
    X(40, MEAN, mean, mean)                              \
    X(41, SUB, sub, binary)                              \
    X(43, SQUEEZE, reshape, core)                        \
    X(44, UNIDIRECTIONAL_SEQUENCE_LSTM, lstm, lstm)      \
    X(45, STRIDED_SLICE, strided_slice, layout)          \
    X(70, EXPAND_DIMS, reshape, core)                    \
    X(97, RESIZE_NEAREST_NEIGHBOR, resize, resize)       \
    X(114, QUANTIZE, quantize, act)

// Variants: a path of an op that its prepare chooses (ti_use_variant) and that lives in a
// group of its own, so that the models that never take it do not load its code.
// V(index, op name, kernel, group); its registration code is TI_VARIANT_CODE(index), beyond
// any builtin code (those are the op's at load; a file's code never names a variant).
#define TI_VARIANTS(V) V(0, DEPTHWISE_CONV_2D, dw_generic, dwx) V(1, CONV_2D, conv_generic, convx) \
    V(2, FULLY_CONNECTED, fc_generic, convx)
#define TI_VARIANT_CODE(index) (0x10000 + (index))
enum {
#define TI_VARIANT_ENUM(index, opname, name, group) TI_VARIANT_##name = index,
    TI_VARIANTS(TI_VARIANT_ENUM)
#undef TI_VARIANT_ENUM
};

#define TI_GROUPS(G) G(core) G(conv) G(convx) G(dw) G(dwx) G(pool) G(mean) G(resize) G(act) G(sigmoid) G(binary) G(layout) G(lstm)

enum {
#define TI_GROUP_ENUM(g) TI_GROUP_##g,
    TI_GROUPS(TI_GROUP_ENUM)
#undef TI_GROUP_ENUM
    TI_N_GROUPS
};

// Group of a builtin op code, -1 when no kernel handles it.
int ti_op_group(int32_t code);
// Prepare's choice of variant (TI_VARIANT_<kernel>) for op: its prepare runs next and its eval
// replaces the op's. On the board TI_ERR_NEED_MODULE while its op module is not imported.
ti_status_t ti_use_variant(ti_interp_t *it, ti_op_t *op, unsigned variant);
// "conv" for TI_GROUP_conv ("" when out of range): the op module is interp_<name>.mpy.
const char *ti_group_name(int group);
// TI_ERR_NEED_MODULE, it->msg "<op> needs interp_<group>.mpy" (the binding imports that).
ti_status_t ti_need_module(ti_interp_t *it, int32_t code, int group);

// fn(a) and fn(b): on two cores at once when the binding set it->split (ti_interp.h).
static inline void ti_halves(const ti_interp_t *it, ti_half_fn fn, void *a, void *b) {
    if (it->split) {
        it->split(it->split_ctx, fn, a, b);
    } else {
        fn(a);
        fn(b);
    }
}

// Output rows [r0, r1), counted over the batches: the first member of the job of an op
// that splits by rows.
typedef struct {
    int32_t r0, r1;
} ti_rows_t;

// fn over rows 0..n - 1 of the job `first` (job_bytes long): in one call, or with
// TI_TWO_CORES and n >= 2 in two halves, `second` (as long) a copy of it from row n / 2 on.
static inline void ti_row_halves(const ti_interp_t *it, ti_half_fn fn, ti_rows_t *first, ti_rows_t *second,
                                 size_t job_bytes, int32_t n) {
    first->r0 = 0;
    first->r1 = n;
    if (!it->two_cores || n < 2) {
        fn(first);
        return;
    }
    memcpy(second, first, job_bytes);
    first->r1 = second->r0 = n / 2;
    ti_halves(it, fn, first, second);
}

#endif
