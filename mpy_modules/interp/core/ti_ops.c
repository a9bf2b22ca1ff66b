// The op table: TFLite builtin code -> kernel. Anything not listed is refused at load.
// A switch rather than a table of function pointers: mpy_ld (MicroPython 1.23) cannot
// relocate data pointers to functions defined in other object files.
#include "ti_kernels.h"

#define KERNELS(X)                         \
    X(0, add)                              \
    X(1, avgpool)                          \
    X(2, concat)                           \
    X(3, conv)                             \
    X(4, dw)                               \
    X(6, dequantize)                       \
    X(9, fc)                               \
    X(14, logistic)                        \
    X(17, maxpool)                         \
    X(18, mul)                             \
    X(19, relu)                            \
    X(21, relu6)                           \
    X(22, reshape)                         \
    X(25, softmax)                         \
    X(28, tanh)                            \
    X(34, pad)                             \
    X(40, mean)                            \
    X(41, sub)                             \
    X(43, reshape) /* SQUEEZE */           \
    X(44, lstm) /* UNIDIRECTIONAL_SEQUENCE_LSTM */ \
    X(45, strided_slice)                   \
    X(70, reshape) /* EXPAND_DIMS */       \
    X(97, resize)                          \
    X(114, quantize)

int ti_op_supported(int32_t code) {
    switch (code) {
#define CASE(code, name) case code:
        KERNELS(CASE)
#undef CASE
        return 1;
        default:
            return 0;
    }
}

ti_status_t ti_op_prepare(ti_interp_t *it, ti_op_t *op) {
    switch (op->kind) {
#define CASE(code, name) \
    case code:           \
        return ti_##name##_prepare(it, op);
        KERNELS(CASE)
#undef CASE
        default:
            return TI_ERR_UNSUPPORTED_OP;
    }
}

void ti_op_eval(ti_interp_t *it, const ti_op_t *op) {
    switch (op->kind) {
#define CASE(code, name)         \
    case code:                   \
        ti_##name##_eval(it, op); \
        break;
        KERNELS(CASE)
#undef CASE
        default:
            break;
    }
}
