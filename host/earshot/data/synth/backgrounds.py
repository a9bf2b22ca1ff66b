"""Background sounds: coloured noise, mains hum, clatter, babble, music-like tones (float, 16 kHz)."""
import numpy as np
from scipy import signal

from earshot.data.wav import SAMPLE_RATE

KINDS = ("white", "pink", "brown", "hum", "clatter", "babble", "music")


def background(kind, seconds, rng, rate=SAMPLE_RATE):
    """One background of the given kind, RMS 1 (silence-free)."""
    n = int(round(seconds * rate))
    audio = _MAKERS[kind](n, rng, rate)
    return audio / max(1e-9, np.sqrt(np.mean(audio ** 2)))


def mixed_background(seconds, rng, rate=SAMPLE_RATE):
    """One to three kinds layered at random relative levels."""
    count = int(rng.integers(1, 4))
    kinds = rng.choice(KINDS, size=count, replace=False)
    audio = sum(background(k, seconds, rng, rate) * 10 ** (rng.uniform(-20, 0) / 20) for k in kinds)
    return audio / max(1e-9, np.sqrt(np.mean(audio ** 2)))


def _coloured(n, rng, exponent):
    """Noise whose power falls as 1/f**exponent (0 white, 1 pink, 2 brown)."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spectrum), dtype=float)
    f[0] = 1.0
    return np.fft.irfft(spectrum / f ** (exponent / 2), n=n)


def _hum(n, rng, rate):
    t = np.arange(n) / rate
    mains = 50.0 if rng.random() < 0.5 else 60.0
    audio = sum(np.sin(2 * np.pi * mains * k * t + rng.uniform(0, 6.3)) * 10 ** (rng.uniform(-30, 0) / 20)
                for k in range(1, 8))
    return audio + 0.01 * rng.standard_normal(n)


def _clatter(n, rng, rate):
    """Dishes and footsteps: short decaying resonances at random times, on a quiet floor."""
    audio = 0.02 * rng.standard_normal(n)
    for _ in range(int(rng.integers(2, 12) * n / rate) + 1):
        at = int(rng.integers(0, n))
        length = min(n - at, int(rng.uniform(0.02, 0.25) * rate))
        t = np.arange(length) / rate
        freq = rng.uniform(300, 7000)
        ring = np.sin(2 * np.pi * freq * t) * np.exp(-t * rng.uniform(20, 120))
        click = rng.standard_normal(length) * np.exp(-t * 400)
        audio[at:at + length] += (ring + click) * 10 ** (rng.uniform(-20, 0) / 20)
    return audio


def _babble(n, rng, rate):
    """Several talkers: glottal pulse trains shaped by moving formants, at syllable rate."""
    audio = np.zeros(n)
    t = np.arange(n) / rate
    for _ in range(int(rng.integers(1, 6))):
        pitch = rng.uniform(90, 250) * (1 + 0.1 * np.sin(2 * np.pi * rng.uniform(0.5, 3) * t))
        pulses = np.diff(np.floor(np.cumsum(pitch) / rate), prepend=0.0)
        voice = pulses + 0.05 * rng.standard_normal(n)
        for low, high in ((300, 900), (900, 2500)):
            centre = rng.uniform(low, high)
            b, a = signal.iirpeak(centre, 4, fs=rate)
            voice = voice + 3 * signal.lfilter(b, a, voice)
        syllables = np.clip(np.sin(2 * np.pi * rng.uniform(3, 6) * t + rng.uniform(0, 6.3)), 0, None)
        audio += voice * syllables * rng.uniform(0.3, 1)
    return audio


def _music(n, rng, rate):
    """Notes of a scale with harmonics and plucked envelopes, a few at a time."""
    audio = np.zeros(n)
    root = rng.uniform(110, 440)
    scale = np.array([0, 2, 4, 5, 7, 9, 11, 12, 14, 16])
    at, step = 0, int(rng.uniform(0.12, 0.5) * rate)
    while at < n:
        for _ in range(int(rng.integers(1, 4))):
            note = root * 2 ** (rng.choice(scale) / 12)
            length = min(n - at, int(step * rng.uniform(1, 3)))
            t = np.arange(length) / rate
            decay = np.exp(-t * rng.uniform(2, 8))
            for k in range(1, 6):
                if note * k < 0.45 * rate:
                    audio[at:at + length] += np.sin(2 * np.pi * note * k * t) * decay / k ** 1.5
        at += step
    return audio


_MAKERS = {
    "white": lambda n, rng, rate: rng.standard_normal(n),
    "pink": lambda n, rng, rate: _coloured(n, rng, 1),
    "brown": lambda n, rng, rate: _coloured(n, rng, 2),
    "hum": _hum,
    "clatter": _clatter,
    "babble": _babble,
    "music": _music,
}
