// earshot's int8 TFLite interpreter: the portable core (no MicroPython types).
//
// Lifetimes and ownership:
//  - The model bytes are read in place and must outlive the interpreter; nothing is
//    copied out of them (weights, biases and metadata are used where they lie).
//  - `meta` (ti_meta_size() bytes) holds the tensor and op tables and the per-channel
//    multipliers; the caller owns it.
//  - The arena (it->arena_size bytes, known after ti_load) holds every activation
//    tensor; the caller owns it and hands it over with ti_set_arena.
//  - ti_invoke never allocates and never fails: everything is validated by ti_load.
//
// Usage: ti_meta_size -> ti_load -> ti_set_arena -> fill inputs -> ti_invoke -> read outputs.
#ifndef TI_INTERP_H
#define TI_INTERP_H

#include <stddef.h>
#include <stdint.h>

#include "ti_fb.h"

#define TI_MAX_DIMS 6
#define TI_MSG_LEN 96

typedef enum {
    TI_OK = 0,
    TI_ERR_IDENTIFIER,     // not a TFLite flatbuffer
    TI_ERR_TRUNCATED,      // an offset or length points outside the file
    TI_ERR_MALFORMED,      // a required field is missing or an index is out of range
    TI_ERR_UNSUPPORTED_OP,
    TI_ERR_TYPE,           // a tensor has a type the op does not take
    TI_ERR_SHAPE,          // shapes inconsistent, negative or too large
    TI_ERR_QUANT,          // missing or unusable quantization parameters
    TI_ERR_META_SMALL,
    TI_ERR_ARENA_SMALL,
    TI_ERR_NO_ARENA,
    TI_ERR_ARG,            // bad argument from the caller
    TI_ERR_NEED_MODULE,    // (board) op it->need_code is in an op module not imported yet
} ti_status_t;

typedef enum {
    TI_FLOAT32 = 0,
    TI_INT32 = 2,
    TI_UINT8 = 3,
    TI_INT64 = 4,
    TI_BOOL = 6,
    TI_INT16 = 7,
    TI_INT8 = 9,
} ti_type_t;

typedef struct {
    uint8_t *data;          // const: in the model; otherwise in the arena (after ti_set_arena)
    uint32_t bytes;
    uint32_t arena_offset;
    int32_t dims[TI_MAX_DIMS];
    uint8_t ndim;
    uint8_t type;
    uint8_t is_const;
    uint8_t in_arena;
    int32_t zero_point;     // per-tensor (or channel 0)
    float scale;            // per-tensor (or channel 0); 0 when unquantized
    ti_fb_vec_t scales;     // float32 scales in the model (n > 1: per channel)
    int32_t quant_dim;
    int32_t first_use, last_use;
} ti_tensor_t;

// Precomputed parameters of one op (a union: one member per kernel family).
typedef struct {
    int32_t *mult;          // per output channel (or one) q0 multipliers
    int32_t *shift;
    int32_t *fold;          // per channel: bias + input offset x sum of weights (fast paths), or NULL
    int32_t n_mult;
    int16_t stride_w, stride_h, dil_w, dil_h, pad_w, pad_h;
    int16_t filter_w, filter_h, depth_mult;
    int16_t wide;           // CONV_2D widened-weight layout (kernel_conv.c), 0 if none
    int32_t in_offset, out_offset, filter_offset;
    int32_t act_min, act_max;
} ti_conv_params_t;

typedef struct {
    int32_t in1_offset, in2_offset, out_offset;
    int32_t m1, m2, mo;
    int32_t s1, s2, so;
    int32_t left_shift;
    int32_t act_min, act_max;
    uint8_t broadcast;
} ti_binary_params_t;

typedef struct {
    int32_t in_zp, out_zp;
    int32_t mult, shift;    // requantize / input multiplier
    int32_t radius;         // input range radius (logistic, tanh), diff_min (softmax)
    int32_t act_min, act_max;
    float scale;            // QUANTIZE from float / DEQUANTIZE
    double dscale;
} ti_unary_params_t;

typedef struct {
    int32_t begin[TI_MAX_DIMS], stride[TI_MAX_DIMS], size[TI_MAX_DIMS];
    int32_t axis, count;
    uint8_t align_corners, half_pixel;
    int32_t in_zp;
    int32_t mult, shift;
    int32_t out_zp;
} ti_shape_params_t;

typedef struct ti_op {
    uint8_t kind;           // TFLite builtin code
    uint8_t n_in, n_out;
    uint8_t slot;           // (board) its entry in the kernel table of ti_ops.c, set by prepare
    uint16_t io;            // first input in it->io; outputs follow the inputs
    uint32_t scratch_bytes, scratch_offset;
    ti_fb_table_t options;  // builtin options table (options.pos == 0 when absent)
    union {
        ti_conv_params_t conv;
        ti_binary_params_t bin;
        ti_unary_params_t un;
        ti_shape_params_t shp;
    } p;
} ti_op_t;

// An op's work in two halves: fn(a) and fn(b), each with its own scratch (TI_TWO_CORES).
// With `split` set (interp_cores.mpy, on the RP2040) the halves run on the two cores at
// once; else one after the other (ti_halves, kernel_conv.h).
typedef void (*ti_half_fn)(void *arg);
typedef void (*ti_split_fn)(void *ctx, ti_half_fn fn, void *a, void *b);

typedef struct ti_interp {
    ti_fb_t fb;
    ti_tensor_t *tensors;
    ti_op_t *ops;
    int16_t *io;
    int32_t *chan_pool;
    uint32_t n_tensors, n_ops, n_io, chan_used, chan_cap;
    uint16_t inputs, outputs;       // positions in it->io of the graph inputs / outputs
    uint8_t n_inputs, n_outputs;
    ti_fb_vec_t metadata;           // Model.metadata
    ti_fb_vec_t buffers;            // Model.buffers
    uint8_t *arena;
    uint32_t arena_size;
    ti_split_fn split;              // NULL: the halves run one after the other
    void *split_ctx;
    uint8_t two_cores;              // loaded with TI_TWO_CORES: scratch for two halves
    int32_t err_op;                 // op index of the last error, -1 if none
    int32_t need_code;              // TI_ERR_NEED_MODULE, TI_ERR_UNSUPPORTED_OP: the op's builtin code
    char msg[TI_MSG_LEN];           // human-readable reason of the last error
} ti_interp_t;

// Bytes of `meta` that ti_load needs for this model (0 with it->msg set on error).
ti_status_t ti_meta_size(const uint8_t *model, size_t len, size_t *meta_bytes, char *msg);

// Parses, validates and prepares the model and plans the arena (it->arena_size).
ti_status_t ti_load(ti_interp_t *it, const uint8_t *model, size_t len, void *meta, size_t meta_bytes);

// ti_load with flags: TI_KEEP_INPUT plans the arena so that no other tensor or scratch
// buffer overlaps a graph input; the inputs then survive ti_invoke (a caller can update a
// sliding window in place). The arena may be larger; it->arena_size is exact for either.
#define TI_KEEP_INPUT 1u
// TI_TWO_CORES plans scratch for the halves that may run on the RP2040's two cores at once
// (CONV_2D's and DEPTHWISE_CONV_2D's stream and pair paths): a larger arena.
#define TI_TWO_CORES 2u
ti_status_t ti_load_flags(ti_interp_t *it, const uint8_t *model, size_t len, void *meta, size_t meta_bytes,
                          uint32_t flags);

// Binds the caller's arena (at least it->arena_size bytes, 4-byte aligned).
ti_status_t ti_set_arena(ti_interp_t *it, void *arena, size_t len);

void ti_invoke(ti_interp_t *it);

// Variable tensors (an LSTM's state) persist across ti_invoke, as in TFLM; this puts them
// back to their initial value (real 0), as ti_set_arena does and TFLM's reset().
void ti_reset_state(ti_interp_t *it);

// Per-op variant: runs op i only (for profiling).
void ti_invoke_op(ti_interp_t *it, uint32_t i);

const ti_tensor_t *ti_input(const ti_interp_t *it, uint32_t i);
const ti_tensor_t *ti_output(const ti_interp_t *it, uint32_t i);

// Metadata buffer named `name`; *len = its size. NULL when absent.
const uint8_t *ti_metadata(const ti_interp_t *it, const char *name, uint32_t *len);
// The same for a name of name_len bytes (no terminating NUL needed).
const uint8_t *ti_metadata_n(const ti_interp_t *it, const char *name, uint32_t name_len, uint32_t *len);

// Builtin op name of op i ("CONV_2D"...).
const char *ti_op_name(const ti_interp_t *it, uint32_t i);

// Flat accessors for callers without the struct layout (ctypes, fuzzers).
size_t ti_interp_size(void);
const char *ti_message(const ti_interp_t *it);
uint32_t ti_arena_size(const ti_interp_t *it);
uint32_t ti_count(const ti_interp_t *it, int what);  // 0 inputs, 1 outputs, 2 ops
// Tensor i of the graph inputs (is_output 0) or outputs (1): its data (NULL before
// ti_set_arena), shape, type, byte count and per-tensor quantization. 0 if no such tensor.
int ti_tensor_info(const ti_interp_t *it, int is_output, uint32_t i, void **data, int32_t *dims,
                   uint32_t *ndim, uint32_t *type, uint32_t *bytes, float *scale, int32_t *zero_point);

#endif
