"""run.mjs in script mode: exit status, messages, cycle limit, bad input never hangs."""
import subprocess

import pytest

from earshot.emulators.rp2040 import FIRMWARE, runner_command
from tests.conftest import BUILD

PCM_MPY = BUILD / "mpy" / "armv6m" / "pcm.mpy"
WALL_TIMEOUT = 120  # a safety net for the test itself; the cycle limit should fire first

pytestmark = pytest.mark.skipif(not FIRMWARE.exists(), reason="RP2040 firmware not built: run 'make firmware'")


def run_script(tmp_path, source, *options):
    script = tmp_path / "script.py"
    script.write_text(source)
    return subprocess.run(runner_command(*options, "--script", script), capture_output=True, text=True,
                          timeout=WALL_TIMEOUT)


def writes_mpy(data):
    """Script text that stores `data` as pcm.mpy in the board's flash, then imports it."""
    return f"f = open('pcm.mpy', 'wb')\nf.write({data!r})\nf.close()\nimport pcm\nprint(pcm.rms(bytes(64)))\n"


def test_script_output_and_cycle_total(tmp_path):
    done = run_script(tmp_path, "import sys\nprint(sys.implementation._machine)\nprint(1/3, 2**100)\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "earshot-emu RP2040 with RP2040 (rp2040js emulator)",
        "0.3333333 1267650600228229401496703205376",  # single-precision floats, mpz ints
    ]
    assert "cycles (" in done.stderr and "at 125 MHz" in done.stderr


def test_division_by_zero_exits_nonzero(tmp_path):
    done = run_script(tmp_path, "print('before')\nx = 1 // 0\n")
    assert done.returncode == 1
    assert done.stdout == "before\n"
    assert "ZeroDivisionError: divide by zero" in done.stderr


def test_big_allocation_raises_memory_error(tmp_path):
    done = run_script(tmp_path, "buf = bytearray(1_000_000)\n")
    assert done.returncode == 1
    assert "MemoryError: memory allocation failed, allocating 1000000 bytes" in done.stderr


def test_infinite_loop_stopped_by_cycle_limit(tmp_path):
    done = run_script(tmp_path, "while True:\n    pass\n", "--cycles-limit", "3000000")
    assert done.returncode == 4
    assert "cycle limit reached: stopped after" in done.stderr


@pytest.mark.parametrize("name,corrupt,message", [
    ("wrong arch", lambda d: d[:2] + b"\x0b" + d[3:], "ValueError: incompatible .mpy arch"),
    ("not an mpy", lambda d: bytes(range(256)) * 4, "ValueError: incompatible .mpy file"),
    ("empty", lambda d: b"", "ValueError: truncated .mpy file"),
    ("truncated", lambda d: d[:len(d) // 2], "ValueError: truncated .mpy file"),
])
def test_corrupted_mpy_is_refused(tmp_path, name, corrupt, message):
    done = run_script(tmp_path, writes_mpy(corrupt(PCM_MPY.read_bytes())), "--cycles-limit", "50000000")
    assert done.returncode == 1, done.stderr
    assert message in done.stderr


def test_mpy_with_flipped_code_ends_with_a_clear_message(tmp_path):
    # Flipped machine code runs wild until it touches what a chip would fault on
    # (or, failing that, until the cycle limit).
    data = PCM_MPY.read_bytes()
    flipped = data[:200] + bytes(b ^ 0xFF for b in data[200:400]) + data[400:]
    done = run_script(tmp_path, writes_mpy(flipped), "--cycles-limit", "20000000")
    assert done.returncode in (1, 3, 4), done.stderr
    assert any(clue in done.stderr for clue in ("Error:", "firmware fault:", "cycle limit reached"))


def test_stdio_repl_takes_piped_lines():
    done = subprocess.run(runner_command("--quiet"), input="print(6 * 7)\n", capture_output=True, text=True,
                          timeout=WALL_TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert "earshot-emu RP2040" in done.stdout and "\n42\n>>> " in done.stdout


def test_missing_firmware_is_a_usage_error(tmp_path):
    done = run_script(tmp_path, "print(1)\n", "--firmware", tmp_path / "nope.elf")
    assert done.returncode == 2
    assert "cannot read firmware" in done.stderr and "make firmware" in done.stderr


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_bad_cycle_limit_is_a_usage_error(tmp_path, value):
    done = run_script(tmp_path, "print(1)\n", "--cycles-limit", value)
    assert done.returncode == 2
    assert "--cycles-limit wants a positive integer" in done.stderr
