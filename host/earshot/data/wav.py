"""Reading audio files: any WAV in, 16 kHz mono int16 out."""
import math
import struct
import warnings
from pathlib import Path

import numpy as np
from scipy import signal

from earshot.errors import DataError

SAMPLE_RATE = 16000


def read_wav(path, rate=SAMPLE_RATE):
    """Read a WAV (any rate, channel count, 8/16/24/32-bit int or float) as mono int16 at `rate`.

    Channels are averaged; the rate is changed with a polyphase filter (anti-aliased),
    never by dropping samples. Raises DataError naming the file when it cannot be read
    or holds no samples.
    """
    data, file_rate = _read_float(path)
    if data.ndim == 2:
        data = data.mean(axis=1)
    if data.size == 0:
        raise DataError(f"{path}: holds no audio samples", hint="the file is empty or its data chunk is cut off")
    if not np.all(np.isfinite(data)):
        raise DataError(f"{path}: holds NaN or infinite samples")
    return to_int16(resample(data, file_rate, rate))


def resample(audio, from_rate, to_rate):
    """Change the sample rate with scipy's polyphase resampler (float in, float out)."""
    from_rate, to_rate = int(from_rate), int(to_rate)
    if from_rate <= 0 or to_rate <= 0:
        raise DataError(f"cannot resample from {from_rate} Hz to {to_rate} Hz")
    if from_rate == to_rate:
        return np.asarray(audio, dtype=np.float64)
    common = math.gcd(from_rate, to_rate)
    return signal.resample_poly(np.asarray(audio, dtype=np.float64), to_rate // common, from_rate // common)


def to_int16(audio):
    """Float samples in [-1, 1) to int16, rounded and saturated."""
    return np.clip(np.round(np.asarray(audio, dtype=np.float64) * 32768.0), -32768, 32767).astype(np.int16)


def write_wav(path, audio, rate=SAMPLE_RATE):
    """Write int16 samples (mono, or (n, channels)) as a 16-bit PCM WAV."""
    import soundfile

    audio = np.asarray(audio)
    if audio.dtype != np.int16:
        raise DataError(f"{path}: expected int16 samples to write, got {audio.dtype}")
    soundfile.write(str(path), audio, int(rate), subtype="PCM_16", format="WAV")


def _read_float(path):
    """(samples as float64 in [-1, 1], rate); soundfile first, scipy as the fallback."""
    if not Path(path).is_file():
        raise DataError(f"{path}: no such file")
    import soundfile

    try:
        data, file_rate = soundfile.read(str(path), dtype="float64", always_2d=False)
        return data, file_rate
    except (RuntimeError, soundfile.LibsndfileError, ValueError) as first:
        try:
            return _read_scipy(path)
        except (OSError, ValueError, EOFError, struct.error) as second:
            raise DataError(f"{path}: cannot read as WAV ({first}; {second})",
                            hint="convert it to a PCM or float WAV") from second


def _read_scipy(path):
    from scipy.io import wavfile

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", wavfile.WavFileWarning)
        file_rate, data = wavfile.read(str(path))
    if data.dtype == np.uint8:
        return (data.astype(np.float64) - 128.0) / 128.0, file_rate
    if np.issubdtype(data.dtype, np.integer):
        return data.astype(np.float64) / float(-np.iinfo(data.dtype).min), file_rate
    if np.issubdtype(data.dtype, np.floating):
        return data.astype(np.float64), file_rate
    raise ValueError(f"unsupported sample type {data.dtype}")
