"""The spectrogram computed frame by frame with the `cmsisdsp` package (real CMSIS-DSP).

This is the independent reference the C core is tested against, and the fallback
backend of earshot.features while the host library is not built.
"""
import numpy as np

from earshot.features.window import hann_q15

RFFT_Q15_SIZES = (32, 64, 128, 256, 512, 1024, 2048, 4096, 8192)


def frame_magnitude_q15(frame_q15, window_q15, fft):
    """cmplx_mag_q15(rfft_q15(mult_q15(frame, window))) for one frame (frame padded to fft)."""
    import cmsisdsp as dsp

    windowed = np.zeros(fft, dtype=np.int16)
    windowed[: len(frame_q15)] = dsp.arm_mult_q15(frame_q15, window_q15)
    rfft = dsp.arm_rfft_instance_q15()
    if dsp.arm_rfft_init_q15(rfft, fft, 0, 1) != 0:
        raise ValueError(f"rfft_q15 does not support fft={fft}")
    spectrum = dsp.arm_rfft_q15(rfft, windowed)
    return dsp.arm_cmplx_mag_q15(spectrum[: fft + 2])


def spectrogram_q15(audio, frame, hop, fft):
    window = hann_q15(frame)
    n_columns = (len(audio) - frame) // hop + 1 if len(audio) >= frame else 0
    out = np.zeros((n_columns, fft // 2 + 1), dtype=np.int16)
    for c in range(n_columns):
        out[c] = frame_magnitude_q15(audio[c * hop : c * hop + frame], window, fft)
    return out
