"""I2S microphone (INMP441, SPH0645, ICS-43434) through machine.I2S: 32-bit slots,
mono; the top 16 bits of each slot become the int16 sample."""
from machine import I2S, Pin


class I2sSource:
    def __init__(self, pins, sample_rate, block_samples):
        self.i2s = I2S(0, sck=Pin(pins.get("i2s_sck", 16)), ws=Pin(pins.get("i2s_ws", 17)),
                       sd=Pin(pins.get("i2s_sd", 18)), mode=I2S.RX, bits=32, format=I2S.MONO,
                       rate=sample_rate, ibuf=block_samples * 4 * 4)
        self.raw = bytearray(block_samples * 4)
        self.view = memoryview(self.raw)

    def read_into(self, block):
        got = 0
        while got < len(self.raw):
            got += self.i2s.readinto(self.view[got:])
        raw = self.raw
        for i in range(0, len(block), 2):
            block[i] = raw[2 * i + 2]
            block[i + 1] = raw[2 * i + 3]
        return True

    def close(self):
        self.i2s.deinit()
