// earshot's bare-metal MicroPython port for the RP2040 under rp2040js.
#include <stdint.h>

#define MICROPY_CONFIG_ROM_LEVEL (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)

#define MICROPY_HW_BOARD_NAME "earshot-emu RP2040"
#define MICROPY_HW_MCU_NAME "RP2040 (rp2040js emulator)"
#define MICROPY_PY_SYS_PLATFORM "rp2"

// Memory and GC: the heap is all RAM between bss and the stack.
#define MICROPY_ENABLE_GC (1)
#define MICROPY_ENABLE_FINALISER (1)
#define MICROPY_GCREGS_SETJMP (0)
#define MICROPY_ALLOC_PATH_MAX (256)
#define MICROPY_STACK_CHECK (1)
#define MICROPY_ENABLE_EMERGENCY_EXCEPTION_BUF (1)
#define MICROPY_EMERGENCY_EXCEPTION_BUF_SIZE (0)

// Native code: armv6m .mpy files load into the GC heap, which is SRAM and executable.
#define MICROPY_PERSISTENT_CODE_LOAD (1)
#define MICROPY_EMIT_THUMB (1)
#define MICROPY_EMIT_THUMB_ARMV7M (0)
#define MICROPY_EMIT_INLINE_THUMB (0)

// Numbers as the official rp2 port: single-precision soft float, mpz long ints.
#define MICROPY_FLOAT_IMPL (MICROPY_FLOAT_IMPL_FLOAT)
#define MICROPY_LONGINT_IMPL (MICROPY_LONGINT_IMPL_MPZ)

// REPL and stdio over UART0.
#define MICROPY_HELPER_REPL (1)
#define MICROPY_REPL_INFO (1)
#define MICROPY_KBD_EXCEPTION (1)
#define MICROPY_PY_SYS_STDFILES (1)
#define MICROPY_PY_SYS_STDIO_BUFFER (1)
#define MICROPY_USE_INTERNAL_ERRNO (1)
#define MICROPY_PY_BUILTINS_HELP (1)
#define MICROPY_PY_BUILTINS_HELP_MODULES (1)
#define MICROPY_ENABLE_SCHEDULER (1)

// Speed as the official rp2 port: computed goto in the VM, map lookup cache.
#define MICROPY_OPT_COMPUTED_GOTO (1)
#define MICROPY_OPT_MAP_LOOKUP_CACHE (1)

// Files, os and import come from firmware/common over the flash store (fs_rp2040.c).
#define MICROPY_VFS (0)
#define MICROPY_READER_VFS (1)
#define MICROPY_PY_IO (1)
#define FS_OS_SYSNAME "rp2"
#define FS_OS_MACHINE MICROPY_HW_BOARD_NAME " with " MICROPY_HW_MCU_NAME

// extmod is not in the sdist: time and select come from firmware/common, machine
// is this port's own (modmachine.c), the rest stays off.
#define MICROPY_PY_TIME (0)
#define MICROPY_PY_MACHINE (0)
#define MICROPY_PY_OS (0)
#define MICROPY_PY_SELECT (0)
#define MICROPY_PY_JSON (0)
#define MICROPY_PY_RE (0)
#define MICROPY_PY_HEAPQ (0)
#define MICROPY_PY_HASHLIB (0)
#define MICROPY_PY_BINASCII (0)
#define MICROPY_PY_RANDOM (0)
#define MICROPY_PY_DEFLATE (0)
#define MICROPY_PY_FRAMEBUF (0)
#define MICROPY_PY_UCTYPES (0)
#define MICROPY_PY_PLATFORM (0)
#define MICROPY_PY_ASYNCIO (0)
#define MICROPY_PY_SYS_SETTRACE (0)

#define MICROPY_EVENT_POLL_HOOK \
    do { \
        extern void mp_handle_pending(bool); \
        mp_handle_pending(true); \
    } while (0);

#define MP_SSIZE_MAX (0x7fffffff)
typedef intptr_t mp_int_t;
typedef uintptr_t mp_uint_t;
typedef long mp_off_t;

#define MICROPY_HW_ENABLE_CYCLES (1)
#define MP_STATE_PORT MP_STATE_VM

#include <alloca.h>
