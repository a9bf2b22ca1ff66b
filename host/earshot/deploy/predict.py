"""What the board should decide for a recording, computed on the host: the Q15
spectrogram (earshot.features), the int8 input forming and the interpreter
(earshot.interp), both the board's own C, and the decision rules of device/ itself.
`earshot replay` prints it beside the board's own decisions: they must be identical.

The board streams: after hop k (samples [0, 512 (k+1))) its ring holds every column
complete so far, the newest `columns` of them (zeros before the first), oldest first.
"""
import numpy as np

from earshot.deploy.device_code import module
from earshot.errors import ModelError


class HostBoard:
    """The board's loop on the host, hop by hop."""

    def __init__(self, model_bytes):
        from earshot import interp

        board_settings = module("settings")
        self.interpreter = interp.Interpreter(model_bytes)
        try:
            self.settings = board_settings.from_metadata(self.interpreter.metadata("earshot"))
        except board_settings.SettingsError as exc:
            raise ModelError(str(exc)) from exc
        self.input_scale, self.input_zero_point = self.interpreter.input_quant()

    def predict(self, audio):
        """Per-hop dicts like the board's decision lines (without timing fields)."""
        from earshot import features, pcm

        s = self.settings
        self.decider = module("decide").Decider(self.settings, self.interpreter.output_quant())
        audio = np.asarray(audio, dtype=np.int16)
        hops = len(audio) // s.hop_samples
        audio = audio[:hops * s.hop_samples]
        spectrogram = features.spectrogram_q15(audio, frame=s.frame, hop=s.feature_hop, fft=s.fft)
        window = np.zeros((s.columns, s.bins), dtype=np.int16)
        rows = []
        for k in range(hops):
            block = audio[k * s.hop_samples:(k + 1) * s.hop_samples]
            rms = pcm.rms(block)
            outputs = None
            if not self.decider.gated(rms):
                done = max(0, ((k + 1) * s.hop_samples - s.frame) // s.feature_hop + 1)
                newest = spectrogram[max(0, done - s.columns):done]
                window[:] = 0
                window[s.columns - len(newest):] = newest
                x = features.quantize_input(window, self.input_scale, self.input_zero_point)
                outputs = [int(v) for v in np.ravel(self.interpreter.invoke(x.reshape(self.interpreter.input_shape())))]
            label = self.decider.update(outputs, rms)
            rows.append({"t": s.hop_ms(k), "hop": k, "rms": rms, "scores": list(self.decider.scores),
                         "smoothed": list(self.decider.smoothed), "label": label_name(s, label)})
        return rows


def label_name(settings, label):
    if label >= 0:
        return settings.labels[label]
    return module("report").SPECIAL_LABELS[label]


def events(rows):
    """(kind, label, hop) for each label start and stop, as the board reports them."""
    out = []
    previous = "silence"
    for row in rows:
        if row["label"] != previous:
            if previous not in ("silence", "unknown"):
                out.append(("stop", previous, row["hop"]))
            if row["label"] not in ("silence", "unknown"):
                out.append(("start", row["label"], row["hop"]))
        previous = row["label"]
    return out
