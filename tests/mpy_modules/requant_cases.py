"""Requantization cases and TFLM's formulas, shared by the host and board requant tests.

The model is TFLM's MultiplyByQuantizedMultiplier written from gemmlowp's definitions
(SaturatingRoundingDoublingHighMul, RoundingDivideByPOT) with Python integers, plus the
output offset and clamp the conv kernels apply.
"""
import numpy as np

INT32_MIN, INT32_MAX = -2**31, 2**31 - 1


def wrap32(v):
    return (v + 2**31) % 2**32 - 2**31


def srdhm(a, b):
    if a == b == INT32_MIN:
        return INT32_MAX
    ab = a * b
    nudge = 2**30 if ab >= 0 else 1 - 2**30
    t = ab + nudge
    return t // 2**31 if t >= 0 else -((-t) // 2**31)  # C division truncates toward zero


def rdbpot(x, e):
    mask = (1 << e) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> e) + (1 if remainder > threshold else 0)


def requantize(acc, mult, shift, offset, lo, hi):
    left, right = max(shift, 0), max(-shift, 0)
    v = rdbpot(srdhm(wrap32(acc * (1 << left)), mult), right) + offset
    return min(max(v, lo), hi)


EDGE_ACC = [INT32_MIN, INT32_MIN + 1, INT32_MIN + 2**15, -2**31 + 2**15 - 1, -2**16 - 1, -2**16, -2**15 - 1,
            -2**15, -2**15 + 1, -3, -2, -1, 0, 1, 2, 2**15 - 1, 2**15, 2**16 - 1, 2**16, 2**31 - 2**15 - 1,
            2**31 - 2**15, 2**31 - 2**15 + 1, INT32_MAX - 1, INT32_MAX]
# What QuantizeMultiplier gives: 0 (scale 0) or a q0 multiplier in [2^30, 2^31).
EDGE_MULT = [0, 2**30, 2**30 + 1, 2**30 + 2**15 - 1, 2**30 + 2**15, 3 * 2**29, 2**31 - 2**15 - 1, 2**31 - 2**15,
             2**31 - 2**15 + 1, 2**31 - 2, INT32_MAX]
SHIFTS = list(range(-31, 8)) + [15, 31]


def cases(rng, n_random):
    """(acc, mult, shift) as int32 arrays: every edge combination, then random triples
    with accumulators of every magnitude and rounding ties (mult 2^30, small acc)."""
    grid = np.array(np.meshgrid(EDGE_ACC, EDGE_MULT, SHIFTS, indexing="ij")).reshape(3, -1)
    bits = rng.integers(0, 32, n_random)
    acc = rng.integers(INT32_MIN, INT32_MAX, n_random, endpoint=True) >> bits
    mult = rng.integers(2**30, 2**31, n_random)
    mult[: n_random // 8] = 2**30  # Q = floor((acc + 1) / 2): ties in RoundingDivideByPOT
    shift = rng.choice(SHIFTS, n_random, p=None)
    shift[n_random // 2:] = rng.integers(-12, 0, n_random - n_random // 2)  # what converters emit
    acc = np.concatenate([grid[0], acc])
    mult = np.concatenate([grid[1], mult])
    shift = np.concatenate([grid[2], shift])
    return acc.astype(np.int32), mult.astype(np.int32), shift.astype(np.int32)


def expected(acc, mult, shift, offset, lo, hi):
    return np.array([requantize(int(a), int(m), int(s), offset, lo, hi) for a, m, s in zip(acc, mult, shift)],
                    dtype=np.int8)
