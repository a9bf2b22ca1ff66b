// libgcc_probe.div32(q, r, a, b) / div64(q, r, a, b): q[i] = a[i] / b[i], r[i] = a[i] % b[i]
// in C over int32 / int64 buffers of n items, so through __aeabi_idivmod / __aeabi_ldivmod,
// which the module takes from ti_libgcc.c (no libgcc divide is linked).
#include "py/dynruntime.h"

static size_t items(const mp_obj_t *args, size_t size, void **bufs) {
    mp_buffer_info_t b[4];
    for (int k = 0; k < 4; k++) {
        mp_get_buffer_raise(args[k], &b[k], k < 2 ? MP_BUFFER_WRITE : MP_BUFFER_READ);
        bufs[k] = b[k].buf;
        if (b[k].len != b[0].len || b[k].len % size || ((uintptr_t)b[k].buf & (size - 1))) {
            mp_raise_ValueError(MP_ERROR_TEXT("expected four aligned buffers of n items"));
        }
    }
    return b[0].len / size;
}

static mp_obj_t div32(size_t n_args, const mp_obj_t *args) {
    void *p[4];
    size_t n = items(args, 4, p);
    int32_t *q = p[0], *r = p[1];
    const int32_t *a = p[2], *b = p[3];
    for (size_t i = 0; i < n; i++) {
        q[i] = a[i] / b[i];
        r[i] = a[i] % b[i];
    }
    (void)n_args;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(div32_obj, 4, 4, div32);

static mp_obj_t div64(size_t n_args, const mp_obj_t *args) {
    void *p[4];
    size_t n = items(args, 8, p);
    int64_t *q = p[0], *r = p[1];
    const int64_t *a = p[2], *b = p[3];
    for (size_t i = 0; i < n; i++) {
        q[i] = a[i] / b[i];
        r[i] = a[i] % b[i];
    }
    (void)n_args;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(div64_obj, 4, 4, div64);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_div32, MP_OBJ_FROM_PTR(&div32_obj));
    mp_store_global(MP_QSTR_div64, MP_OBJ_FROM_PTR(&div64_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
