"""An op whose output holds no element is not run. The fuzzer's corpus holds a hostile
model whose CONV_2D output is 3 x 671,088,640 x 0 x 16: empty, yet the kernel used to walk
its 2 x 10^9 rows (9 s per invoke under the sanitizers, minutes on the board). Counted in
cycles on the emulated RP2040, not timed."""
import pytest

from tests.conftest import ROOT
from tests.mpy_modules.test_interp_boards import board, load_bytes_on  # noqa: F401 (fixture)

CASE = ROOT / "mpy_modules" / "interp" / "fuzz" / "corpus" / "3d2fe23a570f4457"


@pytest.mark.parametrize("board", ["rp2040"], indirect=True)  # the port that counts cycles
def test_an_empty_output_costs_no_work(board):  # noqa: F811
    host = load_bytes_on(board, CASE.read_bytes())
    assert 0 in host.outputs[0].shape
    board.exec("import machine\nc0 = machine.cycles()\nm.invoke()\nc1 = machine.cycles()", timeout=120)
    assert board.eval("c1 - c0") < 100_000
