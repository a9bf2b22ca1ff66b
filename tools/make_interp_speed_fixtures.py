"""Builds the single-op .tflite fixtures that judge interp's fast paths against tflite_micro.

Depthwise convolutions with depth multiplier 1 on and off the 4-channel, 3-tap-multiple
fast path (channel counts not a multiple of 4, 1x3 and 5x5 windows, stride 2, inputs and
outputs with zero point -128 after a ReLU, ReLU6, saturating weights), MEAN over one run of
axes (word and byte sums) and over axes that are not one run, and CONV_2D on the stream path
with its requantization records (pointwise as in DS-CNN, odd channel counts, saturation),
and depthwise windows of 9 and 12 taps that are not 3x3. Same conversion as
tools/make_interp_fixtures.py (full-integer, int8 in and out), into tests/fixtures/interp.

Regenerate (TensorFlow conversions, under a minute):
    .venv/bin/python tools/make_interp_speed_fixtures.py [--out tests/fixtures/interp] [names...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_interp_fixtures import single_op_main, weights  # noqa: E402

SEED = 4321


def fixtures(rng):
    """name -> (tf.function, [TensorSpec])."""
    import tensorflow as tf

    spec = tf.TensorSpec
    out = {}

    def dw_case(name, shape, kh, kw, stride, padding, scale=0.4, relu_in=False, relu_out=None, w_rng=None):
        w_rng = w_rng or rng
        w = weights(w_rng, kh, kw, shape[-1], 1, scale=scale)
        b = weights(w_rng, shape[-1], scale=0.2)

        def body(x):
            x = tf.nn.relu(x) if relu_in else x
            y = tf.nn.depthwise_conv2d(x, w, [1, stride, stride, 1], padding) + b
            return relu_out(y) if relu_out else y

        out[name] = (tf.function(body), [spec([1, *shape], tf.float32)])

    dw_case("dw_fast_3x3_s2_c12", (11, 7, 12), 3, 3, 2, "SAME")
    dw_case("dw_fast_1x3_c4", (5, 9, 4), 1, 3, 1, "SAME")
    dw_case("dw_fast_zp_edges", (6, 5, 8), 3, 3, 1, "SAME", relu_in=True, relu_out=tf.nn.relu)
    dw_case("dw_fast_saturating", (5, 4, 16), 3, 3, 1, "VALID", scale=3.0)
    dw_case("dw_tail_3x3_c6", (8, 6, 6), 3, 3, 1, "VALID")
    dw_case("dw_tail_5x5_c8", (9, 9, 8), 5, 5, 1, "SAME", relu_out=tf.nn.relu)
    dw_case("dw_fast_relu6", (7, 6, 12), 3, 3, 1, "SAME", scale=1.0, relu_out=tf.nn.relu6)

    def mean_case(name, shape, axes):
        def body(x):
            return tf.reduce_mean(x * 3.0, axis=axes)

        out[name] = (tf.function(body), [spec([1, *shape], tf.float32)])

    mean_case("mean_run_w", (3, 7, 8), [2])
    mean_case("mean_run_c", (4, 5, 8), [3])
    mean_case("mean_axes_1_3", (4, 5, 6), [1, 3])

    import numpy as np

    pw_rng = np.random.default_rng(SEED + 1)  # its own: the cases above keep their weights

    def conv_case(name, shape, filters, k, padding="VALID", scale=0.3, relu_in=False, act=None):
        w = weights(pw_rng, k, k, shape[-1], filters, scale=scale)
        b = weights(pw_rng, filters, scale=0.2)

        def body(x):
            x = tf.nn.relu(x) if relu_in else x
            y = tf.nn.conv2d(x, w, 1, padding) + b
            return act(y) if act else y

        out[name] = (tf.function(body), [spec([1, *shape], tf.float32)])

    # Pointwise as in DS-CNN (64 -> 64 after a ReLU: two channel groups, 16-tap chunks), odd
    # channel counts (a 1-tap last pair, a partial last block), saturation both ways, and a
    # 3x3 window with padding whose rows are 4.5 chunks long.
    conv_case("pw_64_relu", (3, 5, 64), 64, 1, relu_in=True, act=tf.nn.relu)
    conv_case("pw_odd_relu6", (4, 7, 21), 19, 1, scale=0.5, act=tf.nn.relu6)
    conv_case("pw_saturating", (3, 5, 40), 12, 1, scale=3.0)
    conv_case("conv_3x3_c24_same", (5, 6, 24), 10, 3, padding="SAME", relu_in=True, act=tf.nn.relu)

    # Depthwise windows of 9 taps that are not 3x3 and of 12 (dw_pixel's loop of 3 taps, run
    # 3 and 4 times).
    dw_rng = np.random.default_rng(SEED + 2)
    dw_case("dw_fast_1x9_c8", (4, 12, 8), 1, 9, 1, "SAME", relu_out=tf.nn.relu, w_rng=dw_rng)
    dw_case("dw_fast_3x4_c8", (6, 7, 8), 3, 4, 1, "SAME", w_rng=dw_rng)
    return out


def main(argv=None):
    single_op_main(__doc__, SEED, fixtures, argv)


if __name__ == "__main__":
    main()
