// Helpers shared by the binding files (static inline: natmods have no shared data).
#ifndef FRONTEND_BIND_H
#define FRONTEND_BIND_H

#include "py/dynruntime.h"

#if FE_WITH_MFCC
#include "core/fe_mfcc.h"
#endif
#include "core/fe_pdm.h"
#include "core/fe_quant.h"
#include "core/fe_ring.h"
#include "core/fe_spectrogram.h"
#include "fe_tables.h"

// Raises ValueError with the core's message when status is not FE_OK.
static inline void check(fe_status_t status) {
    if (status != FE_OK) {
        mp_raise_ValueError(fe_status_message(status));
    }
}

// int16 samples from array('h'), bytes, bytearray or memoryview: an even byte count
// at an even address (the Cortex-M0+ faults on unaligned halfword loads).
static inline size_t int16_buffer(mp_obj_t obj, mp_buffer_info_t *info, mp_uint_t flags) {
    mp_get_buffer_raise(obj, info, flags);
    if (info->len % 2 != 0 || ((uintptr_t)info->buf & 1) != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("expected int16 values: even byte count and address"));
    }
    return info->len / 2;
}


// Each binding file registers its types and functions in the module's globals.
void bind_streams_register(void);
void bind_blocks_register(void);

#endif
