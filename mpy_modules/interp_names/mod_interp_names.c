// interp_names: what interp.mpy leaves out until an error needs it.
//   name(code): the TFLite builtin op name of `code`, or None.
//   text(msg): the core's message with each code "[Exx]" replaced by the text 0xxx of
//   core/ti_text.h, cut at TI_MSG_LEN - 1 characters as the host library cuts it.
#include "py/dynruntime.h"

#include "../interp/core/ti_interp.h"
#include "../interp/core/ti_text.h"

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

static unsigned hex_digit(char c) {
    return c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 256;
}

static mp_obj_t text(mp_obj_t msg_in) {
    size_t len;
    const char *msg = mp_obj_str_get_data(msg_in, &len);
    char out[TI_MSG_LEN];
    size_t n = 0;
    for (size_t k = 0; k < len; k++) {
        char one[2] = {msg[k], 0};
        const char *s = one;
        if (k + 4 < len && msg[k] == '[' && msg[k + 1] == 'E' && msg[k + 4] == ']') {
            s = ti_text(hex_digit(msg[k + 2]) * 16u + hex_digit(msg[k + 3]));  // "" when not a code
            k += 4;
        }
        while (*s && n < sizeof(out) - 1) {
            out[n++] = *s++;
        }
    }
    return mp_obj_new_str(out, n);
}
static MP_DEFINE_CONST_FUN_OBJ_1(text_obj, text);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_name, MP_OBJ_FROM_PTR(&name_obj));
    mp_store_global(MP_QSTR_text, MP_OBJ_FROM_PTR(&text_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
