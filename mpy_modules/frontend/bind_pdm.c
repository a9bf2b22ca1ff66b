// Binding of PdmDecimator (1-bit PDM words -> int16 PCM).
#include "bind.h"
#include "core/fe_pdm.h"

typedef struct {
    mp_obj_base_t base;
    fe_pdm_t pdm;
} pdm_obj_t;

mp_obj_full_type_t pdm_type;
mp_map_elem_t pdm_locals_table[2];
static MP_DEFINE_CONST_DICT(pdm_locals, pdm_locals_table);

static mp_obj_t pdm_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw,
    const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 0, 1, false);
    pdm_obj_t *self = mp_obj_malloc(pdm_obj_t, type);
    check(fe_pdm_init(&self->pdm, n_args > 0 ? mp_obj_get_int(args[0]) : 64));
    return MP_OBJ_FROM_PTR(self);
}

// process(words, out): len(out) samples from exactly len(out) * decimation bits.
static mp_obj_t pdm_process(mp_obj_t self_in, mp_obj_t words_obj, mp_obj_t out_obj) {
    pdm_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_buffer_info_t words, out;
    if (!mp_get_buffer(words_obj, &words, MP_BUFFER_READ)) {  // raw bits: any buffer
        mp_raise_ValueError(MP_ERROR_TEXT("words must be a buffer of 32-bit PDM words"));
    }
    size_t n = int16_buffer(out_obj, &out, MP_BUFFER_WRITE);
    if (((uintptr_t)words.buf & 3) != 0 || words.len * 8 != n * self->pdm.decimation || words.len % 4 != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("words must be aligned 32-bit words holding len(out) * decimation bits"));
    }
    fe_pdm_process(&self->pdm, words.buf, out.buf, n);
    return mp_obj_new_int_from_uint(n);
}
static MP_DEFINE_CONST_FUN_OBJ_3(pdm_process_obj, pdm_process);

static mp_obj_t pdm_reset(mp_obj_t self_in) {
    pdm_obj_t *self = MP_OBJ_TO_PTR(self_in);
    fe_pdm_reset(&self->pdm);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(pdm_reset_obj, pdm_reset);

void bind_pdm_register(void) {
    pdm_type.base.type = (void *)&mp_type_type;
    pdm_type.flags = MP_TYPE_FLAG_NONE;
    pdm_type.name = MP_QSTR_PdmDecimator;
    MP_OBJ_TYPE_SET_SLOT(&pdm_type, make_new, pdm_make_new, 0);
    pdm_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_process), MP_OBJ_FROM_PTR(&pdm_process_obj) };
    pdm_locals_table[1] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_reset), MP_OBJ_FROM_PTR(&pdm_reset_obj) };
    MP_OBJ_TYPE_SET_SLOT(&pdm_type, locals_dict, (void *)&pdm_locals, 1);
    mp_store_global(MP_QSTR_PdmDecimator, MP_OBJ_FROM_PTR(&pdm_type));
}
