// Binding of an op module interp_<group>.mpy: on import, registers its kernels with the
// core module interp (contract: core/ti_abi.h). It has no Python API of its own.
#include <string.h>

#include "py/dynruntime.h"

#include "../core/ti_abi.h"

extern ti_core_api_t ti_core;

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    ti_op_reg_t reg;
    memset(&reg, 0, sizeof(reg));
    reg.magic = TI_REG_MAGIC;
    reg.abi = TI_ABI_VERSION;
    reg.size = sizeof(ti_op_reg_t);
    reg.interp_size = sizeof(ti_interp_t);
    reg.op_size = sizeof(ti_op_t);
    reg.tensor_size = sizeof(ti_tensor_t);
    reg.api_size = sizeof(ti_core_api_t);
    reg.group = TI_OPMOD_GROUP;
    reg.api = &ti_core;
    // Constant conditions: only this group's kernels are referenced (and linked).
#define ADD(op_code, opname, name, group)                 \
    if (TI_GROUP_##group == TI_OPMOD_GROUP) {             \
        reg.ops[reg.n_ops].code = op_code;                \
        reg.ops[reg.n_ops].prepare = ti_##name##_prepare; \
        reg.ops[reg.n_ops].eval = ti_##name##_eval;       \
        reg.n_ops++;                                      \
    }
    TI_OPS(ADD)
#undef ADD
    mp_obj_t core = mp_import_name(MP_QSTR_interp, mp_const_none, MP_OBJ_NEW_SMALL_INT(0));
    mp_obj_t call[2] = {mp_obj_new_bytes((const byte *)&reg, sizeof(reg)), MP_OBJ_FROM_PTR(self)};
    mp_call_function_n_kw(mp_load_attr(core, MP_QSTR__register), 2, 0, call);
    MP_DYNRUNTIME_INIT_EXIT
}
