"""The settings a model carries (metadata entry "earshot", UTF-8 JSON, schema 1),
checked before anything runs. Runs on the board and on the host.

The board understands exactly SCHEMA; any other schema, a missing field or a
value it cannot run is refused with a SettingsError that says what and why.
"""
from . import minijson, report

SCHEMA = 1
FEATURE_KINDS = ("spectrogram_q15", "mfcc_q15")
# features kind -> {float_input: divisor}: the network's float input is value / divisor
FLOAT_INPUTS = {"spectrogram_q15": {"q15/32768": 32768}, "mfcc_q15": {"q8.7/128": 128, "u8": 1}}
ACTIVATIONS = ("sigmoid", "softmax")


class SettingsError(ValueError):
    pass


def permille(x):
    """A [0, 1] setting as an integer in thousandths (scores are compared as ints)."""
    return int(x * 1000 + 0.5)


def _field(obj, key, kinds, where):
    if not isinstance(obj, dict) or key not in obj:
        raise SettingsError("model settings: missing %s%s" % (where, key))
    value = obj[key]
    if not isinstance(value, kinds) or isinstance(value, bool):
        raise SettingsError("model settings: %s%s has the wrong type" % (where, key))
    return value


def _positive_int(obj, key, where=""):
    value = _field(obj, key, int, where)
    if value <= 0:
        raise SettingsError("model settings: %s%s must be > 0, got %d" % (where, key, value))
    return value


def _optional_int(decision, key, low, high):
    """An optional decision integer in low..high; 1 when absent."""
    if key not in decision:
        return 1
    value = _field(decision, key, int, "decision.")
    if not low <= value <= high:
        raise SettingsError("model settings: decision.%s must be in %d..%d, got %d" % (key, low, high, value))
    return value


def _fraction(obj, key, where):
    value = _field(obj, key, (int, float), where)
    if not 0 <= value <= 1:
        raise SettingsError("model settings: %s%s must be in [0, 1]" % (where, key))
    return permille(value)


class Settings:
    def __init__(self, doc):
        if not isinstance(doc, dict):
            raise SettingsError("model settings: expected a JSON object")
        schema = doc.get("schema")
        if schema != SCHEMA:
            raise SettingsError("model settings schema %r is not understood (this app reads schema %d)"
                                % (schema, SCHEMA))
        self.sample_rate = _positive_int(doc, "sample_rate")
        self.window_samples = _positive_int(doc, "window_samples")
        self.hop_samples = _positive_int(doc, "hop_samples")

        features = _field(doc, "features", dict, "")
        self.feature_kind = _field(features, "kind", str, "features.")
        if self.feature_kind not in FEATURE_KINDS:
            raise SettingsError("model settings: features.kind %r is not supported (supported: %s)"
                                % (self.feature_kind, ", ".join(FEATURE_KINDS)))
        self.frame = _positive_int(features, "frame", "features.")
        self.feature_hop = _positive_int(features, "hop", "features.")
        self.fft = _positive_int(features, "fft", "features.")
        self.columns = _positive_int(features, "columns", "features.")
        self.bins = _positive_int(features, "bins", "features.")
        if self.hop_samples % self.feature_hop:
            raise SettingsError("model settings: hop_samples %d is not a multiple of features.hop %d"
                                % (self.hop_samples, self.feature_hop))
        self.columns_per_hop = self.hop_samples // self.feature_hop
        # hops covering the network's input window (the energy gate's span)
        self.window_hops = (self.window_samples + self.hop_samples - 1) // self.hop_samples
        self.mfcc = None
        self.scaling = None  # (min list, max list) per coefficient, minmax_u8
        if self.feature_kind == "mfcc_q15":
            self._read_mfcc(features)


        net_input = _field(doc, "input", dict, "")
        self.input_shape = _field(net_input, "shape", list, "input.")
        self.input_scale = _field(net_input, "scale", (int, float), "input.")
        self.input_zero_point = _field(net_input, "zero_point", int, "input.")
        float_input = _field(net_input, "float_input", str, "input.")
        divisors = FLOAT_INPUTS[self.feature_kind]
        if float_input not in divisors or (float_input == "u8") != (self.scaling is not None):
            raise SettingsError("model settings: input.float_input %r does not fit %s features%s"
                                % (float_input, self.feature_kind, " with scaling" if self.scaling else ""))
        self.input_divisor = divisors[float_input]

        output = _field(doc, "output", dict, "")
        self.output_scale = _field(output, "scale", (int, float), "output.")
        self.output_zero_point = _field(output, "zero_point", int, "output.")
        self.activation = _field(output, "activation", str, "output.")
        if self.activation not in ACTIVATIONS:
            raise SettingsError("model settings: output.activation %r is not supported (supported: %s)"
                                % (self.activation, ", ".join(ACTIVATIONS)))

        self.labels = _field(doc, "labels", list, "")
        if len(self.labels) < 2 or not all(isinstance(x, str) for x in self.labels):
            raise SettingsError("model settings: labels must be a list of two or more names")
        if self.activation == "sigmoid" and len(self.labels) != 2:
            raise SettingsError("model settings: a sigmoid output needs exactly two labels")
        self.outputs = 1 if self.activation == "sigmoid" else len(self.labels)
        self.target = _field(doc, "target", str, "")
        if self.target not in self.labels:
            raise SettingsError("model settings: target %r is not one of the labels" % self.target)
        self.target_index = self.labels.index(self.target)

        decision = _field(doc, "decision", dict, "")
        self.threshold_pm = _fraction(decision, "threshold", "decision.")
        self.smoothing_hops = _positive_int(decision, "smoothing_hops", "decision.")
        self.unknown_below_pm = _fraction(decision, "unknown_below", "decision.")
        self.energy_gate_rms = _field(decision, "energy_gate_rms", int, "decision.")
        if not 0 <= self.energy_gate_rms <= 32767:  # its square stays a small int
            raise SettingsError("model settings: decision.energy_gate_rms must be in 0..32767")
        # optional (smart lock): 1 = no back-off, no post buffer
        self.energy_backoff_windows = _optional_int(decision, "energy_backoff_windows", 1, 0x3FFFFFFF)
        self.post_buffer = _optional_int(decision, "post_buffer", 1, 32)

    def _read_mfcc(self, features):
        where = "features."
        self.mfcc = (self.frame, self.feature_hop, self.fft, _positive_int(features, "sample_rate", where),
                     _field(features, "fmin", int, where), _positive_int(features, "fmax", where),
                     _positive_int(features, "bands", where), _positive_int(features, "coefficients", where))
        if self.bins != self.mfcc[7]:
            raise SettingsError("model settings: features.bins must equal features.coefficients")
        if "scaling" not in features:
            return
        scaling = _field(features, "scaling", dict, where)
        if _field(scaling, "kind", str, "features.scaling.") != "minmax_u8":
            raise SettingsError("model settings: features.scaling.kind %r is not supported" % scaling["kind"])
        lo = _field(scaling, "min", list, "features.scaling.")
        hi = _field(scaling, "max", list, "features.scaling.")
        if len(lo) != self.bins or len(hi) != self.bins or not all(
                isinstance(a, int) and isinstance(b, int) and b > a for a, b in zip(lo, hi)):
            raise SettingsError("model settings: features.scaling needs %d integer pairs with max > min"
                                % self.bins)
        self.scaling = (lo, hi)

    def hop_ms(self, hop_index):
        return report.hop_ms(hop_index, self.hop_samples, self.sample_rate)


def from_metadata(blob):
    """Settings from the bytes of the model's "earshot" metadata entry."""
    if blob is None:
        raise SettingsError("the model carries no \"earshot\" settings: export it with earshot")
    try:
        doc = minijson.loads(blob)
    except (ValueError, UnicodeError) as exc:
        raise SettingsError("model settings are not valid JSON: %s" % exc)
    return Settings(doc)
