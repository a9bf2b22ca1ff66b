"""Collaborative optimization, tiny preset on the fire-alarm CNN: PCQAT's int8 model
keeps both the pruning (zeros) and the clustering (few values per channel)."""
import json

import pytest

from earshot.errors import DataError
from earshot.recipes import optimize


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("optimize")
    config = optimize.Config(out=str(out), size="tiny", models=("fire_alarm_cnn",), variants=("pcqat",),
                             verbose=False)
    return out, config, optimize.run(config)


def test_pcqat_int8_weights_stay_sparse_and_clustered(tiny_run):
    out, config, summary = tiny_run
    row = summary["models"]["fire_alarm_cnn"]["pcqat"]
    conv = [r for r in row["int8_layers"] if r["layer"].startswith("conv")]
    assert len(conv) == 1
    assert conv[0]["sparsity"] >= config.sparsity - 0.05
    # each output channel: at most one int8 value per cluster, plus the preserved zero
    assert conv[0]["unique_per_channel_max"] <= config.clusters + 1
    assert row["tflite_bytes"] == (out / "fire_alarm_cnn.pcqat.tflite").stat().st_size
    assert 0 < row["gzip_bytes"] < row["tflite_bytes"]


def test_report_and_metrics_written(tiny_run):
    out, _, summary = tiny_run
    assert json.loads((out / "metrics.json").read_text())["models"].keys() == {"fire_alarm_cnn"}
    assert "| pcqat |" in (out / "report.md").read_text()


def test_unknown_variant_is_refused(tmp_path):
    with pytest.raises(DataError, match="unknown models or variants"):
        optimize.run(optimize.Config(out=str(tmp_path), variants=("pruned", "magic"), verbose=False))


def test_collaborative_qat_keeps_the_normalization_state():
    import numpy as np

    from earshot.models import build
    from earshot.train import adapt_normalization

    rng = np.random.default_rng(0)
    x = rng.random((8, 124, 129, 1), dtype=np.float32) * 0.05
    y = np.arange(8) % 2
    model = build("fire_alarm_cnn", x.shape[1:], 2, verbose=False)
    adapt_normalization(model, x)
    config = optimize.Config(verbose=False)
    optimize._fit(model, ((x, y), (x, y)), 1, 1e-3, 8)   # a trained model, as in the recipe
    quantized = optimize.qat(model, ((x, y), (x, y)), config, 1, optimize._schemes()["pcqat"])
    from earshot.models.tf import keras

    def normalized(m, node):  # layers may be shared between the two graphs: pick m's node
        return keras().Model(m.input, m.get_layer("normalize").get_output_at(node)).predict(x, verbose=0)
    layer = quantized.get_layer("normalize")
    after = normalized(quantized, len(layer._inbound_nodes) - 1)
    assert np.allclose(after, normalized(model, 0), atol=1e-4)
    assert not np.allclose(model.get_layer("normalize").get_weights()[1], 1.0)  # adapted: not the identity
