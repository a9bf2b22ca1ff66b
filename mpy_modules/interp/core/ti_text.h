// The error texts of the board's core and its op modules, each written where it is used
// as TI_T(NAME).
//
// TI_T(NAME) is a code, not a string: a pointer value 1..TI_TX_END-1 that the message
// writer (ti_msg_append) recognises. The host library writes the text (ti_text, from
// this table); the board's core writes "[E<two hex digits>]", which interp_names.mpy turns
// back into the text when the binding raises (without it the message keeps the code and
// says to copy interp_names.mpy). So the core carries no text, and the host and the
// boards say the same. Codes are positions in this list: interp.mpy and interp_names.mpy
// come from one build.
#ifndef TI_TEXT_H
#define TI_TEXT_H

#include <stdint.h>

#define TI_TEXTS(X)                                                                         \
    X(TRUNCATED_FILE, "truncated file: ")                                                    \
    X(BAD_IDENTIFIER, "bad file identifier: not a TFLite model (expected 'TFL3')")           \
    X(ROOT_OUTSIDE, "truncated file: root table outside the file")                           \
    X(NO_SUBGRAPH, "truncated file: no readable subgraph")                                   \
    X(VECTOR_PAST_END, "truncated file: a vector runs past the end")                         \
    X(TOO_MANY, "model too large: too many tensors, ops, inputs or outputs")                 \
    X(NO_OPS, "model has no ops, inputs or outputs")                                          \
    X(TRUNCATED_OPERATOR, "truncated file: operator ")                                       \
    X(UNREADABLE, " unreadable")                                                              \
    X(BAD_OP_ARITY, " has a bad number of inputs/outputs")                                    \
    X(TOO_MANY_OP_IO, "model too large: too many op inputs/outputs")                          \
    X(QUANT_PAST_END, ": quantization vectors run past the end of the file")                 \
    X(QUANT_COUNTS, ": scale and zero-point counts differ")                                  \
    X(QUANT_DIM, ": per-channel scale count does not match its dimension")                   \
    X(ZERO_POINT_RANGE, ": zero point out of range")                                         \
    X(SCALE_POSITIVE, ": scale must be a positive finite number")                            \
    X(TENSOR_UNREADABLE, " unreadable (truncated file)")                                     \
    X(TOO_MANY_DIMS, " has too many dimensions (max 6)")                                     \
    X(NEGATIVE_DIM, " has a negative dimension")                                             \
    X(ELEMENTS_OVERFLOW, " is too large (element count overflows)")                          \
    X(BYTES_OVERFLOW, " is too large (byte count overflows)")                                \
    X(SPARSE, " is sparse (not supported)")                                                   \
    X(QUANT_UNREADABLE, ": quantization table unreadable")                                   \
    X(ZERO_POINT_TYPE, ": zero point outside the type's range")                              \
    X(NO_BUFFER, " names a buffer that does not exist")                                      \
    X(BUFFER_PAST_END, ": its buffer runs past the end of the file")                         \
    X(EXTERNAL_BUFFER, ": external buffers (models > 2 GB) are not supported")               \
    X(DATA_SIZE, ": constant data size does not match its shape")                            \
    X(VARIABLE_CONSTANT, " is both variable and constant")                                   \
    X(TENSOR_INDEX, "tensor index ")                                                          \
    X(OUT_OF_RANGE, " out of range")                                                          \
    X(BAD_OPCODE, " has a bad opcode index")                                                  \
    X(WRITES_CONSTANT, "writes into a constant tensor")                                       \
    X(OPTIONS_UNREADABLE, "options table unreadable (truncated file)")                       \
    X(IO_CONSTANT, "a graph input or output is a constant tensor")                           \
    X(LOAD_FLAGS, "unknown load flags ")                                                      \
    X(TABLES_NEED, "interpreter tables need ")                                                \
    X(ALIGNED_BYTES, " bytes (8-byte aligned)")                                               \
    X(ARENA_ALIGN, "arena must be a 4-byte aligned buffer")                                   \
    X(ARENA_SMALL, "arena too small by ")                                                     \
    X(BYTES, " bytes")                                                                        \
    X(ARITY, "wrong number of inputs or outputs")                                             \
    X(REQUIRED_INPUT, "required input ")                                                      \
    X(IS_MISSING, " is missing")                                                              \
    X(NO_QUANT, " has no quantization parameters")                                            \
    X(INFINITE_MULTIPLIER, "quantization scales give an infinite multiplier")                \
    X(LARGE_MULTIPLIER, "quantization scales give a multiplier too large")                   \
    X(FUSED_ACTIVATION, "fused activation ")                                                  \
    X(NOT_SUPPORTED, " not supported")                                                        \
    X(ARENA_2GB, "arena would exceed 2 GB")                                                   \
    X(REGISTRATION, "bad op module registration: ")                                           \
    X(REG_SIZE, "wrong size (not an interp op module of this version?)")                     \
    X(REG_MAGIC, "wrong magic")                                                               \
    X(REG_ABI, "ABI version differs from interp.mpy's: copy both from one build")            \
    X(REG_STRUCTS, "struct sizes differ from interp.mpy's: copy both from one build")        \
    X(REG_GROUP, "bad group")                                                                 \
    X(REG_OP_COUNT, "bad op count")                                                           \
    X(REG_NULL_TABLE, "NULL helper table")                                                    \
    X(REG_OP_GROUP, "an op outside the module's group")                                       \
    X(REG_NULL_KERNEL, "a NULL kernel")                                                       \
    X(SHAPES_DIFFER, "input and output shapes differ")                                        \
    X(SOFTMAX_OUTPUT, "output must have scale 1/256 and zero point -128")                    \
    X(BETA_SMALL, "input scale x beta too small")                                             \
    X(ACT_SCALE, "scale too small for the activation's bounds (over 2^31 steps)")              \
    X(RESHAPE_SIZE, "input and output differ in type or size")                                \
    X(RESHAPE_QUANT, "input and output quantization differ")                                  \
    X(CHANNELS_WEIGHTS, "more output channels than weights")                                  \
    X(WEIGHTS_CONSTANT, "weights must be constant")                                           \
    X(BIAS_CONSTANT, "bias must be constant")                                                 \
    X(BIAS_ELEMENTS, "bias must have ")                                                       \
    X(ELEMENTS, " elements")                                                                  \
    X(STRIDE_RANGE, "stride and dilation must be between 1 and 4096")                        \
    X(CONV_4D, "input and output must be 4-D with the same batch")                           \
    X(WINDOW_LARGE, "window or padding too large")                                            \
    X(WINDOW_MISMATCH, "output height/width do not match the window")                        \
    X(WEIGHT_SCALES, "weights need one scale or one per output channel")                     \
    X(MUST_BE, " must be ")                                                                  \
    X(NOT, ", not ")                                                                         \
    X(TYPE_0, "float32") /* TYPE_<k>: TFLite tensor type k (ti_interp.h) */                 \
    X(TYPE_1, "unknown type")                                                                \
    X(TYPE_2, "int32")                                                                       \
    X(TYPE_3, "uint8")                                                                       \
    X(TYPE_4, "int64")                                                                       \
    X(TYPE_5, "unknown type")                                                                \
    X(TYPE_6, "bool")                                                                        \
    X(TYPE_7, "int16")                                                                       \
    X(TYPE_8, "unknown type")                                                                \
    X(TYPE_9, "int8")                                                                        \
    X(TYPE_UNKNOWN, "unknown type")                                                          \
    X(POOL_WINDOW, "pool strides must be 1..4096 and the window at most 65536 cells")       \
    X(POOL_4D, "input and output must be 4-D with the same batch and channels")             \
    X(RESIZE_SIZE, "size must be a constant pair (height, width)")                          \
    X(RESIZE_SHAPE, "output shape does not match the size input")                           \
    X(RESIZE_EMPTY, "cannot resize an empty image")                                          \
    X(OUTPUT_LARGE, "output too large")                                                      \
    X(MEAN_AXIS, "axis must be a constant int32 vector")                                    \
    X(AXIS_RANGE, "axis out of range")                                                       \
    X(MEAN_SHAPE, "output shape does not match the reduction")                              \
    X(SIGMOID_OUTPUT_ZP, "output must have zero point ")                                    \
    X(SCALE_256, " and scale 1/256")                                                         \
    X(SCALE_128, " and scale 1/128")                                                         \
    X(INPUT_SCALE_SMALL, "input scale too small")                                            \
    X(BINARY_RANK, "inputs have more dimensions than the output")                           \
    X(BROADCAST, "input shapes do not broadcast to the output shape")                       \
    X(BINARY_SCALE, "output scale too small for the input scales")                          \
    X(INT8_TENSORS, "tensors must be int8")                                                  \
    X(RANKS_DIFFER, "input and output ranks differ")                                         \
    X(PADDINGS, "paddings must be a constant int32 [rank, 2]")                              \
    X(PADDINGS_SHAPE, "paddings do not match the output shape")                             \
    X(PAD_VALUE, "pad value must be a constant int8 scalar")                                \
    X(FUSED_NOT_SUPPORTED, "fused activation not supported")                                 \
    X(MISSING_INPUT, "missing input")                                                        \
    X(CONCAT_RANKS, "inputs and output ranks differ")                                        \
    X(CONCAT_OUTSIDE, "inputs differ outside the concatenation axis")                       \
    X(CONCAT_SUM, "output size along the axis is not the inputs' sum")                      \
    X(SLICE_MASKS, "ellipsis, new-axis masks and offset are not supported")                 \
    X(SLICE_BEGIN, "begin must be constant int32 [rank]")                                   \
    X(SLICE_END, "end must be constant int32 [rank]")                                       \
    X(SLICE_STRIDES, "strides must be constant int32 [rank]")                               \
    X(STRIDES_ZERO, "strides must be non-zero")                                              \
    X(SHRUNK_RANGE, "shrunk index out of range")                                             \
    X(SLICE_SHAPE, "output shape does not match the slice")                                 \
    X(SLICE_RANK, "output rank does not match the slice")                                   \
    X(LSTM_SHAPE, "needs batch 1, constant [units, inputs] weights, [units] biases and states") \
    X(LSTM_PER_TENSOR, "weights must be quantized per tensor")                              \
    X(LSTM_STATES_MISSING, "state inputs missing")                                           \
    X(LSTM_VARIANT, "peephole, projection, layer norm: not supported")                      \
    X(LSTM_TANH, "only the tanh cell activation is supported")                              \
    X(LSTM_VARIABLE, "states must be variable tensors")                                      \
    X(LSTM_ROOM, "no room for its parameters")                                               \
    X(LSTM_GATES, "every gate needs its weights and bias (no CIFG)")                        \
    X(LSTM_CELL_SCALE, "cell state scale must be a power of two, 2^-27..1")                \
    X(FC_SHUFFLED, "shuffled weights format not supported")                                 \
    X(FC_WEIGHTS_2D, "weights must be 2-D")                                                  \
    X(FC_SIZES, "input, weights and output sizes do not agree")

#define TI_TX_ENUM(name, text) TI_TX_##name,
enum { TI_TX_NONE, TI_TEXTS(TI_TX_ENUM) TI_TX_END };
#undef TI_TX_ENUM
typedef char ti_text_codes_fit[TI_TX_END <= 256 ? 1 : -1];  // two hex digits on the board

#define TI_T(name) ((const char *)(uintptr_t)TI_TX_##name)
#define TI_IS_CODE(s) ((uintptr_t)(s) < (uintptr_t)TI_TX_END)

// The text of a code (host library and interp_names.mpy only), "" for an unknown code.
const char *ti_text(unsigned code);

#endif
