"""The frontend C core (build/host/libfrontend.so) against the real CMSIS-DSP (`cmsisdsp`).

Every check compares bytes with cmsisdsp frame by frame, or with a float64 formula;
never the core with itself.
"""
import numpy as np
import pytest

from earshot import features
from earshot.features import cmsis_reference, native

SIZES = [(256, 128, 256), (400, 160, 512), (512, 256, 512), (256, 100, 512)]


def assert_same_as_cmsis(audio, frame=256, hop=128, fft=256):
    ours = native.Spectrogram(frame, hop, fft).signal(audio)
    reference = cmsis_reference.spectrogram_q15(audio, frame, hop, fft)
    assert ours.shape == reference.shape
    mismatched = np.argwhere(ours != reference)
    assert mismatched.size == 0, f"first mismatches (column, bin): {mismatched[:5].tolist()}"


def sine(freq, amplitude, n=8000, rate=16000):
    t = np.arange(n) / rate
    return np.clip(np.round(amplitude * np.sin(2 * np.pi * freq * t)), -32768, 32767).astype(np.int16)


def test_native_library_is_what_features_uses():
    assert native.available()


@pytest.mark.parametrize("frame, hop, fft", SIZES)
def test_random_signals(frame, hop, fft):
    rng = np.random.default_rng(frame + hop + fft)
    for scale in (32768, 3000, 40, 2):
        audio = rng.integers(-scale, scale, 6000).astype(np.int16)
        assert_same_as_cmsis(audio, frame, hop, fft)


@pytest.mark.parametrize("freq", [62.5, 1000.0, 3000.0, 3433.0, 7999.0])
def test_full_scale_sines(freq):
    assert_same_as_cmsis(sine(freq, 32767))
    assert_same_as_cmsis(sine(freq, 32767), 400, 160, 512)


def test_silence_clipping_and_extremes():
    assert_same_as_cmsis(np.zeros(4000, dtype=np.int16))
    assert_same_as_cmsis(sine(440.0, 90000))  # clipped square-ish wave
    square = np.where(np.arange(4000) % 64 < 32, -32768, 32767).astype(np.int16)
    assert_same_as_cmsis(square)
    assert_same_as_cmsis(np.full(4000, -32768, dtype=np.int16))
    impulses = np.zeros(4000, dtype=np.int16)
    impulses[::97] = -32768
    assert_same_as_cmsis(impulses, 400, 160, 512)


def test_real_recordings(shared_data):
    import soundfile as sf
    from scipy.signal import resample_poly

    alarm, rate = sf.read(shared_data / "fire_alarm" / "smoke_alarm_bsb0800.wav", dtype="int16")
    assert rate == 48000
    alarm16 = np.clip(np.round(resample_poly(alarm.astype(np.float64), 1, 3)), -32768, 32767)
    assert_same_as_cmsis(alarm16.astype(np.int16)[: 16000 * 4])
    clips = sorted((shared_data / "glass_break" / "audio").glob("*.wav"))[:6]
    for clip in clips:
        audio, rate = sf.read(clip, dtype="int16")
        assert rate == 16000
        assert_same_as_cmsis(audio)
        assert_same_as_cmsis(audio, 400, 160, 512)


def test_streaming_in_odd_blocks_equals_whole_signal():
    rng = np.random.default_rng(7)
    audio = rng.integers(-20000, 20000, 9000).astype(np.int16)
    for frame, hop, fft in SIZES + [(256, 300, 256)]:
        sp = native.Spectrogram(frame, hop, fft)
        expected = cmsis_reference.spectrogram_q15(audio, frame, hop, fft)
        ring = np.zeros((7, fft // 2 + 1), dtype=np.int16)
        position, got, start = 0, [], 0
        while start < len(audio):
            block = audio[start : start + int(rng.integers(0, 700))]
            start += len(block)
            written, new_position = sp.process(block, ring, position)
            assert written <= ring.shape[0]
            got += [ring[(position + i) % ring.shape[0]].copy() for i in range(written)]
            position = new_position
        assert np.array_equal(np.array(got).reshape(expected.shape), expected)


def test_magnitude_square_root_near_every_cmsis_exception():
    """Exhaustive where CMSIS's arm_sqrt_q31 can differ from the exact root: x = 2k^2 - 4 .. 2k^2 + 5."""
    import cmsisdsp as dsp

    k = np.arange(0, 23171, dtype=np.int64)
    xs = (2 * k * k)[:, None] + np.arange(-4, 6)[None, :]
    xs = np.unique(xs[(xs >= 0) & (xs <= 2**30)])
    rng = np.random.default_rng(3)
    xs = np.concatenate([xs, rng.integers(0, 2**30 + 1, 20000), np.arange(0, 5000)])
    lib = native.lib()
    for x in xs.tolist():
        status, root = dsp.arm_sqrt_q31(x)
        assert lib.fe_sqrt_q30_to_q15(x) == root >> 16, x


def test_integer_square_root_exact():
    rng = np.random.default_rng(4)
    vs = np.concatenate([rng.integers(0, 2**29 + 1, 30000), np.arange(0, 3000), [2**29, 2**29 - 1]])
    lib = native.lib()
    for v in vs.tolist():
        e = lib.fe_isqrt_u29(v)
        assert e * e <= v < (e + 1) * (e + 1), v


def test_complex_magnitude_against_cmsis_on_all_extremes():
    import cmsisdsp as dsp

    values = np.array([-32768, -32767, -23170, -1, 0, 1, 181, 23170, 32767], dtype=np.int16)
    pairs = np.array([(a, b) for a in values for b in values], dtype=np.int16).reshape(-1)
    ours = np.zeros(pairs.size // 2, dtype=np.int16)
    native.lib().fe_cmplx_mag_q15(native.i16p(pairs), native.i16p(ours), ours.size)
    assert np.array_equal(ours, dsp.arm_cmplx_mag_q15(pairs))


def cfft_inputs(n, rng):
    """Complex q15 blocks (2n int16) from quiet to saturating: the middle and last
    radix-4 stages saturate on the full-scale ones."""
    t = np.arange(n)
    blocks = [rng.integers(-32768, 32768, 2 * n), rng.integers(-300, 300, 2 * n),
              np.full(2 * n, -32768), np.full(2 * n, 32767), np.tile([32767, -32768], n),
              np.where(t % 4 < 2, 32767, -32768).repeat(2), np.eye(1, 2 * n, 0).ravel() * -32768]
    for k in (1, 3, n // 4, n // 2 - 1):
        phase = 2 * np.pi * k * t / n
        blocks.append(np.stack([32767 * np.cos(phase), -32767 * np.sin(phase)], axis=1).ravel())
    return [np.round(b).astype(np.int16) for b in blocks]


@pytest.mark.parametrize("n", [128, 256])  # radix-4-by-2 and plain radix-4 in CMSIS
def test_complex_fft_against_cmsis(n):
    import cmsisdsp as dsp

    instance = dsp.arm_cfft_instance_q15()
    assert dsp.arm_cfft_init_q15(instance, n) == 0
    for i, block in enumerate(cfft_inputs(n, np.random.default_rng(n))):
        ours = block.copy()
        assert native.lib().fe_cfft_forward_q15(native.i16p(ours), n) == 1
        reference = dsp.arm_cfft_q15(instance, block, 0, 0)
        assert np.array_equal(ours, reference), f"block {i}: first differences at {np.flatnonzero(ours != reference)[:5]}"


def test_complex_fft_only_for_configured_sizes():
    block = np.ones(128, dtype=np.int16)
    assert native.lib().fe_cfft_forward_q15(native.i16p(block), 64) == 0
    assert np.all(block == 1)


# Scales as converters produce them: range / 255 for calibrated ranges, powers of two,
# and awkward extremes; float32 like the .tflite stores them.
SCALES = [1 / 255, 0.5 / 255, 0.0123 / 255, 2.0**-8, 2.0**-15, 2.0**-20, 1e-9, 0.1, 0.37, 1.0, 300.0]


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("zero_point", [-128, -1, 0, 37, 127])
def test_quantize_input_matches_float_formula_for_every_int16(scale, zero_point):
    q = np.arange(-32768, 32768, dtype=np.int16)
    s = float(np.float32(scale))
    rounded = np.floor(np.abs(q.astype(np.float64)) / 32768.0 / s + 0.5) * np.sign(q)
    expected = np.clip(rounded + zero_point, -128, 127).astype(np.int8)
    got = features.quantize_input(q, scale, zero_point)
    assert np.array_equal(got, expected)


def test_quantize_input_reads_a_ring_from_any_start():
    rng = np.random.default_rng(5)
    ring = rng.integers(0, 32768, 129 * 5).astype(np.int16)
    quantizer = native.Quantizer(1 / 255, -128)
    start = 129 * 3
    got = quantizer.to_int8(ring, start=start, count=129 * 4)
    assert np.array_equal(got, quantizer.to_int8(np.roll(ring, -start))[: 129 * 4])


@pytest.mark.parametrize(
    "scale, zero_point, message",
    [(0.0, 0, "positive finite"), (-0.5, 0, "positive finite"), (np.inf, 0, "positive finite"),
     (0.1, 128, "zero_point"), (0.1, -129, "zero_point")],
)
def test_quantize_input_rejects_bad_quantization(scale, zero_point, message):
    with pytest.raises(ValueError, match=message):
        features.quantize_input(np.zeros(4, dtype=np.int16), scale, zero_point)


def test_native_rejects_sizes_it_was_not_built_for():
    with pytest.raises(ValueError, match="fft size"):
        native.Spectrogram(256, 128, 1024)
    with pytest.raises(ValueError, match="frame"):
        native.Spectrogram(300, 128, 512)
    with pytest.raises(ValueError, match="hop"):
        native.Spectrogram(256, 0, 256)
