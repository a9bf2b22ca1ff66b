"""Front end, input forming and inference for one hop, on buffers made once.

The network input is the window of the newest `columns` feature columns (Q15
spectrogram columns, or q8.7 MFCC vectors from the mfcc module), oldest first,
quantized to int8. Each hop changes only `columns_per_hop` of them, so the window is
kept and updated in place. It lives in the model's input tensor itself when the model
was loaded with interp.Model(..., keep_input=True) (the arena planner then lets no
other tensor reuse the input's bytes, so it survives invoke()); otherwise in an int8
copy of its own, loaded into the input tensor before each invoke:

    add_samples(block)  the hop's samples -> the new Q15 columns, in a small ring of
                        columns_per_hop columns (frontend.Spectrogram, in place)
    form_input()        the window moves left by the new columns (one memmove through a
                        slice object and views made once: no allocation), only the new
                        columns are quantized into its tail (frontend.Quantizer with the
                        input tensor's own scale and zero point)
    load_input()        the copy into the input tensor (only for hops that run the model;
                        nothing to do when the window is the input tensor)
    invoke()            interp runs the model from a reset state (an LSTM's variable
                        tensors would otherwise carry over: each window is one sample, as
                        in training); `outputs` views its int8 output

MFCC features with scaling "minmax_u8" are first scaled, per coefficient c, into a
ring of the same size: clamp(((v - min[c]) * 255 + span // 2) // span, 0, 255) with
span = max[c] - min[c] (small-int arithmetic: no allocation). The Quantizer then sees
the network's float input f = v / divisor (settings FLOAT_INPUTS) as q15 / 32768 by
taking scale * divisor / 32768 as its scale: a power-of-two change, exact in float32.

Before the first columns the window holds feature value 0 (scaled) quantized, as a
ring of zeros would. The result is the same, byte for byte, as forming the whole
window every hop.
"""
from array import array


class _Slicer:
    """_Slicer()[a:b] is the slice object a:b (MicroPython 1.23 cannot call slice())."""

    def __getitem__(self, index):
        return index


def _tensor_quant(model, kind, fallback):
    """(scale, zero_point) of the model's own tensor: the exact float32 the model stores.
    The JSON copy in the settings is the fallback (parsed in single precision on the board)."""
    getter = getattr(model, kind + "_quant", None)
    if getter is None:
        return fallback
    return getter(0)


def _features(settings, frontend, mfcc):
    s = settings
    if s.feature_kind == "spectrogram_q15":
        maker = frontend.Spectrogram(frame=s.frame, hop=s.feature_hop, fft=s.fft)
        made = maker.bins
    elif s.feature_kind == "mfcc_q15":
        if mfcc is None:
            raise ValueError("mfcc_q15 features need the mfcc module")
        maker = mfcc.Mfcc(*s.mfcc)
        made = maker.coefficients
    else:
        raise ValueError("features.kind %s is not built into this app" % s.feature_kind)
    if made != s.bins:
        raise ValueError("the front end makes %d values per column, the model wants %d" % (made, s.bins))
    return maker


class Engine:
    def __init__(self, settings, model, frontend, mfcc=None):
        s = settings
        self.model = model
        self.spectrogram = _features(s, frontend, mfcc)  # Spectrogram or Mfcc: the same streaming API
        self.bins = bins = s.bins
        self.per_hop = s.columns_per_hop
        self.ring = array("h", bytes(2 * self.per_hop * bins))
        self.scaled = self.ring
        if s.scaling is not None:
            lo, hi = s.scaling
            self.lo = array("i", lo)
            self.span = array("i", [b - a for a, b in zip(lo, hi)])
            self.scaled = array("h", bytes(2 * self.per_hop * bins))
        self.input = model.input(0)
        self.outputs = model.output(0)
        n = len(self.input)
        if n != s.columns * bins:
            raise ValueError("the model's input holds %d values, the settings say %d x %d" % (n, s.columns, bins))
        if len(self.outputs) != s.outputs:
            raise ValueError("the model has %d outputs, the settings say %d" % (len(self.outputs), s.outputs))
        scale, zero_point = _tensor_quant(model, "input", (s.input_scale, s.input_zero_point))
        self.quantizer = frontend.Quantizer(scale * s.input_divisor / 32768, zero_point)
        self.output_quant = _tensor_quant(model, "output", (s.output_scale, s.output_zero_point))
        # per count of new columns: where the kept columns go, where they come from,
        # where the new ones are written
        self.keep = [None]
        self.kept = [None]
        self.tail = [None]
        if getattr(model, "keep_input", False):
            self.window = self.input  # the input tensor itself: 0 bytes of our own
            self.window_bytes = 0
        else:
            self.window = array("b", bytes(n))
            self.window_bytes = n
        window = memoryview(self.window)
        slicer = _Slicer()
        self.whole = slicer[0:n]
        for w in range(1, min(self.per_hop, s.columns) + 1):
            self.keep.append(slicer[0:n - w * bins])
            self.kept.append(window[w * bins:n])
            self.tail.append(window[n - w * bins:n])
        self._scale(0, self.per_hop)
        self.quantizer.to_int8(self.scaled, self.tail[1])  # feature value 0, scaled and quantized
        for i in range(n - bins):
            self.window[i] = self.window[n - bins + i % bins]
        self.start = 0
        self.new = 0

    def add_samples(self, block):
        self.start = self.spectrogram.position
        self.new = self.spectrogram.process(block, self.ring)

    def form_input(self):
        w = self.new
        if w == 0:
            return
        if w >= len(self.keep):
            raise ValueError("a block made %d columns; hop_samples allows %d" % (w, len(self.keep) - 1))
        self.window[self.keep[w]] = self.kept[w]
        self._scale(self.start, w)
        self.quantizer.to_int8(self.scaled, self.tail[w], self.start * self.bins)
        self.new = 0

    def _scale(self, first, count):
        """min-max scaling of `count` ring columns from column `first` (wrapping)."""
        if self.scaled is self.ring:
            return
        ring = self.ring  # one name per line: unpacking 4+ names builds a tuple (allocation)
        out = self.scaled
        lo = self.lo
        span = self.span
        bins = self.bins
        column = first
        for _ in range(count):
            base = column * bins
            for c in range(bins):
                v = ((ring[base + c] - lo[c]) * 255 + (span[c] >> 1)) // span[c]
                out[base + c] = 0 if v < 0 else (255 if v > 255 else v)
            column += 1
            if column == self.per_hop:
                column = 0

    def load_input(self):
        """The window into the input tensor, before each invoke()."""
        if self.window_bytes:
            self.input[self.whole] = self.window

    def invoke(self):
        self.model.reset()
        self.model.invoke()
