// Prepare and eval entry points of every kernel (the table is in ti_ops.c).
#ifndef TI_KERNELS_H
#define TI_KERNELS_H

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
TI_KERNEL(dw)
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

#endif
