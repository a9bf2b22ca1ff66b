// interp_names.name(code): the TFLite builtin op name of `code`, or None.
#include "py/dynruntime.h"

const char *ti_builtin_name(int32_t code);

static mp_obj_t name(mp_obj_t code_in) {
    const char *s = ti_builtin_name(mp_obj_get_int(code_in));
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n ? mp_obj_new_str(s, n) : mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(name_obj, name);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_name, MP_OBJ_FROM_PTR(&name_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
