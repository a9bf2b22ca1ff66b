"""The earshot board application: runs under MicroPython on the board and, for the
parts the host shares (settings, decide, protocol), under CPython on the host."""
