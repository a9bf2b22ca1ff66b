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
