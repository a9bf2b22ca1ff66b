"""The trees recipe in its tiny preset: models written as ETRS files that the host
library loads and that predict exactly as sklearn / emlearn; the recipe CLI dispatch."""
import json

import numpy as np
import pytest

from earshot import cli
from earshot.errors import DataError
from earshot.recipes import trees
from earshot.recipes.trees_model import HostForest


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("trees")
    return out, trees.run(trees.Config(out=str(out), size="tiny", boards=(), verbose=False))


def test_tiny_run_writes_report_and_exact_models(tiny_run):
    out, summary = tiny_run
    assert json.loads((out / "metrics.json").read_text())["recipe"] == "trees"
    assert set(summary["models"]) == {f"{m}.{f}" for m in trees.MODELS for f in trees.FEATURES}
    assert "| decision_tree.mfcc |" in (out / "report.md").read_text()
    for name, row in summary["models"].items():
        assert row["host_equals_sklearn"] and row["host_equals_emlearn"], name
        forest = HostForest((out / f"{name}.etrs").read_bytes())
        assert forest.n_features == {"bands": 2 * trees.BANDS, "mfcc": 40}[row["features"]]
        assert forest.n_classes == 2
        assert row["model_bytes"] == (out / f"{name}.etrs").stat().st_size


def test_window_features_are_band_features_of_the_spectrogram():
    rng = np.random.default_rng(1)
    windows = rng.integers(-3000, 3000, (2, 16000)).astype(np.int16)
    features = trees.window_features(windows, "bands")
    assert features.shape == (2, 32) and features.dtype == np.int16
    assert np.all(features[:, :16] > 0)          # noise has energy in every band
    assert trees.window_features(windows, "mfcc").shape == (2, 40)
    with pytest.raises(DataError, match="unknown features"):
        trees.window_features(windows, "chroma")


def test_unknown_size_is_refused(tmp_path):
    with pytest.raises(DataError, match="unknown size"):
        trees.run(trees.Config(out=str(tmp_path), size="huge", verbose=False))


def test_recipe_list(capsys):
    assert cli.main(["recipe", "list"]) == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in ("fire_alarm", "trees", "optimize", "embeddings"))


def test_recipe_options_reach_the_config(tmp_path):
    from earshot.commands import recipe

    args = cli.build_parser().parse_args(["recipe", "trees", "--fast", "--out", str(tmp_path), "--cnn", "x.json"])
    module, config = recipe.config_for(args)
    assert module is trees and config.size == "tiny" and config.cnn_metrics == "x.json"
    args = cli.build_parser().parse_args(["recipe", "optimize", "--models", "ds_cnn", "--size", "full"])
    module, config = recipe.config_for(args)
    assert config.models == ("ds_cnn",) and config.size == "full" and config.out == "runs/optimize"
    args = cli.build_parser().parse_args(["recipe", "fire_alarm", "--fast"])
    module, config = recipe.config_for(args)
    assert module.__name__ == "earshot.recipes.fire_alarm" and config.size == "tiny"


def test_unknown_recipe_is_refused(capsys):
    with pytest.raises(SystemExit):
        cli.main(["recipe", "music"])
    assert "invalid choice" in capsys.readouterr().err
