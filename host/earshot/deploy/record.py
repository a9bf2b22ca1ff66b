"""Recorder: the board streams raw 16 kHz PCM in framed packets (device protocol.py);
the host checks every CRC and sequence number, so a lost, damaged or repeated packet
is counted, never hidden."""
import time

from earshot.deploy.board import ProgramOutput
from earshot.deploy.device_code import module
from earshot.errors import DeviceError

RECORD_RATE = 16000
TAIL_BYTES = 512


class Recording:
    def __init__(self, samples, packets, lost, corrupted, junk_bytes):
        self.samples = samples
        self.packets = packets
        self.lost = lost
        self.corrupted = corrupted
        self.junk_bytes = junk_bytes

    @property
    def clean(self):
        return self.lost == 0 and self.corrupted == 0


def receive(board, seconds, source=None, idle_timeout=30, tap=None):
    """Runs recorder.record() on the board and collects its packets. `tap(bytes) -> bytes`
    sees the raw stream first (tests use it to damage a packet on its way)."""
    import numpy as np

    reader = module("protocol").PacketReader()
    kind = "None" if source is None else repr(source)
    board.start(f"from earshot_app import recorder\nrecorder.record({int(seconds)}, {kind})")
    payloads = []
    serial = board.serial
    serial.timeout = 0.2
    last = time.monotonic()
    tail = b""  # the latest raw bytes: the program's end may hide in what no packet claims
    while not reader.ended:
        data = serial.read(max(1, serial.in_waiting))
        if not data:
            if _program_ended(tail):
                break  # the end packet was lost: what is missing is counted below
            if time.monotonic() - last > idle_timeout:
                said = tail.decode("utf-8", "replace")
                raise DeviceError(f"the recording stopped after {len(payloads)} packets (board said: {said!r})")
            continue
        last = time.monotonic()
        if tap is not None:
            data = tap(data)
        tail = (tail + data)[-TAIL_BYTES:]
        payloads += [p for _, p in reader.feed(data) if p]
    output = ProgramOutput(board, idle_timeout=idle_timeout)
    if reader.ended:
        output.pending += reader.buffer  # the end of the program may come with the last packet
    else:
        output.pending += tail[tail.rfind(b"\x04", 0, tail.rfind(b"\x04")):]
        reader.lost += 1
    for _ in output:
        pass
    samples = np.frombuffer(b"".join(payloads), dtype="<i2").astype(np.int16)
    return Recording(samples, len(payloads), reader.lost, reader.corrupted, reader.junk_bytes)


def _program_ended(tail):
    """The raw REPL's end of a program (0x04, its stderr, 0x04, then the ">" prompt) at
    the end of the stream, once the line is quiet."""
    return tail.rstrip(b">").endswith(b"\x04") and tail.count(b"\x04") >= 2
