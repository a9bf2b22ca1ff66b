"""The front-end modules on the emulated boards (frontend, and mfcc and pdm built from
the same core): one MicroPython script, run unchanged on firmware/linux (x64 .mpy) and
the emulated RP2040 (armv6m .mpy).

    from earshot.bench import frontend_boards as fb
    result = fb.run_script("x64", audio, block_sizes=[100, 300, 17])
    result["columns"]   # every column Spectrogram.process wrote, in order (n, bins) int16
    result["window"]    # Spectrogram.window(ring, out) after the last block
    result["int8"]      # Quantizer(scale, zero_point).to_int8(ring, dst, position * bins)
    result["errors"]    # the ValueError messages of the bad calls in _BAD_CALLS
    result["heap_objects"]  # heap of one Spectrogram + one Quantizer (gc.mem_alloc)
    result["heap_left"]     # what is still allocated after deleting them and collecting
    result["pdm"]       # pdm.PdmDecimator(64) over the audio's bytes read as PDM words, 4 samples a call
    result["mfcc"]      # mfcc.Mfcc(400, 160, 512, 16000, 0, 8000, 40, 20) vectors, as "columns"

Tests compare these with earshot.features (the host library); the bench adds cycles.
"""
import ast
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from earshot.errors import DeviceError
from earshot.paths import BUILD_DIR, mpy_module

TITLE = "frontend on the emulated boards: same bytes as the host library"
LINUX_FIRMWARE = BUILD_DIR / "firmware" / "linux" / "micropython"
AUDIO_FILE = "audio.bin"
MODULES = ("frontend", "mfcc", "pdm")

# Bad calls the board must answer with ValueError (never a crash).
_BAD_CALLS = [
    "frontend.Spectrogram(fft=300)",
    "frontend.Spectrogram(frame=300, fft=512)",
    "frontend.Spectrogram(hop=0)",
    "sp.process(bytearray(3), ring)",
    "sp.process(memoryview(bytearray(8))[1:7], ring)",
    "sp.process(bytes(8), bytearray(2 * sp.bins - 2))",
    "sp.process(bytes(8), bytearray(0))",
    "sp.process([1, 2], ring)",
    "sp.process(array.array('f', [0.0, 1.0]), ring)",
    "sp.process(array.array('i', [0, 1]), ring)",
    "q.to_int8(ring, array.array('h', [0, 0]))",
    "q.to_int8(ring, 5)",
    "sp.window(ring, array.array('h', bytes(0)))",
    "sp.window(array.array('h', bytes(2 * sp.bins)), array.array('h', bytes(2 * sp.bins)))",
    "frontend.Quantizer(0.0, 0)",
    "frontend.Quantizer(-1.0, 0)",
    "frontend.Quantizer(0.1, 128)",
    "q.to_int8(ring, bytearray(0))",
    "q.to_int8(ring, bytearray(len(ring) + 1))",
    "q.to_int8(ring, bytearray(4), len(ring))",
    "pdm.PdmDecimator(48)",
    "dec.process(bytearray(12), array.array('h', [0]))",
    "mfcc.Mfcc(bands=300)",
    "mfcc.Mfcc(fmax=9000)",
    "mfcc.Mfcc(coefficients=41)",
    "mfcc.Mfcc(fft=1024)",
    "frontend.copy_ring(b'abc', bytearray(4))",
    "frontend.copy_ring(b'abc', bytearray(2), 3)",
]

_SCRIPT = """
import array, gc, frontend, mfcc, pdm
gc.collect()
_heap0 = gc.mem_alloc()
_sp = frontend.Spectrogram(frame={frame}, hop={hop}, fft={fft})
_q = frontend.Quantizer({scale!r}, {zero_point})
_heap_objects = gc.mem_alloc() - _heap0
del _sp, _q
gc.collect()
_heap_left = gc.mem_alloc() - _heap0
audio = array.array('h', open({audio!r}, 'rb').read())
sp = frontend.Spectrogram(frame={frame}, hop={hop}, fft={fft})
ring = array.array('h', bytes(2 * sp.bins * {ring_columns}))
cols = bytearray()
_mv = memoryview(audio)
_at = 0
_out = None
for _n in {block_sizes!r}:
    _w = sp.process(_mv[_at:_at + _n], ring)
    _at += _n
    if _w:
        _out = array.array('h', bytes(2 * sp.bins * min(_w, {ring_columns})))
        sp.window(ring, _out)
        cols.extend(_out)
win = array.array('h', bytes(2 * sp.bins * {window_columns}))
sp.window(ring, win)
q = frontend.Quantizer({scale!r}, {zero_point})
dst = bytearray(len(ring))
q.to_int8(ring, dst, sp.position * sp.bins)
dec = pdm.PdmDecimator(64)
pcm = array.array('h', bytes(2 * (len(audio) // 4)))
_words = memoryview(audio)
for _i in range(0, len(pcm), 4):
    dec.process(_words[4 * _i:4 * _i + 4 * min(4, len(pcm) - _i)], memoryview(pcm)[_i:_i + 4])
mf = mfcc.Mfcc(frame=400, hop=160, fft=512, sample_rate=16000, fmin=0, fmax=8000, bands=40, coefficients=20)
mring = array.array('h', bytes(2 * 20 * 8))
mvec = bytearray()
_at = 0
for _n in {block_sizes!r}:
    _w = mf.process(_mv[_at:_at + _n], mring)
    _at += _n
    if _w:
        _v = array.array('h', bytes(2 * 20 * min(_w, 8)))
        mf.window(mring, _v)
        mvec.extend(_v)
_cr = bytearray(9)
frontend.copy_ring(b'0123456789', memoryview(_cr)[1:], 7)
assert bytes(_cr)[1:] == b'78901234' and _cr[0] == 0, _cr
errors = []
for _call in {bad_calls!r}:
    try:
        eval(_call)
        errors.append('no error: ' + _call)
    except ValueError as e:
        errors.append(str(e))
print(repr((bytes(cols).hex(), bytes(win).hex(), bytes(dst).hex(), errors, sp.position, sp.bins,
            _heap_objects, _heap_left, bytes(pcm).hex(), bytes(mvec).hex())))
"""


def available(arch):
    """Why this board cannot run here, or None."""
    if arch == "x64" and not LINUX_FIRMWARE.exists():
        return "firmware/linux is not built (make firmware)"
    if arch == "armv6m":
        from earshot.emulators.rp2040 import FIRMWARE
        if not FIRMWARE.exists():
            return "firmware/rp2040 is not built (make firmware)"
    for name in MODULES:
        if mpy_module(name, arch) is None:
            return f"{name}.mpy for {arch} is not built (make modules)"
    return None


def script(block_sizes, frame=256, hop=128, fft=256, ring_columns=8, window_columns=4,
           scale=1 / 255, zero_point=-128):
    return _SCRIPT.format(audio=AUDIO_FILE, frame=frame, hop=hop, fft=fft, ring_columns=ring_columns,
                          block_sizes=list(block_sizes), window_columns=window_columns,
                          scale=float(np.float32(scale)), zero_point=zero_point, bad_calls=_BAD_CALLS)


def _parse(text, bins_hint=None):
    cols, win, dst, errors, position, bins, objects, left, pcm, mfcc = ast.literal_eval(
        text.strip().splitlines()[-1])
    as_i16 = lambda h: np.frombuffer(bytes.fromhex(h), dtype="<i2").reshape(-1, bins)
    return {"columns": as_i16(cols), "window": as_i16(win), "int8": np.frombuffer(bytes.fromhex(dst), np.int8),
            "errors": errors, "position": position, "heap_objects": objects, "heap_left": left,
            "pdm": np.frombuffer(bytes.fromhex(pcm), dtype="<i2"),
            "mfcc": np.frombuffer(bytes.fromhex(mfcc), dtype="<i2").reshape(-1, 20)}


def run_script(arch, audio, block_sizes, timeout=300, **options):
    """Runs the script on the board of `arch` (x64: firmware/linux, armv6m: RP2040)."""
    reason = available(arch)
    if reason:
        raise DeviceError(reason)
    audio = np.ascontiguousarray(audio, dtype="<i2")
    code = script(block_sizes, **options)
    if arch == "x64":
        with tempfile.TemporaryDirectory() as flash:
            for name in MODULES:
                Path(flash, f"{name}.mpy").write_bytes(mpy_module(name, "x64").read_bytes())
            Path(flash, AUDIO_FILE).write_bytes(audio.tobytes())
            Path(flash, "check.py").write_text(code)
            done = subprocess.run([str(LINUX_FIRMWARE), "--flash", flash, str(Path(flash, "check.py"))],
                                  capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or "Traceback" in done.stdout + done.stderr:
            raise DeviceError(f"firmware/linux failed: {(done.stdout + done.stderr).strip()[-600:]}")
        return _parse(done.stdout)
    from earshot.emulators.rp2040 import Rp2040Board

    with tempfile.TemporaryDirectory() as tmp, Rp2040Board(cycles_limit=40_000_000_000) as board:
        for name in MODULES:
            board.put(mpy_module(name, "armv6m"))
        path = Path(tmp, AUDIO_FILE)
        path.write_bytes(audio.tobytes())
        board.put(path)
        return _parse(board.exec(code, timeout=timeout))


def run():
    """Random audio fed in odd blocks: does each board equal the host library?"""
    from earshot import features

    rng = np.random.default_rng(1)
    audio = rng.integers(-20000, 20000, 3000).astype(np.int16)
    blocks = [128, 100, 300, 17, 640, 1, 1000, 814]
    expected = features.spectrogram_q15(audio)
    rows = []
    for arch in ("x64", "armv6m"):
        reason = available(arch)
        if reason:
            rows.append({"arch": arch, "columns": "-", "equal_to_host": f"skipped: {reason}", "heap_objects": "-"})
            continue
        result = run_script(arch, audio, blocks)
        same = np.array_equal(result["columns"], expected[-len(result["columns"]):])
        rows.append({"arch": arch, "columns": len(result["columns"]), "equal_to_host": same,
                     "heap_objects": result["heap_objects"]})
    return rows
