"""pcm: int16 block statistics for the energy gate, and gain (native module).

Every function takes a buffer of int16 samples: array('h'), bytearray, bytes or
memoryview with an even byte count; anything else raises TypeError/ValueError.
"""

def peak(samples) -> int:
    """Largest absolute sample, 0..32768."""

def mean_square(samples) -> int:
    """Mean of the squared samples, rounded down, 0..2**30 (0 for an empty block)."""

def rms(samples) -> int:
    """Integer square root of mean_square(), rounded down, 0..32768."""

def scale(samples, gain_q16: int) -> int:
    """In place: s = sat16((s * gain_q16) >> 16); 65536 is unity. Returns the clip count."""
