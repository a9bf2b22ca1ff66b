// HAL for the RP2040 port: time from the 64-bit TIMER, stdio over UART0.
#ifndef EARSHOT_RP2040_MPHALPORT_H
#define EARSHOT_RP2040_MPHALPORT_H

#include <stdint.h>
#include "shared/runtime/interrupt_char.h"

// Pins are not modelled here; defining this keeps py/mphal.h off extmod/virtpin.h.
#define mp_hal_pin_obj_t void *

uint64_t mp_hal_time_us_64(void);
// Nanoseconds since power-on: the emulated board has no real-time clock.
static inline uint64_t mp_hal_time_ns(void) {
    return mp_hal_time_us_64() * 1000;
}
// Emulated Cortex-M0+ cycles since power-on (run.mjs maps the counter).
uint64_t mp_hal_cycles_64(void);

static inline mp_uint_t mp_hal_ticks_us(void) {
    return (mp_uint_t)mp_hal_time_us_64();
}
static inline mp_uint_t mp_hal_ticks_ms(void) {
    return (mp_uint_t)(mp_hal_time_us_64() / 1000);
}
static inline mp_uint_t mp_hal_ticks_cpu(void) {
    return (mp_uint_t)mp_hal_cycles_64();
}
static inline void mp_hal_delay_us_fast(mp_uint_t us) {
    extern void mp_hal_delay_us(mp_uint_t);
    mp_hal_delay_us(us);
}

#endif
