"""The model zoo: every builder makes a model that trains a step and reports its size."""
import numpy as np
import pytest

from earshot.errors import ModelError
from earshot.models import activation, build

ZOO = [("fire_alarm_cnn", (124, 129, 1), 2), ("ds_cnn", (124, 129, 1), 3),
       ("lstm_mfcc", (62, 13), 4), ("mfcc_cnn", (49, 13, 1), 3)]


@pytest.mark.parametrize("name, shape, classes", ZOO)
def test_builds_and_trains_a_step(name, shape, classes, capsys):
    model = build(name, shape, classes)
    assert f"{name}: {model.count_params():,} parameters" in capsys.readouterr().out
    assert model.get_layer("head").units == (1 if classes == 2 else classes)
    assert activation(model) == ("sigmoid" if classes == 2 else "softmax")
    rng = np.random.default_rng(0)
    batch = model.input_shape[0] or 4
    x = rng.random((batch,) + shape, dtype=np.float32)
    y = rng.integers(0, classes, batch)
    model.compile("adam", "binary_crossentropy" if classes == 2 else "sparse_categorical_crossentropy")
    before = [w.copy() for w in model.get_weights()]
    loss = model.train_on_batch(x, y)
    assert np.isfinite(loss)
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_fire_alarm_cnn_follows_the_design():
    model = build("fire_alarm_cnn", (124, 129, 1), 2, verbose=False)
    resize, conv = model.get_layer("resize"), model.get_layer("conv")
    assert (resize.height, resize.width, resize.interpolation) == (32, 32, "nearest")
    assert (conv.filters, conv.kernel_size, conv.strides) == (8, (8, 8), (2, 2))
    assert model.get_layer("dropout").rate == 0.25
    assert model.get_layer("head").input_shape == (None, 6 * 6 * 8)


def test_lstm_has_about_15k_parameters_and_a_fixed_batch():
    model = build("lstm_mfcc", (62, 13), 4, verbose=False)
    assert 13_000 <= model.count_params() <= 17_000
    assert model.input_shape[0] == 1


def test_unknown_model_is_refused():
    with pytest.raises(ModelError, match="unknown model 'resnet'"):
        build("resnet", (124, 129, 1), 2)


def test_one_class_is_refused():
    with pytest.raises(ModelError, match="at least 2 classes"):
        build("fire_alarm_cnn", (124, 129, 1), 1)
