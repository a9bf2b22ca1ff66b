"""Front end, input forming and inference for one hop, on buffers made once.

    add_samples(block)  the hop's samples -> columns_per_hop new Q15 columns in the ring
                        (frontend.Spectrogram writes them in place)
    form_input()        the ring, oldest column first, -> the model's int8 input, in place
                        (frontend.Quantizer with the input tensor's own scale and zero point)
    invoke()            interp runs the model; `outputs` views its int8 output
"""
from array import array


def _tensor_quant(model, kind, fallback):
    """(scale, zero_point) of the model's own tensor: the exact float32 the model stores.
    The JSON copy in the settings is the fallback (parsed in single precision on the board)."""
    getter = getattr(model, kind + "_quant", None)
    if getter is None:
        return fallback
    return getter(0)


class Engine:
    def __init__(self, settings, model, frontend):
        s = settings
        if s.feature_kind != "spectrogram_q15":
            raise ValueError("features.kind %s is not built into this app" % s.feature_kind)
        self.model = model
        self.spectrogram = frontend.Spectrogram(frame=s.frame, hop=s.feature_hop, fft=s.fft)
        if self.spectrogram.bins != s.bins:
            raise ValueError("the front end makes %d bins, the model wants %d" % (self.spectrogram.bins, s.bins))
        self.bins = s.bins
        self.ring = array("h", bytes(2 * s.columns * s.bins))
        self.input = model.input(0)
        self.outputs = model.output(0)
        if len(self.input) != s.columns * s.bins:
            raise ValueError("the model's input holds %d values, the settings say %d x %d"
                             % (len(self.input), s.columns, s.bins))
        if len(self.outputs) != s.outputs:
            raise ValueError("the model has %d outputs, the settings say %d" % (len(self.outputs), s.outputs))
        scale, zero_point = _tensor_quant(model, "input", (s.input_scale, s.input_zero_point))
        self.quantizer = frontend.Quantizer(scale, zero_point)
        self.output_quant = _tensor_quant(model, "output", (s.output_scale, s.output_zero_point))

    def add_samples(self, block):
        self.spectrogram.process(block, self.ring)

    def form_input(self):
        self.quantizer.to_int8(self.ring, self.input, self.spectrogram.position * self.bins)

    def invoke(self):
        self.model.invoke()
