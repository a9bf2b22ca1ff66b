"""MFCC models on the board, deployed with `earshot deploy` and replayed: the board's
per-hop scores and labels equal the host's bit for bit.
  smart lock   mfcc_q15 with min-max scaling, u8 input, a CNN, the energy gate's back-off
               and the post-processing buffer; a synthetic door scene (both boards; the
               loop's allocation on firmware/linux)
  music genre  mfcc_q15 at 22.05 kHz, q8.7 input, an LSTM; synthetic songs, 1 s per hop
               (both boards)"""
import io
import json

import numpy as np
import soundfile

from earshot import settings as host_settings
from earshot.cli import main as earshot
from earshot.deploy import files, predict, replay
from earshot.deploy.board import Board
from earshot.recipes import music_genre_synth, smart_lock_synth
from tests.device.conftest import APP_MODEL

LOCK_MODEL = APP_MODEL.parent / "smart_lock.tflite"  # make_smart_lock.py
GENRE_MODEL = APP_MODEL.parent / "music_genre.tflite"  # make_music_genre.py


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


def lock_model(**decision):
    """The fixture with changed decision fields (None removes one): the one-epoch model's
    scores never reach 0.8, so the test model decides with a lower threshold."""
    model = LOCK_MODEL.read_bytes()
    settings = host_settings.read(model)
    settings["decision"].update(decision)
    for key in [k for k, v in decision.items() if v is None]:
        del settings["decision"][key]
    return host_settings.embed(model, settings)


def test_smart_lock_model_board_equals_host_hop_by_hop(deployed, tmp_path):
    kind, port = deployed
    assert "mfcc" in files.modules_for("mfcc_q15")
    fixture = host_settings.read(LOCK_MODEL.read_bytes())["decision"]
    assert (fixture["energy_backoff_windows"], fixture["post_buffer"]) == (15, 5)  # the recipe's rules
    model = lock_model(threshold=0.35, unknown_below=0.0, smoothing_hops=1)
    model_path = tmp_path / "smart_lock_rules.tflite"
    model_path.write_bytes(model)
    scene = door_scene()
    # then 40 hops of digital silence: the gate closes, the back-off keeps 14 more hops open
    audio = np.concatenate([scene, np.zeros(40 * 400, dtype=np.int16)])
    if kind == "rp2040":
        audio = audio[:30 * 400]  # about 0.2 s of emulation per hop: the lock's start is enough
    assert earshot(["deploy", "--port", port, "--model", str(model_path)]) == 0
    try:
        with Board(port) as board:
            result = replay.replay(board, model, audio)
            # 500 hops take minutes under rp2040js; the same loop is checked on firmware/linux
            allocation = loop_allocation(board, audio) if kind == "linux" else None
    finally:
        assert earshot(["deploy", "--port", port, "--model", str(APP_MODEL)]) == 0
    hops = len(audio) // 400
    assert len(result.board_rows) == len(result.host_rows) == hops
    assert result.identical, result.differences
    labels = [row["label"] for row in result.host_rows]
    assert labels[:16] == ["silence"] * 16  # digital silence fills the 15-hop window: gated
    assert "silence" not in labels[20:len(scene) // 400]  # the lock's sound stays in the window
    assert len({tuple(row["scores"]) for row in result.board_rows if row["label"] != "silence"}) > 5
    assert [(e["event"], e["label"], e["hop"]) for e in result.board_events] == predict.events(result.host_rows)
    assert any(e["event"] == "start" for e in result.board_events)
    # the back-off and the post buffer changed what the board said
    plain = predict.HostBoard(lock_model(threshold=0.35, unknown_below=0.0, smoothing_hops=1,
                                         energy_backoff_windows=None, post_buffer=None)).predict(audio)
    assert labels != [row["label"] for row in plain]
    if kind == "linux":
        open_hops = [k for k, row in enumerate(result.host_rows) if row["label"] != "silence"]
        closed = [k for k, row in enumerate(plain) if row["label"] != "silence"]
        assert open_hops[-1] >= closed[-1] + 14  # the back-off's 14 further hops, then the buffer's
        assert labels[-1] == "silence"
    if allocation is not None:
        assert allocation["hops"] == 500 and allocation["allocated"] == 0


def loop_allocation(board, audio):
    """measure.allocation_check over 500 hops of the scene (looping: gated and classified hops)."""
    wav = io.BytesIO()
    soundfile.write(wav, audio, 16000, format="WAV", subtype="PCM_16")
    files._write_atomically(board, "/lock.wav", wav.getvalue())
    files._write_atomically(board, "/lock_config.json", b'{"wav": "lock.wav"}')
    out = board.exec("from earshot_app import measure\nmeasure.allocation_check(500, 'lock_config.json')",
                     timeout=300)
    return [json.loads(x) for x in out.splitlines() if x.startswith("{")][-1]


def test_music_genre_lstm_board_equals_host_per_chunk(deployed):
    kind, port = deployed
    model = GENRE_MODEL.read_bytes()
    rng = np.random.default_rng(2)
    genres = music_genre_synth.GENRES if kind == "linux" else music_genre_synth.GENRES[:1]  # rp2040js: 2 chunks
    audio = np.concatenate([music_genre_synth.to_int16(music_genre_synth.song(genre, 2.0, rng, 22050))
                            for genre in genres])
    assert earshot(["deploy", "--port", port, "--model", str(GENRE_MODEL)]) == 0
    try:
        with Board(port) as board:
            result = replay.replay(board, model, audio)
    finally:
        assert earshot(["deploy", "--port", port, "--model", str(APP_MODEL)]) == 0
    hops = len(audio) // 22016
    assert len(result.board_rows) == len(result.host_rows) == hops == 2 * len(genres)
    assert result.identical, result.differences
    assert len({tuple(row["scores"]) for row in result.board_rows}) == hops  # every chunk its own scores
