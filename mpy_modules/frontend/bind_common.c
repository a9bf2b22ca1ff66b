// Argument checks shared by every part of the binding (cold code: built for size).
#include "bind.h"
#include "core/fe_ring.h"

void check(fe_status_t status) {
    if (status != FE_OK) {
        mp_raise_ValueError(fe_status_message(status));
    }
}

void typed_buffer(mp_obj_t obj, mp_buffer_info_t *info, mp_uint_t flags,
    const char *typecodes, const char *expected) {
    if (mp_get_buffer(obj, info, flags)) {
        for (const char *t = typecodes; *t; t++) {
            if (info->typecode == (unsigned char)*t) {
                return;
            }
        }
    }
    mp_raise_ValueError(expected);
}

size_t int16_buffer(mp_obj_t obj, mp_buffer_info_t *info, mp_uint_t flags) {
    static const char expected[] = "expected int16 values: array('h') or bytes-like, even byte count and address";
    typed_buffer(obj, info, flags, "hB\x01", expected);  // \x01: bytearray (MicroPython BYTEARRAY_TYPECODE)
    if (info->len % 2 != 0 || ((uintptr_t)info->buf & 1) != 0) {
        mp_raise_ValueError(expected);
    }
    return info->len / 2;
}

#if FE_WITH_SPECTROGRAM || FE_WITH_MFCC
#include "core/fe_spectrogram.h"

size_t ring_vectors(size_t vector, mp_obj_t ring, mp_buffer_info_t *info) {
    size_t n = int16_buffer(ring, info, MP_BUFFER_WRITE);
    if (n == 0 || n % vector != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("ring must hold a whole number (>= 1) of columns of bins int16"));
    }
    return n / vector;
}

void copy_window(size_t vector, size_t position, mp_obj_t ring, mp_obj_t out_obj) {
    mp_buffer_info_t in, out;
    size_t vectors = ring_vectors(vector, ring, &in);
    size_t n = int16_buffer(out_obj, &out, MP_BUFFER_WRITE);
    if (n == 0 || n % vector != 0 || n / vector > vectors) {
        mp_raise_ValueError(MP_ERROR_TEXT("out must hold 1..ring columns of bins int16"));
    }
    size_t first = (position + vectors - n / vector) % vectors;
    fe_ring_copy_s16(in.buf, vectors * vector, first * vector, out.buf, n);
}

#endif
