// An op module's side of the core's helpers: each is a thunk that jumps through the
// table the core writes at registration (core/ti_abi.h), so the kernels compile
// unchanged and the helpers' code lives once, in interp.mpy.
#include "../core/ti_abi.h"

extern ti_core_api_t ti_core;  // mod_interp_op.c; written by the core in interp._register

#if !defined(__arm__)  // ti_link_thumb.S has the Cortex-M0+'s
#define THUNK(ret, name, params, args) \
    ret name params {                  \
        return ti_core.name args;      \
    }
TI_CORE_API(THUNK)
#undef THUNK
#endif
