"""Steps every recipe shares after the float model is trained: quantization-aware
fine-tuning, int8 conversion, export with embedded settings, and evaluation of the
float, QAT and int8 models on the same test windows."""
import json
import time
from pathlib import Path

import numpy as np

from earshot import __version__, settings as settings_module


def windows_and_inputs(clips, labels, verbose=True):
    """Clips -> (WindowSet, float network input)."""
    from earshot.data import make_windows
    from earshot.train import network_input

    ws = make_windows(clips, labels=labels, verbose=verbose)
    return ws, network_input(ws.x)


def quantize_and_export(*, model, train_set, val_set, out, labels, target, decision, info,
                        qat_epochs, fit_options):
    """QAT fine-tune, convert, embed settings, write the model files.

    Returns (embedded tflite bytes, settings, qat model, qat history)."""
    from earshot import quantize, train
    from earshot.export.inspect import macs
    from earshot.export.writer import write_model
    from earshot.models import activation

    (tr_ws, tr_x), (va_ws, va_x) = train_set, val_set
    qat_model = quantize.qat(model, calibration=tr_x[::max(1, len(tr_x) // 512)])
    history = train.fit(qat_model, tr_x, tr_ws.y, (va_x, va_ws.y), epochs=qat_epochs, lr=2e-4,
                        patience=3, stage="qat", **fit_options)
    quantize.limit_logits(qat_model)  # training moved the range back toward the loudest inputs
    tflite = quantize.convert(qat_model, tr_x)
    model_settings = settings_module.for_model(
        tflite, activation=activation(model), labels=list(labels), target=target, **decision,
        model=dict(info, params=int(model.count_params()), macs=macs(tflite),
                   trained=time.strftime("%Y-%m-%d"), earshot=__version__))
    tflite = write_model(out, tflite, model_settings)
    model.save(str(Path(out) / "model.keras"))
    return tflite, model_settings, qat_model, history


def evaluate_models(*, model, qat_model, tflite, test_set, labels, engines=("tflm",), unknown_below=0.0):
    """Probabilities and metrics of float, QAT and int8 (TFLM) on the test windows, and
    whether every other int8 engine gives exactly TFLM's bytes."""
    from earshot.evaluate import Int8Model, metrics, predict_float

    te_ws, te_x = test_set
    int8 = {engine: Int8Model(tflite, engine) for engine in dict.fromkeys(("tflm",) + tuple(engines))}
    probs = {"float": predict_float(model, te_x), "qat": predict_float(qat_model, te_x),
             "int8": int8["tflm"].predict(te_x)}
    results = {name: metrics(te_ws.y, p, labels, unknown_below) for name, p in probs.items()}
    reference = int8["tflm"].raw(te_x)
    agreement = {engine: bool(np.array_equal(m.raw(te_x), reference))
                 for engine, m in int8.items() if engine != "tflm"}
    return probs, results, agreement, int8["tflm"]


def dump_json(path, data):
    Path(path).write_text(json.dumps(data, indent=2, default=lambda v: None) + "\n")
