// requant_probe.run(y, acc, mult, shift, (offset, lo, hi)): ti_requant_run on buffers.
#include "py/dynruntime.h"
#include "kernel_conv.h"

static mp_obj_t run(size_t n_args, const mp_obj_t *args) {
    mp_buffer_info_t y, acc, mult, shift;
    mp_get_buffer_raise(args[0], &y, MP_BUFFER_WRITE);
    mp_get_buffer_raise(args[1], &acc, MP_BUFFER_READ);
    mp_get_buffer_raise(args[2], &mult, MP_BUFFER_READ);
    mp_get_buffer_raise(args[3], &shift, MP_BUFFER_READ);
    size_t n = y.len;
    if (n == 0 || acc.len != 4 * n || mult.len != 4 * n || shift.len != 4 * n || ((uintptr_t)acc.buf & 3) ||
        ((uintptr_t)mult.buf & 3) || ((uintptr_t)shift.buf & 3)) {
        mp_raise_ValueError(MP_ERROR_TEXT("expected n bytes and three aligned int32 buffers of n"));
    }
    (void)n_args;
    requant_t rq = {mult.buf, shift.buf, mp_obj_get_int(args[4]), mp_obj_get_int(args[5]),
                    mp_obj_get_int(args[6])};
    ti_requant_run(y.buf, acc.buf, (int32_t)n, &rq);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(run_obj, 7, 7, run);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_run, MP_OBJ_FROM_PTR(&run_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
