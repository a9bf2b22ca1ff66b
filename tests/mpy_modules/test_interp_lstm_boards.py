"""The LSTM on the boards: the x64 .mpy on firmware/linux and the armv6m .mpy on the
emulated RP2040 give the host library's outputs byte for byte (the host library is
judged against tflite_micro in test_interp_lstm.py), state carried across invoke() and
cleared by reset() as on the host."""
import numpy as np
import pytest

from tests.mpy_modules.test_interp_boards import FIXTURES, board, load_bytes_on, load_on, run_on  # noqa: F401 (fixture)
from tests.mpy_modules.tflite_edit import edited


# sweep_lstm_*: random converter outputs (tools/sweep_interp.py): 1 and 2 steps, 1 input
# feature, a dense head on the sequence.
@pytest.mark.parametrize("name", ["lstm_tiny", "zoo_lstm_mfcc", *sorted(p.stem for p in FIXTURES.glob("sweep_lstm_*.tflite"))])
def test_lstm_equals_host_library_with_state_and_reset(board, name):  # noqa: F811
    host = load_on(board, name)
    assert board.eval("m.arena_size") == host.arena_size
    x = np.random.default_rng(11).integers(-128, 128, host.inputs[0].shape).astype(np.int8)
    first = host.invoke(x)
    assert np.array_equal(run_on(board, host, [x])[0], first)
    # Second invoke: from the state the first one left, on both.
    assert np.array_equal(run_on(board, host, [x])[0], host.invoke(x))
    board.exec("m.reset()")
    host.reset()
    assert np.array_equal(run_on(board, host, [x])[0], first)
    # Inputs at both ends: lstm_tiny's input parts then saturate int16 (its multipliers > 1
    # also take the left shift).
    for value in (127, -128):
        board.exec("m.reset()")
        host.reset()
        x = np.full(host.inputs[0].shape, value, dtype=np.int8)
        assert np.array_equal(run_on(board, host, [x])[0], host.invoke(x))


def test_clipped_cell_equals_host_library(board):  # noqa: F811
    """The cell clip (no fixture has one): the board's assembly path against the host's C."""
    from tests.mpy_modules.test_interp_lstm import clip_cell

    host = load_bytes_on(board, edited("lstm_tiny", clip_cell))
    rng = np.random.default_rng(12)
    shape = host.inputs[0].shape
    for x in [rng.integers(-128, 128, shape).astype(np.int8) for _ in range(3)] + [np.full(shape, 127, np.int8)]:
        assert np.array_equal(run_on(board, host, [x])[0], host.invoke(x))
