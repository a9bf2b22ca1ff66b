"""The fire-alarm detector: pre-train the fire-alarm CNN on several synthetic sound
classes, transfer it to "fire_alarm vs everything else" with augmentation, fine-tune
with quantization-aware training, convert to full int8, evaluate float / QAT / int8
(int8 in the TFLM reference interpreter), score real recordings when ../shared/data is
there, and write the run folder (model files, metrics.json, plots, report.md).

    from earshot.recipes import fire_alarm
    result = fire_alarm.run(fire_alarm.Config(out="runs/fire_alarm", size="fast"))
"""
import dataclasses
import time
from pathlib import Path

import numpy as np

from earshot.data import split, synth
from earshot.errors import DataError
from earshot.recipes.pipeline import dump_json, evaluate_models, quantize_and_export, windows_and_inputs

LABELS = ("other", "fire_alarm")
TARGET = "fire_alarm"
PRETRAIN_CLASSES = synth.CLASSES
SIZES = {  # clips per class (pre-training, transfer) and epochs (pre-train, head, fine-tune, QAT)
    "full": dict(pretrain_clips=400, transfer_clips=1000, epochs=(40, 8, 40, 8)),
    "fast": dict(pretrain_clips=150, transfer_clips=400, epochs=(20, 5, 20, 5)),
    "tiny": dict(pretrain_clips=6, transfer_clips=10, epochs=(1, 1, 1, 1)),
}


@dataclasses.dataclass
class Config:
    out: str = "runs/fire_alarm"
    size: str = "full"
    seed: int = 0
    shared_data: str | None = None      # folder with fire_alarm/ and glass_break/; None = skip
    threshold: float = 0.5
    smoothing_hops: int = 3
    # The board gates on the whole window's RMS: 20 (-64 dBFS) keeps every real-alarm
    # detection and gates digital silence (tests/host/test_protocol_gate.py).
    energy_gate_rms: int = 20
    batch_size: int = 32
    resume: bool = False
    engines: tuple = ("tflm",)          # add "earshot" to check our interpreter agrees
    verbose: bool = True

    def sizes(self):
        if self.size not in SIZES:
            raise DataError(f"unknown size {self.size!r}", hint=f"choose one of {', '.join(SIZES)}")
        return SIZES[self.size]


def _say(config, message):
    if config.verbose:
        print(message, flush=True)


def pretrain_data(config):
    clips = synth.dataset(config.sizes()["pretrain_clips"], classes=PRETRAIN_CLASSES, seconds=1.0,
                          seed=config.seed + 100)
    parts = split(clips, test_fraction=0.0, val_fraction=0.15, seed=config.seed)
    return [windows_and_inputs(p, PRETRAIN_CLASSES, config.verbose) for p in (parts.train, parts.val)]


def transfer_clips(config):
    """Alarms against everything else: backgrounds (some with distractors) and other classes."""
    import earshot.augment as augment

    n = config.sizes()["transfer_clips"]
    clips = synth.dataset(n, classes=("fire_alarm", "background"), seconds=1.0, seed=config.seed + 200)
    others = tuple(c for c in synth.CLASSES if c not in ("fire_alarm", "background"))
    clips += synth.dataset(max(1, n // 4), classes=others, seconds=1.0, seed=config.seed + 300)
    clips = [dataclasses.replace(c, label=c.label if c.label == TARGET else "other") for c in clips]
    parts = split(clips, test_fraction=0.2, val_fraction=0.1, seed=config.seed)
    backgrounds = [c for c in parts.train if c.label == "other"][:50]
    rng = np.random.default_rng(config.seed)
    jitter = augment.default_augment(backgrounds)
    extra = [dataclasses.replace(c, audio=jitter(c.audio, rng)) for c in parts.train]
    return parts.train + extra, parts.val, parts.test


def run(config=None):
    """The whole recipe; returns a summary dict (also written to <out>/metrics.json)."""
    from earshot import train
    from earshot.export.inspect import describe
    from earshot.models import build
    from earshot.models.tf import tensorflow
    from earshot.recipes import run_report

    config = config or Config()
    epochs = config.sizes()["epochs"]
    tensorflow().keras.utils.set_random_seed(config.seed)
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    fit_options = dict(batch_size=config.batch_size, checkpoint=out / "checkpoints", resume=config.resume,
                       verbose=config.verbose)

    _say(config, f"[1/6] pre-training on synthetic {', '.join(PRETRAIN_CLASSES)}")
    (pre_ws, pre_x), (pre_val_ws, pre_val_x) = pretrain_data(config)
    model = build("fire_alarm_cnn", pre_x.shape[1:], len(PRETRAIN_CLASSES), verbose=config.verbose)
    train.adapt_normalization(model, pre_x)
    histories = {"pretrain": train.fit(model, pre_x, pre_ws.y, (pre_val_x, pre_val_ws.y), epochs=epochs[0],
                                       lr=3e-3, patience=4, stage="pretrain", **fit_options)}

    _say(config, "[2/6] transfer to fire_alarm vs everything else (augmented)")
    train_set, val_set, test_set = [windows_and_inputs(c, LABELS, config.verbose) for c in transfer_clips(config)]
    model, stages = train.transfer(model, train_set[1], train_set[0].y, (val_set[1], val_set[0].y), classes=2,
                                   head_epochs=epochs[1], head_lr=1e-2, fine_epochs=epochs[2], fine_lr=1e-3,
                                   patience=4, **fit_options)
    histories.update(stages)

    _say(config, "[3/6] quantization-aware fine-tuning, full-int8 conversion, export")
    tflite, model_settings, qat_model, histories["qat"] = quantize_and_export(
        model=model, train_set=train_set, val_set=val_set, out=out, labels=LABELS, target=TARGET,
        decision=dict(threshold=config.threshold, smoothing_hops=config.smoothing_hops, unknown_below=0.0,
                      energy_gate_rms=config.energy_gate_rms),
        info={"name": "fire_alarm_cnn", "recipe": "fire_alarm", "data": f"synthetic ({config.size})"},
        qat_epochs=epochs[3], fit_options=fit_options)

    _say(config, "[4/6] evaluating float, QAT and int8 (TFLM) on held-out synthetic clips")
    probs, results, agreement, int8 = evaluate_models(model=model, qat_model=qat_model, tflite=tflite,
                                                      test_set=test_set, labels=LABELS, engines=config.engines)

    real = {}
    if config.shared_data and Path(config.shared_data).is_dir():
        _say(config, f"[5/6] scoring real recordings in {config.shared_data}")
        from earshot.evaluate import real as real_recordings
        real = real_recordings.evaluate(int8, config.shared_data, model_settings)
    else:
        _say(config, "[5/6] no real recordings given: skipped")

    _say(config, f"[6/6] writing plots and the report in {out}")
    summary = run_report.write(
        out, title="Fire-alarm detector",
        description=(f"Pre-trained on synthetic {', '.join(PRETRAIN_CLASSES)}, transferred to fire_alarm vs "
                     f"other with augmentation, quantization-aware trained and converted to full int8 "
                     f"(size preset '{config.size}', seed {config.seed})."),
        histories=histories, results=results, probs=probs, test_set=test_set, real=real,
        settings=model_settings, info=describe(tflite), model=model, int8=int8, agreement=agreement,
        seconds=time.perf_counter() - started)
    dump_json(out / "metrics.json", summary)
    return summary


def available_engines():
    """TFLM always; earshot's own interpreter too when its host library is built."""
    from earshot.paths import native_library

    return ("tflm", "earshot") if native_library("interp") else ("tflm",)
