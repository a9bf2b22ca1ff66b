"""The fire-alarm demo end to end, in tiny mode (seconds, not minutes)."""
import json

import numpy as np
import pytest
from trainer_helpers import tiny_demo

from earshot import settings
from earshot.commands.demo import summary_lines
from earshot.evaluate import Int8Model
from earshot.train import network_input


def test_demo_writes_the_run_folder():
    result, out = tiny_demo()
    for name in ("model.tflite", "model.json", "model_data.h", "metrics.json", "report.md", "training.png",
                 "confusion.png", "spectrograms.png", "timeline.png"):
        assert (out / name).stat().st_size > 0, name
    embedded = settings.read((out / "model.tflite").read_bytes())
    assert embedded["labels"] == ["other", "fire_alarm"] and embedded["target"] == "fire_alarm"
    assert embedded["model"]["params"] == result["params"]
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["windows"]) == {"float", "qat", "int8"}
    report = (out / "report.md").read_text()
    assert "MACs per inference" in report and "| int8 |" in report


def test_tflm_agrees_with_tflite_on_the_demo_model():
    from earshot.data import synth, windows

    _, out = tiny_demo()
    model = (out / "model.tflite").read_bytes()
    audio, _ = synth.alarm_in_noise(3.0, bursts_at=(0.5,), seed=3)
    x = network_input(windows(audio, 16000, 4000))
    np.testing.assert_array_equal(Int8Model(model, "tflm").raw(x), Int8Model(model, "tflite").raw(x))


def test_summary_names_accuracy_and_the_report():
    result, out = tiny_demo()
    text = "\n".join(summary_lines(result))
    assert "int8" in text and f"{out}/report.md" in text


def test_demo_scores_the_real_recordings(shared_data):
    result, _ = tiny_demo()
    alarms = result["real"]["alarms"]
    assert sorted(row["file"] for row in alarms) == ["smoke_alarm_bsb0800.wav", "smoke_alarm_bsb1151.wav"]
    assert all(0 <= row["rate"] <= 1 and row["windows"] > 0 for row in alarms)
    background = result["real"]["background"]
    assert background["clips"] == 251
    assert sum(v["clips"] for v in background["per_category"].values()) == 251


def test_unknown_size_is_refused():
    from earshot.errors import DataError
    from earshot.recipes import fire_alarm

    with pytest.raises(DataError, match="unknown size 'huge'"):
        fire_alarm.run(fire_alarm.Config(size="huge", verbose=False))


def test_our_interpreter_agrees_with_tflm_on_the_demo_model():
    from earshot.paths import native_library

    if not native_library("interp"):
        pytest.skip("earshot's interpreter is not built (make modules builds build/host/libinterp.so)")
    from earshot.data import synth, windows

    _, out = tiny_demo()
    model = (out / "model.tflite").read_bytes()
    audio, _ = synth.alarm_in_noise(4.0, bursts_at=(0.5,), seed=4)
    x = network_input(windows(audio, 16000, 2000))
    np.testing.assert_array_equal(Int8Model(model, "earshot").raw(x), Int8Model(model, "tflm").raw(x))
