"""firmware/linux as a board: the x86-64 MicroPython runtime serving its REPL on a pty.

    with LinuxBoard() as board:            # temporary flash directory
        board.exec("import pcm")           # x64 .mpy files copied to board.flash_dir

The flash is a host directory, so tests may also put files there directly.
"""
import shutil
import subprocess
import tempfile
from pathlib import Path

from earshot.emulators import Board
from earshot.errors import DeviceError
from earshot.paths import BUILD_DIR

BINARY = BUILD_DIR / "firmware" / "linux" / "micropython"
START_TIMEOUT = 10  # seconds until the runtime prints its pty


class LinuxBoard(Board):
    """Runs build/firmware/linux/micropython --pty with `flash_dir` as its flash."""

    def __init__(self, flash_dir=None, binary=BINARY, heap_size=None):
        self.binary = Path(binary)
        self.heap_size = heap_size
        self._own_flash = flash_dir is None
        self.flash_dir = Path(flash_dir) if flash_dir is not None else None
        self.process = None

    def _start(self):
        if not self.binary.exists():
            raise DeviceError(f"{self.binary} is missing", hint="run 'make firmware'")
        if self._own_flash:
            self.flash_dir = Path(tempfile.mkdtemp(prefix="earshot-flash-"))
        command = [str(self.binary), "--pty", "--flash", str(self.flash_dir)]
        if self.heap_size is not None:
            command += ["--heap", str(self.heap_size)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self._first_line()
        if not line.startswith("pty: "):
            self._stop()
            raise DeviceError(f"firmware/linux did not start: {line!r}")
        self.port = line[len("pty: "):]
        try:
            self.exec("pass")  # returns once boot.py has run and the REPL listens
        except DeviceError:
            self._stop()  # __exit__ will not run when __enter__ fails
            raise

    def _first_line(self):
        import select
        ready = select.select([self.process.stdout], [], [], START_TIMEOUT)[0]
        return self.process.stdout.readline().decode(errors="replace").strip() if ready else ""

    def _stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.stdout.close()
            self.process.stderr.close()
            self.process = None
        self.port = None
        if self._own_flash and self.flash_dir is not None:
            shutil.rmtree(self.flash_dir, ignore_errors=True)
            self.flash_dir = None

    def alive(self):
        """True while the runtime process runs (a crash ends it)."""
        return self.process is not None and self.process.poll() is None
