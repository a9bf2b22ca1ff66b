"""The one place TensorFlow is imported, with legacy Keras (tf-keras) selected.

tensorflow-model-optimization needs tf-keras, which TensorFlow only uses when
TF_USE_LEGACY_KERAS=1 is set before TensorFlow is first imported.
"""
import os
import sys

from earshot.errors import ModelError


def tensorflow():
    """Return the tensorflow module configured for earshot (tf.keras is tf-keras)."""
    if "tensorflow" not in sys.modules:
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import tensorflow as tf
    except ImportError as exc:
        raise ModelError("TensorFlow is not installed",
                         hint="pip install 'earshot[train]' (or run 'make setup')") from exc
    if not tf.keras.__name__.startswith("tf_keras"):
        raise ModelError("TensorFlow was imported with Keras 3 before earshot could select tf-keras",
                         hint="set TF_USE_LEGACY_KERAS=1 in the environment")
    return tf


def keras():
    return tensorflow().keras
