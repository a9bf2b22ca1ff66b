"""`earshot evaluate`: labelled folders and recordings, scored by a model's own settings."""
import json

import pytest
from trainer_helpers import tiny_demo, tones_and_noise

from earshot import cli
from earshot.data import synth, write_wav


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    root = tmp_path_factory.mktemp("labelled")
    for clip in synth.dataset(3, classes=("fire_alarm", "background", "siren"), seconds=1.0, seed=21):
        folder = root / clip.label
        folder.mkdir(exist_ok=True)
        write_wav(folder / f"{clip.group}.wav", clip.audio)
    return root


def test_scores_a_labelled_folder_with_the_models_labels(labelled, tmp_path, capsys):
    _, out = tiny_demo()
    report = tmp_path / "scores.json"
    assert cli.main(["evaluate", str(out / "model.tflite"), str(labelled), "--json", str(report)]) == 0
    shown = capsys.readouterr().out
    assert "windows: accuracy" in shown and "confusion" in shown and "unknown" in shown
    scores = json.loads(report.read_text())
    assert scores["windows"]["count"] == 9  # siren and background both count as "other"
    assert scores["windows"]["per_class"]["fire_alarm"]["support"] == 3


def test_replays_recordings_through_the_decisions(tmp_path, capsys):
    _, out = tiny_demo()
    audio, _ = tones_and_noise(1, samples=40000)
    wav = tmp_path / "take.wav"
    write_wav(wav, audio[0])
    assert cli.main(["evaluate", str(out / "model.tflite"), str(wav)]) == 0
    assert "fire_alarm raised on" in capsys.readouterr().out


def test_refuses_missing_data(capsys):
    _, out = tiny_demo()
    assert cli.main(["evaluate", str(out / "model.tflite"), "no/such/folder"]) == 1
    assert "not found: no/such/folder" in capsys.readouterr().err
