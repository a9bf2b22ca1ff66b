"""device/earshot_app/decide.py and report.py, judged against a straightforward
reference written here with exact fractions and numpy."""
import json
from fractions import Fraction

import numpy as np
import pytest

from earshot import settings as host_settings
from earshot.deploy.device_code import module

board_settings = module("settings")
decide = module("decide")
report = module("report")


def settings(**overrides):
    fields = dict(labels=["other", "alarm", "speech"], target="alarm", input_scale=0.01,
                  input_zero_point=-128, output_scale=1 / 256, output_zero_point=-128,
                  activation="softmax", threshold=0.6, smoothing_hops=3,
                  unknown_below=0.4, energy_gate_rms=100)
    fields.update(overrides)
    return board_settings.from_metadata(host_settings.to_json(host_settings.make(**fields)).encode())


def reference_permille(q, scale, zero_point):
    exact = (q - zero_point) * Fraction(float(np.float32(scale))) * 1000
    return int(np.floor(exact + Fraction(1, 2)))


@pytest.mark.parametrize("scale, zero_point", [(1 / 256, -128), (0.00390625, 0), (0.0123, 7), (3e-7, -5)])
def test_permille_table_is_exact(scale, zero_point):
    table = decide.permille_table(scale, zero_point)
    assert [table[q + 128] for q in range(-128, 128)] == \
        [reference_permille(q, scale, zero_point) for q in range(-128, 128)]


def reference_labels(outputs, rms, s):
    """Per hop label index (-1 unknown, -2 silence), from whole-array numpy."""
    n = len(s.labels)
    scores = np.zeros((len(outputs), n), dtype=np.int64)
    for h, (out, r) in enumerate(zip(outputs, rms)):
        if r >= s.energy_gate_rms:
            scores[h] = [reference_permille(q, s.output_scale, s.output_zero_point) for q in out]
    padded = np.vstack([np.zeros((s.smoothing_hops - 1, n), dtype=np.int64), scores])
    labels = []
    for h in range(len(outputs)):
        smoothed = padded[h:h + s.smoothing_hops].sum(axis=0) // s.smoothing_hops
        if rms[h] < s.energy_gate_rms:
            labels.append(-2)
        elif smoothed[s.target_index] >= s.threshold_pm:
            labels.append(s.target_index)
        else:
            others = [c for c in range(n) if c != s.target_index]
            best = max(others, key=lambda c: (smoothed[c], -c))
            labels.append(best if smoothed[best] >= s.unknown_below_pm else -1)
    return labels


def test_softmax_decisions_match_reference():
    s = settings()
    rng = np.random.default_rng(5)
    outputs = rng.integers(-128, 128, size=(300, 3)).tolist()
    rms = rng.integers(0, 300, size=300).tolist()
    decider = decide.Decider(s)
    got = [decider.update(out if r >= s.energy_gate_rms else None, r) for out, r in zip(outputs, rms)]
    want = reference_labels(outputs, rms, s)
    assert got == want
    assert {-2, -1, 0, 1, 2} <= set(got)


def test_sigmoid_output_gives_both_labels_scores():
    s = settings(labels=["other", "alarm"], activation="sigmoid", smoothing_hops=1, energy_gate_rms=0)
    decider = decide.Decider(s)
    assert decider.update([127], 0) == 1
    assert list(decider.scores) == [4, 996]
    assert decider.update([-128], 0) == 0
    assert list(decider.scores) == [1000, 0]


def test_bytes_view_of_int8_outputs_reads_signed():
    s = settings(smoothing_hops=1, energy_gate_rms=0)
    a, b = decide.Decider(s), decide.Decider(s)
    a.update([-1, 5, -128], 0)
    b.update(bytes([255, 5, 128]), 0)
    assert list(a.scores) == list(b.scores)


def test_report_lines_are_json_and_events_bracket_labels():
    s = settings(smoothing_hops=1, energy_gate_rms=0)
    lines = []
    reporter = report.Reporter(s.labels, lambda b: lines.append(bytes(b)))
    decider = decide.Decider(s)
    for hop, out in enumerate([[-128, 127, -128], [-128, 127, -128], [127, -128, -128]]):
        decider.update(out, 500)
        reporter.decision(hop, s.hop_ms(hop), 500, decider, us=1234, overruns=hop)
        reporter.events(decider, hop, s.hop_ms(hop))
    parsed = [json.loads(x) for x in lines]
    assert all(x.endswith(b"\n") for x in lines)
    assert parsed[0] == {"t": 32, "hop": 0, "rms": 500, "scores": [0, 996, 0], "smoothed": [0, 996, 0],
                         "label": "alarm", "us": 1234, "overruns": 0}
    assert parsed[1] == {"event": "start", "label": "alarm", "t": 32, "hop": 0}
    assert parsed[3] == {"t": 96, "hop": 2, "rms": 500, "scores": [996, 0, 0], "smoothed": [996, 0, 0],
                         "label": "other", "us": 1234, "overruns": 2}
    assert [p.get("event") for p in parsed[4:]] == ["stop", "start"]
    assert parsed[4]["label"] == "alarm" and parsed[5]["label"] == "other"


def test_report_line_writes_negative_and_large_ints():
    out = []
    line = report.Line(40, lambda b: out.append(bytes(b)))
    line.ints([-7, 0, 1234567890, -2147483648])
    line.send()
    assert json.loads(out[0]) == [-7, 0, 1234567890, -2147483648]
    assert len(out[0]) == 40
