// MicroPython binding of the frontend core: objects own their state (natmods have no
// static data), buffers are checked at the boundary, nothing is allocated per call.
#include "py/dynruntime.h"

#include "core/fe_pdm.h"
#include "core/fe_quant.h"
#include "core/fe_spectrogram.h"
#include "fe_tables.h"

// Raises ValueError with the core's message when status is not FE_OK.
static void check(fe_status_t status) {
    if (status != FE_OK) {
        mp_raise_ValueError(fe_status_message(status));
    }
}

// int16 samples from array('h'), bytes, bytearray or memoryview: an even byte count
// at an even address (the Cortex-M0+ faults on unaligned halfword loads).
static size_t int16_buffer(mp_obj_t obj, mp_buffer_info_t *info, mp_uint_t flags) {
    mp_get_buffer_raise(obj, info, flags);
    if (info->len % 2 != 0 || ((uintptr_t)info->buf & 1) != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("expected int16 values: even byte count and address"));
    }
    return info->len / 2;
}

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

// Ring of columns: a writable int16 buffer holding a whole number of columns.
static size_t ring_columns(fe_spectrogram_t *s, mp_obj_t ring, mp_buffer_info_t *info) {
    size_t n = int16_buffer(ring, info, MP_BUFFER_WRITE);
    if (n == 0 || n % s->bins != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("ring must hold a whole number (>= 1) of columns of bins int16"));
    }
    return n / s->bins;
}

static mp_obj_t spectrogram_process(mp_obj_t self_in, mp_obj_t samples, mp_obj_t ring) {
    spectrogram_obj_t *self = MP_OBJ_TO_PTR(self_in);
    fe_spectrogram_t *s = spectrogram_of(self_in);
    mp_buffer_info_t in, out;
    size_t n = int16_buffer(samples, &in, MP_BUFFER_READ);
    size_t columns = ring_columns(s, ring, &out);
    if (self->position >= columns) {
        mp_raise_ValueError(MP_ERROR_TEXT("ring is smaller than when it was last used"));
    }
    size_t written = fe_spectrogram_process(s, in.buf, n, out.buf, columns, &self->position);
    return mp_obj_new_int_from_uint(written);
}
static MP_DEFINE_CONST_FUN_OBJ_3(spectrogram_process_obj, spectrogram_process);

// window(ring, out): the newest len(out) / bins columns of the ring, oldest first.
static mp_obj_t spectrogram_window(mp_obj_t self_in, mp_obj_t ring, mp_obj_t out_obj) {
    spectrogram_obj_t *self = MP_OBJ_TO_PTR(self_in);
    fe_spectrogram_t *s = spectrogram_of(self_in);
    mp_buffer_info_t in, out;
    size_t columns = ring_columns(s, ring, &in);
    size_t n = int16_buffer(out_obj, &out, MP_BUFFER_WRITE);
    if (n == 0 || n % s->bins != 0 || n / s->bins > columns) {
        mp_raise_ValueError(MP_ERROR_TEXT("out must hold 1..ring columns of bins int16"));
    }
    size_t want = n / s->bins;
    size_t first = (self->position + columns - want) % columns;
    fe_ring_copy_s16(in.buf, columns * s->bins, first * s->bins, out.buf, n);
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

// ---- Quantizer ----------------------------------------------------------------

typedef struct {
    mp_obj_base_t base;
    fe_quant_t q;
} quantizer_obj_t;

mp_obj_full_type_t quantizer_type;
mp_map_elem_t quantizer_locals_table[1];
static MP_DEFINE_CONST_DICT(quantizer_locals, quantizer_locals_table);

static void quant_init(fe_quant_t *q, mp_obj_t scale, mp_obj_t zero_point) {
    union {
        float f;
        uint32_t bits;
    } s;
    s.f = mp_obj_get_float_to_f(scale);
    check(fe_quant_init(q, s.bits, mp_obj_get_int(zero_point)));
}

static mp_obj_t quantizer_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw,
    const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 2, 2, false);
    quantizer_obj_t *self = mp_obj_malloc(quantizer_obj_t, type);
    quant_init(&self->q, args[0], args[1]);
    return MP_OBJ_FROM_PTR(self);
}

// dst[i] = int8(src[(start + i) % len(src)]): quantizes a window straight from a ring.
static void quantize(const fe_quant_t *q, mp_obj_t src_obj, mp_obj_t dst_obj, mp_int_t start) {
    mp_buffer_info_t src, dst;
    size_t n = int16_buffer(src_obj, &src, MP_BUFFER_READ);
    mp_get_buffer_raise(dst_obj, &dst, MP_BUFFER_WRITE);
    if (n == 0 || dst.len == 0 || dst.len > n) {
        mp_raise_ValueError(MP_ERROR_TEXT("need 1 <= len(dst) <= number of int16 in src"));
    }
    if (start < 0 || (size_t)start >= n) {
        mp_raise_ValueError(MP_ERROR_TEXT("start must index src"));
    }
    fe_quant_s8(q, src.buf, n, start, dst.buf, dst.len);
}

static mp_obj_t quantizer_to_int8(size_t n_args, const mp_obj_t *args) {
    quantizer_obj_t *self = MP_OBJ_TO_PTR(args[0]);
    quantize(&self->q, args[1], args[2], n_args > 3 ? mp_obj_get_int(args[3]) : 0);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(quantizer_to_int8_obj, 3, 4, quantizer_to_int8);

// to_int8(src, dst, scale, zero_point[, start]): one-off; a Quantizer avoids the set-up.
static mp_obj_t to_int8(size_t n_args, const mp_obj_t *args) {
    fe_quant_t q;
    quant_init(&q, args[2], args[3]);
    quantize(&q, args[0], args[1], n_args > 4 ? mp_obj_get_int(args[4]) : 0);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(to_int8_obj, 4, 5, to_int8);

// ---- PdmDecimator -------------------------------------------------------------------

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
    mp_get_buffer_raise(words_obj, &words, MP_BUFFER_READ);
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

// ---- module -----------------------------------------------------------------------

static mp_obj_t int_tuple(const uint16_t *values, size_t n) {
    mp_obj_t items[8];
    for (size_t i = 0; i < n; i++) {
        items[i] = mp_obj_new_int(values[i]);
    }
    return mp_obj_new_tuple(n, items);
}

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

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

    quantizer_type.base.type = (void *)&mp_type_type;
    quantizer_type.flags = MP_TYPE_FLAG_NONE;
    quantizer_type.name = MP_QSTR_Quantizer;
    MP_OBJ_TYPE_SET_SLOT(&quantizer_type, make_new, quantizer_make_new, 0);
    quantizer_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_to_int8), MP_OBJ_FROM_PTR(&quantizer_to_int8_obj) };
    MP_OBJ_TYPE_SET_SLOT(&quantizer_type, locals_dict, (void *)&quantizer_locals, 1);
    mp_store_global(MP_QSTR_Quantizer, MP_OBJ_FROM_PTR(&quantizer_type));

    pdm_type.base.type = (void *)&mp_type_type;
    pdm_type.flags = MP_TYPE_FLAG_NONE;
    pdm_type.name = MP_QSTR_PdmDecimator;
    MP_OBJ_TYPE_SET_SLOT(&pdm_type, make_new, pdm_make_new, 0);
    pdm_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_process), MP_OBJ_FROM_PTR(&pdm_process_obj) };
    pdm_locals_table[1] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_reset), MP_OBJ_FROM_PTR(&pdm_reset_obj) };
    MP_OBJ_TYPE_SET_SLOT(&pdm_type, locals_dict, (void *)&pdm_locals, 1);
    mp_store_global(MP_QSTR_PdmDecimator, MP_OBJ_FROM_PTR(&pdm_type));

    mp_store_global(MP_QSTR_to_int8, MP_OBJ_FROM_PTR(&to_int8_obj));

    static const uint16_t ffts[] = { FE_FFT_SIZE_LIST };
    static const uint16_t windows[] = { FE_WINDOW_SIZE_LIST };
    mp_store_global(MP_QSTR_FFT_SIZES, int_tuple(ffts, sizeof(ffts) / sizeof(ffts[0])));
    mp_store_global(MP_QSTR_WINDOW_SIZES, int_tuple(windows, sizeof(windows) / sizeof(windows[0])));

    MP_DYNRUNTIME_INIT_EXIT
}
