"""The trees module on the emulated boards: predictions and features must equal the
host library's; cycles per decision on the RP2040 (Cortex-M0+, 125 MHz).

    from earshot.bench import trees
    trees.on_linux(model_bytes, features, columns, bands)    # x64 .mpy, firmware/linux
    trees.on_rp2040(model_bytes, features, columns, bands)   # armv6m .mpy, rp2040js

features: (n, n_features) int16; columns: (n_columns, n_bins) int16 for one window.
Both return {"predictions": [...], "votes": [[...]], "band_features": [...],
"mean_dev": [...] (of the columns as a matrix)}, and
on_rp2040 adds cycle counts. `python -m earshot.bench` runs run() on a small model.
"""
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from earshot.errors import DeviceError
from earshot.paths import BUILD_DIR, mpy_module

TITLE = "trees: tree ensemble on the emulated RP2040 (cycles per decision)"
LINUX_FIRMWARE = BUILD_DIR / "firmware" / "linux" / "micropython"
MODEL_FILE = "model.etrs"

# Loads the model from a file (no rebuild per model), then checks every window.
_SETUP = """
import array, trees
forest = trees.Forest(open({model!r}, 'rb').read())
X = memoryview(open('features.bin', 'rb').read())
C = open('columns.bin', 'rb').read()
F = array.array('h', [0] * {n_band_features})
V = array.array('I', [0] * forest.n_classes)
G = array.array('h', [0] * {n_mean_dev})
"""
_CHECK = """
_row = 2 * forest.n_features
_p = []
_v = []
for _i in range(len(X) // _row):
    _x = X[_i * _row:(_i + 1) * _row]
    _p.append(forest.predict(_x))
    forest.votes(_x, V)
    _v.append(list(V))
trees.band_features(C, {bins}, {bands}, F)
trees.mean_dev(C, {bins}, G)
print(repr((_p, _v, list(F), list(G))))
"""


def _files(folder, model_bytes, features, columns):
    """The files the board reads: the model, the features and the columns (little-endian int16)."""
    files = {MODEL_FILE: model_bytes,
             "features.bin": np.ascontiguousarray(features, dtype="<i2").tobytes(),
             "columns.bin": np.ascontiguousarray(columns, dtype="<i2").tobytes()}
    for name, data in files.items():
        Path(folder, name).write_bytes(data)
    return [Path(folder, name) for name in files]


def _code(columns, bands):
    setup = _SETUP.format(model=MODEL_FILE, n_band_features=2 * bands, n_mean_dev=2 * np.asarray(columns).shape[1])
    return setup, _CHECK.format(bins=np.asarray(columns).shape[1], bands=bands)


def _result(text):
    import ast

    predictions, votes, band, spread = ast.literal_eval(text.strip().splitlines()[-1])
    return {"predictions": predictions, "votes": votes, "band_features": band, "mean_dev": spread}


def available(arch):
    """Why this board cannot run here, or None."""
    if arch == "x64" and not LINUX_FIRMWARE.exists():
        return "firmware/linux is not built (make firmware)"
    if arch == "armv6m":
        from earshot.emulators.rp2040 import FIRMWARE
        if not FIRMWARE.exists():
            return "firmware/rp2040 is not built (make firmware)"
    if mpy_module("trees", arch) is None:
        return f"trees.mpy for {arch} is not built (make modules)"
    return None


def on_linux(model_bytes, features, columns, bands, timeout=60):
    reason = available("x64")
    if reason:
        raise DeviceError(reason)
    setup, check = _code(columns, bands)
    with tempfile.TemporaryDirectory() as flash:
        Path(flash, "trees.mpy").write_bytes(mpy_module("trees", "x64").read_bytes())
        _files(flash, model_bytes, features, columns)
        Path(flash, "check.py").write_text(setup + check)
        done = subprocess.run([str(LINUX_FIRMWARE), "--flash", flash, str(Path(flash, "check.py"))],
                              capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or "Traceback" in done.stdout + done.stderr:
        raise DeviceError(f"firmware/linux failed: {(done.stdout + done.stderr).strip()[-400:]}")
    return _result(done.stdout)


def on_rp2040(model_bytes, features, columns, bands, timeout=120):
    from earshot.emulators.rp2040 import Rp2040Board

    reason = available("armv6m")
    if reason:
        raise DeviceError(reason)
    setup, check = _code(columns, bands)
    with tempfile.TemporaryDirectory() as tmp, Rp2040Board(cycles_limit=20_000_000_000) as board:
        board.put(mpy_module("trees", "armv6m"))
        for path in _files(tmp, model_bytes, features, columns):
            board.put(path)
        board.exec(setup, timeout=timeout)
        result = _result(board.exec(check, timeout=timeout))
        n_features = np.asarray(features).shape[1]
        result["cycles_predict"] = board.cycles("forest.predict(_x)", setup=f"_x = bytes(X[0:{2 * n_features}])")
        result["cycles_band_features"] = board.cycles(f"trees.band_features(C, {np.asarray(columns).shape[1]}, "
                                                      f"{bands}, F)")
        result["cycles_mean_dev_98x20"] = board.cycles(
            "trees.mean_dev(_m, 20, _g)", setup="_m = bytes(2 * 98 * 20)\n_g = array.array('h', [0] * 40)")
        result["cycles_load"] = board.cycles(f"trees.Forest(open({MODEL_FILE!r}, 'rb').read())")
    return result


def cnn_cycles_rp2040(tflite_path):
    """Cycles of one int8 inference of a .tflite by the interp module on the RP2040
    (the CNN's side of the comparison; the front end's columns are common to both)."""
    from earshot.emulators.rp2040 import Rp2040Board

    from earshot.deploy.interp_modules import interp_modules

    names = interp_modules(Path(tflite_path).read_bytes())
    if any(mpy_module(name, "armv6m") is None for name in names):
        raise DeviceError(f"{', '.join(names)}.mpy for armv6m are not all built (make modules)")
    with Rp2040Board(cycles_limit=20_000_000_000) as board:
        for name in names:
            board.put(mpy_module(name, "armv6m"))
        board.put(tflite_path, "cnn.tflite")
        board.exec("import interp\ncnn = interp.Model(open('cnn.tflite', 'rb').read())")
        return board.cycles("cnn.invoke()")


def run():
    """A random forest on random features: cycles per decision as the forest grows."""
    from sklearn.ensemble import RandomForestClassifier

    from earshot.recipes.trees_model import emlearn, to_bytes

    reason = available("armv6m")
    if reason:
        return [{"skipped": reason}]
    rng = np.random.default_rng(0)
    x = rng.integers(0, 6000, (400, 32)).astype(np.int16)
    y = (x[:, 0] > x[:, 1]).astype(int) + (x[:, 2] > 3000)
    columns = rng.integers(0, 3000, (124, 129)).astype(np.int16)
    rows = []
    for n_trees, depth in ((1, 8), (10, 8), (30, 10)):
        model = RandomForestClassifier(n_trees, max_depth=depth, random_state=0).fit(x, y)
        data = to_bytes(emlearn().convert(model, method="loadable", dtype="int16_t", leaf_bits=8))
        result = on_rp2040(data, x[:4], columns, 16)
        rows.append({"trees": n_trees, "max_depth": depth, "model_bytes": len(data),
                     "cycles_predict": result["cycles_predict"],
                     "cycles_band_features": result["cycles_band_features"]})
    return rows
