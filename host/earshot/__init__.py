"""earshot: train a sound classifier on a PC, run it on an RP2040 under MicroPython."""

__version__ = "0.1.0"
