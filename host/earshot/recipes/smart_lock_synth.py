"""Synthetic door sounds for the smart-lock recipe (no lock recordings here).

  key_in    a key sliding in: 5-9 pin clicks at shrinking intervals, rising scrape
  key_out   the same sliding out: clicks at growing intervals, falling scrape
  locking   the bolt: a sharp metallic click with a 1.5-3 kHz ring, then a short low slide and a clunk
  knocking  2-5 knuckle thuds on wood (damped 80-250 Hz modes), 120-300 ms apart
  other     anything else near a door: speech babble, footsteps, music, hum, noise

    event(label, rng, rate) -> float audio of the event alone (peak about 1)
    clips(per_class, labels, seconds, seed, rate, weights) -> [(label, group, int16 audio, (start, end))]
      (start, end) is the event's sample span inside the clip ("other" spans the whole clip).
"""
import numpy as np
from scipy import signal

from earshot.data.wav import SAMPLE_RATE, to_int16
from earshot.errors import DataError

LABELS = ("key_in", "key_out", "locking", "knocking", "other")


def _band(rng, n, low, high, rate):
    b, a = signal.butter(2, [low / (rate / 2), min(0.99, high / (rate / 2))], btype="band")
    return signal.lfilter(b, a, rng.standard_normal(n))


def _click(rng, rate, freq, seconds=0.012):
    n = int(seconds * rate)
    t = np.arange(n) / rate
    return (np.sin(2 * np.pi * freq * t) + 0.5 * rng.standard_normal(n)) * np.exp(-t * 400)


def _key(rng, rate, inwards):
    count = int(rng.integers(5, 10))
    gaps = np.sort(rng.uniform(0.03, 0.09, count))[::-1 if inwards else 1]
    times = np.concatenate([[0.0], np.cumsum(gaps)])
    n = int((times[-1] + 0.05) * rate)
    audio = np.zeros(n)
    base = rng.uniform(3000, 5000)
    for i, at in enumerate(times):
        click = _click(rng, rate, base * rng.uniform(0.9, 1.1))
        start = int(at * rate)
        audio[start:start + len(click)] += click[:n - start] * rng.uniform(0.5, 1.0)
    ramp = np.linspace(0.1, 1.0, n) if inwards else np.linspace(1.0, 0.1, n)
    audio += 0.15 * _band(rng, n, 1500, 6000, rate) * ramp
    return audio


def _locking(rng, rate):
    ring_n = int(0.08 * rate)
    t = np.arange(ring_n) / rate
    ring = np.sin(2 * np.pi * rng.uniform(1500, 3000) * t) * np.exp(-t * 60)
    ring += rng.standard_normal(ring_n) * np.exp(-t * 500)
    slide_n = int(rng.uniform(0.08, 0.2) * rate)
    slide = 0.3 * _band(rng, slide_n, 300, 1200, rate)
    clunk_n = int(0.1 * rate)
    tc = np.arange(clunk_n) / rate
    clunk = np.sin(2 * np.pi * rng.uniform(400, 800) * tc) * np.exp(-tc * 50)
    return np.concatenate([ring, slide, 0.8 * clunk])


def _knocking(rng, rate):
    count = int(rng.integers(2, 6))
    gap = rng.uniform(0.12, 0.3)
    n = int((count * gap + 0.2) * rate)
    audio = np.zeros(n)
    length = int(0.15 * rate)
    t = np.arange(length) / rate
    for k in range(count):
        body = sum(np.sin(2 * np.pi * f * t) * np.exp(-t * rng.uniform(25, 60))
                   for f in rng.uniform(80, 250, 3))
        knock = body + 0.3 * rng.standard_normal(length) * np.exp(-t * 300)
        start = int(k * gap * rng.uniform(0.9, 1.1) * rate)
        end = min(n, start + length)
        audio[start:end] += knock[:end - start]
    return audio


def _other(rng, rate, seconds):
    from earshot.data.synth.backgrounds import KINDS, background

    return background(str(rng.choice(KINDS)), seconds, rng, rate)


def event(label, rng, rate=SAMPLE_RATE, seconds=1.0):
    """The event alone, peak about 1 ("other" lasts `seconds`)."""
    makers = {"key_in": lambda: _key(rng, rate, True), "key_out": lambda: _key(rng, rate, False),
              "locking": lambda: _locking(rng, rate), "knocking": lambda: _knocking(rng, rate),
              "other": lambda: _other(rng, rate, seconds)}
    if label not in makers:
        raise DataError(f"no synthetic door sound {label!r}; known: {list(LABELS)}")
    audio = makers[label]()
    return audio / max(1e-9, np.abs(audio).max())


def clips(per_class, labels=LABELS, seconds=1.0, seed=0, rate=SAMPLE_RATE, weights=None):
    """Clips with one event each in a quiet room; weights[label] multiplies per_class
    (an imbalanced set, as real recordings are)."""
    out = []
    total = int(seconds * rate)
    for c, label in enumerate(labels):
        count = int(round(per_class * (weights or {}).get(label, 1)))
        for i in range(count):
            rng = np.random.default_rng([seed, c, i])
            sound = event(label, rng, rate, seconds)[:total] * 10 ** (rng.uniform(-20, 0) / 20) * 0.5
            start = int(rng.integers(0, total - len(sound) + 1))
            audio = 10 ** (rng.uniform(-60, -40) / 20) * _band(rng, total, 50, 7000, rate)
            audio[start:start + len(sound)] += sound
            span = (0, total) if label == "other" else (start, start + len(sound))
            out.append((label, f"{label}/{i:04d}", to_int16(audio), span))
    return out
