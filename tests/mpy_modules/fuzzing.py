"""Building and running the fuzzers of the C cores (mpy_modules/<m>/fuzz, one driver:
mpy_modules/common/fuzz_driver.c) under AddressSanitizer and UBSan. A failure leaves its
input in the run's working directory, fuzz-crash.bin."""
import shutil
import subprocess

import pytest

from tests.conftest import BUILD, ROOT


def build_fuzzer(module):
    """build/fuzz/fuzz_<module>, built from mpy_modules/<module>/fuzz; skips without a
    compiler or the sanitizers' runtimes."""
    if shutil.which("cc") is None:
        pytest.skip("no C compiler")
    build = subprocess.run(["make", "-s", "-C", str(fuzz_dir(module))], capture_output=True, text=True)
    if build.returncode != 0 and ("lasan" in build.stderr or "lubsan" in build.stderr):
        pytest.skip("the C compiler has no AddressSanitizer/UBSan runtime (Debian: libasan, libubsan)")
    assert build.returncode == 0, build.stderr
    return BUILD / "fuzz" / f"fuzz_{module}"


def fuzz_dir(module):
    return ROOT / "mpy_modules" / module / "fuzz"


def replay(fuzzer, inputs, tmp_path):
    """Runs every input in `inputs` once; returns how many add coverage."""
    kept = tmp_path / "kept"
    kept.mkdir()
    result = subprocess.run([str(fuzzer), "--merge", str(inputs), str(kept)], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    return len(list(kept.iterdir()))


def fuzz(fuzzer, corpus, seconds, tmp_path):
    """Mutates a copy of `corpus` for `seconds`; returns what the driver printed."""
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    result = subprocess.run([str(fuzzer), str(copy), str(seconds)], capture_output=True, text=True,
                            timeout=seconds + 120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "executions" in result.stdout
    return result.stdout
