"""DEPTHWISE_CONV_2D's pair path (core/kernel_dw_pairs.c: 3x3, stride 1, under a ReLU) on
the boards: the fixtures of tools/make_interp_dw_fixtures.py give the host library's outputs
byte for byte with the x64 module and the armv6m assembly (the host library is judged
against tflite_micro in test_interp.py, which takes every fixture). The inputs reach each
branch of the assembly's requantization (checked here from the fixtures' own weights)."""
import numpy as np
import pytest

from tests.conftest import ROOT
from tests.mpy_modules.test_interp_boards import board, load_on, run_on  # noqa: F401 (fixture)
from tests.mpy_modules.test_interp_speed_boards import assert_random_and_extreme_inputs_equal_host

FIXTURES = ROOT / "tests" / "fixtures" / "interp"
MODELS = ["dw_pairs_odd_rows", "dw_pairs_even_rows", "dw_pairs_valid", "dw_pairs_one_column", "dw_pairs_zoo_shape",
          "dw_pairs_big_sums"]


@pytest.mark.parametrize("name", MODELS)
def test_pair_path_equals_host_library(board, name):  # noqa: F811
    assert_random_and_extreme_inputs_equal_host(board, name, np.random.default_rng(len(name)))


def board_test_inputs(name, shape):
    """The inputs assert_random_and_extreme_inputs_equal_host gives `name`."""
    rng = np.random.default_rng(len(name))
    return [rng.integers(-128, 128, shape).astype(np.int8), np.full(shape, -128, np.int8), np.full(shape, 127, np.int8)]


def depthwise_sums(name):
    """Accumulators (bias + sum of (x - zero point) w) of a fixture whose only op is the
    depthwise convolution, over the board test's inputs, and each one's output before the
    clamp as a float (the requantization's real value) against the output range's top."""
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    model = schema.ModelT.InitFromPackedBuf((FIXTURES / f"{name}.tflite").read_bytes(), 0)
    graph = model.subgraphs[0]
    (op,) = graph.operators
    x_t, w_t, b_t = (graph.tensors[i] for i in op.inputs)
    y_t = graph.tensors[op.outputs[0]]
    w = np.frombuffer(bytes(model.buffers[w_t.buffer].data), np.int8).reshape(w_t.shape)[0].astype(np.int64)
    b = np.frombuffer(bytes(model.buffers[b_t.buffer].data), np.int32).astype(np.int64)
    zp = int(x_t.quantization.zeroPoint[0])
    opts = op.builtinOptions
    pad = 1 if opts.padding == schema.Padding.SAME else 0
    accs = []
    for x in board_test_inputs(name, tuple(x_t.shape)):
        xp = np.pad(x[0].astype(np.int64) - zp, ((pad, pad), (pad, pad), (0, 0)))
        oh, ow = xp.shape[0] - 2, xp.shape[1] - 2
        acc = sum(xp[ky:ky + oh, kx:kx + ow] * w[ky, kx] for ky in range(3) for kx in range(3)) + b
        accs.append(acc)
    acc = np.stack(accs)
    real = acc * (x_t.quantization.scale[0] * np.asarray(w_t.quantization.scale) / y_t.quantization.scale[0])
    top = 127 - int(y_t.quantization.zeroPoint[0])
    return acc, real, top


def test_inputs_reach_every_requantization_branch():
    acc, real, top = depthwise_sums("dw_pairs_big_sums")
    small = (acc > 0) & (acc < 1 << 16)  # two multiplies
    assert np.count_nonzero(acc >= 1 << 16) > 0  # the general requantization
    assert np.count_nonzero(acc <= 0) > 0  # the offset without a multiply
    assert np.count_nonzero(small & (real > top + 1)) > 0  # clamped at the top
    assert np.count_nonzero(small & (real < top - 1)) > 0


@pytest.mark.parametrize("name", ["dw_pairs_even_rows", "dw_pairs_valid"])
def test_inputs_reach_both_sides_of_the_negative_quad_shortcut(name):
    # The assembly stores the offset for a pair of pairs (rows 4k..4k + 3 of a column) whose
    # four accumulators are all negative, and requantizes the others.
    acc, _, _ = depthwise_sums(name)
    quads = acc.shape[1] // 4
    rows = acc[:, :4 * quads].reshape(acc.shape[0], quads, 4, *acc.shape[2:])
    all_negative = (rows < 0).all(axis=2)
    assert np.count_nonzero(all_negative) > 0
    assert np.count_nonzero(~all_negative) > 0


def test_fixtures_reach_both_kinds_of_lone_pair():
    # A column's last lone pair stores its second row (pairs odd), or skips it when that
    # row is below the output (an odd number of rows whose pairs pair up).
    heights = {depthwise_sums(name)[0].shape[1] for name in ["dw_pairs_even_rows", "dw_pairs_valid",
                                                             "dw_pairs_big_sums"]}
    assert any(h // 2 % 2 == 1 for h in heights)
    assert any(h % 2 == 1 and h // 2 % 2 == 0 for h in heights)
