// A fault inside native code loaded from a .mpy (a corrupted or buggy module), or
// in the loader while it reads a .mpy (it trusts the file's indices), becomes a
// Python exception instead of killing the runtime. Faults anywhere else still
// crash as usual: they are bugs in the runtime itself.
#define _GNU_SOURCE // REG_RIP, REG_RSP
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>

#include "py/mpstate.h"
#include "py/mphal.h"
#include "py/runtime.h"
#include "exec_memory.h"
#include "fs_file.h"

extern char __executable_start, etext; // our own machine code

static bool in_runtime_text(uintptr_t pc) {
    return pc >= (uintptr_t)&__executable_start && pc < (uintptr_t)&etext;
}

// Whether some word between sp and the interpreter stack's top is an address
// inside a native block: then native code is (almost surely) a caller.
static bool native_code_on_stack(uintptr_t sp) {
    uintptr_t top = (uintptr_t)MP_STATE_THREAD(stack_top);
    if (sp >= top) {
        return false; // not on the interpreter's stack
    }
    for (uintptr_t *word = (uintptr_t *)(sp & ~(uintptr_t)7); (uintptr_t)word < top; word++) {
        if (linux_exec_contains(*word)) {
            return true;
        }
    }
    return false;
}

// True when native code caused the fault: the pc is in a native block; or a
// corrupted code pointer was called (the fetch itself faulted); or native code
// is on the call stack (it called the runtime with garbage): some word between
// the faulting sp and the stack's top is an address inside a native block.
static bool fault_from_native_code(const ucontext_t *uc, const siginfo_t *info, const void *handler_frame) {
    uintptr_t pc = uc->uc_mcontext.gregs[REG_RIP];
    uintptr_t sp = uc->uc_mcontext.gregs[REG_RSP];
    if (linux_exec_contains(pc) || (!in_runtime_text(pc) && (uintptr_t)info->si_addr == pc)) {
        return true;
    }
    return sp > (uintptr_t)handler_frame && native_code_on_stack(sp);
}

static void on_fault(int sig, siginfo_t *info, void *context) {
    int here;
    if (MP_STATE_THREAD(nlr_top) == NULL) {
        // nothing to unwind to
    } else if (fs_import_loading_mpy()) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("corrupted .mpy file (signal %d while loading)"), sig);
    } else if (fault_from_native_code(context, info, &here)) {
        mp_raise_msg_varg(&mp_type_RuntimeError,
            MP_ERROR_TEXT("native code crashed (signal %d): a corrupted .mpy or a bad pointer"), sig);
    }
    signal(sig, SIG_DFL); // not ours: return and crash for real
}

// Native code never returns to the VM's input polling, so a tick checks for
// Ctrl-C while the pc is in native code and raises KeyboardInterrupt there.
static void on_tick(int sig, siginfo_t *info, void *context) {
    (void)sig;
    (void)info;
    const ucontext_t *uc = context;
    if (MP_STATE_THREAD(nlr_top) != NULL && linux_exec_contains(uc->uc_mcontext.gregs[REG_RIP])) {
        mp_hal_poll_input(); // safe: the interrupted code is native, not the HAL
        mp_handle_pending(true);
    }
}

void linux_native_guard_init(void) {
    struct sigaction tick;
    memset(&tick, 0, sizeof(tick));
    tick.sa_sigaction = on_tick;
    tick.sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESTART;
    sigaction(SIGALRM, &tick, NULL);
    struct itimerval every_100ms = { { 0, 100000 }, { 0, 100000 } };
    setitimer(ITIMER_REAL, &every_100ms, NULL);

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER; // the signal stays unblocked after the jump out
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
}

// The core's assert() failing while it loads a .mpy, or below native code, means
// the module broke an invariant: an exception, like the faults above.
void __assert_fail(const char *expr, const char *file, unsigned int line, const char *func) {
    int here;
    if (MP_STATE_THREAD(nlr_top) != NULL && fs_import_loading_mpy()) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("corrupted .mpy file (%s)"), expr);
    }
    if (MP_STATE_THREAD(nlr_top) != NULL && native_code_on_stack((uintptr_t)&here)) {
        mp_raise_msg_varg(&mp_type_RuntimeError, MP_ERROR_TEXT("native code broke a runtime check (%s)"), expr);
    }
    fprintf(stderr, "micropython: %s:%u: %s: assertion '%s' failed\n", file, line, func, expr);
    abort();
}
