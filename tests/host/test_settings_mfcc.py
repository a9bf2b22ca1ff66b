"""Schema 1 with features.kind "mfcc_q15": round trip through a model file, and the
values the board could not run refused with a message naming the field."""
import copy
from pathlib import Path

import pytest

from earshot import settings
from earshot.errors import ModelError

LOCK = Path(__file__).resolve().parent.parent / "fixtures" / "app" / "smart_lock.tflite"


def lock_settings():
    return settings.read(LOCK.read_bytes())


def test_smart_lock_fixture_round_trips_through_embed_and_read():
    s = lock_settings()
    assert s["features"]["kind"] == "mfcc_q15" and s["input"]["float_input"] == "u8"
    s["decision"]["threshold"] = 0.9
    again = settings.read(settings.embed(LOCK.read_bytes(), s))
    assert again == s
    assert settings.from_json(settings.to_json(s)) == s


def test_mfcc_features_builder_is_valid_for_both_recipes_shapes():
    scaling = settings.minmax_scaling([-100] * 20, [100] * 20)
    lock = settings.mfcc_features(6000, frame=400, hop=400, fft=512, fmax=8000, scaling=scaling)
    assert (lock["columns"], lock["bins"]) == (15, 20)
    assert settings.default_float_input(lock) == "u8"
    music = settings.mfcc_features(22050, frame=512, hop=512, fft=512, sample_rate=22050, fmin=20, fmax=4000,
                                   coefficients=18)
    assert (music["columns"], music["bins"], music["fmax"]) == (43, 18, 4000)
    assert settings.default_float_input(music) == "q8.7/128"
    s = copy.deepcopy(lock_settings())
    s.update(sample_rate=22050, window_samples=22050, hop_samples=43 * 512, features=music)
    s["input"].update(shape=[1, 43, 18], float_input="q8.7/128")  # an LSTM's 3-D input
    assert settings.validate(s) is s


def changed(path, value):
    s = copy.deepcopy(lock_settings())
    *parents, last = path.split(".")
    block = s
    for key in parents:
        block = block[key]
    if value is KeyError:
        del block[last]
    else:
        block[last] = value
    return s


@pytest.mark.parametrize("path, value, message", [
    ("features.fft", 1024, r"features.fft 1024 is not one the board's mfcc builds"),
    ("features.frame", 300, r"features.frame 300 is not one"),
    ("features.bands", 300, r"features.bands must be in 2..128"),
    ("features.bands", 10, r"coefficients must be in 1..bands"),
    ("features.coefficients", 0, r"coefficients must be in 1..bands"),
    ("features.fmax", 9000, r"fmin < fmax <= sample_rate // 2"),
    ("features.fmin", 8000, r"fmin < fmax"),
    ("features.sample_rate", 22050, r"features.sample_rate must equal sample_rate"),
    ("features.bands", 40.0, r"features.bands must be an integer"),
    ("features.hop", True, r"features.hop must be an integer"),
    ("features.bins", 21, r"bins must equal coefficients"),
    ("features.columns", 14, r"columns does not match"),
    ("features.fmin", KeyError, r"'features' lacks fmin"),
    ("features.scaling.kind", "zscore", r"scaling.kind must be one of"),
    ("features.scaling.min", [0] * 19, r"scaling.min must be 20 int16 integers"),
    ("features.scaling.max", [40000] * 20, r"scaling.max must be 20 int16 integers"),
    ("features.scaling.max", [-5000] * 20, r"max > min for every coefficient"),
    ("features.scaling", KeyError, r"float_input must be 'q8.7/128' for mfcc_q15 features, got 'u8'"),
    ("input.float_input", "q15/32768", r"float_input must be 'u8' for mfcc_q15 features with scaling"),
    ("input.shape", [1, 20, 15, 1], r"input.shape must be"),
    ("decision.post_buffer", 40, r"post_buffer must be an integer in 1..32"),
    ("decision.energy_backoff_windows", 0, r"energy_backoff_windows must be an integer >= 1"),
    ("decision.vote", 3, r"decision.vote must be a text"),
])
def test_mfcc_settings_the_board_cannot_run_are_refused(path, value, message):
    with pytest.raises(ModelError, match=message):
        settings.validate(changed(path, value))


def test_spectrogram_features_refuse_mfcc_only_fields():
    s = settings.make(labels=["a", "b"], target="b", input_scale=0.1, input_zero_point=0, output_scale=1 / 256,
                      output_zero_point=-128, activation="sigmoid")
    s["features"]["scaling"] = settings.minmax_scaling([0], [1])
    with pytest.raises(ModelError, match="scaling is only defined for mfcc_q15"):
        settings.validate(s)
    del s["features"]["scaling"]
    s["input"]["float_input"] = "u8"
    with pytest.raises(ModelError, match="float_input must be 'q15/32768' for spectrogram_q15"):
        settings.validate(s)


def test_embed_refuses_settings_that_disagree_with_the_model():
    s = changed("input.zero_point", 5)
    with pytest.raises(ModelError, match="quantization"):
        settings.embed(LOCK.read_bytes(), s)
