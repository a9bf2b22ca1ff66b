"""QAT and full-int8 conversion: int8 in, int8 out, every op int8, clear failures."""
import numpy as np
import pytest
from trainer_helpers import FIXTURE_MODEL

from earshot import quantize
from earshot.errors import ModelError
from earshot.export.inspect import describe
from earshot.models import build
from earshot.models.tf import keras, tensorflow
from earshot.train import adapt_normalization


# Small variants keep the test quick; the layer types are the ones the full models use.
@pytest.mark.parametrize("name, shape, classes, options", [
    ("fire_alarm_cnn", (124, 129, 1), 2, {}), ("ds_cnn", (124, 129, 1), 3, dict(filters=8, blocks=1)),
    ("lstm_mfcc", (12, 13), 4, dict(units=16, dense=16)), ("mfcc_cnn", (49, 13, 1), 3, {})])
def test_qat_then_conversion_gives_an_int8_model(name, shape, classes, options):
    rng = np.random.default_rng(1)
    x = rng.random((8,) + shape, dtype=np.float32) * 0.05
    model = build(name, shape, classes, verbose=False, **options)
    adapt_normalization(model, x)
    qat = quantize.qat(model)
    assert any(type(layer).__name__ == "QuantizeWrapperV2" for layer in qat.layers)
    qat.compile("adam", "binary_crossentropy" if classes == 2 else "sparse_categorical_crossentropy")
    qat.fit(x, rng.integers(0, classes, 8), batch_size=1 if name == "lstm_mfcc" else 8, epochs=1, verbose=0)
    info = describe(quantize.convert(qat, x))
    assert [t["dtype"] for t in info["inputs"] + info["outputs"]] == ["int8", "int8"]
    assert all("float32" not in op["dtypes"] for op in info["ops"])


def test_qat_starts_where_the_float_model_is():
    rng = np.random.default_rng(3)
    x = (rng.random((32, 124, 129, 1), dtype=np.float32) ** 8) * 0.05  # sparse, heavy-tailed like spectra
    model = build("fire_alarm_cnn", x.shape[1:], 2, verbose=False)
    adapt_normalization(model, x)
    qat = quantize.qat(model, calibration=x)
    np.testing.assert_allclose(qat.predict(x, verbose=0), model.predict(x, verbose=0), atol=0.05)
    ranges = {v.name.split("/")[-1].split(":")[0]: float(np.max(v)) for v in qat.get_layer("quant_conv").weights
              if "activation" in v.name}
    assert ranges["post_activation_max"] != 6.0  # tfmot's default, replaced by the measured range


def test_logit_range_is_clamped_for_a_fine_int8_step():
    rng = np.random.default_rng(4)
    x = (rng.random((16, 124, 129, 1), dtype=np.float32) ** 8) * 0.5  # loud: logits far beyond 16
    model = build("fire_alarm_cnn", x.shape[1:], 2, verbose=False)
    model.get_layer("head").set_weights([np.full((288, 1), 5.0, np.float32), np.zeros(1, np.float32)])
    qat = quantize.qat(model, calibration=x)
    ranges = {v.name.split("/")[-1].split(":")[0]: float(v.numpy()) for v in qat.get_layer("quant_head").weights
              if "pre_activation" in v.name}
    assert ranges == {"pre_activation_min": 0.0, "pre_activation_max": quantize.LOGIT_LIMIT}


def test_an_op_without_int8_kernel_fails_clearly():
    tf = tensorflow()
    k = keras()
    inputs = k.Input((8,))
    model = k.Model(inputs, k.layers.Lambda(lambda v: tf.math.sin(v))(k.layers.Dense(4)(inputs)))
    with pytest.raises(ModelError, match="ops were not quantized to int8: SIN$"):
        quantize.convert(model, np.random.default_rng(0).random((4, 8), dtype=np.float32))


def test_a_float_model_is_refused_by_the_int8_check():
    tf = tensorflow()
    k = keras()
    inputs = k.Input((8,))
    model = k.Model(inputs, k.layers.Dense(2)(inputs))
    float_model = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    with pytest.raises(ModelError, match="is float32, not int8"):
        quantize.check_int8(float_model)


def test_the_int8_check_accepts_the_fixture_model():
    quantize.check_int8(FIXTURE_MODEL.read_bytes())


def test_conversion_needs_representative_data():
    model = build("fire_alarm_cnn", (124, 129, 1), 2, verbose=False)
    with pytest.raises(ModelError, match="at least one representative input"):
        quantize.convert(model, np.zeros((0, 124, 129, 1), np.float32))
