// Binding of Spectrogram (streaming columns into a caller-owned ring).
#include "bind.h"
#include "core/fe_spectrogram.h"

typedef struct {
    mp_obj_base_t base;
    size_t position;       // next column slot in the caller's ring
    uint64_t memory[];     // fe_spectrogram_t and its buffers
} spectrogram_obj_t;

mp_obj_full_type_t spectrogram_type;
mp_map_elem_t spectrogram_locals_table[3];
static MP_DEFINE_CONST_DICT(spectrogram_locals, spectrogram_locals_table);

// Out of range becomes 0, which the core rejects with the parameter's own message
// (and a 64-bit int cannot wrap into a valid size).
static uint32_t u16_or_0(mp_int_t v) {
    return v >= 0 && v <= 0xFFFF ? (uint32_t)v : 0;
}

static mp_obj_t spectrogram_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw,
    const mp_obj_t *args) {
    enum { ARG_frame, ARG_hop, ARG_fft };
    mp_arg_t allowed[] = {
        { MP_QSTR_frame, MP_ARG_INT, {.u_int = 256} },
        { MP_QSTR_hop, MP_ARG_INT, {.u_int = 128} },
        { MP_QSTR_fft, MP_ARG_INT, {.u_int = 256} },
    };
    mp_arg_val_t vals[3];
    mp_arg_parse_all_kw_array(n_args, n_kw, args, 3, allowed, vals);
    uint32_t frame = u16_or_0(vals[ARG_frame].u_int), hop = u16_or_0(vals[ARG_hop].u_int);
    uint32_t fft = u16_or_0(vals[ARG_fft].u_int);
    size_t bytes = fe_spectrogram_bytes(frame, hop, fft);
    if (bytes == 0) {
        check(fe_spectrogram_init(NULL, frame, hop, fft));  // raises with the reason
    }
    spectrogram_obj_t *self = mp_obj_malloc_var(spectrogram_obj_t, memory, uint64_t,
        (bytes + 7) / 8, type);
    self->position = 0;
    check(fe_spectrogram_init(self->memory, frame, hop, fft));
    return MP_OBJ_FROM_PTR(self);
}

static fe_spectrogram_t *spectrogram_of(mp_obj_t obj) {
    return (fe_spectrogram_t *)((spectrogram_obj_t *)MP_OBJ_TO_PTR(obj))->memory;
}

static mp_obj_t spectrogram_process(mp_obj_t self_in, mp_obj_t samples, mp_obj_t ring) {
    spectrogram_obj_t *self = MP_OBJ_TO_PTR(self_in);
    fe_spectrogram_t *s = spectrogram_of(self_in);
    mp_buffer_info_t in, out;
    size_t n = int16_buffer(samples, &in, MP_BUFFER_READ);
    size_t columns = ring_vectors(s->bins, self->position, ring, &out);
    size_t written = fe_spectrogram_process(s, in.buf, n, out.buf, columns, &self->position);
    return mp_obj_new_int_from_uint(written);
}
static MP_DEFINE_CONST_FUN_OBJ_3(spectrogram_process_obj, spectrogram_process);

static mp_obj_t spectrogram_window(mp_obj_t self_in, mp_obj_t ring, mp_obj_t out) {
    spectrogram_obj_t *self = MP_OBJ_TO_PTR(self_in);
    copy_window(spectrogram_of(self_in)->bins, self->position, ring, out);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(spectrogram_window_obj, spectrogram_window);

static mp_obj_t spectrogram_reset(mp_obj_t self_in) {
    spectrogram_obj_t *self = MP_OBJ_TO_PTR(self_in);
    fe_spectrogram_reset(spectrogram_of(self_in));
    self->position = 0;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(spectrogram_reset_obj, spectrogram_reset);

// Read-only attributes; anything else falls through to the methods.
static void spectrogram_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    if (dest[0] != MP_OBJ_NULL) {
        return;  // no stores or deletes
    }
    spectrogram_obj_t *self = MP_OBJ_TO_PTR(self_in);
    fe_spectrogram_t *s = spectrogram_of(self_in);
    if (attr == MP_QSTR_bins) {
        dest[0] = mp_obj_new_int(s->bins);
    } else if (attr == MP_QSTR_position) {
        dest[0] = mp_obj_new_int_from_uint(self->position);
    } else if (attr == MP_QSTR_frame) {
        dest[0] = mp_obj_new_int(s->frame);
    } else if (attr == MP_QSTR_hop) {
        dest[0] = mp_obj_new_int(s->hop);
    } else if (attr == MP_QSTR_fft) {
        dest[0] = mp_obj_new_int(s->fft);
    } else {
        dest[1] = MP_OBJ_SENTINEL;
    }
}

void bind_spectrogram_register(void) {
    spectrogram_type.base.type = (void *)&mp_type_type;
    spectrogram_type.flags = MP_TYPE_FLAG_NONE;
    spectrogram_type.name = MP_QSTR_Spectrogram;
    MP_OBJ_TYPE_SET_SLOT(&spectrogram_type, make_new, spectrogram_make_new, 0);
    MP_OBJ_TYPE_SET_SLOT(&spectrogram_type, attr, spectrogram_attr, 1);
    spectrogram_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_process), MP_OBJ_FROM_PTR(&spectrogram_process_obj) };
    spectrogram_locals_table[1] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_window), MP_OBJ_FROM_PTR(&spectrogram_window_obj) };
    spectrogram_locals_table[2] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_reset), MP_OBJ_FROM_PTR(&spectrogram_reset_obj) };
    MP_OBJ_TYPE_SET_SLOT(&spectrogram_type, locals_dict, (void *)&spectrogram_locals, 2);
    mp_store_global(MP_QSTR_Spectrogram, MP_OBJ_FROM_PTR(&spectrogram_type));
}
