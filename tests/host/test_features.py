"""earshot.features: shapes, the window, and errors (byte equality is in test_features_cmsis.py)."""
import numpy as np
import pytest

from earshot import features
from earshot.features import float_reference


def test_shape_follows_frame_and_hop():
    audio = np.zeros(16000, dtype=np.int16)
    columns = features.spectrogram_q15(audio)
    assert columns.shape == ((16000 - 256) // 128 + 1, 129)
    assert columns.dtype == np.int16


def test_short_audio_gives_no_columns():
    assert features.spectrogram_q15(np.zeros(255, dtype=np.int16)).shape == (0, 129)


def test_window_is_periodic_hann_against_scipy():
    from scipy.signal import get_window

    for n in (256, 400, 512):
        expected = np.clip(np.round(get_window("hann", n) * 32768), 0, 32767)
        assert np.array_equal(features.hann_q15(n), expected.astype(np.int16))


def test_q15_tracks_float_reference_on_a_sine():
    t = np.arange(4000) / features.SAMPLE_RATE
    audio = (np.sin(2 * np.pi * 1000 * t) * 20000).astype(np.int16)
    q15 = features.spectrogram_q15(audio).astype(np.float64)
    ref = float_reference.spectrogram_float(audio) * 32768
    assert q15[:, 16].min() > 2400
    assert np.max(np.abs(q15 - ref)) < 8


@pytest.mark.parametrize(
    "audio, kwargs, message",
    [
        (np.zeros(512, dtype=np.float32), {}, "expected int16 audio"),
        (np.zeros((2, 512), dtype=np.int16), {}, "expected 1-D audio"),
        (np.zeros(0, dtype=np.int16), {}, "zero samples"),
        (np.zeros(512, dtype=np.int16), {"fft": 300}, "not a size rfft_q15 supports"),
        (np.zeros(512, dtype=np.int16), {"frame": 300}, "must be in 1..fft"),
        (np.zeros(512, dtype=np.int16), {"hop": 0}, "must be positive"),
    ],
)
def test_bad_arguments_raise(audio, kwargs, message):
    with pytest.raises(ValueError, match=message):
        features.spectrogram_q15(audio, **kwargs)
