"""json on firmware/linux, judged against CPython's json in both directions."""
import json
import random

import pytest

from earshot.emulators.linux import LinuxBoard
from earshot.errors import DeviceError
from tests.firmware.linux_board import needs_linux_firmware

pytestmark = needs_linux_firmware


def random_value(rng, depth=0):
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return rng.randrange(-10**12, 10**12)
    if kind == 1:
        return rng.choice([0.5, -1.25e-3, 3.0e20, 12345.678])
    if kind == 2:
        return rng.choice([None, True, False])
    if kind in (3, 4):
        return "".join(rng.choice('ab "\\/\n\t\u00e9\u4e2d') for _ in range(rng.randrange(6)))
    if kind in (5, 6):
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {f"k{i}": random_value(rng, depth + 1) for i in range(rng.randrange(4))}


VALUES = [random_value(random.Random(seed)) for seed in range(40)]


@pytest.fixture(scope="module")
def board():
    with LinuxBoard() as running:
        yield running


def test_board_dumps_cpython_loads(board):
    (board.flash_dir / "values.txt").write_text(repr(VALUES))
    out = board.exec("import json\nfor v in eval(open('values.txt').read()):\n    print(json.dumps(v))")
    assert [json.loads(line) for line in out.splitlines()] == VALUES


def test_cpython_dumps_board_loads(board):
    (board.flash_dir / "values.json").write_text("\n".join(json.dumps(v) for v in VALUES))
    (board.flash_dir / "pretty.json").write_text(json.dumps(VALUES, indent=2))
    out = board.exec("import json\n"
                     "for line in open('values.json'):\n"
                     "    print(repr(json.loads(line)))\n"
                     "print(repr(json.load(open('pretty.json'))))")
    lines = out.splitlines()
    assert [eval(line) for line in lines[:-1]] == VALUES
    assert eval(lines[-1]) == VALUES


@pytest.mark.parametrize("text", ["", "[1,", '{"a" 1}', "tru", "[1 2]", '"abc', "{1: 2}", "1 2", '"\\x"'])
def test_bad_json_raises_value_error(board, text):
    with pytest.raises(DeviceError, match="ValueError: syntax error in JSON"):
        board.exec(f"import json\njson.loads({text!r})")
