"""int8 TFLite interpreter (native module). Outputs equal TFLM's reference kernels byte for byte.

    import interp
    with open("model.tflite", "rb") as f:
        data = f.read()
    m = interp.Model(data)              # data is used in place: keep it alive (m holds a reference)
    x = m.input()                       # memoryview('b') over the input tensor in the arena
    y = m.output()                      # memoryview over the output tensor
    x[:] = features                     # fill in place (bytes/bytearray of the right length)
    m.invoke()                          # no heap allocation
    scores = bytes(y)
    settings = m.metadata("earshot")    # bytes (UTF-8 JSON from the trainer) or None

On the board the kernels of most ops are in op modules, interp_<group>.mpy next to
interp.mpy (earshot deploy copies the ones a model needs): Model() imports them as the
model requires, and interp_names.mpy only to name an op that no module has. The private
interp._register(reg, keep) is how an op module registers its kernels
(mpy_modules/interp/core/ti_abi.h); it raises ValueError on anything it does not accept.
"""
from typing import Callable, List, Optional, Tuple

class Model:
    arena_size: int
    """Bytes of arena this model needs (exact: planned from tensor lifetimes at load)."""

    keep_input: bool
    """True when planned with keep_input: the inputs survive invoke()."""

    def __init__(self, model: bytes, arena: Optional[bytearray] = None, keep_input: bool = False, *,
                 cores: int = 1) -> None:
        """Parse and validate `model` (kept by reference, not copied: do not resize or
        modify it afterwards; pass `bytes`). With `arena` (a writable buffer of at least
        arena_size bytes, 4-byte aligned) that buffer is used; otherwise arena_size bytes
        are allocated once, here. With `keep_input` no other tensor shares the inputs'
        arena bytes, so the inputs are unchanged by invoke() (update a sliding window in
        place); the arena may be larger. Without it invoke() may overwrite the inputs.
        Raises ValueError naming the problem: "truncated file: ...", "bad file identifier",
        "unsupported op LEAKY_RELU (op 3)", "CONV_2D (op 1): output must be int8, not int16",
        "arena too small by N bytes", ...; ImportError when an op module the model needs
        is missing: "UNIDIRECTIONAL_SEQUENCE_LSTM needs interp_lstm.mpy on the board:
        copy it (earshot deploy does)".

        cores=2 (RP2040 only) runs the convolutions, LSTMs, pools and resizes in halves on
        both cores: each CONV_2D under a ReLU splits its output pixels, each 3x3
        DEPTHWISE_CONV_2D its channels, each LSTM step its units, pools and resizes their
        rows, and core 1 takes one half (interp_cores.mpy launches it from the bootrom for
        each pair of halves and resets it afterwards). Outputs are the same bytes; DS-CNN-S
        runs 1.92x faster. The arena takes a second tile or second planes (arena_size says
        how much). Core 1 must be free: not with _thread. Raises ImportError without
        interp_cores.mpy, OSError where there is no second core to launch (another board,
        core 1 busy), ValueError for other counts."""

    def input(self, i: int = 0) -> memoryview:
        """Writable view of graph input i inside the arena. Typecode follows the tensor
        type: 'b' int8, 'B' uint8, 'h' int16, 'i' int32, 'f' float32."""

    def output(self, i: int = 0) -> memoryview:
        """View of graph output i inside the arena (valid after invoke())."""

    def input_shape(self, i: int = 0) -> Tuple[int, ...]: ...
    def output_shape(self, i: int = 0) -> Tuple[int, ...]: ...

    def input_quant(self, i: int = 0) -> Tuple[float, int]:
        """(scale, zero_point) of input i: real = scale * (q - zero_point). Scale is a
        MicroPython float (the module only passes it through the firmware's float
        support; the RP2040 and unix firmwares have it). 0.0 when unquantized."""

    def output_quant(self, i: int = 0) -> Tuple[float, int]: ...

    def invoke(self) -> None:
        """Run the graph on the current input contents. Never allocates, never fails.
        Overwrites the inputs unless the model was loaded with keep_input.
        State (an LSTM's hidden and cell state) carries over to the next invoke, as in
        TFLM; reset() clears it."""

    def reset(self) -> None:
        """Put the model's state (variable tensors) back to zero, as TFLM's reset()."""

    def profile(self, clock: Callable[[], int]) -> List[Tuple[str, int]]:
        """Run the graph once, op by op, reading clock() (e.g. time.ticks_us or
        machine.cycles) around each op; returns [(op name, ticks), ...] with the cost
        of one clock() call taken out. Allocates (the list): not for the real-time loop."""

    def metadata(self, name: str) -> Optional[bytes]:
        """The model's metadata buffer called `name` (a copy), or None."""
