"""How a sound reaches the microphone: distance, walls, room echo, and mixing at an SNR."""
import numpy as np
from scipy import signal

from earshot.data.wav import SAMPLE_RATE


def impulse_response(rng, rt60=None, distance_m=None, rate=SAMPLE_RATE):
    """A room: direct path, a few early reflections, and a decaying diffuse tail.

    Farther sources get relatively more reverberation (lower direct-to-reverberant ratio).
    """
    rt60 = rt60 if rt60 is not None else rng.uniform(0.15, 0.8)
    distance_m = distance_m if distance_m is not None else rng.uniform(0.5, 8)
    length = int(rt60 * rate)
    t = np.arange(length) / rate
    tail = rng.standard_normal(length) * np.exp(-6.9 * t / rt60)
    tail[: int(0.005 * rate)] = 0
    for _ in range(4):
        tail[int(rng.uniform(0.003, 0.03) * rate)] += rng.uniform(-0.6, 0.6) * np.sqrt(length) * 0.05
    tail *= 10 ** (-_direct_to_reverb_db(distance_m) / 20) / max(1e-9, np.sqrt(np.sum(tail ** 2)))
    tail[0] = 1.0
    return tail


def _direct_to_reverb_db(distance_m):
    # about 6 dB less direct sound per doubling of distance; equal to the tail near 2 m
    return 10 - 20 * np.log10(max(distance_m, 0.1) / 0.6)


def through_room(audio, rng, distance_m=None, rt60=None, wall=None, rate=SAMPLE_RATE):
    """The sound as heard across a room: optional wall/door low-pass, then the room's echo."""
    distance_m = distance_m if distance_m is not None else rng.uniform(0.5, 8)
    wall = wall if wall is not None else rng.random() < 0.25
    if wall:
        b, a = signal.butter(2, rng.uniform(1500, 5000), fs=rate)
        audio = signal.lfilter(b, a, audio)
    response = impulse_response(rng, rt60, distance_m, rate)
    return signal.fftconvolve(audio, response)[: len(audio)]


def microphone(audio, rng, rate=SAMPLE_RATE):
    """A cheap microphone: high-pass below 50-200 Hz and a gentle random tilt."""
    b, a = signal.butter(1, rng.uniform(50, 200), btype="highpass", fs=rate)
    audio = signal.lfilter(b, a, audio)
    b, a = signal.butter(1, rng.uniform(5000, 7800), fs=rate)
    return audio + rng.uniform(-0.3, 0) * (audio - signal.lfilter(b, a, audio))


def rms(audio):
    return float(np.sqrt(np.mean(np.square(audio)))) if len(audio) else 0.0


def active_rms(audio, floor_db=-30.0):
    """RMS over the samples within floor_db of the peak envelope: the level of a beep while it sounds."""
    envelope = np.abs(signal.hilbert(audio)) if len(audio) else audio
    if not len(audio) or np.max(envelope) == 0:
        return 0.0
    loud = envelope > np.max(envelope) * 10 ** (floor_db / 20)
    return rms(audio[loud])


def mix_at_snr(foreground, background, snr_db):
    """foreground + background scaled so that active foreground RMS / background RMS = snr_db."""
    level = active_rms(foreground)
    noise = rms(background)
    if level == 0 or noise == 0:
        return foreground + background
    return foreground + background * (level / noise) * 10 ** (-snr_db / 20)
