"""Random converter outputs against tflite_micro: the interp on graphs nobody wrote by hand.

Each seed builds a random Keras graph from the layers whose int8 ops the interp runs (conv,
depthwise, pools, add/sub/mul, concatenation, nearest resize, padding, cropping, the
activations, reshapes, a dense head; or an LSTM with a fixed batch of 1), converts it to
full int8 (a quarter of the CNNs with float input and output: QUANTIZE/DEQUANTIZE), and
compares the host library with tflite_micro on random and extreme inputs, byte for byte.
Exits 1 when any output differs or a converted graph is refused.

    .venv/bin/python tools/sweep_interp.py --kind cnn --seeds 0 100
    .venv/bin/python tools/sweep_interp.py --kind wide --seeds 0 40
    .venv/bin/python tools/sweep_interp.py --kind lstm --seeds 0 40 --keep /tmp/sweep

--keep writes every model as sweep_<kind>_<seed>.tflite (the sweep_* fixtures in
tests/fixtures/interp come from here: tests run them on the boards too). Slow: one
TensorFlow conversion per seed, about a second each.
"""
import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ACTIVATIONS = [None, "relu", "relu6", None, "tanh", "sigmoid"]
TRIALS = 4  # random inputs, then all 127 and all -128
FILTERS = {False: [1, 2, 3, 4, 8, 12, 16, 24], True: [8, 16, 32, 48, 64]}  # output channels, by `wide`


def conv_block(k, x, rng, depthwise, wide):
    h, w = x.shape[1], x.shape[2]
    kh, kw = int(rng.integers(1, 5 if depthwise else 6)), int(rng.integers(1, 5 if depthwise else 6))
    stride = int(rng.integers(1, 3))
    dilation = 1 if stride > 1 else int(rng.integers(1, 3))
    padding = str(rng.choice(["same", "valid"]))
    if h < (kh - 1) * dilation + 1 or w < (kw - 1) * dilation + 1:
        padding = "same"
    options = dict(strides=stride, dilation_rate=dilation, padding=padding, use_bias=bool(rng.integers(2)),
                   activation=ACTIVATIONS[rng.integers(len(ACTIVATIONS))])
    if depthwise:
        return k.layers.DepthwiseConv2D((kh, kw), depth_multiplier=int(rng.choice([1, 1, 2])), **options)(x)
    return k.layers.Conv2D(int(rng.choice(FILTERS[wide])), (kh, kw), **options)(x)


def block(k, x, rng, wide):
    """One random layer (or a small branch) on x."""
    h, w, c = x.shape[1], x.shape[2], x.shape[3]
    kind = rng.choice(["conv", "dw", "pool", "add", "concat", "resize", "pad", "mul", "crop", "act", "conv", "dw"])
    act = ACTIVATIONS[rng.integers(len(ACTIVATIONS))]
    if kind in ("conv", "dw"):
        return conv_block(k, x, rng, kind == "dw", wide)
    if kind == "pool":
        size, stride = int(rng.integers(2, 4)), int(rng.integers(1, 3))
        padding = "same" if h < size or w < size else str(rng.choice(["same", "valid"]))
        pool = k.layers.MaxPooling2D if rng.integers(2) else k.layers.AveragePooling2D
        return pool(size, strides=stride, padding=padding)(x)
    if kind == "add":
        y = k.layers.Conv2D(c, 1, activation=act)(x)
        return (k.layers.Add() if rng.integers(2) else k.layers.Subtract())([x, y])
    if kind == "mul":
        return k.layers.Multiply()([x, k.layers.Conv2D(c, 1, activation="sigmoid")(x)])
    if kind == "concat":
        return k.layers.Concatenate()([x, k.layers.Conv2D(int(rng.integers(1, 6)), 1, activation=act)(x)])
    if kind == "resize" and h * w < 200:
        return k.layers.Resizing(int(rng.integers(2, 24)), int(rng.integers(2, 24)), interpolation="nearest")(x)
    if kind == "pad":
        return k.layers.ZeroPadding2D(tuple((int(rng.integers(0, 3)), int(rng.integers(0, 3))) for _ in range(2)))(x)
    if kind == "crop" and h > 3 and w > 3:
        return k.layers.Cropping2D(((1, int(rng.integers(0, 2))), (int(rng.integers(0, 2)), 1)))(x)
    if kind == "act":
        return k.layers.Activation(str(rng.choice(["relu", "relu6", "tanh", "sigmoid"])))(x)
    return k.layers.ReLU()(x)


def head(k, x, rng):
    choice = rng.integers(3)
    if choice == 0:
        x = k.layers.GlobalAveragePooling2D()(x)
    elif choice == 1:
        x = k.layers.Flatten()(x)
    else:  # a 1-D convolution over the pixels: EXPAND_DIMS/SQUEEZE around a CONV_2D
        x = k.layers.Reshape((x.shape[1] * x.shape[2], x.shape[3]))(x)
        x = k.layers.Conv1D(int(rng.integers(2, 9)), int(rng.integers(1, 4)), padding="same", activation="relu")(x)
        x = k.layers.GlobalAveragePooling1D()(x) if rng.integers(2) else k.layers.Flatten()(x)
    if rng.integers(2):
        x = k.layers.Dense(int(rng.integers(2, 20)), activation=ACTIVATIONS[rng.integers(len(ACTIVATIONS))])(x)
    x = k.layers.Dense(int(rng.integers(2, 10)))(x)
    return k.layers.Softmax()(x) if rng.integers(2) else x


def seeded_weights(shape, rng):
    """Kernels scaled by their fan-in (as Keras' initializers), biases small: from the
    seed's generator, so a graph does not depend on the ones built before it."""
    import numpy as np

    fan_in = int(np.prod(shape[:-1])) if len(shape) > 1 else 0
    scale = 1.0 / np.sqrt(fan_in) if fan_in else 0.1
    return rng.normal(0.0, scale, shape).astype(np.float32)


def cnn_model(seed, wide=False):
    """The random CNN of a seed as .tflite bytes (None when the draw makes no valid graph);
    wide: larger images and channel counts (the stream path's bands and groups of blocks)."""
    import numpy as np
    import tensorflow as tf
    from make_interp_fixtures import convert

    rng = np.random.default_rng(seed)
    k = tf.keras
    k.backend.clear_session()  # layer names depend on the seed alone
    sides, channels = ((8, 50), [1, 8, 16, 32]) if wide else ((3, 21), [1, 2, 3, 4, 8, 12])
    shape = (int(rng.integers(*sides)), int(rng.integers(*sides)), int(rng.choice(channels)))
    inputs = k.Input(shape=shape, batch_size=1)
    x = inputs
    try:
        for _ in range(int(rng.integers(1, 5))):
            x = block(k, x, rng, wide)
        model = k.Model(inputs, head(k, x, rng))
        model.set_weights([seeded_weights(w.shape, rng) for w in model.get_weights()])
        fn = tf.function(lambda t: model(t))
        return convert(fn, [tf.TensorSpec((1,) + shape, tf.float32)], rng, float_io=bool(rng.integers(4) == 0))
    except ValueError:  # e.g. a window larger than what is left of the image
        return None


def lstm_model(seed):
    """A random Keras LSTM (batch 1, maybe a dense head) through the trainer's conversion."""
    import numpy as np

    from earshot import quantize
    from earshot.models.tf import keras

    rng = np.random.default_rng(seed)
    k = keras()
    k.backend.clear_session()  # layer names depend on the seed alone
    steps, features, units = int(rng.integers(1, 25)), int(rng.integers(1, 20)), int(rng.integers(1, 40))
    sequences = bool(rng.integers(2))
    inputs = k.Input(shape=(steps, features), batch_size=1)
    x = k.layers.LSTM(units, return_sequences=sequences)(inputs)
    if rng.integers(2):
        x = k.layers.Dense(int(rng.integers(2, 8)))(k.layers.Flatten()(x) if sequences else x)
    model = k.Model(inputs, x)
    scale = float(rng.choice([0.2, 0.6, 1.5]))
    model.set_weights([rng.normal(0.0, scale, w.shape).astype(np.float32) for w in model.get_weights()])
    representative = rng.normal(0.0, float(rng.choice([0.5, 1.5, 4.0])), (24, steps, features))
    return quantize.convert(model, representative.astype(np.float32))


def trial_inputs(interp, rng, trial):
    import numpy as np

    xs = []
    for t in interp.inputs:
        if trial < TRIALS:
            x = rng.uniform(-3.0, 3.0, t.shape) if t.dtype == np.float32 else rng.integers(-128, 128, t.shape)
        else:
            x = np.full(t.shape, 127 if trial == TRIALS else -128)
        xs.append(x.astype(t.dtype))
    return xs


def differing_trials(data, seed):
    """How many of the trials' outputs differ between the host library and tflite_micro."""
    import numpy as np
    from tflite_micro.python.tflite_micro import runtime

    from earshot.interp import Interpreter

    ours = Interpreter(data)
    # The reference's default arena is 10x the model: too little for large images.
    ref = runtime.Interpreter.from_bytes(data, arena_size=max(10 * len(data), 4 * ours.arena_size + (64 << 10)))
    rng = np.random.default_rng(seed)
    differ = 0
    for trial in range(TRIALS + 2):
        xs = trial_inputs(ours, rng, trial)
        for n, x in enumerate(xs):
            ref.set_input(x, n)
        ref.invoke()
        got = ours.invoke(*xs)
        got = got if isinstance(got, list) else [got]
        differ += any(not np.array_equal(g.reshape(-1), np.asarray(ref.get_output(n)).reshape(-1))
                      for n, g in enumerate(got))
    return differ


def _put_result(queue, target, args):
    queue.put(target(*args))


def in_child(target, args, method="spawn"):
    """target(*args) in a separate process: (its result, the exit code); the result is None
    when the process ended without one (the reference aborts it on some valid models).
    spawn where TensorFlow runs in this process (its threads do not survive a fork)."""
    import multiprocessing

    context = multiprocessing.get_context(method)
    queue = context.SimpleQueue()
    process = context.Process(target=_put_result, args=(queue, target, args))
    process.start()
    process.join()
    return (queue.get() if process.exitcode == 0 else None), process.exitcode


def _differing_or_refused(data, seed):
    from earshot.errors import EarshotError

    try:
        return differing_trials(data, seed)
    except EarshotError as exc:
        return f"REFUSED: {exc}"


def compared_apart(data, seed):
    """differing_trials in a fresh process (e.g. a SOFTMAX whose input scale makes its
    multiplier <= 1 fails a check in the reference, which ends the process). Returns the
    count, or a text when there is none."""
    result, exitcode = in_child(_differing_or_refused, (data, seed))
    if result is None:
        return f"not judged: the reference (or ours) ended the process, exit {exitcode}"
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--kind", choices=["cnn", "wide", "lstm"], default="cnn",
                        help="wide: CNNs on larger images with more channels")
    parser.add_argument("--seeds", nargs=2, type=int, default=[0, 20], metavar=("FIRST", "COUNT"))
    parser.add_argument("--keep", type=Path, help="write every converted model here")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    build = {"cnn": cnn_model, "wide": lambda seed: cnn_model(seed, wide=True), "lstm": lstm_model}[args.kind]
    failed = checked = 0
    for seed in range(args.seeds[0], args.seeds[0] + args.seeds[1]):
        data = build(seed)
        if data is None:
            print(f"{seed}: no valid graph drawn, skipped")
            continue
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            (args.keep / f"sweep_{args.kind}_{seed}.tflite").write_bytes(data)
        differ = compared_apart(data, seed)
        if isinstance(differ, str):
            print(f"{seed}: {differ}")
            failed += differ.startswith("REFUSED")
            continue
        checked += 1
        failed += differ > 0
        print(f"{seed}: {len(data)} bytes, " + (f"DIFFERS in {differ} trials" if differ else "equal"), flush=True)
    print(f"{checked} graphs compared, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
