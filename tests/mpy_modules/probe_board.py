"""An emulated RP2040 with one test-only probe module built and imported: probes hold a
single core file, so its Cortex-M0+ code is checked alone against the host."""
import subprocess

import pytest

from earshot.emulators.rp2040 import FIRMWARE as RP2040_FIRMWARE
from earshot.emulators.rp2040 import Rp2040Board
from tests.conftest import BUILD, ROOT

PROBE_BUILD = BUILD / "probe"


def probe_board(name, imports=()):
    """Yields the board with `name` (a dir in tests/mpy_modules) imported, and `imports`."""
    if not RP2040_FIRMWARE.exists():
        pytest.skip("firmware/rp2040 not built: run 'make firmware'")
    subprocess.run(["make", "-s", "-C", str(ROOT / "tests" / "mpy_modules" / name), "ARCH=armv6m",
                    f"BUILD_ROOT={PROBE_BUILD}", f"MPY_DIR={BUILD / 'micropython'}"], check=True, capture_output=True)
    with Rp2040Board() as b:
        b.write_file(f"{name}.mpy", (PROBE_BUILD / "mpy" / "armv6m" / f"{name}.mpy").read_bytes(), timeout=120)
        b.exec("import " + ", ".join((name, *imports)))
        yield b
