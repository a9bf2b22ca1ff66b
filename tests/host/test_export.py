"""Exported files: model.tflite with settings, model.json, model_data.h; `earshot inspect`."""
import re

import pytest
from trainer_helpers import FIXTURE_MODEL

from earshot import cli, settings
from earshot.export.writer import write_model


def fixture_settings():
    return settings.for_model(FIXTURE_MODEL.read_bytes(), activation="sigmoid", labels=["other", "fire_alarm"],
                              target="fire_alarm", threshold=0.6, model={"name": "fixture"})


@pytest.fixture
def exported(tmp_path):
    write_model(tmp_path, FIXTURE_MODEL.read_bytes(), fixture_settings())
    return tmp_path


def test_the_three_files_say_the_same(exported):
    model = (exported / "model.tflite").read_bytes()
    assert settings.read(model) == settings.from_json((exported / "model.json").read_text())
    header = (exported / "model_data.h").read_text()
    body = header[header.index("{"):]
    assert bytes(int(h, 16) for h in re.findall(r"0x([0-9a-f]{2})", body)) == model
    assert f"#define EARSHOT_MODEL_LEN {len(model)}" in header
    assert "aligned(16)" in header


def test_inspect_prints_settings_ops_and_quantization(exported, capsys):
    assert cli.main(["inspect", str(exported / "model.tflite")]) == 0
    shown = capsys.readouterr().out
    for text in ("CONV_2D", "RESIZE_NEAREST_NEIGHBOR", "earshot settings (schema 1)", "'fire_alarm'",
                 "threshold 0.6", "input", "scale"):
        assert text in shown


def test_inspect_json_is_the_embedded_settings(exported, capsys):
    assert cli.main(["inspect", "--json", str(exported / "model.tflite")]) == 0
    assert settings.from_json(capsys.readouterr().out) == fixture_settings()


def test_inspect_says_when_a_model_has_no_settings(capsys):
    assert cli.main(["inspect", str(FIXTURE_MODEL)]) == 1
    assert "earshot settings: none" in capsys.readouterr().out


def test_inspect_refuses_a_file_that_is_not_a_model(tmp_path, capsys):
    junk = tmp_path / "junk.tflite"
    junk.write_bytes(b"not a model at all")
    assert cli.main(["inspect", str(junk)]) == 1
    assert "not a TFLite model" in capsys.readouterr().err
