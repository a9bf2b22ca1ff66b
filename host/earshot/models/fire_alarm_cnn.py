"""The fire-alarm CNN of the RP2040 design (about 800 parameters for two classes).

spectrogram (124 x 129 x 1) -> nearest resize to 32 x 32 -> normalization (adapted on
the training set) -> conv 8 filters 8x8 stride 2 relu -> max-pool 2x2 -> flatten ->
dropout 0.25 -> dense head.
"""
from earshot.models import head
from earshot.models.tf import keras


def build(input_shape=(124, 129, 1), classes=2, size=(32, 32), filters=8, kernel=8, dropout=0.25):
    k = keras()
    inputs = k.Input(shape=input_shape, name="spectrogram")
    x = k.layers.Resizing(*size, interpolation="nearest", name="resize")(inputs)
    x = k.layers.Normalization(name="normalize")(x)
    x = k.layers.Conv2D(filters, kernel, strides=2, activation="relu", name="conv")(x)
    x = k.layers.MaxPooling2D(2, name="pool")(x)
    x = k.layers.Flatten(name="flatten")(x)
    x = k.layers.Dropout(dropout, name="dropout")(x)
    return k.Model(inputs, head(k, classes)(x), name="fire_alarm_cnn")
