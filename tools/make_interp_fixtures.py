"""Builds the tiny int8 .tflite fixtures that judge the interp module against tflite_micro.

Each fixture is a small TensorFlow graph converted with full-integer quantization, so
the op list, quantization parameters and options are exactly what the converter emits.
The fire-alarm CNN carries an "earshot" metadata buffer, as the trainer writes it.
zoo_* fixtures are the trainer's model zoo (earshot.models, untrained weights) converted
by the trainer's own earshot.quantize.convert. lstm_* are tiny Keras LSTMs (batch 1)
through the same conversion; int16/ holds int16 LOGISTIC/TANH models with forced input
scales, the judges of the LSTM's int16 activations (not interpreter models).

Regenerate (slow: TensorFlow conversions, about 2 minutes):
    .venv/bin/python tools/make_interp_fixtures.py [--out tests/fixtures/interp] [names...]
"""
import argparse
import json
import os
import sys
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "interp"
SEED = 1234


def convert(fn, input_specs, rng, float_io=False, samples=32):
    import numpy as np
    import tensorflow as tf

    concrete = fn.get_concrete_function(*input_specs)

    def representative():
        for _ in range(samples):
            yield [rng.uniform(-1.0, 1.0, s.shape).astype(np.float32) * 2.0 for s in input_specs]

    conv = tf.lite.TFLiteConverter.from_concrete_functions([concrete], fn)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    if not float_io:
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
    return conv.convert()


def with_metadata(model_bytes, name, payload):
    """Adds a Model.metadata entry `name` pointing at a new buffer holding `payload`."""
    import flatbuffers
    from tensorflow.lite.python import schema_py_generated as schema

    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model_bytes, 0))
    buf = schema.BufferT()
    buf.data = list(payload)
    model.buffers.append(buf)
    meta = schema.MetadataT()
    meta.name = name
    meta.buffer = len(model.buffers) - 1
    model.metadata = (model.metadata or []) + [meta]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def single_op_main(doc, seed, fixtures, argv=None):
    """main() of the single-op fixture scripts: fixtures(rng) -> {name: (tf.function,
    [TensorSpec])}, each converted into --out (all, or the names given)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np

    rng = np.random.default_rng(seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (fn, specs) in fixtures(rng).items():
        if args.names and name not in args.names:
            continue
        data = convert(fn, specs, rng)
        (args.out / f"{name}.tflite").write_bytes(data)
        print(f"{name}: {len(data)} bytes", file=sys.stderr)


def weights(rng, *shape, scale=0.5):
    import tensorflow as tf

    return tf.constant(rng.normal(0.0, scale, shape).astype("float32"))


def fixtures(rng):
    """name -> (tf.function, [TensorSpec]); built lazily so TF loads only here."""
    import tensorflow as tf

    spec = tf.TensorSpec
    out = {}

    def add(name, specs, **kw):
        def deco(body):
            out[name] = (tf.function(body), specs, kw)
            return body
        return deco

    def conv_case(name, shape, filters, k, stride, padding, dilation=1, act=None):
        w = weights(rng, k, k, shape[-1], filters, scale=0.3)
        b = weights(rng, filters, scale=0.2)

        @add(name, [spec([1, *shape], tf.float32)])
        def _(x):
            y = tf.nn.conv2d(x, w, stride, padding, dilations=dilation) + b
            return act(y) if act else y

    conv_case("conv_3x3_same", (9, 10, 3), 4, 3, 1, "SAME")
    conv_case("conv_8x8_s2_relu", (20, 18, 1), 8, 8, 2, "VALID", act=tf.nn.relu)
    conv_case("conv_dilated_relu6", (12, 12, 2), 3, 3, 1, "SAME", dilation=2, act=tf.nn.relu6)
    conv_case("conv_1x1", (6, 5, 8), 16, 1, 1, "VALID")
    conv_case("conv_5x5_s2_same", (11, 13, 4), 6, 5, 2, "SAME", act=tf.nn.relu)

    def dw_case(name, shape, mult, k, stride, padding, dilation=1, act=None):
        w = weights(rng, k, k, shape[-1], mult, scale=0.4)
        b = weights(rng, shape[-1] * mult, scale=0.2)

        @add(name, [spec([1, *shape], tf.float32)])
        def _(x):
            y = tf.nn.depthwise_conv2d(x, w, [1, stride, stride, 1], padding,
                                       dilations=[dilation, dilation]) + b
            return act(y) if act else y

    dw_case("dw_3x3_same_relu", (10, 9, 8), 1, 3, 1, "SAME", act=tf.nn.relu)
    dw_case("dw_3x3_s2_mult2", (9, 9, 3), 2, 3, 2, "VALID")
    dw_case("dw_dilated", (10, 10, 4), 1, 3, 1, "SAME", dilation=2, act=tf.nn.relu6)

    def fc_case(name, n_in, n_out, act=None):
        w = weights(rng, n_in, n_out, scale=0.3)
        b = weights(rng, n_out, scale=0.2)

        @add(name, [spec([1, n_in], tf.float32)])
        def _(x):
            y = tf.matmul(x, w) + b
            return act(y) if act else y

    fc_case("fc_plain", 40, 10)
    fc_case("fc_relu", 33, 7, act=tf.nn.relu)
    fc_case("fc_softmax", 24, 5, act=tf.nn.softmax)
    fc_case("fc_logistic", 16, 3, act=tf.sigmoid)
    fc_case("fc_tanh", 16, 6, act=tf.tanh)

    @add("maxpool_same", [spec([1, 9, 11, 3], tf.float32)])
    def _(x):
        return tf.nn.max_pool2d(x, 3, 2, "SAME")

    @add("avgpool_valid", [spec([1, 10, 8, 4], tf.float32)])
    def _(x):
        return tf.nn.avg_pool2d(x, 2, 2, "VALID")

    @add("avgpool_same", [spec([1, 7, 9, 2], tf.float32)])
    def _(x):
        return tf.nn.avg_pool2d(x, 3, 2, "SAME")

    @add("add_relu", [spec([1, 4, 5, 3], tf.float32), spec([1, 4, 5, 3], tf.float32)])
    def _(a, b):
        return tf.nn.relu(a + b * 0.5)

    @add("add_broadcast", [spec([1, 4, 5, 3], tf.float32), spec([1, 1, 1, 3], tf.float32)])
    def _(a, b):
        return a + b

    @add("sub", [spec([1, 6, 7], tf.float32), spec([1, 6, 7], tf.float32)])
    def _(a, b):
        return a - 2.0 * b

    @add("mul", [spec([1, 6, 7], tf.float32), spec([1, 6, 7], tf.float32)])
    def _(a, b):
        return a * b

    @add("mul_broadcast", [spec([1, 5, 4, 3], tf.float32), spec([1, 1, 1, 3], tf.float32)])
    def _(a, b):
        return a * b

    @add("mean_hw", [spec([1, 6, 5, 8], tf.float32)])
    def _(x):
        return tf.reduce_mean(x, axis=[1, 2])

    @add("mean_keepdims", [spec([1, 4, 6, 3], tf.float32)])
    def _(x):
        return tf.reduce_mean(x, axis=[1, 2], keepdims=True)

    @add("pad", [spec([1, 5, 6, 2], tf.float32)])
    def _(x):
        return tf.pad(x, [[0, 0], [1, 2], [2, 0], [0, 0]])

    @add("concat", [spec([1, 4, 3, 2], tf.float32), spec([1, 4, 3, 5], tf.float32)])
    def _(a, b):
        return tf.concat([a, b * 3.0], axis=-1)

    @add("resize_half_pixel", [spec([1, 13, 17, 2], tf.float32)])
    def _(x):
        return tf.image.resize(x, [8, 8], method="nearest")

    @add("resize_up_align", [spec([1, 5, 4, 3], tf.float32)])
    def _(x):
        return tf.compat.v1.image.resize_nearest_neighbor(x, [9, 11], align_corners=True)

    @add("resize_plain", [spec([1, 7, 6, 1], tf.float32)])
    def _(x):
        return tf.compat.v1.image.resize_nearest_neighbor(x, [4, 13])

    @add("strided_slice", [spec([1, 10, 6, 4], tf.float32)])
    def _(x):
        return x[:, 1:9:2, ::-1, 1:3]

    @add("relu_relu6", [spec([1, 30], tf.float32)])
    def _(x):
        return tf.concat([tf.nn.relu(x), tf.nn.relu6(x * 4.0)], axis=-1)

    @add("logistic_tanh", [spec([1, 40], tf.float32)])
    def _(x):
        return tf.concat([tf.sigmoid(x * 3.0), tf.tanh(x * 2.0)], axis=-1)

    @add("softmax_3d", [spec([1, 4, 9], tf.float32)])
    def _(x):
        return tf.nn.softmax(x * 3.0)

    @add("squeeze_expand", [spec([1, 1, 12, 1], tf.float32)])
    def _(x):
        return tf.expand_dims(tf.squeeze(x, axis=[1]), 1) * 2.0

    w_b = weights(rng, 16, 8)

    @add("fc_batch", [spec([3, 16], tf.float32)])
    def _(x):
        return tf.nn.relu(tf.matmul(x, w_b))

    @add("relu6_after_mean", [spec([1, 5, 4, 6], tf.float32)])
    def _(x):
        return tf.nn.relu6(tf.reduce_mean(x * 4.0, axis=[1, 2]))

    @add("squeeze_after_mean", [spec([1, 5, 4, 6], tf.float32)])
    def _(x):
        return tf.expand_dims(tf.squeeze(tf.reduce_mean(x, axis=[1, 2], keepdims=True), axis=[1, 2]), 0)

    w_q = weights(rng, 12, 4)

    @add("quant_dequant", [spec([1, 12], tf.float32)], float_io=True)
    def _(x):
        return tf.matmul(x, w_q)

    # DS-CNN-S keyword spotter (MLPerf Tiny shape): the 281 ms TFLM + CMSIS-NN anchor.
    ds_first = (weights(rng, 10, 4, 1, 64, scale=0.2), weights(rng, 64, scale=0.1))
    ds_blocks = [(weights(rng, 3, 3, 64, 1, scale=0.3), weights(rng, 64, scale=0.1),
                  weights(rng, 1, 1, 64, 64, scale=0.15), weights(rng, 64, scale=0.1)) for _ in range(4)]
    ds_fc = (weights(rng, 64, 12, scale=0.2), weights(rng, 12, scale=0.1))

    @add("ds_cnn_s", [spec([1, 49, 10, 1], tf.float32)])
    def _(x):
        x = tf.nn.relu(tf.nn.conv2d(x, ds_first[0], 2, "SAME") + ds_first[1])
        for dw, dwb, pw, pwb in ds_blocks:
            x = tf.nn.relu(tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], "SAME") + dwb)
            x = tf.nn.relu(tf.nn.conv2d(x, pw, 1, "SAME") + pwb)
        x = tf.reduce_mean(x, axis=[1, 2])
        return tf.nn.softmax(tf.matmul(x, ds_fc[0]) + ds_fc[1])

    conv_w = weights(rng, 8, 8, 1, 8, scale=0.2)
    conv_b = weights(rng, 8, scale=0.1)
    fc_w = weights(rng, 6 * 6 * 8, 2, scale=0.1)
    fc_b = weights(rng, 2, scale=0.1)

    def fire_alarm_net(x, resize):
        if resize:
            x = tf.image.resize(x, [32, 32], method="nearest")
        x = (x - 0.25) * 1.7  # the trainer's Normalization layer
        x = tf.nn.relu(tf.nn.conv2d(x, conv_w, 2, "VALID") + conv_b)
        x = tf.nn.max_pool2d(x, 2, 2, "VALID")
        x = tf.reshape(x, [1, -1])
        return tf.nn.softmax(tf.matmul(x, fc_w) + fc_b)

    @add("fire_alarm", [spec([1, 124, 129, 1], tf.float32)], metadata=True)
    def _(x):
        return fire_alarm_net(x, resize=True)

    @add("fire_alarm_32", [spec([1, 32, 32, 1], tf.float32)])
    def _(x):
        return fire_alarm_net(x, resize=False)

    # CONV_2D's stream kernel (kernel_conv.c) and its fallbacks: inputs widened whole or
    # in tiles under an output row, odd rows, partial blocks and groups, dilation in
    # height, a single pixel, a window too large for the stream. Own seed: the fixtures
    # above keep theirs.
    import numpy as np

    stream_rng = np.random.default_rng(SEED + 1)

    def stream_case(name, shape, filters, kh, kw, stride, padding, dilation=(1, 1), act=None):
        w = weights(stream_rng, kh, kw, shape[-1], filters, scale=0.3)
        b = weights(stream_rng, filters, scale=0.2)

        @add(name, [spec([1, *shape], tf.float32)])
        def _(x):
            y = tf.nn.conv2d(x, w, stride, padding, dilations=list(dilation)) + b
            return act(y) if act else y

    stream_case("conv_band_groups", (14, 12, 16), 20, 3, 3, 1, "SAME", act=tf.nn.relu)
    stream_case("conv_whole_odd_rows", (11, 9, 3), 13, 3, 3, 2, "SAME")
    stream_case("conv_band_dilated_h", (20, 18, 6), 9, 3, 2, 1, "VALID", dilation=(2, 1))
    stream_case("conv_1x1_odd", (7, 6, 13), 9, 1, 1, 1, "VALID", act=tf.nn.relu6)
    stream_case("conv_one_pixel", (4, 4, 3), 5, 4, 4, 1, "VALID")
    stream_case("conv_wide_window", (5, 5, 64), 3, 3, 3, 1, "SAME")
    stream_case("conv_band_tiles", (9, 41, 16), 12, 3, 3, 2, "SAME", act=tf.nn.relu)
    return out


ZOO = {  # name -> (input shape, classes)
    "fire_alarm_cnn": ((124, 129, 1), 2),
    "ds_cnn": ((49, 10, 1), 12),
    "mfcc_cnn": ((49, 13, 1), 3),
    "lstm_mfcc": ((62, 13), 4),
}


def zoo_fixture(name, rng):
    import numpy as np

    from earshot import models, quantize

    shape, classes = ZOO[name]
    model = models.build(name, shape, classes, verbose=False)
    representative = rng.normal(0.0, 1.0, (24, *shape)).astype(np.float32)
    return quantize.convert(model, representative)


def lstm_fixture(name, rng):
    """A tiny Keras LSTM (fixed batch of 1) through the trainer's int8 conversion."""
    import numpy as np

    from earshot import quantize
    from earshot.models.tf import keras

    k = keras()
    steps, features, units, sequences = LSTM[name]
    inputs = k.Input(shape=(steps, features), batch_size=1)
    x = k.layers.LSTM(units, return_sequences=sequences, name="lstm")(inputs)
    model = k.Model(inputs, x)
    model.set_weights([rng.normal(0.0, 0.6, w.shape).astype(np.float32) for w in model.get_weights()])
    representative = rng.normal(0.0, 1.5, (24, steps, features)).astype(np.float32)
    return quantize.convert(model, representative)


def int16_activation_fixture(name, rng):
    """An int16 LOGISTIC or TANH (16x8 conversion) with the input scale forced to the
    power of two the LSTM uses internally, so the reference's int16 activation can be
    observed for all 65536 inputs. Not run by the interpreter: it is the judge of the
    LSTM's integer sigmoid/tanh (tests/mpy_modules/test_interp_lstm.py)."""
    import tensorflow as tf
    from tensorflow.lite.python import schema_py_generated as schema
    import flatbuffers

    op, in_scale = INT16_ACTIVATION[name]
    fn = tf.function(tf.math.sigmoid if op == "LOGISTIC" else tf.math.tanh)
    spec = tf.TensorSpec([1, 256], tf.float32)
    conv = tf.lite.TFLiteConverter.from_concrete_functions([fn.get_concrete_function(spec)], fn)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([rng.uniform(-8.0, 8.0, (1, 256)).astype("float32")] for _ in range(8))
    conv.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    conv.inference_input_type = tf.int16
    conv.inference_output_type = tf.int16
    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(conv.convert(), 0))
    graph = model.subgraphs[0]
    if len(graph.operators) != 1:
        raise RuntimeError(f"{name}: expected a single op, got {len(graph.operators)}")
    graph.tensors[graph.inputs[0]].quantization.scale = [in_scale]
    graph.tensors[graph.outputs[0]].quantization.scale = [2.0 ** -15]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


LSTM = {  # name -> (steps, features, units, return_sequences)
    "lstm_tiny": (3, 4, 5, True),
    "lstm_last": (7, 3, 6, False),
}
INT16_ACTIVATION = {  # name -> (op, input scale): the LSTM's gate and cell-state scalings
    "int16_logistic_q12": ("LOGISTIC", 2.0 ** -12),
    "int16_tanh_q12": ("TANH", 2.0 ** -12),
    "int16_tanh_q14": ("TANH", 2.0 ** -14),
    "int16_tanh_q15": ("TANH", 2.0 ** -15),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # the zoo is tf-keras
    import numpy as np

    rng = np.random.default_rng(SEED)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (fn, specs, kw) in fixtures(rng).items():
        if args.names and name not in args.names:
            continue
        data = convert(fn, specs, rng, float_io=kw.get("float_io", False))
        if kw.get("metadata"):
            settings = {"schema": 1, "labels": ["background", "alarm"], "fixture": name}
            data = with_metadata(data, "earshot", json.dumps(settings).encode())
        (args.out / f"{name}.tflite").write_bytes(data)
        print(f"{name}: {len(data)} bytes", file=sys.stderr)
    for name in ZOO:
        if args.names and f"zoo_{name}" not in args.names:
            continue
        data = zoo_fixture(name, rng)
        (args.out / f"zoo_{name}.tflite").write_bytes(data)
        print(f"zoo_{name}: {len(data)} bytes", file=sys.stderr)
    # The int16 activations are the judges of the LSTM's table, not interpreter models.
    int16_dir = args.out / "int16"
    for name, make, where in ([(n, lstm_fixture, args.out) for n in LSTM] +
                              [(n, int16_activation_fixture, int16_dir) for n in INT16_ACTIVATION]):
        if args.names and name not in args.names:
            continue
        data = make(name, rng)
        where.mkdir(parents=True, exist_ok=True)
        (where / f"{name}.tflite").write_bytes(data)
        print(f"{name}: {len(data)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
