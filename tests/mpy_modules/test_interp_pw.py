"""CONV_2D stream-path variants that converter outputs rarely take, against tflite_micro.

Under a ReLU with whole blocks of 8 channels the stream kernel requantizes its sums itself
from per-channel records (kernel_conv.c, relu_record): two products for a sum below 2^16,
the four of kernel_conv_requant.c above; other convolutions go through ti_requant_run.
Multipliers just under 0.5 give the smallest right shift, multipliers under 2^-16 shifts
whose fast form is 0, large sums the four products. Weights of -128 send the pointwise
fixture to the plain path. The fixtures themselves (pw_*, conv_3x3_c24_same) are judged in
test_interp.py; on the boards in test_interp_pw_boards.py.
"""
import numpy as np
import pytest

from earshot.interp import Interpreter
from tests.mpy_modules.test_interp import (extreme_inputs, near_zero_point, random_inputs, reference_outputs,
                                           with_output_scale_divided)
from tests.mpy_modules.test_interp_conv import with_weights_minus_128

runtime = pytest.importorskip("tflite_micro.python.tflite_micro.runtime")

# Output scale / factor: multipliers of 0.0013-0.0025 (pw_64_relu), 0.0040-0.0091
# (pw_odd_relu6) and 0.0011-0.0022 (pw_saturating) become 0.21-0.49, shifts -2 and -1;
# without an activation, negative outputs judge the rounding of negative sums.
SHIFT_ONE = {"pw_64_relu": 190, "pw_odd_relu6": 54, "pw_saturating": 220}


@pytest.mark.parametrize("name", sorted(SHIFT_ONE))
def test_records_at_shift_minus_one_match_tflite_micro(name):
    data = with_output_scale_divided(name, SHIFT_ONE[name])
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(11)
    unsaturated = 0
    for xs in [near_zero_point(ours, rng, spread=20) for _ in range(3)] + [random_inputs(ours, rng)]:
        got = ours.invoke(*xs)
        assert np.array_equal(got, reference_outputs(ref, xs, 1)[0])
        unsaturated += np.count_nonzero((got > -128) & (got < 127))
    assert unsaturated > 20


# pw_64_relu with its output scale times 8 (multipliers 1.6e-4 to 3.1e-4): under the ReLU a
# sum below 2^16 reaches at most level 20 above the zero point, so higher levels come from the
# records' path for large sums; times 600 (2.2e-6 to 4.2e-6, shifts -17 and -18) every sum
# below 2^16 gives level 0, and a level of 1 needs a large sum at those shifts.
LARGE_SUMS = {8: 24, 600: 1}


def signs_inputs(interp, rng):
    """-128 and 127 at random: sums of up to about 2^19."""
    return [rng.choice(np.array([-128, 127], dtype=np.int8), t.shape) for t in interp.inputs]


def large_sum_outputs(got, interp, level):
    return np.count_nonzero((got.astype(np.int32) - interp.outputs[0].zero_point >= level) & (got < 127))


@pytest.mark.parametrize("times", sorted(LARGE_SUMS))
def test_relu_records_of_large_sums_match_tflite_micro(times):
    data = with_output_scale_divided("pw_64_relu", 1 / times)
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(times)
    large = 0
    for xs in [signs_inputs(ours, rng) for _ in range(3)] + [random_inputs(ours, rng)]:
        got = ours.invoke(*xs)
        assert np.array_equal(got, reference_outputs(ref, xs, 1)[0])
        large += large_sum_outputs(got, ours, LARGE_SUMS[times])
    assert large > 5


def test_pointwise_weights_of_minus_128_match_tflite_micro():
    data = with_weights_minus_128("pw_odd_relu6")
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(128)
    for xs in list(extreme_inputs(ours)) + [random_inputs(ours, rng) for _ in range(2)]:
        assert np.array_equal(ours.invoke(*xs), reference_outputs(ref, xs, 1)[0])


def tflm_requantize_positive(acc, m, e):
    """TFLM's MultiplyByQuantizedMultiplier for acc >= 0, m >= 0, shift -e < 0: the doubling
    high multiply with its nudge, then the rounding divide by 2^e."""
    q = (acc * m + (1 << 30)) >> 31
    return (q >> e) + ((q & ((1 << e) - 1)) > (((1 << e) - 1) >> 1))


def fused_record_output(acc, m, e):
    """relu_record's arithmetic (kernel_conv.c) as the fused kernel runs it, in 32 bits."""
    rh = (1 << 14) + ((1 << (14 + e)) if e <= 16 else 0)
    s = acc * (m >> 16) + (((acc * (m & 0xFFFF)) & 0xFFFFFFFF) >> 16) + rh
    assert s.max() < 1 << 32
    return s >> (15 + e) if 15 + e < 32 else np.zeros_like(s)


@pytest.mark.parametrize("e", [1, 2, 7, 10, 15, 16, 17, 31])
def test_fused_records_equal_tflm_formula_below_two_to_the_16(e):
    acc = np.arange(1 << 16, dtype=np.int64)
    rng = np.random.default_rng(e)
    for m in [0, 1, 0xFFFF, 0x10000, 1 << 30, (1 << 31) - 1, 0x7FFF8000, *rng.integers(1 << 30, 1 << 31, 6)]:
        assert np.array_equal(fused_record_output(acc, int(m), e), tflm_requantize_positive(acc, int(m), e)), m
