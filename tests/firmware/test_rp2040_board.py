"""The emulated board through Rp2040Board: boot, heap, clocks, errors, files in flash."""
import pytest

from earshot.emulators.rp2040 import CLOCK_HZ, FIRMWARE, Rp2040Board
from earshot.errors import DeviceError

pytestmark = pytest.mark.skipif(not FIRMWARE.exists(), reason="RP2040 firmware not built: run 'make firmware'")


@pytest.fixture(scope="module")
def board():
    with Rp2040Board(cycles_limit=2_000_000_000) as b:
        yield b


def test_boot_reaches_the_repl(board):
    assert 0 < board.boot_cycles < 1_000_000


def test_heap_after_boot_is_at_least_180_kb(board):
    assert board.mem_free() >= 180 * 1024


def test_identifies_as_the_emulated_board(board):
    assert board.eval("__import__('sys').implementation._machine") == \
        "earshot-emu RP2040 with RP2040 (rp2040js emulator)"
    assert board.eval("__import__('os').uname().sysname") == "rp2"


def test_cycle_counter_runs_with_the_timer(board):
    # Both come from the emulated 125 MHz clock: busy code advances them together
    # (rp2040js's clock runs about 0.2% ahead of its cycle count).
    elapsed = board.eval(
        "(lambda m, t: (lambda c0, u0: [sum(range(3000)), m.cycles() - c0, t.ticks_diff(t.ticks_us(), u0)])"
        "(m.cycles(), t.ticks_us()))(__import__('machine'), __import__('time'))")
    _, cycles, micros = elapsed
    assert cycles > 0
    assert abs(cycles / (CLOCK_HZ / 1e6) - micros) <= 2 + micros * 0.01


def test_sleep_advances_emulated_time(board):
    waited = board.eval("(lambda t: (lambda u0: t.sleep_ms(20) or t.ticks_diff(t.ticks_ms(), u0))"
                        "(t.ticks_ms()))(__import__('time'))")
    assert 20 <= waited <= 21


def test_cycles_helper_measures_a_statement(board):
    assert board.cycles("pass") == 0  # the counter's own cost is taken out exactly
    work = [board.cycles("sum(_r)", setup="_r = range(200)") for _ in range(2)]
    assert work[0] == work[1] > 200 * 10  # deterministic, and no instruction is free
    assert 2 * work[0] < board.cycles("for i in range(3):\n    sum(_r)") < 4 * work[0]


def test_exception_becomes_device_error(board):
    with pytest.raises(DeviceError, match="ZeroDivisionError"):
        board.exec("1 / 0")
    assert board.eval("6 * 7") == 42  # the board is still usable


def test_files_survive_soft_reset(board):
    board.exec("with open('keep.txt', 'w') as f:\n    f.write('kept')")
    board.soft_reset()
    assert board.eval("open('keep.txt').read()") == "kept"
    assert board.eval("'x' in dir()") is False  # the interpreter itself did restart


def test_file_spanning_blocks_reads_back(board):
    board.exec("data = bytes(i * 7 % 251 for i in range(10000))\n"
               "with open('big.bin', 'wb') as f:\n    f.write(data[:3000]); f.write(data[3000:])")
    assert board.eval("open('big.bin', 'rb').read() == data") is True
    assert board.eval("__import__('os').stat('big.bin')[6]") == 10000


def test_append_and_seek(board):
    board.exec("with open('log.txt', 'w') as f:\n    f.write('abc')\n"
               "with open('log.txt', 'a') as f:\n    f.write('def')")
    assert board.eval("open('log.txt').read()") == "abcdef"
    assert board.eval("(lambda f: f.seek(4) and f.read(2))(open('log.txt', 'rb'))") == b"ef"


def test_directories_and_renames(board):
    board.exec("import os\nos.mkdir('d')\nopen('d/a.py', 'w').close()\nos.rename('d/a.py', 'd/b.py')")
    assert board.eval("sorted(os.listdir('d'))") == ["b.py"]
    with pytest.raises(DeviceError, match=r"OSError: (\[Errno )?39"):
        board.exec("os.rmdir('d')")
    board.exec("os.remove('d/b.py'); os.rmdir('d')")
    assert "d" not in board.eval("os.listdir()")


@pytest.mark.parametrize("code,errno_name", [
    ("open('missing.txt')", "ENOENT"),
    ("os.mkdir('twice'); os.mkdir('twice')", "EEXIST"),
    ("os.mkdir('adir2'); open('adir2')", "EISDIR"),
])
def test_file_errors_name_the_cause(board, code, errno_name):
    with pytest.raises(DeviceError, match=errno_name):
        board.exec("import os\n" + code)


def test_statvfs_counts_free_blocks(board):
    before = board.eval("__import__('os').statvfs('/')[3]")
    board.exec("with open('fill.bin', 'wb') as f:\n    f.write(bytes(4096 * 3))")
    assert board.eval("__import__('os').statvfs('/')[3]") == before - 3
    board.exec("__import__('os').remove('fill.bin')")
    assert board.eval("__import__('os').statvfs('/')[3]") == before


def test_runaway_code_is_stopped_by_the_cycle_limit():
    with Rp2040Board(cycles_limit=30_000_000) as short_lived:
        with pytest.raises(DeviceError, match="stopped: cycle limit reached"):
            short_lived.exec("while True:\n    pass", timeout=60)
    assert short_lived.total_cycles > 30_000_000


def test_ctrl_c_interrupts_running_code(board):
    from earshot.deploy.board import Board

    repl = Board(board.port, soft_reset=False)
    try:
        repl.start("n = 0\nwhile True:\n    n += 1")
        repl.read(1, timeout=0.5)  # let it spin for a while
        repl.write(b"\x03")
        with pytest.raises(DeviceError, match="KeyboardInterrupt"):
            repl.finish(timeout=30)
    finally:
        repl.close()
    assert board.eval("n") > 0


def test_full_store_raises_enospc_and_recovers(board):
    board.exec("import os\n_chunk = bytes(65536)\n_f = open('huge.bin', 'wb')")
    with pytest.raises(DeviceError, match=r"OSError: (\[Errno )?28"):  # ENOSPC
        board.exec("for _ in range(20):\n    _f.write(_chunk)")
    board.exec("_f.close()\nos.remove('huge.bin')\ndel _chunk, _f")
    board.exec("with open('after.txt', 'w') as f:\n    f.write('ok')")
    assert board.eval("open('after.txt').read()") == "ok"


def test_removing_an_open_file_leaves_its_handle_failing_cleanly(board):
    board.exec("import os\n_f = open('gone.txt', 'w')\n_f.write('x')\nos.remove('gone.txt')\n"
               "with open('other.txt', 'w') as g:\n    g.write('intact')")
    with pytest.raises(DeviceError, match="OSError"):
        board.exec("_f.write('more'); _f.flush()")
    board.exec("try:\n    _f.close()\nexcept OSError:\n    pass\ndel _f")
    assert board.eval("open('other.txt').read()") == "intact"
    assert "gone.txt" not in board.eval("os.listdir()")
