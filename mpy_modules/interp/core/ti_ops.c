// Dispatch: TFLite builtin code -> kernel (TI_OPS in ti_kernels.h). Anything not listed
// is refused at load. A switch rather than a table of function pointers: mpy_ld
// (MicroPython 1.23) cannot relocate data pointers to functions in other object files.
//
// The host library links every kernel. The board's core (TI_OP_MODULES) links the
// `core` group; the other ops run through the registry that op modules fill (ti_abi.h).
#include <string.h>

#include "ti_abi.h"

#if TI_OP_MODULES
#define TI_LINKED(group) (TI_GROUP_##group == TI_GROUP_core)
#else
#define TI_LINKED(group) 1
#endif

int ti_op_group(int32_t code) {
    switch (code) {
#define CASE(code, opname, name, group) \
    case code:                  \
        return TI_GROUP_##group;
        TI_OPS(CASE)
#undef CASE
        default:
            return -1;
    }
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

#if TI_OP_MODULES

// One slot per entry of TI_OPS.
enum {
#define SLOT(code, opname, name, group) SLOT_##code,
    TI_OPS(SLOT)
#undef SLOT
    N_SLOTS
};

static int op_slot(int32_t code) {
    switch (code) {
#define CASE(code, opname, name, group) \
    case code:                  \
        return SLOT_##code;
        TI_OPS(CASE)
#undef CASE
        default:
            return -1;
    }
}

#define DECLARE(ret, name, params, args) ret name params;
TI_CORE_API_LIBGCC(DECLARE)
#undef DECLARE

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

// Filled by ti_register; in the module's BSS (zero at import).
ti_prepare_fn ti_registry_prepare[N_SLOTS];
ti_eval_fn ti_registry_eval[N_SLOTS];

int ti_op_supported(int32_t code) {
    int group = ti_op_group(code);
    return group == TI_GROUP_core || (group > 0 && ti_registry_prepare[op_slot(code)] != 0);
}

static ti_status_t reg_fail(char *msg, const char *what) {
    size_t n = 0;
    for (const char *p = "bad op module registration: "; *p; p++) {
        msg[n++] = *p;
    }
    while (*what && n < TI_MSG_LEN - 1) {
        msg[n++] = *what++;
    }
    msg[n] = 0;
    return TI_ERR_ARG;
}

ti_status_t ti_register(const void *data, size_t len, char *msg) {
    ti_op_reg_t reg;
    if (len != sizeof(reg)) {
        return reg_fail(msg, "wrong size (not an interp op module of this version?)");
    }
    memcpy(&reg, data, sizeof(reg));  // the caller's bytes may be unaligned
    if (reg.magic != TI_REG_MAGIC) {
        return reg_fail(msg, "wrong magic");
    }
    if (reg.abi != TI_ABI_VERSION) {
        return reg_fail(msg, "ABI version differs from interp.mpy's: copy both from one build");
    }
    if (reg.size != sizeof(ti_op_reg_t) || reg.interp_size != sizeof(ti_interp_t) ||
        reg.op_size != sizeof(ti_op_t) || reg.tensor_size != sizeof(ti_tensor_t) ||
        reg.api_size != sizeof(ti_core_api_t)) {
        return reg_fail(msg, "struct sizes differ from interp.mpy's: copy both from one build");
    }
    if (reg.group == TI_GROUP_core || reg.group >= TI_N_GROUPS) {
        return reg_fail(msg, "bad group");
    }
    if (reg.n_ops == 0 || reg.n_ops > TI_REG_MAX_OPS) {
        return reg_fail(msg, "bad op count");
    }
    if (reg.api == 0) {
        return reg_fail(msg, "NULL helper table");
    }
    for (unsigned k = 0; k < reg.n_ops; k++) {
        const ti_op_entry_t *e = &reg.ops[k];
        if (ti_op_group(e->code) != reg.group) {
            return reg_fail(msg, "an op outside the module's group");
        }
        if (e->prepare == 0 || e->eval == 0) {
            return reg_fail(msg, "a NULL kernel");
        }
    }
    ti_core_api_t *api = reg.api;
    api->magic = TI_API_MAGIC;
    api->abi = TI_ABI_VERSION;
#define FILL(ret, name, params, args) api->name = name;
    TI_CORE_API(FILL)
    TI_CORE_API_LIBGCC(FILL)
#undef FILL
    for (unsigned k = 0; k < reg.n_ops; k++) {
        int s = op_slot(reg.ops[k].code);
        ti_registry_eval[s] = reg.ops[k].eval;
        ti_registry_prepare[s] = reg.ops[k].prepare;
    }
    return TI_OK;
}

#else

int ti_op_supported(int32_t code) {
    return ti_op_group(code) >= 0;
}

#endif

ti_status_t ti_op_prepare(ti_interp_t *it, ti_op_t *op) {
    switch (op->kind) {
#define CASE(code, opname, name, group)               \
    case code:                                \
        if (TI_LINKED(group)) {               \
            return ti_##name##_prepare(it, op); \
        }                                     \
        break;
        TI_OPS(CASE)
#undef CASE
        default:
            return TI_ERR_UNSUPPORTED_OP;
    }
#if TI_OP_MODULES
    return ti_registry_prepare[op_slot(op->kind)](it, op);
#else
    return TI_ERR_UNSUPPORTED_OP;
#endif
}

void ti_op_eval(ti_interp_t *it, const ti_op_t *op) {
    switch (op->kind) {
#define CASE(code, opname, name, group)       \
    case code:                        \
        if (TI_LINKED(group)) {       \
            ti_##name##_eval(it, op); \
            return;                   \
        }                             \
        break;
        TI_OPS(CASE)
#undef CASE
        default:
            return;
    }
#if TI_OP_MODULES
    ti_registry_eval[op_slot(op->kind)](it, op);
#endif
}
