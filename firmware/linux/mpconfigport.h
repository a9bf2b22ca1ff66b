// firmware/linux: MicroPython 1.23 core on Linux x86-64, for tests of device/ code
// with x64 native modules. Feature level matches a full board build.
#include <stdint.h>
#include <alloca.h>

#define MICROPY_CONFIG_ROM_LEVEL            (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)

// Native code: x64 .mpy natmods and @micropython.native need the x64 emitter.
#define MICROPY_EMIT_X64                    (1)
#define MICROPY_PERSISTENT_CODE_LOAD        (1)
#define MICROPY_ENABLE_COMPILER             (1)

#define MICROPY_ENABLE_GC                   (1)
#define MICROPY_ENABLE_FINALISER            (1)
#define MICROPY_STACK_CHECK                 (1)
#define MICROPY_ALLOC_PATH_MAX              (256)
#define MICROPY_LONGINT_IMPL                (MICROPY_LONGINT_IMPL_MPZ)
#define MICROPY_FLOAT_IMPL                  (MICROPY_FLOAT_IMPL_DOUBLE)
#define MICROPY_WARNINGS                    (1)
#define MICROPY_ERROR_REPORTING             (MICROPY_ERROR_REPORTING_DETAILED)
#define MICROPY_USE_INTERNAL_ERRNO          (0)
#define MICROPY_USE_INTERNAL_PRINTF         (0)
#define MICROPY_HELPER_REPL                 (1)
#define MICROPY_REPL_AUTO_INDENT            (1)
#define MICROPY_KBD_EXCEPTION               (1)
#define MICROPY_ENABLE_SCHEDULER            (1)
#define MICROPY_MODULE_FROZEN_MPY           (0)

// Files come from firmware/common on top of fs_backend.h (POSIX backend here).
#define MICROPY_VFS                         (0)
#define MICROPY_READER_VFS                  (1)
#define MICROPY_PY_IO                       (1)
#define MICROPY_PY_JSON                     (1) // firmware/common/modjson.c
#define MICROPY_PY_BINASCII                 (1) // firmware/common/modbinascii.c
#define MICROPY_PY_HASHLIB                  (1) // firmware/common/modhashlib.c (sha256)
#define MICROPY_PY_SYS_STDFILES             (1)
#define MICROPY_PY_SYS_STDIO_BUFFER         (1)
#define MICROPY_PY_SYS_EXIT                 (1)
#define MICROPY_PY_SYS_PLATFORM             "linux"
#define MICROPY_PY_MICROPYTHON_MEM_INFO     (1)
#define MICROPY_PY_BUILTINS_INPUT           (1)
#define MICROPY_PY_BUILTINS_HELP            (1)
#define MICROPY_PY_TIME_GMTIME_LOCALTIME_MKTIME (1) // firmware/common/modtime.c
#define MICROPY_EPOCH_IS_1970               (1)
#define FS_OS_SYSNAME                       "linux"
#define FS_OS_MACHINE                       "earshot linux x86-64"
#define MICROPY_HW_BOARD_NAME               "earshot-linux"
#define MICROPY_HW_MCU_NAME                 "x86-64"

// Modules that live in extmod/, which the core sources here do not carry.
#define MICROPY_PY_OS                       (0)
#define MICROPY_PY_TIME                     (0)
#define MICROPY_PY_SELECT                   (0)
#define MICROPY_PY_MACHINE                  (0)
#define MICROPY_PY_JSON_SEPARATORS          (0)
#define MICROPY_PY_RE                       (0)
#define MICROPY_PY_RANDOM                   (0)
#define MICROPY_PY_HEAPQ                    (0)
#define MICROPY_PY_DEFLATE                  (0)
#define MICROPY_PY_FRAMEBUF                 (0)
#define MICROPY_PY_ASYNCIO                  (0)
#define MICROPY_PY_PLATFORM                 (0)
#define MICROPY_PY_CRYPTOLIB                (0)
#define MICROPY_PY_UCTYPES                  (0)

// The input fd is polled every few thousand VM jumps so Ctrl-C interrupts code.
#define MICROPY_VM_HOOK_COUNT               (4000)
#define MICROPY_VM_HOOK_INIT                static unsigned int vm_hook_divisor = MICROPY_VM_HOOK_COUNT;
#define MICROPY_VM_HOOK_POLL                if (--vm_hook_divisor == 0) { \
        vm_hook_divisor = MICROPY_VM_HOOK_COUNT; \
        mp_hal_poll_input(); \
}
#define MICROPY_VM_HOOK_LOOP                MICROPY_VM_HOOK_POLL
#define MICROPY_VM_HOOK_RETURN              MICROPY_VM_HOOK_POLL
void mp_hal_poll_input(void);

// Executable memory for native code: mmap'd PROT_EXEC, scanned by the GC.
#define MP_PLAT_ALLOC_EXEC(min_size, ptr, size) linux_alloc_exec(min_size, ptr, size)
#define MP_PLAT_FREE_EXEC(ptr, size)            linux_free_exec(ptr, size)
#include "exec_memory.h"

#define MICROPY_MPHALPORT_H                 "mphalport.h"
#define MP_SSIZE_MAX                        (0x7fffffffffffffff)
typedef long mp_off_t;
typedef intptr_t mp_int_t;
typedef uintptr_t mp_uint_t;

#define MICROPY_PORT_ROOT_POINTERS

#define MP_STATE_PORT MP_STATE_VM
