"""Train on your own recordings: a folder with one sub-folder per label, or an ESC-50
style dataset (meta.csv with folds). With `target`, every other label becomes "other"
and the model is a detector (sigmoid); without, a classifier over all labels (softmax).
With `base` (a model.keras from an earlier run, e.g. the fire-alarm demo), the body is
transferred: head replaced, trained at a high rate, then fine-tuned at a low one.

    from earshot.recipes import folder
    folder.run(folder.Config(data="my_sounds", target="fire_alarm", base="runs/demo/model.keras"))
"""
import dataclasses
import time
from pathlib import Path

from earshot.data import load_esc50, load_folder, split
from earshot.errors import DataError
from earshot.recipes.pipeline import dump_json, evaluate_models, quantize_and_export, windows_and_inputs


@dataclasses.dataclass
class Config:
    data: str
    out: str = "runs/custom"
    layout: str = "auto"           # "folder", "esc50" or "auto" (esc50 when a meta csv is there)
    target: str | None = None
    model: str = "fire_alarm_cnn"
    base: str | None = None
    epochs: int = 30
    qat_epochs: int = 5
    batch_size: int = 32
    augment: bool = True
    threshold: float = 0.5
    smoothing_hops: int = 3
    unknown_below: float = 0.0
    energy_gate_rms: int = 0
    seed: int = 0
    resume: bool = False
    verbose: bool = True


def load(config):
    root = Path(config.data)
    esc50 = (root / "meta.csv").is_file() or (root / "meta" / "esc50.csv").is_file()
    layout = config.layout if config.layout != "auto" else ("esc50" if esc50 else "folder")
    clips = load_esc50(root) if layout == "esc50" else load_folder(root)
    labels = sorted({c.label for c in clips})
    if config.target is not None:
        if config.target not in labels:
            raise DataError(f"target {config.target!r} is not among the labels {labels}")
        clips = [dataclasses.replace(c, label=c.label if c.label == config.target else "other") for c in clips]
        labels = ["other", config.target]
    if len(labels) < 2:
        raise DataError(f"{root}: need at least two labels, found {labels}")
    return clips, labels


def run(config):
    import numpy as np

    from earshot import train
    from earshot.export.inspect import describe
    from earshot.models import build
    from earshot.models.tf import keras, tensorflow
    from earshot.recipes import run_report

    tensorflow().keras.utils.set_random_seed(config.seed)
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    clips, labels = load(config)
    parts = split(clips, seed=config.seed)
    if config.verbose:
        print(parts.summary())
    train_clips = parts.train
    if config.augment:
        import earshot.augment as augment

        jitter = augment.default_augment([c for c in parts.train if c.label != config.target][:50] or None)
        rng = np.random.default_rng(config.seed)
        train_clips = train_clips + [dataclasses.replace(c, audio=jitter(c.audio, rng)) for c in parts.train]
    train_set, val_set, test_set = [windows_and_inputs(c, labels, config.verbose)
                                    for c in (train_clips, parts.val, parts.test)]
    fit_options = dict(batch_size=config.batch_size, checkpoint=out / "checkpoints", resume=config.resume,
                       verbose=config.verbose)
    x, y, val = train_set[1], train_set[0].y, (val_set[1], val_set[0].y)
    if config.base:
        base = keras().models.load_model(config.base)
        model, histories = train.transfer(base, x, y, val, classes=len(labels), head_epochs=max(1, config.epochs // 4),
                                          fine_epochs=config.epochs, **fit_options)
    else:
        model = build(config.model, x.shape[1:], len(labels), verbose=config.verbose)
        train.adapt_normalization(model, x)
        histories = {"train": train.fit(model, x, y, val, epochs=config.epochs, stage="train", **fit_options)}
    target = config.target or labels[-1]  # a sigmoid gives the probability of labels[1]
    tflite, model_settings, qat_model, histories["qat"] = quantize_and_export(
        model=model, train_set=train_set, val_set=val_set, out=out, labels=labels, target=target,
        decision=dict(threshold=config.threshold, smoothing_hops=config.smoothing_hops,
                      unknown_below=config.unknown_below, energy_gate_rms=config.energy_gate_rms),
        info={"name": config.model if not config.base else f"transfer from {config.base}",
              "recipe": "folder", "data": str(config.data)},
        qat_epochs=config.qat_epochs, fit_options=fit_options)
    probs, results, agreement, int8 = evaluate_models(model=model, qat_model=qat_model, tflite=tflite,
                                                      test_set=test_set, labels=labels,
                                                      unknown_below=config.unknown_below)
    summary = run_report.write(
        out, title=f"Model trained on {config.data}",
        description=f"Labels {labels}; {'transfer from ' + config.base if config.base else config.model}.",
        histories=histories, results=results, probs=probs, test_set=test_set, real={},
        settings=model_settings, info=describe(tflite), model=model, int8=int8, agreement=agreement,
        seconds=time.perf_counter() - started)
    dump_json(out / "metrics.json", summary)
    return summary
