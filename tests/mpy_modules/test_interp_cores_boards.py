"""interp.Model(..., cores=2) on the boards. On the emulated RP2040 (firmware/rp2040
models core 1, the SIO FIFOs, PSM and the bootrom's launch) core 1 runs half of each
split op: for every fixture that splits (SPLIT_MODELS), outputs and arena equal the host
library's two-core plan, which test_interp_two_cores.py judges against tflite_micro.
Elsewhere, and with a bad argument or without interp_cores.mpy, a clear error."""
import contextlib

import numpy as np
import pytest

from earshot.deploy.interp_modules import NAMES_MODULE, OP_MODULES
from earshot.emulators.linux import BINARY as LINUX_FIRMWARE
from earshot.emulators.linux import LinuxBoard
from earshot.emulators.rp2040 import FIRMWARE as RP2040_FIRMWARE
from earshot.emulators.rp2040 import Rp2040Board
from earshot.errors import DeviceError
from earshot.interp import Interpreter
from tests.conftest import BUILD, ROOT
from tests.mpy_modules.test_interp_boards import load_bytes_on, run_on
from tests.mpy_modules.test_interp_two_cores import SPLIT_MODELS

FIXTURES = ROOT / "tests" / "fixtures" / "interp"
@contextlib.contextmanager
def make_board(firmware, arch, make):
    mpy = BUILD / "mpy" / arch
    if not firmware.exists() or not (mpy / "interp_cores.mpy").exists():
        pytest.skip(f"{firmware.name} or {arch} interp_cores.mpy not built: run 'make modules firmware'")
    with make() as board:
        for module in ("interp", *OP_MODULES, NAMES_MODULE, "interp_cores"):
            board.write_file(f"{module}.mpy", (mpy / f"{module}.mpy").read_bytes(), timeout=120)
        yield board


@pytest.fixture(scope="module")
def rp2040():
    with make_board(RP2040_FIRMWARE, "armv6m", lambda: Rp2040Board(cycles_limit=20_000_000_000)) as b:
        yield b


def load(board, name, how):
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    load_bytes_on(board, data, how="import interp_cores\n" + how)
    return data


@pytest.mark.parametrize("name", SPLIT_MODELS)
def test_two_cores_equal_the_host_two_core_plan(rp2040, name):
    data = load(rp2040, name, "m = interp.Model(d, cores=2)")
    host = Interpreter(data, two_cores=True)
    assert rp2040.eval("m.arena_size") == host.arena_size
    rng = np.random.default_rng(len(name))
    t = host.inputs[0]
    for xs in ([rng.integers(-128, 128, t.shape).astype(t.dtype)], [np.full(t.shape, 127, t.dtype)]):
        before = rp2040.eval("interp_cores.core1_halves()")
        got = run_on(rp2040, host, xs)[0]
        assert rp2040.eval("interp_cores.core1_halves()") > before, "core 1 ran nothing"
        want = host.invoke(*xs)
        assert np.array_equal(got, want), f"{name}: {np.count_nonzero(got != want)} outputs differ"


def test_each_split_runs_one_half_on_core_1(rp2040):
    load(rp2040, "ds_cnn_s", "m = interp.Model(d, cores=2)")
    before = rp2040.eval("interp_cores.core1_halves()")
    rp2040.exec("m.invoke()\nm.invoke()")
    assert rp2040.eval("interp_cores.core1_halves()") - before == 2 * 14


def test_two_core_model_allocates_nothing_per_invoke_and_is_freed(rp2040):
    """Core 1's stack and state come with the model (under 1 KB beyond the one-core model
    and its larger arena) and go with it; invoke() allocates nothing."""
    data = load(rp2040, "ds_cnn_s", "m = None")
    one, two = Interpreter(data), Interpreter(data, two_cores=True)
    # The op modules are imported by the first model: load one first.
    rp2040.exec("import gc, micropython\nm = interp.Model(d, cores=2)\nm = None\ngc.collect()\n"
                "a0 = gc.mem_alloc()\nm = interp.Model(d, cores=2)\n"
                "gc.collect()\na1 = gc.mem_alloc()\nmicropython.heap_lock()\ntry:\n    m.invoke()\nfinally:\n"
                "    micropython.heap_unlock()\nm = None\ngc.collect()\na2 = gc.mem_alloc()\n"
                "m = interp.Model(d)\ngc.collect()\na3 = gc.mem_alloc()\nm = None")
    used, left, used_one = rp2040.eval("(a1 - a0, a2 - a0, a3 - a2)")
    assert two.arena_size <= used <= used_one + (two.arena_size - one.arena_size) + 1024
    assert left <= 64


def test_one_core_leaves_core_1_alone(rp2040):
    load(rp2040, "ds_cnn_s", "m = interp.Model(d)")
    before = rp2040.eval("interp_cores.core1_halves()")
    rp2040.exec("m.invoke()")
    assert rp2040.eval("interp_cores.core1_halves()") == before


def test_models_on_either_core_count_share_the_board(rp2040):
    """Core 1 goes back to the bootrom after each split: one model's launches do not
    disturb another's, nor a model on one core."""
    load(rp2040, "fire_alarm", "a = interp.Model(d, cores=2)\nb = interp.Model(d)\nc = interp.Model(d, cores=2)")
    rp2040.exec("x = bytes(range(256)) * 63\nfor m in (a, b, c):\n    m.input(0)[:] = x[:len(m.input(0))]\n    m.invoke()")
    outputs = {rp2040.eval(f"bytes({m}.output(0))") for m in "abc"}
    assert len(outputs) == 1


@pytest.mark.parametrize("cores, error", [(3, "cores must be 1 or 2"), (0, "cores must be 1 or 2"),
                                          ("'2'", "cores must be 1 or 2")])
def test_bad_core_counts_are_refused(rp2040, cores, error):
    with pytest.raises(DeviceError, match=error):
        load(rp2040, "fire_alarm", f"m = interp.Model(d, cores={cores})")


def test_without_interp_cores_the_import_error_says_so(rp2040):
    rp2040.exec("import os\nos.rename('interp_cores.mpy', 'away.mpy')")
    try:
        with pytest.raises(DeviceError, match="ImportError.*interp_cores"):
            load_bytes_on(rp2040, (FIXTURES / "fire_alarm.tflite").read_bytes(), how="m = interp.Model(d, cores=2)")
    finally:
        rp2040.exec("import os\nos.rename('away.mpy', 'interp_cores.mpy')")


def test_linux_board_refuses_two_cores():
    with make_board(LINUX_FIRMWARE, "x64", LinuxBoard) as b:
        with pytest.raises(DeviceError, match="OSError: cores=2 needs an RP2040"):
            load(b, "fire_alarm", "m = interp.Model(d, cores=2)")
        load(b, "fire_alarm", "m = interp.Model(d, cores=1)")


def test_a_busy_core_1_is_refused_and_one_core_still_works():
    """Core 1 running code of its own (as under _thread) answers no launch: Model says so
    instead of taking it over, and the model runs on one core."""
    board = lambda: Rp2040Board(cycles_limit=20_000_000_000, core1_busy=True)  # noqa: E731
    with make_board(RP2040_FIRMWARE, "armv6m", board) as b:
        with pytest.raises(DeviceError, match="OSError: cores=2: core 1 did not answer the launch"):
            load(b, "fire_alarm", "m = interp.Model(d, cores=2)")
        load(b, "fire_alarm", "m = interp.Model(d)\nm.invoke()")
        assert b.eval("interp_cores.core1_halves()") == 0
