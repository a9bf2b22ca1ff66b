"""`earshot train` on a folder of labelled WAVs, from scratch and by transfer."""
import json

import numpy as np
import pytest
from trainer_helpers import tiny_demo, tones_and_noise

from earshot import cli, settings
from earshot.data import write_wav


@pytest.fixture(scope="module")
def sounds(tmp_path_factory):
    root = tmp_path_factory.mktemp("sounds")
    audio, labels = tones_and_noise(16, seed=4, samples=24000)
    for i, (clip, label) in enumerate(zip(audio, labels)):
        folder = root / ("beep" if label else "hum")
        folder.mkdir(exist_ok=True)
        write_wav(folder / f"take{i}.wav", clip)
    return root


def test_train_a_folder_from_scratch(sounds, tmp_path, capsys):
    out = tmp_path / "run"
    assert cli.main(["train", str(sounds), "--target", "beep", "--epochs", "1", "--qat-epochs", "1",
                     "--no-augment", "--out", str(out), "--unknown-below", "0.55"]) == 0
    assert "int8: accuracy" in capsys.readouterr().out
    embedded = settings.read((out / "model.tflite").read_bytes())
    assert embedded["labels"] == ["other", "beep"] and embedded["decision"]["unknown_below"] == 0.55
    assert set(json.loads((out / "metrics.json").read_text())["windows"]) == {"float", "qat", "int8"}


def test_train_by_transfer_from_the_demo(sounds, tmp_path):
    from earshot.recipes import folder

    _, demo = tiny_demo()
    result = folder.run(folder.Config(data=str(sounds), out=str(tmp_path / "run"), base=str(demo / "model.keras"),
                                      epochs=1, qat_epochs=1, augment=False, verbose=False))
    assert result["histories"].keys() >= {"head", "fine_tune", "qat"}
    assert settings.read((tmp_path / "run" / "model.tflite").read_bytes())["labels"] == ["beep", "hum"]


def test_train_needs_data_or_a_recipe(capsys):
    assert cli.main(["train"]) == 1
    assert "give either DATA or --recipe" in capsys.readouterr().err


def test_train_refuses_an_unknown_target(sounds, capsys):
    assert cli.main(["train", str(sounds), "--target", "siren"]) == 1
    assert "target 'siren' is not among the labels" in capsys.readouterr().err
