"""Two rp2.DMA channels chained in a ring over two buffers (ping-pong): the hardware
fills one while the app processes the other, so no sample is dropped between blocks.
Only imported by the hardware sources (needs the official rp2 port, v1.21 or later)."""
import rp2


class DmaPingPong:
    def __init__(self, read_addr, treq, words, word_bytes):
        self.buffers = (bytearray(words * word_bytes), bytearray(words * word_bytes))
        self.words = words
        self.channels = (rp2.DMA(), rp2.DMA())
        size = {1: 0, 2: 1, 4: 2}[word_bytes]
        for i in (0, 1):
            other = self.channels[1 - i]
            ctrl = self.channels[i].pack_ctrl(size=size, inc_read=False, inc_write=True,
                                              treq_sel=treq, chain_to=other.channel)
            self.channels[i].config(read=read_addr, write=self.buffers[i], count=words,
                                    ctrl=ctrl, trigger=False)
        self.next = 0
        self.overruns = 0

    def start(self):
        self.channels[0].active(1)

    def wait(self):
        """The buffer filled next, once complete; re-arms its channel for the lap after."""
        ch = self.channels[self.next]
        while ch.active():
            pass
        buf = self.buffers[self.next]
        if not self.channels[1 - self.next].active():
            self.overruns += 1  # both idle: the app fell a whole block behind
        ch.write = buf
        ch.count = self.words
        self.next = 1 - self.next
        return buf

    def close(self):
        for ch in self.channels:
            ch.active(0)
            ch.close()
