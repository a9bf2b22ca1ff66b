"""A WAV file on the board's filesystem: 16-bit PCM mono at the model's rate."""
import struct


class WavSource:
    def __init__(self, path, sample_rate, loop=False):
        self.loop = loop
        self.file = open(path, "rb")
        try:
            self.data_start, self.data_bytes = self._parse_header(path, sample_rate)
        except Exception:
            self.file.close()
            raise
        self.remaining = self.data_bytes

    def _parse_header(self, path, sample_rate):
        f = self.file
        head = f.read(12)
        if len(head) < 12 or head[0:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise ValueError("%s is not a WAV file" % path)
        fmt = None
        while True:
            chunk = f.read(8)
            if len(chunk) < 8:
                raise ValueError("%s has no data chunk" % path)
            size = struct.unpack("<I", chunk[4:8])[0]
            if chunk[0:4] == b"fmt ":
                fmt = f.read(size)
                if size & 1:
                    f.read(1)
                continue
            if chunk[0:4] == b"data":
                break
            f.seek(size + (size & 1), 1)
        if fmt is None or len(fmt) < 16:
            raise ValueError("%s has no fmt chunk before its data" % path)
        encoding, channels, rate = struct.unpack("<HHI", fmt[0:8])
        bits = struct.unpack("<H", fmt[14:16])[0]
        if encoding != 1 or bits != 16 or channels != 1:
            raise ValueError("%s must be 16-bit PCM mono (got format %d, %d bits, %d channels)"
                             % (path, encoding, bits, channels))
        if rate != sample_rate:
            raise ValueError("%s is %d Hz, the model wants %d Hz" % (path, rate, sample_rate))
        return f.tell(), size

    def read_into(self, block):
        want = len(block)
        if self.remaining < want:
            if not self.loop or self.data_bytes < want:
                return False
            self.file.seek(self.data_start)
            self.remaining = self.data_bytes
        got = self.file.readinto(block)
        if got != want:
            return False
        self.remaining -= want
        return True

    def close(self):
        self.file.close()
