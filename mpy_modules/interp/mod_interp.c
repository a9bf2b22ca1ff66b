// MicroPython binding of the interp core: interp.Model over the model bytes, in place.
#include "py/dynruntime.h"
#include "py/objarray.h"

#include "../common/natmod_alloc.h"

#include "core/ti_abi.h"

typedef struct {
    mp_obj_base_t base;
    mp_obj_t model;      // the model bytes: read in place, kept alive by this reference
    mp_obj_t arena_obj;  // the caller's arena, or None when the arena was allocated here
    void *meta;
    uint8_t *arena;
    mp_obj_t cores;      // interp_cores' context with cores=2 (its memory), else None
    bool keep_input;     // planned with TI_KEEP_INPUT: the inputs survive invoke()
    ti_interp_t it;
} model_obj_t;

TI_GLOBAL mp_obj_full_type_t model_type;
TI_GLOBAL mp_obj_t op_modules;  // the registered op modules' init functions (keeps their code alive)
TI_GLOBAL mp_map_elem_t model_locals_table[10];
static MP_DEFINE_CONST_DICT(model_locals, model_locals_table);

static size_t str_len(const char *s) {
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

// __import__(name) into *module; returns the exception it raised, or MP_OBJ_NULL.
// Through the NLR entries of mp_fun_table, as native code compiled by MicroPython does
// its try/except.
static mp_obj_t try_import(const char *name, size_t len, mp_obj_t *module) {
    mp_obj_t name_obj = mp_obj_new_str(name, len);
    nlr_buf_t nlr;
    if (mp_fun_table.nlr_push(&nlr) == 0) {
        *module = mp_call_function_n_kw(mp_load_global(MP_QSTR___import__), 1, 0, &name_obj);
        mp_fun_table.nlr_pop();
        return MP_OBJ_NULL;
    }
    return MP_OBJ_FROM_PTR(nlr.ret_val);
}

// The core's messages hold codes of texts, "[Exx]" (core/ti_text.h): interp_names.mpy
// writes the texts; without it the message keeps the codes and says what to copy.
static NORETURN void raise_value_error(const char *msg) {
    mp_obj_t text = mp_obj_new_str(msg, str_len(msg)), names;
    bool has_code = false;
    for (const char *p = msg; *p; p++) {
        has_code |= p[0] == '[' && p[1] == 'E';
    }
    if (has_code && try_import("interp_names", 12, &names) == MP_OBJ_NULL) {
        text = mp_call_function_n_kw(mp_load_attr(names, MP_QSTR_text), 1, 0, &text);
    } else if (has_code) {
        static const char hint[] = " (texts: copy interp_names.mpy)";
        text = mp_binary_op(MP_BINARY_OP_ADD, text, mp_obj_new_str(hint, sizeof(hint) - 1));
    }
    nlr_raise(mp_obj_new_exception_arg1(&mp_type_ValueError, text));
}

static bool is_import_error(mp_obj_t exc) {
    return exc != MP_OBJ_NULL && MP_OBJ_FROM_PTR(mp_obj_get_type(exc)) == mp_load_global(MP_QSTR_ImportError);
}

// After TI_ERR_NEED_MODULE: imports interp_<group>.mpy, whose init registers the op's
// kernel. it->msg reads "<OP> needs interp_<group>.mpy".
static void import_op_module(ti_interp_t *it) {
    // The module's name is in the message: after "<OP> needs ", before ".mpy".
    const char *module = it->msg + str_len(ti_builtin_name(it->need_code)) + 7;
    mp_obj_t unused;
    mp_obj_t exc = try_import(module, str_len(module) - 4, &unused);
    if (exc != MP_OBJ_NULL && !is_import_error(exc)) {
        nlr_raise(exc);
    }
    const char *hint = exc != MP_OBJ_NULL ? " on the board: copy it (earshot deploy does)"
                       : ti_op_supported(it->need_code) ? 0
                       : ", which did not register it: copy interp.mpy and it from one build";
    if (hint) {
        mp_obj_t msg = mp_binary_op(MP_BINARY_OP_ADD, mp_obj_new_str(it->msg, str_len(it->msg)),
                                    mp_obj_new_str(hint, str_len(hint)));
        const mp_obj_type_t *import_error = MP_OBJ_TO_PTR(mp_load_global(MP_QSTR_ImportError));
        nlr_raise(mp_obj_new_exception_arg1(import_error, msg));
    }
}

// After TI_ERR_UNSUPPORTED_OP: the core names only its own ops; interp_names.mpy, when
// on the board, names the others ("unsupported op 98 (op 0)" otherwise).
static NORETURN void raise_unsupported(ti_interp_t *it) {
    mp_obj_t names, name = mp_const_none;
    if (try_import("interp_names", 12, &names) == MP_OBJ_NULL) {
        name = mp_call_function_n_kw(mp_load_attr(names, MP_QSTR_name), 1, 0,
                                     (mp_obj_t[]){mp_obj_new_int(it->need_code)});
    }
    if (name == mp_const_none) {
        raise_value_error(it->msg);
    }
    // it->msg is "unsupported op <code> (op <i>)" (ti_model.c): the name in place of the code.
    const size_t head = 15;  // "unsupported op "
    const char *rest = it->msg + head;
    while (*rest && *rest != ' ') {
        rest++;
    }
    mp_obj_t msg = mp_binary_op(MP_BINARY_OP_ADD, mp_obj_new_str(it->msg, head), name);
    msg = mp_binary_op(MP_BINARY_OP_ADD, msg, mp_obj_new_str(rest, str_len(rest)));
    nlr_raise(mp_obj_new_exception_arg1(&mp_type_ValueError, msg));
}

// interp._register(reg, keep): an op module's init registers its kernels (core/ti_abi.h).
static mp_obj_t interp_register(mp_obj_t reg_in, mp_obj_t keep) {
    mp_buffer_info_t reg;
    mp_get_buffer_raise(reg_in, &reg, MP_BUFFER_READ);
    char msg[TI_MSG_LEN];
    if (ti_register(reg.buf, reg.len, msg) != TI_OK) {
        raise_value_error(msg);
    }
    mp_obj_list_append(op_modules, keep);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(interp_register_obj, interp_register);

// Model(model, arena=None, keep_input=False, *, cores=1): arena and keep_input may also
// be given by keyword.
static mp_obj_t model_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 3, true);
    mp_obj_t arena_arg = n_args > 1 ? args[1] : mp_const_none;
    mp_obj_t keep_arg = n_args > 2 ? args[2] : mp_const_false;
    mp_obj_t cores_arg = MP_OBJ_NEW_SMALL_INT(1);
    for (size_t k = 0; k < n_kw; k++) {
        mp_obj_t key = args[n_args + 2 * k], value = args[n_args + 2 * k + 1];
        if (key == MP_OBJ_NEW_QSTR(MP_QSTR_arena)) {
            arena_arg = value;
        } else if (key == MP_OBJ_NEW_QSTR(MP_QSTR_keep_input)) {
            keep_arg = value;
        } else if (key == MP_OBJ_NEW_QSTR(MP_QSTR_cores)) {
            cores_arg = value;
        } else {
            mp_raise_TypeError(MP_ERROR_TEXT("unexpected keyword argument"));
        }
    }
    // Any other number of cores than 1 takes interp_cores.mpy, which accepts 2 only.
    bool two_cores = cores_arg != MP_OBJ_NEW_SMALL_INT(1);
    uint32_t flags = (mp_obj_is_true(keep_arg) ? TI_KEEP_INPUT : 0) | (two_cores ? TI_TWO_CORES : 0);
    mp_buffer_info_t model;
    mp_get_buffer_raise(args[0], &model, MP_BUFFER_READ);
    model_obj_t *self = mp_obj_malloc(model_obj_t, type);
    self->model = args[0];
    self->arena_obj = mp_const_none;
    self->cores = mp_const_none;
    self->keep_input = (flags & TI_KEEP_INPUT) != 0;
    size_t meta_bytes;
    if (ti_meta_size(model.buf, model.len, &meta_bytes, self->it.msg) != TI_OK) {
        raise_value_error(self->it.msg);
    }
    self->meta = m_malloc(meta_bytes);
    ti_status_t st;
    // Each round imports the op module of one op the core lacks (at most one per group).
    for (int round = 0; (st = ti_load_flags(&self->it, model.buf, model.len, self->meta, meta_bytes, flags)) ==
                        TI_ERR_NEED_MODULE && round < TI_N_GROUPS; round++) {
        import_op_module(&self->it);
    }
    if (st == TI_ERR_UNSUPPORTED_OP && !*ti_builtin_name(self->it.need_code)) {
        raise_unsupported(&self->it);
    }
    if (st != TI_OK) {
        raise_value_error(self->it.msg);
    }
    size_t arena_len;
    if (arena_arg != mp_const_none) {
        mp_buffer_info_t arena;
        mp_get_buffer_raise(arena_arg, &arena, MP_BUFFER_RW);
        self->arena_obj = arena_arg;
        self->arena = arena.buf;
        arena_len = arena.len;
    } else {
        arena_len = self->it.arena_size;
        self->arena = m_malloc(arena_len ? arena_len : 4);
    }
    if (ti_set_arena(&self->it, self->arena, arena_len) != TI_OK) {
        raise_value_error(self->it.msg);
    }
    if (two_cores) {  // interp_cores.mpy sets it.split, or raises
        mp_obj_t module, exc = try_import("interp_cores", 12, &module);
        if (exc != MP_OBJ_NULL) {
            nlr_raise(exc);
        }
        mp_obj_t attach_args[2] = {cores_arg, mp_obj_new_int_from_uint((uintptr_t)&self->it)};
        self->cores = mp_call_function_n_kw(mp_load_attr(module, MP_QSTR__attach), 2, 0, attach_args);
    }
    return MP_OBJ_FROM_PTR(self);
}

static const ti_tensor_t *tensor_arg(model_obj_t *self, int is_output, size_t n_args, const mp_obj_t *args) {
    mp_int_t i = n_args > 1 ? mp_obj_get_int(args[1]) : 0;
    const ti_tensor_t *t = (i < 0) ? 0 : is_output ? ti_output(&self->it, (uint32_t)i) : ti_input(&self->it, (uint32_t)i);
    if (!t) {
        mp_raise_msg(&mp_type_IndexError, MP_ERROR_TEXT("no such input/output"));
    }
    return t;
}

static char typecode(uint8_t type) {
    switch (type) {
        case TI_INT8: return 'b';
        case TI_INT16: return 'h';
        case TI_INT32: return 'i';
        case TI_FLOAT32: return 'f';
        default: return 'B';
    }
}

// A writable memoryview over the tensor's bytes in the arena.
static mp_obj_t tensor_view(model_obj_t *self, int is_output, size_t n_args, const mp_obj_t *args) {
    const ti_tensor_t *t = tensor_arg(self, is_output, n_args, args);
    mp_obj_array_t *view = mp_obj_malloc(mp_obj_array_t, (const mp_obj_type_t *)MP_OBJ_TO_PTR(mp_load_global(MP_QSTR_memoryview)));
    char code = typecode(t->type);
    size_t item = code == 'h' ? 2 : (code == 'i' || code == 'f') ? 4 : 1;
    view->typecode = (uint8_t)code | MP_OBJ_ARRAY_TYPECODE_FLAG_RW;
    // A memoryview points at the start of its buffer (so that the GC keeps the whole
    // arena alive through it) and holds the tensor's offset in elements.
    view->free = t->arena_offset / item;
    view->len = t->bytes / item;
    view->items = self->arena;
    return MP_OBJ_FROM_PTR(view);
}

static mp_obj_t model_input(size_t n_args, const mp_obj_t *args) {
    return tensor_view(MP_OBJ_TO_PTR(args[0]), 0, n_args, args);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(model_input_obj, 1, 2, model_input);

static mp_obj_t model_output(size_t n_args, const mp_obj_t *args) {
    return tensor_view(MP_OBJ_TO_PTR(args[0]), 1, n_args, args);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(model_output_obj, 1, 2, model_output);

static mp_obj_t shape_of(const ti_tensor_t *t) {
    mp_obj_t dims[TI_MAX_DIMS];
    for (unsigned k = 0; k < t->ndim; k++) {
        dims[k] = mp_obj_new_int(t->dims[k]);
    }
    return mp_obj_new_tuple(t->ndim, dims);
}

static mp_obj_t model_input_shape(size_t n_args, const mp_obj_t *args) {
    return shape_of(tensor_arg(MP_OBJ_TO_PTR(args[0]), 0, n_args, args));
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(model_input_shape_obj, 1, 2, model_input_shape);

static mp_obj_t model_output_shape(size_t n_args, const mp_obj_t *args) {
    return shape_of(tensor_arg(MP_OBJ_TO_PTR(args[0]), 1, n_args, args));
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(model_output_shape_obj, 1, 2, model_output_shape);

// (scale as float, zero point); scale 0.0 for an unquantized tensor.
static mp_obj_t quant_of(const ti_tensor_t *t) {
    mp_obj_t items[2] = {mp_fun_table.obj_new_float_from_f(t->scale), mp_obj_new_int(t->zero_point)};
    return mp_obj_new_tuple(2, items);
}

static mp_obj_t model_input_quant(size_t n_args, const mp_obj_t *args) {
    return quant_of(tensor_arg(MP_OBJ_TO_PTR(args[0]), 0, n_args, args));
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(model_input_quant_obj, 1, 2, model_input_quant);

static mp_obj_t model_output_quant(size_t n_args, const mp_obj_t *args) {
    return quant_of(tensor_arg(MP_OBJ_TO_PTR(args[0]), 1, n_args, args));
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(model_output_quant_obj, 1, 2, model_output_quant);

static mp_obj_t model_invoke(mp_obj_t self_in) {
    model_obj_t *self = MP_OBJ_TO_PTR(self_in);
    ti_invoke(&self->it);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(model_invoke_obj, model_invoke);

static mp_obj_t model_reset(mp_obj_t self_in) {
    model_obj_t *self = MP_OBJ_TO_PTR(self_in);
    ti_reset_state(&self->it);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(model_reset_obj, model_reset);

static mp_int_t tick(mp_obj_t clock) {
    return mp_obj_get_int_truncated(mp_call_function_n_kw(clock, 0, 0, NULL));
}

// Runs the model once, reading clock() around every op: [(op name, ticks), ...].
// The cost of one clock() call (the least of a few) is taken out; clocks may allocate
// (big ints), so a reading can still come out slightly low: it is clamped at 0.
static mp_obj_t model_profile(mp_obj_t self_in, mp_obj_t clock) {
    model_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_int_t overhead = -1;
    for (int k = 0; k < 4; k++) {
        mp_int_t c0 = tick(clock), c1 = tick(clock);
        if (overhead < 0 || c1 - c0 < overhead) {
            overhead = c1 - c0;
        }
    }
    mp_obj_t result = mp_obj_new_list(0, NULL);
    uint32_t n = ti_count(&self->it, 2);
    for (uint32_t i = 0; i < n; i++) {
        mp_int_t t0 = tick(clock);
        ti_invoke_op(&self->it, i);
        mp_int_t t1 = tick(clock);
        mp_int_t ticks = t1 - t0 - overhead;
        const char *name = ti_op_name(&self->it, i);
        size_t len = 0;
        while (name[len]) {
            len++;
        }
        mp_obj_t row[2] = {mp_obj_new_str(name, len), mp_obj_new_int(ticks > 0 ? ticks : 0)};
        mp_obj_list_append(result, mp_obj_new_tuple(2, row));
    }
    return result;
}
static MP_DEFINE_CONST_FUN_OBJ_2(model_profile_obj, model_profile);

static mp_obj_t model_metadata(mp_obj_t self_in, mp_obj_t name_in) {
    model_obj_t *self = MP_OBJ_TO_PTR(self_in);
    size_t name_len;
    const char *name = mp_obj_str_get_data(name_in, &name_len);
    uint32_t len;
    const uint8_t *data = ti_metadata_n(&self->it, name, (uint32_t)name_len, &len);
    return data ? mp_obj_new_bytes(data, len) : mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(model_metadata_obj, model_metadata);

static void model_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    model_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (dest[0] == MP_OBJ_NULL && attr == MP_QSTR_arena_size) {
        dest[0] = mp_obj_new_int(self->it.arena_size);
    } else if (dest[0] == MP_OBJ_NULL && attr == MP_QSTR_keep_input) {
        dest[0] = mp_obj_new_bool(self->keep_input);
    } else {
        dest[1] = MP_OBJ_SENTINEL;  // continue with the methods
    }
}

// The module's init, called by mpy_init (board_entry.c).
TI_GLOBAL mp_obj_t interp_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    model_type.base.type = &mp_type_type;
    model_type.flags = MP_TYPE_FLAG_NONE;
    model_type.name = MP_QSTR_Model;
    MP_OBJ_TYPE_SET_SLOT(&model_type, make_new, model_make_new, 0);
    MP_OBJ_TYPE_SET_SLOT(&model_type, attr, model_attr, 1);
    // Names as positions in the module's qstr table (a qstr macro names an entry of it):
    // one byte each, and the methods one constant table mpy_ld relocates.
#define QSTR_AT(q) (uint8_t)(&q - mp_native_qstr_table)
    static const uint8_t names[] = {QSTR_AT(MP_QSTR_input), QSTR_AT(MP_QSTR_output), QSTR_AT(MP_QSTR_input_shape),
                                    QSTR_AT(MP_QSTR_output_shape), QSTR_AT(MP_QSTR_input_quant), QSTR_AT(MP_QSTR_output_quant),
                                    QSTR_AT(MP_QSTR_invoke), QSTR_AT(MP_QSTR_reset), QSTR_AT(MP_QSTR_profile), QSTR_AT(MP_QSTR_metadata)};
#undef QSTR_AT
    static const void *const methods[] = {
        &model_input_obj, &model_output_obj, &model_input_shape_obj, &model_output_shape_obj,
        &model_input_quant_obj, &model_output_quant_obj, &model_invoke_obj, &model_reset_obj,
        &model_profile_obj, &model_metadata_obj,
    };
    for (size_t k = 0; k < sizeof(names); k++) {
        model_locals_table[k] = (mp_map_elem_t){MP_OBJ_NEW_QSTR(mp_native_qstr_table[names[k]]),
                                                MP_OBJ_FROM_PTR(methods[k])};
    }
    MP_OBJ_TYPE_SET_SLOT(&model_type, locals_dict, (void *)&model_locals, 2);
    mp_store_global(MP_QSTR_Model, MP_OBJ_FROM_PTR(&model_type));
    ti_ops_init();
    op_modules = mp_obj_new_list(0, NULL);
    mp_store_global(MP_QSTR__op_modules, op_modules);
    mp_store_global(MP_QSTR__register, MP_OBJ_FROM_PTR(&interp_register_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
