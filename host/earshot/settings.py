"""The settings a model carries: everything the board must do the same way as the trainer.

A trained model is one file, `model.tflite`. Its flatbuffer holds a metadata entry
named "earshot" (Model.metadata[].name -> Model.buffers[buffer].data) whose bytes are
UTF-8 JSON. The board reads it from the model it loads and refuses a model whose
"schema" it does not know. The same JSON is written beside the model as `model.json`.

Schema 1 (every field is required unless marked optional):

  schema          1. Readers reject any other value.
  sample_rate     audio rate in Hz the features expect (16000).
  window_samples  samples in the network's input window (16000 = 1 s).
  hop_samples     samples between two decisions (512 = 32 ms); a multiple of features.hop.
  features        how a window becomes the network input, exactly as the Q15 front end does.
    kind          "spectrogram_q15": magnitude spectrogram of int16 audio, Q15 out;
                  "mfcc_q15": Q15 MFCC vectors, q8.7 out (fields marked [mfcc] below).
    frame         samples per frame (256; mfcc: one of MFCC_WINDOW_SIZES, <= fft).
    hop           samples between frames (128).
    fft           FFT length (256; mfcc: one of MFCC_FFT_SIZES, the sizes the board's mfcc builds).
    window        frame window, "hann".
    columns       frames per window: (window_samples - frame) // hop + 1 (124).
    bins          values per frame: spectrogram fft // 2 + 1 (129); mfcc = coefficients.
    sample_rate   [mfcc] Hz, equal to the top-level sample_rate (the mel scale needs it).
    fmin, fmax    [mfcc] mel range in integer Hz, 0 <= fmin < fmax <= sample_rate // 2.
    bands         [mfcc] mel bands, 2 <= bands <= min(128, fft // 2 + 1) (no more bands
                  than spectrum bins).
    coefficients  [mfcc] DCT coefficients per vector, 1 <= coefficients <= bands.
    scaling       [mfcc, optional] {"kind": "minmax_u8", "min": [..], "max": [..]}: one
                  integer q8.7 range per coefficient (max > min); each value v becomes
                  clamp(((v - min) * 255 + (max - min) // 2) // (max - min), 0, 255).
  input           the network's input tensor:
    shape         [1, columns, bins, 1] (batch, time, frequency, channel); mfcc may also
                  be [1, columns, bins] (a recurrent network's sequence).
    dtype         "int8".
    scale, zero_point   int8 quantization: q = clamp(round(f / scale) + zero_point, -128, 127)
    float_input   how the float f is made from the int16 feature values v (FLOAT_INPUTS):
                  "q15/32768" spectrogram, f = v / 32768;
                  "q8.7/128"  mfcc without scaling, f = v / 128 (the MFCC value);
                  "u8"        mfcc with scaling, f = v (the 0..255 scaled value).
                  Every divisor is a power of two, so f / scale == v / 32768 / (scale *
                  divisor / 32768) exactly: the front end's Q15 Quantizer does all three.
  output          the network's output tensor:
    dtype         "int8".
    scale, zero_point   p = (q - zero_point) * scale.
    activation    "sigmoid": one value, the probability of `target`;
                  "softmax": one value per label, in `labels` order.
  labels          class names. With a sigmoid output there are two: the "everything else"
                  label, then `target` (labels[1]).
  target          the label the application acts on (e.g. sounds the alarm for).
  decision        turning per-hop outputs into events:
    threshold     the target fires when its smoothed probability is >= threshold.
    smoothing_hops      number of latest per-hop probabilities averaged (1 = none).
    unknown_below top-class probability under which the answer is "unknown" (0 = never).
    energy_gate_rms     when the RMS of the network's whole input window is below
                  this, the board skips inference and the hop is SILENCE (0 = off).
                  Window RMS = isqrt(sum over the latest H = ceil(window_samples /
                  hop_samples) hops of min(ms, 2**30 - 1) // H), ms = floor(sum(x * x) /
                  hop_samples) of one hop (pcm.mean_square); hops before the first count
                  as zeros (device/earshot_app/decide.py; host: deploy.predict.gated_hops).
                  A gate on the newest hop alone would drop alarms whose beeps are
                  separated by digital silence.
    energy_backoff_windows   optional (smart lock), 1..2**30 - 1, default 1 (off): a
                  hop whose window passes the gate opens it for itself and the next
                  energy_backoff_windows - 1 hops, however quiet (counted in board hops:
                  the recipe's windows are its hops; recipes.smart_lock_board.gate, which
                  tests the newest window's RMS where the board tests the whole window's).
    post_buffer   optional (smart lock), 1..32, default 1 (off): the label reported is
                  the class holding a strict majority (> post_buffer // 2) of the latest
                  post_buffer per-hop decisions; unknown and silence take a place but no
                  vote; the buffer starts empty (recipes.smart_lock_board.PostBuffer).
                  Without a majority: silence when the hop is gated, else unknown.
    vote          optional, a text (music genre); the board app does not apply it.
                  The board applies all the other decision fields (device/earshot_app/decide.py).
  model           information for people: name, params, macs, trained (ISO date),
                  earshot (version); optional fields may be added freely.

`embed(tflite_bytes, settings)` returns the model with the entry added or replaced;
`read(tflite_bytes)` returns the validated settings or raises ModelError.
"""
import json

import numpy as np

from earshot.errors import ModelError

SCHEMA = 1
METADATA_NAME = "earshot"
BUFFER_ALIGNMENT = 16  # what the TFLite converter uses; lets a reader use buffers in place
FEATURE_KINDS = ("spectrogram_q15", "mfcc_q15")
MFCC_FFT_SIZES = (256, 512)  # what mpy_modules/mfcc builds (its Makefile's FE_FFT_SIZES)
MFCC_WINDOW_SIZES = (256, 400, 512)  # ... and FE_WINDOW_SIZES
MFCC_MAX_BANDS = 128
FLOAT_INPUTS = {"q15/32768": 32768, "q8.7/128": 128, "u8": 1}  # v -> f divides by this
SCALING_KINDS = ("minmax_u8",)
ACTIVATIONS = ("sigmoid", "softmax")


def spectrogram_features(window_samples=16000, frame=256, hop=128, fft=256):
    """The features block for a Q15 magnitude spectrogram of one window."""
    return {"kind": "spectrogram_q15", "frame": frame, "hop": hop, "fft": fft, "window": "hann",
            "columns": (window_samples - frame) // hop + 1, "bins": fft // 2 + 1}


def mfcc_features(window_samples, *, frame=400, hop=160, fft=512, sample_rate=16000, fmin=0, fmax=None,
                  bands=40, coefficients=20, scaling=None):
    """The features block for Q15 MFCC vectors of one window (scaling: a minmax_u8 block or None)."""
    block = {"kind": "mfcc_q15", "frame": frame, "hop": hop, "fft": fft, "window": "hann",
             "sample_rate": sample_rate, "fmin": fmin, "fmax": sample_rate // 2 if fmax is None else fmax,
             "bands": bands, "coefficients": coefficients, "columns": (window_samples - frame) // hop + 1,
             "bins": coefficients}
    if scaling is not None:
        block["scaling"] = scaling
    return block


def minmax_scaling(lo, hi):
    """The scaling block for per-coefficient integer q8.7 ranges [lo, hi]."""
    return {"kind": "minmax_u8", "min": [int(v) for v in lo], "max": [int(v) for v in hi]}


def default_float_input(features):
    """The float_input a features block implies: see the schema above."""
    if features["kind"] == "spectrogram_q15":
        return "q15/32768"
    return "u8" if "scaling" in features else "q8.7/128"


def make(*, labels, target, input_scale, input_zero_point, output_scale, output_zero_point,
         activation, threshold=0.5, smoothing_hops=1, unknown_below=0.0, energy_gate_rms=0,
         sample_rate=16000, window_samples=16000, hop_samples=512, features=None, model=None):
    """Build and validate a settings dict."""
    features = features or spectrogram_features(window_samples)
    settings = {
        "schema": SCHEMA,
        "sample_rate": sample_rate,
        "window_samples": window_samples,
        "hop_samples": hop_samples,
        "features": features,
        "input": {"shape": [1, features["columns"], features["bins"], 1], "dtype": "int8",
                  "scale": float(input_scale), "zero_point": int(input_zero_point),
                  "float_input": default_float_input(features)},
        "output": {"dtype": "int8", "scale": float(output_scale),
                   "zero_point": int(output_zero_point), "activation": activation},
        "labels": list(labels),
        "target": target,
        "decision": {"threshold": float(threshold), "smoothing_hops": int(smoothing_hops),
                     "unknown_below": float(unknown_below), "energy_gate_rms": int(energy_gate_rms)},
        "model": dict(model or {}),
    }
    validate(settings)
    return settings


def _require(condition, message):
    if not condition:
        raise ModelError(f"invalid earshot settings: {message}")


def _fields(block, name, keys):
    _require(isinstance(block, dict), f"'{name}' must be an object")
    missing = [k for k in keys if k not in block]
    _require(not missing, f"'{name}' lacks {', '.join(missing)}")


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _validate_mfcc(f, sample_rate):
    _fields(f, "features", ("sample_rate", "fmin", "fmax", "bands", "coefficients"))
    for key in ("sample_rate", "fmin", "fmax", "bands", "coefficients"):
        _require(_integer(f[key]), f"features.{key} must be an integer")
    _require(f["fft"] in MFCC_FFT_SIZES, f"features.fft {f['fft']} is not one the board's mfcc builds "
             f"{MFCC_FFT_SIZES}")
    _require(f["frame"] in MFCC_WINDOW_SIZES, f"features.frame {f['frame']} is not one the board's mfcc "
             f"builds {MFCC_WINDOW_SIZES}")
    _require(f["sample_rate"] == sample_rate, "features.sample_rate must equal sample_rate")
    _require(0 <= f["fmin"] < f["fmax"] <= sample_rate // 2,
             "features need 0 <= fmin < fmax <= sample_rate // 2 (Hz)")
    _require(2 <= f["bands"] <= min(MFCC_MAX_BANDS, f["fft"] // 2 + 1),
             f"features.bands must be in 2..{min(MFCC_MAX_BANDS, f['fft'] // 2 + 1)} (spectrum bins fft // 2 + 1)")
    _require(1 <= f["coefficients"] <= f["bands"], "features.coefficients must be in 1..bands")
    _require(f["bins"] == f["coefficients"], "features.bins must equal coefficients for mfcc_q15")
    if "scaling" in f:
        scaling = f["scaling"]
        _fields(scaling, "features.scaling", ("kind", "min", "max"))
        _require(scaling["kind"] in SCALING_KINDS, f"features.scaling.kind must be one of {SCALING_KINDS}")
        for key in ("min", "max"):
            values = scaling[key]
            _require(isinstance(values, list) and len(values) == f["coefficients"]
                     and all(_integer(v) and -32768 <= v <= 32767 for v in values),
                     f"features.scaling.{key} must be {f['coefficients']} int16 integers (one per coefficient)")
        _require(all(hi > lo for lo, hi in zip(scaling["min"], scaling["max"])),
                 "features.scaling needs max > min for every coefficient")


def validate(settings):
    """Raise ModelError naming the first thing wrong; return the settings unchanged."""
    _require(isinstance(settings, dict), "settings must be a JSON object")
    if settings.get("schema") != SCHEMA:
        raise ModelError(
            f"unsupported earshot settings schema {settings.get('schema')!r} (this earshot reads {SCHEMA})",
            hint="retrain or re-export the model with this version of earshot")
    _fields(settings, "settings", ("sample_rate", "window_samples", "hop_samples", "features",
                                   "input", "output", "labels", "target", "decision", "model"))
    for key in ("sample_rate", "window_samples", "hop_samples"):
        _require(isinstance(settings[key], int) and settings[key] > 0, f"'{key}' must be a positive integer")

    f = settings["features"]
    _fields(f, "features", ("kind", "frame", "hop", "fft", "window", "columns", "bins"))
    _require(f["kind"] in FEATURE_KINDS, f"features.kind {f['kind']!r} is not one of {FEATURE_KINDS}")
    for key in ("frame", "hop", "fft", "columns", "bins"):
        _require(_integer(f[key]), f"features.{key} must be an integer")
    _require(f["window"] == "hann", "features.window must be 'hann'")
    _require(f["fft"] >= f["frame"] > 0 and f["hop"] > 0, "features need fft >= frame > 0 and hop > 0")
    _require(f["columns"] == (settings["window_samples"] - f["frame"]) // f["hop"] + 1,
             "features.columns does not match window_samples, frame and hop")
    _require(settings["hop_samples"] % f["hop"] == 0, "hop_samples must be a multiple of features.hop")
    if f["kind"] == "mfcc_q15":
        _validate_mfcc(f, settings["sample_rate"])
        shapes = ([1, f["columns"], f["bins"], 1], [1, f["columns"], f["bins"]])
    else:
        _require(f["bins"] == f["fft"] // 2 + 1, "features.bins must be fft // 2 + 1")
        _require("scaling" not in f, "features.scaling is only defined for mfcc_q15")
        shapes = ([1, f["columns"], f["bins"], 1],)

    i = settings["input"]
    _fields(i, "input", ("shape", "dtype", "scale", "zero_point", "float_input"))
    _require(i["shape"] in shapes, f"input.shape must be {' or '.join(map(str, shapes))} (columns, bins)")
    _require(i["dtype"] == "int8", "input.dtype must be int8")
    want = default_float_input(f)
    _require(i["float_input"] == want,
             f"input.float_input must be {want!r} for {f['kind']} features"
             f"{' with scaling' if 'scaling' in f else ''}, got {i['float_input']!r}")
    _require(_number(i["scale"]) and i["scale"] > 0 and isinstance(i["zero_point"], int)
             and -128 <= i["zero_point"] <= 127, "input needs scale > 0 and an int8 zero_point")

    o = settings["output"]
    _fields(o, "output", ("dtype", "scale", "zero_point", "activation"))
    _require(o["dtype"] == "int8", "output.dtype must be int8")
    _require(_number(o["scale"]) and o["scale"] > 0 and isinstance(o["zero_point"], int)
             and -128 <= o["zero_point"] <= 127, "output needs scale > 0 and an int8 zero_point")
    _require(o["activation"] in ACTIVATIONS, f"output.activation must be one of {ACTIVATIONS}")

    labels = settings["labels"]
    _require(isinstance(labels, list) and len(labels) >= 2 and all(isinstance(x, str) and x for x in labels)
             and len(set(labels)) == len(labels), "labels must be two or more distinct names")
    _require(o["activation"] != "sigmoid" or len(labels) == 2, "a sigmoid output needs exactly two labels")
    _require(settings["target"] in labels, "target must be one of labels")
    _require(o["activation"] != "sigmoid" or settings["target"] == labels[1],
             "a sigmoid output is the probability of labels[1], which must be the target")

    d = settings["decision"]
    _fields(d, "decision", ("threshold", "smoothing_hops", "unknown_below", "energy_gate_rms"))
    _require(_number(d["threshold"]) and 0 <= d["threshold"] <= 1, "decision.threshold must be in [0, 1]")
    _require(_number(d["unknown_below"]) and 0 <= d["unknown_below"] <= 1,
             "decision.unknown_below must be in [0, 1]")
    _require(isinstance(d["smoothing_hops"], int) and d["smoothing_hops"] >= 1,
             "decision.smoothing_hops must be an integer >= 1")
    _require(isinstance(d["energy_gate_rms"], int) and 0 <= d["energy_gate_rms"] <= 32767,
             "decision.energy_gate_rms must be an integer in [0, 32767]")
    _require(_integer(d.get("energy_backoff_windows", 1)) and 1 <= d.get("energy_backoff_windows", 1) < 2**30,
             "decision.energy_backoff_windows must be an integer >= 1 and under 2**30")
    _require(_integer(d.get("post_buffer", 1)) and 1 <= d.get("post_buffer", 1) <= 32,
             "decision.post_buffer must be an integer in 1..32")
    _require(isinstance(d.get("vote", ""), str), "decision.vote must be a text")
    _require(isinstance(settings["model"], dict), "'model' must be an object")
    return settings


def to_json(settings):
    return json.dumps(validate(settings), indent=2, sort_keys=True) + "\n"


def from_json(text):
    try:
        settings = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"earshot settings are not valid JSON: {exc}") from exc
    return validate(settings)


def _schema():
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated
    return schema_py_generated


def _unpack(tflite_bytes):
    schema = _schema()
    buf = bytes(tflite_bytes)
    if len(buf) < 8 or buf[4:8] != b"TFL3":
        raise ModelError("not a TFLite model (no TFL3 identifier)")
    try:
        return schema.ModelT.InitFromPackedBuf(buf, 0)
    except Exception as exc:  # the generated reader raises anything on corrupt input
        raise ModelError(f"cannot parse the TFLite flatbuffer: {exc}") from exc


class _AlignedBufferT:
    """Packs a buffer's bytes 16-byte aligned, as the converter does."""

    def __init__(self, buffer):
        self.buffer = buffer

    def Pack(self, builder):
        schema = _schema()
        data = self.buffer.data
        vector = None
        if data is not None:
            raw = np.asarray(data, dtype=np.uint8).tobytes()
            builder.StartVector(1, len(raw), BUFFER_ALIGNMENT)
            builder.head -= len(raw)
            builder.Bytes[builder.head:builder.head + len(raw)] = raw
            vector = builder.EndVector()
        schema.BufferStart(builder)
        if vector is not None:
            schema.BufferAddData(builder, vector)
        schema.BufferAddOffset(builder, self.buffer.offset)
        schema.BufferAddSize(builder, self.buffer.size)
        return schema.BufferEnd(builder)


def check_matches(tflite_bytes, settings):
    """Raise ModelError when the settings disagree with the model's own input/output tensors."""
    from earshot.export.inspect import describe

    info = describe(tflite_bytes)
    for kind, tensor in (("input", info["inputs"][0]), ("output", info["outputs"][0])):
        want = settings[kind]
        if tensor["dtype"] != want["dtype"]:
            raise ModelError(f"model {kind} is {tensor['dtype']}, settings say {want['dtype']}")
        if kind == "input" and tensor["shape"] != want["shape"]:
            raise ModelError(f"model input shape {tensor['shape']} != settings {want['shape']}")
        if tensor["zero_point"] != [want["zero_point"]] or not np.allclose(tensor["scale"], [want["scale"]], rtol=1e-6):
            raise ModelError(f"model {kind} quantization {tensor['scale']}/{tensor['zero_point']} "
                             f"!= settings {want['scale']}/{want['zero_point']}")


def embed(tflite_bytes, settings):
    """Return the model bytes with the "earshot" metadata entry set to `settings`,
    after checking that the settings describe this model's input and output."""
    text = to_json(settings)
    check_matches(tflite_bytes, settings)
    return _embed_text(tflite_bytes, text)


def _embed_text(tflite_bytes, text):
    import flatbuffers

    schema = _schema()
    payload = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    model = _unpack(tflite_bytes)
    model.buffers = model.buffers or []
    model.metadata = model.metadata or []
    entry = next((m for m in model.metadata if _name(m) == METADATA_NAME), None)
    if entry is None:
        buffer = schema.BufferT()
        model.buffers.append(buffer)
        model.metadata.append(schema.MetadataT(name=METADATA_NAME, buffer=len(model.buffers) - 1))
    else:
        buffer = model.buffers[entry.buffer]
    buffer.data = payload
    plain = model.buffers
    model.buffers = [_AlignedBufferT(b) for b in plain]
    try:
        builder = flatbuffers.Builder(len(tflite_bytes) + len(payload) + 1024)
        builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    finally:
        model.buffers = plain
    return bytes(builder.Output())


def _name(metadata):
    name = metadata.name
    return name.decode("utf-8", "replace") if isinstance(name, bytes) else name


def read(tflite_bytes):
    """The validated settings embedded in a model; ModelError if absent or not understood."""
    model = _unpack(tflite_bytes)
    for entry in model.metadata or []:
        if _name(entry) == METADATA_NAME:
            data = model.buffers[entry.buffer].data
            if data is None:
                break
            return from_json(np.asarray(data, dtype=np.uint8).tobytes())
    raise ModelError("the model carries no earshot settings (no 'earshot' metadata)",
                     hint="export it with earshot (earshot train), which embeds them")


def write_json(path, settings):
    with open(path, "w", encoding="utf-8") as out:
        out.write(to_json(settings))


def for_model(tflite_bytes, *, activation, **fields):
    """make() with the input/output quantization read from the model itself."""
    from earshot.export.inspect import describe

    info = describe(tflite_bytes)
    i, o = info["inputs"][0], info["outputs"][0]
    return make(input_scale=i["scale"][0], input_zero_point=i["zero_point"][0],
                output_scale=o["scale"][0], output_zero_point=o["zero_point"][0],
                activation=activation, **fields)
