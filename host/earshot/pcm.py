"""Host side of the pcm core: block levels for the energy gate, bit-identical to the board."""
import ctypes
import functools

import numpy as np

from earshot import native

_I16P = ctypes.POINTER(ctypes.c_int16)


@functools.lru_cache(maxsize=None)
def _lib():
    lib = native.load("pcm")
    for name in ("pcm_peak_s16", "pcm_mean_square_s16", "pcm_rms_s16"):
        fn = getattr(lib, name)
        fn.argtypes = [_I16P, ctypes.c_size_t]
        fn.restype = ctypes.c_uint32
    lib.pcm_energy_s16.argtypes = [_I16P, ctypes.c_size_t]
    lib.pcm_energy_s16.restype = ctypes.c_uint64
    lib.pcm_scale_s16.argtypes = [_I16P, ctypes.c_size_t, ctypes.c_int32]
    lib.pcm_scale_s16.restype = ctypes.c_size_t
    return lib


def _samples(block):
    block = np.asarray(block)
    if block.dtype != np.int16:
        raise TypeError(f"expected int16 samples, got {block.dtype}")
    return np.ascontiguousarray(block)


def _call(name, block):
    x = _samples(block)
    return int(getattr(_lib(), name)(x.ctypes.data_as(_I16P), x.size))


def peak(block):
    return _call("pcm_peak_s16", block)


def energy(block):
    return _call("pcm_energy_s16", block)


def mean_square(block):
    return _call("pcm_mean_square_s16", block)


def rms(block):
    return _call("pcm_rms_s16", block)


def scale(block, gain_q16):
    """Returns (scaled copy, clip count); the input is left untouched."""
    x = _samples(block).copy()
    clipped = _lib().pcm_scale_s16(x.ctypes.data_as(_I16P), x.size, int(gain_q16))
    return x, int(clipped)
