"""A bounded fuzzing run of the interp core under AddressSanitizer and UBSan.

The harness (mpy_modules/interp/fuzz) mutates the kept corpus for FUZZ_SECONDS; any
out-of-bounds access, overflow or crash aborts it with a non-zero exit and a report.
Longer runs: make -C mpy_modules/interp/fuzz run SECONDS=600 (new inputs join the corpus).
"""
import shutil
import subprocess

import pytest

from tests.conftest import BUILD, ROOT
from tests.mpy_modules.tflite_edit import edited

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
    (tmp_path / "kept").mkdir()
    result = subprocess.run([str(fuzzer), "--merge", str(FUZZ_DIR / "corpus"), str(tmp_path / "kept")],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(list((tmp_path / "kept").iterdir())) > 50


def test_bounded_fuzz_run_finds_nothing(fuzzer, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FUZZ_DIR / "corpus", corpus)
    # A failure leaves its input in tmp_path / fuzz-crash.bin.
    result = subprocess.run([str(fuzzer), str(corpus), str(FUZZ_SECONDS)], capture_output=True, text=True,
                            timeout=FUZZ_SECONDS + 120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "executions" in result.stdout


def empty_but_huge(width):
    """A change for edited(): a batch of 0 and input width `width` (output width to match),
    so no element to compute but index arithmetic on the huge width."""
    def change(model, graph, op):
        x, y = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        stride = op.builtinOptions.strideW
        x.shape = [0, x.shape[1], width, x.shape[3]]
        y.shape = [0, y.shape[1], (width + stride - 1) // stride, y.shape[3]]
    return change


def test_regressions_replay_cleanly(fuzzer, tmp_path):
    """Inputs the fuzzer once failed on, rebuilt here (its finds are not kept by themselves):
    a depthwise window's tap offsets overflowed int32 for a huge empty input (UBSan)."""
    cases = tmp_path / "cases"
    cases.mkdir()
    (tmp_path / "kept").mkdir()
    (cases / "dw_empty_huge_width").write_bytes(edited("dw_fast_3x3_s2_c12", empty_but_huge(100_000_000)))
    result = subprocess.run([str(fuzzer), "--merge", str(cases), str(tmp_path / "kept")], capture_output=True,
                            text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
