#include "fe_framer.h"

#include "fe_ring.h"

// memcpy/memmove are byte loops in natmods: copy words when both ends allow it, else
// halfwords. Forwards: safe for the overlapping slide in fe_framer_next (dst below src).
// Not inlined: fe_framer_next calls it twice.
__attribute__((noinline)) static void copy_s16(int16_t *dst, const int16_t *src, size_t n) {
    if ((((uintptr_t)dst ^ (uintptr_t)src) & 3) == 0) {
        fe_copy_u8((uint8_t *)dst, (const uint8_t *)src, n * sizeof(int16_t));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        dst[i] = src[i];
    }
}

FE_COLD void fe_framer_init(fe_framer_t *f, uint16_t frame, uint16_t hop, int16_t *history) {
    f->frame = frame;
    f->hop = hop;
    f->history = history;
    fe_framer_reset(f);
}

void fe_framer_reset(fe_framer_t *f) {
    f->fill = 0;
    f->skip = 0;
}

const int16_t *fe_framer_next(fe_framer_t *f, const int16_t **x, size_t *n) {
    if (f->fill == f->frame) {
        // The previous frame was returned: slide by hop.
        if (f->hop < f->frame) {
            size_t keep = f->frame - f->hop;
            copy_s16(f->history, f->history + f->hop, keep);
            f->fill = (uint16_t)keep;
        } else {
            f->fill = 0;
            f->skip = (uint16_t)(f->hop - f->frame);
        }
    }
    if (f->skip > 0) {
        size_t drop = *n < f->skip ? *n : f->skip;
        f->skip -= (uint16_t)drop;
        *x += drop;
        *n -= drop;
    }
    size_t take = f->frame - f->fill;
    if (take > *n) {
        take = *n;
    }
    copy_s16(f->history + f->fill, *x, take);
    f->fill += (uint16_t)take;
    *x += take;
    *n -= take;
    return f->fill == f->frame ? f->history : NULL;
}
