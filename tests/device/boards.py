"""Start the two emulated boards on a pty for the end-to-end tests (and stop them).

firmware/linux runs with a fresh temporary directory as its flash; firmware/rp2040
runs under rp2040js with an empty flash. Both are driven only through their pty,
exactly like a real Pico on /dev/ttyACM0.
"""
import os
import re
import subprocess
import time

from tests.conftest import BUILD, ROOT

LINUX_FIRMWARE = BUILD / "firmware" / "linux" / "micropython"
RP2040_FIRMWARE = BUILD / "firmware" / "rp2040" / "firmware.elf"
RP2040_RUNNER = ROOT / "firmware" / "rp2040" / "run.mjs"


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


class EmulatedBoard:
    def __init__(self, kind, flash_dir):
        self.kind = kind
        if kind == "linux":
            command = [str(LINUX_FIRMWARE), "--flash", str(flash_dir), "--pty"]
            pattern = re.compile(rb"pty: (\S+)")
        else:
            command = ["node", str(RP2040_RUNNER), "--firmware", str(RP2040_FIRMWARE), "--pty", "--quiet"]
            pattern = re.compile(rb"PTY (\S+)")
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        line = self.process.stdout.readline()
        match = pattern.search(line)
        if not match:
            self.close()
            raise RuntimeError(f"{kind} board did not report its pty: {line!r}")
        self.port = match.group(1).decode()
        time.sleep(0.2)

    def close(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
