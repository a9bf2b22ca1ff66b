"""CONV_2D's stream path on the boards (on the RP2040 with the requantization records of
kernel_conv.c): the pointwise and padded-window fixtures, their shift -1 variants and weights
of -128 give the host library's outputs byte for byte (the host library is judged against
tflite_micro in test_interp.py and test_interp_pw.py)."""
import numpy as np
import pytest

from earshot.interp import Interpreter
from tests.mpy_modules.test_interp import near_zero_point, with_output_scale_divided
from tests.mpy_modules.test_interp_boards import board, load_on, run_on  # noqa: F401 (fixture)
from tests.mpy_modules.test_interp_conv import with_weights_minus_128
from tests.mpy_modules.test_interp_conv_boards import inputs_for
from tests.mpy_modules.test_interp_pw import LARGE_SUMS, SHIFT_ONE, large_sum_outputs, signs_inputs

PW_MODELS = ["pw_64_relu", "pw_odd_relu6", "pw_saturating", "conv_3x3_c24_same"]


def load_bytes_on(board, data):
    board.write_file("m.tflite", data, timeout=120)
    board.exec("m = d = None\ngc.collect()\nwith open('m.tflite', 'rb') as f:\n    d = f.read()\nm = interp.Model(d)",
               timeout=60)
    return Interpreter(data)


@pytest.mark.parametrize("name", PW_MODELS)
def test_stream_outputs_equal_host_library(board, name):  # noqa: F811
    host = load_on(board, name)
    for xs in inputs_for(host, np.random.default_rng(len(name))):
        assert np.array_equal(run_on(board, host, xs)[0], host.invoke(*xs)), name


@pytest.mark.parametrize("name", sorted(SHIFT_ONE))
def test_records_at_shift_minus_one_equal_host_library(board, name):  # noqa: F811
    host = load_bytes_on(board, with_output_scale_divided(name, SHIFT_ONE[name]))
    rng = np.random.default_rng(12)
    for xs in [near_zero_point(host, rng, spread=20), [rng.integers(-128, 128, t.shape).astype(np.int8)
                                                       for t in host.inputs]]:
        assert np.array_equal(run_on(board, host, xs)[0], host.invoke(*xs)), name


def test_pointwise_weights_of_minus_128_equal_host_library(board):  # noqa: F811
    host = load_bytes_on(board, with_weights_minus_128("pw_odd_relu6"))
    for xs in inputs_for(host, np.random.default_rng(6)):
        assert np.array_equal(run_on(board, host, xs)[0], host.invoke(*xs))


@pytest.mark.parametrize("times", sorted(LARGE_SUMS))
def test_relu_records_of_large_sums_equal_host_library(board, times):  # noqa: F811
    host = load_bytes_on(board, with_output_scale_divided("pw_64_relu", 1 / times))
    rng = np.random.default_rng(times)
    large = 0
    for xs in [signs_inputs(host, rng) for _ in range(3)]:
        got = run_on(board, host, xs)[0]
        assert np.array_equal(got, host.invoke(*xs))
        large += large_sum_outputs(got, host, LARGE_SUMS[times])
    assert large > 5
