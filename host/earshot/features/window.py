"""The Q15 analysis window shared by the host and the board.

Periodic Hann (scipy.signal.get_window("hann", n)), w[i] = 0.5 - 0.5*cos(2*pi*i/n),
scaled by 32768, rounded to nearest, clipped to 32767. The C tables in
build/frontend_gen/ are generated from this function (mpy_modules/frontend/tools/).
"""
import functools

import numpy as np


@functools.lru_cache(maxsize=None)
def _hann_q15(n):
    i = np.arange(n, dtype=np.float64)
    w = 0.5 - 0.5 * np.cos(2.0 * np.pi * i / n)
    q = np.clip(np.round(w * 32768.0), 0, 32767).astype(np.int16)
    q.setflags(write=False)
    return q


def hann_q15(n):
    """Periodic Hann window of n samples as int16 Q15 (read-only array)."""
    if int(n) < 1:
        raise ValueError(f"window length must be positive, got {n}")
    return _hann_q15(int(n))
