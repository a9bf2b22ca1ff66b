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
    static const char expected[] = "int16: array('h') or bytes-like, even size and address";
    typed_buffer(obj, info, flags, "hB\x01", expected);  // \x01: bytearray (MicroPython BYTEARRAY_TYPECODE)
    if (info->len % 2 != 0 || ((uintptr_t)info->buf & 1) != 0) {
        mp_raise_ValueError(expected);
    }
    return info->len / 2;
}

#if FE_WITH_SPECTROGRAM || FE_WITH_MFCC
#include "core/fe_spectrogram.h"

// n / d for d >= 1, remainder in *rest, by shift and subtract from the divisor's
// largest fitting shift (a few steps for column counts): keeps libgcc's division
// routine (276 bytes) out of the board module.
static size_t divide(size_t n, size_t d, size_t *rest) {
    int shift = 0;
    while ((d << shift) <= (n >> 1)) {
        shift++;
    }
    size_t q = 0;
    for (; shift >= 0; shift--) {
        if (n >= (d << shift)) {
            n -= d << shift;
            q |= (size_t)1 << shift;
        }
    }
    *rest = n;
    return q;
}

size_t ring_vectors(size_t vector, size_t position, mp_obj_t ring, mp_buffer_info_t *info) {
    size_t n = int16_buffer(ring, info, MP_BUFFER_WRITE);
    size_t rest;
    size_t vectors = divide(n, vector, &rest);
    if (vectors == 0 || rest != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("ring: n >= 1 columns of bins int16"));
    }
    if (position >= vectors) {
        mp_raise_ValueError(MP_ERROR_TEXT("ring is smaller than before"));
    }
    return vectors;
}

void copy_window(size_t vector, size_t position, mp_obj_t ring, mp_obj_t out_obj) {
    mp_buffer_info_t in, out;
    size_t vectors = ring_vectors(vector, position, ring, &in);
    size_t n = int16_buffer(out_obj, &out, MP_BUFFER_WRITE);
    size_t rest;
    size_t wanted = divide(n, vector, &rest);
    if (wanted == 0 || rest != 0 || wanted > vectors) {
        mp_raise_ValueError(MP_ERROR_TEXT("out: 1..ring columns of bins int16"));
    }
    size_t first = position >= wanted ? position - wanted : position + vectors - wanted;
    fe_ring_copy_s16(in.buf, vectors * vector, first * vector, out.buf, n);
}

#endif
