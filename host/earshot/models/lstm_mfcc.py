"""An LSTM over a sequence of MFCC frames (the music-genre design, about 15 K parameters).

The batch size is fixed at 1 because the TFLite converter makes a single
UNIDIRECTIONAL_SEQUENCE_LSTM op only with a fixed batch; training uses batches of 1
through the same graph.
"""
from earshot.models import head
from earshot.models.tf import keras


def build(input_shape=(62, 13), classes=4, units=48, dense=64, batch_size=1):
    k = keras()
    inputs = k.Input(shape=input_shape, batch_size=batch_size, name="mfcc")
    x = k.layers.Normalization(name="normalize")(inputs)
    x = k.layers.LSTM(units, name="lstm")(x)
    x = k.layers.Dense(dense, activation="relu", name="dense")(x)
    return k.Model(inputs, head(k, classes)(x), name="lstm_mfcc")
