"""armv6m native modules on the emulated RP2040: size, RAM at import, cycles per call.

The code of a native module is copied into RAM when it is imported, so "RAM after
import" is what the board pays to have it loaded. Modules with a registered main call
are timed with Rp2040Board.cycles(); the others get their own bench sections.
"""
from earshot.emulators.rp2040 import CLOCK_HZ, Rp2040Board
from earshot.paths import BUILD_DIR

TITLE = "armv6m native modules on the emulated RP2040 (125 MHz)"

# module -> (what the call does, setup, statement)
MAIN_CALLS = {
    "pcm": ("rms of 512 samples",
            "from array import array\n_x = array('h', (i * 97 % 4001 - 2000 for i in range(512)))",
            "pcm.rms(_x)"),
}

RAM_AFTER_IMPORT = """
import gc
gc.collect()
_before = gc.mem_alloc()
import {name}
gc.collect()
print(gc.mem_alloc() - _before)
"""


def run():
    rows = []
    with Rp2040Board() as board:
        for path in sorted((BUILD_DIR / "mpy" / "armv6m").glob("*.mpy")):
            name = path.stem
            board.put(path)
            ram = int(board.exec(RAM_AFTER_IMPORT.format(name=name)).strip())
            row = {"module": name, ".mpy bytes": path.stat().st_size, "RAM after import": ram,
                   "main call": "(own section)", "cycles": "", "ms at 125 MHz": ""}
            if name in MAIN_CALLS:
                what, setup, statement = MAIN_CALLS[name]
                cycles = board.cycles(statement, setup=setup)
                row.update({"main call": what, "cycles": cycles, "ms at 125 MHz": f"{cycles / CLOCK_HZ * 1e3:.4f}"})
            rows.append(row)
    return rows
