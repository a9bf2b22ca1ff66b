"""CONV_2D paths of the interp core that converter outputs never take, against tflite_micro.

Weights of -128 (symmetric int8 quantization stops at -127) would overflow the stream
kernel's 16-bit lanes (kernel_conv.c): such convolutions must take the plain path. The
single-op fixtures themselves are judged in test_interp.py; on the boards in
test_interp_conv_boards.py.
"""
import numpy as np
import pytest

from earshot.interp import Interpreter
from tests.conftest import ROOT
from tests.mpy_modules.test_interp import extreme_inputs, random_inputs, reference_outputs

runtime = pytest.importorskip("tflite_micro.python.tflite_micro.runtime")
schema = pytest.importorskip("tflite_micro.tensorflow.lite.micro.python.schema_py_generated")

FIXTURES = ROOT / "tests" / "fixtures" / "interp"
# A stream path each: whole input with odd rows, per output row with groups, 1x1.
MINUS_128_MODELS = ["conv_whole_odd_rows", "conv_band_groups", "conv_1x1_odd"]


def with_weights_minus_128(name):
    """The fixture with the first two taps of every output channel set to -128: with an
    input of -128 two taps alone sum to 2^15, one more than a 16-bit lane holds."""
    data = bytearray((FIXTURES / f"{name}.tflite").read_bytes())
    model = schema.Model.GetRootAsModel(data, 0)
    graph = model.Subgraphs(0)
    op = graph.Operators(0)
    assert model.OperatorCodes(op.OpcodeIndex()).BuiltinCode() == schema.BuiltinOperator.CONV_2D
    w = graph.Tensors(op.Inputs(1))
    weights = model.Buffers(w.Buffer()).DataAsNumpy().view(np.int8)  # a view into data
    per_channel = weights.size // w.Shape(0)
    for c in range(w.Shape(0)):
        weights[c * per_channel:c * per_channel + 2] = -128
    return bytes(data)


@pytest.mark.parametrize("name", MINUS_128_MODELS)
def test_weights_of_minus_128_match_tflite_micro(name):
    data = with_weights_minus_128(name)
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(128)
    for xs in list(extreme_inputs(ours)) + [random_inputs(ours, rng) for _ in range(3)]:
        assert np.array_equal(ours.invoke(*xs), reference_outputs(ref, xs, 1)[0])
