"""Foreground sounds: smoke-alarm beeps, sirens, doorbells and other beeps (float, 16 kHz)."""
import numpy as np

from earshot.data.wav import SAMPLE_RATE

ALARM_BAND = (2900.0, 3500.0)   # fundamental of piezo smoke alarms (real ones measured: 3.05, 3.40 kHz)
NYQUIST_MARGIN = 0.95


def beep_times(pattern, seconds, rng, start=0.0):
    """[(on, off)] beep intervals in seconds for an alarm pattern, jittered like real units.

    temporal3: 0.5 s on, 0.5 s off, 0.5 s on, 0.5 s off, 0.5 s on, 1.5 s off (ISO 8201).
    continuous: short beeps back to back (measured: 0.25 s on, 0.085 s off).
    """
    scale = rng.uniform(0.93, 1.07)
    if pattern == "temporal3":
        on, off, beeps, last_off = 0.5 * scale, 0.5 * scale, 3, 1.5 * scale
    elif pattern == "continuous":
        on, off, beeps = rng.uniform(0.2, 0.35), rng.uniform(0.06, 0.15), 1
        last_off = off
    else:
        raise ValueError(f"unknown alarm pattern {pattern!r}")
    times, t = [], start
    while t < seconds:
        for k in range(beeps):
            times.append((t, t + on))
            t += on + (last_off if k == beeps - 1 else off)
    return [(a, min(b, seconds)) for a, b in times if a < seconds and b > 0]


def smoke_alarm(seconds, rng, pattern=None, start=0.0, f0=None, rate=SAMPLE_RATE):
    """A piezo alarm beeping in `pattern` from `start` seconds; (audio peak near 1, [(on, off)])."""
    pattern = pattern or rng.choice(["temporal3", "temporal3", "continuous"])
    times = beep_times(pattern, seconds, rng, start)
    n = int(round(seconds * rate))
    return alarm_tone(n, rng, f0, rate) * gate(times, n, rate, ramp=rng.uniform(0.002, 0.008)), times


def alarm_tone(n, rng, f0=None, rate=SAMPLE_RATE):
    """The steady tone of a piezo sounder: fundamental in 2.9-3.5 kHz, harmonics 25-50 dB down, slight drift."""
    f0 = f0 if f0 is not None else rng.uniform(*ALARM_BAND)
    t = np.arange(n) / rate
    drift = 1 + rng.uniform(0.002, 0.01) * np.sin(2 * np.pi * rng.uniform(0.1, 2) * t + rng.uniform(0, 6.3))
    phase = 2 * np.pi * f0 * np.cumsum(drift) / rate
    tone = np.sin(phase)
    for harmonic in range(2, 6):
        if harmonic * f0 < NYQUIST_MARGIN * rate / 2:
            tone += 10 ** (rng.uniform(-50, -25) / 20) * np.sin(harmonic * phase + rng.uniform(0, 6.3))
    return tone / max(1e-9, np.max(np.abs(tone)))


def gate(times, n, rate, ramp=0.005):
    """An on/off envelope with raised-cosine edges of `ramp` seconds."""
    envelope = np.zeros(n)
    edge = max(1, int(ramp * rate))
    rise = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, edge))
    for on, off in times:
        a, b = max(0, int(on * rate)), min(n, int(off * rate))
        if b <= a:
            continue
        envelope[a:b] = 1.0
        k = min(edge, (b - a) // 2)
        if int(on * rate) >= 0:
            envelope[a:a + k] = rise[:k]
        if int(off * rate) <= n:
            envelope[b - k:b] = rise[:k][::-1]
    return envelope


def siren(seconds, rng, rate=SAMPLE_RATE):
    """Emergency-vehicle siren: wail (slow sweep) or yelp (fast sweep) of a harmonic tone."""
    n = int(round(seconds * rate))
    t = np.arange(n) / rate
    low, high = rng.uniform(500, 800), rng.uniform(1200, 1800)
    period = rng.uniform(3, 6) if rng.random() < 0.5 else rng.uniform(0.2, 0.4)
    sweep = 0.5 - 0.5 * np.cos(2 * np.pi * t / period + rng.uniform(0, 6.3))
    phase = 2 * np.pi * np.cumsum(low + (high - low) * sweep) / rate
    audio = sum(np.sin(k * phase) / k ** rng.uniform(1, 2) for k in range(1, 5))
    return audio / np.max(np.abs(audio))


def doorbell(seconds, rng, rate=SAMPLE_RATE):
    """Ding-dong: two struck tones with slightly inharmonic, decaying partials."""
    n = int(round(seconds * rate))
    audio = np.zeros(n)
    first = rng.uniform(500, 900)
    start = rng.uniform(0, max(0.01, seconds * 0.3))
    for note, at in ((first, start), (first * rng.uniform(0.75, 0.85), start + rng.uniform(0.4, 0.7))):
        a = int(at * rate)
        if a >= n:
            break
        t = np.arange(n - a) / rate
        decay = rng.uniform(2, 5)
        for k, ratio in enumerate((1.0, 2.76, 5.4), 1):
            if note * ratio < NYQUIST_MARGIN * rate / 2:
                audio[a:] += np.sin(2 * np.pi * note * ratio * t) * np.exp(-decay * k * t) / k
    return audio / max(1e-9, np.max(np.abs(audio)))


def other_beeps(seconds, rng, rate=SAMPLE_RATE):
    """Appliance and phone beeps away from the alarm band: the near misses a detector must ignore."""
    n = int(round(seconds * rate))
    t = np.arange(n) / rate
    f0 = rng.uniform(700, 2500) if rng.random() < 0.7 else rng.uniform(4000, 6500)
    on, off = rng.uniform(0.05, 0.4), rng.uniform(0.05, 0.6)
    times, at = [], rng.uniform(0, 0.3)
    while at < seconds:
        times.append((at, at + on))
        at += on + off
    tone = np.sin(2 * np.pi * f0 * t) + 0.1 * np.sin(4 * np.pi * f0 * t)
    return tone * gate(times, n, rate) / 1.1


def breaking_glass(seconds, rng, rate=SAMPLE_RATE):
    """An impact, then shards ringing at bright, inharmonic frequencies: bright but not an alarm."""
    n = int(round(seconds * rate))
    audio = np.zeros(n)
    at = int(rng.uniform(0, 0.4 * seconds) * rate)
    length = n - at
    t = np.arange(length) / rate
    audio[at:] += rng.standard_normal(length) * np.exp(-t * rng.uniform(30, 80))
    for _ in range(int(rng.integers(5, 30))):
        start = at + int(rng.exponential(0.15) * rate)
        if start >= n:
            continue
        t = np.arange(n - start) / rate
        ring = sum(np.sin(2 * np.pi * rng.uniform(1500, 7500) * t + rng.uniform(0, 6.3))
                   for _ in range(int(rng.integers(2, 6))))
        audio[start:] += ring * np.exp(-t * rng.uniform(15, 80)) * rng.uniform(0.05, 0.5)
    return audio / max(1e-9, np.max(np.abs(audio)))
