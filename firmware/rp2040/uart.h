// UART0 console: polled transmit, interrupt-driven receive into a ring buffer.
#ifndef EARSHOT_RP2040_UART_H
#define EARSHOT_RP2040_UART_H

#include <stddef.h>

void uart_init(void);
void uart_write(const char *s, size_t len);
void uart_write_str(const char *s);
// Next received byte, or -1 when none is waiting.
int uart_read_byte(void);
int uart_rx_any(void);
void uart_irq_handler(void);

#endif
