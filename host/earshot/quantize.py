"""Quantization-aware training and full-int8 conversion (int8 input and output).

qat(model)  -> a copy of the float model with fake-quant nodes (tfmot), ready to fine-tune.
convert(model, representative) -> .tflite bytes in which every tensor is int8/int32:
the converter is told to use int8 builtins only, and the result is checked, so a layer
that cannot be quantized fails here with its op named rather than on the board.
"""
import numpy as np

from earshot.errors import ModelError
from earshot.models.tf import tensorflow

LOGIT_LIMIT = 16.0
QUANTIZABLE = ("Conv2D", "DepthwiseConv2D", "Dense", "MaxPooling2D", "AveragePooling2D",
               "GlobalAveragePooling2D", "Flatten", "Reshape", "ReLU", "BatchNormalization")


def qat(model, calibration=None):
    """Wrap the layers tfmot knows in fake-quant; the rest (resize, normalization, LSTM)
    keep float during training and get their ranges from the representative set.

    tfmot starts every activation range at [-6, 6] and moves it by a slow moving
    average, so a layer whose outputs span [0, 40] trains saturated for thousands of
    steps. With `calibration` (float inputs) the ranges start at what the float model
    actually produces."""
    tf = tensorflow()
    import tensorflow_model_optimization as tfmot

    annotate = tfmot.quantization.keras.quantize_annotate_layer

    def wrap(layer):
        fresh = type(layer).from_config(layer.get_config())  # never share layers with `model`
        return annotate(fresh) if type(layer).__name__ in QUANTIZABLE else fresh

    annotated = tf.keras.models.clone_model(model, clone_function=wrap)
    annotated.set_weights(model.get_weights())
    with tfmot.quantization.keras.quantize_scope():
        quantized = tfmot.quantization.keras.quantize_apply(annotated)
    for layer in quantized.layers:
        if type(layer).__name__ == "Normalization":
            layer.finalize_state()  # set_weights restores the statistics but not what call() uses
    if calibration is not None:
        calibrate(quantized, model, calibration)
        limit_logits(quantized)
    return quantized


def _linear_copy(layer):
    """The layer without its activation (for ranges measured before the activation)."""
    config = layer.get_config()
    config["activation"] = "linear"
    copy = type(layer).from_config(config)
    copy.build(layer.input_shape)
    copy.set_weights(layer.get_weights())
    return copy


def calibrate(quantized, model, x, batch_size=64):
    """Set the fake-quant ranges of `quantized` from the float `model` run on x."""
    tf = tensorflow()
    x = np.asarray(x, dtype=np.float32)
    for wrapper in quantized.layers:
        if not hasattr(wrapper, "quantize_config"):
            continue
        layer = model.get_layer(wrapper.layer.name)
        ranges = {}
        names = {v.name.split("/")[-1].split(":")[0]: v for v in wrapper.weights}
        if "post_activation_min" in names or "pre_activation_min" in names:
            inputs = tf.keras.Model(model.input, layer.input).predict(x, batch_size=batch_size, verbose=0)
            post = np.asarray(layer(inputs))
            ranges["post_activation"] = post
            if "pre_activation_min" in names:
                ranges["pre_activation"] = np.asarray(_linear_copy(layer)(inputs))
        if "kernel_min" in names:
            kernel = np.asarray(layer.kernel)
            axes = tuple(range(kernel.ndim - 1)) if names["kernel_min"].shape.rank else None
            ranges["kernel"] = (kernel.min(axis=axes), kernel.max(axis=axes))
        for name, values in ranges.items():
            if f"{name}_min" not in names:
                continue
            low, high = values if name == "kernel" else (values.min(), values.max())
            names[f"{name}_min"].assign(np.minimum(low, 0.0).astype(np.float32))
            names[f"{name}_max"].assign(np.maximum(high, 0.0).astype(np.float32))


def limit_logits(quantized, limit=LOGIT_LIMIT):
    """Clamp the head's pre-activation range to [-limit, limit].

    Loud inputs give huge logits, and the moving-average range follows them, so a range
    of [-30, 300] leaves the int8 logit a step of 1.3 and sigmoid outputs of only
    0.22, 0.5, 0.78 near the threshold. Beyond +-16 a sigmoid or softmax no longer
    changes a decision, so the range is clamped there."""
    head = quantized.layers[-1]
    for var in getattr(head, "weights", []):
        name = var.name.split("/")[-1].split(":")[0]
        if name == "pre_activation_min":
            var.assign(np.clip(np.asarray(var), -limit, 0.0))
        elif name == "pre_activation_max":
            var.assign(np.clip(np.asarray(var), 0.0, limit))


def convert(model, representative, samples=200):
    """Full-int8 conversion; `representative` is an array of float network inputs."""
    tf = tensorflow()
    representative = np.asarray(representative, dtype=np.float32)
    if len(representative) == 0:
        raise ModelError("int8 conversion needs at least one representative input")
    picks = representative[np.linspace(0, len(representative) - 1, min(samples, len(representative))).astype(int)]

    def dataset():
        for x in picks:
            yield [x[np.newaxis]]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = dataset
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    try:
        tflite = converter.convert()
    except Exception as exc:  # the converter raises many types; all mean "cannot quantize"
        raise ModelError(f"int8 conversion failed: {str(exc).strip().splitlines()[-1][:300]}",
                         hint="use layers with int8 TFLite kernels (see earshot inspect)") from exc
    check_int8(tflite)
    return tflite


def check_int8(tflite):
    """Raise ModelError naming any op that would run in float."""
    from earshot.export.inspect import describe

    info = describe(tflite)
    for io in info["inputs"] + info["outputs"]:
        if io["dtype"] != "int8":
            raise ModelError(f"model {io['kind']} {io['name']} is {io['dtype']}, not int8")
    floats = {op["op"] for op in info["ops"] if "float32" in op["dtypes"]}
    culprits = floats - {"QUANTIZE", "DEQUANTIZE"} or floats  # the converts only surround the culprit
    if culprits:
        names = ", ".join(sorted(culprits))
        raise ModelError(f"these ops were not quantized to int8: {names}",
                         hint="replace or remove those layers; the board runs int8 kernels only")
