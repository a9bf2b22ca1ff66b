"""The emulated RP2040 itself: boot to the REPL, free heap, emulator speed."""
import time

from earshot.emulators.rp2040 import CLOCK_HZ, FIRMWARE, Rp2040Board

TITLE = "emulated RP2040 (firmware/rp2040 under rp2040js; cycles of a 125 MHz Cortex-M0+)"

# Busy Python code for the speed measurement: about 20 M emulated cycles.
SPEED_SETUP = "def _spin(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s"
SPEED_STATEMENT = "_spin(100_000)"


def run():
    with Rp2040Board() as board:
        heap = board.mem_free()
        started = time.perf_counter()
        cycles = board.cycles(SPEED_STATEMENT, setup=SPEED_SETUP)
        seconds = time.perf_counter() - started
    image = FIRMWARE.with_suffix(".bin").stat().st_size
    return [
        {"measure": "boot to first REPL prompt", "value": f"{board.boot_cycles} cycles",
         "at 125 MHz": f"{board.boot_cycles / CLOCK_HZ * 1e3:.3f} ms"},
        {"measure": "gc.mem_free() after boot", "value": f"{heap} bytes", "at 125 MHz": ""},
        {"measure": "firmware image", "value": f"{image} bytes", "at 125 MHz": ""},
        {"measure": "emulator speed (busy Python loop)", "value": f"{cycles / seconds / 1e6:.1f} emulated MHz",
         "at 125 MHz": f"{cycles} cycles in {seconds:.2f} s wall"},
    ]
