// The op table: TFLite builtin code -> kernel. Anything not listed is refused at load.
#include "ti_kernels.h"

#define ENTRY(code, name) {code, ti_##name##_prepare, ti_##name##_eval}

const ti_kernel_t ti_kernels[] = {
    ENTRY(0, add),
    ENTRY(1, avgpool),
    ENTRY(2, concat),
    ENTRY(3, conv),
    ENTRY(4, dw),
    ENTRY(6, dequantize),
    ENTRY(9, fc),
    ENTRY(14, logistic),
    ENTRY(17, maxpool),
    ENTRY(18, mul),
    ENTRY(19, relu),
    ENTRY(21, relu6),
    ENTRY(22, reshape),
    ENTRY(25, softmax),
    ENTRY(28, tanh),
    ENTRY(34, pad),
    ENTRY(40, mean),
    ENTRY(41, sub),
    ENTRY(43, reshape),   // SQUEEZE
    ENTRY(45, strided_slice),
    ENTRY(70, reshape),   // EXPAND_DIMS
    ENTRY(97, resize),
    ENTRY(114, quantize),
};

const unsigned ti_n_kernels = sizeof(ti_kernels) / sizeof(ti_kernels[0]);
