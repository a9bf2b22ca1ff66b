// ti_link.c for the Cortex-M0+, smaller: each helper is a 6-byte stub that jumps to
// entry k of the table the core wrote (core/ti_abi.h) without touching r0-r3, the stack
// arguments or lr, so it suits any signature, libgcc's register conventions included.
// Only the helpers this module's kernels call get a stub: ti_link_used.h, made by
// opmod.mk from their undefined symbols, defines TI_USE_<name> for each.
#include "../core/ti_abi.h"
#include "ti_link_used.h"

// TI_USED(name): 1 when TI_USE_<name> is defined as 1, else 0 (the Linux kernel's
// IS_ENABLED idiom).
#define TI_PLACEHOLDER_1 0,
#define TI_SECOND(ignored, value, ...) value
#define TI_IS_ONE(x) TI_IS_ONE_(TI_PLACEHOLDER_##x)
#define TI_IS_ONE_(arg) TI_SECOND(arg 1, 0, 0)
#define TI_IS_ONE_EXPANDED(x) TI_IS_ONE(x)
#define TI_USED(name) TI_IS_ONE_EXPANDED(TI_USE_##name)

    .syntax unified
    .thumb
    .text

    .macro THUNK name, index, used
    .if \used
    .global \name
    .type \name, %function
    .thumb_func
\name:
    push {r0, r1}
    movs r0, #(8 + 4 * \index)
    b ti_link_jump
    .endif
    .endm

#define TI_THUNK(ret, name, params, args) THUNK name, __COUNTER__, TI_USED(name) ;
    TI_CORE_API(TI_THUNK)
    TI_CORE_API_LIBGCC(TI_THUNK)

// r0 = byte offset of the entry in ti_core; the caller's r0 and r1 are on the stack.
    .align 1
    .type ti_link_jump, %function
    .thumb_func
ti_link_jump:
    mov ip, r0
    ldr r0, 2f
    ldr r1, 3f
1:  add r0, pc              // r0 = the GOT
    ldr r0, [r0, r1]        // &ti_core
    add r0, ip
    ldr r0, [r0]            // the core's function
    mov ip, r0
    pop {r0, r1}
    bx ip
    .align 2
2:  .word _GLOBAL_OFFSET_TABLE_ - (1b + 4)
3:  .word ti_core(GOT)
