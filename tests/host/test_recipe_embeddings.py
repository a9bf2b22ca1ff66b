"""Frozen base + logistic-regression head, tiny preset: the base is frozen, the
embeddings are its penultimate activations, the held-out class stays out of its
training, and the report is written."""
import json

import numpy as np
import pytest

from earshot.errors import DataError
from earshot.recipes import embeddings


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("embeddings")
    return out, embeddings.run(embeddings.Config(out=str(out), size="tiny", verbose=False))


def test_tiny_run(tiny_run):
    out, summary = tiny_run
    assert json.loads((out / "metrics.json").read_text())["embedding_size"] == summary["embedding_size"] > 0
    assert summary["held_out"] == ["glass"] and "glass" not in summary["base_labels"]
    assert 0.0 <= summary["accuracy_embeddings_head"] <= 1.0
    assert 0.0 <= summary["base_val_accuracy"] <= 1.0
    assert "logistic regression" in (out / "report.md").read_text()


def test_embedder_is_frozen_penultimate_layer():
    from earshot.models import build

    model = build("fire_alarm_cnn", (124, 129, 1), 3, verbose=False)
    embedder = embeddings.embedder(model)
    assert not embedder.trainable and not embedder.trainable_weights
    assert embedder.output_shape[-1] == model.get_layer("head").input_shape[-1]
    x = np.zeros((1, 124, 129, 1), np.float32)
    assert embedder.predict(x, verbose=0).shape == (1, embedder.output_shape[-1])


def test_missing_esc50_folder_is_refused(tmp_path):
    with pytest.raises(DataError, match="no ESC-50 folder"):
        embeddings.run(embeddings.Config(out=str(tmp_path), size="tiny", esc50=str(tmp_path / "nope"),
                                         verbose=False))
