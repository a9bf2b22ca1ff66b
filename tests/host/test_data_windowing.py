"""Windows of a clip, the silence floor (pcm core, checked against numpy), per-class counts."""
import numpy as np
import pytest

from earshot.data import Clip, is_silent, make_windows, windows
from earshot.errors import DataError


def test_windows_are_strided_slices_and_the_short_tail_is_dropped():
    audio = np.arange(10000, dtype=np.int16)
    cut = windows(audio, length=4000, stride=1500)
    assert cut.shape == (5, 4000) and cut.dtype == np.int16
    for k, window in enumerate(cut):
        np.testing.assert_array_equal(window, audio[k * 1500:k * 1500 + 4000])


def test_default_window_is_one_second_every_4000_samples():
    assert windows(np.ones(16000 * 3, np.int16)).shape == (9, 16000)


def test_audio_shorter_than_a_window_is_zero_padded_to_one():
    cut = windows(np.full(100, 5, np.int16), length=400, stride=100)
    assert cut.shape == (1, 400)
    assert np.all(cut[0, :100] == 5) and np.all(cut[0, 100:] == 0)


def test_bad_window_arguments_are_refused():
    with pytest.raises(DataError, match="must be positive"):
        windows(np.zeros(10, np.int16), length=0)
    with pytest.raises(DataError, match="expected mono"):
        windows(np.zeros((10, 2), np.int16))


@pytest.mark.parametrize("level", [0, 3, 9, 10, 11, 40])
def test_silence_floor_matches_numpy_rms(level):
    window = np.random.default_rng(level).choice([-level, level], size=1000).astype(np.int16)
    reference_rms = int(np.sqrt(np.mean(window.astype(np.int64) ** 2)))
    assert is_silent(window, floor_rms=10) == (reference_rms < 10)


def test_make_windows_drops_silent_windows_and_counts_per_class(capsys):
    rng = np.random.default_rng(1)
    loud = rng.integers(-3000, 3000, 32000).astype(np.int16)
    half_silent = np.concatenate([loud[:16000], np.zeros(16000, np.int16)])
    clips = [Clip(loud, "alarm", "a", 1), Clip(half_silent, "quiet", "b", None)]
    result = make_windows(clips, labels=("quiet", "alarm"), length=16000, stride=8000, floor_rms=10)
    assert result.labels == ("quiet", "alarm")
    assert result.counts == {"quiet": 2, "alarm": 3}
    assert result.dropped_silent == 1
    assert result.x.shape == (5, 16000) and result.x.dtype == np.int16
    np.testing.assert_array_equal(result.y, [1, 1, 1, 0, 0])
    np.testing.assert_array_equal(result.folds, [1, 1, 1, -1, -1])
    np.testing.assert_array_equal(result.clip_index, [0, 0, 0, 1, 1])
    assert list(result.groups) == ["a", "a", "a", "b", "b"]
    np.testing.assert_array_equal(result.x[4], half_silent[8000:24000])
    assert "quiet 2, alarm 3; 1 silent dropped" in capsys.readouterr().out


def test_floor_zero_keeps_digital_silence():
    clips = [Clip(np.zeros(16000, np.int16), "quiet", "a")]
    assert len(make_windows(clips, floor_rms=0, verbose=False)) == 1
    assert len(make_windows(clips, verbose=False)) == 0


def test_labels_default_to_sorted_and_unknown_labels_are_refused():
    clips = [Clip(np.ones(16000, np.int16) * 100, "b", "1"), Clip(np.ones(16000, np.int16) * 100, "a", "2")]
    assert make_windows(clips, verbose=False).labels == ("a", "b")
    with pytest.raises(DataError, match=r"clips labelled \['b'\] are not among the labels"):
        make_windows(clips, labels=("a",), verbose=False)
    with pytest.raises(DataError, match="no clips"):
        make_windows([], verbose=False)


def test_max_per_clip_keeps_evenly_spaced_windows():
    audio = (np.arange(16000 * 5) % 2000 + 100).astype(np.int16)
    result = make_windows([Clip(audio, "a", "g")], max_per_clip=3, verbose=False)
    assert len(result) == 3
    np.testing.assert_array_equal(result.x[0], audio[:16000])
    np.testing.assert_array_equal(result.x[1], audio[8 * 4000:8 * 4000 + 16000])
    np.testing.assert_array_equal(result.x[2], audio[-16000:])
