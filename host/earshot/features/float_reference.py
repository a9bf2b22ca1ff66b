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


def mfcc_float(audio, frame=400, hop=160, fft=512, sample_rate=16000, fmin=0, fmax=8000, bands=40,
               coefficients=20):
    """MFCC in float64, in the units of mfcc_q15 (q8.7: 128 x DCT(ln(mel energies)))."""
    import cmsisdsp.datatype as dt
    import cmsisdsp.mfcc as mf

    lengths, positions, coefs = mf.melFilterMatrix(dt.F64, fmin, fmax, bands, sample_rate, fft)
    weights = np.zeros((bands, fft // 2 + 1))
    at = 0
    for band, (start, length) in enumerate(zip(positions, lengths)):
        weights[band, start : start + length] = coefs[at : at + length]
        at += length
    dct = np.asarray(mf.dctMatrix(dt.F64, coefficients, bands)).reshape(coefficients, bands)
    x = np.asarray(audio, dtype=np.float64) / 32768.0
    window = hann_q15(frame) / 32768.0
    n_frames = (len(x) - frame) // hop + 1 if len(x) >= frame else 0
    out = np.zeros((n_frames, coefficients))
    for f in range(n_frames):
        magnitude = np.abs(np.fft.rfft(x[f * hop : f * hop + frame] * window, n=fft))
        out[f] = 128.0 * dct @ np.log(np.maximum(weights @ magnitude, 1e-12))
    return out
