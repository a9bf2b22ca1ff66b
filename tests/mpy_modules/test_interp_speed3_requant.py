"""Requantization of accumulators across the whole int32 range, against tflite_micro.

The fixtures' biases are replaced by values from 2^8 to nearly 2^31 of both signs (no sum
overflows), optionally with the output scale divided so that the shift is -1: the
stream's requantization records (kernel_conv.c; under a ReLU their own loop), the
depthwise records (kernel_dw.c) and ti_requant_run see sums far beyond what a converter
emits. On the boards: test_interp_speed3_boards.py.
"""
import numpy as np
import pytest

from earshot.interp import Interpreter
from tests.conftest import ROOT
from tests.mpy_modules.test_interp import extreme_inputs, near_zero_point, random_inputs, reference_outputs

runtime = pytest.importorskip("tflite_micro.python.tflite_micro.runtime")
schema = pytest.importorskip("tflite_micro.tensorflow.lite.micro.python.schema_py_generated")

FIXTURES = ROOT / "tests" / "fixtures" / "interp"
# name -> output scale divisor giving shift -1 (1: the fixture's own scale).
CASES = [("pw_64_relu", 1), ("pw_64_relu", 190), ("pw_odd_relu6", 1), ("pw_odd_relu6", 54), ("pw_saturating", 1),
         ("conv_3x3_c24_same", 1), ("dw_fast_zp_edges", 1), ("dw_fast_relu6", 1)]


def with_large_biases(name, factor, seed=7):
    """The fixture with biases of random magnitude 2^8 .. 2^31 - 2^22 and random sign, and
    its output scale divided by factor."""
    data = bytearray((FIXTURES / f"{name}.tflite").read_bytes())
    model = schema.Model.GetRootAsModel(data, 0)
    graph = model.Subgraphs(0)
    convs = (schema.BuiltinOperator.CONV_2D, schema.BuiltinOperator.DEPTHWISE_CONV_2D)
    op = next(graph.Operators(i) for i in range(graph.OperatorsLength())
              if model.OperatorCodes(graph.Operators(i).OpcodeIndex()).BuiltinCode() in convs)
    bias = model.Buffers(graph.Tensors(op.Inputs(2)).Buffer()).DataAsNumpy().view(np.int32)  # a view into data
    rng = np.random.default_rng(seed)
    magnitude = np.minimum(np.exp2(rng.uniform(8, 31, bias.size)), 2.0**31 - 2.0**22)
    bias[:] = (magnitude * rng.choice([-1, 1], bias.size)).astype(np.int32)
    bias[:2] = [2**31 - 2**22, -(2**31 - 2**22)][:bias.size]
    data = bytes(data)
    if factor != 1:
        scale = np.float32(Interpreter(data).outputs[0].scale).tobytes()
        assert data.count(scale) == 1
        data = data.replace(scale, np.float32(np.frombuffer(scale, np.float32)[0] / factor).tobytes())
    return data


def inputs(host, rng):
    yield random_inputs(host, rng)
    yield near_zero_point(host, rng, spread=20)
    yield from extreme_inputs(host)


@pytest.mark.parametrize("name,factor", CASES)
def test_large_biases_match_tflite_micro(name, factor):
    data = with_large_biases(name, factor)
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    outputs = set()
    for xs in inputs(ours, np.random.default_rng(3)):
        got = ours.invoke(*xs)
        want = reference_outputs(ref, xs, 1)[0]
        assert np.array_equal(got, want), f"{name}/{factor}: {np.count_nonzero(got != want)} outputs differ"
        outputs.update(np.unique(got).tolist())
    assert len(outputs) > 3, "the biases saturate every output: nothing is judged"
