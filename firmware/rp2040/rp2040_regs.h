// The few RP2040 registers this port touches (addresses from the RP2040 datasheet).
#ifndef EARSHOT_RP2040_REGS_H
#define EARSHOT_RP2040_REGS_H

#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))

#define RESETS_BASE (0x4000c000)
#define IO_BANK0_BASE (0x40014000)
#define UART0_BASE (0x40034000)
#define TIMER_BASE (0x40054000)
#define NVIC_ISER (0xe000e100)

#define RESET_IO_BANK0 (1u << 5)
#define RESET_PADS_BANK0 (1u << 8)
#define RESET_TIMER (1u << 21)
#define RESET_UART0 (1u << 22)

#define IRQ_TIMER_0 (0)
#define IRQ_UART0 (20)

// Not an RP2040 peripheral: run.mjs maps the emulator's cycle counter into this
// unused APB slot (low word latches the high word, like the TIMER).
#define EMU_CYCLES_BASE (0x40068000)
#define EMU_CYCLES_LO (EMU_CYCLES_BASE + 0x0)
#define EMU_CYCLES_HI (EMU_CYCLES_BASE + 0x4)
#define EMU_CYCLES_MAGIC (EMU_CYCLES_BASE + 0x8) // reads 0x45435943 ("CYCE") when mapped

#endif
