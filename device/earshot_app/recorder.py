"""Recorder mode (earshot record): raw 16 kHz PCM to the host in framed packets
(sequence number, length, CRC). Its own module: the listening app never holds its code."""
from .app import _stdout_write, load_config

RECORD_RATE = 16000
RECORD_BLOCK = 512  # samples per packet


def record(seconds, kind=None, config_path="config.json"):
    """Stream raw PCM to the host in framed packets (earshot record)."""
    from .protocol import PacketWriter
    from .sources import open_source as _open

    config = load_config(config_path)
    if kind is not None:
        config["source"] = kind
    rate = RECORD_RATE
    hop = RECORD_BLOCK
    source = _open(config, rate, hop)
    writer = PacketWriter(2 * hop)
    write = _stdout_write()
    try:
        for _ in range(seconds * rate // hop):
            if not source.read_into(writer.payload):
                break
            write(writer.frame())
        write(writer.frame_end())
    finally:
        source.close()
