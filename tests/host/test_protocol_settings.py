"""The board's reading of model settings (device/earshot_app/settings.py, minijson.py),
judged against the host's earshot.settings and CPython's json."""
import json

import pytest

from earshot import settings as host_settings
from earshot.deploy.device_code import module

board_settings = module("settings")
minijson = module("minijson")


def make(**overrides):
    fields = dict(labels=["other", "alarm"], target="alarm", input_scale=0.0123,
                  input_zero_point=-128, output_scale=1 / 256, output_zero_point=-128,
                  activation="sigmoid", threshold=0.6, smoothing_hops=3,
                  unknown_below=0.25, energy_gate_rms=40)
    fields.update(overrides)
    return host_settings.make(**fields)


def blob(doc):
    return host_settings.to_json(doc).encode()


def test_reads_what_the_trainer_writes():
    doc = make()
    s = board_settings.from_metadata(blob(doc))
    assert (s.sample_rate, s.hop_samples, s.window_samples) == (16000, 512, 16000)
    assert (s.frame, s.feature_hop, s.fft, s.columns, s.bins) == (256, 128, 256, 124, 129)
    assert s.columns_per_hop == 4
    assert s.input_shape == [1, 124, 129, 1]
    assert s.labels == ["other", "alarm"] and s.target_index == 1
    assert (s.threshold_pm, s.unknown_below_pm, s.smoothing_hops, s.energy_gate_rms) == (600, 250, 3, 40)
    assert s.outputs == 1 and s.activation == "sigmoid"
    assert s.hop_ms(0) == 32 and s.hop_ms(30) == 992


def test_minijson_parses_like_json():
    text = json.dumps({"a": [1, -2, 3.5, 1e-3, True, False, None], "s": "q\"\\/\n\u00e9",
                       "nested": {"x": {}}, "e": []}, indent=1)
    assert minijson.parse(text) == json.loads(text)
    assert minijson.parse(host_settings.to_json(make())) == make()


@pytest.mark.parametrize("text, match", [("[", "unexpected end"), ("{", "expected a key"), ('{"a" 1}', "expected ':'"),
                                         ("[1 2]", "expected ','"), ("{} x", "trailing"),
                                         ('"abc', "unterminated")])
def test_minijson_rejects_bad_text(text, match):
    with pytest.raises(ValueError, match=match):
        minijson.parse(text)


def test_refuses_unknown_schema():
    doc = make()
    doc["schema"] = 2
    with pytest.raises(board_settings.SettingsError, match="schema 2 is not understood"):
        board_settings.from_metadata(json.dumps(doc).encode())


def test_refuses_missing_settings_and_bad_json():
    with pytest.raises(board_settings.SettingsError, match="carries no"):
        board_settings.from_metadata(None)
    with pytest.raises(board_settings.SettingsError, match="not valid JSON"):
        board_settings.from_metadata(b"{schema")


@pytest.mark.parametrize("path, value, match", [
    (("features", "kind"), "mel_q15", "features.kind 'mel_q15' is not supported"),
    (("features", "kind"), "mfcc_q15", "missing features.sample_rate"),
    (("input", "float_input"), "u8", "float_input 'u8' does not fit spectrogram_q15"),
    (("decision", "threshold"), 1.5, "decision.threshold must be in"),
    (("decision", "smoothing_hops"), 0, "smoothing_hops must be > 0"),
    (("hop_samples",), 500, "not a multiple of features.hop"),
    (("target",), "dog", "target 'dog' is not one of the labels"),
    (("output", "activation"), "relu", "activation 'relu' is not supported"),
])
def test_refuses_values_it_cannot_run(path, value, match):
    doc = make()
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(board_settings.SettingsError, match=match):
        board_settings.from_metadata(json.dumps(doc).encode())


def test_refuses_missing_field():
    doc = make()
    del doc["decision"]["energy_gate_rms"]
    with pytest.raises(board_settings.SettingsError, match="missing decision.energy_gate_rms"):
        board_settings.from_metadata(json.dumps(doc).encode())


def lock_doc():
    from tests.conftest import ROOT

    return host_settings.read((ROOT / "tests" / "fixtures" / "app" / "smart_lock.tflite").read_bytes())


def test_reads_mfcc_settings_with_scaling():
    doc = lock_doc()
    s = board_settings.from_metadata(blob(doc))
    f = doc["features"]
    assert s.mfcc == (400, 400, 512, 16000, 0, 8000, 40, 20)
    assert s.scaling == (f["scaling"]["min"], f["scaling"]["max"]) and s.input_divisor == 1
    assert (s.columns, s.bins, s.columns_per_hop, s.window_hops) == (15, 20, 1, 15)
    del doc["features"]["scaling"]
    doc["input"]["float_input"] = "q8.7/128"
    s = board_settings.from_metadata(blob(doc))
    assert s.scaling is None and s.input_divisor == 128


@pytest.mark.parametrize("change, match", [
    (lambda d: d["features"]["scaling"].update(kind="zscore"), "scaling.kind 'zscore' is not supported"),
    (lambda d: d["features"]["scaling"].update(max=d["features"]["scaling"]["min"]), "max > min"),
    (lambda d: d["features"].update(bins=19), "bins must equal features.coefficients"),
    (lambda d: d["input"].update(float_input="q8.7/128"), "'q8.7/128' does not fit mfcc_q15 features with scaling"),
])
def test_refuses_mfcc_settings_it_cannot_run(change, match):
    doc = lock_doc()
    change(doc)
    with pytest.raises(board_settings.SettingsError, match=match):
        board_settings.from_metadata(json.dumps(doc).encode())
