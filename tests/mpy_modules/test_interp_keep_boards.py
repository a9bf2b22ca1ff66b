"""interp.Model(..., keep_input=True) on the boards (x64 .mpy on firmware/linux, armv6m
on the emulated RP2040): the host library's arena size and outputs (the host library is
judged against tflite_micro in test_interp_keep.py), and the input survives invoke()."""
import numpy as np
import pytest

from earshot.errors import DeviceError
from earshot.interp import Interpreter
from tests.conftest import ROOT
from tests.mpy_modules.test_interp_boards import BOARDS, board, run_on  # noqa: F401 - the fixture

FIXTURES = ROOT / "tests" / "fixtures" / "interp"


def load_kept(board, name, how="m = interp.Model(d, keep_input=True)"):
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    board.write_file("m.tflite", data, timeout=120)
    board.exec(f"m = None\nwith open('m.tflite', 'rb') as f:\n    d = f.read()\n{how}", timeout=60)
    return Interpreter(data, keep_input=True)


@pytest.mark.parametrize("name", ["fire_alarm", "add_relu"])
def test_kept_input_survives_and_outputs_equal_host(board, name):
    host = load_kept(board, name)
    assert board.eval("m.arena_size") == host.arena_size
    assert board.eval("m.keep_input") is True
    rng = np.random.default_rng(11)
    xs = [rng.integers(-128, 128, t.shape).astype(t.dtype) for t in host.inputs]
    expected = host.invoke(*xs)
    expected = expected if isinstance(expected, list) else [expected]
    got = run_on(board, host, xs)
    for e, g in zip(expected, got):
        assert np.array_equal(g, e)
    for k, x in enumerate(xs):
        assert board.eval(f"bytes(m.input({k}))") == x.tobytes(), "invoke changed the kept input"


def test_plain_model_reuses_the_input(board):
    host = load_kept(board, "fire_alarm", how="m = interp.Model(d)")
    assert board.eval("m.keep_input") is False
    assert board.eval("m.arena_size") < host.arena_size
    x = np.random.default_rng(12).integers(-128, 128, host.input_shape()).astype(np.int8)
    run_on(board, host, [x])
    assert board.eval("bytes(m.input(0))") != x.tobytes()


def test_caller_arena_with_keep_input_positional_and_keyword(board):
    host = load_kept(board, "fire_alarm", how="m = None")
    n = host.arena_size
    board.exec(f"m = interp.Model(d, bytearray({n}), True)\nm2 = interp.Model(d, arena=bytearray({n}), keep_input=1)")
    assert board.eval("(m.keep_input, m2.keep_input)") == (True, True)
    with pytest.raises(DeviceError, match="arena too small by 1 bytes"):
        board.exec(f"interp.Model(d, bytearray({n - 1}), keep_input=True)")
    with pytest.raises(DeviceError, match="unexpected keyword argument"):
        board.exec("interp.Model(d, keep=True)")
