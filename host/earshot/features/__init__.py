"""Q15 audio features, the same bytes the board computes (mpy_modules/frontend's C core).

    spectrogram_q15(audio, frame=256, hop=128, fft=256)   -> (n_columns, fft//2+1) int16
    window_spectrogram_q15(audio_1s)                       -> 124 x 129 for 1 s at 16 kHz
    quantize_input(q15_values, scale, zero_point)          -> int8, same shape
    mfcc_q15(audio, frame=400, hop=160, fft=512, ...)      -> (n_frames, coefficients) int16, q8.7
    pdm_to_pcm(words, decimation=64)                       -> int16 PCM
    hann_q15(n)                                            -> the Q15 window (periodic Hann)
    float_reference.spectrogram_float / mfcc_float         -> float64, for plots only

Spectrogram column = cmplx_mag_q15(rfft_q15(mult_q15(frame, hann_q15))) exactly as
CMSIS-DSP computes it (frame zero-padded to fft when shorter). Columns start every
`hop` samples: n_columns = (len(audio) - frame) // hop + 1 (0 when audio is shorter
than one frame; zero samples is an error). Each column has fft // 2 + 1 bins, int16,
non-negative (2.14 format: 0..23170).

Convention for the network: the float model sees q15 / 32768.0 (so a column value v
is fed as v / 32768). The int8 model input is formed from the Q15 values by
quantize_input(), which is exactly clamp(zero_point + round_half_away(q15 / 32768 /
scale), -128, 127) with scale taken as float32 (what the .tflite stores).

Backend: build/host/libfrontend.so (make modules). Without it, spectrogram_q15 falls
back to the `cmsisdsp` package frame by frame (same bytes, slower); the rest need it.
"""
import functools

import numpy as np

from earshot.features import cmsis_reference, native
from earshot.features.window import hann_q15

SAMPLE_RATE = 16000

__all__ = [
    "SAMPLE_RATE",
    "hann_q15",
    "mfcc_q15",
    "pdm_to_pcm",
    "quantize_input",
    "spectrogram_q15",
    "window_spectrogram_q15",
]


def _check_audio(audio):
    audio = np.asarray(audio)
    if audio.dtype != np.int16:
        raise ValueError(f"expected int16 audio, got {audio.dtype}")
    if audio.ndim != 1:
        raise ValueError(f"expected 1-D audio, got shape {audio.shape}")
    if audio.size == 0:
        raise ValueError("expected audio, got zero samples")
    return np.ascontiguousarray(audio)


def _check_sizes(frame, hop, fft):
    if fft not in cmsis_reference.RFFT_Q15_SIZES:
        raise ValueError(f"fft={fft} is not a size rfft_q15 supports {cmsis_reference.RFFT_Q15_SIZES}")
    if not 1 <= frame <= fft:
        raise ValueError(f"frame={frame} must be in 1..fft ({fft})")
    if hop < 1:
        raise ValueError(f"hop={hop} must be positive")


def spectrogram_q15(audio, frame=256, hop=128, fft=256):
    """int16 audio -> int16 array (n_columns, fft // 2 + 1), byte-identical to the board."""
    audio = _check_audio(audio)
    _check_sizes(frame, hop, fft)
    if not native.available():
        return cmsis_reference.spectrogram_q15(audio, frame, hop, fft)
    return _native_spectrogram(frame, hop, fft).signal(audio)


@functools.lru_cache(maxsize=8)
def _native_spectrogram(frame, hop, fft):
    return native.Spectrogram(frame, hop, fft)


@functools.lru_cache(maxsize=32)
def _quantizer(scale, zero_point):
    return native.Quantizer(scale, zero_point)


def quantize_input(q15_values, scale, zero_point):
    """Q15 features -> int8 network input, by the board's C code (any shape kept).

    int8 = clamp(zero_point + round_half_away(q15 / 32768 / scale), -128, 127), exact;
    scale is used as float32 (as the model stores it).
    """
    values = np.asarray(q15_values)
    if values.dtype != np.int16:
        raise ValueError(f"expected int16 Q15 values, got {values.dtype}")
    scale32 = np.float32(scale)
    if not np.isfinite(scale32) or scale32 <= 0:
        raise ValueError(f"scale must be a positive finite float32, got {scale}")
    out = _quantizer(float(scale32), int(zero_point)).to_int8(values)
    return out.reshape(values.shape)


def window_spectrogram_q15(audio_1s, frame=256, hop=128, fft=256):
    """Spectrogram of one clip (e.g. 1 s at 16 kHz -> 124 columns x 129 bins)."""
    return spectrogram_q15(audio_1s, frame=frame, hop=hop, fft=fft)


def pdm_to_pcm(words, decimation=64):
    """1-bit PDM packed in uint32 words (first bit in the MSB, as the board's PIO
    delivers them) -> int16 PCM at bit rate / decimation, by the board's C code."""
    words = np.asarray(words)
    if words.dtype != np.uint32 or words.ndim != 1 or words.size == 0:
        raise ValueError("expected a non-empty 1-D uint32 array of PDM words")
    return native.PdmDecimator(decimation).process(words)


def mfcc_q15(audio, frame=400, hop=160, fft=512, sample_rate=SAMPLE_RATE, fmin=0, fmax=None, bands=40,
             coefficients=20):
    """int16 audio -> int16 MFCC (n_frames, coefficients) in q8.7, byte-identical to the
    board: CMSIS-DSP's arm_mfcc_q15 computation on the core's integer-built tables
    (HTK mel triangles from fmin to fmax, orthonormal DCT-II; see core/fe_mel.h).
    n_frames = (len(audio) - frame) // hop + 1; a frame shorter than fft is zero-padded."""
    audio = _check_audio(audio)
    fmax = sample_rate // 2 if fmax is None else fmax
    key = (frame, hop, fft, sample_rate, fmin, fmax, bands, coefficients)
    return _native_mfcc(*key).signal(audio)


@functools.lru_cache(maxsize=8)
def _native_mfcc(*key):
    return native.Mfcc(*key)
