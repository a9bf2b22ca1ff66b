"""Accuracy, per-class precision/recall and confusion matrices, with an "unknown" answer.

Probabilities are (n, classes) arrays; a sigmoid model's p becomes [1 - p, p].
A prediction whose top probability is below `unknown_below` is "unknown": it gets its
own column (index = number of classes) and counts as wrong for accuracy.
"""
import numpy as np

UNKNOWN = "unknown"


def as_classes(probs):
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim == 1 or probs.shape[1] == 1:
        p = probs.reshape(-1)
        return np.stack([1 - p, p], axis=1)
    return probs


def with_unknown(probs, unknown_below=0.0):
    """Predicted class index per row, or n_classes where the top probability < unknown_below."""
    probs = as_classes(probs)
    predicted = probs.argmax(axis=1)
    predicted[probs.max(axis=1) < unknown_below] = probs.shape[1]
    return predicted


def confusion(y_true, predicted, classes):
    """Rows: true class; columns: predicted class, then "unknown"."""
    matrix = np.zeros((classes, classes + 1), dtype=np.int64)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(predicted)), 1)
    return matrix


def metrics(y_true, probs, labels, unknown_below=0.0):
    """A JSON-ready dict: accuracy, per-class precision/recall, confusion, unknown count."""
    y_true = np.asarray(y_true)
    predicted = with_unknown(probs, unknown_below)
    matrix = confusion(y_true, predicted, len(labels))
    per_class = {}
    for i, label in enumerate(labels):
        hits = int(matrix[i, i])
        said = int(matrix[:, i].sum())
        real = int(matrix[i].sum())
        per_class[label] = {"precision": hits / said if said else None,
                            "recall": hits / real if real else None, "support": real}
    return {"count": int(len(y_true)),
            "accuracy": float((predicted == y_true).mean()) if len(y_true) else None,
            "unknown": int((predicted == len(labels)).sum()), "unknown_below": unknown_below,
            "per_class": per_class, "confusion": matrix.tolist(),
            "confusion_columns": list(labels) + [UNKNOWN]}


def clip_scores(probs, clip_index):
    """Average the window probabilities of each clip: (clip ids, (n_clips, classes))."""
    probs = as_classes(probs)
    clip_index = np.asarray(clip_index)
    ids = np.unique(clip_index)
    return ids, np.stack([probs[clip_index == i].mean(axis=0) for i in ids])
