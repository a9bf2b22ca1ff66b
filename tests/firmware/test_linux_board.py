"""LinuxBoard, the helper tests use to drive firmware/linux (and the Board API that
Rp2040Board shares)."""
import os
import select
import time

import pytest

from earshot.emulators.linux import LinuxBoard
from earshot.errors import DeviceError
from tests.firmware.linux_board import mpremote, needs_linux_firmware

pytestmark = needs_linux_firmware


def test_temporary_flash_is_removed_and_process_stopped():
    with LinuxBoard() as board:
        flash, process = board.flash_dir, board.process
        assert flash.is_dir() and board.port.startswith("/dev/pts/")
        assert board.alive()
    assert not flash.exists()
    assert process.poll() is not None


def test_given_flash_directory_is_kept(tmp_path):
    (tmp_path / "boot.py").write_text("BOOTED = True\n")
    with LinuxBoard(flash_dir=tmp_path) as board:
        assert board.exec("print(BOOTED)") == "True\n"
        board.write_file("made.bin", bytes(range(256)) * 9)
    assert (tmp_path / "made.bin").read_bytes() == bytes(range(256)) * 9


def test_exec_eval_and_files_through_the_repl():
    with LinuxBoard() as board:
        assert board.exec("for i in range(3):\n    print(i)") == "0\n1\n2\n"
        assert board.eval("{'a': [1, 2.5, b'x']}") == {"a": [1, 2.5, b"x"]}
        data = os.urandom(5000)
        board.write_file("blob", data)
        assert board.read_file("blob") == data
        with pytest.raises(DeviceError, match=r"(?s)on the board:.*Traceback.*KeyError: nope"):
            board.exec("{}['nope']")


def test_mpremote_and_exec_share_the_port():
    with LinuxBoard() as board:
        board.exec("shared = 41")
        assert mpremote(board.port, "resume", "exec", "print(shared + 1)") == "42\n"
        assert board.exec("print(shared)") == "41\n"


def test_missing_binary_is_a_clear_error(tmp_path):
    with pytest.raises(DeviceError, match="is missing") as raised:
        with LinuxBoard(binary=tmp_path / "micropython"):
            pass
    assert raised.value.hint == "run 'make firmware'"


def test_exec_on_a_stopped_board_is_a_clear_error():
    board = LinuxBoard()
    with pytest.raises(DeviceError, match="not running"):
        board.exec("print(1)")


def test_a_runtime_that_never_answers_is_stopped(tmp_path):
    fake = tmp_path / "micropython"
    fake.write_text("#!/bin/sh\necho 'pty: /dev/null'\nexec sleep 60\n")  # a port that is no terminal
    fake.chmod(0o755)
    board = LinuxBoard(binary=fake)
    with pytest.raises(DeviceError, match="cannot use /dev/null as a serial port"):
        with board:
            pass
    assert board.process is None  # stopped, not left running


def test_a_slow_reader_loses_no_output():
    # The pty fills while the reader pauses; the firmware's wait for room must survive
    # its own 100 ms timer signal (poll() is not restarted after a signal).
    from earshot.emulators import _RawRepl

    lines = 6000
    with LinuxBoard() as board, _RawRepl(board.port) as repl:
        repl.write(f"for i in range({lines}):\n    print('line %06d' % i + '.' * 40)\n".encode() + b"\x04")
        repl.read_until(b"OK", 10)
        time.sleep(1.0)  # well past several ticks with the pty full
        out = bytearray(repl.pending)  # what came in with the OK
        while b"\x04" not in out:
            assert select.select([repl.fd], [], [], 30)[0], "the board went quiet"
            out += os.read(repl.fd, 512)
            time.sleep(0.001)
    text = bytes(out[:out.index(b"\x04")]).decode()
    assert text.splitlines() == ["line %06d" % i + "." * 40 for i in range(lines)]
