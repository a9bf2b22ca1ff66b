"""A MicroPython board on a serial port or pty, driven through mpremote's transport.

The same code talks to a real Pico (USB CDC), firmware/linux and the emulated RP2040
(their ptys): everything goes through the raw REPL.
"""
import os

from earshot.errors import DeviceError

RASPBERRY_PI_USB_VID = 0x2E8A


def find_port():
    """The first Raspberry Pi USB serial device, else the only serial device there is."""
    from serial.tools import list_ports

    ports = [p for p in list_ports.comports() if p.vid is not None]
    pico = [p for p in ports if p.vid == RASPBERRY_PI_USB_VID]
    if pico:
        return pico[0].device
    if len(ports) == 1:
        return ports[0].device
    found = ", ".join(p.device for p in ports) or "none"
    raise DeviceError(f"cannot tell which serial port is the board (USB serial ports: {found})",
                      hint="pass --port, e.g. --port /dev/ttyACM0 (or the pty of an emulated board)")


class Board:
    """Raw-REPL access: exec/eval, small file operations, and a raw byte stream."""

    def __init__(self, port=None, soft_reset=True):
        from mpremote.transport import TransportError
        from mpremote.transport_serial import SerialTransport

        self.port = port or os.environ.get("EARSHOT_PORT") or find_port()
        try:
            self.transport = SerialTransport(self.port, baudrate=115200)
        except (TransportError, OSError) as exc:
            raise DeviceError(f"cannot open {self.port}: {exc}") from exc
        self.serial = self.transport.serial
        try:
            self.transport.enter_raw_repl(soft_reset=soft_reset)
        except TransportError as exc:
            self.close()
            raise DeviceError(f"no MicroPython raw REPL on {self.port}: {exc}") from exc

    def close(self):
        try:
            if self.transport.in_raw_repl:
                self.transport.exit_raw_repl()
        finally:
            self.transport.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def exec(self, code, timeout=30):
        """Run code on the board; returns its stdout, raises DeviceError on an exception."""
        from mpremote.transport import TransportError

        try:
            out, err = self.transport.exec_raw(code, timeout=timeout)
        except TransportError as exc:
            raise DeviceError(f"board on {self.port} stopped answering: {exc}") from exc
        if err:
            raise DeviceError(f"board error: {board_error_line(err)}", hint=_traceback_hint(err))
        return out.decode("utf-8", "replace")

    def eval(self, expression):
        import ast

        return ast.literal_eval(self.exec(f"print(repr({expression}))").strip())

    def start(self, code):
        """Start code that streams (listen, record, replay): read with read()/readline()."""
        from mpremote.transport import TransportError

        try:
            self.transport.exec_raw_no_follow(code)
        except TransportError as exc:
            raise DeviceError(f"board on {self.port} did not start the command: {exc}") from exc

    def read(self, n, timeout=None):
        self.serial.timeout = timeout
        return self.serial.read(n)

    def write(self, data):
        self.serial.write(data)

    def finish(self, timeout=30):
        """After start(): wait for the end of the program; DeviceError if it raised."""
        from mpremote.transport import TransportError

        try:
            _, err = self.transport.follow(timeout)
        except TransportError as exc:
            raise DeviceError(f"board on {self.port} did not finish: {exc}") from exc
        if err:
            raise DeviceError(f"board error: {board_error_line(err)}", hint=_traceback_hint(err))

    def interrupt(self):
        """Ctrl-C the running program and get back to the raw REPL prompt."""
        self.transport.enter_raw_repl(soft_reset=False)


def board_error_line(err):
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "unknown error"


def _traceback_hint(err):
    return "the board said:\n" + err.decode("utf-8", "replace").strip()


class ProgramOutput:
    """Lines a program started with Board.start() prints, until it ends.

    The raw REPL ends a program's stdout with 0x04, then its stderr, then 0x04 again;
    a program that raised becomes a DeviceError with the board's own message.
    """

    def __init__(self, board, idle_timeout=30):
        self.board = board
        self.idle_timeout = idle_timeout
        self.pending = bytearray()
        self.ended = False

    def _fill(self):
        serial = self.board.serial
        serial.timeout = self.idle_timeout
        data = serial.read(max(1, serial.in_waiting))
        if not data:
            raise DeviceError(f"the board on {self.board.port} went quiet for {self.idle_timeout} s")
        self.pending += data

    def _finish(self):
        while self.pending.count(b"\x04") < 2:
            self._fill()
        first = self.pending.index(b"\x04")
        second = self.pending.index(b"\x04", first + 1)
        err = bytes(self.pending[first + 1:second])
        self.ended = True
        if b">" in self.pending[second:]:
            self.board.interrupt()  # the next prompt was read here: ask for a fresh one
        if err.strip():
            raise DeviceError(f"board error: {board_error_line(err)}", hint=_traceback_hint(err))

    def __iter__(self):
        return self

    def __next__(self):
        while not self.ended:
            newline = self.pending.find(b"\n")
            eot = self.pending.find(b"\x04")
            if eot >= 0 and (newline < 0 or eot < newline):
                if eot:
                    line = bytes(self.pending[:eot])
                    del self.pending[:eot]
                    return line.decode("utf-8", "replace").strip()
                self._finish()
                break
            if newline >= 0:
                line = bytes(self.pending[:newline])
                del self.pending[:newline + 1]
                return line.decode("utf-8", "replace").strip()
            self._fill()
        raise StopIteration
