"""The listening loop on the boards: no heap allocation across 1,000 hops, one JSON
line per hop, and earshot listen's bars and CSV."""
import csv
import io
import json

import pytest
import soundfile

from earshot.cli import main as earshot
from earshot.data import synth
from earshot.deploy import files
from earshot.deploy.board import Board


@pytest.fixture(scope="module")
def board_with_wav(deployed):
    kind, port = deployed
    audio, _ = synth.alarm_in_noise(1.0, bursts_at=(0.3,), seed=5)
    buf = io.BytesIO()
    soundfile.write(buf, audio, 16000, format="WAV", subtype="PCM_16")
    with Board(port) as board:
        files._write_atomically(board, "/test.wav", buf.getvalue())
    return kind, port


def test_loop_allocates_nothing_in_1000_hops(board_with_wav):
    kind, port = board_with_wav
    if kind != "linux":
        pytest.skip("1,000 hops take minutes under rp2040js; the same loop is checked on firmware/linux")
    with Board(port) as board:
        out = board.exec("from earshot_app import measure\nmeasure.allocation_check(1000)", timeout=300)
    lines = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    summary = lines[-1]
    decisions = [x for x in lines if "scores" in x]
    assert summary["hops"] == 1000 and summary["allocated"] == 0
    assert len(decisions) == 1002  # 2 warm-up hops, then the 1,000 measured
    assert all(d["overruns"] == 0 for d in decisions)


def test_boot_unloads_the_settings_parser(board_with_wav):
    """Boot reads the model's settings, then drops settings.py and minijson.py: the
    running app does not hold the parser's code (about 9 KB of heap)."""
    _, port = board_with_wav
    with Board(port) as board:
        out = board.exec("import sys\nfrom earshot_app import app\na = app.boot()\n"
                         "print(a is not None, sorted(m for m in sys.modules if m.startswith('earshot_app')))")
    booted, modules = out.strip().split(" ", 1)
    assert booted == "True"
    assert "earshot_app.app" in modules
    assert "earshot_app.settings" not in modules and "earshot_app.minijson" not in modules


def test_listen_shows_bars_and_logs_csv(board_with_wav, tmp_path, capsys):
    _, port = board_with_wav
    log = tmp_path / "decisions.csv"
    assert earshot(["listen", "--port", port, "--source", "wav", "--seconds", "0.3", "--csv", str(log)]) == 0
    out = capsys.readouterr().out
    bars = [line for line in out.splitlines() if "->" in line and "background" in line]
    assert len(bars) >= 9
    rows = list(csv.DictReader(log.open()))
    assert len(rows) >= 9
    assert list(rows[0])[:4] == ["t_ms", "hop", "rms", "label"]
    assert [int(r["hop"]) for r in rows] == list(range(len(rows)))
    with Board(port) as board:
        assert board.eval("1 + 1") == 2  # listen left the board at its prompt


def test_hops_over_budget_are_counted_and_reported(board_with_wav):
    kind, port = board_with_wav
    with Board(port) as board:
        out = board.exec("f = open('tight.json', 'w')\nf.write('{\"budget_us\": 1}')\nf.close()\n"
                         "from earshot_app import app\napp.listen('wav', hops=4, config_path='tight.json')\n",
                         timeout=120)
    decisions = [json.loads(x) for x in out.splitlines() if x.startswith("{") and "scores" in x]
    assert [d["overruns"] for d in decisions] == [1, 2, 3, 4]
    assert all(d["us"] > 1 for d in decisions)
