"""DEPTHWISE_CONV_2D's pair path (core/kernel_dw_pairs.c: 3x3, stride 1, under a ReLU) on
the boards: the fixtures of tools/make_interp_dw_fixtures.py give the host library's outputs
byte for byte with the x64 module and the armv6m assembly (the host library is judged
against tflite_micro in test_interp.py, which takes every fixture)."""
import numpy as np
import pytest

from tests.mpy_modules.test_interp_boards import board, load_on, run_on  # noqa: F401 (fixture)
from tests.mpy_modules.test_interp_speed_boards import assert_random_and_extreme_inputs_equal_host

MODELS = ["dw_pairs_odd_rows", "dw_pairs_even_rows", "dw_pairs_valid", "dw_pairs_one_column", "dw_pairs_zoo_shape",
          "dw_pairs_big_sums"]


@pytest.mark.parametrize("name", MODELS)
def test_pair_path_equals_host_library(board, name):  # noqa: F811
    assert_random_and_extreme_inputs_equal_host(board, name, np.random.default_rng(len(name)))
