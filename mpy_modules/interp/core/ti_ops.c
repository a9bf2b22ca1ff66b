// Dispatch: TFLite builtin code -> kernel (TI_OPS in ti_kernels.h). Anything not listed
// is refused at load.
//
// The host library links every kernel and dispatches with a switch (mpy_ld, MicroPython
// 1.23, cannot relocate data pointers to functions in other object files). The board's
// core (TI_OP_MODULES) links the `core` group and dispatches through a table filled at
// run time: ti_ops_init puts the core's kernels in it, op modules the others (ti_abi.h).
#include <string.h>

#include "ti_abi.h"

// One slot per entry of TI_OPS, in its order, then one per variant (TI_VARIANTS).
enum {
#define SLOT(code, opname, name, group) SLOT_##code,
    TI_OPS(SLOT)
#undef SLOT
    N_OPS
};
#define VARIANT_COUNT(index, opname, name, group) +1
enum { N_SLOTS = N_OPS TI_VARIANTS(VARIANT_COUNT) };
#undef VARIANT_COUNT

static const uint8_t code_of[N_OPS] = {
#define CODE(code, opname, name, group) code,
    TI_OPS(CODE)
#undef CODE
};

static const uint8_t group_of[N_SLOTS] = {
#define GROUP(code, opname, name, group) TI_GROUP_##group,
    TI_OPS(GROUP) TI_VARIANTS(GROUP)
#undef GROUP
};

// Slot of a builtin code, -1 for no kernel (load time only: ops keep theirs in op->slot).
static int op_slot(int32_t code) {
    for (int slot = 0; slot < N_OPS; slot++) {
        if (code_of[slot] == code) {
            return slot;
        }
    }
    return -1;
}

int ti_op_group(int32_t code) {
    int slot = op_slot(code);
    return slot < 0 ? -1 : group_of[slot];
}

// String n of "a\0b\0...", n < the count.
static const char *nth(const char *list, int n) {
    for (; n > 0; n--) {
        while (*list) {
            list++;
        }
        list++;
    }
    return list;
}

static const char group_names[] =
#define NAME(g) #g "\0"
    TI_GROUPS(NAME)
#undef NAME
    ;

const char *ti_group_name(int group) {
    return group >= 0 && group < TI_N_GROUPS ? nth(group_names, group) : "";
}

ti_status_t ti_need_module(ti_interp_t *it, int32_t code, int group) {
    // The binding reads the module's name from this message: keep its form.
    it->need_code = code;
    size_t p = ti_msg_append(it->msg, 0, ti_builtin_name(code));
    p = ti_msg_append(it->msg, p, " needs interp_");
    p = ti_msg_append(it->msg, p, ti_group_name(group));
    ti_msg_append(it->msg, p, ".mpy");
    return TI_ERR_NEED_MODULE;
}

#if TI_OP_MODULES

// The board's core names only the ops it knows (ti_names.c, in the host library and in
// interp_names.mpy, names them all).
static const char op_names[] =
#define NAME(code, opname, name, group) #opname "\0"
    TI_OPS(NAME)
#undef NAME
    ;

const char *ti_builtin_name(int32_t code) {
    int slot = op_slot(code);
    return slot < 0 ? "" : nth(op_names, slot);
}

#define DECLARE(ret, name, params, args) ret name params;
TI_CORE_API_LIBGCC(DECLARE)
#undef DECLARE

// In the module's BSS (zero at import): the kernel of each slot, NULL until registered.
TI_GLOBAL ti_prepare_fn ti_registry_prepare[N_SLOTS];
TI_GLOBAL ti_eval_fn ti_registry_eval[N_SLOTS];

void ti_ops_init(void) {
    // Constant conditions: only the core's kernels are referenced (and linked).
#define ADD(code, opname, name, group)                          \
    if (TI_GROUP_##group == TI_GROUP_core) {                    \
        ti_registry_prepare[SLOT_##code] = ti_##name##_prepare; \
        ti_registry_eval[SLOT_##code] = ti_##name##_eval;       \
    }
    TI_OPS(ADD)
#undef ADD
}

int ti_op_supported(int32_t code) {
    int slot = op_slot(code);
    return slot >= 0 && ti_registry_prepare[slot] != 0;
}

// Slot of a registration's code: an op's or a variant's; -1 for neither.
static int reg_slot(int32_t code) {
    uint32_t variant = (uint32_t)code - (uint32_t)TI_VARIANT_CODE(0);
    return variant < N_SLOTS - N_OPS ? N_OPS + (int)variant : op_slot(code);
}

ti_status_t ti_use_variant(ti_interp_t *it, ti_op_t *op, unsigned variant) {
    unsigned slot = N_OPS + variant;  // a kernel's constant: in range
    if (ti_registry_prepare[slot] == 0) {
        return ti_need_module(it, op->kind, group_of[slot]);
    }
    op->slot = (uint8_t)slot;
    return ti_registry_prepare[slot](it, op);
}

// The helper table an op module gets (the board's core is one translation unit, so mpy_ld
// relocates these pointers; libgcc's, in other objects, are filled in at registration).
#if TI_RP2040_DIVIDER  // the divides are ti_libgcc.c's, in this unit
#define TI_CORE_API_CONST(X) TI_CORE_API(X) TI_CORE_API_DIVIDE(X)
#define TI_CORE_API_FILLED(X) TI_CORE_API_LIBGCC_64(X)
#else
#define TI_CORE_API_CONST(X) TI_CORE_API(X)
#define TI_CORE_API_FILLED(X) TI_CORE_API_LIBGCC(X)
#endif
static const ti_core_api_t core_api = {
    .magic = TI_API_MAGIC,
    .abi = TI_ABI_VERSION,
#define INIT(ret, name, params, args) .name = name,
    TI_CORE_API_CONST(INIT)
#undef INIT
};

static ti_status_t reg_fail(char *msg, const char *what) {
    ti_msg_append(msg, ti_msg_append(msg, 0, TI_T(REGISTRATION)), what);
    return TI_ERR_ARG;
}

ti_status_t ti_register(const void *data, size_t len, char *msg) {
    ti_op_reg_t reg;
    if (len < TI_REG_BYTES(1) || len > sizeof(reg)) {
        return reg_fail(msg, TI_T(REG_SIZE));
    }
    memcpy(&reg, data, len);  // the caller's bytes may be unaligned
    if (reg.magic != TI_REG_MAGIC) {
        return reg_fail(msg, TI_T(REG_MAGIC));
    }
    if (reg.abi != TI_ABI_VERSION) {
        return reg_fail(msg, TI_T(REG_ABI));
    }
    if (reg.size != sizeof(ti_op_reg_t) || reg.interp_size != sizeof(ti_interp_t) ||
        reg.op_size != sizeof(ti_op_t) || reg.tensor_size != sizeof(ti_tensor_t) ||
        reg.api_size != sizeof(ti_core_api_t)) {
        return reg_fail(msg, TI_T(REG_STRUCTS));
    }
    if (reg.group == TI_GROUP_core || reg.group >= TI_N_GROUPS) {
        return reg_fail(msg, TI_T(REG_GROUP));
    }
    if (reg.n_ops == 0 || reg.n_ops > TI_REG_MAX_OPS) {
        return reg_fail(msg, TI_T(REG_OP_COUNT));
    }
    if (len != TI_REG_BYTES(reg.n_ops)) {
        return reg_fail(msg, TI_T(REG_SIZE));
    }
    if (reg.api == 0) {
        return reg_fail(msg, TI_T(REG_NULL_TABLE));
    }
    for (unsigned k = 0; k < reg.n_ops; k++) {
        const ti_op_entry_t *e = &reg.ops[k];
        int slot = reg_slot(e->code);
        if (slot < 0 || group_of[slot] != reg.group) {
            return reg_fail(msg, TI_T(REG_OP_GROUP));
        }
        if (e->prepare == 0 || e->eval == 0) {
            return reg_fail(msg, TI_T(REG_NULL_KERNEL));
        }
    }
    ti_core_api_t *api = reg.api;
    const ti_core_api_t *table = &core_api;
    __asm__("" : "+r"(table));  // a copy, not one store per pointer the compiler could fold in
    memcpy(api, table, sizeof(*api));
#define FILL(ret, name, params, args) api->name = name;
    TI_CORE_API_FILLED(FILL)
#undef FILL
    for (unsigned k = 0; k < reg.n_ops; k++) {
        int slot = reg_slot(reg.ops[k].code);
        ti_registry_eval[slot] = reg.ops[k].eval;
        ti_registry_prepare[slot] = reg.ops[k].prepare;
    }
    return TI_OK;
}

// Only ops ti_op_supported accepted reach these; prepare comes first.
ti_status_t ti_op_prepare(ti_interp_t *it, ti_op_t *op) {
    op->slot = (uint8_t)op_slot(op->kind);
    return ti_registry_prepare[op->slot](it, op);
}

void ti_op_eval(ti_interp_t *it, const ti_op_t *op) {
    ti_registry_eval[op->slot](it, op);
}

#else

int ti_op_supported(int32_t code) {
    return op_slot(code) >= 0;
}

#if TI_HOST_API
// Bench and test entry point: the group of the variant op i took, "" for none (a board then
// imports interp_<group>.mpy for it).
const char *ti_op_variant_group(const ti_interp_t *it, uint32_t i) {
    return i < it->n_ops && it->ops[i].slot >= N_OPS ? ti_group_name(group_of[it->ops[i].slot]) : "";
}

// Test entry point: who runs the halves (ti_halves), as interp_cores does on the board.
void ti_host_set_split(ti_interp_t *it, ti_split_fn split, void *ctx) {
    it->split = split;
    it->split_ctx = ctx;
}
#endif

// A variant's op has op->slot = N_OPS + its index (the host keeps no other slots).
ti_status_t ti_use_variant(ti_interp_t *it, ti_op_t *op, unsigned variant) {
    op->slot = (uint8_t)(N_OPS + variant);
    switch (variant) {
#define CASE(index, opname, name, group) \
    case index:                          \
        return ti_##name##_prepare(it, op);
        TI_VARIANTS(CASE)
#undef CASE
        default:
            return TI_ERR_UNSUPPORTED_OP;
    }
}

ti_status_t ti_op_prepare(ti_interp_t *it, ti_op_t *op) {
    op->slot = 0;
    switch (op->kind) {
#define CASE(code, opname, name, group) \
    case code:                          \
        return ti_##name##_prepare(it, op);
        TI_OPS(CASE)
#undef CASE
        default:
            return TI_ERR_UNSUPPORTED_OP;
    }
}

void ti_op_eval(ti_interp_t *it, const ti_op_t *op) {
    if (op->slot >= N_OPS) {
        switch (op->slot - N_OPS) {
#define CASE(index, opname, name, group) \
    case index:                          \
        ti_##name##_eval(it, op);        \
        break;
            TI_VARIANTS(CASE)
#undef CASE
            default:
                break;
        }
        return;
    }
    switch (op->kind) {
#define CASE(code, opname, name, group) \
    case code:                          \
        ti_##name##_eval(it, op);       \
        break;
        TI_OPS(CASE)
#undef CASE
        default:
            break;
    }
}

#endif
