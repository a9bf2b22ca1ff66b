"""The armv6m pcm.mpy on the emulated Cortex-M0+ agrees with the host library and numpy."""
import numpy as np
import pytest

from earshot import pcm
from earshot.emulators.rp2040 import FIRMWARE, Rp2040Board
from earshot.errors import DeviceError
from tests.conftest import BUILD

PCM_MPY = BUILD / "mpy" / "armv6m" / "pcm.mpy"
RNG = np.random.default_rng(11)
BLOCKS = {
    "random": RNG.integers(-32768, 32768, 2048).astype(np.int16),
    "extremes": np.array([-32768, 32767] * 256, dtype=np.int16),
    "silence": np.zeros(512, dtype=np.int16),
    "single": np.array([-5], dtype=np.int16),
    "empty": np.zeros(0, dtype=np.int16),
}
GAINS = [65536, 32768, 3 * 65536, -65536, 0, 2**31 - 1]

pytestmark = pytest.mark.skipif(not (FIRMWARE.exists() and PCM_MPY.exists()),
                                reason="RP2040 firmware or armv6m pcm.mpy not built: run 'make modules firmware'")


@pytest.fixture(scope="module")
def board():
    with Rp2040Board(cycles_limit=4_000_000_000) as b:
        b.put(PCM_MPY)
        b.exec("import gc\ngc.collect()\n_before = gc.mem_alloc()\nimport pcm\ngc.collect()\n"
               "import_bytes = gc.mem_alloc() - _before")
        yield b


def send(board, name, block):
    board.exec(f"{name} = bytearray({block.astype('<i2').tobytes()!r})")


@pytest.mark.parametrize("name", BLOCKS)
def test_levels_match_host_library_and_numpy(board, name):
    x = BLOCKS[name]
    send(board, "x", x)
    on_board = board.eval("(pcm.peak(x), pcm.mean_square(x), pcm.rms(x))")
    assert on_board == (pcm.peak(x), pcm.mean_square(x), pcm.rms(x))
    wide = x.astype(np.int64)
    mean_square = int((wide * wide).sum()) // x.size if x.size else 0
    assert on_board == (int(np.abs(wide).max()) if x.size else 0, mean_square, int(np.sqrt(mean_square)))


@pytest.mark.parametrize("gain", GAINS)
def test_scale_matches_host_library(board, gain):
    x = BLOCKS["random"]
    send(board, "y", x)
    clipped = board.eval(f"pcm.scale(y, {gain})")
    scaled = np.frombuffer(board.eval("bytes(y)"), dtype="<i2")
    expected, expected_clipped = pcm.scale(x, gain)
    assert np.array_equal(scaled, expected)
    assert clipped == expected_clipped


def test_import_and_calls_use_little_ram(board):
    assert 0 < board.eval("import_bytes") < 8 * 1024
    # The calls run with the heap locked: any allocation would raise MemoryError.
    send(board, "z", BLOCKS["random"])
    board.exec("import micropython\nr = p = c = 0\nmicropython.heap_lock()\ntry:\n"
               "    r = pcm.rms(z); p = pcm.peak(z); c = pcm.scale(z, 65536)\n"
               "finally:\n    micropython.heap_unlock()")
    assert board.eval("(r, p, c)") == (pcm.rms(BLOCKS["random"]), pcm.peak(BLOCKS["random"]), 0)


def test_odd_byte_count_is_refused(board):
    with pytest.raises(DeviceError, match="ValueError: expected int16 samples: even byte count"):
        board.exec("pcm.peak(b'abc')")
