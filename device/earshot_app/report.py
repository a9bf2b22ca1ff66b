"""One JSON line per decision, built in a preallocated buffer (no heap allocation
per hop). Lines are padded with spaces to a fixed length, which JSON allows, so
the whole buffer is written without slicing it.

Decision line:  {"t":96,"hop":2,"rms":812,"scores":[12,988],"smoothed":[4,329],"label":"alarm","us":4210,"overruns":0}
Event line:     {"event":"start","label":"alarm","t":96,"hop":2}
"""
from . import decide

SPECIAL_LABELS = {decide.UNKNOWN: "unknown", decide.SILENCE: "silence"}


def hop_ms(hop_index, hop_samples, sample_rate):
    """Audio time at the end of hop `hop_index` (0-based), integer milliseconds."""
    return (hop_index + 1) * hop_samples * 1000 // sample_rate


class Line:
    def __init__(self, capacity, write):
        self.buf = bytearray(capacity)
        self.pos = 0
        self.write = write

    def text(self, data):
        buf = self.buf
        pos = self.pos
        for b in data:
            buf[pos] = b
            pos += 1
        self.pos = pos

    def int(self, n):
        buf = self.buf
        if n < 0:
            buf[self.pos] = 45  # "-"
            self.pos += 1
            n = -n
        digits = 1
        v = n
        while v >= 10:
            v //= 10
            digits += 1
        end = self.pos + digits
        i = end
        while True:
            i -= 1
            buf[i] = 48 + n % 10
            n //= 10
            if i == self.pos:
                break
        self.pos = end

    def ints(self, values):
        self.text(b"[")
        for i in range(len(values)):
            if i:
                self.text(b",")
            self.int(values[i])
        self.text(b"]")

    def send(self):
        buf = self.buf
        for i in range(self.pos, len(buf) - 1):
            buf[i] = 32
        buf[len(buf) - 1] = 10
        self.pos = 0
        self.write(buf)


class Reporter:
    """Writes decision and event lines for a Decider through `write(bytes)`."""

    def __init__(self, labels, write):
        self.names = {}
        for i, name in enumerate(labels):
            self.names[i] = ('"%s"' % name).encode()
        for i, name in SPECIAL_LABELS.items():
            self.names[i] = ('"%s"' % name).encode()
        longest = max(len(x) for x in self.names.values())
        classes = len(labels)
        # 12 characters per score covers any int32 and its comma
        self.line = Line(120 + longest + 24 * classes, write)
        self.event_line = Line(64 + longest, write)

    def decision(self, hop, t_ms, rms, decider, us, overruns):
        line = self.line
        line.text(b'{"t":')
        line.int(t_ms)
        line.text(b',"hop":')
        line.int(hop)
        line.text(b',"rms":')
        line.int(rms)
        line.text(b',"scores":')
        line.ints(decider.scores)
        line.text(b',"smoothed":')
        line.ints(decider.smoothed)
        line.text(b',"label":')
        line.text(self.names[decider.label])
        line.text(b',"us":')
        line.int(us)
        line.text(b',"overruns":')
        line.int(overruns)
        line.text(b"}")
        line.send()

    def event(self, kind, label, hop, t_ms):
        line = self.event_line
        line.text(b'{"event":"')
        line.text(kind)
        line.text(b'","label":')
        line.text(self.names[label])
        line.text(b',"t":')
        line.int(t_ms)
        line.text(b',"hop":')
        line.int(hop)
        line.text(b"}")
        line.send()

    def events(self, decider, hop, t_ms):
        """A stop for the label that ended and a start for the one that began."""
        if decider.label == decider.previous:
            return
        if decider.previous >= 0:
            self.event(b"stop", decider.previous, hop, t_ms)
        if decider.label >= 0:
            self.event(b"start", decider.label, hop, t_ms)
