// ti_link.c for the Cortex-M0+, smaller: each helper is a 6-byte stub that jumps to
// entry k of the table the core wrote (core/ti_abi.h) without touching r0-r3, the stack
// arguments or lr, so it suits any signature, libgcc's register conventions included.
#include "../core/ti_abi.h"

    .syntax unified
    .thumb
    .text

    .macro THUNK name, index
    .global \name
    .type \name, %function
    .thumb_func
\name:
    push {r0, r1}
    movs r0, #(8 + 4 * \index)
    b ti_link_jump
    .endm

#define TI_THUNK(ret, name, params, args) THUNK name, __COUNTER__ ;
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
