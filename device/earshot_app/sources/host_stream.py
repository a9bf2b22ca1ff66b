"""Samples streamed by the host over the serial link (replay, hardware-in-the-loop).

Lock-step, so no buffer anywhere can overflow: for each block the board prints
    {"need":<bytes>}
and the host answers with a 2-byte little-endian length, then that many bytes of
int16 little-endian samples. A length shorter than a block (0 included) ends the
stream. Keyboard interrupts are switched off while streaming (a sample byte may be
0x03, Ctrl-C), and back on at close().
"""
import sys


class HostStream:
    def __init__(self, block_samples, stdin=None, stdout=None):
        self.stdin = stdin or getattr(sys.stdin, "buffer", sys.stdin)
        self.stdout = stdout or getattr(sys.stdout, "buffer", sys.stdout)
        self.need = ('{"need":%d}\n' % (block_samples * 2)).encode()
        self.length = bytearray(2)
        self.kbd_intr = None
        try:
            import micropython
            self.kbd_intr = micropython.kbd_intr
        except (ImportError, AttributeError):
            pass
        if self.kbd_intr is not None:
            self.kbd_intr(-1)

    def _read_exactly(self, buf):
        got = self.stdin.readinto(buf)
        if got is None:
            got = 0
        if got < len(buf):
            view = memoryview(buf)
            while got < len(buf):
                n = self.stdin.readinto(view[got:])
                if not n:
                    return False
                got += n
        return True

    def read_into(self, block):
        self.stdout.write(self.need)
        if not self._read_exactly(self.length):
            return False
        n = self.length[0] | (self.length[1] << 8)
        if n != len(block):
            return False
        return self._read_exactly(block)

    def close(self):
        if self.kbd_intr is not None:
            self.kbd_intr(3)
