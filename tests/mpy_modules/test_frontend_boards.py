"""frontend.mpy on firmware/linux (x64) and the emulated RP2040 (armv6m): one board
script, and its bytes must equal the host library (earshot.features), which is itself
checked against cmsisdsp in tests/host/test_features_cmsis.py."""
import numpy as np
import pytest

from earshot import features
from earshot.bench import frontend_boards as boards
from earshot.features import native

RNG = np.random.default_rng(21)
AUDIO = np.concatenate([
    RNG.integers(-32768, 32768, 1500),
    (np.sin(np.arange(1500) * 0.3) * 32767).astype(np.int64),
    np.zeros(300, dtype=np.int64),
    RNG.integers(-40, 40, 700),
]).astype(np.int16)
BLOCKS = [128, 128, 77, 300, 1, 0, 999, 512, 900, 955]
SCALE, ZERO_POINT = 0.0123 / 255, -128


def expected_outputs(ring_columns=8):
    columns = features.spectrogram_q15(AUDIO)
    ring = np.zeros((ring_columns, columns.shape[1]), dtype=np.int16)
    for i, column in enumerate(columns):
        ring[i % ring_columns] = column
    position = len(columns) % ring_columns
    int8 = native.Quantizer(SCALE, ZERO_POINT).to_int8(ring, start=position * columns.shape[1])
    return columns, position, int8


def check(result):
    columns, position, int8 = expected_outputs()
    assert result["position"] == position
    # Each process() call returns the columns it wrote (at most a ring's worth).
    assert np.array_equal(result["columns"], columns[-len(result["columns"]):])
    assert len(result["columns"]) >= len(columns) - 8
    assert np.array_equal(result["window"], columns[-4:])
    assert np.array_equal(result["int8"], int8)
    assert all(not e.startswith("no error") for e in result["errors"]), result["errors"]
    assert any("fft size" in e for e in result["errors"])
    assert sum("array('h') or bytes-like" in e for e in result["errors"]) >= 5  # lists, floats, odd sizes
    assert sum("int8 buffer" in e for e in result["errors"]) == 2
    assert any("ring is smaller" in e for e in result["errors"])  # window() past a smaller ring's end
    assert any(e.startswith("hop: 1..65535") for e in result["errors"])  # Spectrogram(hop=0)
    # to_int8: dst too short/long, start past the end; copy_ring: dst too long, bad start
    assert sum("<= len(src), 0 <= start < len(src)" in e for e in result["errors"]) == 5
    words = np.frombuffer(AUDIO.tobytes()[: len(AUDIO) // 4 * 8], dtype="<u4")
    assert np.array_equal(result["pdm"], features.pdm_to_pcm(words, 64))
    assert any("decimation" in e for e in result["errors"])
    mfcc = features.mfcc_q15(AUDIO)
    assert np.array_equal(result["mfcc"], mfcc)  # a ring of 8 holds every call's new vectors
    assert any("fmin < fmax" in e for e in result["errors"])
    assert result["heap_objects"] < 4096, "one Spectrogram + one Quantizer should fit in 4 KB of heap"
    assert result["heap_left"] <= 64, "objects leave memory behind after del + gc.collect()"


@pytest.mark.skipif(bool(boards.available("x64")), reason=str(boards.available("x64")))
def test_linux_board_equals_host_library():
    check(boards.run_script("x64", AUDIO, BLOCKS, scale=SCALE, zero_point=ZERO_POINT))


@pytest.mark.skipif(bool(boards.available("armv6m")), reason=str(boards.available("armv6m")))
def test_rp2040_equals_host_library():
    check(boards.run_script("armv6m", AUDIO, BLOCKS, scale=SCALE, zero_point=ZERO_POINT))
