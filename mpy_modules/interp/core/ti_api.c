// Flat accessors of the interpreter state.
#include "ti_internal.h"

size_t ti_interp_size(void) {
    return sizeof(ti_interp_t);
}

const char *ti_message(const ti_interp_t *it) {
    return it->msg;
}

uint32_t ti_arena_size(const ti_interp_t *it) {
    return it->arena_size;
}

uint32_t ti_count(const ti_interp_t *it, int what) {
    return what == 0 ? it->n_inputs : what == 1 ? it->n_outputs : it->n_ops;
}

int ti_tensor_info(const ti_interp_t *it, int is_output, uint32_t i, void **data, int32_t *dims,
                   uint32_t *ndim, uint32_t *type, uint32_t *bytes, float *scale, int32_t *zero_point) {
    const ti_tensor_t *t = is_output ? ti_output(it, i) : ti_input(it, i);
    if (!t) {
        return 0;
    }
    *data = it->arena ? t->data : 0;
    for (unsigned k = 0; k < TI_MAX_DIMS; k++) {
        dims[k] = k < t->ndim ? t->dims[k] : 0;
    }
    *ndim = t->ndim;
    *type = t->type;
    *bytes = t->bytes;
    *scale = t->scale;
    *zero_point = t->zero_point;
    return 1;
}
