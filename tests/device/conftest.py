"""Fixtures: an emulated board (firmware/linux or firmware/rp2040) with the app deployed
by `earshot deploy`, shared by every test of the session."""
import tempfile

import pytest

from earshot.cli import main as earshot
from tests.conftest import ROOT
from tests.device.boards import EmulatedBoard, missing

APP_MODEL = ROOT / "tests" / "fixtures" / "app" / "alarm_cnn.tflite"
KINDS = ("linux", "rp2040")


def start_board(kind):
    reason = missing(kind)
    if reason:
        pytest.skip(reason)
    flash = tempfile.TemporaryDirectory(prefix="earshot-flash-") if kind == "linux" else None
    board = EmulatedBoard(kind, flash.name if flash else None)
    board.flash = flash
    return board


def stop_board(board):
    board.close()
    if board.flash is not None:
        board.flash.cleanup()


@pytest.fixture(scope="session", params=KINDS)
def deployed(request):
    """(kind, port) of a booted board holding the app, the modules and APP_MODEL."""
    board = start_board(request.param)
    try:
        assert earshot(["deploy", "--port", board.port, "--model", str(APP_MODEL)]) == 0
        yield request.param, board.port
    finally:
        stop_board(board)
