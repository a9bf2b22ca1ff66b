"""ti_requant_run (host library) against TFLM's MultiplyByQuantizedMultiplier formulas,
over every edge combination of accumulator, multiplier and shift plus random triples."""
import ctypes

import numpy as np
import pytest

from tests.mpy_modules.requant_cases import cases, expected

OUTPUT_RANGES = [(0, -128, 127), (-128, -128, 127), (127, -128, 127), (-5, -5, 127), (3, -100, 90)]


class Requant(ctypes.Structure):
    _fields_ = [("mult", ctypes.c_void_p), ("shift", ctypes.c_void_p), ("offset", ctypes.c_int32),
                ("lo", ctypes.c_int32), ("hi", ctypes.c_int32)]


def requant_run(acc, mult, shift, offset, lo, hi):
    from earshot.interp import _lib

    fn = _lib().ti_requant_run
    fn.restype = None
    fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(Requant)]
    acc, mult, shift = (np.ascontiguousarray(a, dtype=np.int32) for a in (acc, mult, shift))
    y = np.zeros(len(acc), dtype=np.int8)
    rq = Requant(mult.ctypes.data, shift.ctypes.data, offset, lo, hi)
    fn(y.ctypes.data, acc.ctypes.data, len(acc), ctypes.byref(rq))
    return y


@pytest.mark.parametrize("offset,lo,hi", OUTPUT_RANGES)
def test_requant_run_matches_tflm_formulas(offset, lo, hi):
    acc, mult, shift = cases(np.random.default_rng(offset & 0xff), 20000)
    got = requant_run(acc, mult, shift, offset, lo, hi)
    want = expected(acc, mult, shift, offset, lo, hi)
    bad = np.flatnonzero(got != want)
    assert bad.size == 0, [(int(acc[i]), int(mult[i]), int(shift[i]), int(got[i]), int(want[i])) for i in bad[:5]]


def test_requant_unclamped_sees_every_output_value():
    # With the widest clamp most outputs are not saturated: the rounding itself is judged.
    acc, mult, shift = cases(np.random.default_rng(1), 20000)
    want = expected(acc, mult, shift, 0, -128, 127)
    assert len(set(want.tolist())) > 240
    assert np.count_nonzero((want > -128) & (want < 127)) > len(want) // 3


def test_depthwise_records_at_shift_minus_one_match_tflite_micro():
    # Output scale / 88: the multipliers of dw_3x3_same_relu (0.0028 to 0.0056) become 0.25
    # to 0.49, shifts -2 and -1, still on DEPTHWISE_CONV_2D's fused requantization.
    runtime = pytest.importorskip("tflite_micro.python.tflite_micro.runtime")
    from earshot.interp import Interpreter
    from tests.mpy_modules.test_interp import near_zero_point, random_inputs, with_output_scale_divided

    data = with_output_scale_divided("dw_3x3_same_relu", 88)
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(8)
    unsaturated = 0
    for x in [near_zero_point(ours, rng, spread=6)[0] for _ in range(4)] + random_inputs(ours, rng):
        ref.set_input(x, 0)
        ref.invoke()
        got = ours.invoke(x)
        assert np.array_equal(got, ref.get_output(0))
        unsaturated += np.count_nonzero((got > -128) & (got < 127))
    assert unsaturated > 100
