"""Decision rules, in integers only: the board runs this file and the host imports
the same file, so both decide identically, bit for bit (the board's floats are
single precision, the host's double; integers are the same everywhere).

Per hop (settings schema 1, see host/earshot/settings.py):
  gate     the energy of the network's whole input window, the latest `window_hops`
           hops (ceil(window_samples / hop_samples); hops before the first count as
           silence): window_ms = sum over those hops of min(ms, 2**30 - 1) // window_hops,
           ms = pcm.mean_square(hop). When isqrt(window_ms) < decision.energy_gate_rms
           (tested as window_ms < gate**2) the hop is SILENCE: the board skips inference
           and the hop adds zero scores to the history. Dividing each hop's term before
           summing keeps every value under 2**30, a small int on the board: no allocation.
           (The newest hop alone would gate the silent gaps between an alarm's beeps.)
  scores   each label's probability in thousandths, round_half_up(p * 1000) with
           p = (q - zero_point) * scale, read from a table built once from the output
           quantization. A sigmoid output gives the target p and the other label 1000 - p.
  smoothed the mean over the latest `smoothing_hops` hops, floor division (the history
           starts at zero).
  back-off a hop whose window passes the gate opens it for itself and the next
           energy_backoff_windows - 1 hops, however quiet those are (the recipe's
           smart_lock_board.gate, one of its windows being one board hop; 1 = off). The
           loudness tested stays the whole input window's, as above (the recipe's
           simulation tests the newest window alone).
  decision the target when its smoothed score >= threshold; otherwise the best other
           label, or UNKNOWN when its smoothed score is under unknown_below.
  label    the class holding a strict majority (> post_buffer // 2) of the latest
           `post_buffer` decisions; UNKNOWN and SILENCE decisions take a place but no
           vote, and the buffer starts empty (smart_lock_board.PostBuffer). Without a
           majority: SILENCE when this hop is gated, else UNKNOWN. post_buffer 1 = off.
update() allocates nothing: the board runs it every 32 ms.
"""
import struct
from array import array

UNKNOWN = -1
SILENCE = -2


def float32_ratio(x):
    """x rounded to float32, exactly: (mantissa, shift) with x == mantissa * 2**-shift."""
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    exponent = (bits >> 23) & 0xFF
    mantissa = bits & 0x7FFFFF
    if exponent == 0xFF:
        raise ValueError("output scale is not finite")
    if exponent:
        mantissa |= 0x800000
    else:
        exponent = 1
    if bits >> 31:
        mantissa = -mantissa
    return mantissa, 150 - exponent


def permille_table(scale, zero_point):
    """Thousandths for each int8 output q = -128..127: round_half_up((q - zp) * scale * 1000)."""
    mantissa, shift = float32_ratio(scale)
    table = array("i", [0] * 256)
    for q in range(-128, 128):
        v = (q - zero_point) * mantissa * 1000
        if shift > 0:
            v = (v + (1 << (shift - 1))) >> shift
        else:
            v <<= -shift
        table[q + 128] = v
    if min(table) >= -32768 and max(table) <= 32767:
        table = array("h", table)  # half the heap; any sigmoid/softmax output fits
    return table


class Decider:
    def __init__(self, settings, output_quant=None):
        """output_quant: (scale, zero_point) of the model's output tensor; the settings'
        copy when None (the tensor's own float32 is exact on every port)."""
        self.classes = n = len(settings.labels)
        self.sigmoid = settings.activation == "sigmoid"
        scale, zero_point = output_quant or (settings.output_scale, settings.output_zero_point)
        self.table = permille_table(scale, zero_point)
        self.hops = settings.smoothing_hops
        self.threshold = settings.threshold_pm
        self.unknown_below = settings.unknown_below_pm
        self.gate_ms = settings.energy_gate_rms * settings.energy_gate_rms
        self.window_hops = h = settings.window_hops
        self.energy = array("i", [0] * h)  # each hop's term of window_ms
        self.energy_slot = 0
        self.window_ms = 0
        self.backoff = settings.energy_backoff_windows
        self.open_hops = 0  # hops the gate still stays open for
        self.target = settings.target_index
        self.scores = array("i", [0] * n)
        self.smoothed = array("i", [0] * n)
        self.sums = array("i", [0] * n)
        self.history = array("i", [0] * (n * self.hops))
        self.slot = 0
        self.post_size = settings.post_buffer
        self.votes = array("i", [0] * n)  # per class, in the post buffer
        self.post = array("h", [SILENCE] * self.post_size)
        self.post_slot = 0
        self.decision = SILENCE
        self.label = SILENCE
        self.previous = SILENCE

    def gated(self, mean_square):
        """Adds the newest hop's mean square to the window; True when the window is too
        quiet to classify: skip inference and call update(None)."""
        term = (mean_square if mean_square < 0x3FFFFFFF else 0x3FFFFFFF) // self.window_hops
        slot = self.energy_slot
        self.window_ms += term - self.energy[slot]
        self.energy[slot] = term
        slot += 1
        self.energy_slot = 0 if slot == self.window_hops else slot
        if self.window_ms >= self.gate_ms:
            self.open_hops = self.backoff
        if self.open_hops == 0:
            return True
        self.open_hops -= 1
        return False

    def _read_scores(self, outputs):
        scores = self.scores
        table = self.table
        if outputs is None:
            for c in range(self.classes):
                scores[c] = 0
            return
        for c in range(1 if self.sigmoid else self.classes):
            q = outputs[c]
            if q > 127:
                q -= 256  # a bytes-like view gives 0..255
            scores[self.target if self.sigmoid else c] = table[q + 128]
        if self.sigmoid:
            scores[1 - self.target] = 1000 - scores[self.target]

    def update(self, outputs):
        """outputs: the model's int8 outputs, or None for a gated hop. Returns the label
        index, UNKNOWN or SILENCE."""
        gated = outputs is None
        self._read_scores(None if gated else outputs)
        n = self.classes
        scores = self.scores
        smoothed = self.smoothed
        history = self.history
        sums = self.sums
        base = self.slot * n
        for c in range(n):
            sums[c] += scores[c] - history[base + c]
            history[base + c] = scores[c]
            smoothed[c] = sums[c] // self.hops
        self.slot = (self.slot + 1) % self.hops
        if gated:
            decision = SILENCE
        elif smoothed[self.target] >= self.threshold:
            decision = self.target
        else:
            best = -1
            for c in range(n):
                if c != self.target and (best < 0 or smoothed[c] > smoothed[best]):
                    best = c
            decision = best if smoothed[best] >= self.unknown_below else UNKNOWN
        self.decision = decision
        self.previous = self.label
        self.label = self._vote(decision)
        return self.label

    def _vote(self, decision):
        """Pushes a decision into the post buffer; the class with a strict majority."""
        votes = self.votes
        slot = self.post_slot
        old = self.post[slot]
        if old >= 0:
            votes[old] -= 1
        self.post[slot] = decision
        if decision >= 0:
            votes[decision] += 1
        slot += 1
        self.post_slot = 0 if slot == self.post_size else slot
        half = self.post_size // 2
        for c in range(self.classes):
            if votes[c] > half:
                return c
        return SILENCE if decision == SILENCE else UNKNOWN

    def changed(self):
        return self.label != self.previous
