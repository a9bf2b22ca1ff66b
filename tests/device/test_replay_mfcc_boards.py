"""An MFCC model on the board: the smart-lock recipe's model (mfcc_q15 features with
min-max scaling, u8 input) deployed with `earshot deploy` and replayed on a synthetic
door scene; the board's per-hop scores and labels equal the host's bit for bit.
The music-genre LSTM is not here: the board's interp has no UNIDIRECTIONAL_SEQUENCE_LSTM yet."""
import io
import json

import numpy as np
import pytest
import soundfile

from earshot.cli import main as earshot
from earshot.deploy import files, predict, replay
from earshot.deploy.board import Board
from earshot.recipes import smart_lock_synth
from tests.device.conftest import APP_MODEL

LOCK_MODEL = APP_MODEL.parent / "smart_lock.tflite"  # make_smart_lock.py


def door_scene():
    """Digital silence, then a lock turning and a key going in, in a quiet room."""
    rng = np.random.default_rng(4)
    parts = [np.zeros(6400)]
    for label in ("locking", "key_in"):
        room = rng.standard_normal(9600) * 0.002
        sound = smart_lock_synth.event(label, rng)[:8000] * 0.4
        room[800:800 + len(sound)] += sound
        parts.append(room)
    return smart_lock_synth.to_int16(np.concatenate(parts))


def test_smart_lock_model_board_equals_host_hop_by_hop(deployed):
    kind, port = deployed
    if kind != "linux":
        pytest.skip("MFCC replay runs on firmware/linux (the emulated RP2040 would take minutes per second)")
    model = LOCK_MODEL.read_bytes()
    assert "mfcc" in files.modules_for("mfcc_q15")
    audio = door_scene()
    assert earshot(["deploy", "--port", port, "--model", str(LOCK_MODEL)]) == 0
    try:
        with Board(port) as board:
            result = replay.replay(board, model, audio)
            allocation = loop_allocation(board, audio)
    finally:
        assert earshot(["deploy", "--port", port, "--model", str(APP_MODEL)]) == 0
    hops = len(audio) // 400
    assert len(result.board_rows) == len(result.host_rows) == hops
    assert result.identical, result.differences
    labels = [row["label"] for row in result.host_rows]
    assert labels[:16] == ["silence"] * 16  # digital silence fills the 15-hop window: gated
    assert "silence" not in labels[20:]  # the lock's sound stays in the window from then on
    assert len({tuple(row["scores"]) for row in result.board_rows if row["label"] != "silence"}) > 5
    assert [(e["event"], e["label"], e["hop"]) for e in result.board_events] == predict.events(result.host_rows)
    assert allocation["hops"] == 1000 and allocation["allocated"] == 0


def loop_allocation(board, audio):
    """measure.allocation_check over 1,000 hops of the scene (looping: gated and classified hops)."""
    wav = io.BytesIO()
    soundfile.write(wav, audio, 16000, format="WAV", subtype="PCM_16")
    files._write_atomically(board, "/lock.wav", wav.getvalue())
    files._write_atomically(board, "/lock_config.json", b'{"wav": "lock.wav"}')
    out = board.exec("from earshot_app import measure\nmeasure.allocation_check(1000, 'lock_config.json')",
                     timeout=300)
    return [json.loads(x) for x in out.splitlines() if x.startswith("{")][-1]
