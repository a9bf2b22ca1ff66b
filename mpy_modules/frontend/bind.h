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

// A buffer whose typecode is one of `typecodes` ('B' is bytes, bytearray and their
// memoryviews); anything else raises ValueError with `expected`.
static inline void typed_buffer(mp_obj_t obj, mp_buffer_info_t *info, mp_uint_t flags,
    const char *typecodes, const char *expected) {
    if (!mp_get_buffer(obj, info, flags)) {
        mp_raise_ValueError(expected);
    }
    for (const char *t = typecodes; *t; t++) {
        if (info->typecode == (unsigned char)*t) {
            return;
        }
    }
    mp_raise_ValueError(expected);
}

// int16 samples: array('h'), bytes, bytearray or a memoryview of them, with an even
// byte count at an even address (the Cortex-M0+ faults on unaligned halfword loads).
static inline size_t int16_buffer(mp_obj_t obj, mp_buffer_info_t *info, mp_uint_t flags) {
    static const char expected[] = "expected int16 values: array('h') or bytes-like, even byte count and address";
    typed_buffer(obj, info, flags, "hB\x01", expected);  // \x01: bytearray (MicroPython BYTEARRAY_TYPECODE)
    if (info->len % 2 != 0 || ((uintptr_t)info->buf & 1) != 0) {
        mp_raise_ValueError(expected);
    }
    return info->len / 2;
}

// Each binding file registers its types and functions in the module's globals.
void bind_streams_register(void);
void bind_blocks_register(void);

#endif
