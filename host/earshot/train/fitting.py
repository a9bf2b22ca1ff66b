"""One training stage: compile, fit with early stopping and a learning-rate schedule,
show progress, and checkpoint every epoch so an interrupted run resumes where it was."""
import json
import time
from pathlib import Path

import numpy as np

from earshot.models import activation
from earshot.models.tf import tensorflow


def loss_for(model):
    return "binary_crossentropy" if activation(model) == "sigmoid" else "sparse_categorical_crossentropy"


def adapt_normalization(model, x, batch_size=64):
    """Fit every Normalization layer on what reaches it from x (the training inputs)."""
    tf = tensorflow()
    layers = [layer for layer in model.layers if type(layer).__name__ == "Normalization"]
    for layer in layers:
        feed = x
        if layer.input is not model.input:
            feed = tf.keras.Model(model.input, layer.input).predict(x, batch_size=batch_size, verbose=0)
        layer.adapt(feed, batch_size=batch_size)
    return len(layers)


def _progress_callback(tf, stage, count, verbose):
    class Progress(tf.keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds = time.perf_counter() - self.start
            if verbose:
                shown = "  ".join(f"{k} {v:.4g}" for k, v in (logs or {}).items())
                print(f"{stage} epoch {epoch + 1}: {shown}  ({count / max(seconds, 1e-9):.0f} windows/s)",
                      flush=True)
    return Progress()


def _checkpoint_callback(tf, folder, history):
    class Checkpoint(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            for k, v in (logs or {}).items():
                history.setdefault(k, []).append(float(v))
            self.model.save_weights(str(folder / "last.weights.h5"))
            (folder / "state.json").write_text(json.dumps({"epoch": epoch + 1, "history": history}))
    return Checkpoint()


def fit(model, x, y, val=None, *, epochs=20, lr=1e-3, batch_size=32, patience=5, stage="train",
        checkpoint=None, resume=False, class_weight=None, verbose=True):
    """Train `model` in place; returns the history {metric: [per epoch]}.

    With `checkpoint` (a folder) the weights and history are saved after every epoch;
    `resume=True` continues from there. Early stopping watches val_loss (loss without
    val) and restores the best weights; the learning rate halves on plateaus.
    """
    tf = tensorflow()
    model.compile(optimizer=tf.keras.optimizers.Adam(lr), loss=loss_for(model), metrics=["accuracy"])
    watch = "val_loss" if val is not None else "loss"
    callbacks = [
        tf.keras.callbacks.EarlyStopping(monitor=watch, patience=patience, restore_best_weights=True),
        tf.keras.callbacks.ReduceLROnPlateau(monitor=watch, factor=0.5, patience=max(1, patience // 2),
                                             min_lr=lr / 100),
        _progress_callback(tf, stage, len(x), verbose),
    ]
    history, initial_epoch = {}, 0
    if checkpoint is not None:
        folder = Path(checkpoint) / stage
        folder.mkdir(parents=True, exist_ok=True)
        state = folder / "state.json"
        if resume and state.exists():
            saved = json.loads(state.read_text())
            if saved.get("done"):
                model.load_weights(str(folder / "final.weights.h5"))
                if verbose:
                    print(f"{stage}: finished earlier, weights loaded")
                return saved["history"]
            model.load_weights(str(folder / "last.weights.h5"))
            initial_epoch, history = saved["epoch"], saved["history"]
            if verbose:
                print(f"{stage}: resuming after epoch {initial_epoch}")
        callbacks.append(_checkpoint_callback(tf, folder, history))
    if initial_epoch < epochs:
        result = model.fit(np.asarray(x), np.asarray(y), validation_data=val, epochs=epochs,
                           initial_epoch=initial_epoch, batch_size=batch_size, callbacks=callbacks,
                           class_weight=class_weight, shuffle=True, verbose=0)
        if checkpoint is None:
            history = {k: [float(v) for v in vs] for k, vs in result.history.items()}
    if checkpoint is not None:
        model.save_weights(str(folder / "final.weights.h5"))
        state.write_text(json.dumps({"epoch": len(history.get("loss", [])), "history": history, "done": True}))
    return history
