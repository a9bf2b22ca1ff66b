"""Synthetic "songs" in three genres, for tests and smoke runs (no GTZAN here).

Each genre differs in rhythm and timbre the way the real ones do, crudely:
  disco  four-on-the-floor kick, off-beat open hi-hats, octave-jumping saw bass, 110-130 BPM
  jazz   swung ride cymbal, walking sine bass, soft piano chords, no kick drum, 120-200 BPM
  metal  distorted power chords (clipped saws), double-bass 16th-note kicks, crash noise, 140-200 BPM

    song(genre, seconds, rng, rate) -> float audio, RMS about 0.1
    songs(per_genre, genres, seconds, rate, seed) -> list[(genre, song id, int16 audio)]
"""
import numpy as np
from scipy import signal

from earshot.data.wav import to_int16
from earshot.errors import DataError

GENRES = ("disco", "jazz", "metal")


def _decay(length, rate, per_second):
    return np.exp(-np.arange(length) / rate * per_second)


def _place(audio, sound, at):
    at = int(at)
    if at >= len(audio):
        return
    end = min(len(audio), at + len(sound))
    audio[at:end] += sound[:end - at]


def _kick(rate, rng):
    n = int(0.18 * rate)
    t = np.arange(n) / rate
    sweep = 45 + 90 * np.exp(-t * 35)
    return np.sin(2 * np.pi * np.cumsum(sweep) / rate) * _decay(n, rate, 18)


def _noise_hit(rate, rng, seconds, decay, low, high):
    n = int(seconds * rate)
    b, a = signal.butter(2, [low / (rate / 2), min(0.99, high / (rate / 2))], btype="band")
    return signal.lfilter(b, a, rng.standard_normal(n)) * _decay(n, rate, decay)


def _saw(freq, n, rate, phase=0.0):
    return 2 * ((np.arange(n) * freq / rate + phase) % 1.0) - 1


def _disco(seconds, rng, rate):
    n = int(seconds * rate)
    beat = 60 / rng.uniform(110, 130)
    audio = np.zeros(n)
    root = rng.uniform(45, 70)
    kick, hat = _kick(rate, rng), _noise_hit(rate, rng, 0.12, 30, 6000, 10000)
    start = rng.uniform(0, beat)
    for i, at in enumerate(np.arange(start - beat, seconds, beat / 2)):
        if at < 0:
            continue
        if i % 2 == 0:
            _place(audio, kick, at * rate)
        else:
            _place(audio, 0.5 * hat, at * rate)
        note = root * (2 if i % 2 else 1)
        length = int(beat / 2 * rate)
        _place(audio, 0.25 * _saw(note, length, rate) * _decay(length, rate, 6), at * rate)
    return audio


def _jazz(seconds, rng, rate):
    n = int(seconds * rate)
    beat = 60 / rng.uniform(120, 200)
    audio = np.zeros(n)
    ride = _noise_hit(rate, rng, 0.5, 5, 3000, 9000)
    root = rng.uniform(80, 130)
    walk = np.array([0, 2, 4, 5, 7, 9, 10, 12])
    for at in np.arange(rng.uniform(0, beat), seconds, beat):
        _place(audio, 0.35 * ride, at * rate)
        _place(audio, 0.25 * ride, (at + beat * 2 / 3) * rate)  # the swung upbeat
        length = int(beat * rate)
        t = np.arange(length) / rate
        bass = root / 2 * 2 ** (rng.choice(walk) / 12)
        _place(audio, 0.5 * np.sin(2 * np.pi * bass * t) * _decay(length, rate, 3), at * rate)
        if rng.random() < 0.4:
            chord = root * 2 ** (np.array([0, 4, 7, 11]) / 12 + rng.integers(0, 2))
            tone = sum(np.sin(2 * np.pi * f * k * t) / k ** 2 for f in chord for k in (1, 2, 3))
            _place(audio, 0.12 * tone * _decay(length, rate, 4), (at + beat / 3) * rate)
    return audio


def _metal(seconds, rng, rate):
    n = int(seconds * rate)
    beat = 60 / rng.uniform(140, 200)
    audio = np.zeros(n)
    kick, crash = _kick(rate, rng), _noise_hit(rate, rng, 0.8, 3, 3000, 10000)
    root = rng.uniform(70, 110)
    for at in np.arange(0, seconds, beat / 4):
        _place(audio, 0.6 * kick, at * rate)
    for at in np.arange(rng.uniform(0, beat), seconds, beat):
        length = int(beat * rate)
        note = root * 2 ** (rng.choice([0, 3, 5, 7]) / 12)
        guitar = _saw(note, length, rate) + _saw(note * 1.5, length, rate, 0.3) + _saw(note * 2, length, rate, 0.6)
        _place(audio, 0.4 * np.tanh(6 * guitar), at * rate)
        if rng.random() < 0.2:
            _place(audio, 0.4 * crash, at * rate)
    return audio


_MAKERS = {"disco": _disco, "jazz": _jazz, "metal": _metal}


def song(genre, seconds, rng, rate):
    """One synthetic song, float, RMS about 0.1 (level varies a little)."""
    if genre not in _MAKERS:
        raise DataError(f"no synthetic generator for genre {genre!r}; known: {list(GENRES)}")
    audio = _MAKERS[genre](seconds, rng, rate)
    audio = audio + 10 ** (rng.uniform(-45, -30) / 20) * rng.standard_normal(len(audio))
    return audio / max(1e-9, np.sqrt(np.mean(audio ** 2))) * 0.1 * 10 ** (rng.uniform(-6, 3) / 20)


def songs(per_genre, genres=GENRES, seconds=5.0, rate=22050, seed=0):
    """per_genre songs of each genre: [(genre, song id, int16 audio)], reproducible by seed."""
    out = []
    for g, genre in enumerate(genres):
        for i in range(per_genre):
            rng = np.random.default_rng([seed, g, i])
            out.append((genre, f"{genre}/song{i:03d}", to_int16(song(genre, seconds, rng, rate))))
    return out
