// Benchmark-only module (never deployed): runs one stage of the core n times on
// built-in data so host/earshot/bench/frontend.py can count cycles per stage.
// Built by the bench into build/bench/ as frontend_bench.mpy.
#include "py/dynruntime.h"

#include "core/fe_mag.h"
#include "core/fe_quant.h"
#include "core/fe_spectrogram.h"
#include "fe_tables.h"
#include "core/fe_cfft.h"

typedef struct {
    mp_obj_base_t base;
    int16_t frame[256];
    int16_t windowed[256];
    int16_t spectrum[512];
    int16_t column[129];
    fe_rfft_t rfft;
} bench_state_t;


static void fill(bench_state_t *b) {
    uint32_t seed = 12345;
    for (int i = 0; i < 256; i++) {
        seed = seed * 1103515245u + 12345u;
        b->frame[i] = (int16_t)(seed >> 16);
    }
    for (int i = 0; i < 512; i++) {
        seed = seed * 1103515245u + 12345u;
        b->spectrum[i] = (int16_t)seed >> 6;  // FFT outputs are scaled down by the stages
    }
}

// run(stage, n): 0 window, 1 FFT + magnitude (of an already transformed buffer:
// timing only), 2 magnitude alone (129 bins), 3 whole column (window, FFT, magnitude),
// 4 complex FFT alone, 5 bit reversal alone.
static mp_obj_t run(mp_obj_t which_obj, mp_obj_t n_obj) {
    bench_state_t *b = m_malloc(sizeof(bench_state_t));
    fill(b);
    fe_rfft_init(&b->rfft, 256);
    const int16_t *half = fe_hann_half(256);
    fe_window_q15(b->frame, half, 256, b->windowed);
    mp_int_t which = mp_obj_get_int(which_obj), n = mp_obj_get_int(n_obj);
    for (mp_int_t i = 0; i < n; i++) {
        if (which == 0 || which == 3) {
            fe_window_q15(b->frame, half, 256, b->windowed);
        }
        if (which == 3) {
            fe_rfft_mag_q15(&b->rfft, b->windowed, b->column);
        }
        if (which == 1) {
            fe_rfft_mag_q15(&b->rfft, b->windowed, b->column);
        }
        if (which == 2) {
            fe_cmplx_mag_q15(b->spectrum, b->column, 129);
        }
        if (which == 4) {
            fe_cfft_q15(b->windowed, 128, b->rfft.twiddle);
        }
        if (which == 5) {
            fe_bitreverse(b->windowed, b->rfft.bitrev, b->rfft.bitrev_length);
        }

    }
    return mp_obj_new_int(b->column[3]);
}
static MP_DEFINE_CONST_FUN_OBJ_2(run_obj, run);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_run, MP_OBJ_FROM_PTR(&run_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
