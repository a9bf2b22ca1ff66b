"""Audio sources: each delivers blocks of int16 samples through one interface.

    source.read_into(block) -> bool   fill `block` (a bytearray of hop int16 samples,
                                      little-endian), False at the end of the stream
    source.close()

open_source(config, sample_rate, block_samples) picks one by config["source"]; the
hardware ones (pdm, adc, i2s) import machine/rp2 only when chosen, so the app runs on
a port without them.
"""


def open_source(config, sample_rate, block_samples):
    kind = config.get("source", "pdm")
    pins = config.get("pins", {})
    if kind == "wav":
        from .wav import WavSource
        return WavSource(config.get("wav", "test.wav"), sample_rate, loop=config.get("loop", False))
    if kind == "host":
        from .host_stream import HostStream
        return HostStream(block_samples)
    if kind == "pdm":
        from .pdm import PdmSource
        return PdmSource(pins, sample_rate, block_samples)
    if kind == "adc":
        from .adc import AdcSource
        return AdcSource(pins, sample_rate, block_samples)
    if kind == "i2s":
        from .i2s import I2sSource
        return I2sSource(pins, sample_rate, block_samples)
    raise ValueError("config.json: source %r is not one of pdm, adc, i2s, wav, host" % kind)
