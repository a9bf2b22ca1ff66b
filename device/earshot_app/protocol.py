"""Framed packets for raw PCM from the board (recorder mode): runs unchanged on the
board (MicroPython) and on the host (CPython), so both sides share one definition.

A packet is
    MAGIC (2 bytes b"ES") | seq (u16 LE) | length (u16 LE) | payload | crc (u16 LE)
with crc = CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over seq, length and
payload. seq counts packets modulo 65536 so a lost or repeated packet shows as a
gap; length 0 marks the end of a recording. CRC-16 keeps every intermediate a
small int on the board: no heap allocation per byte.
"""
try:
    from micropython import const
except ImportError:
    def const(x):
        return x

MAGIC0 = const(0x45)  # "E"
MAGIC1 = const(0x53)  # "S"
HEADER_BYTES = const(6)
TRAILER_BYTES = const(2)
MAX_PAYLOAD = const(4096)
SEQ_MODULO = const(65536)


def _make_table():
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
        table.append(crc)
    return tuple(table)


CRC_TABLE = _make_table()


def crc16(data, start=0, end=None, crc=0xFFFF):
    """CRC-16/CCITT-FALSE of data[start:end], continuing from `crc`."""
    table = CRC_TABLE
    if end is None:
        end = len(data)
    for i in range(start, end):
        crc = ((crc << 8) & 0xFFFF) ^ table[((crc >> 8) ^ data[i]) & 0xFF]
    return crc


class PacketWriter:
    """Frames payloads into one preallocated buffer; write() is allocation-free."""

    def __init__(self, payload_bytes):
        if not 0 < payload_bytes <= MAX_PAYLOAD:
            raise ValueError("payload_bytes must be 1..%d" % MAX_PAYLOAD)
        self.payload_bytes = payload_bytes
        self.packet = bytearray(HEADER_BYTES + payload_bytes + TRAILER_BYTES)
        self.end_packet = bytearray(HEADER_BYTES + TRAILER_BYTES)
        self.payload = memoryview(self.packet)[HEADER_BYTES:HEADER_BYTES + payload_bytes]
        self.seq = 0

    def _frame(self, packet, length):
        packet[0] = MAGIC0
        packet[1] = MAGIC1
        packet[2] = self.seq & 0xFF
        packet[3] = self.seq >> 8
        packet[4] = length & 0xFF
        packet[5] = length >> 8
        crc = crc16(packet, 2, HEADER_BYTES + length)
        packet[HEADER_BYTES + length] = crc & 0xFF
        packet[HEADER_BYTES + length + 1] = crc >> 8
        self.seq = (self.seq + 1) % SEQ_MODULO
        return packet

    def frame(self):
        """Frames the bytes the caller put into self.payload; returns the packet."""
        return self._frame(self.packet, self.payload_bytes)

    def frame_end(self):
        return self._frame(self.end_packet, 0)


class PacketReader:
    """Host side: feed() bytes as they arrive, packets come out in order.

    Counts what went wrong instead of hiding it: `corrupted` counts damaged stretches
    (a failed CRC or an impossible length, up to the next good packet), `lost` the
    packets missing from the sequence (damaged ones included), `junk_bytes` the bytes
    skipped while looking for the next packet.
    """

    def __init__(self, max_payload=MAX_PAYLOAD):
        self.max_payload = max_payload
        self.buffer = bytearray()
        self.expected_seq = None
        self.corrupted = 0
        self.in_corruption = False
        self.lost = 0
        self.junk_bytes = 0
        self.ended = False

    def feed(self, data):
        """Returns the list of (seq, payload bytes) completed by `data`."""
        self.buffer.extend(data)
        packets = []
        while not self.ended:
            packet = self._next_packet()
            if packet is None:
                break
            packets.append(packet)
        return packets

    def _resync(self, skip):
        self.junk_bytes += skip
        del self.buffer[:skip]

    def _next_packet(self):
        buf = self.buffer
        while True:
            start = buf.find(bytes((MAGIC0, MAGIC1)))
            if start < 0:
                keep = 1 if buf and buf[-1] == MAGIC0 else 0
                self._resync(len(buf) - keep)
                return None
            if start:
                self._resync(start)
            if len(buf) < HEADER_BYTES:
                return None
            seq = buf[2] | (buf[3] << 8)
            length = buf[4] | (buf[5] << 8)
            if length > self.max_payload:
                self._damaged()
                continue
            total = HEADER_BYTES + length + TRAILER_BYTES
            if len(buf) < total:
                return None
            crc = buf[total - 2] | (buf[total - 1] << 8)
            if crc != crc16(buf, 2, HEADER_BYTES + length):
                self._damaged()
                continue
            self.in_corruption = False
            payload = bytes(buf[HEADER_BYTES:HEADER_BYTES + length])
            del buf[:total]
            self._count_gap(seq)
            if length == 0:
                self.ended = True
            return seq, payload

    def _damaged(self):
        if not self.in_corruption:
            self.corrupted += 1
            self.in_corruption = True
        self._resync(1)

    def _count_gap(self, seq):
        if self.expected_seq is not None:
            self.lost += (seq - self.expected_seq) % SEQ_MODULO
        self.expected_seq = (seq + 1) % SEQ_MODULO
