// Vector table and reset handler. rp2040js does not run the bootrom, so the runner
// points VTOR at the start of flash and the core starts here directly.
#include <stdint.h>
#include <string.h>

#include "uart.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
extern int main(void);
void reset_handler(void);
void timer_irq_handler(void);

static void fatal_handler(void) {
    // The runner stops on a breakpoint; a real chip would halt under a debugger.
    uart_write_str("\r\nFATAL: HardFault (bad memory access or undefined instruction)\r\n");
    __asm volatile ("bkpt #0xfa");
    for (;;) {
    }
}

static void unused_handler(void) {
}

void reset_handler(void) {
    memcpy(&_sdata, &_sidata, (char *)&_edata - (char *)&_sdata);
    memset(&_sbss, 0, (char *)&_ebss - (char *)&_sbss);
    main();
    for (;;) {
    }
}

#define IRQ_TIMER_0 (0)
#define IRQ_UART0 (20)

__attribute__((section(".vectors"), used))
static void (*const vector_table[16 + 32])(void) = {
    [0] = (void (*)(void))&_estack,
    [1] = reset_handler,
    [2 ... 15] = unused_handler,
    [3] = fatal_handler,
    [16 ... 47] = unused_handler,
    [16 + IRQ_TIMER_0] = timer_irq_handler,
    [16 + IRQ_UART0] = uart_irq_handler,
};
