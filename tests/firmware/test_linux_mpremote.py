"""Unmodified mpremote drives firmware/linux through its pty, as a user types it."""
import pytest

from earshot.emulators.linux import LinuxBoard
from tests.firmware.linux_board import mpremote, needs_linux_firmware

pytestmark = needs_linux_firmware


@pytest.fixture(scope="module")
def board():
    with LinuxBoard() as running:
        yield running


def test_exec_and_eval(board):
    assert mpremote(board.port, "exec", "print(6 * 7)") == "42\n"
    assert mpremote(board.port, "eval", "[1, 2] + [3]") == "[1, 2, 3]\n"


def test_fs_cp_ls_cat_and_back(board, tmp_path):
    payload = bytes(range(256)) * 40  # every byte value, more than one transfer chunk
    (tmp_path / "blob.bin").write_bytes(payload)
    (tmp_path / "hello.txt").write_text("hello board\n")
    mpremote(board.port, "fs", "cp", "blob.bin", "hello.txt", ":", cwd=tmp_path)
    assert (board.flash_dir / "blob.bin").read_bytes() == payload
    listing = mpremote(board.port, "fs", "ls")
    assert f"{len(payload)} blob.bin" in listing and "12 hello.txt" in listing
    assert mpremote(board.port, "fs", "cat", "hello.txt").endswith("hello board\n")
    mpremote(board.port, "fs", "cp", ":blob.bin", "back.bin", cwd=tmp_path)
    assert (tmp_path / "back.bin").read_bytes() == payload


def test_fs_mkdir_rm_rmdir(board, tmp_path):
    (tmp_path / "x.py").write_text("X = 1\n")
    mpremote(board.port, "fs", "mkdir", "lib", "+", "fs", "cp", "x.py", ":lib/x.py", cwd=tmp_path)
    assert "x.py" in mpremote(board.port, "fs", "ls", "lib")
    assert mpremote(board.port, "exec", "import x; print(x.X)") == "1\n"  # /lib is on sys.path
    mpremote(board.port, "fs", "rm", "lib/x.py", "+", "fs", "rmdir", "lib")
    assert not (board.flash_dir / "lib").exists()
    with pytest.raises(AssertionError, match="No such file"):
        mpremote(board.port, "fs", "rm", "lib/x.py")


def test_run_local_script(board, tmp_path):
    (tmp_path / "script.py").write_text("import sys\nprint('ran on', sys.platform, sum(range(10)))\n")
    assert mpremote(board.port, "run", "script.py", cwd=tmp_path) == "ran on linux 45\n"


def test_exception_reaches_the_user(board):
    done = pytest.raises(AssertionError, mpremote, board.port, "exec", "1/0")
    assert "ZeroDivisionError" in str(done.value)


def test_soft_reset_clears_state_and_keeps_files(board):
    mpremote(board.port, "exec", "kept = 5\nopen('state.txt', 'w').write('on flash')")
    out = mpremote(board.port, "resume", "exec", "print('kept' in globals())", "soft-reset",
                   "exec", "print('kept' in globals(), open('state.txt').read())")
    assert out == "True\nFalse on flash\n"


def test_mount_local_directory(board, tmp_path):
    (tmp_path / "mounted_mod.py").write_text("VALUE = 'from the host'\n")
    (tmp_path / "data.txt").write_text("host data")
    out = mpremote(board.port, "mount", str(tmp_path), "exec",
                   "import os, mounted_mod\n"
                   "print(os.getcwd(), sorted(os.listdir()))\n"
                   "print(mounted_mod.VALUE, open('data.txt').read())\n"
                   "open('/remote/written.txt', 'w').write('from the board')")
    assert "/remote ['data.txt', 'mounted_mod.py']\nfrom the host host data\n" in out
    assert (tmp_path / "written.txt").read_text() == "from the board"
    # unmounted after the command: the board's own flash is back
    assert mpremote(board.port, "exec", "import os; print(os.getcwd())") == "/\n"


def test_recursive_copy_tree_hash_and_df(board, tmp_path):
    import hashlib
    (tmp_path / "app" / "lib").mkdir(parents=True)
    (tmp_path / "app" / "main_app.py").write_text("print('app')\n")
    (tmp_path / "app" / "lib" / "helper.py").write_text("H = 1\n")
    mpremote(board.port, "fs", "cp", "-r", "app", ":", cwd=tmp_path)
    assert "│   └── helper.py" in mpremote(board.port, "fs", "tree")
    digest = hashlib.sha256(b"print('app')\n").hexdigest()
    assert digest in mpremote(board.port, "fs", "sha256sum", "app/main_app.py")
    again = mpremote(board.port, "fs", "cp", "app/main_app.py", ":app/main_app.py", cwd=tmp_path)
    assert "Up to date" in again  # compared by hash, without copying
    mpremote(board.port, "fs", "rm", "-r", "app")
    assert "app" not in mpremote(board.port, "fs", "ls")
    df = mpremote(board.port, "df").splitlines()
    assert df[0].split() == ["filesystem", "size", "used", "avail", "use%", "mounted", "on"]
    assert df[1].split()[0] == "flash" and df[1].split()[-1] == "/"
