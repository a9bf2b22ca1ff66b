"""The emulated RP2040: our MicroPython firmware under rp2040js, driven from Python.

    from earshot.emulators.rp2040 import Rp2040Board

    with Rp2040Board() as board:                 # boots firmware/rp2040 on a fresh flash
        board.put("build/mpy/armv6m/pcm.mpy")    # copy a file into its flash
        print(board.exec("import pcm; print(pcm.rms(b'\\x10\\x00' * 8))"))
        n = board.cycles("pcm.rms(x)", setup="import pcm; x = bytes(1024)")

Rp2040Board is an earshot.emulators.Board (exec, eval, write_file, read_file,
soft_reset; `.port` is its pty, free for `mpremote connect <port> ...` between calls).

Measuring cycles (for benchmark sections): `board.cycles(statement, setup)` runs
`setup` once, then times `statement` with `time.ticks_cpu()` and returns Cortex-M0+
cycles for one run, with the cost of reading the counter itself taken out (exact to
a few cycles; statements up to 2**29 cycles, 4 s at 125 MHz). Divide by CLOCK_HZ for
seconds on a 125 MHz RP2040. On the board, `machine.cycles()` is the emulator's cycle
count since power-on (run.mjs maps it at 0x40068000) and `time.ticks_cpu()` the same
count wrapped to a small int; neither advances while the core sleeps in WFI
(time.sleep). `board.boot_cycles` is the count at the first REPL prompt. The
emulator models no flash wait states.

`cycles_limit` stops the whole run past that many cycles: the next exec() raises
DeviceError("the emulated RP2040 stopped: cycle limit reached ...").
"""
import os
import queue
import re
import signal
import subprocess
import textwrap
import threading
from pathlib import Path

from earshot.emulators import Board
from earshot.errors import DeviceError
from earshot.paths import BUILD_DIR, CHECKOUT_DIR

CLOCK_HZ = 125_000_000
RUNNER = CHECKOUT_DIR / "firmware" / "rp2040" / "run.mjs"
FIRMWARE = BUILD_DIR / "firmware" / "rp2040" / "firmware.elf"
BOOT_TIMEOUT = 30

# ticks_cpu() is the same counter as machine.cycles(), wrapped to a small int, so
# reading it allocates nothing. Timing inside a function keeps the counter readings
# in locals: no dict stores (which may grow the globals) between two readings.
_PROBE = """
def _probe():
    from time import ticks_cpu, ticks_diff
    c0 = ticks_cpu()
    c1 = ticks_cpu()
    c2 = ticks_cpu()
{statement}
    c3 = ticks_cpu()
    return ticks_diff(c3, c2) - ticks_diff(c1, c0)
print(_probe())
del _probe
"""


class Rp2040Board(Board):
    """firmware/rp2040 booted under run.mjs --pty; exec() runs code in its raw REPL."""

    def __init__(self, firmware=FIRMWARE, cycles_limit=None, core1_busy=False):
        """core1_busy: core 1 starts out running code of its own (as under _thread) and
        answers no launch (run.mjs --core1-busy)."""
        self.firmware = Path(firmware)
        self.cycles_limit = cycles_limit
        self.core1_busy = core1_busy
        self.process = None
        self.boot_cycles = None
        self.total_cycles = None
        self._stderr = []

    # --- life cycle ------------------------------------------------------------
    def _start(self):
        if not self.firmware.exists():
            raise DeviceError(f"no RP2040 firmware at {self.firmware}", hint="run 'make firmware'")
        command = runner_command("--firmware", self.firmware, "--pty")
        if self.cycles_limit:
            command += ["--cycles-limit", str(int(self.cycles_limit))]
        if self.core1_busy:
            command.append("--core1-busy")
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError as exc:
            raise DeviceError("node is not installed", hint="install Node.js (Debian: nodejs)") from exc
        lines = queue.Queue()
        threading.Thread(target=self._read_stderr, args=(lines,), daemon=True).start()
        first = self.process.stdout.readline().decode().strip()
        if not first.startswith("PTY "):
            self._stop()
            raise DeviceError(f"the RP2040 runner did not start: {self.runner_messages() or first}")
        self.port = first[len("PTY "):]
        self.boot_cycles = self._wait_for_boot(lines)

    def _read_stderr(self, lines):
        for raw in self.process.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            self._stderr.append(line)
            lines.put(line)

    def _wait_for_boot(self, lines):
        while True:
            try:
                line = lines.get(timeout=BOOT_TIMEOUT)
            except queue.Empty:
                self._stop()
                raise DeviceError(f"the emulated RP2040 did not reach its REPL in {BOOT_TIMEOUT} s") from None
            found = re.search(r"boot: (\d+) cycles", line)
            if found:
                return int(found.group(1))

    def _stop(self):
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.stdout.close()
        self.port = None
        for line in self._stderr:
            found = re.match(r"run\.mjs: (\d+) cycles", line)
            if found:
                self.total_cycles = int(found.group(1))

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def runner_messages(self):
        """What run.mjs said on stderr (boot, faults, cycle limit, totals)."""
        return "\n".join(self._stderr)

    # --- running code ----------------------------------------------------------
    def exec(self, code, timeout=30):
        """Runs code in the raw REPL; returns stdout; DeviceError if it raised or the board stopped."""
        try:
            return super().exec(code, timeout)
        except (DeviceError, OSError) as exc:  # a pty whose runner is gone reads EIO
            answered = isinstance(exc, DeviceError) and str(exc).startswith("on the board:")
            if not answered and self._stopped():
                raise DeviceError(f"the emulated RP2040 stopped: {self._runner_reason()}") from exc
            if isinstance(exc, DeviceError):
                raise
            raise DeviceError(f"lost the emulated RP2040's pty: {exc}") from exc

    def _stopped(self, grace=5):
        """Whether the runner has exited (waiting a little: the pty closes first)."""
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            return False
        return True

    def _runner_reason(self):
        reasons = [line[len("run.mjs: "):] for line in self._stderr
                   if line.startswith("run.mjs: ") and not re.match(r"run\.mjs: (boot: )?\d+ cycles", line)]
        return "; ".join(reasons) or f"runner exited with status {self.process.returncode}"

    def cycles(self, statement, setup="", timeout=60):
        """Cycles for one run of `statement` (after `setup`), counter overhead removed.

        The statement runs inside a function: names it assigns are locals, names it
        reads come from the board's globals (what `setup` defined).
        """
        if setup:
            self.exec(setup, timeout=timeout)
        body = textwrap.indent(textwrap.dedent(statement).strip(), "    ")
        return int(self.exec(_PROBE.format(statement=body), timeout=timeout).strip())

    def mem_free(self):
        return self.eval("__import__('gc').collect() or __import__('gc').mem_free()")

    def put(self, local, remote=None):
        """Copies a host file into the board's flash (default: its name, at the root)."""
        local = Path(local)
        self.write_file(remote or local.name, local.read_bytes())


def runner_command(*args):
    """The node command line for run.mjs, e.g. runner_command('--script', 'x.py')."""
    return ["node", str(RUNNER), *map(os.fspath, args)]
