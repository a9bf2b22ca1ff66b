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


class StopAfter:
    """Interrupts training like Ctrl-C at the start of the epoch after `epochs`."""

    def __init__(self, epochs):
        from earshot.models.tf import tensorflow

        outer = self

        class Callback(tensorflow().keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                if epoch == outer.epochs:
                    raise KeyboardInterrupt
        self.epochs, self.callback = epochs, Callback()


def test_an_interrupted_fit_resumes_from_its_checkpoint(data, tmp_path, monkeypatch):
    x, y = data
    model = build("fire_alarm_cnn", x.shape[1:], 2, verbose=False)
    train.adapt_normalization(model, x)
    stop = StopAfter(2)
    from earshot.train import fitting
    real_progress = fitting._progress_callback
    monkeypatch.setattr(fitting, "_progress_callback", lambda *a: [real_progress(*a), stop.callback][1])
    with pytest.raises(KeyboardInterrupt):
        train.fit(model, x, y, epochs=4, patience=10, stage="s", checkpoint=tmp_path, verbose=False)
    monkeypatch.setattr(fitting, "_progress_callback", real_progress)
    saved = json.loads((tmp_path / "s" / "state.json").read_text())
    assert saved["epoch"] == 2 and not saved.get("done")
    fresh = build("fire_alarm_cnn", x.shape[1:], 2, verbose=False)
    resumed = train.fit(fresh, x, y, epochs=4, patience=10, stage="s", checkpoint=tmp_path, resume=True,
                        verbose=False)
    assert len(resumed["loss"]) == 4 and resumed["loss"][:2] == saved["history"]["loss"]
    again = build("fire_alarm_cnn", x.shape[1:], 2, verbose=False)
    assert train.fit(again, x, y, epochs=4, stage="s", checkpoint=tmp_path, resume=True, verbose=False) == resumed
    for a, b in zip(again.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(a, b)


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
