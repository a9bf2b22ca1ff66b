"""pcm core on the host library, judged against numpy; the armv6m build's header."""
import numpy as np
import pytest

from earshot import pcm
from tests.conftest import BUILD

RNG = np.random.default_rng(7)
BLOCKS = {
    "random": RNG.integers(-32768, 32768, 4096).astype(np.int16),
    "extremes": np.array([-32768, 32767] * 256, dtype=np.int16),
    "silence": np.zeros(512, dtype=np.int16),
    "single": np.array([-5], dtype=np.int16),
}


@pytest.mark.parametrize("name", BLOCKS)
def test_levels_match_numpy(name):
    x = BLOCKS[name]
    wide = x.astype(np.int64)
    assert pcm.peak(x) == int(np.abs(wide).max())
    assert pcm.energy(x) == int((wide * wide).sum())
    assert pcm.mean_square(x) == int((wide * wide).sum()) // x.size
    assert pcm.rms(x) == int(np.floor(np.sqrt(int((wide * wide).sum()) // x.size)))


def test_empty_block_is_zero():
    empty = np.zeros(0, dtype=np.int16)
    assert (pcm.peak(empty), pcm.mean_square(empty), pcm.rms(empty)) == (0, 0, 0)


@pytest.mark.parametrize("gain", [65536, 32768, 3 * 65536, -65536, 0, 2**31 - 1])
def test_scale_matches_numpy(gain):
    x = BLOCKS["random"]
    expected = np.clip((x.astype(np.int64) * gain) >> 16, -32768, 32767)
    y, clipped = pcm.scale(x, gain)
    assert np.array_equal(y, expected)
    assert clipped == int(np.count_nonzero(expected != (x.astype(np.int64) * gain) >> 16))


def test_rejects_non_int16():
    with pytest.raises(TypeError, match="int16"):
        pcm.peak(np.zeros(4, dtype=np.float32))


@pytest.mark.parametrize("arch,header", [("x64", b"M\x06\x0b"), ("armv6m", b"M\x06\x13")])
def test_mpy_header_names_arch_and_abi(arch, header):
    data = (BUILD / "mpy" / arch / "pcm.mpy").read_bytes()
    assert data[:3] == header


def test_armv6m_build_links_libgcc_helpers():
    picked = (BUILD / "obj" / "armv6m" / "pcm" / "libgcc.list").read_text()
    assert "_aeabi_uldivmod.o" in picked and "_muldi3.o" in picked
