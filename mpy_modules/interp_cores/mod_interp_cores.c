// interp_cores._attach(cores, it): runs the interp's halves (ti_halves) on the RP2040's two
// cores. For each pair of halves core 0 launches core 1 from the bootrom (RP2040
// datasheet 2.8.2: the words 0, 0, 1, vector table, stack pointer, entry, each echoed),
// runs its own half, waits for core 1's word, then resets core 1 (PSM FRCE_OFF.proc1)
// back into the bootrom. Core 1 therefore runs only inside an op's halves: nothing of
// ours is left running on it when a model, this module or MicroPython's heap goes away.
// Not for a board whose core 1 is in use (_thread): the launch then gets no echo and
// _attach raises OSError.
#include "py/dynruntime.h"

#include "../common/natmod_alloc.h"
#include "../interp/core/ti_interp.h"

#define STACK_WORDS 160  // core 1's deepest half takes 404 bytes (dw_pairs_big), measured on the emulator

// Halves core 1 has run since import (interp_cores.core1_halves()): set in mpy_init, as
// a native module's globals must be.
__attribute__((externally_visible)) uint32_t core1_halves;

static NORETURN void raise_os_error(const char *msg) {
    const mp_obj_type_t *os_error = MP_OBJ_TO_PTR(mp_load_global(MP_QSTR_OSError));
    size_t n = 0;
    while (msg[n]) {
        n++;
    }
    nlr_raise(mp_obj_new_exception_arg1(os_error, mp_obj_new_str(msg, n)));
}

typedef struct {
    ti_half_fn fn;  // core 1's half
    void *arg;
    uint32_t stack[STACK_WORDS];
} cores_t;

// interp.Model passes any cores= other than 1.
static void check_cores(mp_obj_t cores) {
    if (!mp_obj_is_int(cores) || mp_obj_get_int(cores) != 2) {
        mp_raise_ValueError(MP_ERROR_TEXT("cores must be 1 or 2"));
    }
}

#if defined(__thumb__) && !defined(__thumb2__)
#define REG(a) (*(volatile uint32_t *)(a))
#define SIO_CPUID REG(0xd0000000u)
#define SCB_VTOR REG(0xe000ed08u)
#define FIFO_ST REG(0xd0000050u)
#define FIFO_WR REG(0xd0000054u)
#define FIFO_RD REG(0xd0000058u)
#define FIFO_VLD 1u  // a word to read
#define FIFO_RDY 2u  // room to write
#define PSM_FRCE_OFF REG(0x40010004u)
#define PSM_FRCE_OFF_SET REG(0x40012004u)  // the atomic set and clear aliases
#define PSM_FRCE_OFF_CLR REG(0x40013004u)
#define PSM_PROC1 (1u << 16)
#define NVIC_ISER REG(0xe000e100u)
#define NVIC_ICER REG(0xe000e180u)
#define SIO_IRQ_PROC0 (1u << 15)  // core 0's FIFO interrupt
#define POLLS 100000u  // a few ms: the bootrom answers within microseconds

static inline void fence(void) {
    __asm__ volatile("dmb" ::: "memory");
}

static int fifo_push(uint32_t v) {
    for (uint32_t n = 0; n < POLLS; n++) {
        if (FIFO_ST & FIFO_RDY) {
            fence();
            FIFO_WR = v;
            __asm__ volatile("sev");  // the bootrom waits for events
            return 1;
        }
    }
    return 0;
}

static int fifo_pop(uint32_t *v) {
    for (uint32_t n = 0; n < POLLS; n++) {
        if (FIFO_ST & FIFO_VLD) {
            *v = FIFO_RD;
            fence();
            return 1;
        }
    }
    return 0;
}

static void fifo_drain(void) {
    while (FIFO_ST & FIFO_VLD) {
        (void)FIFO_RD;
    }
}

static __attribute__((noreturn, used)) void core1_run(cores_t *c) {
    c->fn(c->arg);
    core1_halves++;
    fence();
    while (!(FIFO_ST & FIFO_RDY)) {
    }
    FIFO_WR = 1;
    for (;;) {  // until core 0 resets this core
    }
}

// Core 1's entry: the context is the word its stack pointer points at.
static __attribute__((naked, noreturn)) void core1_entry(void) {
    __asm__ volatile("pop {r0}\n bl core1_run\n");
}

static int core1_launch(cores_t *c) {
    c->stack[STACK_WORDS - 1] = (uint32_t)c;  // popped by core1_entry: sp is then 8-byte aligned
    // Core 0's vector table: a fault on core 1 (a bug) then goes where core 0's would.
    uint32_t seq[6] = {0, 0, 1, SCB_VTOR, (uint32_t)&c->stack[STACK_WORDS - 1], (uint32_t)core1_entry};
    fence();
    for (uint32_t i = 0, tries = 0; i < 6;) {
        uint32_t echo;
        if (seq[i] == 0) {
            fifo_drain();
        }
        if (++tries > 64 || !fifo_push(seq[i]) || !fifo_pop(&echo)) {
            return 0;
        }
        i = echo == seq[i] ? i + 1 : 0;
    }
    return 1;
}

// Back into the bootrom, which drains its FIFO and sends a 0 when it is ready.
static void core1_reset(void) {
    PSM_FRCE_OFF_SET = PSM_PROC1;
    while (!(PSM_FRCE_OFF & PSM_PROC1)) {
    }
    PSM_FRCE_OFF_CLR = PSM_PROC1;
    uint32_t ready;
    (void)fifo_pop(&ready);
}

// A FIFO interrupt core 0's firmware may have enabled would take the echoes: off while
// core 1 is ours (as pico-sdk's multicore_reset_core1 does); returns what to restore.
static uint32_t fifo_irq_off(void) {
    uint32_t enabled = NVIC_ISER & SIO_IRQ_PROC0;
    NVIC_ICER = enabled;
    return enabled;
}

static void split(void *ctx, ti_half_fn fn, void *a, void *b) {
    cores_t *c = ctx;
    c->fn = fn;
    c->arg = b;
    uint32_t irq = fifo_irq_off();
    if (!core1_launch(c)) {  // core 1 stopped answering: both halves here
        NVIC_ISER = irq;
        fn(a);
        fn(b);
        return;
    }
    fn(a);
    while (!(FIFO_ST & FIFO_VLD)) {
    }
    (void)FIFO_RD;
    fence();
    core1_reset();
    NVIC_ISER = irq;
}

static void no_half(void *arg) {
    (void)arg;
}

static mp_obj_t attach(mp_obj_t cores, mp_obj_t it_addr) {
    check_cores(cores);
    ti_interp_t *it = (ti_interp_t *)(uintptr_t)mp_obj_get_int_truncated(it_addr);
    if (SIO_CPUID != 0) {
        raise_os_error("cores=2: call from core 0");
    }
    size_t bytes = sizeof(cores_t) + 4;
    uint8_t *mem = m_malloc(bytes);
    cores_t *c = (cores_t *)(((uintptr_t)mem + 7u) & ~(uintptr_t)7u);  // core 1's stack 8-byte aligned
    c->fn = no_half;
    uint32_t irq = fifo_irq_off();
    int launched = core1_launch(c);
    uint32_t done;
    int reported = launched && fifo_pop(&done);
    if (launched) {  // core 1 is ours: back into the bootrom, whatever it did
        core1_reset();
    }
    NVIC_ISER = irq;
    if (!launched) {
        raise_os_error("cores=2: core 1 did not answer the launch (in use, by _thread?): use cores=1");
    }
    if (!reported) {
        raise_os_error("cores=2: core 1 started but did not report: use cores=1");
    }
    it->split = split;
    it->split_ctx = c;
    return mp_obj_new_bytearray_by_ref(bytes, mem);  // the caller keeps it: the context's memory
}
#else
static mp_obj_t attach(mp_obj_t cores, mp_obj_t it_addr) {
    (void)it_addr;
    check_cores(cores);
    raise_os_error("cores=2 needs an RP2040: use cores=1");
}
#endif
static MP_DEFINE_CONST_FUN_OBJ_2(attach_obj, attach);

static mp_obj_t halves(void) {
    return mp_obj_new_int_from_uint(core1_halves);
}
static MP_DEFINE_CONST_FUN_OBJ_0(halves_obj, halves);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    core1_halves = 0;
    mp_store_global(MP_QSTR__attach, MP_OBJ_FROM_PTR(&attach_obj));
    mp_store_global(MP_QSTR_core1_halves, MP_OBJ_FROM_PTR(&halves_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
