"""The board's WAV and host-stream sources (device/earshot_app/sources), run on CPython."""
import io
import struct

import numpy as np
import pytest
import soundfile

from earshot.deploy.device_code import module

wav = module("sources.wav")
host_stream = module("sources.host_stream")
sources = module("sources")


def write_wav(path, samples, rate=16000, subtype="PCM_16", channels=1):
    data = np.repeat(samples[:, None], channels, axis=1) if channels > 1 else samples
    soundfile.write(path, data, rate, subtype=subtype)
    return path


def test_wav_source_gives_whole_blocks_then_stops(tmp_path):
    samples = np.arange(-1000, 1000, dtype=np.int16)
    source = wav.WavSource(str(write_wav(tmp_path / "a.wav", samples)), 16000)
    block = bytearray(2 * 512)
    got = []
    while source.read_into(block):
        got.append(np.frombuffer(block, dtype="<i2").copy())
    source.close()
    assert len(got) == 3
    assert np.array_equal(np.concatenate(got), samples[:3 * 512])


def test_wav_source_loops_when_asked(tmp_path):
    samples = np.arange(600, dtype=np.int16)
    source = wav.WavSource(str(write_wav(tmp_path / "a.wav", samples)), 16000, loop=True)
    block = bytearray(2 * 512)
    for _ in range(3):
        assert source.read_into(block)
        assert np.array_equal(np.frombuffer(block, dtype="<i2"), samples[:512])


@pytest.mark.parametrize("kwargs, match", [
    (dict(rate=44100), "is 44100 Hz, the model wants 16000 Hz"),
    (dict(subtype="PCM_24"), "must be 16-bit PCM mono"),
    (dict(channels=2), "must be 16-bit PCM mono"),
])
def test_wav_source_refuses_what_the_model_cannot_use(tmp_path, kwargs, match):
    path = write_wav(tmp_path / "a.wav", np.zeros(1000, dtype=np.int16), **kwargs)
    with pytest.raises(ValueError, match=match):
        wav.WavSource(str(path), 16000)


def test_wav_source_refuses_non_wav(tmp_path):
    (tmp_path / "x.wav").write_bytes(b"not a wav at all")
    with pytest.raises(ValueError, match="is not a WAV file"):
        wav.WavSource(str(tmp_path / "x.wav"), 16000)


class Pipe(io.BytesIO):
    def readinto(self, buf):  # like a serial port: at most 100 bytes per call
        return super().readinto(memoryview(buf)[:100])


def test_host_stream_asks_for_each_block_and_stops_on_a_short_one():
    blocks = [np.arange(k, k + 512, dtype=np.int16) for k in (0, 7)]
    wire = b"".join(struct.pack("<H", 1024) + b.astype("<i2").tobytes() for b in blocks) + struct.pack("<H", 0)
    out = io.BytesIO()
    source = host_stream.HostStream(512, stdin=Pipe(wire), stdout=out)
    block = bytearray(1024)
    got = []
    while source.read_into(block):
        got.append(np.frombuffer(block, dtype="<i2").copy())
    source.close()
    assert [g.tolist() for g in got] == [b.tolist() for b in blocks]
    assert out.getvalue() == b'{"need":1024}\n' * 3


def test_unknown_source_is_refused():
    with pytest.raises(ValueError, match="source 'usb' is not one of"):
        sources.open_source({"source": "usb"}, 16000, 512)
