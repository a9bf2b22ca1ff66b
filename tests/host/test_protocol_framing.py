"""device/earshot_app/protocol.py (recorder packets), judged against binascii's CRC."""
import binascii
import random

import pytest

from earshot.deploy.device_code import module

protocol = module("protocol")


def test_crc16_matches_binascii_crc_hqx():
    rng = random.Random(1)
    for n in (0, 1, 9, 100, 1030):
        data = bytes(rng.randrange(256) for _ in range(n))
        assert protocol.crc16(data) == binascii.crc_hqx(data, 0xFFFF)


def packets(payloads, writer):
    stream = bytearray()
    for payload in payloads:
        writer.payload[:] = payload
        stream += writer.frame()
    stream += writer.frame_end()
    return stream


def random_payloads(count, size, seed=2):
    rng = random.Random(seed)
    return [bytes(rng.randrange(256) for _ in range(size)) for _ in range(count)]


def test_round_trip_in_ragged_pieces():
    payloads = random_payloads(20, 64)
    stream = packets(payloads, protocol.PacketWriter(64))
    reader = protocol.PacketReader()
    got = []
    rng = random.Random(3)
    pos = 0
    while pos < len(stream):
        step = rng.randrange(1, 200)
        got += reader.feed(stream[pos:pos + step])
        pos += step
    assert [p for _, p in got[:-1]] == payloads
    assert [s for s, _ in got] == list(range(21))
    assert got[-1][1] == b"" and reader.ended
    assert (reader.corrupted, reader.lost, reader.junk_bytes) == (0, 0, 0)


def test_flipped_bit_is_detected_and_counted_as_lost():
    payloads = random_payloads(5, 32)
    stream = packets(payloads, protocol.PacketWriter(32))
    packet_bytes = 6 + 32 + 2
    stream[2 * packet_bytes + 20] ^= 0x10
    reader = protocol.PacketReader()
    got = reader.feed(bytes(stream))
    assert [p for _, p in got[:-1]] == payloads[:2] + payloads[3:]
    assert reader.corrupted == 1
    assert reader.lost == 1


def test_dropped_packet_and_junk_are_reported():
    payloads = random_payloads(4, 16)
    stream = packets(payloads, protocol.PacketWriter(16))
    n = 6 + 16 + 2
    stream = b"noise" + stream[:n] + stream[2 * n:]
    reader = protocol.PacketReader()
    got = reader.feed(stream)
    assert [p for _, p in got[:-1]] == [payloads[0]] + payloads[2:]
    assert reader.lost == 1 and reader.corrupted == 0 and reader.junk_bytes == 5


def test_sequence_wraps_without_counting_a_loss():
    writer = protocol.PacketWriter(2)
    writer.seq = 65534
    stream = packets([b"ab", b"cd", b"ef"], writer)
    reader = protocol.PacketReader()
    assert [s for s, _ in reader.feed(stream)] == [65534, 65535, 0, 1]
    assert reader.lost == 0


def test_bad_payload_size_is_refused():
    with pytest.raises(ValueError, match="payload_bytes"):
        protocol.PacketWriter(0)
    with pytest.raises(ValueError, match="payload_bytes"):
        protocol.PacketWriter(5000)
