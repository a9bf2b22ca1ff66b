"""The model file contract: settings embedded in model.tflite, read back, rejected when wrong."""
import json
from pathlib import Path

import numpy as np
import pytest

from earshot import settings
from earshot.errors import ModelError

MODEL = (Path(__file__).parent / "fixtures" / "fire_alarm_int8.tflite").read_bytes()


def fire_alarm_settings(**changes):
    fields = dict(labels=["background", "fire_alarm"], target="fire_alarm", activation="sigmoid",
                  threshold=0.7, smoothing_hops=3, unknown_below=0.0, energy_gate_rms=40,
                  model={"name": "fire_alarm_cnn"})
    fields.update(changes)
    return settings.for_model(MODEL, **fields)


def buffer_starts(tflite):
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    model = schema.Model.GetRootAs(tflite, 0)
    starts = []
    for i in range(model.BuffersLength()):
        table = model.Buffers(i)._tab
        field = table.Offset(4)
        if field and table.VectorLen(field):
            starts.append(table.Vector(field))
    return starts


def run_tflm(tflite, x):
    from tflite_micro import runtime

    interpreter = runtime.Interpreter.from_bytes(tflite)
    interpreter.set_input(x, 0)
    interpreter.invoke()
    return interpreter.get_output(0)


def test_fields_follow_the_model():
    s = fire_alarm_settings()
    assert s["schema"] == 1 and s["input"]["shape"] == [1, 124, 129, 1]
    assert s["features"]["columns"] == 124 and s["features"]["bins"] == 129
    assert s["input"]["dtype"] == "int8" and -128 <= s["input"]["zero_point"] <= 127


def test_json_round_trip():
    s = fire_alarm_settings()
    assert settings.from_json(settings.to_json(s)) == s


def test_embed_then_read_round_trip():
    s = fire_alarm_settings()
    embedded = settings.embed(MODEL, s)
    assert settings.read(embedded) == s
    assert json.loads(settings.to_json(s)) == s


def test_embed_replaces_rather_than_duplicates():
    first = settings.embed(MODEL, fire_alarm_settings(threshold=0.2))
    second = settings.embed(first, fire_alarm_settings(threshold=0.9))
    assert settings.read(second)["decision"]["threshold"] == 0.9
    from earshot.export.inspect import describe
    assert describe(second)["metadata"].count("earshot") == 1


def test_embedded_model_still_runs_the_same_in_tflite_micro():
    x = np.random.default_rng(1).integers(-128, 128, (1, 124, 129, 1), dtype=np.int8)
    embedded = settings.embed(MODEL, fire_alarm_settings())
    np.testing.assert_array_equal(run_tflm(embedded, x), run_tflm(MODEL, x))


def test_buffers_stay_16_byte_aligned():
    starts = buffer_starts(settings.embed(MODEL, fire_alarm_settings()))
    assert starts and all(s % 16 == 0 for s in starts)


def test_reject_a_wrong_schema_version():
    text = settings.to_json(fire_alarm_settings()).replace('"schema": 1', '"schema": 2')
    with pytest.raises(ModelError, match="unsupported earshot settings schema 2"):
        settings.read(settings._embed_text(MODEL, text))


def test_reject_a_model_without_settings():
    with pytest.raises(ModelError, match="no earshot settings"):
        settings.read(MODEL)


def test_reject_bytes_that_are_not_a_model():
    with pytest.raises(ModelError, match="not a TFLite model"):
        settings.read(b"\x00" * 64)


def test_reject_settings_that_are_not_json():
    with pytest.raises(ModelError, match="not valid JSON"):
        settings.read(settings._embed_text(MODEL, "{schema: 1"))


@pytest.mark.parametrize("change, message", [
    (dict(threshold=1.5), "threshold must be in"),
    (dict(target="siren"), "target must be one of labels"),
    (dict(labels=["a", "b", "c"], target="a"), "sigmoid output needs exactly two labels"),
    (dict(smoothing_hops=0), "smoothing_hops"),
    (dict(labels=["fire_alarm", "background"]), "labels\\[1\\], which must be the target"),
    (dict(hop_samples=500), "multiple of features.hop"),
])
def test_reject_invalid_fields(change, message):
    with pytest.raises(ModelError, match=message):
        fire_alarm_settings(**change)


def test_embed_refuses_settings_that_do_not_describe_the_model():
    s = fire_alarm_settings()
    s["input"]["zero_point"] = s["input"]["zero_point"] + 1
    with pytest.raises(ModelError, match="input quantization"):
        settings.embed(MODEL, s)
