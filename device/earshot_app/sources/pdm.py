"""PDM microphone: a PIO program clocks the mic and shifts its 1-bit stream in, DMA
moves 32-bit words into a ping-pong buffer, the native pdm.PdmDecimator turns them
into 16 kHz int16 samples (64x oversampling: 1.024 MHz PDM clock). pdm.mpy is its own
module so that boards with other microphones never hold its code."""
import rp2
from machine import Pin

try:
    import pdm
except ImportError:
    raise ImportError("pdm.mpy is not on the board: run earshot deploy with this config")

from .dma_ring import DmaPingPong

OVERSAMPLING = 64
DREQ_PIO0_RX0 = 4
PIO0_RXF0 = 0x50200020


@rp2.asm_pio(sideset_init=rp2.PIO.OUT_LOW, in_shiftdir=rp2.PIO.SHIFT_LEFT,
             autopush=True, push_thresh=32, fifo_join=rp2.PIO.JOIN_RX)
def _pdm_program():
    nop().side(0)
    in_(pins, 1).side(1)  # noqa: F821 (PIO assembler names)


class PdmSource:
    def __init__(self, pins, sample_rate, block_samples):
        clock = Pin(pins.get("pdm_clock", 3), Pin.OUT)
        data = Pin(pins.get("pdm_data", 2), Pin.IN)
        bit_rate = sample_rate * OVERSAMPLING
        self.sm = rp2.StateMachine(0, _pdm_program, freq=2 * bit_rate, sideset_base=clock, in_base=data)
        self.decimator = pdm.PdmDecimator(OVERSAMPLING)
        words = block_samples * OVERSAMPLING // 32
        self.ring = DmaPingPong(PIO0_RXF0, DREQ_PIO0_RX0, words, 4)
        self.ring.start()
        self.sm.active(1)

    @property
    def overruns(self):
        return self.ring.overruns

    def read_into(self, block):
        self.decimator.process(self.ring.wait(), block)
        return True

    def close(self):
        self.sm.active(0)
        self.ring.close()
