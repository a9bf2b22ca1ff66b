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
    got = [decider.update(out if r >= s.energy_gate_rms else None) for out, r in zip(outputs, rms)]
    want = reference_labels(outputs, rms, s)
    assert got == want
    assert {-2, -1, 0, 1, 2} <= set(got)


def test_sigmoid_output_gives_both_labels_scores():
    s = settings(labels=["other", "alarm"], activation="sigmoid", smoothing_hops=1, energy_gate_rms=0)
    decider = decide.Decider(s)
    assert decider.update([127]) == 1
    assert list(decider.scores) == [4, 996]
    assert decider.update([-128]) == 0
    assert list(decider.scores) == [1000, 0]


def test_bytes_view_of_int8_outputs_reads_signed():
    s = settings(smoothing_hops=1, energy_gate_rms=0)
    a, b = decide.Decider(s), decide.Decider(s)
    a.update([-1, 5, -128])
    b.update(bytes([255, 5, 128]))
    assert list(a.scores) == list(b.scores)


def test_report_lines_are_json_and_events_bracket_labels():
    s = settings(smoothing_hops=1, energy_gate_rms=0)
    lines = []
    reporter = report.Reporter(s.labels, lambda b: lines.append(bytes(b)))
    decider = decide.Decider(s)
    for hop, out in enumerate([[-128, 127, -128], [-128, 127, -128], [127, -128, -128]]):
        decider.update(out)
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


def reference_window_gate(audio, s):
    """Per hop: gated? From the whole window's samples, with exact integers in numpy."""
    hop, h = s.hop_samples, (s.window_samples + s.hop_samples - 1) // s.hop_samples
    blocks = np.asarray(audio, dtype=np.int64)[:len(audio) // hop * hop].reshape(-1, hop)
    ms = (blocks * blocks).sum(axis=1) // hop
    terms = np.concatenate([np.zeros(h - 1, dtype=np.int64), np.minimum(ms, 2**30 - 1) // h])
    window_ms = np.array([terms[k:k + h].sum() for k in range(len(blocks))])
    return [int(np.sqrt(float(w))) < s.energy_gate_rms if w < 2**52 else False for w in window_ms]


def beeps_with_gaps(seconds, beep=0.5, gap=1.0, amplitude=8000):
    """A smoke alarm's pattern: 3 kHz beeps separated by digital silence (exact zeros)."""
    t = np.arange(int(seconds * 16000)) / 16000
    on = (t % (beep + gap)) < beep
    return (amplitude * np.sin(2 * np.pi * 3000 * t) * on).astype(np.int16)


def run_gate(audio, s):
    from earshot import pcm

    decider = decide.Decider(s)
    hop = s.hop_samples
    return [decider.gated(pcm.mean_square(audio[k * hop:(k + 1) * hop])) for k in range(len(audio) // hop)]


def test_energy_gate_spans_the_whole_window():
    s = settings(energy_gate_rms=100)
    assert s.window_hops == 32  # ceil(16000 / 512)
    silence = np.zeros(16000 * 3, dtype=np.int16)
    assert all(run_gate(silence, s))
    alarm = beeps_with_gaps(6.0)
    gated = run_gate(alarm, s)
    gaps = [k for k in range(len(gated)) if not alarm[k * 512:(k + 1) * 512].any()]
    assert len(gaps) > 60  # many hops are digital silence ...
    assert not any(gated)  # ... but the window always holds a beep
    rng = np.random.default_rng(1)
    mixed = np.concatenate([silence, alarm, silence, (rng.standard_normal(16000 * 2) * 60).astype(np.int16)])
    got = run_gate(mixed, s)
    assert got == reference_window_gate(mixed, s)
    assert True in got and False in got


def test_energy_gate_is_exact_at_the_threshold_and_off_at_zero():
    s = settings(energy_gate_rms=100, window_samples=16000)
    h = s.window_hops
    decider = decide.Decider(s)
    steady = 100 * 100 + h - 1  # each hop's term: 10031 // 32 = 313
    for _ in range(h - 1):
        assert decider.gated(steady)  # hops before the first count as silence
    assert not decider.gated(steady)  # window_ms = 32 * 313 = 10016 >= 100**2
    assert decider.gated(0)  # one silent hop: 31 * 313 = 9703 < 100**2
    assert not decide.Decider(settings(energy_gate_rms=0)).gated(0)
    loud = decide.Decider(s)
    assert not loud.gated(2**30)  # full scale: the term stays a small int
    assert loud.window_ms == (2**30 - 1) // h
