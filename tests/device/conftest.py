"""Fixtures: an emulated board (firmware/linux or firmware/rp2040) with the app deployed
by `earshot deploy`, shared by every test of the session."""
import pytest

from earshot.cli import main as earshot
from tests.conftest import ROOT
from tests.device.boards import missing, start

APP_MODEL = ROOT / "tests" / "fixtures" / "app" / "alarm_cnn.tflite"
KINDS = ("linux", "rp2040")


def start_board(kind):
    reason = missing(kind)
    if reason:
        pytest.skip(reason)
    return start(kind)


@pytest.fixture(scope="session", params=KINDS)
def deployed(request):
    """(kind, port) of a booted board holding the app, the modules and APP_MODEL."""
    board = start_board(request.param)
    try:
        assert earshot(["deploy", "--port", board.port, "--model", str(APP_MODEL)]) == 0
        yield request.param, board.port
    finally:
        board.close()
