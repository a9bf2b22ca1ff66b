"""The Q15 MFCC front end of the MFCC recipes (music_genre, smart_lock): its options,
the settings a model carries for it, and int8 input forming.

The settings are earshot.settings' schema 1 with features.kind "mfcc_q15" (validated
and embedded there; the board app runs them). `read(tflite)` here reads them back and
insists on MFCC features.

features (kind "mfcc_q15"): frame, hop, fft, window "hann", sample_rate, fmin, fmax,
  bands, coefficients, columns (= frames per window), bins (= coefficients), and
  optionally scaling {"kind": "minmax_u8", "min": [...], "max": [...]} (per coefficient,
  integer q8.7; see smart_lock_board.minmax_u8).
input.float_input: how the float network input f comes from the int16 values v:
  "q8.7/128"  f = v / 128, the MFCC value itself (v straight from the front end)
  "u8"        f = v, a 0..255 min-max scaled value
Either way int8 = clamp(zero_point + round_half_away(f / scale), -128, 127), computed
by the front end's Quantizer (earshot.features.quantize_input), exact for every v.
"""
import dataclasses
import json
from pathlib import Path

import numpy as np

from earshot import settings as settings_module
from earshot.errors import ModelError

FLOAT_INPUTS = {"q8.7/128": 128, "u8": 1}  # v -> f divides by this


@dataclasses.dataclass(frozen=True)
class MfccFrontEnd:
    frame: int = 400
    hop: int = 160
    fft: int = 512
    sample_rate: int = 16000
    fmin: int = 0
    fmax: int | None = None
    bands: int = 40
    coefficients: int = 20

    def frames(self, samples):
        return (samples - self.frame) // self.hop + 1

    def features(self, audio):
        """int16 audio -> int16 (frames, coefficients), q8.7, the board's bytes."""
        from earshot.features import mfcc_q15

        return mfcc_q15(audio, frame=self.frame, hop=self.hop, fft=self.fft, sample_rate=self.sample_rate,
                        fmin=self.fmin, fmax=self.upper(), bands=self.bands, coefficients=self.coefficients)

    def upper(self):
        return self.sample_rate // 2 if self.fmax is None else self.fmax

    def block(self, window_samples, scaling=None):
        block = {"kind": "mfcc_q15", "frame": self.frame, "hop": self.hop, "fft": self.fft, "window": "hann",
                 "sample_rate": self.sample_rate, "fmin": self.fmin, "fmax": self.upper(), "bands": self.bands,
                 "coefficients": self.coefficients, "columns": self.frames(window_samples),
                 "bins": self.coefficients}
        if scaling is not None:
            block["scaling"] = scaling
        return block


def to_int8(values, scale, zero_point, float_input):
    """int16 feature values -> the int8 network input, exactly as the board forms it."""
    from earshot.features import quantize_input

    divisor = FLOAT_INPUTS[float_input]
    # f / scale == v / 32768 / (scale * divisor / 32768); divisor is a power of two, so exact.
    return quantize_input(np.asarray(values, dtype=np.int16), float(np.float32(scale)) * divisor / 32768.0,
                          zero_point)


def make(tflite, *, front_end, window_samples, hop_samples, labels, target, float_input, decision,
         scaling=None, model=None):
    """The settings dict for an MFCC model, quantization read from the model itself."""
    from earshot.export.inspect import describe

    if float_input not in FLOAT_INPUTS:
        raise ModelError(f"float_input {float_input!r} is not one of {list(FLOAT_INPUTS)}")
    info = describe(tflite)
    i, o = info["inputs"][0], info["outputs"][0]
    activation = "sigmoid" if o["shape"][-1] == 1 else "softmax"
    settings = {
        "schema": settings_module.SCHEMA, "sample_rate": front_end.sample_rate, "window_samples": window_samples,
        "hop_samples": hop_samples, "features": front_end.block(window_samples, scaling),
        "input": {"shape": list(i["shape"]), "dtype": "int8", "scale": float(i["scale"][0]),
                  "zero_point": int(i["zero_point"][0]), "float_input": float_input},
        "output": {"dtype": "int8", "scale": float(o["scale"][0]), "zero_point": int(o["zero_point"][0]),
                   "activation": activation},
        "labels": list(labels), "target": target, "decision": dict(decision), "model": dict(model or {}),
    }
    validate(settings)
    return settings


def validate(settings):
    """earshot.settings' schema-1 validation; the features must be MFCC."""
    kind = settings.get("features", {}).get("kind") if isinstance(settings, dict) else None
    if kind != "mfcc_q15":
        raise ModelError(f"expected mfcc_q15 features, got {kind!r}")
    return settings_module.validate(settings)


def embed(tflite, settings):
    validate(settings)
    return settings_module.embed(tflite, settings)


def read(tflite):
    """The MFCC settings embedded in a model (ModelError when absent or not MFCC)."""
    return validate(settings_module.read(tflite))


def write_model(folder, tflite, settings):
    """model.tflite (settings embedded) and model.json; returns the embedded bytes."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    embedded = embed(tflite, settings)
    (folder / "model.tflite").write_bytes(embedded)
    (folder / "model.json").write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n")
    return embedded


class Int8Runner:
    """An int8 model fed int16 feature values; engine "tflm" or "earshot" (our interpreter)."""

    def __init__(self, tflite, engine="tflm", float_input="q8.7/128"):
        from earshot.export.inspect import describe

        info = describe(tflite)
        self.input, self.output = info["inputs"][0], info["outputs"][0]
        self.float_input = float_input
        self.engine = engine
        if engine == "tflm":
            from tflite_micro import runtime

            self._tflm = runtime.Interpreter.from_bytes(bytes(tflite))
        elif engine == "earshot":
            from earshot.interp import Interpreter

            self._ours = Interpreter(bytes(tflite))
        else:
            raise ModelError(f"unknown engine {engine!r}", hint="use tflm or earshot")

    def quantize(self, values):
        return to_int8(values, self.input["scale"][0], self.input["zero_point"][0], self.float_input)

    def raw(self, values):
        """(n, ...) int16 feature values -> (n, outputs) int8."""
        q = self.quantize(values).reshape((len(values),) + tuple(self.input["shape"]))
        if self.engine == "earshot":
            return np.asarray(self._ours.run_batch(q)).reshape(len(q), -1)
        rows = []
        for x in q:
            self._tflm.reset()  # an LSTM's state tensors persist between invokes otherwise
            self._tflm.set_input(x, 0)
            self._tflm.invoke()
            rows.append(np.asarray(self._tflm.get_output(0)).reshape(-1))
        return np.stack(rows)

    def predict(self, values):
        raw = self.raw(values).astype(np.float64)
        return (raw - self.output["zero_point"][0]) * self.output["scale"][0]
