"""Two cores (host library): loaded with two_cores, as the board's Model(..., cores=2), the
convolutions and the LSTM's steps run in two halves with scratch of their own. Here the halves run one after
the other, the second first (core 1 may finish first on the board): the outputs still
equal tflite_micro's, so the halves share nothing but what they read."""
import zlib

import numpy as np
import pytest

from earshot.interp import Interpreter
from tests.conftest import ROOT
from tests.mpy_modules.test_interp import extreme_inputs, random_inputs, reference_outputs

runtime = pytest.importorskip("tflite_micro.python.tflite_micro.runtime")

FIXTURES = ROOT / "tests" / "fixtures" / "interp"
MODELS = sorted(p.stem for p in FIXTURES.glob("*.tflite"))
# The fixtures with ops that take halves: CONV_2D fused under a ReLU (stream path),
# DEPTHWISE_CONV_2D on the pair path, UNIDIRECTIONAL_SEQUENCE_LSTM (each step's units),
# MAX_POOL_2D, AVERAGE_POOL_2D and RESIZE_NEAREST_NEIGHBOR (output rows). The boards run
# them all on two cores (test_interp_cores_boards.py); test_split_models_are_every_fixture_
# that_splits keeps the list complete.
SPLIT_MODELS = ["avgpool_same", "avgpool_valid", "conv_8x8_s2_relu", "conv_cols_long", "conv_cols_relu", "ds_cnn_s",
                "dw_3x3_same_relu", "dw_fast_relu6", "dw_fast_zp_edges", "dw_pairs_big_sums", "dw_pairs_even_rows",
                "dw_pairs_odd_rows", "dw_pairs_valid", "dw_pairs_zoo_shape", "fire_alarm", "fire_alarm_32",
                "lstm_last", "lstm_tiny", "maxpool_same", "pw_64_relu", "resize_half_pixel", "resize_plain",
                "resize_up_align", "sweep_cnn_21", "sweep_cnn_59", "sweep_cnn_65", "sweep_cnn_68", "sweep_cnn_88",
                "sweep_cnn_89", "sweep_lstm_18", "sweep_lstm_23", "sweep_lstm_27", "sweep_lstm_29", "sweep_lstm_34",
                "zoo_ds_cnn", "zoo_fire_alarm_cnn", "zoo_lstm_mfcc", "zoo_mfcc_cnn"]


def two_core_interpreter(data, order):
    ours = Interpreter(data, two_cores=True)
    splits = []

    def split(run_half):
        splits.append(1)
        for k in order:
            run_half(k)

    ours.set_split(split)
    return ours, splits


@pytest.mark.parametrize("name", MODELS)
def test_halves_in_either_order_match_tflite_micro(name):
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    ours, _ = two_core_interpreter(data, (1, 0))
    ref = runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    for xs in [random_inputs(ours, rng) for _ in range(3)] + list(extreme_inputs(ours)):
        expected = reference_outputs(ref, xs, len(ours.outputs))
        got = ours.invoke(*xs)
        got = got if isinstance(got, list) else [got]
        for e, g in zip(expected, got):
            assert np.array_equal(g, e), f"{name}: {np.count_nonzero(g != e)} of {g.size} outputs differ"


def test_split_models_are_every_fixture_that_splits():
    splitting = []
    for name in MODELS:
        ours, splits = two_core_interpreter((FIXTURES / f"{name}.tflite").read_bytes(), (0, 1))
        ours.invoke(*random_inputs(ours, np.random.default_rng(0)))
        splitting += [name] if splits else []
    assert splitting == SPLIT_MODELS


@pytest.mark.parametrize("name", SPLIT_MODELS)
def test_split_models_plan_scratch_for_both_halves(name):
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    # A second tile or a second set of planes, unless the op needs no scratch of its own.
    assert Interpreter(data, two_cores=True).arena_size >= Interpreter(data).arena_size


def test_one_core_plan_takes_no_halves():
    data = (FIXTURES / "ds_cnn_s.tflite").read_bytes()
    ours = Interpreter(data)
    calls = []
    ours.set_split(lambda run_half: calls.append(1))
    ours.invoke(*random_inputs(ours, np.random.default_rng(0)))
    assert not calls
