"""PDM -> PCM (frontend core fe_pdm) against a numpy model of the same filter, and a
sigma-delta encoded sine that must come back clean."""
import numpy as np
import pytest

from earshot import features
from earshot.features import native


def bits_of(words):
    return np.unpackbits(words.astype(">u4").view(np.uint8))  # MSB of each word first


def reference(words, decimation):
    """4th-order CIC + (6c[n] - c[n-1] - c[n+1]) / 4, in exact wrapping integers."""
    b = bits_of(words).astype(np.uint64)
    stage = b
    for _ in range(4):
        stage = np.cumsum(stage, dtype=np.uint64)  # integrators, wrap mod 2^64
    c = stage[decimation - 1 :: decimation]
    for _ in range(4):
        c = np.diff(np.concatenate([[np.uint64(0)], c]))  # combs, from zero state
    gain_log2 = 4 * int(np.log2(decimation))
    cic = (2 * c.astype(np.int64) - (1 << gain_log2)) >> (gain_log2 - 16)
    previous = np.concatenate([[0, 0], cic])
    y = 6 * previous[1:-1] - previous[:-2] - cic
    return np.clip(y >> 3, -32768, 32767).astype(np.int16)


def sigma_delta(signal):
    """Second-order 1-bit modulator: samples in -1..1 at the bit rate -> packed words."""
    i1 = i2 = 0.0
    bits = np.zeros(len(signal), dtype=np.uint8)
    for n, x in enumerate(signal):
        y = 1.0 if i2 >= 0 else -1.0
        i1 += x - y
        i2 += i1 - y
        bits[n] = y > 0
    return np.packbits(bits).view(">u4").astype(np.uint32)


@pytest.mark.parametrize("decimation", [16, 32, 64, 128])
def test_random_bits_match_the_numpy_model_across_calls(decimation):
    rng = np.random.default_rng(decimation)
    words = rng.integers(0, 2**32, 64 * decimation // 32 * 4, dtype=np.uint64).astype(np.uint32)
    words[: 2 * decimation // 32 + 1] = 0xFFFFFFFF  # full scale, to hit saturation
    expected = reference(words, decimation)
    assert np.array_equal(features.pdm_to_pcm(words, decimation), expected)
    decimator = native.PdmDecimator(decimation)
    per_call = max(1, decimation // 32) * 8
    pieces = [decimator.process(words[i : i + per_call]) for i in range(0, len(words), per_call)]
    assert np.array_equal(np.concatenate(pieces), expected)


def test_sine_from_a_pdm_microphone_comes_back_at_16khz():
    rate_bits, decimation = 1_024_000, 64
    t = np.arange(rate_bits // 10) / rate_bits
    words = sigma_delta(0.5 * np.sin(2 * np.pi * 1000 * t))
    pcm = features.pdm_to_pcm(words, decimation).astype(np.float64)[200:]
    n = np.arange(len(pcm)) + 200
    # Least-squares fit of a 1 kHz sine (any phase): what is left is noise.
    basis = np.stack([np.sin(2 * np.pi * 1000 * n / 16000), np.cos(2 * np.pi * 1000 * n / 16000)], 1)
    coef, *_ = np.linalg.lstsq(basis, pcm, rcond=None)
    residual = pcm - basis @ coef
    amplitude = np.hypot(*coef)
    assert 0.4 * 32768 < amplitude < 0.6 * 32768
    assert 20 * np.log10(amplitude / np.sqrt(2) / residual.std()) > 50


def test_silence_is_zero_and_full_scale_saturates():
    zeros_ones = np.full(64, 0xAAAAAAAA, dtype=np.uint32)  # alternating bits: 0 on average
    assert np.all(features.pdm_to_pcm(zeros_ones)[6:] == 0)  # after the filter has filled
    assert np.all(features.pdm_to_pcm(np.full(64, 0xFFFFFFFF, dtype=np.uint32))[6:] == 32767)
    assert np.all(features.pdm_to_pcm(np.zeros(64, dtype=np.uint32))[6:] == -32768)


@pytest.mark.parametrize("decimation", [0, 8, 48, 256])
def test_bad_decimation_raises(decimation):
    with pytest.raises(ValueError, match="decimation must be 16, 32, 64 or 128"):
        features.pdm_to_pcm(np.zeros(8, dtype=np.uint32), decimation)


def test_bad_words_raise():
    with pytest.raises(ValueError, match="uint32"):
        features.pdm_to_pcm(np.zeros(8, dtype=np.int32))
    with pytest.raises(ValueError, match="uint32"):
        features.pdm_to_pcm(np.zeros(0, dtype=np.uint32))
