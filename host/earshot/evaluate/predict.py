"""Running models: float Keras models, and int8 .tflite models through the TFLM reference
interpreter (tflite_micro), tf.lite, or earshot's own interpreter when it is built.

Int8 input is formed from the Q15 features the way the board does it:
q = clamp(round((q15 / 32768) / scale) + zero_point, -128, 127).
"""
import numpy as np

from earshot.errors import ModelError
from earshot.evaluate.metrics import as_classes


def predict_float(model, x, batch_size=64):
    return as_classes(model.predict(np.asarray(x, dtype=np.float32), batch_size=batch_size, verbose=0))


def quantize_input(x, scale, zero_point):
    """Float network input (q15 / 32768) -> int8, through earshot.features when it offers it."""
    from earshot import features

    q15 = np.round(np.asarray(x, dtype=np.float64) * 32768.0).astype(np.int16)
    if hasattr(features, "quantize_input"):
        return features.quantize_input(q15, scale, zero_point)
    q = np.round(q15.astype(np.float64) / 32768.0 / scale) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)


class Int8Model:
    """An int8 .tflite model run one window at a time by `engine`: "tflm", "tflite" or "earshot"."""

    def __init__(self, tflite, engine="tflm"):
        from earshot.export.inspect import describe

        self.tflite = bytes(tflite)
        info = describe(self.tflite)
        self.input, self.output = info["inputs"][0], info["outputs"][0]
        self.engine = engine
        self._batch = None
        self._run = self._runner(engine)

    def _runner(self, engine):
        if engine == "tflm":
            from tflite_micro import runtime

            interpreter = runtime.Interpreter.from_bytes(self.tflite)

            def run(q):
                interpreter.set_input(q, 0)
                interpreter.invoke()
                return interpreter.get_output(0)
            return run
        if engine == "tflite":
            from earshot.models.tf import tensorflow

            tf = tensorflow()
            # Reference kernels: the default XNNPACK path may round int8 differently.
            interpreter = tf.lite.Interpreter(
                model_content=self.tflite, experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_REF)
            interpreter.allocate_tensors()
            i = interpreter.get_input_details()[0]["index"]
            o = interpreter.get_output_details()[0]["index"]

            def run(q):
                interpreter.set_tensor(i, q)
                interpreter.invoke()
                return interpreter.get_tensor(o).copy()
            return run
        if engine == "earshot":
            try:
                from earshot.interp import Interpreter
            except ImportError as exc:
                raise ModelError("earshot's own interpreter is not available",
                                 hint="run 'make modules' to build it") from exc
            interpreter = Interpreter(self.tflite)
            self._batch = interpreter.run_batch
            return interpreter.invoke
        raise ModelError(f"unknown engine {engine!r}", hint="use tflm, tflite or earshot")

    def quantize(self, x):
        return quantize_input(x, self.input["scale"][0], self.input["zero_point"][0])

    def raw(self, x):
        """int8 outputs, (n, outputs), for float inputs x (n, ...)."""
        q = self.quantize(x)
        shape = tuple(self.input["shape"])
        if self._batch is not None:
            return np.asarray(self._batch(q.reshape((len(q),) + shape))).reshape(len(q), -1)
        return np.stack([np.asarray(self._run(w.reshape(shape))).reshape(-1) for w in q])

    def predict(self, x):
        raw = self.raw(x).astype(np.float64)
        return as_classes((raw - self.output["zero_point"][0]) * self.output["scale"][0])
