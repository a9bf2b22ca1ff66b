"""Shared, cached pieces for the trainer tests: TensorFlow work is done once per session."""
import functools
import tempfile
from pathlib import Path

import numpy as np

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FIXTURE_MODEL = Path(__file__).parent / "fixtures" / "fire_alarm_int8.tflite"


def tones_and_noise(count, seed=0, samples=16000):
    """int16 windows: even = noise, odd = noise plus a 3 kHz tone; labels 0/1."""
    rng = np.random.default_rng(seed)
    t = np.arange(samples) / 16000
    audio = [rng.normal(0, 500, samples) + (i % 2) * 5000 * np.sin(2 * np.pi * 3100 * t) for i in range(count)]
    return np.clip(audio, -32768, 32767).astype(np.int16), np.arange(count) % 2


@functools.lru_cache(maxsize=None)
def tiny_demo():
    """The fire-alarm demo in tiny mode, with the real recordings when they are present."""
    from earshot.recipes import fire_alarm

    out = Path(tempfile.mkdtemp(prefix="earshot-demo-"))
    config = fire_alarm.Config(out=str(out), size="tiny", verbose=False,
                               shared_data=str(SHARED_DATA) if SHARED_DATA.is_dir() else None)
    return fire_alarm.run(config), out
