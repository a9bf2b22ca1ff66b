"""Float spectrograms with numpy, for plots and comparisons only (never for training).

Scaled like the Q15 path, so values are comparable to spectrogram_q15 / 32768:
rfft_q15 of n points divides by n, cmplx_mag_q15 returns magnitude / 2 (2.14 format).
"""
import numpy as np

from earshot.features.window import hann_q15


def spectrogram_float(audio, frame=256, hop=128, fft=256):
    """Magnitudes as float64, shape (n_columns, fft//2+1), in units of the Q15 output / 32768."""
    x = np.asarray(audio, dtype=np.float64) / 32768.0
    window = hann_q15(frame) / 32768.0
    n_columns = (len(x) - frame) // hop + 1 if len(x) >= frame else 0
    out = np.zeros((n_columns, fft // 2 + 1))
    for c in range(n_columns):
        spectrum = np.fft.rfft(x[c * hop : c * hop + frame] * window, n=fft)
        out[c] = np.abs(spectrum) / fft / 2.0
    return out
