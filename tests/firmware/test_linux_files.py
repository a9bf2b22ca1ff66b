"""open() and os on firmware/linux, judged against CPython running the same script."""
import os
import subprocess
import sys

import pytest

from tests.firmware.linux_board import SCRIPTS, needs_linux_firmware, run_script

pytestmark = needs_linux_firmware


def test_files_surface_matches_cpython(tmp_path):
    board_flash, host_dir = tmp_path / "flash", tmp_path / "host"
    board_flash.mkdir()
    host_dir.mkdir()
    script = SCRIPTS / "files_surface.py"
    board = run_script(board_flash, script)
    host = subprocess.run([sys.executable, str(script)], cwd=host_dir, capture_output=True, text=True)
    assert host.returncode == 0, host.stderr
    assert board.returncode == 0, board.stdout + board.stderr
    assert board.stdout.splitlines() == host.stdout.splitlines()
    # and the board's writes are ordinary files in its flash directory
    assert sorted(os.listdir(board_flash)) == sorted(os.listdir(host_dir))
    assert (board_flash / "bin.dat").read_bytes() == (host_dir / "bin.dat").read_bytes()


BOARD_ONLY = """
import os
with open('a.bin', 'wb') as f:
    f.write(b'12345')
os.mkdir('d')
print(sorted(os.ilistdir()))
st = os.statvfs('/')
print(len(st), st[0] > 0, st[2] >= st[3] > 0, st[9])
u = os.uname()
print(u.sysname, u.release, u.machine)
os.sync()
print(os.getcwd(), os.sep)
"""


def test_board_only_os_calls(tmp_path):
    (tmp_path / "t.py").write_text(BOARD_ONLY)
    done = run_script(tmp_path, tmp_path / "t.py")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "[('a.bin', 32768, 0, 5), ('d', 16384, 0, 0), ('t.py', 32768, 0, %d)]" % len(BOARD_ONLY)
    assert lines[1] == "10 True True 63"
    assert lines[2] == "linux 1.23.0 earshot linux x86-64"
    assert lines[3] == "/ /"


def test_paths_cannot_leave_the_flash_directory(tmp_path):
    flash = tmp_path / "flash"
    flash.mkdir()
    (tmp_path / "outside.txt").write_text("secret")
    (flash / "t.py").write_text(
        "import os\n"
        "print(os.listdir('/..'), os.listdir('../..'))\n"
        "os.chdir('..')\n"
        "print(os.getcwd())\n"
        "try:\n"
        "    open('../outside.txt')\n"
        "except OSError as e:\n"
        "    print('OSError', e.errno)\n")
    done = run_script(flash, flash / "t.py")
    assert done.stdout.splitlines()[:7] == ["['t.py'] ['t.py']", "/", "OSError 2"], done.stderr


@pytest.mark.parametrize("mode", ["", "rw", "q", "rb+x", "bb+"])
def test_bad_open_mode_raises_value_error(tmp_path, mode):
    (tmp_path / "t.py").write_text(f"open('x', {mode!r})\n")
    done = run_script(tmp_path, tmp_path / "t.py")
    assert done.returncode == 1
    assert f"ValueError: invalid mode '{mode}'" in done.stdout


def test_closed_file_raises_and_finaliser_closes(tmp_path):
    (tmp_path / "t.py").write_text(
        "import gc\n"
        "f = open('a', 'w'); f.close(); f.close()\n"
        "try:\n"
        "    f.write('x')\n"
        "except OSError as e:\n"
        "    print('closed', e.errno)\n"
        "for i in range(2000):\n"
        "    open('a')\n"  # never closed: the GC finaliser must give the handles back
        "    if i % 20 == 0:\n"
        "        gc.collect()\n"
        "print('opened 2000')\n")
    done = run_script(tmp_path, tmp_path / "t.py", max_files=64)
    assert done.stdout.splitlines()[:7] == ["closed 9", "opened 2000"], done.stdout + done.stderr


def test_listdir_out_of_memory_releases_its_handle(tmp_path):
    for i in range(60):
        (tmp_path / f"file_with_a_long_name_{i}.txt").touch()
    done = run_script(tmp_path, SCRIPTS / "listdir_out_of_memory.py", heap_size=65536)
    assert done.stdout == "12 60\n", done.stdout + done.stderr


MOUNT_SCRIPT = """
import os, io
class MemFS:
    # the VFS methods os.mount'ed objects provide (what mpremote mount's RemoteFS has)
    def __init__(self):
        self.files = {'/hello.txt': b'hi from memfs'}
    def chdir(self, path):
        print('chdir', path)
    def stat(self, path):
        if path == '/':
            return (0x4000, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        if path in self.files:
            return (0x8000, 0, 0, 0, 0, 0, len(self.files[path]), 0, 0, 0)
        raise OSError(2)
    def ilistdir(self, path):
        return iter([(name[1:], 0x8000, 0) for name in sorted(self.files)])
    def open(self, path, mode):
        return io.BytesIO(self.files[path])
    def remove(self, path):
        del self.files[path]
os.mkdir('remote2')
os.mount(MemFS(), '/remote')
print(os.listdir('/remote'), os.stat('/remote/hello.txt')[6], sorted(os.listdir('/')))
os.chdir('/remote')
print(os.getcwd(), open('hello.txt').read())
print(__import__('vfs').mount()[1][1])
try:
    os.rename('/remote/hello.txt', '/elsewhere.txt')
except OSError as e:
    print('rename across mounts', e.errno)
os.remove('hello.txt')
print(os.listdir())
os.chdir('/remote2')
os.umount('/remote')
print(os.getcwd())
os.chdir('/remote')
"""


def test_python_filesystem_mounted_over_a_path(tmp_path):
    (tmp_path / "t.py").write_text(MOUNT_SCRIPT)
    done = run_script(tmp_path, tmp_path / "t.py")
    assert done.stdout.splitlines()[:7] == [
        "['hello.txt'] 13 ['remote2', 't.py']",
        "chdir /",
        "/remote b'hi from memfs'",  # the mount decides the mode: BytesIO
        "/remote",
        "rename across mounts 18",
        "[]",
        "/remote2",
    ]
    assert done.stdout.splitlines()[-1] == "OSError: [Errno 2] ENOENT"  # /remote is gone once unmounted
