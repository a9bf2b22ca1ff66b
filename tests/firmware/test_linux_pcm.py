"""The x64 pcm.mpy imported on firmware/linux equals the host library (and numpy)
on the same random samples: one C core, two builds, one answer."""
import ast

import numpy as np
import pytest

from earshot import pcm
from earshot.emulators.linux import LinuxBoard
from earshot.paths import mpy_module
from tests.firmware.linux_board import needs_linux_firmware

pytestmark = needs_linux_firmware

RNG = np.random.default_rng(2024)
BLOCKS = [RNG.integers(-32768, 32768, n).astype(np.int16) for n in (1, 7, 512, 4096)]
BLOCKS.append(np.array([-32768, 32767, 0, -1] * 64, dtype=np.int16))
GAINS = [65536, 3 * 65536, 21845, -65536, 0]

BOARD_SCRIPT = """
import pcm, array
raw = open('blocks.bin', 'rb').read()
out = []
for start, n in {spans}:
    block = array.array('h', raw[2 * start:2 * (start + n)])
    scaled = []
    for gain in {gains}:
        copy = array.array('h', block)
        clipped = pcm.scale(copy, gain)
        scaled.append((bytes(copy), clipped))
    out.append((pcm.peak(block), pcm.mean_square(block), pcm.rms(block), scaled))
print(repr(out))
"""


@pytest.fixture(scope="module")
def board_results():
    x64 = mpy_module("pcm", "x64")
    if x64 is None:
        pytest.skip("build/mpy/x64/pcm.mpy is not built (make modules)")
    spans, start = [], 0
    for block in BLOCKS:
        spans.append((start, block.size))
        start += block.size
    with LinuxBoard() as board:
        (board.flash_dir / "pcm.mpy").write_bytes(x64.read_bytes())
        (board.flash_dir / "blocks.bin").write_bytes(np.concatenate(BLOCKS).astype("<i2").tobytes())
        return ast.literal_eval(board.exec(BOARD_SCRIPT.format(spans=spans, gains=GAINS)))


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_levels_equal_host_library_and_numpy(board_results, index):
    block = BLOCKS[index]
    peak, mean_square, rms, _ = board_results[index]
    assert (peak, mean_square, rms) == (pcm.peak(block), pcm.mean_square(block), pcm.rms(block))
    wide = block.astype(np.int64)
    assert peak == int(np.abs(wide).max())
    assert mean_square == int((wide * wide).sum()) // block.size


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_scale_equals_host_library(board_results, index):
    block = BLOCKS[index]
    for gain, (board_bytes, board_clipped) in zip(GAINS, board_results[index][3]):
        host_scaled, host_clipped = pcm.scale(block, gain)
        assert board_bytes == host_scaled.astype("<i2").tobytes()
        assert board_clipped == host_clipped


def test_bad_buffer_raises_on_the_board():
    with LinuxBoard() as board:
        (board.flash_dir / "pcm.mpy").write_bytes(mpy_module("pcm", "x64").read_bytes())
        with pytest.raises(Exception, match="ValueError|TypeError"):
            board.exec("import pcm\npcm.peak(bytearray(3))")
        assert board.exec("print(pcm.peak(bytearray(4)))") == "0\n"
