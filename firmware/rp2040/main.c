// Boot, the REPL loop and soft reset.
#include <stdint.h>

#include "py/compile.h"
#include "py/mphal.h"
#include "py/gc.h"
#include "py/mperrno.h"
#include "py/runtime.h"
#include "py/stackctrl.h"
#include "shared/readline/readline.h"
#include "shared/runtime/gchelper.h"
#include "shared/runtime/pyexec.h"
#include "fs_rp2040.h"
#include "uart.h"

extern uint32_t _heap_start, _heap_end, _estack, _stack_size;
void mp_hal_timer_init(void);
void fs_init(void); // firmware/common: cwd and mount table

int main(void) {
    uart_init();
    mp_hal_timer_init();
    fs_rp2040_mount();

soft_reset:
    mp_stack_set_top(&_estack);
    mp_stack_set_limit((uintptr_t)&_stack_size - 1024);
    gc_init(&_heap_start, &_heap_end);
    mp_init();
    fs_init();
    mp_obj_list_append(mp_sys_path, mp_obj_new_str("/lib", 4)); // after "", set by mp_init
    readline_init0();

    // As the official firmware: boot.py always, main.py only from the friendly REPL.
    pyexec_file_if_exists("boot.py");
    int exit_code = 0;
    if (pyexec_mode_kind == PYEXEC_MODE_FRIENDLY_REPL) {
        exit_code = pyexec_file_if_exists("main.py");
    }
    if (!(exit_code & PYEXEC_FORCED_EXIT)) {
        for (;;) {
            if (pyexec_mode_kind == PYEXEC_MODE_RAW_REPL) {
                if (pyexec_raw_repl() != 0) {
                    break;
                }
            } else {
                if (pyexec_friendly_repl() != 0) {
                    break;
                }
            }
        }
    }

    gc_sweep_all(); // runs finalisers: open files get closed
    fs_sync_all();
    mp_deinit();
    mp_hal_stdout_tx_str("MPY: soft reboot\r\n");
    goto soft_reset;
}

void gc_collect(void) {
    gc_collect_start();
    gc_helper_collect_regs_and_stack();
    gc_collect_end();
}

void nlr_jump_fail(void *val) {
    (void)val;
    uart_write_str("\r\nFATAL: uncaught NLR\r\n");
    __asm volatile ("bkpt #0xfb");
    for (;;) {
    }
}

void __assert_func(const char *file, int line, const char *func, const char *expr) {
    (void)line;
    (void)func;
    uart_write_str("\r\nFATAL: assertion failed: ");
    uart_write_str(expr);
    uart_write_str(" in ");
    uart_write_str(file);
    uart_write_str("\r\n");
    __asm volatile ("bkpt #0xfc");
    for (;;) {
    }
}
