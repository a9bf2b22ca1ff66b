// The contract between the board's core module interp.mpy and an op module
// interp_<group>.mpy (groups: TI_OPS in ti_kernels.h).
//
// Registration: importing an op module runs its mpy_init (opmod/mod_interp_op.c), which
// fills a ti_op_reg_t and calls interp._register(bytes(reg), keep). The core
//  1. checks the length (TI_REG_BYTES(n_ops): only the module's ops), magic, ABI version, every struct size, the group, each op
//     (its code must belong to that group) and that no pointer is NULL, else raises
//     ValueError and registers nothing;
//  2. writes its helper table (ti_core_api_t) to reg.api;
//  3. records each op's prepare/eval (a later registration of the same op replaces it)
//     and keeps `keep` (the op module's init function) referenced, so the module's code
//     lives as long as the core.
// The core cannot check where the function pointers point: only op modules built from
// this source tree may register.
//
// Helpers: an op module's kernels call the core's helpers (ti_fail, ti_check_type, ...)
// through thunks (opmod/ti_link.c; opmod/ti_link_thumb.S on the Cortex-M0+, 6 bytes
// each) that jump via the table the core wrote: entry k of TI_CORE_API, then of
// TI_CORE_API_LIBGCC, is the k-th pointer after the two header words. A kernel in an
// op module may call only what TI_CORE_API lists, which holds what they call today
// (else its link fails with an undefined symbol: add the helper here; at most 62
// entries in both lists, the reach of the stubs' offset). Any change to this file,
// to ti_interp.h's structs or to a kernel's signature: bump TI_ABI_VERSION.
#ifndef TI_ABI_H
#define TI_ABI_H

#ifndef __ASSEMBLER__  // opmod/ti_link_thumb.S reads the lists below
#include "kernel_conv.h"
#endif

#define TI_ABI_VERSION 9  // 3: ti_fail's texts may be TI_T codes (ti_text.h); 4: ops[n_ops] only, no __aeabi_ldivmod;
                          // 5: ti_check_io; 6: variants (ti_use_variant); 7: ti_cv_check_weight_scales;
                          // 8: FULLY_CONNECTED in the core, no longer in interp_conv;
                          // 9: ti_interp_t.split (two cores)
#define TI_REG_MAGIC 0x47455254u   // "TREG" little endian
#define TI_API_MAGIC 0x49504154u   // "TAPI"
#define TI_REG_MAX_OPS 8

#ifndef __ASSEMBLER__
typedef ti_status_t (*ti_prepare_fn)(ti_interp_t *it, ti_op_t *op);
typedef void (*ti_eval_fn)(ti_interp_t *it, const ti_op_t *op);
#endif

// X(return type, name, (parameters), (arguments)) of every helper an op module may call.
#define TI_CORE_API(X)                                                                              \
    X(ti_status_t, ti_fail, (ti_interp_t * it, ti_status_t st, const char *what), (it, st, what))    \
    X(ti_status_t, ti_fail_n, (ti_interp_t * it, ti_status_t st, const char *what, int32_t n,       \
                               const char *what2), (it, st, what, n, what2))                         \
    X(uint32_t, ti_elements, (const ti_tensor_t *t), (t))                                            \
    X(ti_status_t, ti_check_arity, (ti_interp_t * it, const ti_op_t *op, unsigned min_in,            \
                                    unsigned max_in, unsigned n_out), (it, op, min_in, max_in, n_out)) \
    X(ti_status_t, ti_check_type, (ti_interp_t * it, const ti_tensor_t *t, uint8_t type,             \
                                   const char *role), (it, t, type, role))                           \
    X(ti_status_t, ti_check_quant, (ti_interp_t * it, const ti_tensor_t *t, const char *role),       \
      (it, t, role))                                                                                 \
    X(ti_status_t, ti_check_io, (ti_interp_t * it, const ti_op_t *op, unsigned n_in, uint8_t in_type,        \
                                 uint8_t out_type, unsigned quant, ti_tensor_t **in, ti_tensor_t **out),   \
      (it, op, n_in, in_type, out_type, quant, in, out))                                                   \
    X(ti_status_t, ti_quantize_multiplier, (ti_interp_t * it, double m, int32_t *qm, int32_t *shift), \
      (it, m, qm, shift))                                                                            \
    X(ti_status_t, ti_activation_range, (ti_interp_t * it, int32_t act, const ti_tensor_t *out,       \
                                         int32_t *lo, int32_t *hi), (it, act, out, lo, hi))          \
    X(double, ti_ddiv, (double a, double b), (a, b))                                                 \
    X(double, ti_dmul, (double a, double b), (a, b))                                                 \
    X(double, ti_d_from_f, (float f), (f))                                                           \
    X(double, ti_d_from_i, (int32_t n), (n))                                                         \
    X(float, ti_f_from_d, (double d), (d))                                                           \
    X(float, ti_fdiv, (float a, float b), (a, b))                                                    \
    X(float, ti_fmul, (float a, float b), (a, b))                                                    \
    X(int32_t, ti_d_floor, (double d), (d))                                                          \
    X(int32_t, ti_d_round, (double d), (d))                                                          \
    X(int, ti_d_less, (double a, double b), (a, b))                                                  \
    X(ti_status_t, ti_use_variant, (ti_interp_t * it, ti_op_t *op, unsigned variant), (it, op, variant)) \
    X(int, ti_same_quant, (const ti_tensor_t *a, const ti_tensor_t *b), (a, b))                      \
    X(float, ti_channel_scale, (const ti_interp_t *it, const ti_tensor_t *t, uint32_t c), (it, t, c)) \
    X(int32_t *, ti_chan_alloc, (ti_interp_t * it, uint32_t n), (it, n))                             \
    X(int32_t, ti_fb_i32, (const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, int32_t dflt),   \
      (fb, t, idx, dflt))                                                                            \
    X(int32_t, ti_fb_i8, (const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, int32_t dflt),    \
      (fb, t, idx, dflt))                                                                            \
    X(float, ti_fb_f32, (const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, float dflt),       \
      (fb, t, idx, dflt))                                                                            \
    TI_CORE_API_CONV(X)

// What CONV_2D (interp_conv), DEPTHWISE_CONV_2D (interp_dw) and FULLY_CONNECTED (the core's)
// share: kernel_conv_common*.c, in the core (kernel_conv.h; ti_requant_run: TI_CORE_API_REQUANT).
#define TI_CORE_API_CONV(X)                                                                         \
    X(ti_status_t, ti_cv_check_common, (ti_interp_t * it, const ti_op_t *op, ti_tensor_t **in,        \
                                        ti_tensor_t **w, ti_tensor_t **bias, ti_tensor_t **out),      \
      (it, op, in, w, bias, out))                                                                    \
    X(ti_status_t, ti_cv_check_bias, (ti_interp_t * it, const ti_tensor_t *bias, int32_t channels),   \
      (it, bias, channels))                                                                          \
    X(ti_status_t, ti_cv_check_weight_scales, (ti_interp_t * it, const ti_tensor_t *w,           \
                                                    int32_t channels), (it, w, channels))             \
    X(ti_status_t, ti_cv_prepare_window, (ti_interp_t * it, const ti_op_t *op, ti_conv_params_t *p,   \
                                          const ti_tensor_t *in, const ti_tensor_t *out, int32_t fh,   \
                                          int32_t fw, int same, unsigned f_sw, unsigned f_sh,          \
                                          unsigned f_dw, unsigned f_dh),                               \
      (it, op, p, in, out, fh, fw, same, f_sw, f_sh, f_dw, f_dh))                                    \
    X(ti_status_t, ti_cv_channel_multipliers, (ti_interp_t * it, ti_conv_params_t *p,                 \
                                               const ti_tensor_t *in, const ti_tensor_t *w,           \
                                               const ti_tensor_t *out, int32_t channels,              \
                                               int fc_per_tensor),                                     \
      (it, p, in, w, out, channels, fc_per_tensor))                                                  \
    X(ti_status_t, ti_cv_fold_offsets, (ti_interp_t * it, ti_conv_params_t *p, const ti_tensor_t *w,  \
                                        const ti_tensor_t *bias, int32_t channels, int32_t per_channel, \
                                        int32_t channel_stride, int32_t step),                         \
      (it, p, w, bias, channels, per_channel, channel_stride, step))                                 \
    TI_CORE_API_REQUANT(X)

// Hot: each module has its own copy once it is in a file of its own (opmod/groups.mk).
#if TI_REQUANT_IN_MODULES
#define TI_CORE_API_REQUANT(X)
#else
#define TI_CORE_API_REQUANT(X)                                                                      \
    X(void, ti_requant_run, (int8_t * y, const int32_t *acc, int32_t n, const requant_t *rq),         \
      (y, acc, n, rq))
#endif

// The Cortex-M0+ has no divide and no 64-bit multiply: libgcc's helpers that the kernels
// call are in the table too, so an op module jumps to the core's copies instead of
// linking its own (a helper missing here is still linked into the module by natmod.mk).
#if defined(__arm__)
#define TI_CORE_API_LIBGCC(X) TI_CORE_API_DIVIDE(X) TI_CORE_API_LIBGCC_64(X)
#define TI_CORE_API_DIVIDE(X)                      \
    X(void, __aeabi_idiv, (void), ())              \
    X(void, __aeabi_idivmod, (void), ())           \
    X(void, __aeabi_uidiv, (void), ())
#define TI_CORE_API_LIBGCC_64(X)                   \
    X(void, __aeabi_lmul, (void), ())              \
    X(void, __aeabi_llsl, (void), ())              \
    X(void, __aeabi_llsr, (void), ())
#else
#define TI_CORE_API_LIBGCC(X)
#endif

#ifndef __ASSEMBLER__
typedef struct {
    uint32_t magic;         // TI_API_MAGIC
    uint32_t abi;           // TI_ABI_VERSION
#define TI_API_FIELD(ret, name, params, args) ret(*name) params;
    TI_CORE_API(TI_API_FIELD)
    TI_CORE_API_LIBGCC(TI_API_FIELD)
#undef TI_API_FIELD
} ti_core_api_t;

typedef struct {
    int32_t code;           // TFLite builtin code, or TI_VARIANT_CODE(index) (ti_kernels.h)
    ti_prepare_fn prepare;
    ti_eval_fn eval;
} ti_op_entry_t;

typedef struct {
    uint32_t magic;         // TI_REG_MAGIC
    uint16_t abi;           // TI_ABI_VERSION
    uint16_t size;          // sizeof(ti_op_reg_t)
    uint16_t interp_size, op_size, tensor_size, api_size;  // the structs both sides use
    uint8_t group;          // TI_GROUP_<g> of the module; every op must belong to it
    uint8_t n_ops;          // 1..TI_REG_MAX_OPS
    ti_core_api_t *api;     // where the core writes its helper table
    ti_op_entry_t ops[TI_REG_MAX_OPS];
} ti_op_reg_t;

// A module sends only its n_ops entries: the registration's length is TI_REG_BYTES(n_ops).
#define TI_REG_BYTES(n_ops) (offsetof(ti_op_reg_t, ops) + (size_t)(n_ops) * sizeof(ti_op_entry_t))

// Core side (split core only, ti_ops.c). ti_ops_init: the core's own kernels, once at
// import. ti_register: validates and applies a registration; on error writes the reason
// to msg (TI_MSG_LEN bytes) and changes nothing.
void ti_ops_init(void);
ti_status_t ti_register(const void *reg, size_t len, char *msg);
#endif

#endif
