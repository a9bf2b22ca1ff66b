"""earshot replay on both emulated boards: the board's per-hop decisions (scores,
smoothed scores, labels, events) equal the host's prediction bit for bit."""
import json

import numpy as np
import pytest
import soundfile

from earshot.cli import main as earshot
from earshot.data import synth
from earshot.deploy import predict, replay
from earshot.deploy.board import Board
from earshot.errors import DeviceError
from tests.device.conftest import APP_MODEL

SECONDS = 1.0


@pytest.fixture(scope="module")
def alarm_wav(tmp_path_factory):
    audio, _ = synth.alarm_in_noise(SECONDS, bursts_at=(0.3,), seed=3)
    path = tmp_path_factory.mktemp("replay") / "alarm.wav"
    soundfile.write(path, audio, 16000, subtype="PCM_16")
    return path, audio


def test_board_equals_host_hop_by_hop(deployed, alarm_wav):
    kind, port = deployed
    if kind != "linux":
        pytest.skip("the emulated RP2040 runs the same comparison with the trained model (below)")
    _, audio = alarm_wav
    model = APP_MODEL.read_bytes()
    with Board(port) as board:
        result = replay.replay(board, model, audio)
    hops = len(audio) // 512
    assert len(result.board_rows) == len(result.host_rows) == hops
    assert result.differences == []
    for b, h in zip(result.board_rows, result.host_rows):
        assert {k: b[k] for k in h} == h
    host_events = predict.events(result.host_rows)
    assert [(e["event"], e["label"], e["hop"]) for e in result.board_events] == host_events
    assert all(e["t"] == (e["hop"] + 1) * 32 for e in result.board_events)
    assert any(row["rms"] > 0 for row in result.board_rows)


def test_replay_command_prints_side_by_side(deployed, alarm_wav, capsys):
    kind, port = deployed
    if kind != "linux":
        pytest.skip("the command's printing is the same on every port; the slow emulator runs the API test")
    path, audio = alarm_wav
    assert earshot(["replay", str(path), "--port", port, "--model", str(APP_MODEL)]) == 0
    out = capsys.readouterr().out
    assert f"{len(audio) // 512} hops from the board, {len(audio) // 512} from the host: identical" in out
    assert "board scores" in out and "host scores" in out


def test_replay_refuses_a_model_the_board_does_not_run(deployed, alarm_wav, tmp_path):
    _, port = deployed
    other = bytearray(APP_MODEL.read_bytes())
    other[-1] ^= 1
    with Board(port) as board, pytest.raises(DeviceError, match="does not run this model"):
        replay.replay(board, bytes(other), alarm_wav[1])


def test_replay_refuses_wrong_sample_rate(tmp_path):
    path = tmp_path / "fast.wav"
    soundfile.write(path, np.zeros(4410, dtype=np.int16), 44100, subtype="PCM_16")
    with pytest.raises(Exception, match="44100 Hz, the model wants 16000 Hz"):
        replay.load_inputs(path, APP_MODEL)


DEMO_MODEL = APP_MODEL.parent / "demo_fire_alarm.tflite"


def test_trained_model_raises_the_alarm_at_the_right_time(deployed):
    """The trainer's demo model (fast recipe; regenerate: earshot demo --out /tmp/demo &&
    cp /tmp/demo/model.tflite tests/fixtures/app/demo_fire_alarm.tflite) on an alarm in
    noise: the board's scores equal the host's, and fire_alarm starts within half a
    second of the first beep, never before it."""
    _, port = deployed
    audio, bursts = synth.alarm_in_noise(2.5, bursts_at=(0.8,), seed=2)
    (first_beep, _), = bursts
    assert earshot(["deploy", "--port", port, "--model", str(DEMO_MODEL)]) == 0
    try:
        with Board(port) as board:
            result = replay.replay(board, DEMO_MODEL.read_bytes(), audio)
    finally:
        assert earshot(["deploy", "--port", port, "--model", str(APP_MODEL)]) == 0
    assert result.identical, result.differences
    starts = [e for e in result.board_events if e["event"] == "start" and e["label"] == "fire_alarm"]
    assert len(starts) == 1
    assert first_beep * 1000 <= starts[0]["t"] <= first_beep * 1000 + 500
    early = [r for r in result.board_rows if r["t"] <= first_beep * 1000]
    assert early and all(r["label"] == "other" for r in early)


def test_two_cores_give_the_same_decisions(deployed, alarm_wav):
    """config.json "cores": 2 on the RP2040: the app's convolutions run on both cores and
    every hop's decision still equals the host's."""
    kind, port = deployed
    if kind != "rp2040":
        pytest.skip("core 1 is the RP2040's (firmware/linux refuses cores=2: tests/mpy_modules)")
    with Board(port) as board:
        original = board.eval("open('/config.json').read()")
        config = json.loads(original)
        config["cores"] = 2
        board.exec(f"f = open('/config.json', 'w')\nf.write({json.dumps(config)!r})\nf.close()")
        try:
            result = replay.replay(board, APP_MODEL.read_bytes(), alarm_wav[1])
            core1_halves = board.eval("__import__('interp_cores').core1_halves()")
        finally:
            board.exec(f"f = open('/config.json', 'w')\nf.write({original!r})\nf.close()")
    assert result.identical, result.differences
    assert len(result.board_rows) == len(alarm_wav[1]) // 512
    assert core1_halves >= len(result.board_rows), "core 1 ran no half"
