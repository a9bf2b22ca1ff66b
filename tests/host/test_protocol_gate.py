"""The energy gate on the whole input window, on the real smoke alarms (../shared/data):
the demo fire-alarm model with a gate detects exactly the hops it detects without one,
while digital silence is never classified. Host prediction = the board's code path."""
import copy

import numpy as np
import pytest

from earshot import settings
from earshot.data import read_wav
from earshot.deploy.predict import HostBoard, gated_hops
from tests.conftest import ROOT

DEMO = ROOT / "tests" / "fixtures" / "app" / "demo_fire_alarm.tflite"


def with_gate(gate):
    model = DEMO.read_bytes()
    doc = copy.deepcopy(settings.read(model))
    doc["decision"]["energy_gate_rms"] = gate
    return settings.embed(model, doc), doc


@pytest.mark.parametrize("name", ["smoke_alarm_bsb0800.wav", "smoke_alarm_bsb1151.wav"])
def test_gate_keeps_every_detection_on_real_alarms(shared_data, name):
    audio = read_wav(shared_data / "fire_alarm" / name, 16000)
    plain = [r["label"] for r in HostBoard(with_gate(0)[0]).predict(audio)]
    model, doc = with_gate(20)
    gated = [r["label"] for r in HostBoard(model).predict(audio)]
    fire = [k for k, label in enumerate(plain) if label == "fire_alarm"]
    assert len(fire) > 0.8 * len(plain)
    assert [k for k, label in enumerate(gated) if label == "fire_alarm"] == fire
    # only hops whose whole window is (near) digital silence change, to "silence"
    skipped = gated_hops(audio, doc)
    assert [label for label, g in zip(gated, skipped) if g] == ["silence"] * int(skipped.sum())
    assert all(a == b for a, b, g in zip(plain, gated, skipped) if not g)
    newest_hop_gate = [int(np.sqrt(np.mean(audio[k * 512:(k + 1) * 512].astype(np.int64) ** 2))) < 20
                       for k in range(len(plain))]
    assert sum(skipped) <= sum(newest_hop_gate)  # the window never gates more than its newest hop would


def test_gate_silences_digital_silence_and_not_a_quiet_room():
    model, doc = with_gate(20)
    board = HostBoard(model)
    silence = np.zeros(3 * 16000, dtype=np.int16)
    assert {r["label"] for r in board.predict(silence)} == {"silence"}
    room = (np.random.default_rng(0).standard_normal(3 * 16000) * 60).astype(np.int16)
    labels = [r["label"] for r in board.predict(room)]
    # RMS 60 noise: gated only while the window still holds mostly the zeros before the start
    # (window_ms = k * 3600 // 32 < 20**2 for k <= 3 hops)
    assert labels[:3] == ["silence"] * 3 and "silence" not in labels[4:]
    assert [label == "silence" for label in labels] == list(gated_hops(room, doc))
