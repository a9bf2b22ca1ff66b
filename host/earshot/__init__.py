"""earshot: train a sound classifier on a PC, run it on an RP2040 under MicroPython."""
import os

# tensorflow-model-optimization needs tf-keras, and TensorFlow reads this once, at its
# first import, whoever makes it (tflite_micro imports TensorFlow too): so it is set
# as soon as earshot is imported. earshot.models.tf checks that it took effect.
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

__version__ = "0.1.0"
