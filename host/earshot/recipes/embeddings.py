"""Frozen feature extractor + linear head: a user with a few labelled clips gets a
working classifier in minutes.

1. Base: a network (default the fire-alarm CNN) trained on the largest data at hand: the
   synthetic classes of earshot.data.synth except the held-out ones, or an ESC-50-style
   dataset when `esc50` is given. Frozen afterwards.
2. Embeddings: the base's penultimate activations (the input of its "head" layer).
3. Head: scikit-learn logistic regression on the embeddings of `shots` clips per class
   of a new task (default: glass, doorbell, background; glass is held out of the base's
   training, the way a user's new sound is new to a base trained elsewhere).
Compared with the same head on the plain spectrogram averaged over time (no base),
on held-out clips of the new task.

    from earshot.recipes import embeddings
    embeddings.run(embeddings.Config(out="runs/embeddings", size="tiny"))
"""
import dataclasses
import json
import time
from pathlib import Path

import numpy as np

from earshot.errors import DataError

NEW_TASK = ("glass", "doorbell", "background")
HELD_OUT = ("glass",)
SIZES = {  # base clips per class, base epochs, labelled clips per new class, test clips per new class
    "full": dict(base_clips=300, epochs=30, shots=10, test=60),
    "fast": dict(base_clips=120, epochs=15, shots=10, test=40),
    "tiny": dict(base_clips=14, epochs=1, shots=4, test=4),
}


@dataclasses.dataclass
class Config:
    out: str = "runs/embeddings"
    size: str = "fast"
    seed: int = 0
    base_model: str = "fire_alarm_cnn"  # its 288-value flatten beat the DS-CNN's 24 pooled values
    esc50: str | None = None        # an ESC-50-style folder to train the base on instead
    new_task: tuple = NEW_TASK
    held_out: tuple = HELD_OUT      # synthetic classes the base never sees
    verbose: bool = True


def _say(config, message):
    if config.verbose:
        print(message, flush=True)


def base_data(config, sizes):
    """(clips, labels) for the base: synthetic classes outside the new task, or ESC-50."""
    from earshot.data import load_esc50, synth

    if config.esc50:
        if not Path(config.esc50).is_dir():
            raise DataError(f"no ESC-50 folder at {config.esc50}", hint="earshot data get esc50")
        clips = load_esc50(config.esc50)
        return clips, tuple(sorted({c.label for c in clips}))
    labels = tuple(c for c in synth.CLASSES if c not in config.held_out)
    if len(labels) < 2:
        raise DataError("every synthetic class is held out: nothing is left to pre-train on")
    return synth.dataset(sizes["base_clips"], classes=labels, seconds=1.0, seed=config.seed + 400), labels


def train_base(config, sizes):
    from earshot.data import split
    from earshot.models import build
    from earshot.recipes.pipeline import windows_and_inputs
    from earshot.train import adapt_normalization, fit

    clips, labels = base_data(config, sizes)
    parts = split(clips, test_fraction=0.0, val_fraction=0.15, seed=config.seed)
    (tr_ws, tr_x), (va_ws, va_x) = [windows_and_inputs(p, labels, False) for p in (parts.train, parts.val)]
    model = build(config.base_model, tr_x.shape[1:], len(labels), verbose=config.verbose)
    adapt_normalization(model, tr_x)
    fit(model, tr_x, tr_ws.y, (va_x, va_ws.y) if len(va_ws) else None, epochs=sizes["epochs"], lr=3e-3,
        patience=4, stage="base", verbose=config.verbose)
    val_accuracy = None
    if len(va_ws):
        from earshot.evaluate import predict_float
        val_accuracy = float((predict_float(model, va_x).argmax(axis=1) == va_ws.y).mean())
    return model, labels, len(tr_ws), val_accuracy


def embedder(model):
    """The frozen base up to the head's input."""
    from earshot.models.tf import keras

    body = keras().Model(model.input, model.get_layer("head").input, name="embedder")
    body.trainable = False
    return body


def new_task_data(config, sizes):
    """Few labelled windows per class of the new task, and held-out test windows."""
    from earshot.data import synth
    from earshot.recipes.pipeline import windows_and_inputs

    per_class = sizes["shots"] + sizes["test"]
    clips = synth.dataset(per_class, classes=config.new_task, seconds=1.0, seed=config.seed + 500)
    by_label = {label: [c for c in clips if c.label == label] for label in config.new_task}
    train = [c for label in config.new_task for c in by_label[label][:sizes["shots"]]]
    test = [c for label in config.new_task for c in by_label[label][sizes["shots"]:]]
    return [windows_and_inputs(part, config.new_task, False) for part in (train, test)]


def linear_head(x, y, seed):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, random_state=seed)).fit(x, y)


def run(config=None):
    config = config or Config()
    if config.size not in SIZES:
        raise DataError(f"unknown size {config.size!r}", hint=f"choose one of {', '.join(SIZES)}")
    from earshot.models.tf import tensorflow

    sizes = SIZES[config.size]
    tensorflow().keras.utils.set_random_seed(config.seed)
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    _say(config, f"[1/3] training the base ({config.base_model}) on "
                 f"{'ESC-50 at ' + config.esc50 if config.esc50 else 'synthetic classes'}")
    model, base_labels, base_windows, base_accuracy = train_base(config, sizes)
    body = embedder(model)
    body.save(str(out / "embedder.keras"))
    base_seconds = time.perf_counter() - started

    _say(config, f"[2/3] {sizes['shots']} labelled clips per new class: {', '.join(config.new_task)}")
    (tr_ws, tr_x), (te_ws, te_x) = new_task_data(config, sizes)
    head_started = time.perf_counter()
    tr_e = body.predict(tr_x, verbose=0)
    head = linear_head(tr_e, tr_ws.y, config.seed)
    head_seconds = time.perf_counter() - head_started
    te_e = body.predict(te_x, verbose=0)
    accuracy = float(head.score(te_e, te_ws.y))

    _say(config, "[3/3] the same head without the base (time-averaged spectrogram)")
    plain = linear_head(tr_x.mean(axis=1).reshape(len(tr_x), -1), tr_ws.y, config.seed)
    plain_accuracy = float(plain.score(te_x.mean(axis=1).reshape(len(te_x), -1), te_ws.y))

    summary = {"recipe": "embeddings", "size": config.size, "seed": config.seed, "base_model": config.base_model,
               "base_data": config.esc50 or "synthetic", "base_labels": list(base_labels),
               "base_windows": base_windows, "base_val_accuracy": base_accuracy,
               "base_params": int(model.count_params()),
               "embedding_size": int(tr_e.shape[1]), "new_task": list(config.new_task),
               "held_out": [c for c in config.held_out if c not in base_labels],
               "labelled_windows": len(tr_ws), "test_windows": len(te_ws),
               "accuracy_embeddings_head": accuracy, "accuracy_without_base": plain_accuracy,
               "base_seconds": base_seconds, "head_seconds": head_seconds,
               "seconds": time.perf_counter() - started}
    (out / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n")
    (out / "report.md").write_text(report(summary))
    return summary


def _pct(value):
    return "n/a" if value is None else f"{100 * value:.1f}%"


def report(s):
    return "\n".join([
        f"# Frozen embeddings + logistic-regression head (size {s['size']})", "",
        f"Base: {s['base_model']} ({s['base_params']:,} parameters) trained on {s['base_data']} "
        f"({', '.join(s['base_labels'][:8])}{'...' if len(s['base_labels']) > 8 else ''}; "
        f"{s['base_windows']} windows; validation accuracy "
        f"{_pct(s['base_val_accuracy'])}) "
        f"in {s['base_seconds']:.0f} s, then frozen; embedding = its "
        f"{s['embedding_size']}-value penultimate activations.", "",
        f"New task: {', '.join(s['new_task'])} ({', '.join(s['held_out']) or 'none'} never seen by the base), "
        f"{s['labelled_windows']} labelled windows, {s['test_windows']} held-out test windows.", "",
        "| classifier | test accuracy | fit time |", "|---|---|---|",
        f"| frozen base + logistic regression | {100 * s['accuracy_embeddings_head']:.1f}% | "
        f"{s['head_seconds']:.1f} s |",
        f"| logistic regression on the time-averaged spectrogram (no base) | "
        f"{100 * s['accuracy_without_base']:.1f}% | |", "",
        "The embedder is saved as embedder.keras; predict(embedder(x)) with the sklearn head.", ""])
