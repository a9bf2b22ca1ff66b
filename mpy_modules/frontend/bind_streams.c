// Binding of the streaming objects: Spectrogram and Mfcc.
#include "bind.h"

// ---- Spectrogram ----------------------------------------------------------------

typedef struct {
    mp_obj_base_t base;
    size_t position;       // next column slot in the caller's ring
    uint64_t memory[];     // fe_spectrogram_t and its buffers
} spectrogram_obj_t;

mp_obj_full_type_t spectrogram_type;
mp_map_elem_t spectrogram_locals_table[3];
static MP_DEFINE_CONST_DICT(spectrogram_locals, spectrogram_locals_table);

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
    mp_int_t frame = vals[ARG_frame].u_int, hop = vals[ARG_hop].u_int, fft = vals[ARG_fft].u_int;
    if (frame < 1 || hop < 1 || fft < 1 || frame > 0xFFFF || hop > 0xFFFF || fft > 0xFFFF) {
        mp_raise_ValueError(MP_ERROR_TEXT("frame, hop and fft must be 1..65535"));
    }
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

// Ring of vectors (columns): a writable int16 buffer holding a whole number of them.
static size_t ring_vectors(size_t vector, mp_obj_t ring, mp_buffer_info_t *info) {
    size_t n = int16_buffer(ring, info, MP_BUFFER_WRITE);
    if (n == 0 || n % vector != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("ring must hold a whole number (>= 1) of columns of bins int16"));
    }
    return n / vector;
}

// out <- the newest len(out) / vector vectors of the ring, oldest first.
static void copy_window(size_t vector, size_t position, mp_obj_t ring, mp_obj_t out_obj) {
    mp_buffer_info_t in, out;
    size_t vectors = ring_vectors(vector, ring, &in);
    size_t n = int16_buffer(out_obj, &out, MP_BUFFER_WRITE);
    if (n == 0 || n % vector != 0 || n / vector > vectors) {
        mp_raise_ValueError(MP_ERROR_TEXT("out must hold 1..ring columns of bins int16"));
    }
    size_t first = (position + vectors - n / vector) % vectors;
    fe_ring_copy_s16(in.buf, vectors * vector, first * vector, out.buf, n);
}

static mp_obj_t spectrogram_process(mp_obj_t self_in, mp_obj_t samples, mp_obj_t ring) {
    spectrogram_obj_t *self = MP_OBJ_TO_PTR(self_in);
    fe_spectrogram_t *s = spectrogram_of(self_in);
    mp_buffer_info_t in, out;
    size_t n = int16_buffer(samples, &in, MP_BUFFER_READ);
    size_t columns = ring_vectors(s->bins, ring, &out);
    if (self->position >= columns) {
        mp_raise_ValueError(MP_ERROR_TEXT("ring is smaller than when it was last used"));
    }
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

#if FE_WITH_MFCC
// ---- Mfcc ---------------------------------------------------------------------------

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
    size_t vectors = ring_vectors(m->coefficients, ring, &out);
    if (self->position >= vectors) {
        mp_raise_ValueError(MP_ERROR_TEXT("ring is smaller than when it was last used"));
    }
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

#endif

void bind_streams_register(void) {

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

#if FE_WITH_MFCC
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
#endif
}
