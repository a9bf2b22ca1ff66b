"""Synthetic sounds: reproducible by seed, alarms in the 2.9-3.5 kHz band with real beep timing."""
import numpy as np
import pytest

from earshot.data import class_counts, is_silent, load_esc50, make_windows, read_wav, windows
from earshot.data import synth
from earshot.errors import DataError

RATE = 16000


def band_share(audio, low=2900, high=3500):
    power = np.abs(np.fft.rfft(audio.astype(float))) ** 2
    freqs = np.fft.rfftfreq(len(audio), 1 / RATE)
    return power[(freqs >= low) & (freqs <= high)].sum() / power.sum()


def peak_hz(audio):
    return np.argmax(np.abs(np.fft.rfft(audio * np.hanning(len(audio))))) * RATE / len(audio)


def test_dataset_is_reproducible_by_seed_and_clip_i_does_not_depend_on_count():
    first = synth.dataset(per_class=4, seed=1)
    again = synth.dataset(per_class=4, seed=1)
    longer = synth.dataset(per_class=6, seed=1)
    other = synth.dataset(per_class=4, seed=2)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a.audio, b.audio)
    np.testing.assert_array_equal(first[0].audio, longer[0].audio)
    assert not np.array_equal(first[0].audio, other[0].audio)


def test_dataset_clips_are_16_khz_int16_with_unique_groups():
    clips = synth.dataset(per_class=3, classes=synth.CLASSES, seconds=1.5, seed=0)
    assert class_counts(clips) == {name: 3 for name in synth.CLASSES}
    assert all(c.audio.dtype == np.int16 and len(c.audio) == 24000 for c in clips)
    assert len({c.group for c in clips}) == len(clips)
    assert all(0 < np.abs(c.audio.astype(int)).max() < 32768 for c in clips)


def test_alarm_energy_is_concentrated_in_the_alarm_band():
    clips = synth.dataset(per_class=20, seed=3, snr_db=(30.0, 30.0))
    alarms = [c.audio for c in clips if c.label == "fire_alarm"]
    backgrounds = [c.audio for c in clips if c.label == "background"]
    assert all(2900 <= peak_hz(a) <= 3500 for a in alarms)
    assert np.median([band_share(a) for a in alarms]) > 0.8
    assert np.median([band_share(b) for b in backgrounds]) < 0.1


def test_temporal_three_timing():
    times = synth.beep_times("temporal3", 8.0, np.random.default_rng(0))
    ons = np.array([a for a, _ in times])
    lengths = np.array([b - a for a, b in times])
    assert len(times) == 6
    assert np.all((lengths > 0.45) & (lengths < 0.55))
    gaps = np.diff(ons)                   # on+off within a group, on+off+1.5 s pause between groups
    assert np.all((gaps[[0, 1, 3, 4]] > 0.9) & (gaps[[0, 1, 3, 4]] < 1.1))
    assert 1.8 < gaps[2] < 2.2


def test_continuous_pattern_matches_the_measured_fast_beeping():
    times = synth.beep_times("continuous", 3.0, np.random.default_rng(4))
    lengths = [b - a for a, b in times[:-1]]
    assert all(0.2 <= x <= 0.35 for x in lengths) and len(times) >= 6


def test_alarm_in_noise_sounds_exactly_during_its_events():
    audio, events = synth.alarm_in_noise(12.0, bursts_at=[1.0, 7.0], snr_db=10.0, seed=5)
    again, _ = synth.alarm_in_noise(12.0, bursts_at=[1.0, 7.0], snr_db=10.0, seed=5)
    np.testing.assert_array_equal(audio, again)
    assert audio.dtype == np.int16 and len(audio) == 12 * RATE
    assert [round(a, 3) for a, _ in events] == [1.0, 7.0]
    assert all(2.3 < b - a < 2.7 for a, b in events)
    blocks = audio[: len(audio) // 1600 * 1600].reshape(-1, 1600)     # 0.1 s
    share = np.array([band_share(b) for b in blocks])
    centres = (np.arange(len(blocks)) + 0.5) * 0.1
    beeping = np.zeros(len(blocks), bool)
    for a, b in events:
        for k in range(3):                                             # the middle of each beep
            on = a + k * (b - a) / 2.5
            beeping |= (centres > on + 0.1) & (centres < on + 0.4)
    outside = np.ones(len(blocks), bool)
    for a, b in events:
        outside &= (centres < a - 0.2) | (centres > b + 0.6)
    assert np.min(share[beeping]) > 0.5
    assert np.median(share[outside]) < 0.1


def test_bad_requests_are_refused():
    with pytest.raises(DataError, match="no synthetic generator for \\['cat'\\]"):
        synth.dataset(per_class=1, classes=("cat",))
    with pytest.raises(DataError, match="per_class must be >= 1"):
        synth.dataset(per_class=0)
    with pytest.raises(DataError, match="burst at 20 s is outside"):
        synth.alarm_in_noise(10.0, bursts_at=[20])


def spectrum_features(audio):
    frames = windows(audio, length=256, stride=128).astype(float) * np.hanning(256)
    power = np.log(np.abs(np.fft.rfft(frames, axis=1)) ** 2 + 1.0)
    return np.concatenate([power.mean(0), power.std(0)])


def test_a_simple_model_trained_only_on_synth_flags_the_real_alarms(shared_data):
    """Realism check: a linear model on mean/std log spectra, trained on synthetic clips only."""
    from sklearn.linear_model import LogisticRegression

    train = make_windows(synth.dataset(per_class=150, seed=0), labels=("background", "fire_alarm"), verbose=False)
    features = np.stack([spectrum_features(w) for w in train.x])
    mean, scale = features.mean(0), features.std(0) + 1e-6
    model = LogisticRegression(C=0.1, max_iter=2000).fit((features - mean) / scale, train.y)

    def alarm_rate(audios):
        x = np.stack([spectrum_features(a) for a in audios])
        return np.mean(model.predict((x - mean) / scale) == 1)

    for name in ("smoke_alarm_bsb0800.wav", "smoke_alarm_bsb1151.wav"):
        real = [w for w in windows(read_wav(shared_data / "fire_alarm" / name)) if not is_silent(w)]
        assert alarm_rate(real) > 0.9, name
    background = [c.audio for c in load_esc50(shared_data / "glass_break", categories=["background"],
                                              progress=False)]
    assert alarm_rate(background) < 0.1


def test_alarm_in_noise_continuous_pattern_and_burst_length():
    audio, events = synth.alarm_in_noise(8.0, bursts_at=[2.0], pattern="continuous", burst_seconds=3.0, seed=2)
    (start, stop), = events
    assert start == 2.0 and 2.0 + 3.0 - 0.5 < stop < 2.0 + 3.0 + 0.35   # beeps start until 5 s
    single, (one,) = synth.alarm_in_noise(8.0, bursts_at=[2.0], pattern="continuous", seed=2)
    assert 0.2 <= one[1] - one[0] <= 0.35
