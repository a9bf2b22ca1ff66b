"""Four convolutions over cascaded MFCC frames (the smart-lock design).

(frames, coefficients, 1) -> normalization -> conv 8 -> conv 16 -> pool -> conv 32 ->
conv 32 -> pool -> flatten -> dropout -> head.
"""
from earshot.models import head
from earshot.models.tf import keras


def build(input_shape=(49, 13, 1), classes=3, dropout=0.25):
    k = keras()
    inputs = k.Input(shape=input_shape, name="mfcc")
    x = k.layers.Normalization(name="normalize")(inputs)
    for i, filters in enumerate((8, 16)):
        x = k.layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv{i}")(x)
    x = k.layers.MaxPooling2D(2, name="pool0")(x)
    for i, filters in enumerate((32, 32), start=2):
        x = k.layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv{i}")(x)
    x = k.layers.MaxPooling2D(2, name="pool1")(x)
    x = k.layers.Flatten(name="flatten")(x)
    x = k.layers.Dropout(dropout, name="dropout")(x)
    return k.Model(inputs, head(k, classes)(x), name="mfcc_cnn")
