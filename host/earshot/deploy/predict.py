"""What the board should decide for a recording, computed on the host: the Q15
spectrogram or MFCC (earshot.features), the int8 input forming and the interpreter
(earshot.interp), all the board's own C, min-max scaling as the trainer defines it
(recipes.smart_lock_board.minmax_u8), and the decision rules of device/ itself.
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

    def features(self, audio):
        """Every complete feature column of the recording: (columns, bins) int16."""
        from earshot import features

        s = self.settings
        if s.mfcc:
            frame, hop, fft, rate, fmin, fmax, bands, coefficients = s.mfcc
            return features.mfcc_q15(audio, frame=frame, hop=hop, fft=fft, sample_rate=rate, fmin=fmin,
                                     fmax=fmax, bands=bands, coefficients=coefficients)
        return features.spectrogram_q15(audio, frame=s.frame, hop=s.feature_hop, fft=s.fft)

    def network_input(self, window):
        """(columns, bins) int16 feature values -> the int8 input tensor."""
        from earshot import features

        s = self.settings
        if s.scaling is not None:
            from earshot.recipes.smart_lock_board import minmax_u8

            window = minmax_u8(window, *s.scaling)
        # f = v / divisor; as Q15 for the Quantizer: scale * divisor / 32768, exact (power of two)
        x = features.quantize_input(window, self.input_scale * s.input_divisor / 32768, self.input_zero_point)
        return x.reshape(self.interpreter.input_shape())

    def predict(self, audio):
        """Per-hop dicts like the board's decision lines (without timing fields)."""
        from earshot import pcm

        s = self.settings
        self.decider = module("decide").Decider(self.settings, self.interpreter.output_quant())
        audio = np.asarray(audio, dtype=np.int16)
        hops = len(audio) // s.hop_samples
        audio = audio[:hops * s.hop_samples]
        columns = self.features(audio)
        window = np.zeros((s.columns, s.bins), dtype=np.int16)
        rows = []
        for k in range(hops):
            block = audio[k * s.hop_samples:(k + 1) * s.hop_samples]
            rms = pcm.rms(block)
            outputs = None
            if not self.decider.gated(pcm.mean_square(block)):
                done = max(0, ((k + 1) * s.hop_samples - s.frame) // s.feature_hop + 1)
                newest = columns[max(0, done - s.columns):done]
                window[:] = 0
                window[s.columns - len(newest):] = newest
                self.interpreter.reset()  # each window is one sample, as on the board
                outputs = [int(v) for v in np.ravel(self.interpreter.invoke(self.network_input(window)))]
            label = self.decider.update(outputs)
            rows.append({"t": s.hop_ms(k), "hop": k, "rms": rms, "scores": list(self.decider.scores),
                         "smoothed": list(self.decider.smoothed), "label": label_name(s, label)})
        return rows


def gated_hops(audio, settings):
    """Per board hop k (samples [0, hop_samples (k+1))): does the board's energy gate skip
    it? The board's own rule (decide.Decider.gated) for an earshot.settings dict, for
    host-side evaluations that must gate exactly as the board does."""
    from earshot import pcm

    s = module("settings").Settings(settings)
    decider = module("decide").Decider(s, (1.0, 0))
    hop = s.hop_samples
    audio = np.asarray(audio, dtype=np.int16)
    return np.array([decider.gated(pcm.mean_square(np.ascontiguousarray(audio[k * hop:(k + 1) * hop])))
                     for k in range(len(audio) // hop)], dtype=bool)


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
