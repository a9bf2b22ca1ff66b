"""The two emulated boards for the end-to-end tests, driven only through their pty,
exactly like a real Pico on /dev/ttyACM0: what is needed to start one, and starting it
(earshot.emulators does the starting, the pty and the clean-up).
"""
from earshot.emulators.linux import BINARY as LINUX_FIRMWARE
from earshot.emulators.linux import LinuxBoard
from earshot.emulators.rp2040 import FIRMWARE as RP2040_FIRMWARE
from earshot.emulators.rp2040 import Rp2040Board
from tests.conftest import BUILD


def missing(kind):
    """Why a board cannot start here, or None."""
    if kind == "linux" and not LINUX_FIRMWARE.exists():
        return "firmware/linux is not built (make firmware)"
    if kind == "rp2040" and not RP2040_FIRMWARE.exists():
        return "firmware/rp2040 is not built (make firmware)"
    arch = "x64" if kind == "linux" else "armv6m"
    for name in ("pcm", "frontend", "interp", "pdm"):  # deploy without --config brings pdm
        if not (BUILD / "mpy" / arch / f"{name}.mpy").exists():
            return f"{name}.mpy for {arch} is not built (make modules)"
    return None


def start(kind):
    """A booted board with .port; firmware/linux on a temporary flash directory that
    close() removes, firmware/rp2040 under rp2040js with an empty flash."""
    board = LinuxBoard() if kind == "linux" else Rp2040Board()
    return board.__enter__()
