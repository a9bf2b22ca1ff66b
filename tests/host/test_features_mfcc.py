"""MFCC of the frontend core: tables against cmsisdsp.mfcc's float64 helpers, and the
whole computation byte for byte against cmsisdsp.arm_mfcc_q15 given the same tables."""
import numpy as np
import pytest

from earshot import features
from earshot.features import native
from earshot.features.window import hann_q15

CONFIGS = [
    # frame, hop, fft, rate, fmin, fmax, bands, coefficients
    (400, 160, 512, 16000, 0, 8000, 40, 20),  # the cascaded-MFCC design
    (512, 256, 512, 16000, 20, 7600, 32, 13),
    (256, 128, 256, 16000, 50, 8000, 20, 10),
    (256, 256, 256, 8000, 0, 4000, 16, 16),
]


def reference_tables(rate, fft, fmin, fmax, bands, coefficients):
    import cmsisdsp.datatype as dt
    import cmsisdsp.mfcc as mf

    lengths, positions, coefs = mf.melFilterMatrix(dt.Q15, fmin, fmax, bands, rate, fft)
    dct = mf.dctMatrix(dt.Q15, coefficients, bands).reshape(coefficients, bands)
    return np.array(positions), np.array(lengths), np.asarray(coefs), dct


@pytest.mark.parametrize("config", CONFIGS)
def test_tables_within_one_q15_step_of_cmsis_float_helpers(config):
    frame, hop, fft, rate, fmin, fmax, bands, coefficients = config
    positions, lengths, coefs = native.mel_filters(rate, fft, fmin, fmax, bands)
    ref_positions, ref_lengths, ref_coefs, ref_dct = reference_tables(rate, fft, fmin, fmax, bands, coefficients)
    assert np.array_equal(positions, ref_positions)
    assert np.array_equal(lengths, ref_lengths)
    assert np.max(np.abs(coefs.astype(int) - ref_coefs.astype(int))) <= 1
    assert np.max(np.abs(native.dct_matrix(coefficients, bands).astype(int) - ref_dct.astype(int))) <= 1


def cmsis_mfcc(audio, config):
    import cmsisdsp as dsp

    frame, hop, fft, rate, fmin, fmax, bands, coefficients = config
    positions, lengths, coefs = native.mel_filters(rate, fft, fmin, fmax, bands)
    dct = native.dct_matrix(coefficients, bands)
    window = np.zeros(fft, dtype=np.int16)
    window[:frame] = hann_q15(frame)
    instance = dsp.arm_mfcc_instance_q15()
    assert dsp.arm_mfcc_init_q15(instance, fft, bands, coefficients, dct.reshape(-1), positions.astype(np.uint32),
                                 lengths.astype(np.uint32), coefs, window) == 0
    tmp = np.zeros(2 * fft, dtype=np.int32)
    out = []
    for start in range(0, len(audio) - frame + 1, hop):
        x = np.zeros(fft, dtype=np.int16)
        x[:frame] = audio[start : start + frame]
        status, vector = dsp.arm_mfcc_q15(instance, x, tmp)
        out.append(vector)
    return np.array(out).reshape(-1, coefficients)


def signals():
    rng = np.random.default_rng(8)
    t = np.arange(6000) / 16000
    return {
        "noise": rng.integers(-12000, 12000, 6000).astype(np.int16),
        "quiet": rng.integers(-3, 4, 6000).astype(np.int16),
        "silence": np.zeros(3000, dtype=np.int16),
        "full scale sine": (np.sin(2 * np.pi * 440 * t) * 32767).astype(np.int16),
        "clipped": np.clip(np.sin(2 * np.pi * 1000 * t) * 90000, -32768, 32767).astype(np.int16),
        "peak 32767": np.where(np.arange(3000) == 100, 32767, 0).astype(np.int16),
    }


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("name", list(signals()))
def test_mfcc_equals_cmsis_arm_mfcc_q15(config, name):
    audio = signals()[name]
    frame, hop, fft, rate, fmin, fmax, bands, coefficients = config
    ours = features.mfcc_q15(audio, frame, hop, fft, rate, fmin, fmax, bands, coefficients)
    assert np.array_equal(ours, cmsis_mfcc(audio, config))


def test_real_recording(shared_data):
    import soundfile as sf

    audio, rate = sf.read(sorted((shared_data / "glass_break" / "audio").glob("*.wav"))[0], dtype="int16")
    assert np.array_equal(features.mfcc_q15(audio), cmsis_mfcc(audio, CONFIGS[0]))


def test_streaming_equals_whole_signal():
    audio = signals()["noise"]
    mfcc = native.Mfcc(*CONFIGS[0])
    expected = features.mfcc_q15(audio)
    ring = np.zeros((5, 20), dtype=np.int16)
    got, position, rng = [], 0, np.random.default_rng(2)
    start = 0
    while start < len(audio):
        block = audio[start : start + int(rng.integers(0, 500))]
        start += len(block)
        written, new_position = mfcc.process(block, ring, position)
        got += [ring[(position + i) % 5].copy() for i in range(written)]
        position = new_position
    assert np.array_equal(np.array(got), expected)


@pytest.mark.parametrize(
    "kwargs, message",
    [({"fft": 1024}, "fft size"), ({"frame": 300}, "frame"), ({"bands": 300}, "bands"),
     ({"bands": 200, "fft": 256, "frame": 256}, "bands"), ({"coefficients": 41}, "coefficients"),
     ({"fmax": 9000}, "fmin < fmax"), ({"fmin": 4000, "fmax": 3000}, "fmin < fmax"),
     ({"sample_rate": 0}, "sample_rate"), ({"hop": 0}, "hop")],
)
def test_bad_configurations_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        features.mfcc_q15(np.zeros(1000, dtype=np.int16), **kwargs)


def test_float_reference_tracks_q15_on_broadband_sound():
    """For plots: the float64 MFCC agrees in q8.7 units where Q15 has the dynamic range
    (broadband sound; narrow tones leave bands at the Q15 floor, where logs differ)."""
    from earshot.features import float_reference

    audio = np.random.default_rng(0).integers(-20000, 20000, 4000).astype(np.int16)
    difference = np.abs(features.mfcc_q15(audio) - float_reference.mfcc_float(audio))
    assert difference.mean() < 2.0 and difference.max() < 16.0


def test_log_equals_cmsis_arm_vlog_q31():
    """The core's faster arm_vlog_q31 (used by the MFCC) on random, edge and small inputs."""
    import ctypes

    import cmsisdsp as dsp

    rng = np.random.default_rng(9)
    powers = 2 ** np.arange(31, dtype=np.int64)
    x = np.concatenate([rng.integers(-2**31, 2**31, 200000), rng.integers(0, 5000, 20000), powers, powers - 1,
                        powers + 1, [0, -1, -2**31, 2**31 - 1]]).astype(np.int32)
    out = np.zeros_like(x)
    pointer = ctypes.POINTER(ctypes.c_int32)
    native.lib().fe_vlog_q31(x.ctypes.data_as(pointer), out.ctypes.data_as(pointer), x.size)
    assert np.array_equal(out, dsp.arm_vlog_q31(x))
