"""MicroPython boards that tests drive through a pseudo-terminal.

`Board` is the shared base: it speaks MicroPython's raw REPL over a serial-like
device path (a pty) and knows nothing about how the board runs. A subclass starts
its board in `_start()` (setting `self.port`) and stops it in `_stop()`:

    class LinuxBoard(Board):      # earshot.emulators.linux: firmware/linux --pty
    class Rp2040Board(Board):     # earshot.emulators.rp2040: rp2040js + firmware/rp2040

Use a board as a context manager:

    with LinuxBoard() as board:
        board.port                        # "/dev/pts/N": also `mpremote connect <port> ...`
        board.exec("print(1 + 1)")        # -> "2\\n"; raises DeviceError with the traceback
        board.write_file("x.bin", data)   # through the REPL: works on every board
        board.read_file("x.bin")          # -> bytes
        board.soft_reset()                # Ctrl-D: state cleared, flash kept

The port is opened for each call and closed after it, so `mpremote` may use the
same port between calls. The board is left in the raw REPL.
"""
import errno
import os
import select
import termios
import time
import tty

from earshot.errors import DeviceError

RAW_REPL_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
SOFT_REBOOT = b"soft reboot\r\n"
CHUNK = 256  # bytes per raw-REPL write: keeps a board's input buffer from overflowing
FILE_CHUNK = 1024  # bytes per exec in write_file/read_file


class Board:
    """A MicroPython board on a pty; subclasses set `self.port` in `_start()`."""

    port = None
    flash_dir = None

    def __enter__(self):
        self._start()
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._stop()

    def _start(self):
        raise NotImplementedError

    def _stop(self):
        raise NotImplementedError

    def exec(self, code, timeout=30):
        """Runs `code` in the raw REPL; returns its stdout, raises DeviceError on exception."""
        with _RawRepl(self.port) as repl:
            out, err = repl.exec(code.encode() if isinstance(code, str) else code, timeout)
        if err:
            traceback = err.decode(errors="replace").replace("\r\n", "\n").strip()
            raise DeviceError(f"on the board:\n{traceback}")
        return out.decode(errors="replace").replace("\r\n", "\n")

    def eval(self, expression, timeout=30):
        """The value of a Python literal printed by the board, e.g. eval("os.listdir()")."""
        import ast
        return ast.literal_eval(self.exec(f"print(repr({expression}))", timeout).strip())

    def soft_reset(self, timeout=30):
        """Ctrl-D in the raw REPL: the interpreter restarts (boot.py runs), files stay."""
        with _RawRepl(self.port) as repl:
            repl.soft_reset(timeout)

    def write_file(self, path, data, timeout=30):
        self.exec(f"f=open({path!r},'wb')\nw=f.write", timeout)
        for start in range(0, len(data), FILE_CHUNK):
            self.exec(f"w({bytes(data[start:start + FILE_CHUNK])!r})", timeout)
        self.exec("f.close()", timeout)

    def read_file(self, path, timeout=30):
        self.exec(f"f=open({path!r},'rb')\nr=f.read", timeout)
        data = bytearray()
        while chunk := self.eval(f"r({FILE_CHUNK})", timeout):
            data += chunk
        self.exec("f.close()", timeout)
        return bytes(data)


class _RawRepl:
    """One conversation with the raw REPL over a serial device path."""

    def __init__(self, port):
        if port is None:
            raise DeviceError("the board is not running", hint="use the board as a context manager")
        self.fd = None
        try:
            self.fd = os.open(port, os.O_RDWR | os.O_NOCTTY)
            tty.setraw(self.fd, termios.TCSANOW)
        except (OSError, termios.error) as exc:
            if self.fd is not None:
                os.close(self.fd)
            raise DeviceError(f"cannot use {port} as a serial port: {exc}") from None
        self.pending = bytearray()  # read but not yet consumed

    def __enter__(self):
        self.enter()
        return self

    def __exit__(self, *exc):
        os.close(self.fd)

    def write(self, data):
        for start in range(0, len(data), CHUNK):
            os.write(self.fd, data[start:start + CHUNK])

    def read_until(self, ending, timeout):
        """The bytes before `ending`; the rest stays pending."""
        deadline = time.monotonic() + timeout
        while (end := self.pending.find(ending)) < 0:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                got = bytes(self.pending[-200:])
                raise DeviceError(f"no {ending!r} from the board within {timeout} s; got {got!r}")
            self.pending += _read_or_hang_up(self.fd)
        data = bytes(self.pending[:end])
        del self.pending[:end + len(ending)]
        return data

    def drain(self, quiet=0.0):
        while select.select([self.fd], [], [], quiet)[0]:
            _read_or_hang_up(self.fd)
        self.pending.clear()

    def enter(self, timeout=10):
        self.write(b"\r\x03\x03")  # stop whatever runs
        self.drain()  # stale output; what the interrupt prints precedes the banner below
        self.write(b"\r\x01")
        self.read_until(RAW_REPL_BANNER, timeout)

    def exec(self, code, timeout):
        self.write(code + b"\x04")
        self.read_until(b"OK", 10)
        try:
            out = self.read_until(b"\x04", timeout)
            err = self.read_until(b"\x04", 10)
        except DeviceError:
            self.write(b"\x03")
            raise DeviceError(f"the board did not finish within {timeout} s (interrupted)") from None
        self.read_until(b">", 10)
        return out, err

    def soft_reset(self, timeout):
        self.write(b"\x04")
        self.read_until(SOFT_REBOOT, timeout)
        self.read_until(RAW_REPL_BANNER, timeout)


def _read_or_hang_up(fd):
    """os.read, but a pty whose other end closed (the board's process ended) raises."""
    try:
        data = os.read(fd, 4096)
    except OSError as exc:  # EIO on some kernels
        data = b""
        if exc.errno != errno.EIO:
            raise
    if not data:
        raise DeviceError("the board hung up: its pty closed (did its process stop?)")
    return data
