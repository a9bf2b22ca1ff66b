"""Shared by the firmware/linux tests: the binary, a skip when it is not built, and
helpers to run it the way a user does (a script, the stdin REPL, mpremote)."""
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from earshot.emulators.linux import BINARY

SCRIPTS = Path(__file__).resolve().parent / "linux_scripts"
MPREMOTE = [sys.executable, "-m", "mpremote"]

needs_linux_firmware = pytest.mark.skipif(not BINARY.exists(), reason="firmware/linux is not built (make firmware)")


def run_script(flash_dir, script, timeout=30, stdin=b"", max_files=None, heap_size=None):
    """Runs a host script file on firmware/linux; returns the CompletedProcess (text).
    max_files caps the process's open file descriptors (RLIMIT_NOFILE)."""
    def limit_files():
        if max_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max_files, max_files))

    heap = ["--heap", str(heap_size)] if heap_size else []
    done = subprocess.run([str(BINARY), "--flash", str(flash_dir), *heap, str(script)], input=stdin,
                          capture_output=True, timeout=timeout, preexec_fn=limit_files)
    done.stdout = done.stdout.decode(errors="replace")
    done.stderr = done.stderr.decode(errors="replace")
    return done


def mpremote(port, *args, cwd=None, timeout=30):
    """`mpremote connect <port> <args...>` exactly as typed in a shell; returns stdout."""
    done = subprocess.run([*MPREMOTE, "connect", port, *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"mpremote {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout
