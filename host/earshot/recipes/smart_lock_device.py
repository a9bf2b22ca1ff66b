"""One smart-lock decision on a MicroPython board, with the board's own modules:
mfcc.Mfcc (the board's MFCC module) for the 15 cascaded windows, min-max scaling in Python integers,
frontend.Quantizer for the int8 input, interp.Model for the CNN.

    features, int8_input, output = decide_on(board, tflite, audio)

The board needs frontend.mpy, mfcc.mpy and interp.mpy on its filesystem (the caller copies
them); `audio` is int16 at 16 kHz, at least 15 windows long; the newest 15 windows decide.
"""
import numpy as np

SCRIPT = """
import array, frontend, interp, json, mfcc as mfcc_module
with open('lock.json') as f:
    s = json.load(f)
fe = s['features']
lo, hi = fe['scaling']['min'], fe['scaling']['max']
n, c = fe['columns'], fe['coefficients']
with open('lock.tflite', 'rb') as f:
    m = interp.Model(f.read())
with open('lock.pcm', 'rb') as f:
    audio = bytearray(f.read())
mfcc = mfcc_module.Mfcc(fe['frame'], fe['hop'], fe['fft'], fe['sample_rate'], fe['fmin'], fe['fmax'],
                            fe['bands'], c)
ring = array.array('h', bytes(2 * n * c))
mfcc.process(audio, ring)
window = array.array('h', bytes(2 * n * c))
mfcc.window(ring, window)
scaled = array.array('h', bytes(2 * n * c))
for i in range(n * c):
    span = hi[i % c] - lo[i % c]
    scaled[i] = min(255, max(0, ((window[i] - lo[i % c]) * 255 + span // 2) // span))
frontend.Quantizer(s['input']['scale'] / 32768, s['input']['zero_point']).to_int8(scaled, m.input(0))
q = bytes(m.input(0))  # before invoke: the arena may reuse the input's bytes
m.invoke()
print(repr((bytes(window), q, bytes(m.output(0)))))
"""


def decide_on(board, tflite, settings, audio):
    """(int16 features (15, 20), int8 input, int8 outputs) computed on the board."""
    import json

    files = {"lock.tflite": bytes(tflite), "lock.json": json.dumps(settings).encode(),
             "lock.pcm": np.asarray(audio, dtype="<i2").tobytes(), "lock.py": SCRIPT.encode()}
    for name, data in files.items():
        if getattr(board, "flash_dir", None) is not None:  # firmware/linux: its flash is a host folder
            (board.flash_dir / name).write_bytes(data)
        else:
            board.write_file(name, data, timeout=120)
    text = board.exec("exec(open('lock.py').read())", timeout=120)
    import ast

    window, q, out = ast.literal_eval(text.strip())
    f = settings["features"]
    return (np.frombuffer(window, dtype="<i2").reshape(f["columns"], f["coefficients"]),
            np.frombuffer(q, dtype=np.int8), np.frombuffer(out, dtype=np.int8))
