// UART0 on GPIO0/1 at 115200 8N1. Received bytes go into a ring buffer from the
// interrupt so that Ctrl-C can interrupt running Python code.
#include <stdint.h>

#include "py/runtime.h"
#include "shared/runtime/interrupt_char.h"
#include "rp2040_regs.h"
#include "uart.h"

#define UART_DR (0x00)
#define UART_FR (0x18)
#define UART_IBRD (0x24)
#define UART_FBRD (0x28)
#define UART_LCR_H (0x2c)
#define UART_CR (0x30)
#define UART_IMSC (0x38)
#define UART_ICR (0x44)
#define UART_FR_TXFF (1 << 5)
#define UART_FR_RXFE (1 << 4)

#define UART_INT_RX (1 << 4)
#define UART_INT_RT (1 << 6)

#define RX_SIZE (512) // power of two

static volatile uint8_t rx_buf[RX_SIZE];
static volatile uint32_t rx_head, rx_tail;

void uart_init(void) {
    REG(RESETS_BASE + 0x3000) = RESET_UART0 | RESET_IO_BANK0 | RESET_PADS_BANK0; // clear
    while ((REG(RESETS_BASE + 0x8) & (RESET_UART0 | RESET_IO_BANK0)) != (RESET_UART0 | RESET_IO_BANK0)) {
    }
    REG(IO_BANK0_BASE + 0x04) = 2; // GPIO0_CTRL: funcsel UART0 TX
    REG(IO_BANK0_BASE + 0x0c) = 2; // GPIO1_CTRL: funcsel UART0 RX
    // 125 MHz / (16 * 115200) = 67 + 52/64
    REG(UART0_BASE + UART_IBRD) = 67;
    REG(UART0_BASE + UART_FBRD) = 52;
    REG(UART0_BASE + UART_LCR_H) = (3 << 5) | (1 << 4); // 8 bits, FIFOs on
    REG(UART0_BASE + UART_CR) = (1 << 9) | (1 << 8) | 1; // RXE, TXE, UARTEN
    rx_head = rx_tail = 0;
    REG(UART0_BASE + UART_IMSC) = UART_INT_RX | UART_INT_RT;
    REG(NVIC_ISER) = 1u << IRQ_UART0;
}

void uart_write(const char *s, size_t len) {
    while (len--) {
        while (REG(UART0_BASE + UART_FR) & UART_FR_TXFF) {
        }
        REG(UART0_BASE + UART_DR) = (uint8_t)*s++;
    }
}

void uart_write_str(const char *s) {
    while (*s) {
        uart_write(s++, 1);
    }
}

int uart_read_byte(void) {
    if (rx_tail == rx_head) {
        return -1;
    }
    int c = rx_buf[rx_tail % RX_SIZE];
    rx_tail++;
    REG(UART0_BASE + UART_IMSC) = UART_INT_RX | UART_INT_RT; // back on if the ring was full
    return c;
}

int uart_rx_any(void) {
    return rx_head != rx_tail;
}

void uart_irq_handler(void) {
    while (!(REG(UART0_BASE + UART_FR) & UART_FR_RXFE)) {
        if (rx_head - rx_tail >= RX_SIZE) {
            // Ring full: leave bytes in the hardware FIFO until the reader catches up.
            REG(UART0_BASE + UART_IMSC) = 0;
            return;
        }
        int c = REG(UART0_BASE + UART_DR) & 0xff;
        if (c == mp_interrupt_char) {
            mp_sched_keyboard_interrupt();
        } else {
            rx_buf[rx_head % RX_SIZE] = c;
            rx_head++;
        }
    }
    REG(UART0_BASE + UART_ICR) = UART_INT_RT;
}
