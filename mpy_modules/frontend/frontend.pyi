"""frontend: Q15 audio front end on CMSIS-DSP (native module).

Byte-identical to the host library earshot.features (the trainer's features) and to
CMSIS-DSP itself. Objects are made once; their methods work in place on caller-owned
buffers and allocate nothing. int16 buffers: array('h'), bytearray, bytes or
memoryview with an even byte count at an even address. Bad arguments raise
ValueError saying what was expected.

Energy, peak and RMS of a block live in the `pcm` module.

On the boards this API comes in three modules built from the same core (README.md):
`frontend` (Spectrogram for FFT 256, Quantizer, copy_ring), `mfcc` (Mfcc)
and `pdm` (PdmDecimator), each with the signatures below. The host library has all.
"""

FFT_SIZES: tuple  # FFT sizes this build has tables for, e.g. (256, 512)
WINDOW_SIZES: tuple  # frame (window) lengths this build has Hann tables for

class Spectrogram:
    """Streaming Q15 spectrogram: each column is
    arm_cmplx_mag_q15(arm_rfft_q15(arm_mult_q15(frame, hann_q15(frame)))), the frame
    zero-padded to fft; bins = fft // 2 + 1 values in 2.14 format (0..23170)."""

    bins: int  # fft // 2 + 1
    position: int  # the ring slot the next column goes to (= the oldest column)
    frame: int
    hop: int
    fft: int

    def __init__(self, frame: int = 256, hop: int = 128, fft: int = 256) -> None:
        """fft in FFT_SIZES, frame in WINDOW_SIZES and <= fft, 1 <= hop <= 65535."""

    def process(self, samples, ring) -> int:
        """Feeds any number of new int16 samples (0 is fine). Each completed frame's
        column is written once into `ring` (int16, a whole number of columns of
        `bins`) at `position`, which then advances modulo the ring's columns; the
        overlap between frames is kept inside. Returns the number of columns written
        (if it exceeds the ring's size, the oldest of them were overwritten). Use the
        same ring (or one of the same size) on every call."""

    def window(self, ring, out) -> None:
        """Copies the newest len(out) // bins columns of the ring into `out`
        (int16), oldest first: the network's view of time."""

    def reset(self) -> None:
        """Forgets buffered samples and sets position to 0 (after a gap in the audio)."""

class Mfcc:
    """Streaming Q15 MFCC: CMSIS-DSP's arm_mfcc_q15 computation (byte-identical given
    the same tables) on mel/DCT tables built at init with integer arithmetic (HTK mel
    triangles from fmin to fmax, orthonormal DCT-II; core/fe_mel.h). Each vector has
    `coefficients` values in q8.7. The frame is zero-padded to fft (400 in 512)."""

    coefficients: int
    bands: int
    position: int  # ring slot of the next vector

    def __init__(self, frame: int = 400, hop: int = 160, fft: int = 512, sample_rate: int = 16000,
                 fmin: int = 0, fmax: int = 8000, bands: int = 40, coefficients: int = 20) -> None:
        """fft in FFT_SIZES, frame in WINDOW_SIZES and <= fft, 0 <= fmin < fmax <=
        sample_rate / 2 (Hz, integers), 2 <= bands <= min(128, fft/2 + 1) with every
        band covering a bin, 1 <= coefficients <= bands. Builds its tables once
        (a few ms on the RP2040); holds about 2 * (2 fft + bands * coefficients) bytes."""

    def process(self, samples, ring) -> int:
        """As Spectrogram.process, with vectors of `coefficients` int16 in the ring."""

    def window(self, ring, out) -> None:
        """The newest len(out) // coefficients vectors, oldest first."""

    def reset(self) -> None:
        """Forgets buffered samples and sets position to 0."""

class Quantizer:
    """Input forming for an int8 network fed q15 / 32768 in float training:
    int8 = clamp(zero_point + round_half_away(q15 / 32768 / scale), -128, 127),
    exact for every int16 (integer-only: thresholds made once from the float32 scale)."""

    def __init__(self, scale: float, zero_point: int) -> None:
        """scale > 0 (taken as float32, as the .tflite stores it); -128 <= zero_point <= 127."""

    def to_int8(self, src, dst, start: int = 0) -> None:
        """dst[i] = int8 of src[(start + i) % len(src)] for i < len(dst): a ring of
        columns unrolled and quantized in one pass (start = position * bins gives the
        oldest column first). src int16; dst bytearray/array('b'), 1..len(src) bytes."""

def copy_ring(src, dst, start: int = 0) -> None:
    """dst[i] = src[(start + i) % len(src)] over the bytes of any buffers (word copies
    when aligned). With an int8 ring of already quantized columns this forms the model
    input in time order without quantizing the whole window every hop:
        q.to_int8(ring, int8_ring_slice, first_new_column * bins)   # new columns only
        frontend.copy_ring(int8_ring, model_input, sp.position * sp.bins)"""

class PdmDecimator:
    """1-bit PDM -> int16 PCM: 4th-order CIC + 3-tap droop compensator, one output
    sample of delay. Bits are read most significant first from each 32-bit word (a
    PIO program shifting left with autopush); 1 is +full scale, 0 is -full scale."""

    def __init__(self, decimation: int = 64) -> None:
        """decimation (bits per output sample) 16, 32, 64 or 128: 64 turns a
        1.024 MHz PDM clock into 16 kHz. Holds byte tables: about 2.1 KB of heap."""

    def process(self, words, out) -> int:
        """Fills `out` (int16) from exactly len(out) * decimation bits of `words`
        (4-byte aligned). Filter state carries over between calls. Returns len(out)."""

    def reset(self) -> None:
        """Clears the filter state."""
