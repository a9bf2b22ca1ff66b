"""The demo's last leg: the tiny demo model deployed to the emulated RP2040 and replayed."""
import json

import pytest
from trainer_helpers import tiny_demo

from earshot.commands.demo import run_on_board
from earshot.recipes import board_demo
from tests.conftest import BUILD

pytestmark = pytest.mark.skipif(not (BUILD / "firmware" / "rp2040" / "firmware.elf").exists(),
                                reason="firmware/rp2040 is not built (make firmware)")


def test_board_decisions_equal_the_host_and_land_in_the_run_folder(capsys):
    _, out = tiny_demo()
    assert run_on_board(out) == 0
    board = json.loads((out / "metrics.json").read_text())["board"]
    assert board["identical"] and board["differences"] == 0
    assert board["hops"] == int(board_demo.SCENE_SECONDS * 16000) // 512
    assert [round(a, 1) for a, _ in board["bursts"]] == list(board_demo.BURSTS_AT)
    assert "## On the emulated RP2040" in (out / "report.md").read_text()
    replay_text = (out / "board_replay.txt").read_text()
    assert f"{board['hops']} hops from the board, {board['hops']} from the host: identical" in replay_text
    assert "decisions identical" in capsys.readouterr().out


def test_summary_reports_a_disagreement():
    board = {"scene": "/x/scene.wav", "bursts": [(1.5, 4.0)], "hops": 10, "identical": False,
             "differences": 3, "alarm_starts": [], "alarm_stops": []}
    text = "\n".join(board_demo.summary_lines(board))
    assert "3 hops DIFFER" in text and "raised fire_alarm at none" in text
