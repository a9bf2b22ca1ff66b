// Binding of Mfcc (streaming MFCC vectors into a caller-owned ring).
#include "bind.h"
#include "core/fe_mfcc.h"

typedef struct {
    mp_obj_base_t base;
    size_t position;
    uint64_t memory[];     // fe_mfcc_t, its tables and buffers
} mfcc_obj_t;

mp_obj_full_type_t mfcc_type;
mp_map_elem_t mfcc_locals_table[3];
static MP_DEFINE_CONST_DICT(mfcc_locals, mfcc_locals_table);

static mp_obj_t mfcc_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw,
    const mp_obj_t *args) {
    mp_arg_t allowed[] = {
        { MP_QSTR_frame, MP_ARG_INT, {.u_int = 400} },
        { MP_QSTR_hop, MP_ARG_INT, {.u_int = 160} },
        { MP_QSTR_fft, MP_ARG_INT, {.u_int = 512} },
        { MP_QSTR_sample_rate, MP_ARG_INT, {.u_int = 16000} },
        { MP_QSTR_fmin, MP_ARG_INT, {.u_int = 0} },
        { MP_QSTR_fmax, MP_ARG_INT, {.u_int = 8000} },
        { MP_QSTR_bands, MP_ARG_INT, {.u_int = 40} },
        { MP_QSTR_coefficients, MP_ARG_INT, {.u_int = 20} },
    };
    mp_arg_val_t vals[8];
    mp_arg_parse_all_kw_array(n_args, n_kw, args, 8, allowed, vals);
    uint32_t v[8];
    for (int i = 0; i < 8; i++) {
        if (vals[i].u_int < 0 || vals[i].u_int > 0xFFFF) {
            mp_raise_ValueError(MP_ERROR_TEXT("Mfcc arguments must be 0..65535"));
        }
        v[i] = (uint32_t)vals[i].u_int;
    }
    fe_mfcc_config_t c = { v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7] };
    fe_status_t status;
    size_t bytes = fe_mfcc_bytes(&c, &status);
    check(status);
    mfcc_obj_t *self = mp_obj_malloc_var(mfcc_obj_t, memory, uint64_t, (bytes + 7) / 8, type);
    self->position = 0;
    check(fe_mfcc_init(self->memory, &c));
    return MP_OBJ_FROM_PTR(self);
}

static fe_mfcc_t *mfcc_of(mp_obj_t obj) {
    return (fe_mfcc_t *)((mfcc_obj_t *)MP_OBJ_TO_PTR(obj))->memory;
}

static mp_obj_t mfcc_process(mp_obj_t self_in, mp_obj_t samples, mp_obj_t ring) {
    mfcc_obj_t *self = MP_OBJ_TO_PTR(self_in);
    fe_mfcc_t *m = mfcc_of(self_in);
    mp_buffer_info_t in, out;
    size_t n = int16_buffer(samples, &in, MP_BUFFER_READ);
    size_t vectors = ring_vectors(m->coefficients, self->position, ring, &out);
    return mp_obj_new_int_from_uint(fe_mfcc_process(m, in.buf, n, out.buf, vectors, &self->position));
}
static MP_DEFINE_CONST_FUN_OBJ_3(mfcc_process_obj, mfcc_process);

static mp_obj_t mfcc_window(mp_obj_t self_in, mp_obj_t ring, mp_obj_t out) {
    mfcc_obj_t *self = MP_OBJ_TO_PTR(self_in);
    copy_window(mfcc_of(self_in)->coefficients, self->position, ring, out);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(mfcc_window_obj, mfcc_window);

static mp_obj_t mfcc_reset(mp_obj_t self_in) {
    mfcc_obj_t *self = MP_OBJ_TO_PTR(self_in);
    fe_mfcc_reset(mfcc_of(self_in));
    self->position = 0;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(mfcc_reset_obj, mfcc_reset);

static void mfcc_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    if (dest[0] != MP_OBJ_NULL) {
        return;
    }
    mfcc_obj_t *self = MP_OBJ_TO_PTR(self_in);
    fe_mfcc_t *m = mfcc_of(self_in);
    if (attr == MP_QSTR_coefficients) {
        dest[0] = mp_obj_new_int(m->coefficients);
    } else if (attr == MP_QSTR_position) {
        dest[0] = mp_obj_new_int_from_uint(self->position);
    } else if (attr == MP_QSTR_bands) {
        dest[0] = mp_obj_new_int(m->bands);
    } else {
        dest[1] = MP_OBJ_SENTINEL;
    }
}

void bind_mfcc_register(void) {
    mfcc_type.base.type = (void *)&mp_type_type;
    mfcc_type.flags = MP_TYPE_FLAG_NONE;
    mfcc_type.name = MP_QSTR_Mfcc;
    MP_OBJ_TYPE_SET_SLOT(&mfcc_type, make_new, mfcc_make_new, 0);
    MP_OBJ_TYPE_SET_SLOT(&mfcc_type, attr, mfcc_attr, 1);
    mfcc_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_process), MP_OBJ_FROM_PTR(&mfcc_process_obj) };
    mfcc_locals_table[1] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_window), MP_OBJ_FROM_PTR(&mfcc_window_obj) };
    mfcc_locals_table[2] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_reset), MP_OBJ_FROM_PTR(&mfcc_reset_obj) };
    MP_OBJ_TYPE_SET_SLOT(&mfcc_type, locals_dict, (void *)&mfcc_locals, 2);
    mp_store_global(MP_QSTR_Mfcc, MP_OBJ_FROM_PTR(&mfcc_type));
}
