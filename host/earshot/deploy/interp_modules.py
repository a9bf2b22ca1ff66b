"""Which interp modules a model needs on the board.

On the board the interpreter is split: interp.mpy (the core: loading, planning, RESHAPE,
SOFTMAX, FULLY_CONNECTED) plus one op module per kernel family, interp_<group>.mpy, which the core
imports when a model uses one of its ops, and interp_names.mpy, imported only by an
error: it names an op that no module has and writes the texts of the core's errors (the
core holds their codes). Some ops have variants: paths their prepare chooses by shape, in
modules of their own, imported only when a model takes them. Only the modules a model may
need are copied (their code takes RAM once imported; a variant's module goes along with its
op, as the choice is the board's); interp_names always goes along (flash only), and so does
interp_cores, imported only by Model(..., cores=2) (config.json "cores": 2). The C side's
tables are TI_OPS and TI_VARIANTS in mpy_modules/interp/core/ti_kernels.h;
tests/host/test_deploy_interp_modules.py keeps them equal.
"""
CORE = "interp"
NAMES_MODULE = "interp_names"  # op names and error texts, for the core's error messages
CORES_MODULE = "interp_cores"  # the RP2040's second core (Model(..., cores=2))
OP_GROUPS = {
    "ADD": "binary", "AVERAGE_POOL_2D": "pool", "CONCATENATION": "layout", "CONV_2D": "conv",
    "DEPTHWISE_CONV_2D": "dw", "DEQUANTIZE": "act", "FULLY_CONNECTED": "core", "LOGISTIC": "sigmoid",
    "MAX_POOL_2D": "pool", "MUL": "binary", "RELU": "act", "RELU6": "act", "RESHAPE": "core",
    "SOFTMAX": "core", "TANH": "sigmoid", "PAD": "layout", "MEAN": "mean", "SUB": "binary",
    "SQUEEZE": "core", "UNIDIRECTIONAL_SEQUENCE_LSTM": "lstm", "STRIDED_SLICE": "layout",
    "EXPAND_DIMS": "core", "RESIZE_NEAREST_NEIGHBOR": "resize", "QUANTIZE": "act",
}
# op -> the groups of its variants
VARIANT_GROUPS = {"CONV_2D": ("convx",), "DEPTHWISE_CONV_2D": ("dwx",), "FULLY_CONNECTED": ("convx",)}
OP_MODULES = tuple(sorted({f"{CORE}_{g}" for g in OP_GROUPS.values() if g != "core"} |
                          {f"{CORE}_{g}" for groups in VARIANT_GROUPS.values() for g in groups}))


def op_modules(tflite):
    """The op modules (names without .mpy) a .tflite's ops may need, sorted: each op's and
    its variants'. Ops no module has are left to the board, which refuses the model naming
    them."""
    from earshot.export.inspect import describe

    ops = {op["op"] for op in describe(tflite)["ops"]}
    groups = {OP_GROUPS.get(op) for op in ops} | {g for op in ops for g in VARIANT_GROUPS.get(op, ())}
    return tuple(sorted(f"{CORE}_{g}" for g in groups if g not in (None, "core")))


def loaded_modules(tflite):
    """interp and the op modules a board imports to run the model: its ops' and those of the
    variants its ops take (the host library's prepare chooses as the board's does)."""
    from earshot.export.inspect import describe
    from earshot.interp import Interpreter

    groups = {OP_GROUPS.get(op["op"]) for op in describe(tflite)["ops"]} - {None, "core"}
    groups |= set(Interpreter(tflite).variant_groups())
    return (CORE, *sorted(f"{CORE}_{g}" for g in groups))


def interp_modules(tflite):
    """interp and the op modules the model needs: what a board must hold to run it."""
    return (CORE, *op_modules(tflite))
