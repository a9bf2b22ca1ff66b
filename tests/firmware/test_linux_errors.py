"""Bad modules on firmware/linux raise the normal MicroPython exception; the runtime
never crashes on them."""
import random

import pytest

from earshot.emulators.linux import LinuxBoard
from earshot.errors import DeviceError
from earshot.paths import mpy_module
from tests.firmware.linux_board import needs_linux_firmware

pytestmark = needs_linux_firmware


@pytest.fixture(scope="module")
def pcm_x64():
    path = mpy_module("pcm", "x64")
    if path is None:
        pytest.skip("build/mpy/x64/pcm.mpy is not built (make modules)")
    return path.read_bytes()


@pytest.fixture(scope="module")
def board():
    with LinuxBoard() as running:
        yield running


def import_fails(board, name, data, match):
    (board.flash_dir / f"{name}.mpy").write_bytes(data)
    with pytest.raises(DeviceError, match=match):
        board.exec(f"import {name}")
    assert board.alive()


def test_missing_module(board):
    with pytest.raises(DeviceError, match="ImportError: no module named 'not_there'"):
        board.exec("import not_there")


def test_armv6m_mpy_is_the_wrong_arch(board):
    armv6m = mpy_module("pcm", "armv6m")
    if armv6m is None:
        pytest.skip("build/mpy/armv6m/pcm.mpy is not built (make modules)")
    import_fails(board, "pcm_arm", armv6m.read_bytes(), "ValueError: incompatible .mpy arch")


@pytest.mark.parametrize("version, sub_version", [(5, 3), (7, 3), (6, 2), (6, 4)])
def test_other_mpy_abi(board, pcm_x64, version, sub_version):
    data = bytearray(pcm_x64)
    data[1] = version
    data[2] = (data[2] & 0xFC) | sub_version
    import_fails(board, f"pcm_abi_{version}_{sub_version}", bytes(data), "ValueError: incompatible .mpy")


def test_truncated_mpy_at_every_length(board, pcm_x64):
    # one exec for every cut, so the whole file's structure is covered quickly
    lengths = list(range(0, 64)) + list(range(64, len(pcm_x64), 7))
    for n in lengths:
        (board.flash_dir / f"cut{n}.mpy").write_bytes(pcm_x64[:n])
    out = board.exec(
        "res = set()\n"
        f"for n in {lengths}:\n"
        "    try:\n"
        "        __import__('cut%d' % n)\n"
        "        res.add('imported')\n"
        "    except Exception as e:\n"
        "        res.add('%s: %s' % (type(e).__name__, e))\n"
        "print(sorted(res))\n")
    assert out == "['ValueError: truncated .mpy file']\n"
    assert board.alive()


def test_garbage_and_text_named_mpy(board):
    rng = random.Random(5)
    import_fails(board, "garbage", bytes(rng.randrange(256) for _ in range(3000)), "incompatible .mpy file")
    import_fails(board, "text", b"print('I am Python, not .mpy')\n", "incompatible .mpy file")
    import_fails(board, "empty", b"", "incompatible .mpy file|truncated .mpy file")


def test_corrupted_py_is_a_syntax_error(board):
    (board.flash_dir / "broken.py").write_bytes(b"def f(:\n  pass\n")
    with pytest.raises(DeviceError, match="SyntaxError"):
        board.exec("import broken")
    (board.flash_dir / "binary.py").write_bytes(bytes(range(256)))
    with pytest.raises(DeviceError, match="SyntaxError|UnicodeError"):
        board.exec("import binary")
    assert board.exec("print('still here')") == "still here\n"


def test_fault_in_native_code_is_an_exception(board):
    # viper code runs from the same executable memory as a natmod's code
    code = ("import micropython\n"
            "@micropython.viper\n"
            "def peek(address: int) -> int:\n"
            "    return ptr8(address)[0]\n"
            "peek(8)\n")
    with pytest.raises(DeviceError, match=r"RuntimeError: native code crashed \(signal 11\)"):
        board.exec(code)
    assert board.exec("print(peek(id(b'x')) >= 0)") == "True\n"
    assert board.alive()
