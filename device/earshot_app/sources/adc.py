"""Analog microphone (electret + MAX9814 and the like) on an ADC pin: the ADC runs
free at 16 kHz from its own clock divider and DMA moves its FIFO into a ping-pong
buffer, so the sampling rate does not depend on the app's timing."""
import machine
from machine import mem32

from .dma_ring import DmaPingPong

ADC_BASE = 0x4004C000
ADC_CS = ADC_BASE + 0x00
ADC_FCS = ADC_BASE + 0x08
ADC_FIFO = ADC_BASE + 0x0C
ADC_DIV = ADC_BASE + 0x10
ADC_CLOCK_HZ = 48000000
DREQ_ADC = 36
FIRST_ADC_GPIO = 26


class AdcSource:
    def __init__(self, pins, sample_rate, block_samples):
        gpio = pins.get("adc", 26)
        if not FIRST_ADC_GPIO <= gpio <= FIRST_ADC_GPIO + 3:
            raise ValueError("config.json: pins.adc must be GPIO 26..29, got %d" % gpio)
        machine.ADC(gpio)  # puts the pin in analog mode
        channel = gpio - FIRST_ADC_GPIO
        mem32[ADC_CS] = 1 | (channel << 12)                    # EN, AINSEL
        mem32[ADC_DIV] = (ADC_CLOCK_HZ // sample_rate - 1) << 8  # one conversion per sample
        mem32[ADC_FCS] = 1 | (1 << 3) | (1 << 24) | (1 << 2)    # FIFO on, DREQ, threshold 1, clear ERR
        self.ring = DmaPingPong(ADC_FIFO, DREQ_ADC, block_samples, 2)
        self.ring.start()
        mem32[ADC_CS] = 1 | (1 << 3) | (channel << 12)         # START_MANY

    @property
    def overruns(self):
        return self.ring.overruns

    def read_into(self, block):
        raw = self.ring.wait()
        # 12-bit unsigned around mid-scale -> int16 (x16)
        for i in range(0, len(raw), 2):
            v = ((raw[i] | (raw[i + 1] << 8)) & 0xFFF) - 2048
            v <<= 4
            block[i] = v & 0xFF
            block[i + 1] = (v >> 8) & 0xFF
        return True

    def close(self):
        mem32[ADC_CS] = 0
        mem32[ADC_FCS] = 0
        self.ring.close()
