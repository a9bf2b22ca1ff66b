// Time, sleeping and stdio for the RP2040 port.
#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stream.h"
#include "rp2040_regs.h"
#include "uart.h"

#define TIMER_ALARM0 (0x10)
#define TIMER_TIMERAWH (0x24)
#define TIMER_TIMERAWL (0x28)
#define TIMER_INTR (0x34)
#define TIMER_INTE (0x38)

void mp_hal_timer_init(void) {
    REG(RESETS_BASE + 0x3000) = RESET_TIMER;
    REG(TIMER_BASE + TIMER_INTE) = 1; // ALARM0 wakes the core from WFI
    REG(NVIC_ISER) = 1u << IRQ_TIMER_0;
}

void timer_irq_handler(void) {
    REG(TIMER_BASE + TIMER_INTR) = 1;
}

uint64_t mp_hal_time_us_64(void) {
    uint32_t hi, lo;
    do {
        hi = REG(TIMER_BASE + TIMER_TIMERAWH);
        lo = REG(TIMER_BASE + TIMER_TIMERAWL);
    } while (hi != REG(TIMER_BASE + TIMER_TIMERAWH));
    return ((uint64_t)hi << 32) | lo;
}

uint64_t mp_hal_cycles_64(void) {
    uint32_t lo = REG(EMU_CYCLES_LO);
    uint32_t hi = REG(EMU_CYCLES_HI);
    return ((uint64_t)hi << 32) | lo;
}

// Sleeps with WFI until an ALARM0 wake-up, so idle time costs the host nothing.
// Interrupts are masked from the time check to WFI: an alarm that fires in between
// stays pending and WFI returns at once instead of sleeping forever.
void mp_hal_delay_us(mp_uint_t us) {
    uint64_t end = mp_hal_time_us_64() + us;
    for (;;) {
        mp_handle_pending(true);
        __asm volatile ("cpsid i");
        uint64_t now = mp_hal_time_us_64();
        if (now >= end) {
            __asm volatile ("cpsie i");
            return;
        }
        uint64_t wake = end - now > 1000000 ? now + 1000000 : end;
        REG(TIMER_BASE + TIMER_ALARM0) = (uint32_t)wake;
        __asm volatile ("wfi");
        __asm volatile ("cpsie i");
    }
}

void mp_hal_delay_ms(mp_uint_t ms) {
    mp_hal_delay_us(ms * 1000);
}

int mp_hal_stdin_rx_chr(void) {
    for (;;) {
        __asm volatile ("cpsid i");
        int c = uart_read_byte();
        if (c < 0) {
            // WFI wakes on a pending interrupt even with PRIMASK set, so no byte is missed.
            __asm volatile ("wfi");
        }
        __asm volatile ("cpsie i");
        if (c >= 0) {
            return c;
        }
        MICROPY_EVENT_POLL_HOOK
    }
}

mp_uint_t mp_hal_stdout_tx_strn(const char *str, size_t len) {
    uart_write(str, len);
    return len;
}

uintptr_t mp_hal_stdio_poll(uintptr_t poll_flags) {
    uintptr_t ret = poll_flags & MP_STREAM_POLL_WR;
    if ((poll_flags & MP_STREAM_POLL_RD) && uart_rx_any()) {
        ret |= MP_STREAM_POLL_RD;
    }
    return ret;
}
