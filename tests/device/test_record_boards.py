"""Recorder path on both emulated boards: a known signal played from a WAV on the
board's flash comes back through the framed packets sample-exact; a damaged packet
is detected and reported."""
import io

import numpy as np
import pytest
import soundfile

from earshot.cli import main as earshot
from earshot.deploy import files, record
from earshot.deploy.board import Board

SECONDS = 1
PACKET = 6 + 1024 + 2  # header, one 512-sample block, CRC


@pytest.fixture(scope="module")
def known_signal(deployed):
    """Every sample distinct from its neighbours: a ramp plus a chirp, on the board as /test.wav."""
    _, port = deployed
    n = SECONDS * record.RECORD_RATE
    t = np.arange(n)
    signal = ((t * 7) % 65536 - 32768).astype(np.int16) // 4 + (3000 * np.sin(t * t * 1e-6)).astype(np.int16)
    buf = io.BytesIO()
    soundfile.write(buf, signal, record.RECORD_RATE, format="WAV", subtype="PCM_16")
    with Board(port) as board:
        files._write_atomically(board, "/test.wav", buf.getvalue())
    return signal


def test_round_trip_is_sample_exact(deployed, known_signal):
    _, port = deployed
    with Board(port) as board:
        rec = record.receive(board, SECONDS, source="wav")
    hops = len(known_signal) // 512
    assert (rec.lost, rec.corrupted, rec.junk_bytes) == (0, 0, 0)
    assert rec.packets == hops
    assert np.array_equal(rec.samples, known_signal[:hops * 512])


def test_damaged_packet_is_detected_and_reported(deployed, known_signal):
    _, port = deployed
    seen = [0]

    def flip_one_byte(data):
        data = bytearray(data)
        at = 10 * PACKET + 500 - seen[0]  # inside the payload of packet 10
        if 0 <= at < len(data):
            data[at] ^= 0x40
        seen[0] += len(data)
        return bytes(data)

    with Board(port) as board:
        rec = record.receive(board, SECONDS, source="wav", tap=flip_one_byte)
    hops = len(known_signal) // 512
    assert rec.corrupted == 1 and rec.lost == 1
    assert rec.packets == hops - 1
    expected = np.concatenate([known_signal[:10 * 512], known_signal[11 * 512:hops * 512]])
    assert np.array_equal(rec.samples, expected)


def test_record_command_writes_the_wav_and_fails_on_gaps(deployed, known_signal, tmp_path, monkeypatch, capsys):
    _, port = deployed
    args = ["record", "--port", port, "--label", "ramp", "--seconds", str(SECONDS),
            "--source", "wav", "--dataset", str(tmp_path)]
    assert earshot(args) == 0
    (wav,) = (tmp_path / "ramp").glob("ramp_*.wav")
    data, rate = soundfile.read(wav, dtype="int16")
    assert rate == 16000 and np.array_equal(data, known_signal[:len(data)]) and len(data) == len(known_signal) // 512 * 512
    assert "0 lost, 0 damaged" in capsys.readouterr().out

    original = record.receive
    seen = [0]

    def break_one_magic(data):
        data = bytearray(data)
        at = 20 * PACKET + 1 - seen[0]  # the "S" of packet 20's magic
        if 0 <= at < len(data):
            data[at] = ord("Z")
        seen[0] += len(data)
        return bytes(data)

    def damaged(board, seconds, source=None, **kw):
        return original(board, seconds, source=source, tap=break_one_magic)

    monkeypatch.setattr(record, "receive", damaged)
    for old in (tmp_path / "ramp").glob("*.wav"):
        old.unlink()
    assert earshot(args) == 1
    captured = capsys.readouterr()
    assert "1 lost" in captured.out and "gaps" in captured.out, captured.err


def test_record_refuses_bad_label(deployed):
    _, port = deployed
    assert earshot(["record", "--port", port, "--label", "../x", "--seconds", "1"]) == 1


def test_lost_end_packet_still_ends_the_recording(deployed, known_signal):
    _, port = deployed
    hops = len(known_signal) // 512
    seen = [0]

    def break_end_magic(data):
        data = bytearray(data)
        at = hops * PACKET - seen[0]  # the "E" of the end packet
        if 0 <= at < len(data):
            data[at] = ord("X")
        seen[0] += len(data)
        return bytes(data)

    with Board(port) as board:
        rec = record.receive(board, SECONDS, source="wav", tap=break_end_magic, idle_timeout=20)
        assert board.eval("1 + 1") == 2  # the board is back at its prompt
    assert rec.packets == hops and rec.lost == 1
    assert np.array_equal(rec.samples, known_signal[:hops * 512])
