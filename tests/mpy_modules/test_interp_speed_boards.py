"""The specialised kernels on the boards: fixtures made for the depthwise and MEAN fast
paths (tools/make_interp_speed_fixtures.py) give the host library's outputs, byte for byte,
with the x64 module on firmware/linux and the armv6m assembly on the emulated RP2040
(the host library is judged against tflite_micro in test_interp.py)."""
import numpy as np
import pytest

from tests.mpy_modules.test_interp_boards import board, load_on, run_on  # noqa: F401 (fixture)

MODELS = ["dw_fast_3x3_s2_c12", "dw_fast_1x3_c4", "dw_fast_zp_edges", "dw_fast_saturating", "dw_fast_relu6", "dw_tail_3x3_c6",
          "dw_tail_5x5_c8", "mean_run_w", "mean_run_c", "mean_axes_1_3"]


@pytest.mark.parametrize("name", MODELS)
def test_fast_paths_equal_host_library(board, name):  # noqa: F811
    assert_random_and_extreme_inputs_equal_host(board, name, np.random.default_rng(len(name)))


def assert_random_and_extreme_inputs_equal_host(board, name, rng):  # noqa: F811
    host = load_on(board, name)
    t = host.inputs[0]
    for xs in ([rng.integers(-128, 128, t.shape).astype(np.int8)], [np.full(t.shape, -128, dtype=np.int8)],
               [np.full(t.shape, 127, dtype=np.int8)]):
        got = run_on(board, host, xs)[0]
        want = host.invoke(*xs)
        assert np.array_equal(got, want), f"{name}: {np.count_nonzero(got != want)} outputs differ"


def test_depthwise_records_at_shift_minus_one_equal_host_library(board):  # noqa: F811
    from earshot.interp import Interpreter
    from tests.mpy_modules.test_interp import near_zero_point, with_output_scale_divided

    data = with_output_scale_divided("dw_3x3_same_relu", 88)
    board.write_file("m.tflite", data, timeout=120)
    board.exec("m = None\nwith open('m.tflite', 'rb') as f:\n    d = f.read()\nm = interp.Model(d)", timeout=60)
    host = Interpreter(data)
    xs = near_zero_point(host, np.random.default_rng(4), spread=6)
    assert np.array_equal(run_on(board, host, xs)[0], host.invoke(*xs))
