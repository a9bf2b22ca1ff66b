// Module entry of frontend and of its board-sized siblings (mfcc, pdm): the same
// binding built with the parts the module's Makefile selects (FE_WITH_<PART>).
// mpy_init comes first in the first file: mpy_ld reaches it with a short branch.
#include "bind.h"
#if FE_WITH_TABLES
#include "fe_tables.h"

static mp_obj_t int_tuple(const uint16_t *values, size_t n) {
    mp_obj_t items[8];
    for (size_t i = 0; i < n; i++) {
        items[i] = mp_obj_new_int(values[i]);
    }
    return mp_obj_new_tuple(n, items);
}
#endif

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
#if FE_WITH_SPECTROGRAM
    bind_spectrogram_register();
#endif
#if FE_WITH_MFCC
    bind_mfcc_register();
#endif
#if FE_WITH_QUANT
    bind_quant_register();
#endif
#if FE_WITH_PDM
    bind_pdm_register();
#endif
#if FE_WITH_TABLES
    static const uint16_t ffts[] = { FE_FFT_SIZE_LIST };
    static const uint16_t windows[] = { FE_WINDOW_SIZE_LIST };
    mp_store_global(MP_QSTR_FFT_SIZES, int_tuple(ffts, sizeof(ffts) / sizeof(ffts[0])));
    mp_store_global(MP_QSTR_WINDOW_SIZES, int_tuple(windows, sizeof(windows) / sizeof(windows[0])));
#endif
    MP_DYNRUNTIME_INIT_EXIT
}
