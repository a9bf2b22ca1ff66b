"""Each augmentation changes the signal as intended, keeps length and int16 range, and is seeded."""
import numpy as np
import pytest

from earshot.augment import (Compose, Gain, MixBackground, PitchShift, RandomSilence, TimeShift, TimeStretch,
                             WhiteNoise, augment_to, default_augment)
from earshot.data import Clip
from earshot.errors import DataError

RATE = 16000


def tone(freq, seconds=1.0, amplitude=0.3):
    t = np.arange(int(seconds * RATE)) / RATE
    return np.round(amplitude * 32768 * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def burst(start, stop, freq=1000, length=RATE):
    audio = np.zeros(length, np.int16)
    audio[start:stop] = tone(freq)[:stop - start]
    return audio


def peak_hz(audio):
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    return np.argmax(spectrum) * RATE / len(audio)


def rms(audio):
    return np.sqrt(np.mean(np.square(audio.astype(float))))


def onset(audio, threshold=3000):
    loud = np.flatnonzero(np.abs(audio.astype(int)) > threshold)
    return loud[0], loud[-1]


ALL = [Gain(), WhiteNoise(), RandomSilence(), TimeShift(), MixBackground([tone(200, 0.3)]), TimeStretch(),
       PitchShift(), default_augment([tone(200, 0.3)])]


@pytest.mark.parametrize("transform", ALL, ids=lambda t: type(t).__name__)
def test_keeps_length_type_and_is_reproducible(transform):
    audio = np.random.default_rng(0).integers(-20000, 20000, 12345).astype(np.int16)
    first, again = transform(audio, 5), transform(audio, np.random.default_rng(5))
    assert first.dtype == np.int16 and first.shape == audio.shape
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, audio)


@pytest.mark.parametrize("transform", ALL[:-1], ids=lambda t: type(t).__name__)
def test_full_scale_input_saturates_instead_of_wrapping(transform):
    audio = np.where(np.arange(RATE) % 40 < 20, 32767, -32768).astype(np.int16)
    out = Compose([Gain((12.0, 12.0)), transform])(audio, 1)
    assert out.dtype == np.int16
    assert out.max() == 32767 and out.min() == -32768   # clipped at the rails, signs kept


@pytest.mark.parametrize("gain_db", [-12.0, -3.0, 4.0])
def test_gain_scales_rms(gain_db):
    audio = tone(500)
    assert rms(Gain((gain_db, gain_db))(audio, 0)) == pytest.approx(rms(audio) * 10 ** (gain_db / 20), rel=1e-3)


def test_gain_draws_from_its_range():
    audio = tone(500)
    ratios = [rms(Gain((-6.0, 0.0))(audio, seed)) / rms(audio) for seed in range(20)]
    assert all(10 ** (-6 / 20) - 1e-3 <= r <= 1 + 1e-3 for r in ratios) and np.std(ratios) > 0.05


def test_white_noise_adds_flat_noise_at_the_chosen_level():
    silence = np.zeros(RATE, np.int16)
    noise = WhiteNoise((-30.0, -30.0))(silence, 0)
    assert rms(noise) == pytest.approx(32768 * 10 ** (-30 / 20), rel=0.03)
    spectrum = np.abs(np.fft.rfft(noise)) ** 2
    low, high = spectrum[100:4000].mean(), spectrum[4000:7900].mean()
    assert high / low == pytest.approx(1, abs=0.15)


def test_random_silence_zeroes_spans_within_the_limit():
    audio = np.full(RATE, 1000, np.int16)
    out = RandomSilence(max_fraction=0.2, spans=3)(audio, 2)
    zeroed = np.count_nonzero(out == 0)
    assert 0 < zeroed <= 0.2 * RATE
    np.testing.assert_array_equal(out[out != 0], 1000)


@pytest.mark.parametrize("seed", range(4))
def test_time_shift_moves_the_onset_by_the_shift(seed):
    audio = burst(6000, 9000)
    out = TimeShift(max_seconds=0.25)(audio, seed)
    start, stop = onset(out)
    moved = start - onset(audio)[0]
    assert abs(moved) <= 4000 and stop - start == onset(audio)[1] - onset(audio)[0]
    np.testing.assert_array_equal(out[start:stop], audio[start - moved:stop - moved])


def test_time_shift_fills_with_silence_at_the_edges():
    audio = np.full(RATE, 500, np.int16)
    shifted = [TimeShift(0.1)(audio, seed) for seed in range(6)]
    assert any(s[0] == 0 for s in shifted) and any(s[-1] == 0 for s in shifted)


def test_mix_background_adds_scaled_background():
    background = tone(250, 0.5, 0.5)
    out = MixBackground([Clip(background, "bg", "g")], gain_db=(-6.0, -6.0))(np.zeros(RATE, np.int16), 3)
    assert peak_hz(out) == pytest.approx(250, abs=2)
    assert rms(out) == pytest.approx(rms(background) * 10 ** (-6 / 20), rel=0.02)


def test_mix_background_refuses_empty_backgrounds():
    with pytest.raises(DataError, match="non-empty background"):
        MixBackground([np.zeros(0, np.int16)])


@pytest.mark.parametrize("rate", [0.5, 0.8, 1.25, 2.0])
def test_time_stretch_changes_duration_not_pitch(rate):
    audio = burst(3200, 6400, freq=1200)
    out = TimeStretch((rate, rate))(audio, 0)
    start, stop = onset(out)
    assert (stop - start) == pytest.approx(3200 / rate, rel=0.1)
    assert start == pytest.approx(3200 / rate, abs=300)
    assert peak_hz(out[start:stop]) == pytest.approx(1200, rel=0.02)


@pytest.mark.parametrize("semitones", [-3.0, -1.0, 1.0, 2.0, 5.0])
def test_pitch_shift_moves_the_dominant_peak_by_the_ratio(semitones):
    audio = tone(1000)
    out = PitchShift((semitones, semitones))(audio, 0)
    assert peak_hz(out) == pytest.approx(1000 * 2 ** (semitones / 12), abs=2)
    assert rms(out[1000:-1000]) == pytest.approx(rms(audio), rel=0.05)


def test_probability_zero_leaves_the_audio_alone():
    audio = tone(700)
    np.testing.assert_array_equal(Compose([Gain(p=0.0), PitchShift(p=0.0)])(audio, 0), audio)


def test_compose_batch_is_seeded():
    windows = np.stack([tone(400), tone(800)])
    aug = Compose([Gain(), WhiteNoise()])
    np.testing.assert_array_equal(aug.batch(windows, 9), aug.batch(windows, 9))
    assert not np.array_equal(aug.batch(windows, 9), aug.batch(windows, 10))


def test_refuses_non_int16_audio():
    with pytest.raises(DataError, match="1-D int16"):
        Gain()(np.zeros(100), 0)


def test_augment_to_grows_one_class_keeping_groups():
    clips = [Clip(tone(500), "alarm", "rec1"), Clip(tone(600), "alarm", "rec2"), Clip(tone(900), "other", "x")]
    grown = augment_to(clips, "alarm", 7, Compose([Gain((-6.0, -1.0))]), seed=0)
    assert len(grown) == 7 and all(c.label == "alarm" for c in grown)
    assert [c.group for c in grown] == ["rec1", "rec2"] * 3 + ["rec1"]
    assert len({rms(c.audio).round(1) for c in grown}) == 7
    assert len(augment_to(clips, "alarm", 1)) == 2
    with pytest.raises(DataError, match="no clips labelled 'cat'"):
        augment_to(clips, "cat", 5)
