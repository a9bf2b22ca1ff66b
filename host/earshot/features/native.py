"""ctypes binding of build/host/libfrontend.so: the frontend C core the board runs."""
import ctypes
import functools

import numpy as np

from earshot import native
from earshot.errors import NativeLibraryError

_I16P = ctypes.POINTER(ctypes.c_int16)
_I8P = ctypes.POINTER(ctypes.c_int8)
_SIZE = ctypes.c_size_t
_U32 = ctypes.c_uint32


def _signatures(lib):
    table = {
        "fe_status_message": ([ctypes.c_int], ctypes.c_char_p),
        "fe_spectrogram_bytes": ([_U32, _U32, _U32], _SIZE),
        "fe_spectrogram_init": ([ctypes.c_void_p, _U32, _U32, _U32], ctypes.c_int),
        "fe_spectrogram_reset": ([ctypes.c_void_p], None),
        "fe_spectrogram_signal": ([ctypes.c_void_p, _I16P, _SIZE, _I16P], _SIZE),
        "fe_spectrogram_process": (
            [ctypes.c_void_p, _I16P, _SIZE, _I16P, _SIZE, ctypes.POINTER(_SIZE)], _SIZE),
        "fe_quant_init": ([ctypes.c_void_p, _U32, ctypes.c_int32], ctypes.c_int),
        "fe_quant_s8": ([ctypes.c_void_p, _I16P, _SIZE, _SIZE, _I8P, _SIZE], None),
        "fe_mfcc_bytes": ([ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)], _SIZE),
        "fe_mfcc_init": ([ctypes.c_void_p, ctypes.c_void_p], ctypes.c_int),
        "fe_mfcc_reset": ([ctypes.c_void_p], None),
        "fe_mfcc_signal": ([ctypes.c_void_p, _I16P, _SIZE, _I16P], _SIZE),
        "fe_mfcc_process": (
            [ctypes.c_void_p, _I16P, _SIZE, _I16P, _SIZE, ctypes.POINTER(_SIZE)], _SIZE),
        "fe_mel_filters": ([_U32, _U32, _U32, _U32, _U32, ctypes.POINTER(ctypes.c_uint16),
                            ctypes.POINTER(ctypes.c_uint16), _I16P, ctypes.POINTER(_U32),
                            ctypes.POINTER(ctypes.c_int32)], ctypes.c_int),
        "fe_dct_matrix": ([_U32, _U32, _I16P], None),
        "fe_pdm_init": ([ctypes.c_void_p, _U32], ctypes.c_int),
        "fe_pdm_size": ([], _SIZE),
        "fe_vlog_q31": ([ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_int32), _SIZE], None),
        "fe_pdm_reset": ([ctypes.c_void_p], None),
        "fe_pdm_process": ([ctypes.c_void_p, ctypes.POINTER(_U32), _I16P, _SIZE], None),
        "fe_cmplx_mag_q15": ([_I16P, _I16P, _SIZE], None),
        "fe_cfft_forward_q15": ([_I16P, _U32], ctypes.c_int),
        "fe_sqrt_q30_to_q15": ([_U32], ctypes.c_int16),
        "fe_isqrt_u29": ([_U32], _U32),
    }
    for name, (args, res) in table.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = res


@functools.lru_cache(maxsize=None)
def lib():
    """The loaded library; raises NativeLibraryError when it is not built."""
    handle = native.load("frontend")
    _signatures(handle)
    return handle


def available():
    try:
        lib()
    except NativeLibraryError:
        return False
    return True


def i16p(a):
    return a.ctypes.data_as(_I16P)


def i8p(a):
    return a.ctypes.data_as(_I8P)


def check(status):
    if status != 0:
        raise ValueError(lib().fe_status_message(status).decode())


class Spectrogram:
    """A C fe_spectrogram_t in a numpy-owned block (stateful, for streaming)."""

    def __init__(self, frame=256, hop=128, fft=256):
        size = lib().fe_spectrogram_bytes(frame, hop, fft)
        self._memory = np.zeros(max(size, 64) // 8 + 1, dtype=np.uint64)
        check(lib().fe_spectrogram_init(self._memory.ctypes.data, frame, hop, fft))
        self.frame, self.hop, self.fft, self.bins = frame, hop, fft, fft // 2 + 1

    def signal(self, audio):
        n_columns = (len(audio) - self.frame) // self.hop + 1 if len(audio) >= self.frame else 0
        out = np.zeros((n_columns, self.bins), dtype=np.int16)
        lib().fe_spectrogram_signal(self._memory.ctypes.data, i16p(audio), len(audio), i16p(out))
        return out

    def process(self, samples, ring, position):
        """Feeds samples; writes columns into ring (columns, bins); returns (written, position)."""
        pos = _SIZE(position)
        written = lib().fe_spectrogram_process(
            self._memory.ctypes.data, i16p(samples), len(samples), i16p(ring), ring.shape[0],
            ctypes.byref(pos))
        return int(written), int(pos.value)

    def reset(self):
        lib().fe_spectrogram_reset(self._memory.ctypes.data)


class Quantizer:
    """A C fe_quant_t: Q15 -> int8 input forming (see earshot.features.quantize_input)."""

    def __init__(self, scale, zero_point):
        self._memory = np.zeros(320, dtype=np.uint64)  # more than sizeof(fe_quant_t) (2051)
        bits = int(np.array([scale], dtype=np.float32).view(np.uint32)[0])
        check(lib().fe_quant_init(self._memory.ctypes.data, bits, int(zero_point)))

    def to_int8(self, values, start=0, count=None):
        flat = np.ascontiguousarray(values, dtype=np.int16).reshape(-1)
        count = flat.size if count is None else count
        out = np.zeros(count, dtype=np.int8)
        lib().fe_quant_s8(self._memory.ctypes.data, i16p(flat), flat.size, start, i8p(out), count)
        return out


class PdmDecimator:
    """A C fe_pdm_t: 1-bit PDM words (MSB first) -> int16 PCM, state kept across calls."""

    def __init__(self, decimation=64):
        self._memory = np.zeros(lib().fe_pdm_size() // 8 + 1, dtype=np.uint64)
        check(lib().fe_pdm_init(self._memory.ctypes.data, int(decimation)))
        self.decimation = int(decimation)

    def process(self, words):
        words = np.ascontiguousarray(words, dtype=np.uint32)
        if (words.size * 32) % self.decimation:
            raise ValueError(f"{words.size} words do not hold a whole number of samples")
        out = np.zeros(words.size * 32 // self.decimation, dtype=np.int16)
        lib().fe_pdm_process(self._memory.ctypes.data, words.ctypes.data_as(ctypes.POINTER(_U32)),
                             i16p(out), out.size)
        return out

    def reset(self):
        lib().fe_pdm_reset(self._memory.ctypes.data)


class _MfccConfig(ctypes.Structure):
    _fields_ = [(name, _U32) for name in
                ("frame", "hop", "fft", "sample_rate", "fmin", "fmax", "bands", "coefficients")]


class Mfcc:
    """A C fe_mfcc_t: Q15 MFCC vectors (coefficients values, q8.7) per frame."""

    def __init__(self, frame=400, hop=160, fft=512, sample_rate=16000, fmin=0, fmax=8000, bands=40,
                 coefficients=20):
        self.config = _MfccConfig(frame, hop, fft, sample_rate, fmin, fmax, bands, coefficients)
        status = ctypes.c_int(0)
        size = lib().fe_mfcc_bytes(ctypes.byref(self.config), ctypes.byref(status))
        check(status.value)
        self._memory = np.zeros(size // 8 + 1, dtype=np.uint64)
        check(lib().fe_mfcc_init(self._memory.ctypes.data, ctypes.byref(self.config)))
        self.frame, self.hop, self.coefficients = frame, hop, coefficients

    def signal(self, audio):
        n = (len(audio) - self.frame) // self.hop + 1 if len(audio) >= self.frame else 0
        out = np.zeros((n, self.coefficients), dtype=np.int16)
        lib().fe_mfcc_signal(self._memory.ctypes.data, i16p(audio), len(audio), i16p(out))
        return out

    def process(self, samples, ring, position):
        pos = _SIZE(position)
        written = lib().fe_mfcc_process(self._memory.ctypes.data, i16p(samples), len(samples), i16p(ring),
                                        ring.shape[0], ctypes.byref(pos))
        return int(written), int(pos.value)


def mel_filters(sample_rate, fft, fmin, fmax, bands):
    """(positions, lengths, coefficients) of the core's mel filter bank."""
    bins = fft // 2 + 1
    pos = np.zeros(bands, dtype=np.uint16)
    length = np.zeros(bands, dtype=np.uint16)
    coefs = np.zeros(2 * bins, dtype=np.int16)
    count = _U32(0)
    scratch = np.zeros(bins, dtype=np.int32)
    check(lib().fe_mel_filters(sample_rate, fft, fmin, fmax, bands,
                               pos.ctypes.data_as(ctypes.POINTER(ctypes.c_uint16)),
                               length.ctypes.data_as(ctypes.POINTER(ctypes.c_uint16)), i16p(coefs),
                               ctypes.byref(count), scratch.ctypes.data_as(ctypes.POINTER(ctypes.c_int32))))
    return pos, length, coefs[: count.value]


def dct_matrix(coefficients, bands):
    out = np.zeros((coefficients, bands), dtype=np.int16)
    lib().fe_dct_matrix(coefficients, bands, i16p(out))
    return out
