"""Builds the single-op depthwise fixtures of interp's pair path (core/kernel_dw_pairs.c).

3x3, stride 1, under a ReLU: SAME with an odd and an even number of rows, VALID, a
single output column, DS-CNN's shape in small (ReLU after an input ReLU, zero points -128),
and weights scaled up so that accumulators pass 2^16 and outputs saturate at the top of a
ReLU6. Same conversion as tools/make_interp_fixtures.py (full-integer, int8 in and out),
into tests/fixtures/interp.

Regenerate (TensorFlow conversions, under a minute):
    .venv/bin/python tools/make_interp_dw_fixtures.py [--out tests/fixtures/interp] [names...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_interp_fixtures import single_op_main, weights  # noqa: E402

SEED = 2718


def fixtures(rng):
    """name -> (tf.function, [TensorSpec])."""
    import tensorflow as tf

    out = {}

    def case(name, shape, padding, scale=0.4, relu_in=False, act=tf.nn.relu, in_gain=1.0):
        w = weights(rng, 3, 3, shape[-1], 1, scale=scale)
        b = weights(rng, shape[-1], scale=0.2)

        def body(x):
            x = x * in_gain
            x = tf.nn.relu(x) if relu_in else x
            return act(tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], padding) + b)

        out[name] = (tf.function(body), [tf.TensorSpec([1, *shape], tf.float32)])

    case("dw_pairs_odd_rows", (9, 5, 16), "SAME", relu_in=True)
    case("dw_pairs_even_rows", (6, 7, 8), "SAME")
    case("dw_pairs_valid", (7, 6, 12), "VALID")
    case("dw_pairs_one_column", (5, 1, 4), "SAME")
    case("dw_pairs_zoo_shape", (8, 16, 24), "SAME", relu_in=True)
    # Large weights against a narrow output range: sums beyond 2^16, outputs at 6.
    case("dw_pairs_big_sums", (5, 4, 8), "SAME", scale=4.0, act=tf.nn.relu6, in_gain=4.0)
    return out


def main(argv=None):
    single_op_main(__doc__, SEED, fixtures, argv)


if __name__ == "__main__":
    main()
