// Heap allocation for native modules that raises MemoryError when the heap has no room.
// MicroPython 1.23's py/dynruntime.h m_malloc returns NULL then (its own "TODO won't
// raise on OOM"), and its mp_obj_malloc writes the object's type through that NULL: a
// crash (a HardFault on the RP2040). Include right after py/dynruntime.h: m_malloc and
// mp_obj_malloc(_var) then behave as the firmware's own allocations do.
#ifndef NATMOD_ALLOC_H
#define NATMOD_ALLOC_H

#include "py/dynruntime.h"

#define mp_type_MemoryError (*(mp_obj_type_t *)(mp_load_global(MP_QSTR_MemoryError)))

static inline void *natmod_malloc(size_t n) {
    void *p = mp_fun_table.realloc_(NULL, n, false);
    if (p == NULL && n != 0) {
        mp_raise_msg(&mp_type_MemoryError, MP_ERROR_TEXT("memory allocation failed"));
    }
    return p;
}

static inline void *natmod_obj_malloc(size_t n, const mp_obj_type_t *type) {
    mp_obj_base_t *base = (mp_obj_base_t *)natmod_malloc(n);
    base->type = type;
    return base;
}

#undef m_malloc
#define m_malloc(n) natmod_malloc(n)
#undef mp_obj_malloc_helper
#define mp_obj_malloc_helper(n, t) natmod_obj_malloc((n), (t))

#endif
