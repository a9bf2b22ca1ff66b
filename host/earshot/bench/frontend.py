"""frontend: cycles on the emulated RP2040 (Cortex-M0+ at 125 MHz) and host throughput.

Anchor (issue 4): plain CMSIS-DSP (pico-sdk build) takes ~111,000 cycles per 256-point
column (window 3.8K, rfft_q15 43K, cmplx_mag_q15 64K); the goal is at most 55,000.
Stage timings come from a bench-only module (mpy_modules/frontend/bench), built here
into build/bench/ from the same core; the rest from the real frontend.mpy, mfcc.mpy and
pdm.mpy (the board modules built from that core).
"""
import subprocess
import time

import numpy as np

from earshot.paths import BUILD_DIR, CHECKOUT_DIR, mpy_module

TITLE = "frontend: cycles per column / hop on the emulated RP2040, host throughput"
ANCHOR_COLUMN = 111_000
GOAL_COLUMN = 55_000
BENCH_ROOT = BUILD_DIR / "bench"
BENCH_MPY = BENCH_ROOT / "mpy" / "armv6m" / "frontend_bench.mpy"

_LCG = """
def lcg(n, seed, amp):
    out = array.array('h', bytes(2 * n))
    for i in range(n):
        seed = (seed * 1103515245 + 12345) & 0xFFFFFFFF
        out[i] = ((seed >> 16) & 0xFFFF) * amp // 65536 - amp // 2
    return out
"""


BOARD_MODULES = ("frontend", "mfcc", "pdm")


def build_stage_module():
    subprocess.run(["make", "-s", "-C", str(CHECKOUT_DIR / "mpy_modules" / "frontend"), "ARCH=armv6m",
                    "MOD=frontend_bench", "FE_PARTS=spectrogram quant", "BIND_SRC=bench/mod_frontend_bench.c",
                    f"BUILD_ROOT={BENCH_ROOT}",
                    f"MPY_DIR={BUILD_DIR / 'micropython'}"], check=True, capture_output=True)
    return BENCH_MPY


def board_cycles(repeat=10):
    """{name: cycles} measured on one emulated board."""
    from earshot.emulators.rp2040 import Rp2040Board

    stage_mpy = build_stage_module()
    out = {}
    with Rp2040Board(cycles_limit=40_000_000_000) as board:
        for name in BOARD_MODULES:
            board.put(mpy_module(name, "armv6m"))
        board.put(stage_mpy)
        loop = f"for _ in range({repeat}): "
        for i, name in enumerate(["window", "fft+magnitude", "magnitude only (129 bins)", "column (core)",
                                  "complex FFT (128 points)", "bit reversal (byte table)"]):
            one = board.cycles(f"fb.run({i}, 1)", setup="import frontend_bench as fb")
            many = board.cycles(f"fb.run({i}, {repeat + 1})", setup="import frontend_bench as fb")
            out[f"stage: {name}"] = (many - one) / repeat
        setup = "import array, frontend, mfcc, pdm\n" + _LCG
        for amp in (500, 8000, 65535):
            s = setup + (f"sp = frontend.Spectrogram()\nx = lcg(128, 1, {amp})\n"
                         f"ring = array.array('h', bytes(2 * 129 * 32))\nsp.process(lcg(256, 2, {amp}), ring)")
            out[f"Spectrogram.process, 1 column, noise +-{amp // 2}"] = (
                board.cycles(loop + "sp.process(x, ring)", setup=s) / repeat)
        s = setup + ("sp = frontend.Spectrogram()\nx = lcg(512, 1, 8000)\n"
                     "ring = array.array('h', bytes(2 * 129 * 32))\nsp.process(lcg(256, 2, 8000), ring)\n"
                     "q = frontend.Quantizer(0.0123 / 255, -128)\ndst = bytearray(129 * 4)\n"
                     "big = bytearray(129 * 32)")
        out["hop of 512 samples: process (4 columns)"] = board.cycles(loop + "sp.process(x, ring)", setup=s) / repeat
        out["to_int8 of the 4 new columns (516 values)"] = (
            board.cycles(loop + "q.to_int8(ring, dst, 0)", setup=s) / repeat)
        out["to_int8 of a 32-column ring (32 x 129)"] = board.cycles("q.to_int8(ring, big, 0)", setup=s)
        s = setup + ("m = mfcc.Mfcc(frame=400, hop=160, fft=512, sample_rate=16000, fmin=0, fmax=8000, "
                     "bands=40, coefficients=20)\nx = lcg(160, 1, 8000)\nring = array.array('h', bytes(2 * 20 * 8))\n"
                     "m.process(lcg(400, 2, 8000), ring)")
        out["Mfcc.process, 1 frame (400 in 512, 40 bands, 20 coefficients)"] = (
            board.cycles(loop + "m.process(x, ring)", setup=s) / repeat)
        out["Mfcc(...) construction (tables)"] = board.cycles(
            "mfcc.Mfcc(frame=400, hop=160, fft=512, sample_rate=16000, fmin=0, fmax=8000, bands=40, "
            "coefficients=20)", setup=setup)
        s = setup + "p = pdm.PdmDecimator(64)\nw = bytes(range(256)) * 16\npcm = array.array('h', bytes(1024))"
        out["PdmDecimator: 512 samples at 16 kHz (32 ms)"] = board.cycles("p.process(w, pcm)", setup=s)
    return out


def host_throughput(seconds=20):
    """Windows (1 s clips) per second: earshot.features vs cmsisdsp frame by frame."""
    from earshot import features
    from earshot.features import cmsis_reference

    audio = np.random.default_rng(0).integers(-8000, 8000, 16000).astype(np.int16)
    rates = {}
    for name, fn in [("earshot.features (C core)", lambda: features.spectrogram_q15(audio)),
                     ("cmsisdsp frame by frame", lambda: cmsis_reference.spectrogram_q15(audio, 256, 128, 256))]:
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 10:
            fn()
            n += 1
        rates[name] = n / (time.perf_counter() - start)
    return rates


def run():
    rows = []
    notes = {"frontend": "spectrogram 256 + int8 forming; goal <= 8192 for armv6m",
             "mfcc": "Mfcc, FFT 256/512, frames 256/400/512: only for MFCC models",
             "pdm": "PdmDecimator: only with a PDM microphone"}
    for arch in ("armv6m", "x64"):
        for name in BOARD_MODULES:
            path = mpy_module(name, arch)
            rows.append({"what": f"{name}.mpy size ({arch})", "value": path.stat().st_size if path else "not built",
                         "unit": "bytes", "note": notes[name] if arch == "armv6m" else ""})
    try:
        cycles = board_cycles()
    except Exception as exc:  # noqa: BLE001 - the host rows are still worth printing
        rows.append({"what": "emulated RP2040", "value": "unavailable", "unit": "", "note": str(exc)[:80]})
        cycles = {}
    for name, value in cycles.items():
        note = ""
        if name.startswith("Spectrogram.process") or name == "stage: column (core)":
            note = f"{ANCHOR_COLUMN / value:.2f}x faster than CMSIS ({ANCHOR_COLUMN}); goal {GOAL_COLUMN}"
        if name.startswith("hop"):
            note = f"{value / 125e3:.2f} ms of the 32 ms hop"
        rows.append({"what": name, "value": int(round(value)), "unit": "cycles", "note": note})
    rates = host_throughput()
    ours, reference = rates["earshot.features (C core)"], rates["cmsisdsp frame by frame"]
    rows.append({"what": "host: 1 s windows per second, C core", "value": int(ours), "unit": "windows/s",
                 "note": f"{ours / reference:.1f}x the cmsisdsp package frame by frame"})
    rows.append({"what": "host: 1 s windows per second, cmsisdsp", "value": int(reference), "unit": "windows/s",
                 "note": ""})
    return rows
