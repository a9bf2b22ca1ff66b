"""earshot deploy and the app's boot checks on both emulated boards."""
import json

import pytest

from earshot.cli import main as earshot
from earshot.deploy import files
from earshot.deploy.board import Board
from earshot.errors import DeviceError
from tests.device.conftest import APP_MODEL


def board_json_lines(port, code):
    with Board(port) as board:
        out = board.exec(code, timeout=60)
        assert board.eval("1 + 1") == 2  # back at the prompt: no crash, no reset loop
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_second_deploy_copies_nothing(deployed, capsys):
    _, port = deployed
    assert earshot(["deploy", "--port", port, "--model", str(APP_MODEL)]) == 0
    out = capsys.readouterr().out
    assert "deployed: 0 copied, " in out


def test_cut_off_model_deploy_leaves_the_old_model(deployed, monkeypatch, tmp_path):
    _, port = deployed
    new_model = tmp_path / "model.tflite"
    data = bytearray(APP_MODEL.read_bytes())
    data[-1] ^= 1  # same settings, other bytes
    new_model.write_bytes(bytes(data))
    real_exec = Board.exec

    def link_drops_at_rename(self, code, timeout=30):
        if "os.rename('/model.tflite.new'" in code:
            raise DeviceError("link lost")
        return real_exec(self, code, timeout)

    monkeypatch.setattr(Board, "exec", link_drops_at_rename)
    assert earshot(["deploy", "--port", port, "--model", str(new_model)]) == 1
    monkeypatch.undo()
    with Board(port) as board:
        assert bytes(board.transport.fs_readfile(files.MODEL_PATH, chunk_size=2048)) == APP_MODEL.read_bytes()
        assert board.transport.fs_stat(files.MODEL_PATH + ".new").st_size == len(data)


def test_missing_model_is_refused_with_blink_code_4(deployed):
    _, port = deployed
    lines = board_json_lines(port, "from earshot_app import app\n"
                                   "import os\nos.rename('model.tflite', 'keep.tflite')\n"
                                   "try:\n app.listen('wav', hops=1)\n"
                                   "finally:\n os.rename('keep.tflite', 'model.tflite')\n")
    assert lines == [{"error": "no model.tflite on the board: run earshot deploy --model <file>", "code": 4}]


def test_missing_native_module_is_refused_with_blink_code_3(deployed):
    _, port = deployed
    lines = board_json_lines(port, "import os\nos.rename('interp.mpy', 'keep.mpy')\n"
                                   "from earshot_app import app\n"
                                   "try:\n app.listen('wav', hops=1)\n"
                                   "finally:\n os.rename('keep.mpy', 'interp.mpy')\n")
    assert len(lines) == 1 and lines[0]["code"] == 3
    assert lines[0]["error"].startswith("native module interp cannot be imported")


def test_broken_config_is_refused_with_blink_code_2(deployed):
    _, port = deployed
    lines = board_json_lines(port, "f = open('bad.json', 'w')\nf.write('{\"board\": ')\nf.close()\n"
                                   "from earshot_app import app\napp.listen('wav', hops=1, config_path='bad.json')\n")
    assert len(lines) == 1 and lines[0]["code"] == 2
    assert lines[0]["error"].startswith("bad.json is not valid JSON")


def test_unknown_board_profile_is_refused(deployed):
    _, port = deployed
    lines = board_json_lines(port, "f = open('bad.json', 'w')\nf.write('{\"board\": \"esp32\"}')\nf.close()\n"
                                   "from earshot_app import app\napp.listen('wav', hops=1, config_path='bad.json')\n")
    assert lines == [{"error": "bad.json: board 'esp32' has no entry in profiles", "code": 2}]


def test_deploy_to_nothing_fails_cleanly(tmp_path, capsys):
    assert earshot(["deploy", "--port", str(tmp_path / "ttyNONE"), "--no-model"]) == 1
    assert "cannot open" in capsys.readouterr().err


def board_model_lines(port, name, data):
    with Board(port) as board:
        files._write_atomically(board, "/" + name, data)
    code = (f"f = open('alt.json', 'w')\nf.write('{{\"model\": \"{name}\"}}')\nf.close()\n"
            "from earshot_app import app\napp.listen('wav', hops=1, config_path='alt.json')\n")
    return board_json_lines(port, code)


def test_model_with_unknown_schema_is_refused_with_blink_code_5(deployed):
    from earshot import settings

    _, port = deployed
    model = APP_MODEL.read_bytes()
    doc = settings.read(model)
    doc["schema"] = 2
    future = settings._embed_text(model, json.dumps(doc))
    lines = board_model_lines(port, "future.tflite", future)
    assert lines == [{"error": "future.tflite: model settings schema 2 is not understood "
                               "(this app reads schema 1)", "code": 5}]


def test_corrupt_model_is_refused_with_blink_code_4(deployed):
    _, port = deployed
    lines = board_model_lines(port, "junk.tflite", b"\x00" * 64)
    assert len(lines) == 1 and lines[0]["code"] == 4
    assert lines[0]["error"].startswith("junk.tflite cannot be loaded")
