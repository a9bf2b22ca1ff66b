"""Windows of int16 audio -> the float network input the board's int8 input is made from."""
import numpy as np

from earshot.errors import DataError
from earshot.features import spectrogram_q15


def network_input(windows, frame=256, hop=128, fft=256):
    """(n, samples) int16 -> float32 (n, columns, bins, 1) = spectrogram_q15 / 32768."""
    windows = np.asarray(windows)
    if windows.ndim != 2 or windows.dtype != np.int16:
        raise DataError(f"expected (n, samples) int16 windows, got {windows.dtype} {windows.shape}")
    columns = (windows.shape[1] - frame) // hop + 1
    out = np.empty((len(windows), columns, fft // 2 + 1, 1), dtype=np.float32)
    for i, window in enumerate(windows):
        out[i, :, :, 0] = spectrogram_q15(window, frame=frame, hop=hop, fft=fft)
    out /= 32768.0
    return out
