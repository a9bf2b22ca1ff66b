"""The smart lock's decision rules in device/earshot_app/decide.py (energy back-off,
post-processing buffer), judged against the recipe's own integer rules
(earshot.recipes.smart_lock_board.gate, PostBuffer, events): same inputs, same outputs."""
import json

import numpy as np
import pytest

from earshot import pcm
from earshot import settings as host_settings
from earshot.deploy.device_code import module
from earshot.errors import ModelError
from earshot.recipes import smart_lock_board

board_settings = module("settings")
decide = module("decide")

LABELS = ["other", "alarm", "speech"]


def settings_doc(window_samples=16000, hop_samples=512, **decision):
    doc = host_settings.make(labels=LABELS, target="alarm", input_scale=0.01, input_zero_point=-128,
                             output_scale=1 / 256, output_zero_point=-128, activation="softmax",
                             threshold=0.6, smoothing_hops=1, unknown_below=0.4, energy_gate_rms=100,
                             window_samples=window_samples, hop_samples=hop_samples)
    doc["decision"].update(decision)
    return doc


def settings(**kwargs):
    doc = settings_doc(**kwargs)
    host_settings.validate(doc)
    return board_settings.from_metadata(host_settings.to_json(doc).encode())


def bursty_audio(rng, hops, hop):
    """Quiet room with loud bursts of random lengths: the gate opens and closes often."""
    audio = rng.standard_normal(hops * hop) * 20
    for start in rng.integers(0, hops, size=hops // 12):
        audio[start * hop:(start + rng.integers(1, 4)) * hop] *= rng.uniform(3, 40)
    return np.clip(audio, -32768, 32767).astype(np.int16)


@pytest.mark.parametrize("backoff", [1, 2, 5, 15])
def test_energy_backoff_equals_the_recipes_gate(backoff):
    # window_samples == hop_samples: the board's window energy is one window's, as in the recipe
    hop = 384  # a multiple of the spectrogram's column hop; the recipe's is 400
    s = settings(window_samples=hop, hop_samples=hop, energy_backoff_windows=backoff)
    assert s.window_hops == 1 and s.energy_backoff_windows == backoff
    audio = bursty_audio(np.random.default_rng(backoff), 400, hop)
    decider = decide.Decider(s)
    classified = [not decider.gated(pcm.mean_square(audio[k * hop:(k + 1) * hop])) for k in range(400)]
    want = smart_lock_board.gate(smart_lock_board.window_rms(audio, hop), s.energy_gate_rms, backoff)
    assert classified == want.tolist()
    assert True in classified and False in classified


def test_energy_backoff_keeps_a_quiet_stretch_open_then_closes():
    s = settings(window_samples=512, energy_backoff_windows=3)
    decider = decide.Decider(s)
    loud, quiet = 100 * 100, 100 * 100 - 1  # exactly at and just under the gate
    assert [decider.gated(x) for x in (quiet, loud, quiet, quiet, quiet, quiet)] == \
        [True, False, False, False, True, True]
    assert [decider.gated(x) for x in (loud, quiet, loud, quiet, quiet, quiet)] == \
        [False, False, False, False, False, True]  # a loud hop restarts the count


def outputs_for(decision):
    """int8 softmax outputs that make decide's smoothing-free rules give `decision`
    (a class index, len(LABELS) for unknown); None = a gated hop."""
    if decision is None:
        return None
    out = [-128] * len(LABELS)
    if decision < len(LABELS):
        out[decision] = 127  # 996 thousandths: over threshold and unknown_below
    return out  # all zeros: unknown


def expected_label(pushed, decision):
    """The recipe's PostBuffer answer as a board label (no majority: silence on a gated hop)."""
    if pushed is not None:
        return pushed
    return decide.SILENCE if decision is None else decide.UNKNOWN


@pytest.mark.parametrize("size", [1, 2, 4, 5, 7, 10, 32])
def test_post_buffer_equals_the_recipes_majority(size):
    s = settings(post_buffer=size, energy_gate_rms=0)
    n = len(LABELS)
    rng = np.random.default_rng(size)
    # runs of one decision, so that majorities form and break
    decisions = []
    while len(decisions) < 600:
        value = int(rng.integers(0, n + 2))
        decisions += [None if value == n + 1 else value] * int(rng.integers(1, 2 * size + 2))
    decider, reference = decide.Decider(s), smart_lock_board.PostBuffer(size, n)
    got, want, starts = [], [], []
    for decision in decisions:
        label = decider.update(outputs_for(decision))
        assert decider.decision == (decide.SILENCE if decision is None else
                                    decide.UNKNOWN if decision == n else decision)
        got.append(label)
        want.append(expected_label(reference.push(decision), decision))
        if decider.changed() and label >= 0:
            starts.append(label)  # the board's "start" events (report.Reporter.events)
    assert got == want
    assert starts == smart_lock_board.events(decisions, size, n)
    assert {decide.SILENCE, decide.UNKNOWN, 0, 1, 2} <= set(got)


def test_post_buffer_ties_and_non_votes_give_no_label():
    s = settings(post_buffer=4, energy_gate_rms=0)
    decider = decide.Decider(s)
    labels = [decider.update(outputs_for(d)) for d in (1, 1, 2, 2, 2, None, 3, 3, 0)]
    # 2 of 4 is no majority; 3 of 4 is; silence and unknown take places without votes
    assert labels == [decide.UNKNOWN, decide.UNKNOWN, decide.UNKNOWN, decide.UNKNOWN, 2, 2,
                      decide.UNKNOWN, decide.UNKNOWN, decide.UNKNOWN]


def test_without_the_fields_every_decision_is_the_label():
    s = settings()
    assert (s.energy_backoff_windows, s.post_buffer) == (1, 1)
    decider = decide.Decider(s)
    rng = np.random.default_rng(3)
    for _ in range(200):
        label = decider.update(None if rng.random() < 0.2 else rng.integers(-128, 128, size=3).tolist())
        assert label == decider.decision


@pytest.mark.parametrize("field, value, message", [
    ("post_buffer", 0, r"post_buffer must be in 1..32, got 0"),
    ("post_buffer", 33, r"post_buffer must be in 1..32, got 33"),
    ("post_buffer", 2.5, r"post_buffer has the wrong type"),
    ("energy_backoff_windows", 0, r"energy_backoff_windows must be in 1..1073741823, got 0"),
    ("energy_backoff_windows", 2**30, r"energy_backoff_windows must be in 1..1073741823"),
    ("energy_backoff_windows", True, r"energy_backoff_windows has the wrong type"),
])
def test_board_refuses_decision_fields_it_cannot_run(field, value, message):
    blob = json.dumps(settings_doc(**{field: value})).encode()  # unvalidated: as a foreign tool might write
    with pytest.raises(board_settings.SettingsError, match=message):
        board_settings.from_metadata(blob)


def test_host_refuses_a_back_off_the_board_cannot_count():
    with pytest.raises(ModelError, match=r"energy_backoff_windows must be an integer >= 1 and under 2\*\*30"):
        host_settings.validate(settings_doc(energy_backoff_windows=2**30))
