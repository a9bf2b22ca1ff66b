"""Print the levels (peak, RMS, dBFS) of WAV files, computed by the pcm core.

The same C code measures levels for the board's energy gate, so what this prints is
what the board will see for the same samples.
"""
HELP = "print peak and RMS levels of WAV files (as the board's energy gate sees them)"


def add_arguments(parser):
    parser.add_argument("wavs", nargs="+", help="WAV files (any rate; 16-bit PCM)")
    parser.add_argument("--block", type=int, default=512, help="samples per block (default 512, one hop)")


def run(args):
    import math

    import numpy as np
    from scipy.io import wavfile

    from earshot import pcm
    from earshot.errors import DataError

    for path in args.wavs:
        try:
            rate, data = wavfile.read(path)
        except (OSError, ValueError) as exc:
            raise DataError(f"{path}: cannot read WAV: {exc}") from exc
        if data.dtype != np.int16:
            raise DataError(f"{path}: expected 16-bit PCM, got {data.dtype}")
        mono = data if data.ndim == 1 else data[:, 0]
        blocks = [mono[i:i + args.block] for i in range(0, len(mono) - args.block + 1, args.block)]
        rms = [pcm.rms(b) for b in blocks] or [0]
        loudest = max(rms)
        dbfs = 20 * math.log10(loudest / 32768) if loudest else float("-inf")
        print(f"{path}: {rate} Hz, {len(mono) / rate:.2f} s, peak {pcm.peak(mono)}, "
              f"loudest block RMS {loudest} ({dbfs:.1f} dBFS), {len(blocks)} blocks")
