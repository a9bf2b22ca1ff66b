"""Quantization-aware training and full-int8 conversion (int8 input and output).

qat(model)  -> a copy of the float model with fake-quant nodes (tfmot), ready to fine-tune.
convert(model, representative) -> .tflite bytes in which every tensor is int8/int32:
the converter is told to use int8 builtins only, and the result is checked, so a layer
that cannot be quantized fails here with its op named rather than on the board.
"""
import numpy as np

from earshot.errors import ModelError
from earshot.models.tf import tensorflow

QUANTIZABLE = ("Conv2D", "DepthwiseConv2D", "Dense", "MaxPooling2D", "AveragePooling2D",
               "GlobalAveragePooling2D", "Flatten", "Reshape", "ReLU", "BatchNormalization")


def qat(model):
    """Wrap the layers tfmot knows in fake-quant; the rest (resize, normalization, LSTM)
    keep float during training and get their ranges from the representative set."""
    tf = tensorflow()
    import tensorflow_model_optimization as tfmot

    annotate = tfmot.quantization.keras.quantize_annotate_layer

    def wrap(layer):
        if type(layer).__name__ in QUANTIZABLE:
            return annotate(layer)
        return layer

    annotated = tf.keras.models.clone_model(model, clone_function=wrap)
    annotated.set_weights(model.get_weights())
    with tfmot.quantization.keras.quantize_scope():
        return tfmot.quantization.keras.quantize_apply(annotated)


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
