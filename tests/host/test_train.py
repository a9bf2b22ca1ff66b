"""Training: inputs, normalization, resumable fitting, head replacement and transfer."""
import json

import numpy as np
import pytest
from trainer_helpers import tones_and_noise

from earshot import train
from earshot.errors import DataError
from earshot.features import spectrogram_q15
from earshot.models import build
from earshot.models.tf import keras


@pytest.fixture(scope="module")
def data():
    audio, y = tones_and_noise(16)
    return train.network_input(audio), y


def test_network_input_is_the_q15_spectrogram_over_32768(data):
    audio, _ = tones_and_noise(2)
    x = train.network_input(audio)
    assert x.shape == (2, 124, 129, 1) and x.dtype == np.float32
    np.testing.assert_array_equal(x[1, :, :, 0] * 32768, spectrogram_q15(audio[1]))


def test_network_input_refuses_float_audio():
    with pytest.raises(DataError, match="int16 windows"):
        train.network_input(np.zeros((1, 16000), dtype=np.float32))


def test_normalization_is_adapted_on_what_reaches_it(data):
    x, _ = data
    model = build("fire_alarm_cnn", x.shape[1:], 2, verbose=False)
    assert train.adapt_normalization(model, x) == 1
    normalized = keras().Model(model.input, model.get_layer("normalize").output).predict(x, verbose=0)
    assert abs(normalized.mean()) < 1e-3 and abs(normalized.std() - 1) < 1e-2


def test_fit_checkpoints_and_resumes(data, tmp_path):
    x, y = data
    model = build("fire_alarm_cnn", x.shape[1:], 2, verbose=False)
    train.adapt_normalization(model, x)
    first = train.fit(model, x, y, epochs=2, patience=10, stage="s", checkpoint=tmp_path, verbose=False)
    assert len(first["loss"]) == 2
    assert json.loads((tmp_path / "s" / "state.json").read_text())["epoch"] == 2
    fresh = build("fire_alarm_cnn", x.shape[1:], 2, verbose=False)
    resumed = train.fit(fresh, x, y, epochs=3, patience=10, stage="s", checkpoint=tmp_path, resume=True,
                        verbose=False)
    assert len(resumed["loss"]) == 3 and resumed["loss"][:2] == first["loss"]


def test_fit_shows_progress(data, capsys):
    x, y = data
    model = build("fire_alarm_cnn", x.shape[1:], 2, verbose=False)
    train.fit(model, x, y, epochs=1, stage="demo")
    shown = capsys.readouterr().out
    assert "demo epoch 1: loss" in shown and "windows/s" in shown


def test_replace_head_keeps_the_body(data):
    x, _ = data
    model = build("fire_alarm_cnn", x.shape[1:], 5, verbose=False)
    new = train.replace_head(model, 2)
    assert new.get_layer("conv") is model.get_layer("conv")
    assert new.get_layer("head").units == 1 and model.get_layer("head").units == 5


def test_transfer_trains_the_head_alone_then_everything(data):
    x, y = data
    model = build("fire_alarm_cnn", x.shape[1:], 4, verbose=False)
    train.adapt_normalization(model, x)
    body = model.get_layer("conv").get_weights()[0].copy()
    head_only, _ = train.transfer(model, x, y, classes=2, head_epochs=1, fine_epochs=0, verbose=False)
    np.testing.assert_array_equal(head_only.get_layer("conv").get_weights()[0], body)
    tuned, histories = train.transfer(model, x, y, classes=2, head_epochs=1, fine_epochs=1, verbose=False)
    assert not np.array_equal(tuned.get_layer("conv").get_weights()[0], body)
    assert set(histories) == {"head", "fine_tune"}
