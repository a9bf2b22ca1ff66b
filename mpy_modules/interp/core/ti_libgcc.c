// The board core's own signed divides, in place of libgcc's (the module's code sits in the
// RP2040's RAM): 64-bit ones only happen in prepare, so a bit-at-a-time loop serves
// them (170 bytes instead of 620); 32-bit ones take the signs off and use libgcc's
// unsigned divide, a few cycles more than its signed one (30 bytes instead of 470).
// Op modules reach them through TI_CORE_API_LIBGCC (ti_abi.h).
#include "ti_internal.h"

#if defined(__thumb__) && !defined(__thumb2__)

// No kernel divides 64-bit numbers today: the board's core leaves this one out (188
// bytes). A 64-bit divide that appears links libgcc's into its module (natmod.mk); to
// share this one instead, list __aeabi_ldivmod in TI_CORE_API_LIBGCC again (ti_abi.h).
#if !TI_OP_MODULES || TI_CORE_LDIVMOD
// out[0] = n / d truncated toward zero, out[1] = n % d (the sign of n), as C; d != 0.
TI_GLOBAL __attribute__((used)) void ti_ldivmod(int64_t n, int64_t d, int64_t out[2]) {
    uint64_t un = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
    uint64_t ud = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
    uint64_t r = 0;  // r < ud <= 2^63 throughout, so r << 1 cannot overflow
    for (int i = 0; i < 64; i++) {
        r = (r << 1) | (un >> 63);
        un <<= 1;
        if (r >= ud) {
            r -= ud;
            un |= 1;
        }
    }
    out[0] = (int64_t)((n < 0) != (d < 0) ? 0 - un : un);
    out[1] = (int64_t)(n < 0 ? 0 - r : r);
}

// The run-time ABI: numerator r1:r0, denominator r3:r2; quotient r1:r0, remainder r3:r2.
TI_GLOBAL __attribute__((naked)) void __aeabi_ldivmod(void) {
    __asm__(".syntax unified\n"
            "push {r4, lr}\n"
            "sub sp, #24\n"
            "add r4, sp, #8\n"  // out[2]
            "str r4, [sp]\n"    // ti_ldivmod's third argument, on the stack
            "bl ti_ldivmod\n"
            "ldm r4!, {r0, r1, r2, r3}\n"
            "add sp, #24\n"
            "pop {r4, pc}\n"
            ".syntax divided\n");
}
#endif

#if TI_RP2040_DIVIDER  // ti_internal.h
// The RP2040's divider (SIO at 0xd0000000): quotient and remainder 8 cycles after the
// divisor is written, truncated toward zero with the remainder taking the dividend's sign,
// as C. 24 bytes each instead of libgcc's 276-byte unsigned divide, and faster. Safe
// under interrupts: the SDK's divide routines save and restore the divider when an
// interrupt finds it in use (its CSR's dirty bit). RP2040 only, as this module is.
#define TI_SIO_DIVIDE(name, alias, dividend, divisor)         \
    TI_GLOBAL __attribute__((naked)) void name(void) {          \
        __asm__(".syntax unified\n"                            \
                ".global " #alias "\n"                         \
                ".type " #alias ", %function\n"                \
                ".thumb_func\n" #alias ":\n"                  \
                "movs r2, #0xd0\n"                             \
                "lsls r2, r2, #24\n"                           \
                "str r0, [r2, #" #dividend "]\n"               \
                "str r1, [r2, #" #divisor "]\n"                \
                "b 1f\n1: b 1f\n1: b 1f\n1: b 1f\n1:\n"     \
                "ldr r1, [r2, #0x74]\n" /* remainder */        \
                "ldr r0, [r2, #0x70]\n" /* quotient, last */   \
                "bx lr\n"                                      \
                ".syntax divided\n");                          \
    }
// r0 / r1 -> quotient r0, remainder r1; __aeabi_idiv and __aeabi_uidiv are the same code.
TI_SIO_DIVIDE(__aeabi_idivmod, __aeabi_idiv, 0x68, 0x6c)
TI_SIO_DIVIDE(__aeabi_uidivmod, __aeabi_uidiv, 0x60, 0x64)
#else
// __aeabi_idivmod: r0 / r1 -> quotient r0, remainder r1 (the sign of r0), as C;
// __aeabi_idiv is the same code (its callers ignore r1).
TI_GLOBAL __attribute__((naked)) void __aeabi_idivmod(void) {
    __asm__(".syntax unified\n"
            ".global __aeabi_idiv\n"
            ".type __aeabi_idiv, %function\n"
            ".thumb_func\n"
            "__aeabi_idiv:\n"
            "push {r4, r5, r6, lr}\n"
            "asrs r4, r0, #31\n"  // -1 when the numerator is negative
            "asrs r5, r1, #31\n"
            "eors r0, r4\n"
            "subs r0, r0, r4\n"   // |n|
            "eors r1, r5\n"
            "subs r1, r1, r5\n"   // |d|
            "eors r5, r4\n"       // -1 when the quotient is negative
            "bl __aeabi_uidivmod\n"
            "eors r0, r5\n"
            "subs r0, r0, r5\n"
            "eors r1, r4\n"
            "subs r1, r1, r4\n"
            "pop {r4, r5, r6, pc}\n"
            ".syntax divided\n");
}

#endif

#endif
