"""Collaborative optimization with tensorflow-model-optimization, on the DS-CNN and the
fire-alarm CNN (fire alarm vs everything else, the fire-alarm recipe's synthetic clips).

Variants, each fine-tuned from the one it names and converted to full int8 by the
trainer's earshot.quantize.convert:
    baseline   float training                      (int8 by post-training quantization)
    pruned     magnitude pruning to `sparsity`      (from baseline)
    clustered  k-means weight clustering           (from baseline)
    qat        quantization-aware training         (from baseline; earshot.quantize.qat)
    sparsity-preserving clustering                 (from pruned)
    pqat       prune-preserving QAT                (from pruned)
    cqat       cluster-preserving QAT              (from clustered)
    pcqat      sparsity- and cluster-preserving QAT (from sparsity-preserving clustering)
Only conv and dense kernels are pruned/clustered: tfmot's registries list
DepthwiseConv2D with no prunable or clusterable weights, so depthwise kernels stay dense
(layers with fewer than 4 * clusters weights are not clustered either); the table
reports per layer the sparsity and unique values of the int8
weights in the .tflite (per-channel quantization maps each cluster to one int8 value
per channel, so unique counts are per channel, maximum over channels).

    from earshot.recipes import optimize
    optimize.run(optimize.Config(out="runs/optimize", size="tiny"))

Two tfmot problems are worked around (with tfmot 0.8 on tf-keras 2.21): the
experimental.combine schemes' registries claim resize/normalization layers and then fail
on them (_honest_registry), and their quantize_apply returns the Normalization layer
reset to the identity (_restore_float_layers), which had left PQAT/CQAT/PCQAT models at
the majority class.
"""
import dataclasses
import gzip
import json
import time
from pathlib import Path

import numpy as np

from earshot.errors import DataError

MODELS = ("fire_alarm_cnn", "ds_cnn")
VARIANTS = ("baseline", "pruned", "clustered", "qat", "sparsity_preserving_clustering", "pqat", "cqat", "pcqat")
OPTIMIZED_LAYERS = ("Conv2D", "DepthwiseConv2D", "Dense")
SIZES = {  # data preset of the fire-alarm recipe; epochs (baseline, each fine-tuning)
    "full": dict(data="fast", epochs=(30, 8)),
    "fast": dict(data="fast", epochs=(15, 4)),
    "tiny": dict(data="tiny", epochs=(1, 1)),
}


@dataclasses.dataclass
class Config:
    out: str = "runs/optimize"
    size: str = "fast"
    seed: int = 0
    models: tuple = MODELS
    variants: tuple = VARIANTS         # which to convert and evaluate (parents are still trained)
    sparsity: float = 0.5
    clusters: int = 16
    batch_size: int = 32
    verbose: bool = True


def _say(config, message):
    if config.verbose:
        print(message, flush=True)


def _tfmot():
    from earshot.models.tf import tensorflow

    tensorflow()
    import tensorflow_model_optimization as tfmot
    return tfmot


def _fit(model, data, epochs, lr, batch_size, callbacks=()):
    from earshot.models.tf import tensorflow
    from earshot.train.fitting import loss_for

    tf = tensorflow()
    (x, y), _ = data
    model.compile(optimizer=tf.keras.optimizers.Adam(lr), loss=loss_for(model), metrics=["accuracy"])
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=list(callbacks))
    return model


def _wrap_optimized(model, wrap, min_weights=0):
    """Clone `model` wrapping only the weight layers (with at least min_weights kernel
    values); keeps the trained weights."""
    from earshot.models.tf import tensorflow

    tf = tensorflow()

    def clone(layer):
        fresh = layer.__class__.from_config(layer.get_config())  # never wrap the parent's layers
        if type(layer).__name__ not in OPTIMIZED_LAYERS:
            return fresh
        if layer.get_weights()[0].size < min_weights:
            fresh.trainable = False  # too small to optimize: keep it as it is (and its zeros)
            return fresh
        fresh.build(layer.input_shape)
        fresh.set_weights(layer.get_weights())
        return wrap(fresh)

    wrapped = tf.keras.models.clone_model(model, clone_function=clone)
    for source, target in zip(model.layers, wrapped.layers):
        if not hasattr(target, "layer"):  # not wrapped: copy its trained weights
            target.set_weights(source.get_weights())
    return wrapped


def prune(model, data, config, epochs):
    tfmot = _tfmot()
    sparsity = tfmot.sparsity.keras
    steps = max(1, epochs * int(np.ceil(len(data[0][0]) / config.batch_size)))
    schedule = sparsity.PolynomialDecay(initial_sparsity=0.0, final_sparsity=config.sparsity, begin_step=0,
                                        end_step=max(1, steps - 1), frequency=1)
    wrapped = _wrap_optimized(model, lambda l: sparsity.prune_low_magnitude(l, pruning_schedule=schedule))
    _fit(wrapped, data, epochs, 1e-4, config.batch_size, callbacks=[sparsity.UpdatePruningStep()])
    return sparsity.strip_pruning(wrapped)


def cluster(model, data, config, epochs, preserve_sparsity=False):
    tfmot = _tfmot()
    clustering = tfmot.clustering.keras
    options = dict(number_of_clusters=config.clusters,
                   cluster_centroids_init=clustering.CentroidInitialization.KMEANS_PLUS_PLUS)
    if preserve_sparsity:
        options["preserve_sparsity"] = True
    # too few weights to form the clusters (k-means++ needs a point per cluster on each
    # side of zero when sparsity is preserved): such layers stay as they are
    wrapped = _wrap_optimized(model, lambda l: clustering.cluster_weights(l, **options),
                              min_weights=4 * config.clusters)
    _fit(wrapped, data, epochs, 1e-4, config.batch_size)
    return clustering.strip_clustering(wrapped)


def qat(model, data, config, epochs, scheme=None):
    """earshot.quantize.qat for plain QAT; with a tfmot scheme, the same annotation
    (earshot.quantize.QUANTIZABLE layers) applied with that collaborative scheme."""
    from earshot import quantize
    from earshot.models.tf import tensorflow

    if scheme is None:
        q = quantize.qat(model)
    else:
        tf, tfmot = tensorflow(), _tfmot()
        keras_q = tfmot.quantization.keras

        def wrap(layer):
            if type(layer).__name__ in quantize.QUANTIZABLE:
                return keras_q.quantize_annotate_layer(layer)
            return layer
        annotated = tf.keras.models.clone_model(model, clone_function=wrap)
        annotated.set_weights(model.get_weights())
        with keras_q.quantize_scope():
            q = keras_q.quantize_apply(annotated, _honest_registry(scheme))
        _restore_float_layers(q, model)
    return _fit(q, data, epochs, 1e-4, config.batch_size)


def _restore_float_layers(quantized, model):
    """quantize_apply with a collaborative scheme rebuilds the unquantized layers without
    their state: the fire-alarm CNN's Normalization came back as the identity (mean 0,
    variance 1), which zeroed the network. Copy their weights back by name."""
    for layer in quantized.layers:
        if layer.weights and type(layer).__name__ not in ("QuantizeWrapperV2", "QuantizeWrapper", "QuantizeLayer"):
            layer.set_weights(model.get_layer(layer.name).get_weights())


def _honest_registry(scheme):
    """The collaborative schemes' registries claim every layer without trainable weights
    (resize, normalization), then fail to configure it when it feeds a quantized layer;
    this scheme answers supports() as the default 8-bit registry does, so such layers
    stay float in QAT as they do with earshot.quantize.qat."""
    keras_q = _tfmot().quantization.keras
    default = keras_q.default_8bit.Default8BitQuantizeScheme().get_quantize_registry()
    registry = scheme.get_quantize_registry()
    claims = registry.supports
    registry.supports = lambda layer: default.supports(layer) and claims(layer)

    class Scheme(keras_q.QuantizeScheme):
        def get_layout_transformer(self):
            return scheme.get_layout_transformer()

        def get_quantize_registry(self):
            return registry
    return Scheme()


def _schemes():
    tfmot = _tfmot()
    experimental = tfmot.experimental.combine
    return {"pqat": experimental.Default8BitPrunePreserveQuantizeScheme(),
            "cqat": experimental.Default8BitClusterPreserveQuantizeScheme(),
            "pcqat": experimental.Default8BitClusterPreserveQuantizeScheme(preserve_sparsity=True)}


def variants(model, data, config, epochs):
    """Yields (name, float or QAT Keras model), each fine-tuned from its parent."""
    schemes = _schemes()
    yield "baseline", model
    pruned = prune(model, data, config, epochs)
    yield "pruned", pruned
    clustered = cluster(model, data, config, epochs)
    yield "clustered", clustered
    yield "qat", qat(model, data, config, epochs)
    sparse_clustered = cluster(pruned, data, config, epochs, preserve_sparsity=True)
    yield "sparsity_preserving_clustering", sparse_clustered
    yield "pqat", qat(pruned, data, config, epochs, schemes["pqat"])
    yield "cqat", qat(clustered, data, config, epochs, schemes["cqat"])
    yield "pcqat", qat(sparse_clustered, data, config, epochs, schemes["pcqat"])


def int8_weight_stats(tflite):
    """Per conv/dense weight tensor of an int8 .tflite: sparsity and unique values."""
    from earshot.models.tf import tensorflow

    interpreter = tensorflow().lite.Interpreter(model_content=bytes(tflite))
    rows = []
    for detail in interpreter.get_tensor_details():
        if detail["dtype"] != np.int8 or len(detail["shape"]) not in (2, 4):
            continue
        try:
            w = interpreter.get_tensor(detail["index"])
        except ValueError:
            continue  # not a constant
        if w.size < 8:
            continue  # scalars folded from the normalization, not weights
        depthwise = "depthwise" in detail["name"].lower()
        per_channel = w.reshape(-1, w.shape[-1]) if depthwise else w.reshape(w.shape[0], -1).T
        kind = "depthwise" if depthwise else "conv" if w.ndim == 4 else "dense"
        rows.append({"tensor": detail["name"], "layer": f"{kind} {'x'.join(map(str, w.shape))}",
                     "shape": [int(s) for s in w.shape],
                     "sparsity": float((w == 0).mean()),
                     "unique": int(len(np.unique(w))),
                     "unique_per_channel_max": int(max(len(np.unique(per_channel[:, c]))
                                                       for c in range(per_channel.shape[1])))})
    return rows


def float_weight_stats(model):
    rows = []
    for layer in model.layers:
        inner = getattr(layer, "layer", layer)
        if type(inner).__name__ not in OPTIMIZED_LAYERS:
            continue
        kernel = [w for w in layer.get_weights() if w.ndim >= 2]
        if kernel:
            k = kernel[0]
            rows.append({"layer": inner.name, "sparsity": float((k == 0).mean()), "unique": int(len(np.unique(k)))})
    return rows


def evaluate(name, model, data, labels):
    from earshot import quantize
    from earshot.evaluate import Int8Model, metrics, predict_float

    (tr_x, _), (te_x, te_y) = data
    tflite = quantize.convert(model, tr_x)
    int8 = Int8Model(tflite, "tflm").predict(te_x)
    return {
        "float_accuracy": metrics(te_y, predict_float(model, te_x), labels)["accuracy"],
        "int8_accuracy": metrics(te_y, int8, labels)["accuracy"],
        "tflite_bytes": len(tflite),
        "gzip_bytes": len(gzip.compress(bytes(tflite), 9)),
        "float_layers": float_weight_stats(model),
        "int8_layers": int8_weight_stats(tflite),
    }, tflite


def task_data(config):
    from earshot.recipes import fire_alarm
    from earshot.recipes.pipeline import windows_and_inputs

    train, val, test = fire_alarm.transfer_clips(fire_alarm.Config(size=SIZES[config.size]["data"],
                                                                   seed=config.seed, verbose=False))
    (tr_ws, tr_x), (te_ws, te_x) = [windows_and_inputs(c, fire_alarm.LABELS, False) for c in (train + val, test)]
    return ((tr_x, tr_ws.y), (te_x, te_ws.y)), fire_alarm.LABELS


def run(config=None):
    config = config or Config()
    if config.size not in SIZES:
        raise DataError(f"unknown size {config.size!r}", hint=f"choose one of {', '.join(SIZES)}")
    unknown = (set(config.models) - set(MODELS)) | (set(config.variants) - set(VARIANTS))
    if unknown:
        raise DataError(f"unknown models or variants {sorted(unknown)}",
                        hint=f"models: {', '.join(MODELS)}; variants: {', '.join(VARIANTS)}")
    from earshot.models import build
    from earshot.models.tf import tensorflow
    from earshot.train import adapt_normalization

    tensorflow().keras.utils.set_random_seed(config.seed)
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    base_epochs, tune_epochs = SIZES[config.size]["epochs"]
    _say(config, f"[data] fire-alarm task ({SIZES[config.size]['data']} preset)")
    data, labels = task_data(config)
    tables = {}
    for name in config.models:
        _say(config, f"[{name}] baseline training ({base_epochs} epochs)")
        model = build(name, data[0][0].shape[1:], len(labels), verbose=False)
        adapt_normalization(model, data[0][0])
        _fit(model, data, base_epochs, 3e-3, config.batch_size)
        rows = {}
        for variant, tuned in variants(model, data, config, tune_epochs):
            if variant not in config.variants:
                continue
            _say(config, f"[{name}] {variant}: int8 conversion and evaluation")
            rows[variant], tflite = evaluate(variant, tuned, data, labels)
            (out / f"{name}.{variant}.tflite").write_bytes(tflite)
        tables[name] = rows
    summary = {"recipe": "optimize", "size": config.size, "seed": config.seed, "labels": list(labels),
               "sparsity": config.sparsity, "clusters": config.clusters, "train_windows": int(len(data[0][1])),
               "test_windows": int(len(data[1][1])), "models": tables, "seconds": time.perf_counter() - started}
    (out / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n")
    (out / "report.md").write_text(report(summary))
    return summary


def _pct(value):
    return "n/a" if value is None else f"{100 * value:.1f}%"


def report(summary):
    lines = [f"# Collaborative optimization (tfmot), size {summary['size']}", "",
             f"Task: fire alarm vs everything else, {summary['train_windows']} training and "
             f"{summary['test_windows']} test windows (synthetic). Pruning to {summary['sparsity']:.0%} sparsity, "
             f"{summary['clusters']} clusters. Sizes are of the full-int8 .tflite; per-layer figures are of "
             "its int8 weight tensors (unique: whole tensor / most in one channel).", ""]
    for name, rows in summary["models"].items():
        lines += [f"## {name}", "", "| variant | float acc | int8 acc | .tflite bytes | gzip bytes | "
                  "per layer: sparsity, unique (tensor/channel) |", "|---|---|---|---|---|---|"]
        for variant, row in rows.items():
            layers = "; ".join(f"{r['layer']}: {r['sparsity']:.0%}, {r['unique']}/{r['unique_per_channel_max']}"
                               for r in row["int8_layers"])
            lines.append(f"| {variant} | {_pct(row['float_accuracy'])} | {_pct(row['int8_accuracy'])} | "
                         f"{row['tflite_bytes']:,} | {row['gzip_bytes']:,} | {layers} |")
        lines.append("")
    return "\n".join(lines)
