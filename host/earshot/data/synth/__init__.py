"""Synthetic sounds for demos and tests: smoke alarms, sirens, doorbells, in backgrounds.

Calibrated on the real recordings in ../shared/data/fire_alarm: piezo fundamentals at
3.05 and 3.40 kHz (here 2.9-3.5 kHz) with harmonics 25-50 dB down, the temporal-three
pattern (3 x 0.5 s on / 0.5 s off, then 1.5 s off) and continuous beeping (0.25 s on,
0.085 s off). Each sound crosses a room (distance, optional wall, echo) and a cheap
microphone, and is mixed with backgrounds (white/pink/brown noise, mains hum, clatter,
babble, music-like tones) at a chosen signal-to-noise ratio.

  dataset(per_class=100, classes=("fire_alarm", "background"), seconds=1.0, seed=0,
          snr_db=(0, 30)) -> list[Clip]
  alarm_in_noise(seconds, bursts_at=(2.0,), snr_db=10.0, seed=0, pattern="temporal3",
                 burst_seconds=None) -> (int16 audio, [(start_s, end_s), ...])

Known classes: fire_alarm, background, siren, doorbell, beeps, glass. When siren, doorbell,
beeps or glass are not classes of their own, some background clips carry them as distractors.
The same seed gives the same clips; clip i of a class does not depend on per_class.
"""
import numpy as np

from earshot.data.clip import Clip
from earshot.data.synth.backgrounds import mixed_background
from earshot.data.synth.events import (ALARM_BAND, alarm_tone, beep_times, breaking_glass, doorbell, gate, other_beeps,
                                       siren, smoke_alarm)
from earshot.data.synth.room import active_rms, microphone, mix_at_snr, through_room
from earshot.data.wav import SAMPLE_RATE, to_int16
from earshot.errors import DataError

CLASSES = ("fire_alarm", "background", "siren", "doorbell", "beeps", "glass")
DISTRACTORS = {"siren": siren, "doorbell": doorbell, "beeps": other_beeps, "glass": breaking_glass}
DISTRACTOR_SHARE = 0.3

__all__ = ["CLASSES", "ALARM_BAND", "dataset", "alarm_in_noise", "beep_times"]


def dataset(per_class=100, classes=("fire_alarm", "background"), seconds=1.0, seed=0, snr_db=(0.0, 30.0)):
    """per_class synthetic clips of each class, `seconds` long, 16 kHz int16."""
    unknown = [c for c in classes if c not in CLASSES]
    if unknown:
        raise DataError(f"no synthetic generator for {unknown}; known: {list(CLASSES)}")
    if per_class < 1 or seconds <= 0:
        raise DataError(f"per_class must be >= 1 and seconds > 0, got {per_class} and {seconds}")
    distractors = [name for name in DISTRACTORS if name not in classes]
    clips = []
    for label in classes:
        for i in range(per_class):
            rng = np.random.default_rng([seed, CLASSES.index(label), i])
            audio = _clip(label, seconds, rng, snr_db, distractors)
            clips.append(Clip(audio, label, f"synth-{seed}-{label}-{i}"))
    return clips


def alarm_in_noise(seconds, bursts_at=(2.0,), snr_db=10.0, seed=0, pattern="temporal3", burst_seconds=None):
    """A long recording with smoke-alarm bursts starting at `bursts_at` (seconds) in background.

    A burst is one temporal-three group (3 beeps), or one beep for "continuous", unless
    burst_seconds is given: then beeps start until at + burst_seconds.
    Returns (int16 audio at 16 kHz, [(first beep on, last beep off) per burst]).
    """
    rng = np.random.default_rng(seed)
    n = int(round(seconds * SAMPLE_RATE))
    times, events = [], []
    for k, at in enumerate(sorted(bursts_at)):
        if not 0 <= at < seconds:
            raise DataError(f"burst at {at} s is outside the {seconds} s recording")
        beeps = beep_times(pattern, seconds, np.random.default_rng([seed, k]), start=at)
        if burst_seconds is None:
            beeps = beeps[:3 if pattern == "temporal3" else 1]
        else:
            beeps = [(a, b) for a, b in beeps if a < at + burst_seconds]
        times += beeps
        events.append((round(beeps[0][0], 4), round(beeps[-1][1], 4)))
    foreground = alarm_tone(n, rng) * gate(times, n, SAMPLE_RATE)
    heard = microphone(through_room(foreground, rng, distance_m=rng.uniform(1, 5)), rng)
    audio = mix_at_snr(heard, mixed_background(seconds, rng), snr_db)
    return to_int16(audio * 0.5 / max(1e-9, np.max(np.abs(audio)))), events


def _clip(label, seconds, rng, snr_db, distractors):
    background = mixed_background(seconds, rng)
    if label == "background":
        if distractors and rng.random() < DISTRACTOR_SHARE:
            name = distractors[int(rng.integers(len(distractors)))]
            return _finish(_heard(DISTRACTORS[name](seconds, rng), rng), background, snr_db, rng)
        return _finish(np.zeros_like(background), background, snr_db, rng)
    if label == "fire_alarm":
        start = rng.uniform(-0.35, max(-0.3, min(0.5, seconds - 0.3)))
        sound, _ = smoke_alarm(seconds, rng, start=start)
    else:
        sound = DISTRACTORS[label](seconds, rng)
    return _finish(_heard(sound, rng), background, snr_db, rng)


def _heard(sound, rng):
    return microphone(through_room(sound, rng), rng)


def _finish(foreground, background, snr_db, rng):
    """Mix at a random SNR from the range, then set a random overall level (peak -30..-1 dBFS)."""
    snr = rng.uniform(*snr_db) if isinstance(snr_db, (tuple, list)) else float(snr_db)
    audio = mix_at_snr(foreground, background, snr) if active_rms(foreground) > 0 else background
    peak = max(1e-9, np.max(np.abs(audio)))
    return to_int16(audio / peak * 10 ** (rng.uniform(-30, -1) / 20))
