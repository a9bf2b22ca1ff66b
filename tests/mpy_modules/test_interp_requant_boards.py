"""ti_requant_run's Cortex-M0+ assembly on the emulated RP2040 against the host library
(itself judged against TFLM's formulas in test_interp_requant.py), through a probe module
that holds only kernel_conv_requant.c."""
import numpy as np
import pytest

from tests.mpy_modules.probe_board import probe_board
from tests.mpy_modules.requant_cases import cases
from tests.mpy_modules.test_interp_requant import OUTPUT_RANGES, requant_run

CHUNK = 2048  # triples per board call


@pytest.fixture(scope="module")
def board():
    yield from probe_board("requant_probe", ("array",))


def run_on(board, acc, mult, shift, offset, lo, hi):
    board.write_file("c.bin", acc.tobytes() + mult.tobytes() + shift.tobytes(), timeout=120)
    n = len(acc)
    board.exec(f"a = array.array('i', bytes({4 * n}))\nm = array.array('i', bytes({4 * n}))\n"
               f"s = array.array('i', bytes({4 * n}))\ny = bytearray({n})\n"
               "with open('c.bin', 'rb') as f:\n    f.readinto(a)\n    f.readinto(m)\n    f.readinto(s)\n"
               f"requant_probe.run(y, a, m, s, {offset}, {lo}, {hi})", timeout=120)
    return np.frombuffer(board.eval("bytes(y)"), dtype=np.int8)


@pytest.mark.parametrize("offset,lo,hi", OUTPUT_RANGES)
def test_requant_assembly_equals_host_library(board, offset, lo, hi):
    acc, mult, shift = cases(np.random.default_rng(100 + (offset & 0xff)), 3000)
    for k in range(0, len(acc), CHUNK):
        a, m, s = acc[k:k + CHUNK], mult[k:k + CHUNK], shift[k:k + CHUNK]
        got = run_on(board, a, m, s, offset, lo, hi)
        want = requant_run(a, m, s, offset, lo, hi)
        bad = np.flatnonzero(got != want)
        assert bad.size == 0, [(int(a[i]), int(m[i]), int(s[i]), int(got[i]), int(want[i])) for i in bad[:5]]


def test_probe_rejects_short_buffers(board):
    from earshot.errors import DeviceError

    with pytest.raises(DeviceError, match="ValueError: expected n bytes"):
        board.exec("requant_probe.run(bytearray(4), array.array('i', [0]), m, s, 0, -128, 127)")
