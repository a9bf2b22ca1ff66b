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
#include <ucontext.h>

#include "py/mpstate.h"
#include "py/runtime.h"
#include "fs_file.h"

bool linux_exec_contains(uintptr_t addr);

extern char __executable_start, etext; // our own machine code

static bool in_runtime_text(uintptr_t pc) {
    return pc >= (uintptr_t)&__executable_start && pc < (uintptr_t)&etext;
}

// True when the fault is in native code: the pc is in a native block, or a
// corrupted code pointer was called (the fetch itself faulted), or the code
// jumped to nowhere and the return address on the stack is in a native block.
static bool fault_in_native_code(const ucontext_t *uc, const siginfo_t *info, const void *handler_frame) {
    uintptr_t pc = uc->uc_mcontext.gregs[REG_RIP];
    uintptr_t sp = uc->uc_mcontext.gregs[REG_RSP];
    if (linux_exec_contains(pc) || (!in_runtime_text(pc) && (uintptr_t)info->si_addr == pc)) {
        return true;
    }
    bool sp_on_our_stack = sp > (uintptr_t)handler_frame && sp < (uintptr_t)MP_STATE_THREAD(stack_top)
        && (sp & 7) == 0;
    return !in_runtime_text(pc) && sp_on_our_stack && linux_exec_contains(*(uintptr_t *)sp);
}

static void on_fault(int sig, siginfo_t *info, void *context) {
    int here;
    if (MP_STATE_THREAD(nlr_top) == NULL) {
        // nothing to unwind to
    } else if (fs_import_loading_mpy()) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("corrupted .mpy file (signal %d while loading)"), sig);
    } else if (fault_in_native_code(context, info, &here)) {
        mp_raise_msg_varg(&mp_type_RuntimeError,
            MP_ERROR_TEXT("native code crashed (signal %d): a corrupted .mpy or a bad pointer"), sig);
    }
    signal(sig, SIG_DFL); // not ours: return and crash for real
}

void linux_native_guard_init(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER; // the signal stays unblocked after the jump out
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
}

// The core's assert() while loading a .mpy means the file broke an invariant.
void __assert_fail(const char *expr, const char *file, unsigned int line, const char *func) {
    if (MP_STATE_THREAD(nlr_top) != NULL && fs_import_loading_mpy()) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("corrupted .mpy file (%s)"), expr);
    }
    fprintf(stderr, "micropython: %s:%u: %s: assertion '%s' failed\n", file, line, func, expr);
    abort();
}
