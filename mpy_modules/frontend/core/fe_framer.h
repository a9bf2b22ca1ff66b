// Cuts a stream of int16 samples into overlapping frames: keeps the overlap, so a
// caller can feed blocks of any size and gets each frame exactly once.
#ifndef FE_FRAMER_H
#define FE_FRAMER_H

#include <stddef.h>
#include <stdint.h>

#include "fe_status.h"

typedef struct {
    uint16_t frame;
    uint16_t hop;
    uint16_t fill;      // samples held in history
    uint16_t skip;      // samples still to drop (when hop > frame)
    int16_t *history;   // caller-owned, frame samples
} fe_framer_t;

void fe_framer_init(fe_framer_t *f, uint16_t frame, uint16_t hop, int16_t *history);
void fe_framer_reset(fe_framer_t *f);

// Takes samples from *x (advancing *x, *n) until a frame is complete, then returns
// the frame (history, valid until the next call), else NULL when the input ran out.
const int16_t *fe_framer_next(fe_framer_t *f, const int16_t **x, size_t *n);

#endif
