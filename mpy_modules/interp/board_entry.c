// The entry point of interp.mpy, in its own object linked first: mpy_ld reaches mpy_init
// with a 16-bit Thumb branch (2 KB), and in the one-unit core (board_unit.c) the
// compiler places functions where it likes.
#include "py/dynruntime.h"

mp_obj_t interp_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    return interp_init(self, n_args, n_kw, args);
}
