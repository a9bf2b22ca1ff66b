"""The model zoo. Each builder returns an uncompiled Keras model whose last layer is
named "head" (so transfer learning can replace it) and prints its parameter count.

    build(name, input_shape, labels, **options) -> keras.Model
"""
from earshot.errors import ModelError

BUILDERS = {
    "fire_alarm_cnn": "earshot.models.fire_alarm_cnn",
    "ds_cnn": "earshot.models.ds_cnn",
    "lstm_mfcc": "earshot.models.lstm_mfcc",
    "mfcc_cnn": "earshot.models.mfcc_cnn",
}


def build(name, input_shape, classes, verbose=True, **options):
    """Build model `name` for `classes` outputs (2 classes -> one sigmoid unit)."""
    import importlib

    if name not in BUILDERS:
        raise ModelError(f"unknown model {name!r}", hint=f"choose one of {', '.join(BUILDERS)}")
    if classes < 2:
        raise ModelError(f"a classifier needs at least 2 classes, got {classes}")
    model = importlib.import_module(BUILDERS[name]).build(tuple(input_shape), classes, **options)
    if verbose:
        print(f"{name}: {model.count_params():,} parameters")
    return model


def head(keras, classes, name="head"):
    """The output layer: one sigmoid unit for two classes, else a softmax."""
    if classes == 2:
        return keras.layers.Dense(1, activation="sigmoid", name=name)
    return keras.layers.Dense(classes, activation="softmax", name=name)


def activation(model):
    """'sigmoid' or 'softmax': heads from head() have one unit exactly when sigmoid."""
    return "sigmoid" if model.output_shape[-1] == 1 else "softmax"
