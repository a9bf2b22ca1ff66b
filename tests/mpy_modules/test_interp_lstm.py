"""UNIDIRECTIONAL_SEQUENCE_LSTM (int8, batch 1) against the tflite_micro reference.

- The int16 sigmoid/tanh the LSTM uses inside, for every int16 input, against the
  reference's int16 LOGISTIC/TANH ops at the same input scalings (fixtures in
  tests/fixtures/interp/int16, made by tools/make_interp_fixtures.py).
- Whole LSTMs (two tiny ones and the zoo's lstm_mfcc) on random inputs, with the state
  carried across invoke() as the reference does, reset() and run_batch().
- Refusals with a clear message for LSTM forms we do not run.
"""
import ctypes
import zlib

import numpy as np
import pytest

from earshot.errors import ModelError
from earshot.interp import Interpreter, _lib
from tests.conftest import ROOT
from tests.mpy_modules.tflite_edit import edited

runtime = pytest.importorskip("tflite_micro.python.tflite_micro.runtime")

FIXTURES = ROOT / "tests" / "fixtures" / "interp"
LSTMS = ["lstm_tiny", "lstm_last", "zoo_lstm_mfcc"]
ALL_INT16 = np.arange(-32768, 32768, dtype=np.int16)
# fixture -> (0 sigmoid / 1 tanh, multiplier, right shift) of the kernel's activation
# for that input scale: 2^-12 for the gates, 2^-14 and 2^-15 for cell states.
ACTIVATIONS = {
    "int16_logistic_q12": (0, 3, 0),
    "int16_tanh_q12": (1, 3, 0),
    "int16_tanh_q14": (1, 3, 2),
    "int16_tanh_q15": (1, 3, 3),
}


def reference_int16(name):
    ref = runtime.Interpreter.from_bytes((FIXTURES / "int16" / f"{name}.tflite").read_bytes())
    width = ref.get_input_details(0)["shape"][-1]
    out = []
    for row in ALL_INT16.reshape(-1, 1, width):
        ref.set_input(row, 0)
        ref.invoke()
        out.append(ref.get_output(0).ravel())
    return np.concatenate(out)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_int16_activation_equals_reference_for_every_input(name):
    which, mult, shift = ACTIVATIONS[name]
    fn = _lib().ti_lstm_activation16
    fn.restype = None
    fn.argtypes = [ctypes.c_int, ctypes.c_int32, ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint32]
    ours = np.empty_like(ALL_INT16)
    fn(which, mult, shift, ALL_INT16.ctypes.data, ours.ctypes.data, ALL_INT16.size)
    expected = reference_int16(name)
    assert np.array_equal(ours, expected), f"{np.count_nonzero(ours != expected)} of 65536 differ"


def load(name):
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    return Interpreter(data), runtime.Interpreter.from_bytes(data)


def random_input(interp, rng):
    return rng.integers(-128, 128, interp.inputs[0].shape).astype(np.int8)


@pytest.mark.parametrize("name", LSTMS)
def test_fresh_state_outputs_equal_reference(name):
    ours, ref = load(name)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    xs = [random_input(ours, rng) for _ in range(40)]
    xs += [np.full_like(xs[0], -128), np.full_like(xs[0], 127)]
    for x in xs:
        ours.reset()
        ref.reset()
        ref.set_input(x, 0)
        ref.invoke()
        assert np.array_equal(ours.invoke(x), ref.get_output(0))


@pytest.mark.parametrize("name", ["lstm_tiny", "lstm_last"])
def test_state_carries_across_invokes_and_reset_clears_it(name):
    """TFLM keeps the hidden and cell state between invoke() calls until reset()."""
    ours, ref = load(name)
    rng = np.random.default_rng(7)
    x = random_input(ours, rng)
    outputs = []
    for step in range(4):
        if step == 3:
            ours.reset()
            ref.reset()
        ref.set_input(x, 0)
        ref.invoke()
        expected = ref.get_output(0)
        assert np.array_equal(ours.invoke(x), expected)
        outputs.append(expected)
    assert not np.array_equal(outputs[0], outputs[1]), "the fixture should show the carried state"
    assert np.array_equal(outputs[0], outputs[3])


def test_run_batch_starts_every_sample_from_a_reset_state():
    ours, ref = load("lstm_last")
    xs = np.random.default_rng(3).integers(-128, 128, (6, *ours.input_shape())).astype(np.int8)
    batch = ours.run_batch(xs)
    for x, y in zip(xs, batch):
        ref.reset()
        ref.set_input(x, 0)
        ref.invoke()
        assert np.array_equal(y, ref.get_output(0))


def set_cell_scale(model, graph, op):
    graph.tensors[op.inputs[19]].quantization.scale = [3.0e-5]


def with_input(k, tensor):
    def change(model, graph, op):
        op.inputs = [tensor(op) if j == k else t for j, t in enumerate(op.inputs)]
    return change


add_peephole = with_input(9, lambda op: op.inputs[1])
drop_input_gate = with_input(1, lambda op: -1)


def relu_cell(model, graph, op):
    op.builtinOptions.fusedActivationFunction = 1


def float_cell_state(model, graph, op):
    graph.tensors[op.inputs[19]].type = 0


def clip_cell(model, graph, op):
    """A cell clip at 0.25 (in the cell state's float units), which random inputs reach."""
    op.builtinOptions.cellClip = 0.25


def test_cell_clip_equals_reference():
    data = edited("lstm_tiny", clip_cell)
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    plain = Interpreter((FIXTURES / "lstm_tiny.tflite").read_bytes())
    rng = np.random.default_rng(9)
    clipped = False
    for x in [random_input(ours, rng) for _ in range(20)] + [np.full((1, 3, 4), v, np.int8) for v in (127, -128)]:
        for it in (ours, ref, plain):
            it.reset()
        ref.set_input(x, 0)
        ref.invoke()
        out = ours.invoke(x)
        assert np.array_equal(out, ref.get_output(0))
        clipped |= not np.array_equal(out, plain.invoke(x))
    assert clipped, "the clip should change some outputs"


def test_random_mutations_of_an_lstm_never_crash():
    data = (FIXTURES / "lstm_tiny.tflite").read_bytes()
    rng = np.random.default_rng(44)
    loaded = 0
    for _ in range(300):
        buf = bytearray(data)
        for _ in range(int(rng.integers(1, 5))):
            buf[int(rng.integers(0, len(buf)))] = int(rng.integers(0, 256))
        try:
            it = Interpreter(bytes(buf))
        except ModelError:
            continue
        loaded += 1
        it.invoke(*[np.full(t.shape, 127, dtype=t.dtype) for t in it.inputs])
    assert loaded > 0


def test_weight_zero_points_equal_reference():
    """The converter's weights are symmetric; TFLM also takes zero points, so do we."""
    def shift_zero_points(model, graph, op):
        for k, zp in ((1, 3), (2, -2), (6, 5), (8, -7)):
            graph.tensors[op.inputs[k]].quantization.zeroPoint = [zp]

    data = edited("lstm_tiny", shift_zero_points)
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(5)
    for _ in range(10):
        x = random_input(ours, rng)
        ref.set_input(x, 0)
        ref.invoke()
        assert np.array_equal(ours.invoke(x), ref.get_output(0))


@pytest.mark.parametrize("change,message", [
    (set_cell_scale, "cell state scale must be a power of two"),
    (add_peephole, "peephole, projection, layer norm: not supported"),
    (drop_input_gate, r"every gate needs its weights and bias \(no CIFG\)"),
    (relu_cell, "only the tanh cell activation is supported"),
    (float_cell_state, "cell state must be int16, not float32"),
])
def test_unsupported_lstm_forms_are_refused_clearly(change, message):
    with pytest.raises(ModelError, match=f"UNIDIRECTIONAL_SEQUENCE_LSTM \\(op 0\\): {message}"):
        Interpreter(edited("lstm_tiny", change))
