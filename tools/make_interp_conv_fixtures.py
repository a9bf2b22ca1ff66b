"""Builds the single-op CONV_2D fixtures for the stream path's column lines.

A window on a single input channel that is taller than wide (and of even height, like
DS-CNN's first 10x4 conv) runs column by column over an input widened column-major
(kernel_conv.c, STREAM_COLUMNS): fused under a ReLU with whole blocks of 8 channels, with
the sums requantized after the kernel otherwise, and columns longer than one chunk of 8 tap
pairs. Same conversion as tools/make_interp_fixtures.py (full-integer, int8 in and out),
into tests/fixtures/interp.

Regenerate (TensorFlow conversions, under a minute):
    .venv/bin/python tools/make_interp_conv_fixtures.py [--out tests/fixtures/interp] [names...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_interp_fixtures import single_op_main, weights  # noqa: E402

SEED = 5150


def fixtures(rng):
    """name -> (tf.function, [TensorSpec])."""
    import tensorflow as tf

    out = {}

    def conv_case(name, shape, filters, kh, kw, strides, padding, act=None):
        w = weights(rng, kh, kw, 1, filters, scale=0.4)
        b = weights(rng, filters, scale=0.2)

        def body(x):
            y = tf.nn.conv2d(x, w, strides, padding) + b
            return act(y) if act else y

        out[name] = (tf.function(body), [tf.TensorSpec([1, *shape, 1], tf.float32)])

    # Fused (ReLU, 16 channels), padding on every side; not fused (no activation, a partial
    # last block); columns of 18 taps (two chunks, the last of one tap pair) under a ReLU6.
    conv_case("conv_cols_relu", (21, 7), 16, 8, 3, (2, 2), "SAME", act=tf.nn.relu)
    conv_case("conv_cols_plain", (15, 6), 12, 6, 2, (1, 2), "VALID")
    conv_case("conv_cols_long", (30, 5), 8, 18, 2, (3, 1), "VALID", act=tf.nn.relu6)
    return out


def main(argv=None):
    single_op_main(__doc__, SEED, fixtures, argv)


if __name__ == "__main__":
    main()
