"""On the boards, the host library's outputs byte for byte (x64 module on firmware/linux,
armv6m assembly on the emulated RP2040): depthwise windows of 9 taps other than 3x3
and of 12 taps (dw_pixel's loop of 3 taps, 3 and 4 times), and the fixtures with biases
across the int32 range of test_interp_speed3_requant.py (requantization records, the
ReLU loop among them). test_interp.py and test_interp_speed3_requant.py judge the host
library against tflite_micro on the same models."""
import numpy as np
import pytest

from tests.mpy_modules.test_interp_boards import board, run_on  # noqa: F401 (fixture)
from tests.mpy_modules.test_interp_pw_boards import load_bytes_on
from tests.mpy_modules.test_interp_speed_boards import assert_random_and_extreme_inputs_equal_host
from tests.mpy_modules.test_interp_speed3_requant import CASES, inputs, with_large_biases

MODELS = ["dw_fast_1x9_c8", "dw_fast_3x4_c8"]


@pytest.mark.parametrize("name", MODELS)
def test_depthwise_taps_equal_host_library(board, name):  # noqa: F811
    assert_random_and_extreme_inputs_equal_host(board, name, np.random.default_rng(len(name) + 3))


@pytest.mark.parametrize("name,factor", CASES)
def test_large_biases_equal_host_library(board, name, factor):  # noqa: F811
    host = load_bytes_on(board, with_large_biases(name, factor))
    for xs in inputs(host, np.random.default_rng(5)):
        got = run_on(board, host, xs)[0]
        want = host.invoke(*xs)
        assert np.array_equal(got, want), f"{name}/{factor}: {np.count_nonzero(got != want)} outputs differ"
