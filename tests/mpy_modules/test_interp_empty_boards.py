"""An op whose output holds no element is not run. The fuzzer's corpus holds a hostile
model whose CONV_2D output is 3 x 671,088,640 x 0 x 16: empty, yet the kernel used to walk
its 2 x 10^9 rows (9 s per invoke under the sanitizers, minutes on the board). Counted in
cycles on the emulated RP2040, not timed."""
import pytest

from earshot.deploy.interp_modules import OP_MODULES
from earshot.interp import Interpreter
from tests.conftest import BUILD, ROOT

CASE = ROOT / "mpy_modules" / "interp" / "fuzz" / "corpus" / "3d2fe23a570f4457"


def test_an_empty_output_costs_no_work():
    from earshot.emulators.rp2040 import Rp2040Board

    mpy = BUILD / "mpy" / "armv6m"
    if not (mpy / "interp.mpy").exists():
        pytest.skip("armv6m modules not built: run 'make modules firmware'")
    data = CASE.read_bytes()
    assert 0 in Interpreter(data).outputs[0].shape
    with Rp2040Board(cycles_limit=500_000_000) as board:
        for module in ("interp", *OP_MODULES):
            board.write_file(f"{module}.mpy", (mpy / f"{module}.mpy").read_bytes(), timeout=120)
        board.write_file("m.tflite", data, timeout=60)
        board.exec("import interp, machine\nwith open('m.tflite', 'rb') as f:\n    m = interp.Model(f.read())\n"
                   "c0 = machine.cycles()\nm.invoke()\nc1 = machine.cycles()", timeout=120)
        assert board.eval("c1 - c0") < 100_000
