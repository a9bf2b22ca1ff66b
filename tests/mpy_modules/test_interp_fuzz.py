"""A bounded fuzzing run of the interp core under AddressSanitizer and UBSan.

The harness (mpy_modules/interp/fuzz) mutates the kept corpus for FUZZ_SECONDS; any
out-of-bounds access, overflow or crash aborts it with a non-zero exit and a report.
Longer runs: make -C mpy_modules/interp/fuzz run SECONDS=600 (new inputs join the corpus).
"""
import shutil
import subprocess

import pytest

from tests.conftest import BUILD, ROOT

FUZZ_DIR = ROOT / "mpy_modules" / "interp" / "fuzz"
FUZZER = BUILD / "fuzz" / "fuzz_interp"
FUZZ_SECONDS = 15


@pytest.fixture(scope="module")
def fuzzer():
    if shutil.which("cc") is None:
        pytest.skip("no C compiler")
    build = subprocess.run(["make", "-s", "-C", str(FUZZ_DIR)], capture_output=True, text=True)
    if build.returncode != 0 and ("lasan" in build.stderr or "lubsan" in build.stderr):
        pytest.skip("the C compiler has no AddressSanitizer/UBSan runtime (Debian: libasan, libubsan)")
    assert build.returncode == 0, build.stderr
    return FUZZER


def test_corpus_replays_cleanly(fuzzer, tmp_path):
    result = subprocess.run([str(fuzzer), "--merge", str(FUZZ_DIR / "corpus"), str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(list(tmp_path.iterdir())) > 50


def test_bounded_fuzz_run_finds_nothing(fuzzer, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FUZZ_DIR / "corpus", corpus)
    result = subprocess.run([str(fuzzer), str(corpus), str(FUZZ_SECONDS)], capture_output=True, text=True,
                            timeout=FUZZ_SECONDS + 120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "executions" in result.stdout
