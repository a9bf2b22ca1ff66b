"""Seeded audio augmentation on int16 clips: every transform keeps the length and the int16 range.

A transform is called as `t(audio, rng)` where rng is a numpy Generator or an int seed
(None draws fresh entropy). Transforms compose:

    aug = Compose([TimeShift(0.25), Gain((-12, 6)), PitchShift((-1, 1)), WhiteNoise(p=0.5)])
    y = aug(x, rng)                         # one clip, on the fly
    batch = aug.batch(x_windows, rng)       # (n, length) at once
    clips = augment_to(clips, "fire_alarm", 500, aug, seed=0)   # grow one class
"""
import dataclasses
from fractions import Fraction

import numpy as np
from scipy import signal

from earshot.data.wav import SAMPLE_RATE, to_int16
from earshot.errors import DataError


def _rng(rng):
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def _uniform(rng, value):
    """A number from a (low, high) range, or the number itself."""
    if isinstance(value, (tuple, list)):
        return float(rng.uniform(value[0], value[1]))
    return float(value)


class Transform:
    """Base: applies `apply` with probability p. Subclasses work on float samples in [-1, 1)."""

    p = 1.0

    def __call__(self, audio, rng=None):
        rng = _rng(rng)
        audio = np.asarray(audio)
        if audio.dtype != np.int16 or audio.ndim != 1:
            raise DataError(f"augmentation expects 1-D int16 audio, got {audio.dtype} {audio.shape}")
        if rng.random() >= self.p:
            return audio.copy()
        out = self.apply(audio.astype(np.float64) / 32768.0, rng)
        return to_int16(_fit(out, len(audio)))

    def apply(self, x, rng):
        raise NotImplementedError


class Compose:
    """Transforms applied in order with one generator."""

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, audio, rng=None):
        rng = _rng(rng)
        for transform in self.transforms:
            audio = transform(audio, rng)
        return audio

    def batch(self, windows, rng=None):
        rng = _rng(rng)
        return np.stack([self(w, rng) for w in np.asarray(windows)])


class Gain(Transform):
    """Scale by a gain in dB (saturating at the int16 limits)."""

    def __init__(self, gain_db=(-12.0, 6.0), p=1.0):
        self.gain_db, self.p = gain_db, p

    def apply(self, x, rng):
        return x * 10 ** (_uniform(rng, self.gain_db) / 20)


class WhiteNoise(Transform):
    """Add white Gaussian noise whose RMS level (dBFS) is drawn from a range."""

    def __init__(self, level_dbfs=(-60.0, -30.0), p=1.0):
        self.level_dbfs, self.p = level_dbfs, p

    def apply(self, x, rng):
        return x + rng.standard_normal(len(x)) * 10 ** (_uniform(rng, self.level_dbfs) / 20)


class RandomSilence(Transform):
    """Zero up to `spans` random stretches covering at most max_fraction of the clip."""

    def __init__(self, max_fraction=0.2, spans=3, p=1.0):
        self.max_fraction, self.spans, self.p = max_fraction, spans, p

    def apply(self, x, rng):
        x = x.copy()
        count = int(rng.integers(1, self.spans + 1))
        longest = max(1, int(self.max_fraction * len(x) / count))
        for _ in range(count):
            size = int(rng.integers(1, longest + 1))
            start = int(rng.integers(0, max(1, len(x) - size + 1)))
            x[start:start + size] = 0.0
        return x


class TimeShift(Transform):
    """Move the audio later (positive) or earlier by up to max_seconds, filling with silence."""

    def __init__(self, max_seconds=0.25, rate=SAMPLE_RATE, p=1.0):
        self.max_samples, self.p = int(round(max_seconds * rate)), p

    def apply(self, x, rng):
        return shift(x, int(rng.integers(-self.max_samples, self.max_samples + 1)))


class MixBackground(Transform):
    """Add a random stretch of a random background clip (int16 arrays or Clips) at a random gain."""

    def __init__(self, backgrounds, gain_db=(-20.0, 0.0), p=1.0):
        self.backgrounds = [np.asarray(getattr(b, "audio", b), dtype=np.int16) for b in backgrounds]
        if not self.backgrounds or any(len(b) == 0 for b in self.backgrounds):
            raise DataError("MixBackground needs at least one non-empty background clip")
        self.gain_db, self.p = gain_db, p

    def apply(self, x, rng):
        background = self.backgrounds[int(rng.integers(len(self.backgrounds)))] / 32768.0
        reps = -(-(len(x) + len(background)) // len(background))
        start = int(rng.integers(len(background)))
        piece = np.tile(background, reps)[start:start + len(x)]
        return x + piece * 10 ** (_uniform(rng, self.gain_db) / 20)


class TimeStretch(Transform):
    """Play faster (rate > 1) or slower without changing pitch (phase vocoder), then crop or pad."""

    def __init__(self, rate=(0.8, 1.25), p=1.0):
        self.rate, self.p = rate, p

    def apply(self, x, rng):
        return stretch(x, _uniform(rng, self.rate))


class PitchShift(Transform):
    """Move every frequency by 2**(semitones/12) without changing the duration."""

    def __init__(self, semitones=(-2.0, 2.0), p=1.0):
        self.semitones, self.p = semitones, p

    def apply(self, x, rng):
        return pitch_shift(x, _uniform(rng, self.semitones))


def shift(x, samples):
    """x moved by `samples` (positive = later), same length, zeros shifted in."""
    out = np.zeros_like(x)
    if samples >= 0:
        out[samples:] = x[:len(x) - samples] if samples < len(x) else x[:0]
    else:
        out[:samples] = x[-samples:]
    return out


def stretch(x, rate, n_fft=512, hop=128):
    """Time stretch to about len(x) / rate samples, same frequencies.

    Phase vocoder with identity phase locking: each spectral peak's phase advances at its
    measured frequency and the bins around it keep their analysed phase offsets to it,
    which keeps steady tones at full amplitude.
    """
    if rate <= 0:
        raise DataError(f"stretch rate must be positive, got {rate}")
    window = np.hanning(n_fft + 1)[:-1]
    padded = np.pad(x, (n_fft // 2, n_fft // 2 + hop))
    count = 1 + (len(padded) - n_fft) // hop
    spec = np.fft.rfft(np.stack([padded[i * hop:i * hop + n_fft] * window for i in range(count)]), axis=1)
    steps = np.arange(0, count - 1, rate)
    low = steps.astype(int)
    frac = (steps - low)[:, None]
    magnitude = (1 - frac) * np.abs(spec[low]) + frac * np.abs(spec[low + 1])
    analysed = np.angle(spec[low])
    expected = 2 * np.pi * hop * np.arange(spec.shape[1]) / n_fft
    advance = np.angle(spec[low + 1]) - analysed - expected
    advance = expected + (advance + np.pi) % (2 * np.pi) - np.pi
    bins = np.arange(spec.shape[1])
    phase = np.empty_like(magnitude)
    phase[0] = analysed[0]
    for k in range(1, len(steps)):
        owner = _nearest_peak(magnitude[k])
        peak_phase = phase[k - 1, owner] + advance[k - 1, owner]
        phase[k] = peak_phase + analysed[k, bins] - analysed[k, owner]
    frames = np.fft.irfft(magnitude * np.exp(1j * phase), n=n_fft, axis=1) * window
    length = (len(steps) - 1) * hop + n_fft
    out, norm = np.zeros(length), np.zeros(length)
    for i, frame in enumerate(frames):
        out[i * hop:i * hop + n_fft] += frame
        norm[i * hop:i * hop + n_fft] += window ** 2
    out = out / np.maximum(norm, 1e-3)
    return out[n_fft // 2:n_fft // 2 + int(round(len(x) / rate))]


def _nearest_peak(magnitude):
    """For each bin, the index of the nearest local maximum of the magnitude."""
    inner = (magnitude[1:-1] >= magnitude[:-2]) & (magnitude[1:-1] > magnitude[2:])
    peaks = np.flatnonzero(inner) + 1
    if len(peaks) == 0:
        return np.arange(len(magnitude))
    bins = np.arange(len(magnitude))
    right = np.clip(np.searchsorted(peaks, bins), 0, len(peaks) - 1)
    left = np.clip(right - 1, 0, len(peaks) - 1)
    closer_left = np.abs(bins - peaks[left]) < np.abs(bins - peaks[right])
    return np.where(closer_left, peaks[left], peaks[right])


def pitch_shift(x, semitones):
    """Stretch by the pitch ratio, then resample back to the original duration."""
    ratio = Fraction(2 ** (semitones / 12)).limit_denominator(100)
    if ratio == 1:
        return x.copy()
    longer = stretch(x, 1 / float(ratio))
    return signal.resample_poly(longer, ratio.denominator, ratio.numerator)


def augment_to(clips, label, target_count, augment=None, seed=0):
    """The clips labelled `label`, plus augmented copies of them until there are target_count.

    Copies keep their source's group, so a split never separates a clip from its copies.
    A class already at or above target_count is returned as it is.
    """
    own = [c for c in clips if c.label == label]
    if not own:
        raise DataError(f"no clips labelled {label!r} to augment")
    augment = augment if augment is not None else default_augment()
    rng = np.random.default_rng(seed)
    grown = list(own)
    for i in range(target_count - len(own)):
        source = own[i % len(own)]
        grown.append(dataclasses.replace(source, audio=augment(source.audio, rng)))
    return grown


def default_augment(backgrounds=None):
    """A mild pipeline for sound events: shift, gain, small pitch/tempo changes, noise, mixing."""
    transforms = [TimeShift(0.25), Gain((-12.0, 6.0)), PitchShift((-1.0, 1.0), p=0.5),
                  TimeStretch((0.9, 1.1), p=0.3), WhiteNoise((-60.0, -35.0), p=0.5),
                  RandomSilence(0.1, p=0.2)]
    if backgrounds:
        transforms.insert(2, MixBackground(backgrounds, (-20.0, 0.0), p=0.5))
    return Compose(transforms)


def _fit(x, length):
    """Crop or zero-pad to `length` samples."""
    if len(x) >= length:
        return x[:length]
    return np.concatenate([x, np.zeros(length - len(x))])
