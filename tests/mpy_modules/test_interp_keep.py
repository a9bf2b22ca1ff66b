"""keep_input (host library): the planner keeps the graph inputs apart from every other
buffer, so they survive invoke(); outputs stay byte-identical to tflite_micro and the
reported arena size stays exact."""
import zlib

import numpy as np
import pytest

from earshot.errors import ModelError
from earshot.interp import Interpreter
from tests.conftest import ROOT

runtime = pytest.importorskip("tflite_micro.python.tflite_micro.runtime")

FIXTURES = ROOT / "tests" / "fixtures" / "interp"
# fire_alarm: the board app's shape (a 16 KB input the plain plan reuses); the others
# cover a two-input graph, an input read by several ops and an input feeding a reshape.
KEEP_MODELS = ["fire_alarm", "zoo_fire_alarm_cnn", "ds_cnn_s", "add_relu", "conv_3x3_same", "squeeze_expand",
               "lstm_tiny"]


def random_inputs(interp, rng):
    return [rng.integers(-128, 128, t.shape).astype(t.dtype) for t in interp.inputs]


def reference_outputs(ref, xs, n_outputs):
    for k, x in enumerate(xs):
        ref.set_input(x, k)
    ref.invoke()
    return [ref.get_output(k) for k in range(n_outputs)]


def as_list(y):
    return y if isinstance(y, list) else [y]


@pytest.mark.parametrize("name", KEEP_MODELS)
def test_keep_input_matches_tflite_micro_and_keeps_the_input(name):
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    ours = Interpreter(data, keep_input=True)
    ref = runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    for _ in range(3):
        xs = random_inputs(ours, rng)
        ours.reset()
        ref.reset()
        expected = reference_outputs(ref, xs, len(ours.outputs))
        got = as_list(ours.invoke(*xs))
        for e, g in zip(expected, got):
            assert np.array_equal(g, e), f"{name}: {np.count_nonzero(g != e)} of {g.size} outputs differ"
        for x, t in zip(xs, ours.inputs):
            assert np.array_equal(t.view, x), f"{name}: invoke changed the kept input"
        # in place: the same inputs run again from what the tensors still hold
        ours.reset()
        again = as_list(ours.invoke())
        for e, g in zip(expected, again):
            assert np.array_equal(g, e)


def test_without_keep_input_fire_alarm_reuses_the_input_bytes():
    """The reason for the option: the plain plan lets later tensors overwrite the input."""
    data = (FIXTURES / "fire_alarm.tflite").read_bytes()
    plain = Interpreter(data)
    x = np.random.default_rng(3).integers(-128, 128, plain.input_shape()).astype(np.int8)
    plain.invoke(x)
    assert not np.array_equal(plain.inputs[0].view, x)
    kept = Interpreter(data, keep_input=True)
    assert kept.arena_size > plain.arena_size


@pytest.mark.parametrize("name", ["fire_alarm", "add_relu", "ds_cnn_s"])
@pytest.mark.parametrize("keep", [False, True])
def test_arena_size_is_exact(name, keep):
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    need = Interpreter(data, keep_input=keep).arena_size
    with pytest.raises(ModelError, match="arena too small by 1 bytes"):
        Interpreter(data, arena_bytes=need - 1, keep_input=keep)
    ours = Interpreter(data, arena_bytes=need, keep_input=keep)
    # every input lies inside the planned size
    base = ours._arena.ctypes.data
    for t in ours.inputs:
        start = t.view.ctypes.data - base
        assert 0 <= start and start + t.view.nbytes <= need


def test_in_place_invoke_needs_keep_input():
    ours = Interpreter((FIXTURES / "fc_plain.tflite").read_bytes())
    with pytest.raises(ValueError, match="in-place inputs need keep_input"):
        ours.invoke()
