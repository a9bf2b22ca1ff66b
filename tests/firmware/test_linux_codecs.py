"""binascii and hashlib.sha256 on firmware/linux, against CPython's on random data."""
import ast
import binascii
import hashlib
import random

import pytest

from earshot.emulators.linux import LinuxBoard
from earshot.errors import DeviceError
from tests.firmware.linux_board import needs_linux_firmware

pytestmark = needs_linux_firmware

RNG = random.Random(9)
# every length around the 55/56/64-byte padding edges of SHA-256, then longer ones
BLOBS = [bytes(RNG.randrange(256) for _ in range(n)) for n in [*range(0, 130), 1000, 4099]]


@pytest.fixture(scope="module")
def board():
    with LinuxBoard() as running:
        (running.flash_dir / "blobs.txt").write_text(repr(BLOBS))
        yield running


def board_list(board, expression):
    return ast.literal_eval(board.exec(f"blobs = eval(open('blobs.txt').read())\nprint([{expression} for b in blobs])"))


def test_sha256_one_update(board):
    assert board_list(board, "__import__('hashlib').sha256(b).digest()") == \
        [hashlib.sha256(b).digest() for b in BLOBS]


def test_sha256_many_updates_and_digest_twice(board):
    out = board.exec("import hashlib\nh = hashlib.sha256()\n"
                     "for b in eval(open('blobs.txt').read()):\n    h.update(b)\n"
                     "print(repr((h.digest(), h.digest())))")
    whole = hashlib.sha256(b"".join(BLOBS)).digest()
    assert ast.literal_eval(out) == (whole, whole)
    with pytest.raises(DeviceError, match="ValueError"):
        board.exec("h.update(b'more')")


def test_hex_and_base64_round_trips(board):
    import_binascii = "__import__('binascii')"
    assert board_list(board, f"{import_binascii}.hexlify(b)") == [binascii.hexlify(b) for b in BLOBS]
    assert board_list(board, f"{import_binascii}.hexlify(b, '-')") == [binascii.hexlify(b, "-") for b in BLOBS]
    assert board_list(board, f"{import_binascii}.b2a_base64(b)") == [binascii.b2a_base64(b) for b in BLOBS]
    assert board_list(board, f"{import_binascii}.b2a_base64(b, newline=False)") == \
        [binascii.b2a_base64(b, newline=False) for b in BLOBS]
    assert board_list(board, f"{import_binascii}.a2b_base64({import_binascii}.b2a_base64(b))") == BLOBS
    assert board_list(board, f"{import_binascii}.unhexlify({import_binascii}.hexlify(b).upper())") == BLOBS
    assert board_list(board, f"{import_binascii}.crc32(b)") == [binascii.crc32(b) for b in BLOBS]
    assert board_list(board, f"{import_binascii}.crc32(b, 12345)") == [binascii.crc32(b, 12345) for b in BLOBS]


@pytest.mark.parametrize("call", ["unhexlify('abc')", "unhexlify('zz')", "a2b_base64(b'abc')", "a2b_base64(b'a')"])
def test_bad_input_raises_value_error(board, call):
    with pytest.raises(ValueError):
        eval(f"binascii.{call}")  # CPython agrees that it is an error
    with pytest.raises(DeviceError, match="ValueError"):
        board.exec(f"import binascii\nbinascii.{call}")
