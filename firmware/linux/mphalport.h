// HAL for firmware/linux: stdio is the process's stdin/stdout or a pseudo-terminal.
#include <stdint.h>
#include <stdbool.h>
#include "shared/runtime/interrupt_char.h"

// No pins here: this keeps py/mphal.h from wanting extmod/virtpin.h.
#define mp_hal_pin_obj_t int

// Chooses where the REPL and print() go: fd_in/fd_out (stdin/stdout or a pty).
void linux_hal_init(int fd_in, int fd_out, bool exit_on_eof);
// Input '\n' arrives as '\r' (Enter), for a REPL fed from a pipe.
void linux_hal_map_newline(bool map);
// Scripts print plain "\n"; the REPLs send "\r\n" like a board (the default).
void linux_hal_cooked_output(bool cooked);
