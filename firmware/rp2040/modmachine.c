// A small machine module: clock, emulated cycle counter, soft reset.
//
// machine.cycles() is the emulator's Cortex-M0+ cycle count (rp2040js's
// core.cycles), read from the counter run.mjs maps at EMU_CYCLES_BASE. Reading it
// costs a few cycles itself; subtract two back-to-back readings to measure code.
// The count does not advance while the core sleeps in WFI (time.sleep, idle REPL).
#include "py/mphal.h"
#include "py/runtime.h"
#include "shared/runtime/pyexec.h"
#include "rp2040_regs.h"

#define CLK_SYS_HZ (125000000)

static mp_obj_t machine_cycles(void) {
    if (REG(EMU_CYCLES_MAGIC) != 0x45435943) {
        mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("no cycle counter: run under firmware/rp2040/run.mjs"));
    }
    return mp_obj_new_int_from_ull(mp_hal_cycles_64());
}
static MP_DEFINE_CONST_FUN_OBJ_0(machine_cycles_obj, machine_cycles);

static mp_obj_t machine_freq(void) {
    return MP_OBJ_NEW_SMALL_INT(CLK_SYS_HZ);
}
static MP_DEFINE_CONST_FUN_OBJ_0(machine_freq_obj, machine_freq);

static mp_obj_t machine_soft_reset(void) {
    pyexec_system_exit = PYEXEC_FORCED_EXIT;
    mp_raise_type(&mp_type_SystemExit);
}
static MP_DEFINE_CONST_FUN_OBJ_0(machine_soft_reset_obj, machine_soft_reset);

static mp_obj_t machine_idle(void) {
    __asm volatile ("wfi");
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_0(machine_idle_obj, machine_idle);

static const mp_rom_map_elem_t machine_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_machine) },
    { MP_ROM_QSTR(MP_QSTR_cycles), MP_ROM_PTR(&machine_cycles_obj) },
    { MP_ROM_QSTR(MP_QSTR_freq), MP_ROM_PTR(&machine_freq_obj) },
    { MP_ROM_QSTR(MP_QSTR_soft_reset), MP_ROM_PTR(&machine_soft_reset_obj) },
    { MP_ROM_QSTR(MP_QSTR_idle), MP_ROM_PTR(&machine_idle_obj) },
};
static MP_DEFINE_CONST_DICT(machine_module_globals, machine_module_globals_table);

const mp_obj_module_t mp_module_machine = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&machine_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_machine, mp_module_machine);
