"""Unmodified mpremote against the emulated board's pty: cp, run, soft-reset, ls."""
import subprocess
import sys

import numpy as np
import pytest

from earshot import pcm
from earshot.emulators.rp2040 import FIRMWARE, Rp2040Board
from tests.conftest import BUILD

PCM_MPY = BUILD / "mpy" / "armv6m" / "pcm.mpy"

pytestmark = pytest.mark.skipif(not (FIRMWARE.exists() and PCM_MPY.exists()),
                                reason="RP2040 firmware or armv6m pcm.mpy not built: run 'make modules firmware'")


@pytest.fixture(scope="module")
def port():
    with Rp2040Board(cycles_limit=4_000_000_000) as board:
        yield board.port


def mpremote(port, *args):
    done = subprocess.run([sys.executable, "-m", "mpremote", "connect", port, *map(str, args)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_cp_then_run_a_script_that_imports_the_mpy(port, tmp_path):
    mpremote(port, "fs", "cp", PCM_MPY, ":pcm.mpy")
    samples = np.arange(-600, 600, 3, dtype=np.int16)
    script = tmp_path / "levels.py"
    script.write_text("import pcm\nfrom array import array\n"
                      f"x = array('h', {samples.tolist()!r})\n"
                      "print(pcm.peak(x), pcm.rms(x))\n")
    out = mpremote(port, "run", script)
    assert out.split() == [str(pcm.peak(samples)), str(pcm.rms(samples))]


def test_files_survive_soft_reset(port, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("still here\n")
    mpremote(port, "fs", "cp", note, ":note.txt")
    mpremote(port, "exec", "marker = 1")
    out = mpremote(port, "soft-reset", "exec", "print('marker' in globals())", "fs", "cat", ":note.txt")
    assert out.splitlines()[-2:] == ["False", "still here"]
    assert "note.txt" in mpremote(port, "fs", "ls")


def test_cp_back_from_the_board_is_identical(port, tmp_path):
    mpremote(port, "fs", "cp", PCM_MPY, ":copy.mpy")
    mpremote(port, "fs", "cp", ":copy.mpy", tmp_path / "back.mpy")
    assert (tmp_path / "back.mpy").read_bytes() == PCM_MPY.read_bytes()


def test_mount_imports_from_the_host(port, tmp_path):
    (tmp_path / "hostmod.py").write_text("print('hello from', __name__)\n")
    out = mpremote(port, "mount", tmp_path, "exec", "import hostmod")
    assert "hello from hostmod" in out
