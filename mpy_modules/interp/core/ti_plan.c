// Arena planner.
//
// Every non-constant tensor lives from the first op that touches it to the last (graph
// inputs from the start, graph outputs to the end, variable tensors throughout); an op's
// scratch buffer lives during that op only. Buffers are placed largest first, each at
// the lowest 4-byte aligned offset that does not overlap a buffer already placed whose
// lifetime intersects its own (TFLM's greedy planner). The arena size is the highest end
// offset: exact for this placement, known at load time. With keep_input the graph inputs
// live to the last op too, so nothing is placed over them and they survive an invoke.
#include "ti_internal.h"

#define UNPLACED 0xffffffffu

typedef struct {
    uint32_t size, *offset;
    int32_t first, last;
} item_t;

static void use(ti_tensor_t *t, int32_t i) {
    if (t->is_const) {
        return;
    }
    if (t->first_use < 0 || i < t->first_use) {
        t->first_use = i;
    }
    if (i > t->last_use) {
        t->last_use = i;
    }
}

// Buffer k: tensor k, or for k >= n_tensors the scratch of op k - n_tensors.
static item_t get_item(ti_interp_t *it, uint32_t k) {
    item_t r;
    if (k < it->n_tensors) {
        ti_tensor_t *t = &it->tensors[k];
        r.size = t->in_arena ? t->bytes : 0;
        r.offset = &t->arena_offset;
        r.first = t->first_use;
        r.last = t->last_use;
    } else {
        ti_op_t *op = &it->ops[k - it->n_tensors];
        r.size = op->scratch_bytes;
        r.offset = &op->scratch_offset;
        r.first = r.last = (int32_t)(k - it->n_tensors);
    }
    return r;
}

static uint32_t place(ti_interp_t *it, const item_t *x, uint32_t n_items) {
    uint32_t offset = 0;
    int moved = 1;
    while (moved) {
        moved = 0;
        for (uint32_t k = 0; k < n_items; k++) {
            item_t y = get_item(it, k);
            uint32_t at = *y.offset;
            if (y.size == 0 || at == UNPLACED || y.last < x->first || x->last < y.first) {
                continue;
            }
            if (offset < at + y.size && at < offset + x->size) {
                offset = (at + y.size + 3u) & ~3u;
                moved = 1;
            }
        }
    }
    return offset;
}

ti_status_t ti_plan(ti_interp_t *it, int keep_input) {
    int32_t last_op = (int32_t)it->n_ops - 1;
    for (uint32_t i = 0; i < it->n_ops; i++) {
        const ti_op_t *op = &it->ops[i];
        for (unsigned k = 0; k < (unsigned)op->n_in + op->n_out; k++) {
            int16_t t = it->io[op->io + k];
            if (t >= 0) {
                use(&it->tensors[t], (int32_t)i);
            }
        }
    }
    for (uint32_t k = 0; k < it->n_inputs; k++) {
        ti_tensor_t *t = &it->tensors[it->io[it->inputs + k]];
        use(t, 0);
        if (keep_input && last_op > 0) {
            use(t, last_op);
        }
    }
    for (uint32_t k = 0; k < it->n_outputs; k++) {
        use(&it->tensors[it->io[it->outputs + k]], last_op);
    }
    for (uint32_t k = 0; k < it->n_tensors; k++) {
        ti_tensor_t *t = &it->tensors[k];
        if (t->in_arena == 2) {
            t->first_use = 0;
            t->last_use = last_op;
        } else if (!t->is_const && t->first_use >= 0) {
            t->in_arena = 1;
        }
        t->arena_offset = UNPLACED;
    }
    uint32_t n_items = it->n_tensors + it->n_ops;
    for (uint32_t i = 0; i < it->n_ops; i++) {
        it->ops[i].scratch_offset = UNPLACED;
    }
    uint32_t size = 0;  // below 2^31
    for (;;) {
        // The largest unplaced buffer next.
        item_t bx = {0, 0, 0, 0};
        for (uint32_t k = 0; k < n_items; k++) {
            item_t x = get_item(it, k);
            if (*x.offset == UNPLACED && x.size > bx.size) {
                bx = x;
            }
        }
        if (bx.size == 0) {
            break;
        }
        uint32_t offset = place(it, &bx, n_items);
        if (bx.size > 0x7fffffffu || offset > 0x7fffffffu - bx.size) {
            return ti_fail(it, TI_ERR_SHAPE, TI_T(ARENA_2GB));
        }
        *bx.offset = offset;
        if (offset + bx.size > size) {
            size = offset + bx.size;
        }
    }
    for (uint32_t k = 0; k < it->n_tensors; k++) {
        if (it->tensors[k].arena_offset == UNPLACED) {
            it->tensors[k].arena_offset = 0;  // empty or unused: never read
        }
    }
    it->arena_size = (size + 3u) & ~3u;
    return TI_OK;
}
