"""Classic models with emlearn: decision tree and random forest on integer band-energy
summary features, on the fire-alarm task (the same synthetic clips as the fire-alarm
CNN recipe), converted with emlearn and written as "ETRS" files the board loads at
run time with the `trees` native module (no rebuild per model).

Features (both by default, each model trained on each), integers computed by
mpy_modules/trees/core/tr_features.c, identical on the host and the board:
  bands: each 1 s window -> Q15 spectrogram (124 columns x 129 bins, as the CNN sees)
         -> 16 bands x (mean, deviation) of log2 band energy (trees.band_features);
  mfcc:  each window -> the front end's Q15 MFCC (98 frames x 20 coefficients, q8.7,
         earshot.features.mfcc_q15) -> 20 x (mean, deviation) (trees.mean_dev).

Checks written to the report: the host build of the board's C predicts exactly as
sklearn (exact thresholds) and exactly as emlearn's own compiled C (emlearn's
truncated thresholds); the x64 and armv6m .mpy predict exactly as the host library.

    from earshot.recipes import trees
    trees.run(trees.Config(out="runs/trees", size="tiny"))
"""
import dataclasses
import json
import time
from pathlib import Path

import numpy as np

from earshot.errors import DataError

BANDS = 16
FEATURES = ("bands", "mfcc")
MODELS = {  # name -> (sklearn class name, options)
    "decision_tree": ("DecisionTreeClassifier", dict(max_depth=8, min_samples_leaf=2)),
    "random_forest": ("RandomForestClassifier", dict(n_estimators=20, max_depth=8, min_samples_leaf=2)),
}


@dataclasses.dataclass
class Config:
    out: str = "runs/trees"
    size: str = "fast"                  # the fire-alarm recipe's data presets: tiny, fast, full
    seed: int = 0
    boards: tuple = ("linux", "rp2040")  # emulated boards to check (skipped when not built)
    features: tuple = FEATURES
    cnn_metrics: str | None = None      # metrics.json of a fire-alarm CNN run, for the comparison
    verbose: bool = True


def _say(config, message):
    if config.verbose:
        print(message, flush=True)


def window_features(windows, kind="bands"):
    """(n, samples) int16 windows -> (n, n_features) int16 summary features."""
    from earshot.features import mfcc_q15, spectrogram_q15
    from earshot.recipes.trees_model import band_features, mean_dev

    if kind not in FEATURES:
        raise DataError(f"unknown features {kind!r}", hint=f"choose from {', '.join(FEATURES)}")
    if kind == "bands":
        return np.stack([band_features(spectrogram_q15(w), BANDS) for w in windows])
    return np.stack([mean_dev(mfcc_q15(w)) for w in windows])


def task_data(config):
    """Train (train + val) and test windows of the fire-alarm recipe, and their
    features: ([(train WindowSet, {kind: features}), (test ...)], labels)."""
    from earshot.data import make_windows
    from earshot.recipes import fire_alarm

    train, val, test = fire_alarm.transfer_clips(fire_alarm.Config(size=config.size, seed=config.seed,
                                                                   verbose=False))
    sets = [make_windows(clips, labels=fire_alarm.LABELS, verbose=False) for clips in (train + val, test)]
    return [(ws, {kind: window_features(ws.x, kind) for kind in config.features}) for ws in sets], \
        fire_alarm.LABELS


def _estimator(name, seed):
    from sklearn import ensemble, tree

    kind, options = MODELS[name]
    module = tree if kind.startswith("Decision") else ensemble
    return getattr(module, kind)(random_state=seed, **options)


def train_one(name, train, test, config, out):
    """Train, convert, write <name>.etrs (name = model.features); predictions of every
    implementation on the test set."""
    from earshot.recipes.trees_model import HostForest, emlearn, emlearn_predict, to_bytes

    (tr_ws, tr_x), (te_ws, te_x) = train, test
    model = _estimator(name.split(".")[0], config.seed).fit(tr_x, tr_ws.y)
    forest = emlearn().convert(model, method="loadable", dtype="int16_t", leaf_bits=8)
    data = to_bytes(forest, rule="exact")
    (out / f"{name}.etrs").write_bytes(data)
    host = HostForest(data)
    predictions = {
        "sklearn": model.predict(te_x),
        "host C (exact thresholds)": host.predict(te_x),
        "emlearn C (its own)": emlearn_predict(forest, te_x),
        "host C (emlearn thresholds)": HostForest(to_bytes(forest, rule="emlearn")).predict(te_x),
    }
    return model, data, host, predictions


def _accuracy(y, predicted):
    return float((np.asarray(predicted) == y).mean()) if len(y) else None


def _boards(config, data, te_x, te_ws, host):
    """Board predictions on the test features vs the host library; cycles on the RP2040."""
    from earshot.bench import trees as board_trees
    from earshot.errors import DeviceError
    from earshot.features import spectrogram_q15
    from earshot.recipes.trees_model import band_features

    columns = spectrogram_q15(te_ws.x[0])
    results = {}
    for board in config.boards:
        arch = "x64" if board == "linux" else "armv6m"
        reason = board_trees.available(arch)
        if reason:
            results[board] = {"skipped": reason}
            continue
        subset = te_x if board == "linux" else te_x[:40]  # the emulator is slow to feed
        try:
            run = board_trees.on_linux if board == "linux" else board_trees.on_rp2040
            result = run(data, subset, columns, BANDS)
        except DeviceError as exc:
            results[board] = {"error": str(exc)}
            continue
        result["windows"] = len(subset)
        result.pop("mean_dev")  # checked in tests/mpy_modules/test_trees_boards.py
        result["equal_to_host"] = bool(result.pop("predictions") == host.predict(subset).tolist()
                                       and result.pop("votes") == host.votes(subset).tolist()
                                       and result.pop("band_features") == band_features(columns, BANDS).tolist())
        results[board] = result
    return results


def _cnn(config):
    path = Path(config.cnn_metrics) if config.cnn_metrics else None
    if not path or not path.exists():
        return None
    cnn = json.loads(path.read_text())
    windows = cnn.get("windows", {})
    result = {"source": str(path), "float_accuracy": windows.get("float", {}).get("accuracy"),
              "int8_accuracy": windows.get("int8", {}).get("accuracy"), "model_bytes": cnn.get("tflite_bytes"),
              "params": cnn.get("params"), "cycles_inference": None,
              "test_windows": windows.get("int8", {}).get("count")}
    tflite = path.parent / "model.tflite"
    from earshot.bench.trees import available, cnn_cycles_rp2040
    from earshot.errors import DeviceError

    if "rp2040" in config.boards and tflite.exists() and not available("armv6m"):
        try:
            result["cycles_inference"] = cnn_cycles_rp2040(tflite)
        except DeviceError as exc:
            result["cycles_error"] = str(exc)
    return result


def run(config=None):
    config = config or Config()
    from earshot.recipes import fire_alarm

    if config.size not in fire_alarm.SIZES:
        raise DataError(f"unknown size {config.size!r}", hint=f"choose one of {', '.join(fire_alarm.SIZES)}")
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    _say(config, f"[1/3] fire-alarm task data ({config.size}) -> {', '.join(config.features)} features")
    (train, test), labels = task_data(config)
    rows = {}
    for kind, name in [(kind, name) for kind in config.features for name in MODELS]:
        _say(config, f"[2/3] {name} on {kind}: train, convert with emlearn, check host C against sklearn, emlearn")
        tr_x, te_ws, te_x = train[1][kind], test[0], test[1][kind]
        model, data, host, predictions = train_one(f"{name}.{kind}", (train[0], tr_x), (te_ws, te_x), config, out)
        reference = predictions["sklearn"]
        row = {
            "accuracy": {k: _accuracy(te_ws.y, v) for k, v in predictions.items()},
            "host_equals_sklearn": bool(np.array_equal(predictions["host C (exact thresholds)"], reference)),
            "host_equals_emlearn": bool(np.array_equal(predictions["host C (emlearn thresholds)"],
                                                       predictions["emlearn C (its own)"])),
            "emlearn_agrees_with_sklearn": float((predictions["emlearn C (its own)"] == reference).mean())
            if len(reference) else None,
            "model_bytes": len(data), "trees": host.n_trees, "decision_nodes": host.n_nodes,
            "features": kind, "n_features": host.n_features,
        }
        _say(config, f"[3/3] {name} on {kind}: emulated boards")
        row["boards"] = _boards(config, data, te_x, te_ws, host)
        rows[f"{name}.{kind}"] = row
    summary = {"recipe": "trees", "size": config.size, "seed": config.seed, "labels": list(labels),
               "features": {"bands": f"{BANDS} bands x (mean, deviation) of log2 band energy (Q8) over 124 Q15 "
                                      "spectrogram columns",
                             "mfcc": "20 MFCC (q8.7) x (mean, deviation) over 98 frames (400/160/512, 40 mel bands)"},
               "train_windows": len(train[0]), "test_windows": len(test[0]), "models": rows, "cnn": _cnn(config),
               "seconds": time.perf_counter() - started}
    (out / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n")
    (out / "report.md").write_text(report(summary))
    return summary


def _pct(value):
    return "n/a" if value is None else f"{100 * value:.1f}%"


def report(summary):
    lines = [f"# Trees with emlearn (fire-alarm task, size {summary['size']})", "",
             "Features: " + "; ".join(f"{k}: {v}" for k, v in summary["features"].items()) +
             f". {summary['train_windows']} training windows, "
             f"{summary['test_windows']} test windows. Models are ETRS files (mpy_modules/trees), "
             "loaded by the board at run time.", "",
             "| model | accuracy | bytes | trees | nodes | host C = sklearn | host C = emlearn C | "
             "emlearn C vs sklearn | cycles/decision (RP2040) | features cycles | on boards = host |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    feature_cycles = {"bands": "cycles_band_features", "mfcc": "cycles_mean_dev_98x20"}
    for name, row in summary["models"].items():
        rp = row["boards"].get("rp2040", {})
        same = ", ".join(f"{b}: {r.get('equal_to_host', r.get('skipped') or r.get('error'))}"
                         for b, r in row["boards"].items())
        lines.append(f"| {name} | {_pct(row['accuracy']['host C (exact thresholds)'])} | {row['model_bytes']:,} | "
                     f"{row['trees']} | {row['decision_nodes']} | {row['host_equals_sklearn']} | "
                     f"{row['host_equals_emlearn']} | {_pct(row['emlearn_agrees_with_sklearn'])} agree | "
                     f"{rp.get('cycles_predict', 'n/a')} | {rp.get(feature_cycles[row['features']], 'n/a')} | "
                     f"{same} |")
    cnn = summary["cnn"]
    lines += ["", "## Against the fire-alarm CNN", ""]
    if cnn:
        lines += [f"CNN ({cnn['source']}, {cnn['test_windows']} test windows of the same recipe data): "
                  f"float {_pct(cnn['float_accuracy'])}, int8 {_pct(cnn['int8_accuracy'])}, "
                  f"model {cnn['model_bytes']:,} bytes, {cnn['params']:,} parameters, "
                  f"{cnn['cycles_inference'] or 'n/a'} cycles per int8 inference on the RP2040 (interp module). "
                  "Both need the front end per decision (124 spectrogram columns, or 98 MFCC frames for "
                  "the mfcc trees); 'features cycles' is what the trees add on top (band_features on the "
                  "columns, or mean_dev on the MFCC frames), where the CNN adds input forming."]
    else:
        lines += ["No CNN run given (Config.cnn_metrics / --cnn runs/<fire_alarm run>/metrics.json)."]
    lines += ["", "emlearn's C generator truncates float thresholds to int16 (int(t)); sklearn splits on "
              "x <= t. The ETRS writer stores floor(t) + 1 instead (exact for integer features), so the "
              "board predicts what sklearn predicts; the column 'emlearn C vs sklearn' shows what the "
              "truncation costs.", ""]
    return "\n".join(lines)
