"""The smart lock's integer rules, simulated on the host as the board would run them.

  minmax_fit(mfcc) -> (lo, hi)              per-coefficient int16 range over the training set
  minmax_u8(mfcc, lo, hi) -> uint8-valued int16   (v - lo) * 255 / (hi - lo), rounded, clamped 0..255
  window_rms(audio, window) -> int per window    isqrt(sum(x * x) // window)
  gate(rms, threshold, backoff) -> bool per window   classify while a loud window was seen
                                                  within the last `backoff` windows
  PostBuffer(size, classes)                      majority of the last `size` decisions

Everything is integer arithmetic a Cortex-M0+ does without floats.
"""
import math

import numpy as np

from earshot.errors import DataError


def minmax_fit(mfcc):
    """(n, frames, coefficients) int16 -> (lo, hi) int32 per coefficient, hi > lo."""
    values = np.asarray(mfcc).reshape(-1, np.asarray(mfcc).shape[-1]).astype(np.int32)
    lo, hi = values.min(axis=0), values.max(axis=0)
    return lo, np.maximum(hi, lo + 1)


def minmax_u8(mfcc, lo, hi):
    """Scale each coefficient to 0..255: (v - lo) * 255 / (hi - lo), rounded half up, clamped."""
    v = np.asarray(mfcc).astype(np.int64)
    lo, hi = np.asarray(lo, dtype=np.int64), np.asarray(hi, dtype=np.int64)
    span = hi - lo
    if np.any(span <= 0):
        raise DataError("min-max scaling needs hi > lo for every coefficient")
    scaled = ((v - lo) * 255 + span // 2) // span
    return np.clip(scaled, 0, 255).astype(np.int16)


def window_rms(audio, window):
    """Integer RMS of each whole `window`-sample block of int16 audio."""
    audio = np.asarray(audio)
    if audio.dtype != np.int16:
        raise DataError(f"expected int16 audio, got {audio.dtype}")
    count = len(audio) // window
    blocks = audio[:count * window].astype(np.int64).reshape(count, window)
    return np.array([math.isqrt(int(s) // window) for s in (blocks * blocks).sum(axis=1)], dtype=np.int64)


def gate(rms, threshold, backoff):
    """Which windows are classified: a window at or over `threshold` opens the gate for
    itself and the next backoff - 1 windows (the back-off lets the cascade see the
    whole event after its loud start). threshold 0 classifies every window."""
    if backoff < 1:
        raise DataError(f"backoff must be at least 1 window, got {backoff}")
    out = np.zeros(len(rms), dtype=bool)
    left = 0
    for i, value in enumerate(rms):
        if value >= threshold:
            left = backoff
        if left > 0:
            out[i] = True
            left -= 1
    return out


class PostBuffer:
    """The last `size` decisions (class index, `classes` for unknown, None when gated);
    an event is a class other than unknown holding a strict majority of the buffer."""

    def __init__(self, size, classes):
        if not 1 <= size <= 32:
            raise DataError(f"post-processing buffer size must be 1..32, got {size}")
        self.size, self.classes = size, classes
        self.items = []

    def push(self, decision):
        """Adds a decision; returns the majority class or None."""
        self.items = (self.items + [decision])[-self.size:]
        counts = {}
        for d in self.items:
            if d is not None and d != self.classes:
                counts[d] = counts.get(d, 0) + 1
        best = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
        return best[0] if best[1] > self.size // 2 else None


def events(decisions, size, classes):
    """Run a PostBuffer over decisions; the classes it reports, each time one starts."""
    buffer, reported, last = PostBuffer(size, classes), [], None
    for d in decisions:
        now = buffer.push(d)
        if now is not None and now != last:
            reported.append(now)
        last = now
    return reported
