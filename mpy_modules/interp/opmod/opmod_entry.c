// The entry point of an op module, in its own object linked first: mpy_ld reaches mpy_init
// with a 2 KB Thumb branch from the start of the code, and the module's unit
// (mod_interp_op.c and its kernels) puts its functions where the compiler likes.
#include "py/dynruntime.h"

mp_obj_t ti_opmod_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    return ti_opmod_init(self, n_args, n_kw, args);
}
