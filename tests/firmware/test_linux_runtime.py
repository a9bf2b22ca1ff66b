"""firmware/linux as a program and as a board: command line, REPL on stdin, boot and
soft reset, Ctrl-C, and the built-in modules device code relies on."""
import ast
import os
import select
import subprocess
import time

import pytest

from earshot.emulators.linux import BINARY, LinuxBoard
from earshot.errors import DeviceError
from tests.firmware.linux_board import needs_linux_firmware, run_script

pytestmark = needs_linux_firmware


def run(*args, stdin=b"", timeout=30):
    done = subprocess.run([str(BINARY), *args], input=stdin, capture_output=True, timeout=timeout)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


@pytest.mark.parametrize("code, status, output", [
    ("print('fine')", 0, "fine\n"),
    ("import sys\nsys.exit(3)", 3, ""),
    ("raise ValueError('bad thing')", 1, "ValueError: bad thing"),
])
def test_script_exit_status(tmp_path, code, status, output):
    (tmp_path / "s.py").write_text(code)
    done = run_script(tmp_path, tmp_path / "s.py")
    assert done.returncode == status
    assert output in done.stdout


def test_inline_code_and_default_flash_is_cwd(tmp_path):
    (tmp_path / "here.py").write_text("WHERE = 'flash'\n")
    done = subprocess.run([str(BINARY), "-c", "import here, os; print(here.WHERE, os.listdir())"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.stdout == "flash ['here.py']\n"


@pytest.mark.parametrize("args, message", [
    (["--flash", "/no/such/dir", "-c", "1"], "--flash /no/such/dir is not a directory"),
    (["--heap", "100", "-c", "1"], "--heap must be at least"),
    (["--frobnicate"], "usage: micropython"),
    (["missing_script.py"], "missing_script.py: No such file"),
])
def test_bad_command_line(tmp_path, args, message):
    status, out, err = run(*args)
    assert status == 2
    assert message in err


def test_repl_on_piped_stdin_runs_main_py_and_ends_at_eof(tmp_path):
    (tmp_path / "main.py").write_text("print('main.py ran')\n")
    status, out, _ = run("--flash", str(tmp_path), stdin=b"x = 6 * 7\nprint(x)\n\x04print('again', 'x' in globals())\n")
    assert status == 0
    assert out.count("main.py ran") == 2  # at boot and after the Ctrl-D soft reset
    assert "42\r\n" in out
    assert "MPY: soft reboot" in out and "again False" in out


@pytest.fixture(scope="module")
def board():
    with LinuxBoard() as running:
        yield running


def test_boot_py_runs_at_every_soft_reset(board):
    (board.flash_dir / "boot.py").write_text("open('boot.log', 'a').write('boot\\n')\n")
    board.soft_reset()
    board.soft_reset()
    board.exec("import machine\nmachine.reset()")
    assert board.exec("print(open('boot.log').read().count('boot'))") == "3\n"
    (board.flash_dir / "boot.py").unlink()


def test_ctrl_c_interrupts_a_loop_and_a_sleep(board):
    with pytest.raises(DeviceError, match="did not finish within 1 s"):
        board.exec("while True:\n    pass", timeout=1)
    with pytest.raises(DeviceError, match="did not finish within 1 s"):
        board.exec("import time\ntime.sleep(60)", timeout=1)
    assert board.exec("print('responsive')") == "responsive\n"


def test_ctrl_c_interrupts_native_code(board):
    spin = ("import micropython\n"
            "@micropython.viper\n"
            "def spin() -> int:\n"
            "    n = 0\n"
            "    while True:\n"
            "        n += 1\n"
            "    return n\n")
    with pytest.raises(DeviceError, match="did not finish within 1 s"):
        board.exec(spin + "spin()", timeout=1)
    assert board.exec("print('responsive')") == "responsive\n"


TICKS_PERIOD = 2 ** 62  # small ints on a 64-bit port


@pytest.mark.parametrize("start, delta", [(0, 5), (TICKS_PERIOD - 3, 10), (5, -10), (1000, 2 ** 61 - 1)])
def test_ticks_wrap_like_a_board(board, start, delta):
    out = board.exec(f"import time\nt = time.ticks_add({start}, {delta})\nprint(t, time.ticks_diff(t, {start}))")
    assert out.split() == [str((start + delta) % TICKS_PERIOD), str(delta)]


def test_time_is_the_host_clock(board):
    board_time = int(board.exec("import time\nprint(time.time())"))
    assert abs(board_time - time.time()) < 60
    ticks = ast.literal_eval(board.exec(
        "import time\na = time.ticks_ms(); time.sleep_ms(30); b = time.ticks_ms()\n"
        "c = time.ticks_us(); time.sleep_us(200); d = time.ticks_us()\n"
        "print((time.ticks_diff(b, a) >= 30, time.ticks_diff(d, c) >= 200))"))
    assert ticks == (True, True)


BUILTINS = """
import array, errno, gc, io, math, micropython, struct, sys, select, collections
print(struct.pack('<hI', -2, 7), struct.unpack('<f', struct.pack('<f', 1.5)))
a = array.array('h', [1, -2, 3])
print(list(a), bytes(a), bytes(array.array('d', [0.5])))
print(errno.ENOENT, errno.EEXIST)
print(sys.implementation.name, sys.byteorder, sys.maxsize == 2**63 - 1)
print(hasattr(sys.stdin, 'buffer'), hasattr(sys.stdout, 'buffer'))
print('%.12f' % math.sqrt(2.0), 2 ** 100, 10 ** 20 // 7, -7 // 2, 7.5 % 2)
b = io.BytesIO(); b.write(b'xy'); print(b.getvalue())
print(micropython.const(5), list(collections.OrderedDict([(2, 1), (1, 2)]).items()))
"""


def test_builtin_modules_agree_with_cpython(board, tmp_path):
    board_out = board.exec(BUILTINS)
    host_code = (BUILTINS.replace("micropython.const(5)", "5").replace(" micropython,", "")
                 .replace("sys.implementation.name", "'micropython'"))
    host = subprocess.run(["python3", "-c", host_code], capture_output=True, text=True)
    assert board_out.splitlines() == host.stdout.splitlines()


def test_heap_size_and_garbage_collection(tmp_path):
    with LinuxBoard(heap_size=256 * 1024) as small:
        total = int(small.exec("import gc\ngc.collect()\nprint(gc.mem_free() + gc.mem_alloc())"))
        assert 200 * 1024 < total <= 256 * 1024
        grown = ast.literal_eval(small.exec(
            "gc.collect(); before = gc.mem_alloc()\n"
            "for i in range(200):\n"
            "    junk = bytearray(10000)\n"  # 2 MB through a 256 KB heap
            "del junk\ngc.collect()\nprint((before, gc.mem_alloc()))"))
        assert grown[1] - grown[0] < 2048
        with pytest.raises(DeviceError, match="MemoryError"):
            small.exec("x = bytearray(1024 * 1024)")


def pty_conversation(port):
    from earshot.emulators import _RawRepl  # the byte-level pty reader the boards share
    return _RawRepl(port)


def test_friendly_repl_and_paste_mode_on_the_pty(board):
    talk = pty_conversation(board.port)
    try:
        talk.write(b"\r\x02")  # Ctrl-B: friendly REPL
        talk.read_until(b">>> ", 5)
        talk.write(b"6 * 7\r")
        assert talk.read_until(b">>> ", 5).endswith(b"42\r\n")
        talk.write(b"\x05")  # Ctrl-E: paste mode
        talk.read_until(b"=== ", 5)
        talk.write(b"a = 2\rfor i in range(3):\r    a *= 10\rprint(a)\r\x04")
        assert talk.read_until(b">>> ", 5).endswith(b"2000\r\n")
    finally:
        talk.write(b"\x01")  # back to the raw REPL for the other tests
        talk.read_until(b"raw REPL; CTRL-B to exit\r\n>", 5)
        os.close(talk.fd)


def read_exact(talk, n, timeout=5):
    deadline = time.monotonic() + timeout
    while len(talk.pending) < n:
        assert time.monotonic() < deadline, f"board sent {bytes(talk.pending)!r}, wanted {n} bytes"
        if select.select([talk.fd], [], [], 0.1)[0]:
            talk.pending += os.read(talk.fd, 4096)
    data = bytes(talk.pending[:n])
    del talk.pending[:n]
    return data


def test_raw_paste_mode_with_flow_control(board):
    talk = pty_conversation(board.port)
    try:
        talk.enter()
        talk.write(b"\x05A\x01")
        talk.read_until(b"R\x01", 5)  # raw-paste supported
        window = int.from_bytes(read_exact(talk, 2), "little")
        code = b"total = 0\n" + b"total += 1\n" * 400 + b"print('total', total)\n"
        assert window < len(code)  # the host must wait for the board to ask for more
        credit, windows = window, 0
        for byte in code:
            if credit == 0:
                assert read_exact(talk, 1) == b"\x01"
                credit, windows = window, windows + 1
            talk.write(bytes([byte]))
            credit -= 1
        talk.write(b"\x04")
        out = talk.read_until(b"\x04>", 10)
        assert b"total 400\r\n" in out and windows >= len(code) // window - 1
    finally:
        os.close(talk.fd)


def test_calendar_time_agrees_with_cpython(board):
    import calendar
    import random
    rng = random.Random(3)
    stamps = [946684800, 951782400, 4102444799] + [rng.randrange(946684800, 4102444800) for _ in range(200)]
    fields = [(rng.randrange(2000, 2100), rng.randrange(1, 13), rng.randrange(1, 40), rng.randrange(0, 30),
               rng.randrange(0, 70), rng.randrange(0, 70)) for _ in range(200)]
    out = board.exec(f"import time\nprint([time.gmtime(t) for t in {stamps}])\n"
                     f"print([time.mktime(f) for f in {fields}])")
    gmtimes, mktimes = (ast.literal_eval(line) for line in out.splitlines())
    assert gmtimes == [tuple(time.gmtime(t))[:8] for t in stamps]
    assert mktimes == [calendar.timegm(f) for f in fields]
    with pytest.raises(DeviceError, match="OverflowError: time before 2000-01-01"):
        board.exec("time.gmtime(0)")
