"""The board core's own signed divides (mpy_modules/interp/core/ti_libgcc.c: __aeabi_idivmod,
__aeabi_idiv, __aeabi_ldivmod, which the core and every op module use on the Cortex-M0+)
on the emulated RP2040 against Python's integers, through a probe module that holds
only ti_libgcc.c: C's truncating quotient and the remainder with the dividend's sign."""
import numpy as np
import pytest

from tests.mpy_modules.probe_board import probe_board



@pytest.fixture(scope="module")
def board():
    yield from probe_board("libgcc_probe")


def c_divide(a, b):
    """C's a / b and a % b: the quotient truncated toward zero."""
    q = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
    return q, a - q * b


def operands(bits, rng, n):
    lo, hi = -2 ** (bits - 1), 2 ** (bits - 1) - 1
    edges = [lo, lo + 1, -2 ** (bits // 2), -7, -2, -1, 1, 2, 3, 7, 2 ** (bits // 2), hi - 1, hi]
    pairs = [(a, b) for a in edges + [0] for b in edges]
    wide = rng.integers(lo, hi, (n, 2), dtype=np.int64, endpoint=True)
    shifts = rng.integers(0, bits - 1, (n, 2))  # small and large magnitudes alike
    pairs += [(int(a) >> int(s), int(b) >> int(t)) for (a, b), (s, t) in zip(wide, shifts)]
    # b != 0, and lo / -1 overflows (undefined in C).
    return [(a, b) for a, b in pairs if b != 0 and not (a == lo and b == -1)]


@pytest.mark.parametrize("bits", [32, 64])
def test_divides_equal_c_semantics(board, bits):
    dtype, fn = (np.int32, "div32") if bits == 32 else (np.int64, "div64")
    pairs = operands(bits, np.random.default_rng(bits), 1500)
    a = np.array([p[0] for p in pairs], dtype=dtype)
    b = np.array([p[1] for p in pairs], dtype=dtype)
    board.write_file("ab.bin", a.tobytes() + b.tobytes(), timeout=120)
    size = a.nbytes
    board.exec(f"q = bytearray({size})\nr = bytearray({size})\na = bytearray({size})\nb = bytearray({size})\n"
               f"with open('ab.bin', 'rb') as f:\n    f.readinto(a)\n    f.readinto(b)\n"
               f"libgcc_probe.{fn}(q, r, a, b)", timeout=120)
    q = np.frombuffer(board.eval("bytes(q)"), dtype=dtype)
    r = np.frombuffer(board.eval("bytes(r)"), dtype=dtype)
    want = [c_divide(x, y) for x, y in pairs]
    bad = [(x, y, int(q[i]), int(r[i]), want[i]) for i, (x, y) in enumerate(pairs) if (q[i], r[i]) != want[i]]
    assert not bad, bad[:5]


def test_probe_rejects_mismatched_buffers(board):
    from earshot.errors import DeviceError

    with pytest.raises(DeviceError, match="ValueError: expected four aligned buffers"):
        board.exec("libgcc_probe.div32(bytearray(8), bytearray(8), bytearray(8), bytearray(4))")
