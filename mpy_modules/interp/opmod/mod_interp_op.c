// Binding of an op module interp_<group>.mpy: on import, registers its kernels with the
// core module interp (contract: core/ti_abi.h). It has no Python API of its own.
#include "py/dynruntime.h"

#include "../core/ti_abi.h"

ti_core_api_t ti_core;  // written by the core in interp._register; the stubs jump through it

// TI_IF_GROUP(g)(x): x when g is this module's group (opmod.mk defines TI_OPMOD_IS_<g>
// as 1), else nothing; the placeholder idiom of ti_link_thumb.S.
#define TI_PLACEHOLDER_1 0,
#define TI_SECOND(ignored, value, ...) value
#define TI_IS_ONE(x) TI_IS_ONE_(TI_PLACEHOLDER_##x)
#define TI_IS_ONE_(arg) TI_SECOND(arg 1, 0, 0)
#define TI_IS_ONE_EXPANDED(x) TI_IS_ONE(x)
#define TI_IF_1(...) __VA_ARGS__
#define TI_IF_0(...)
#define TI_IF_(c) TI_IF_##c
#define TI_IF(c) TI_IF_(c)
#define TI_IF_GROUP(g) TI_IF(TI_IS_ONE_EXPANDED(TI_OPMOD_IS_##g))

enum {
#define COUNT(code, opname, name, group) TI_IF_GROUP(group)(+1)
    N_OPS = 0 TI_OPS(COUNT) TI_VARIANTS(COUNT)
#undef COUNT
};

// The registration as constant data (mpy_ld relocates its pointers): the header of
// ti_op_reg_t and this group's entries only.
static const struct {
    uint32_t magic;
    uint16_t abi, size, interp_size, op_size, tensor_size, api_size;
    uint8_t group, n_ops;
    ti_core_api_t *api;
    ti_op_entry_t ops[N_OPS];
} reg = {
    TI_REG_MAGIC, TI_ABI_VERSION, sizeof(ti_op_reg_t), sizeof(ti_interp_t), sizeof(ti_op_t),
    sizeof(ti_tensor_t), sizeof(ti_core_api_t), TI_OPMOD_GROUP, N_OPS, &ti_core,
    {
#define ENTRY(code, opname, name, group) TI_IF_GROUP(group)({code, ti_##name##_prepare, ti_##name##_eval},)
#define VARIANT(index, opname, name, group) ENTRY(TI_VARIANT_CODE(index), opname, name, group)
        TI_OPS(ENTRY) TI_VARIANTS(VARIANT)
#undef VARIANT
#undef ENTRY
    },
};
_Static_assert(sizeof(reg) == TI_REG_BYTES(N_OPS) && offsetof(ti_op_reg_t, ops) == offsetof(__typeof__(reg), ops),
               "the registration's layout is ti_op_reg_t's");

// No MP_DYNRUNTIME_INIT_ENTRY/EXIT: the module stores no globals and imports by absolute
// name, so it has no need to switch to its own globals.
mp_obj_t ti_opmod_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    mp_obj_t core = mp_import_name(MP_QSTR_interp, mp_const_none, MP_OBJ_NEW_SMALL_INT(0));
    mp_obj_t call[2] = {mp_obj_new_bytes((const byte *)&reg, sizeof(reg)), MP_OBJ_FROM_PTR(self)};
    mp_call_function_n_kw(mp_load_attr(core, MP_QSTR__register), 2, 0, call);
    return mp_const_none;
}

#include "opmod_sources.h"  // the group's kernel sources (opmod.mk)
