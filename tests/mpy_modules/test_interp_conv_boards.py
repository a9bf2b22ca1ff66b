"""CONV_2D on the boards: every conv fixture, and weights of -128, give the host
library's outputs byte for byte (the host library is judged against tflite_micro in
test_interp.py and test_interp_conv.py). On the RP2040 these run the assembly stream
kernel, the widening and the dot2 fallback of kernel_conv.c."""
import numpy as np
import pytest

from earshot.interp import Interpreter
from tests.mpy_modules.test_interp_boards import board, load_on, run_on  # noqa: F401 (fixture)
from tests.mpy_modules.test_interp_conv import MINUS_128_MODELS, with_weights_minus_128

# Whole input (odd rows, 1x1, stride 2 with padding), tiles under an output row (groups,
# height dilation, several tiles a row), one pixel and a window too large for the stream
# (dot2 fallback), width dilation (generic), column lines of tall one-channel windows
# (tools/make_interp_conv_fixtures.py: fused, not fused, two chunks a column).
CONV_MODELS = ["conv_whole_odd_rows", "conv_1x1_odd", "conv_1x1", "conv_3x3_same", "conv_8x8_s2_relu",
               "conv_5x5_s2_same", "conv_band_groups", "conv_band_dilated_h", "conv_band_tiles",
               "conv_one_pixel", "conv_wide_window", "conv_dilated_relu6", "conv_cols_relu", "conv_cols_plain",
               "conv_cols_long"]


def inputs_for(host, rng):
    yield [rng.integers(-128, 128, t.shape).astype(np.int8) for t in host.inputs]
    yield [np.full(t.shape, -128, dtype=np.int8) for t in host.inputs]


@pytest.mark.parametrize("name", CONV_MODELS)
def test_conv_outputs_equal_host_library(board, name):
    host = load_on(board, name)
    for xs in inputs_for(host, np.random.default_rng(len(name))):
        assert np.array_equal(run_on(board, host, xs)[0], host.invoke(*xs)), name


@pytest.mark.parametrize("name", MINUS_128_MODELS)
def test_weights_of_minus_128_equal_host_library(board, name):
    data = with_weights_minus_128(name)
    board.write_file("m.tflite", data, timeout=120)
    board.exec("m = None\nwith open('m.tflite', 'rb') as f:\n    d = f.read()\nm = interp.Model(d)", timeout=60)
    host = Interpreter(data)
    for xs in inputs_for(host, np.random.default_rng(5)):
        assert np.array_equal(run_on(board, host, xs)[0], host.invoke(*xs)), name
