"""Which interp modules a model needs on the board.

On the board the interpreter is split: interp.mpy (the core: loading, planning, RESHAPE,
SOFTMAX) plus one op module per kernel family, interp_<group>.mpy, which the core
imports when a model uses one of its ops, and interp_names.mpy, imported only by an
error: it names an op that no module has and writes the texts of the core's errors (the
core holds their codes). Only the modules a model needs are copied (their code takes RAM
once imported); interp_names always goes along (flash only). The C side's table is TI_OPS in
mpy_modules/interp/core/ti_kernels.h; tests/host/test_deploy_interp_modules.py keeps
the two equal.
"""
CORE = "interp"
NAMES_MODULE = "interp_names"  # op names and error texts, for the core's error messages
OP_GROUPS = {
    "ADD": "binary", "AVERAGE_POOL_2D": "pool", "CONCATENATION": "layout", "CONV_2D": "conv",
    "DEPTHWISE_CONV_2D": "dw", "DEQUANTIZE": "act", "FULLY_CONNECTED": "conv", "LOGISTIC": "sigmoid",
    "MAX_POOL_2D": "pool", "MUL": "binary", "RELU": "act", "RELU6": "act", "RESHAPE": "core",
    "SOFTMAX": "core", "TANH": "sigmoid", "PAD": "layout", "MEAN": "mean", "SUB": "binary",
    "SQUEEZE": "core", "UNIDIRECTIONAL_SEQUENCE_LSTM": "lstm", "STRIDED_SLICE": "layout",
    "EXPAND_DIMS": "core", "RESIZE_NEAREST_NEIGHBOR": "resize", "QUANTIZE": "act",
}
OP_MODULES = tuple(sorted({f"{CORE}_{g}" for g in OP_GROUPS.values() if g != "core"}))


def op_modules(tflite):
    """The op modules (names without .mpy) a .tflite's ops need, sorted. Ops no module
    has are left to the board, which refuses the model naming them."""
    from earshot.export.inspect import describe

    groups = {OP_GROUPS.get(op["op"]) for op in describe(tflite)["ops"]}
    return tuple(sorted(f"{CORE}_{g}" for g in groups if g not in (None, "core")))


def interp_modules(tflite):
    """interp and the op modules the model needs: what a board must hold to run it."""
    return (CORE, *op_modules(tflite))
