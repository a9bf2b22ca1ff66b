// MicroPython binding of the pcm core: buffers of int16 samples in, ints out.
#include "py/dynruntime.h"
#include "core/pcm.h"

// Accepts array('h'), bytearray, bytes or memoryview with an even byte count.
static size_t samples_of(mp_obj_t obj, mp_buffer_info_t *info, mp_uint_t flags) {
    mp_get_buffer_raise(obj, info, flags);
    if (info->len % 2 != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("expected int16 samples: even byte count"));
    }
    return info->len / 2;
}

static mp_obj_t peak(mp_obj_t buf) {
    mp_buffer_info_t info;
    size_t n = samples_of(buf, &info, MP_BUFFER_READ);
    return mp_obj_new_int_from_uint(pcm_peak_s16(info.buf, n));
}
static MP_DEFINE_CONST_FUN_OBJ_1(peak_obj, peak);

static mp_obj_t mean_square(mp_obj_t buf) {
    mp_buffer_info_t info;
    size_t n = samples_of(buf, &info, MP_BUFFER_READ);
    return mp_obj_new_int_from_uint(pcm_mean_square_s16(info.buf, n));
}
static MP_DEFINE_CONST_FUN_OBJ_1(mean_square_obj, mean_square);

static mp_obj_t rms(mp_obj_t buf) {
    mp_buffer_info_t info;
    size_t n = samples_of(buf, &info, MP_BUFFER_READ);
    return mp_obj_new_int_from_uint(pcm_rms_s16(info.buf, n));
}
static MP_DEFINE_CONST_FUN_OBJ_1(rms_obj, rms);

static mp_obj_t scale(mp_obj_t buf, mp_obj_t gain_obj) {
    mp_buffer_info_t info;
    size_t n = samples_of(buf, &info, MP_BUFFER_RW);
    mp_int_t gain = mp_obj_get_int(gain_obj);
    return mp_obj_new_int_from_uint(pcm_scale_s16(info.buf, n, (int32_t)gain));
}
static MP_DEFINE_CONST_FUN_OBJ_2(scale_obj, scale);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_peak, MP_OBJ_FROM_PTR(&peak_obj));
    mp_store_global(MP_QSTR_mean_square, MP_OBJ_FROM_PTR(&mean_square_obj));
    mp_store_global(MP_QSTR_rms, MP_OBJ_FROM_PTR(&rms_obj));
    mp_store_global(MP_QSTR_scale, MP_OBJ_FROM_PTR(&scale_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
