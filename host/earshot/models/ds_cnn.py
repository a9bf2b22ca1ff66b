"""A depthwise-separable CNN (the keyword-spotting DS-CNN shape), sized for a microcontroller.

input -> (optional nearest resize) -> normalization -> conv 3x3 stride 2 -> blocks of
[depthwise 3x3, batch-norm, relu, pointwise 1x1, batch-norm, relu] -> global average
pool -> head.
"""
from earshot.models import head
from earshot.models.tf import keras


def build(input_shape, classes, size=(32, 32), filters=24, blocks=3, dropout=0.2):
    k = keras()
    inputs = k.Input(shape=input_shape, name="features")
    x = inputs
    if size is not None:
        x = k.layers.Resizing(*size, interpolation="nearest", name="resize")(x)
    x = k.layers.Normalization(name="normalize")(x)
    x = k.layers.Conv2D(filters, 3, strides=2, padding="same", use_bias=False, name="conv")(x)
    x = k.layers.BatchNormalization(name="conv_bn")(x)
    x = k.layers.ReLU(name="conv_relu")(x)
    for i in range(blocks):
        x = k.layers.DepthwiseConv2D(3, padding="same", use_bias=False, name=f"dw{i}")(x)
        x = k.layers.BatchNormalization(name=f"dw{i}_bn")(x)
        x = k.layers.ReLU(name=f"dw{i}_relu")(x)
        x = k.layers.Conv2D(filters, 1, use_bias=False, name=f"pw{i}")(x)
        x = k.layers.BatchNormalization(name=f"pw{i}_bn")(x)
        x = k.layers.ReLU(name=f"pw{i}_relu")(x)
    x = k.layers.GlobalAveragePooling2D(name="pool")(x)
    x = k.layers.Dropout(dropout, name="dropout")(x)
    return k.Model(inputs, head(k, classes)(x), name="ds_cnn")
