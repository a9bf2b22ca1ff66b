// Helpers shared by the binding files. One module is built from the parts its
// Makefile names (FE_WITH_<PART>); each part's file registers its own names.
#ifndef FRONTEND_BIND_H
#define FRONTEND_BIND_H

#include "py/dynruntime.h"
#include "../common/natmod_alloc.h"

#include "core/fe_status.h"

// Raises ValueError with the core's message when status is not FE_OK.
void check(fe_status_t status);

// A buffer whose typecode is one of `typecodes` ('B' is bytes, bytearray and their
// memoryviews); anything else raises ValueError with `expected`.
void typed_buffer(mp_obj_t obj, mp_buffer_info_t *info, mp_uint_t flags,
    const char *typecodes, const char *expected);

// int16 samples: array('h'), bytes, bytearray or a memoryview of them, with an even
// byte count at an even address (the Cortex-M0+ faults on unaligned halfword loads).
// Returns the number of int16.
size_t int16_buffer(mp_obj_t obj, mp_buffer_info_t *info, mp_uint_t flags);

// Ring of vectors (columns): a writable int16 buffer holding a whole number of them,
// more than `position` (the slot the next vector goes to). Returns their number.
size_t ring_vectors(size_t vector, size_t position, mp_obj_t ring, mp_buffer_info_t *info);

// out <- the newest len(out) / vector vectors of the ring, oldest first.
void copy_window(size_t vector, size_t position, mp_obj_t ring, mp_obj_t out_obj);

void bind_spectrogram_register(void);
void bind_mfcc_register(void);
void bind_quant_register(void);
void bind_pdm_register(void);

#endif
